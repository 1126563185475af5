/**
 * A complete backtest: the whole range, plus walk-forward folds when asked, each window with a
 * fresh strategy runner, assembled into one report. Deterministic: the report depends only on
 * the request (no clock, no paths resolved here).
 */
import type { RiskLimits } from '../../domain/contract/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { TruthMetrics } from '../../domain/metrics/index.ts';
import { type Fixed, toString } from '../../domain/money/index.ts';
import { DEFAULT_LIMIT_ORDER_TTL_MS, type PipelineSettings } from '../../domain/pipeline/index.ts';
import type { StrategyRunner } from '../../domain/ports/index.ts';
import { type BacktestHooks, type BacktestRun, countWindowSteps, runBacktest } from './engine.ts';
import { type WindowReport, iso, windowReport } from './report.ts';
import { chainedMetrics, foldWindows } from './walk-forward.ts';

/** Everything a backtest needs. */
export interface BacktestRequest {
  readonly symbols: readonly string[];
  /** 5m candles per symbol, oldest first, covering [fromMs − warmupMs, toMs). */
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
  readonly fromMs: number;
  readonly toMs: number;
  readonly warmupMs: number;
  readonly settings: PipelineSettings;
  readonly startingCapital: Fixed;
  readonly strategy: { readonly version: string; readonly code: string; readonly hash: string; readonly source: string };
  /** Seed of the strategy's `Math.random`. */
  readonly seed: number;
  /** Walk-forward folds (0: none). */
  readonly folds: number;
  /** A fresh runner per window (closed after it). */
  readonly makeRunner: (seed: number) => StrategyRunner;
  /** How the fees were configured, for the report ("kraken-pro-tiered" or "flat"). */
  readonly feeModel: string;
}

/** One walk-forward window's report. */
export interface FoldReport {
  readonly fold: number;
  readonly inSample: WindowReport;
  readonly outOfSample: WindowReport;
}

/** The full report. `formatVersion` changes when fields change meaning. */
export interface BacktestReport extends WindowReport {
  readonly kind: 'brain.backtest';
  readonly formatVersion: 1;
  readonly strategy: { readonly version: string; readonly hash: string; readonly source: string };
  readonly symbols: readonly string[];
  readonly settings: {
    readonly startingCapital: string;
    readonly seed: number;
    readonly timeZone: string;
    readonly warmupDays: number;
    readonly slippage: string;
    readonly feeModel: string;
    readonly feeTiers: readonly { readonly minVolume: string; readonly makerPct: string; readonly takerPct: string }[];
    readonly limitFillRule: string;
    readonly limitOrderTtlMinutes: number;
    readonly markets: Readonly<Record<string, { readonly spread: string; readonly lotDecimals: number; readonly pairDecimals: number; readonly tickSize: string | null; readonly orderMin: string; readonly costMin: string }>>;
    readonly limits: RiskLimits;
  };
  readonly walkForward: {
    readonly folds: number;
    readonly scheme: 'rolling';
    readonly windows: readonly FoldReport[];
    /** The out-of-sample windows chained into one record (see walk-forward.ts). */
    readonly outOfSample: { readonly from: string; readonly to: string; readonly metrics: TruthMetrics };
  } | null;
}

/**
 * Runs the request. Returns the report, or the reason the strategy could not be loaded. Throws
 * `BacktestSpecError` / `PipelineConfigError` for an unusable request (a caller bug).
 */
export async function runBacktestReport(request: BacktestRequest, hooks: BacktestHooks = {}): Promise<{ ok: true; report: BacktestReport } | { ok: false; reason: string }> {
  const windows: { fromMs: number; toMs: number }[] = [{ fromMs: request.fromMs, toMs: request.toMs }];
  let folds: ReturnType<typeof foldWindows> | null = null;
  if (request.folds > 0) {
    folds = foldWindows(request.fromMs, request.toMs, request.folds);
    if (!folds.ok) return folds;
    for (const f of folds.folds) windows.push(f.inSample, f.outOfSample);
  }
  // Step counts only feed the progress callback: counting walks every candle, so skip it without one.
  const totals = hooks.onProgress ? windows.map((w) => countWindowSteps(request.candles, request.symbols, w.fromMs, w.toMs)) : windows.map(() => 0);
  const total = totals.reduce((a, b) => a + b, 0);
  let before = 0;
  const runs: BacktestRun[] = [];
  for (let w = 0; w < windows.length; w++) {
    const window = windows[w]!;
    const runner = request.makeRunner(request.seed);
    try {
      const offset = before;
      const run = await runBacktest(
        {
          symbols: request.symbols,
          candles: request.candles,
          fromMs: window.fromMs,
          toMs: window.toMs,
          warmupMs: request.warmupMs,
          settings: request.settings,
          startingCapital: request.startingCapital,
          strategy: request.strategy,
        },
        runner,
        { ...hooks, ...(hooks.onProgress ? { onProgress: (done: number) => hooks.onProgress!(offset + done, total) } : {}) },
      );
      if (run.loadFailure !== null) return { ok: false, reason: run.loadFailure };
      runs.push(run);
    } finally {
      await runner.close();
    }
    before += totals[w]!;
  }
  const main = windowReport(runs[0]!);
  const s = request.settings;
  const markets: Record<string, BacktestReport['settings']['markets'][string]> = {};
  for (const m of s.markets) {
    markets[m.symbol] = {
      spread: toString(m.spread),
      lotDecimals: m.rules.lotDecimals,
      pairDecimals: m.rules.pairDecimals,
      tickSize: m.rules.tickSize === undefined ? null : toString(m.rules.tickSize),
      orderMin: toString(m.rules.orderMin),
      costMin: toString(m.rules.costMin),
    };
  }
  let walkForward: BacktestReport['walkForward'] = null;
  if (folds !== null && folds.ok) {
    const windowsOut: FoldReport[] = folds.folds.map((f, k) => ({ fold: f.fold, inSample: windowReport(runs[1 + 2 * k]!), outOfSample: windowReport(runs[2 + 2 * k]!) }));
    const oos = runs.filter((_, i) => i > 0 && i % 2 === 0);
    walkForward = {
      folds: request.folds,
      scheme: 'rolling',
      windows: windowsOut,
      outOfSample: { from: iso(folds.folds[0]!.outOfSample.fromMs), to: iso(request.toMs), metrics: chainedMetrics(oos) },
    };
  }
  const report: BacktestReport = {
    kind: 'brain.backtest',
    formatVersion: 1,
    strategy: { version: request.strategy.version, hash: request.strategy.hash, source: request.strategy.source },
    symbols: [...request.symbols],
    settings: {
      startingCapital: toString(request.startingCapital),
      seed: request.seed,
      timeZone: s.timeZone,
      warmupDays: request.warmupMs / 86_400_000,
      slippage: toString(s.slippage),
      feeModel: request.feeModel,
      feeTiers: s.fees.map((t) => ({ minVolume: toString(t.minVolume), makerPct: toString(t.makerPct), takerPct: toString(t.takerPct) })),
      limitFillRule: s.limitFillRule ?? 'through',
      limitOrderTtlMinutes: (s.limitOrderTtlMs ?? DEFAULT_LIMIT_ORDER_TTL_MS) / 60_000,
      markets,
      limits: s.limits,
    },
    ...main,
    walkForward,
  };
  return { ok: true, report };
}

/**
 * The report as JSON text: 2-space indented, non-finite numbers written as strings ("Infinity",
 * "NaN"; JSON has none), so the same report always gives the same bytes.
 */
export function reportJson(report: BacktestReport): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2);
}
