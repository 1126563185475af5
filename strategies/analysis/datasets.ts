/**
 * The datasets an analysis module receives: a fixed, named, bounded set per module kind, fetched
 * by the host through the read-only port and passed into the sandbox as JSON (docs/analysis.md).
 * Pure apart from the port's reads.
 */
import type { AnalysisCandle, AnalysisCoverage, AnalysisFee, AnalysisPosition, AnalysisReadPort, AnalysisScanStats, AnalysisSignal, AnalysisTrade } from './port.ts';

/** The two analysis modules (predecessor §12.1, §12.2); also their `module` name in `analysis_module_versions`. */
export const ANALYSIS_KINDS = ['market_analysis', 'trade_performance'] as const;
/** One of `ANALYSIS_KINDS`. */
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

/** True when `value` names an analysis module kind. */
export function isAnalysisKind(value: unknown): value is AnalysisKind {
  return typeof value === 'string' && (ANALYSIS_KINDS as readonly string[]).includes(value);
}

/** Upper bounds of what the host fetches for one run (rows, or days for windows). */
export interface AnalysisBounds {
  /** Window of each candle series before `nowMs`, ms: 5m, 1h, 1d. */
  readonly window5mMs: number;
  readonly window1hMs: number;
  readonly window1dMs: number;
  /** Most candles per series (the newest are kept). */
  readonly maxCandlesPerSeries: number;
  /** Most symbols whose candles are fetched (the first by name). */
  readonly maxSymbols: number;
  /** Newest closed trades. */
  readonly maxTrades: number;
  /** Signals of this many ms before `nowMs`, at most `maxSignals` (newest). */
  readonly signalWindowMs: number;
  readonly maxSignals: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Default bounds: 24 h of 5m, 8 days of 1h, 90 days of 1d, 20 symbols, 2000 trades, 30 days / 20 000 signals. */
export const DEFAULT_ANALYSIS_BOUNDS: AnalysisBounds = Object.freeze({
  window5mMs: DAY,
  window1hMs: 8 * DAY,
  window1dMs: 90 * DAY,
  maxCandlesPerSeries: 2000,
  maxSymbols: 20,
  maxTrades: 2000,
  signalWindowMs: 30 * DAY,
  maxSignals: 20_000,
});

/** `market_analysis`'s datasets. */
export interface MarketAnalysisData {
  /** Every stored (symbol, timeframe) series: rows, earliest and latest ts_open. */
  readonly coverage: readonly AnalysisCoverage[];
  /** Per symbol, the candles of each timeframe within its window before `nowMs`, oldest first. */
  readonly candles: Readonly<Record<string, { readonly '5m': readonly AnalysisCandle[]; readonly '1h': readonly AnalysisCandle[]; readonly '1d': readonly AnalysisCandle[] }>>;
  readonly scans: AnalysisScanStats;
}

/** `trade_performance`'s datasets. */
export interface TradePerformanceData {
  /** The newest closed trades, oldest first. */
  readonly trades: readonly AnalysisTrade[];
  /** Signals of the signal window, oldest first. */
  readonly signals: readonly AnalysisSignal[];
  readonly openPositions: readonly AnalysisPosition[];
  /** Latest fee tier per symbol. */
  readonly fees: readonly AnalysisFee[];
  /** The newest close per symbol (from the newest 5m, else 1h, else 1d candle), for unrealized P&L. */
  readonly lastPrices: Readonly<Record<string, number>>;
}

/** What `analyze(data, context)` receives as `context`. */
export interface AnalysisContext {
  readonly kind: AnalysisKind;
  /** The run's time, ms since epoch UTC (modules have no clock). */
  readonly nowMs: number;
  readonly bounds: AnalysisBounds;
}

/** Data and context of one run: `analyze(data, context)`. */
export type AnalysisInput =
  | { readonly kind: 'market_analysis'; readonly data: MarketAnalysisData; readonly context: AnalysisContext }
  | { readonly kind: 'trade_performance'; readonly data: TradePerformanceData; readonly context: AnalysisContext };

/** Fetches the datasets of `kind` at `nowMs` through `port`, within `bounds`. Throws only what the port throws. */
export function collectAnalysisInput(kind: AnalysisKind, port: AnalysisReadPort, nowMs: number, bounds: AnalysisBounds = DEFAULT_ANALYSIS_BOUNDS): AnalysisInput {
  const context: AnalysisContext = { kind, nowMs, bounds };
  const coverage = port.candleCoverage();
  const symbols = [...new Set(coverage.map((c) => c.symbol))].sort().slice(0, bounds.maxSymbols);
  if (kind === 'market_analysis') {
    const candles: Record<string, MarketAnalysisData['candles'][string]> = {};
    const end = nowMs + 1;
    for (const s of symbols) {
      candles[s] = {
        '5m': port.candles(s, '5m', nowMs - bounds.window5mMs, end, bounds.maxCandlesPerSeries),
        '1h': port.candles(s, '1h', nowMs - bounds.window1hMs, end, bounds.maxCandlesPerSeries),
        '1d': port.candles(s, '1d', nowMs - bounds.window1dMs, end, bounds.maxCandlesPerSeries),
      };
    }
    return { kind, data: { coverage, candles, scans: port.scanStats(nowMs) }, context };
  }
  const lastPrices: Record<string, number> = {};
  for (const s of symbols) {
    for (const tf of ['5m', '1h', '1d'] as const) {
      const last = port.candles(s, tf, 0, nowMs + 1, 1)[0];
      if (last !== undefined) {
        lastPrices[s] = last.close;
        break;
      }
    }
  }
  return {
    kind,
    data: {
      trades: port.trades(nowMs, bounds.maxTrades),
      signals: port.signals(nowMs - bounds.signalWindowMs, nowMs, bounds.maxSignals),
      openPositions: port.openPositions(),
      fees: port.latestFees(),
      lastPrices,
    },
    context,
  };
}
