import * as activity from './activity.ts';
import { exposureTime } from './exposure.ts';
import { probabilisticSharpeRatio } from './psr.ts';
import type { TruthMetricsInput } from './rows.ts';
import * as snap from './snapshots.ts';
import * as trades from './trades.ts';
import { checkTruthInput } from './validate.ts';

/** Every truth metric's value, by name. Floats; see each metric for units and empty-input values. */
export interface TruthMetrics {
  readonly tradeCount: number;
  readonly winCount: number;
  readonly lossCount: number;
  readonly winRate: number;
  readonly netPnl: number;
  readonly totalFees: number;
  readonly avgWin: number;
  readonly avgLoss: number;
  readonly expectancy: number;
  readonly consecutiveLosses: number;
  readonly portfolioValue: number | null;
  readonly portfolioCash: number | null;
  readonly maxDrawdownPct: number;
  readonly totalSignals: number;
  readonly actedSignals: number;
  readonly signalActRate: number;
  readonly totalScans: number;
  readonly firstScanAt: number | null;
  readonly lastScanAt: number | null;
  readonly currentStrategyVersion: string | null;
  readonly strategyVersionCount: number;
  readonly profitFactor: number;
  readonly closeReasonBreakdown: Readonly<Record<string, number>>;
  readonly avgTradeDurationHours: number;
  readonly bestTradePnlPct: number;
  readonly worstTradePnlPct: number;
  readonly sharpeRatio: number;
  readonly sortinoRatio: number;
  readonly tradesBySymbol: Readonly<Record<string, number>>;
  readonly calmarRatio: number | null;
  readonly exposureTime: number | null;
  readonly probabilisticSharpeRatio: number | null;
}

/** A metric's name. */
export type TruthMetricKey = keyof TruthMetrics;

/** What a metric's number means. `quote` is quote currency (USD); `fraction` is 0–1 (0.05 = 5 %). */
export type MetricUnit = 'count' | 'fraction' | 'quote' | 'ratio' | 'hours' | 'msSinceEpoch' | 'version' | 'countByKey' | 'probability';

/** One registry entry: the metric's name, its predecessor key (§11), meaning, unit, and function. */
export type TruthMetricDefinition = {
  readonly [K in TruthMetricKey]: {
    readonly key: K;
    /** The predecessor's benchmark key (reference/predecessor.md §11), or null for metrics it lacked. */
    readonly predecessorKey: string | null;
    readonly description: string;
    readonly unit: MetricUnit;
    readonly compute: (input: TruthMetricsInput) => TruthMetrics[K];
  };
}[TruthMetricKey];

/**
 * The truth benchmarks, in the predecessor's order (§11 #1–29), then ours. These are computed
 * straight from raw rows and presented to the orchestrator as GROUND TRUTH: if an analysis
 * module disagrees with one of them, the module has a bug.
 */
