/**
 * The read-only data port of the analysis modules (predecessor §12; docs/analysis.md).
 *
 * Analysis modules run in the QuickJS sandbox and never touch the database. The host asks this
 * port for a fixed, named, bounded set of datasets and passes them into the module as JSON. The
 * supervisor implements it over a SEPARATE read-only libSQL connection (`supervisor/analysis`),
 * so a write through it fails at the database; `strategies/` declares only the interface (it may
 * not import `adapters/`). Every method is synchronous, reads only, and returns plain data:
 * numbers are floats (analysis views, never books), times ms since epoch UTC.
 */
import type { Timeframe } from '../../domain/market/candle.ts';

/** One candle as analysis modules see it. */
export interface AnalysisCandle {
  readonly tsOpen: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Rows stored for one symbol and timeframe (`candles`). */
export interface AnalysisCoverage {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly rows: number;
  /** ts_open of the oldest and the newest row, ms. */
  readonly earliest: number;
  readonly latest: number;
}

/** Scan bookkeeping (`scan_results`): how many scans were recorded and when. */
export interface AnalysisScanStats {
  readonly total: number;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
  /** Scans in the hour before `nowMs`. */
  readonly lastHour: number;
}

/** One closed (partial) trade (`trades`); money as floats in quote currency. */
export interface AnalysisTrade {
  readonly symbol: string;
  readonly intent: string;
  readonly costBasis: number;
  readonly proceeds: number;
  readonly fees: number;
  readonly pnl: number;
  /** pnl / costBasis (0.05 = +5 %). */
  readonly pnlFraction: number;
  readonly closeReason: string;
  readonly strategyVersion: string | null;
  readonly strategyRegime: string | null;
  readonly openedAt: number;
  readonly closedAt: number;
}

/** One fund signal (`signals`), acted on or rejected with a reason. */
export interface AnalysisSignal {
  readonly symbol: string;
  readonly action: string;
  readonly confidence: number;
  readonly strategyVersion: string;
  readonly strategyRegime: string | null;
  readonly actedOn: boolean;
  readonly rejectedReason: string | null;
  readonly createdAt: number;
}

/** One open position (`positions`). */
export interface AnalysisPosition {
  readonly symbol: string;
  readonly tag: string;
  readonly intent: string;
  readonly qty: number;
  readonly costBasis: number;
  readonly lastPrice: number;
  readonly strategyVersion: string | null;
  readonly openedAt: number;
}

/** The latest fee tier per symbol (`fee_schedule`), percent units (0.25 = 0.25 %). */
export interface AnalysisFee {
  readonly symbol: string;
  readonly makerPct: number;
  readonly takerPct: number;
  readonly checkedAt: number;
}

/**
 * What analysis modules may read. Implementations must use a read-only connection; the methods
 * are the whole allow-list (there is no free-form SQL). Each `limit` is an upper bound the host
 * chose; rows come oldest first unless stated.
 */
export interface AnalysisReadPort {
  /** Every (symbol, timeframe) with at least one candle. */
  candleCoverage(): AnalysisCoverage[];
  /** Candles with `fromMs <= tsOpen < toMs`, oldest first, at most the newest `limit`. */
  candles(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, limit: number): AnalysisCandle[];
  /** Scan counts up to `nowMs`. */
  scanStats(nowMs: number): AnalysisScanStats;
  /** The newest `limit` closed trades with `closedAt <= nowMs`, oldest first. */
  trades(nowMs: number, limit: number): AnalysisTrade[];
  /** Signals with `fromMs <= createdAt <= nowMs`, at most the newest `limit`, oldest first. */
  signals(fromMs: number, nowMs: number, limit: number): AnalysisSignal[];
  /** Open positions. */
  openPositions(): AnalysisPosition[];
  /** The latest fee tier of each symbol that has one. */
  latestFees(): AnalysisFee[];
}
