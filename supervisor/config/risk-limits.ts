import type { BrainConfig } from './types.ts';

/**
 * The risk limits as the domain's risk engine takes them: fractions in 0..1 (of portfolio value,
 * start-of-day value or peak, as documented per key), counts as integers, switches as booleans.
 */
export interface ConfigRiskLimits {
  readonly maxPositionPct: number;
  readonly maxPositions: number;
  readonly maxDailyLossPct: number;
  readonly maxDailyTrades: number;
  readonly maxTradePct: number;
  readonly defaultTradePct: number;
  readonly defaultStopLossPct: number;
  readonly defaultTakeProfitPct: number;
  readonly killSwitch: boolean;
  readonly maxDrawdownPct: number;
  readonly rollbackDailyLossPct: number;
  readonly rollbackConsecutiveLosses: number;
  readonly dailyLossIncludesUnrealized: boolean;
}

/** Flattens `config.risk` into the domain's names. Pure; returns a new frozen object. */
export function toRiskLimits(config: Pick<BrainConfig, 'risk'>): ConfigRiskLimits {
  const { position, daily, perTrade, emergency, rollback } = config.risk;
  return Object.freeze({
    maxPositionPct: position.maxPositionPct,
    maxPositions: position.maxPositions,
    maxDailyLossPct: daily.maxDailyLossPct,
    maxDailyTrades: daily.maxDailyTrades,
    maxTradePct: perTrade.maxTradePct,
    defaultTradePct: perTrade.defaultTradePct,
    defaultStopLossPct: perTrade.defaultStopLossPct,
    defaultTakeProfitPct: perTrade.defaultTakeProfitPct,
    killSwitch: emergency.killSwitch,
    maxDrawdownPct: emergency.maxDrawdownPct,
    rollbackDailyLossPct: rollback.maxDailyLossPct,
    rollbackConsecutiveLosses: rollback.maxConsecutiveLosses,
    dailyLossIncludesUnrealized: daily.dailyLossIncludesUnrealized,
  });
}