export const TRUTH_METRICS: readonly TruthMetricDefinition[] = Object.freeze([
  {
    key: 'tradeCount',
    predecessorKey: 'trade_count',
    unit: 'count',
    description: 'Closed trades.',
    compute: (i) => trades.tradeCount(i.trades),
  },
  {
    key: 'winCount',
    predecessorKey: 'win_count',
    unit: 'count',
    description: 'Closed trades with pnl > 0.',
    compute: (i) => trades.winCount(i.trades),
  },
  {
    key: 'lossCount',
    predecessorKey: 'loss_count',
    unit: 'count',
    description: 'Closed trades with pnl < 0 (zero-P&L trades are neither).',
    compute: (i) => trades.lossCount(i.trades),
  },
  {
    key: 'winRate',
    predecessorKey: 'win_rate',
    unit: 'fraction',
    description: 'winCount / tradeCount; 0 with no trades.',
    compute: (i) => trades.winRate(i.trades),
  },
  {
    key: 'netPnl',
    predecessorKey: 'net_pnl',
    unit: 'quote',
    description: 'Sum of trade P&L, net of fees.',
    compute: (i) => trades.netPnl(i.trades),
  },
  {
    key: 'totalFees',
    predecessorKey: 'total_fees',
    unit: 'quote',
    description: 'Sum of trade fees (entry share + exit).',
    compute: (i) => trades.totalFees(i.trades),
  },
  {
    key: 'avgWin',
    predecessorKey: 'avg_win',
    unit: 'quote',
    description: 'Mean P&L of winning trades; 0 with none.',
    compute: (i) => trades.avgWin(i.trades),
  },
  {
    key: 'avgLoss',
    predecessorKey: 'avg_loss',
    unit: 'quote',
    description: 'Mean P&L of losing trades (negative); 0 with none.',
    compute: (i) => trades.avgLoss(i.trades),
  },
  {
    key: 'expectancy',
    predecessorKey: 'expectancy',
    unit: 'quote',
    description: 'winRate × avgWin + (lossCount / tradeCount) × avgLoss; 0 with no trades.',
    compute: (i) => trades.expectancy(i.trades),
  },
  {
    key: 'consecutiveLosses',
    predecessorKey: 'consecutive_losses',
    unit: 'count',
    description: 'Current streak of losing closes among the 50 most recent.',
    compute: (i) => trades.consecutiveLosses(i.trades),
  },
  {
    key: 'portfolioValue',
    predecessorKey: 'portfolio_value',
    unit: 'quote',
    description: 'Value at the latest daily snapshot; null with none.',
    compute: (i) => snap.portfolioValue(i.snapshots),
  },
  {
    key: 'portfolioCash',
    predecessorKey: 'portfolio_cash',
    unit: 'quote',
    description: 'Cash at the latest daily snapshot; null with none.',
    compute: (i) => snap.portfolioCash(i.snapshots),
  },
  {
    key: 'maxDrawdownPct',
    predecessorKey: 'max_drawdown_pct',
    unit: 'fraction',
    description: 'Largest peak-to-trough fall of daily snapshot values, as a fraction of the peak.',
    compute: (i) => snap.maxDrawdownPct(i.snapshots),
  },
  {
    key: 'totalSignals',
    predecessorKey: 'total_signals',
    unit: 'count',
    description: 'Signals emitted.',
    compute: (i) => activity.totalSignals(i.signals),
  },
  {
    key: 'actedSignals',
    predecessorKey: 'acted_signals',
    unit: 'count',
    description: 'Signals acted on.',
    compute: (i) => activity.actedSignals(i.signals),
  },
  {
    key: 'signalActRate',
    predecessorKey: 'signal_act_rate',
    unit: 'fraction',
    description: 'actedSignals / totalSignals; 0 with none.',
    compute: (i) => activity.signalActRate(i.signals),
  },
  {
    key: 'totalScans',
    predecessorKey: 'total_scans',
    unit: 'count',
    description: 'Per-symbol scan records (within retention).',
    compute: (i) => activity.totalScans(i.scans),
  },
  {
    key: 'firstScanAt',
    predecessorKey: 'first_scan_at',
    unit: 'msSinceEpoch',
    description: 'Earliest scan; null with none.',
    compute: (i) => activity.firstScanAt(i.scans),
  },
  {
    key: 'lastScanAt',
    predecessorKey: 'last_scan_at',
    unit: 'msSinceEpoch',
    description: 'Latest scan; null with none.',
    compute: (i) => activity.lastScanAt(i.scans),
  },
  {
    key: 'currentStrategyVersion',
    predecessorKey: 'current_strategy_version',
    unit: 'version',
    description: 'Most recently deployed strategy version; null if none.',
    compute: (i) => activity.currentStrategyVersion(i.strategyVersions),
  },
  {
    key: 'strategyVersionCount',
    predecessorKey: 'strategy_version_count',
    unit: 'count',
    description: 'Strategy versions recorded, candidates included.',
    compute: (i) => activity.strategyVersionCount(i.strategyVersions),
  },
  {
    key: 'profitFactor',
    predecessorKey: 'profit_factor',
    unit: 'ratio',
    description: 'Gross wins / gross losses; Infinity with wins and no losses; 0 with neither.',
    compute: (i) => trades.profitFactor(i.trades),
  },
  {
    key: 'closeReasonBreakdown',
    predecessorKey: 'close_reason_breakdown',
    unit: 'countByKey',
    description: 'Closed trades per close reason ("unknown" when missing).',
    compute: (i) => trades.closeReasonBreakdown(i.trades),
  },
  {
    key: 'avgTradeDurationHours',
    predecessorKey: 'avg_trade_duration_hours',
    unit: 'hours',
    description: 'Mean holding time of closed trades; 0 with none.',
    compute: (i) => trades.avgTradeDurationHours(i.trades),
  },
  {
    key: 'bestTradePnlPct',
    predecessorKey: 'best_trade_pnl_pct',
    unit: 'fraction',
    description: 'Best trade return on its cost; 0 with no trades.',
    compute: (i) => trades.bestTradePnlPct(i.trades),
  },
  {
    key: 'worstTradePnlPct',
    predecessorKey: 'worst_trade_pnl_pct',
    unit: 'fraction',
    description: 'Worst trade return on its cost; 0 with no trades.',
    compute: (i) => trades.worstTradePnlPct(i.trades),
  },
  {
    key: 'sharpeRatio',
    predecessorKey: 'sharpe_ratio',
    unit: 'ratio',
    description: 'Daily snapshot returns: mean / sample std × √365 (no risk-free rate); 0 below 3 snapshots.',
    compute: (i) => snap.sharpeRatio(i.snapshots),
  },
  {
    key: 'sortinoRatio',
    predecessorKey: 'sortino_ratio',
    unit: 'ratio',
    description: 'Daily snapshot returns: mean / downside deviation × √365; 0 below 2 negative returns.',
    compute: (i) => snap.sortinoRatio(i.snapshots),
  },
  {
    key: 'tradesBySymbol',
    predecessorKey: 'trades_by_symbol',
    unit: 'countByKey',
    description: 'Closed trades per symbol.',
    compute: (i) => trades.tradesBySymbol(i.trades),
  },
  {
    key: 'calmarRatio',
    predecessorKey: null,
    unit: 'ratio',
    description: 'Compound annual growth of snapshot values / maxDrawdownPct; null below 2 snapshots.',
    compute: (i) => snap.calmarRatio(i.snapshots),
  },
  {
    key: 'exposureTime',
    predecessorKey: null,
    unit: 'fraction',
    description: 'Fraction of the period with at least one position open.',
    compute: (i) => exposureTime(i.trades, i.openPositions, i.periodStartMs, i.nowMs),
  },
  {
    key: 'probabilisticSharpeRatio',
    predecessorKey: null,
    unit: 'probability',
    description: 'PSR(0): probability the true daily Sharpe ratio is above 0, given skew, kurtosis and sample length.',
    compute: (i) => probabilisticSharpeRatio(i.snapshots),
  },
]);

/**
 * Computes every metric of `TRUTH_METRICS` from raw rows. Pure and deterministic (map keys are
 * sorted). Throws `MetricsInputError` (listing every problem) for corrupt rows; empty tables
 * give each metric's documented empty value.
 */
export function computeTruthMetrics(input: TruthMetricsInput): TruthMetrics {
  checkTruthInput(input);
  const values: Partial<Record<TruthMetricKey, unknown>> = {};
  for (const metric of TRUTH_METRICS) values[metric.key] = metric.compute(input);
  return values as TruthMetrics;
}
