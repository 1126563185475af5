/**
 * The plain rows the truth metrics read, one shape per source table. Metrics are statistics,
 * so money here is float64 in quote currency (USD): the store converts exact `Fixed` columns
 * with `toNumber` when it reads them, and nothing computed from these rows is ever booked.
 * Timestamps are integer ms since epoch (UTC).
 */

/** One closed trade: a full or partial close of a position (the `trades` table). */
export interface TradeRow {
  readonly symbol: string;
  /** Realised P&L net of the pro-rata entry fee and the exit fee, quote currency. */
  readonly pnl: number;
  /** `pnl / (entry price × quantity)`, a fraction (0.05 = 5 %), despite the name. */
  readonly pnlPct: number;
  /** Entry-fee share + exit fee, quote currency. */
  readonly fees: number;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  /** `signal`, `stop_loss`, `take_profit`, `emergency`, `reconciliation`, `promotion`; null if not recorded. */
  readonly closeReason: string | null;
}

/** One end-of-day snapshot (the `daily_performance` table); one row per local calendar date. */
export interface DailySnapshotRow {
  /** Local calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Cash + marked positions, quote currency. */
  readonly portfolioValue: number;
  readonly cash: number;
}

/** One strategy signal, acted on or not (the `signals` table). */
export interface SignalRow {
  readonly actedOn: boolean;
}

/** One per-symbol scan record (the `scan_results` table). */
export interface ScanRow {
  readonly createdAtMs: number;
}

/** One strategy version (the `strategy_versions` table, candidates included). */
export interface StrategyVersionRow {
  readonly version: string;
  /** When it went live; null if never deployed. */
  readonly deployedAtMs: number | null;
}

/** One position still open at `nowMs` (the `positions` table). */
export interface OpenPositionRow {
  readonly openedAtMs: number;
}

/** Everything `computeTruthMetrics` reads. Row order does not matter except to break exact timestamp ties (later row = more recent). */
export interface TruthMetricsInput {
  readonly trades: readonly TradeRow[];
  readonly snapshots: readonly DailySnapshotRow[];
  readonly signals: readonly SignalRow[];
  readonly scans: readonly ScanRow[];
  readonly strategyVersions: readonly StrategyVersionRow[];
  readonly openPositions: readonly OpenPositionRow[];
  /** Start of the measured period (fund start, or a backtest's first candle), ms since epoch. */
  readonly periodStartMs: number;
  /** The time the metrics are computed for, ms since epoch (never read from a clock here). */
  readonly nowMs: number;
}
