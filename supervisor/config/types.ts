import type { Camelized } from './camel.ts';
import type { BrainToml } from './schema.ts';
import type { Secrets } from './secrets.ts';

/**
 * The validated configuration: brain.toml with camelCased keys (map keys such as model ids are
 * kept as written), deeply readonly and frozen at runtime, plus the secrets from the environment.
 * `secrets` is non-enumerable: spreading, JSON.stringify and logging a config leave it out.
 */
export type BrainConfig = Camelized<BrainToml> & { readonly secrets: Secrets };

/** Sections of the configuration, for code that takes only one of them. */
export type GeneralConfig = BrainConfig['general'];
export type DatabaseConfig = BrainConfig['database'];
export type MarketsConfig = BrainConfig['markets'];
export type KrakenConfig = BrainConfig['kraken'];
export type FeesConfig = BrainConfig['fees'];
export type RiskConfig = BrainConfig['risk'];
export type AiConfig = BrainConfig['ai'];
export type ModelPrice = AiConfig['prices'][string];
export type OrchestratorConfig = BrainConfig['orchestrator'];
export type TelegramConfig = BrainConfig['telegram'];
export type ApiConfig = BrainConfig['api'];
export type DataConfig = BrainConfig['data'];
export type SandboxConfig = BrainConfig['sandbox'];
