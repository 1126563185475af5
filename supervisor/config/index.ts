/**
 * Configuration: brain.toml + secrets from the environment, validated once at startup by strict
 * schemas and named cross-field rules, then deep-frozen. See docs/configuration.md.
 */
export { parseConfig, loadConfigFile, defaultConfig, type ConfigInput, type ConfigResult } from './parse.ts';
export { formatProblem, formatProblems, REDACTED, type ConfigProblem } from './problems.ts';
export { toRiskLimits, type ConfigRiskLimits } from './risk-limits.ts';
export {
  SECRET_ENV_KEYS,
  SECRET_FIELDS,
  redactionPaths,
  readSecrets,
  secretValues,
  type SecretEnvKey,
  type Secrets,
} from './secrets.ts';
export { RULES, windowMinutes, type ConfigRule } from './rules/index.ts';
export { NOTIFICATION_EVENTS, type NotificationEvent } from './sections/telegram.ts';
export { isLoopbackHost } from './fields.ts';
export type {
  BrainConfig,
  GeneralConfig,
  DatabaseConfig,
  MarketsConfig,
  KrakenConfig,
  FeesConfig,
  RiskConfig,
  AiConfig,
  ModelPrice,
  OrchestratorConfig,
  TelegramConfig,
  ApiConfig,
  DataConfig,
  SandboxConfig,
} from './types.ts';
