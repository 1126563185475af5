/**
 * Truth metrics: one small pure function per benchmark over plain rows, the `TRUTH_METRICS`
 * registry, and `computeTruthMetrics`. Statistics in float64 (they describe money, they never
 * move it).
 */
export type { DailySnapshotRow, OpenPositionRow, ScanRow, SignalRow, StrategyVersionRow, TradeRow, TruthMetricsInput } from './rows.ts';
export {
  CONSECUTIVE_LOSSES_WINDOW,
  avgLoss,
  avgTradeDurationHours,
  avgWin,
  bestTradePnlPct,
  closeReasonBreakdown,
  consecutiveLosses,
  expectancy,
  lossCount,
  netPnl,
  profitFactor,
  totalFees,
  tradeCount,
  tradesBySymbol,
  winCount,
  winRate,
  worstTradePnlPct,
} from './trades.ts';
export {
  DAYS_PER_YEAR,
  byDate,
  calmarRatio,
  dailyReturns,
  maxDrawdownPct,
  portfolioCash,
  portfolioValue,
  sharpeRatio,
  sortinoRatio,
} from './snapshots.ts';
export {
  actedSignals,
  currentStrategyVersion,
  firstScanAt,
  lastScanAt,
  signalActRate,
  strategyVersionCount,
  totalScans,
  totalSignals,
} from './activity.ts';
export { exposureTime } from './exposure.ts';
export { expectedMaxSharpe, probabilisticSharpe, probabilisticSharpeRatio, sharpeSample, type SharpeSample } from './psr.ts';
export { normalCdf, normalQuantile } from './normal.ts';
export { centralMoments, mean, sampleVariance, skewnessAndKurtosis } from './stats.ts';
export { daysFromCivil } from './dates.ts';
export { MetricsInputError, checkTruthInput } from './validate.ts';
export {
  TRUTH_METRICS,
  computeTruthMetrics,
  type MetricUnit,
  type TruthMetricDefinition,
  type TruthMetricKey,
  type TruthMetrics,
} from './registry.ts';
