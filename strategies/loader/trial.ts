/**
 * A trial run: the strategy is loaded into a sandboxed runner and called once per closed 5m candle
 * over a data set; every call's outcome and every signal (parsed with `parseStrategyOutput`) is
 * counted. Signals are not executed: the portfolio stays flat. This answers "does it load, run
 * within its limits and produce valid output", not "does it make money" (that is the backtest).
 */
import { type Portfolio, type RiskLimits, parseStrategyOutput } from '../../domain/contract/index.ts';
import type { StrategyFailure, StrategyRunner, TickMarket } from '../../domain/ports/strategy.ts';
import { FIVE_MINUTES_MS, type TrialDataset } from './data.ts';

/** How many candles per symbol are given as history at load (the rest are analyze calls). */
export const TRIAL_WARMUP_CANDLES = 200;
/** A data set's run stops after this many failed calls. */
export const TRIAL_MAX_FAILURES = 3;
/** Distinct invalid-signal reasons kept per data set. */
export const TRIAL_MAX_REASONS = 10;

/** Predecessor REF limits (§21): the limits a trial strategy is initialised with by default. */
export const TRIAL_LIMITS: RiskLimits = Object.freeze({
  maxPositionPct: 0.25,
  maxPositions: 5,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.05,
  defaultStopLossPct: 0.02,
  defaultTakeProfitPct: 0.04,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 5,
  dailyLossIncludesUnrealized: true,
});

/** The flat portfolio every trial call sees (quote currency). */
export const TRIAL_PORTFOLIO: Portfolio = Object.freeze({ cash: 10_000, totalValue: 10_000, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 });

/** One failed call of a trial. `atMs` is the tick time (ms UTC), null for load. */
export interface TrialFailure {
  readonly call: 'load' | 'analyze';
  readonly atMs: number | null;
  readonly kind: StrategyFailure['kind'];
  readonly reason: string;
}

/** The outcome of one data set. */
export interface TrialDatasetReport {
  readonly name: string;
  readonly symbols: readonly string[];
  /** analyze calls made (successful or not). */
  readonly calls: number;
  readonly signals: number;
  readonly invalidSignals: number;
  /** Distinct invalid-signal / invalid-output reasons with how often each occurred (at most `TRIAL_MAX_REASONS`). */
  readonly invalidReasons: readonly { readonly reason: string; readonly count: number }[];
  readonly failures: readonly TrialFailure[];
  /** Set when the run stopped early (failure cap). */
  readonly stoppedEarly: string | null;
  readonly elapsedMs: number;
}

/** Options of `runTrial`. */
export interface TrialOptions {
  readonly version: string;
  readonly limits?: RiskLimits;
  /** Stops after this many analyze calls (default: every candle after the warm-up). */
  readonly maxCalls?: number;
  /** Wall clock for `elapsedMs` only (default `performance.now`). */
  readonly now?: () => number;
}

/** Sum of the last 288 volumes (24 h of 5m candles) ending at index `i`. */
function volume24h(candles: readonly { volume: number }[], i: number): number {
  let v = 0;
  for (let k = Math.max(0, i - 287); k <= i; k++) v += candles[k]!.volume;
  return v;
}

/**
 * Runs `code` (JavaScript) over `dataset` on `runner` (loaded afresh; the caller closes it).
 * Never throws for a strategy fault: failures are in the report.
 */
export async function runTrial(runner: StrategyRunner, code: string, dataset: TrialDataset, options: TrialOptions): Promise<TrialDatasetReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const symbols = Object.keys(dataset.candles);
  const length = Math.min(...symbols.map((s) => dataset.candles[s]!.length));
  const warmup = Math.min(TRIAL_WARMUP_CANDLES, Math.floor(length / 4));
  const failures: TrialFailure[] = [];
  const reasons = new Map<string, number>();
  let calls = 0;
  let signals = 0;
  let invalid = 0;
  let stoppedEarly: string | null = null;
  const noteInvalid = (reason: string): void => {
    invalid++;
    if (reasons.has(reason)) reasons.set(reason, reasons.get(reason)! + 1);
    else if (reasons.size < TRIAL_MAX_REASONS) reasons.set(reason, 1);
  };
  const history: Record<string, { '5m': (typeof dataset.candles)[string] }> = {};
  for (const s of symbols) history[s] = { '5m': dataset.candles[s]!.slice(0, warmup) };
  const loaded = await runner.load({ version: options.version, code, limits: options.limits ?? TRIAL_LIMITS, symbols, history });
  if (!loaded.ok) {
    failures.push({ call: 'load', atMs: null, kind: loaded.error.kind, reason: loaded.error.reason });
    stoppedEarly = 'the strategy did not load';
  } else {
    const last = options.maxCalls === undefined ? length : Math.min(length, warmup + options.maxCalls);
    for (let i = warmup; i < last; i++) {
      const markets: Record<string, TickMarket> = {};
      const prices: Record<string, number> = {};
      for (const s of symbols) {
        const c = dataset.candles[s]![i]!;
        prices[s] = c.close;
        markets[s] = { price: c.close, spread: 0.001, volume24h: volume24h(dataset.candles[s]!, i), makerFeePct: 0.25, takerFeePct: 0.4, newCandles: { '5m': [c] } };
      }
      const nowMs = dataset.candles[symbols[0]!]![i]!.tsOpen + FIVE_MINUTES_MS;
      calls++;
      const r = await runner.analyze({ nowMs, markets, portfolio: TRIAL_PORTFOLIO });
      if (!r.ok) {
        failures.push({ call: 'analyze', atMs: nowMs, kind: r.error.kind, reason: r.error.reason });
        if (failures.length >= TRIAL_MAX_FAILURES) {
          stoppedEarly = `stopped after ${TRIAL_MAX_FAILURES} failed calls`;
          break;
        }
        continue;
      }
      const parsed = parseStrategyOutput(r.value.rawSignals, { symbols, prices });
      if (!parsed.ok) {
        noteInvalid(parsed.reason);
        continue;
      }
      for (const p of parsed.results) {
        signals++;
        if (!p.ok) noteInvalid(p.reason);
      }
    }
  }
  return {
    name: dataset.name,
    symbols,
    calls,
    signals,
    invalidSignals: invalid,
    invalidReasons: [...reasons].map(([reason, count]) => ({ reason, count })),
    failures,
    stoppedEarly,
    elapsedMs: Math.round(now() - started),
  };
}
