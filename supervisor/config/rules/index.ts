import { aiRules } from './ai.ts';
import { dataRules } from './data.ts';
import { envRules } from './env.ts';
import { modeRules } from './mode.ts';
import { orchestratorRules } from './orchestrator.ts';
import { riskRules } from './risk.ts';
import type { ConfigRule } from './rule.ts';
import { surfaceRules } from './surfaces.ts';

export { windowMinutes, type ConfigRule, type RuleFinding } from './rule.ts';

/** Every cross-field rule, in reporting order. */
export const RULES: readonly ConfigRule[] = [
  ...riskRules,
  ...orchestratorRules,
  ...aiRules,
  ...modeRules,
  ...surfaceRules,
  ...dataRules,
  ...envRules,
];
