/** Operator settings from the frozen configuration. */
import type { BrainConfig } from '../config/index.ts';
import { toRiskLimits } from '../config/index.ts';
import type { OperatorSettings } from './types.ts';

/** Default lifetime of a force confirmation token: 2 minutes. */
export const DEFAULT_CONFIRMATION_TTL_MS = 120_000;

/**
 * The operator's settings from `config` (mode, zone, symbols, limits, token budget, candidate
 * slots) plus the runtime facts the config does not hold. Amounts are USD with cents.
 */
export function operatorSettingsFromConfig(
  config: BrainConfig,
  runtime: { readonly version: string; readonly startedAtMs: number; readonly confirmationTtlMs?: number },
): OperatorSettings {
  return Object.freeze({
    mode: config.general.mode,
    version: runtime.version,
    symbols: [...config.markets.symbols],
    timeZone: config.general.timezone,
    quoteCurrency: 'USD',
    amountDecimals: 2,
    limits: toRiskLimits(config),
    dailyTokenLimit: config.ai.dailyTokenLimit,
    maxCandidates: config.orchestrator.maxCandidates,
    startedAtMs: runtime.startedAtMs,
    confirmationTtlMs: runtime.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS,
  });
}
