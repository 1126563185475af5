/**
 * Backtest throughput on one year × three symbols of real 5m candles (2024, Binance BTC/ETH/SOL
 * USDT mapped onto BTC/USD, ETH/USD, SOL/USD) with v001 through the full pipeline (risk checks,
 * fill model with per-symbol spread, tiered fees, ledger, triggers, report), in-process runner.
 * In the same process and on the same data: the hand-written Float64Array loop and grademark
 * 0.3.0 running the same rules; our throughput is printed as a ratio to each. Also per-decision
 * latency (one step = one 5m close of all three symbols: market + strategy + decision) and peak
 * RSS.
 *
 * Timing: each case runs once untimed (JIT warm-up), then `repeats` times; the median is
 * reported. This machine is shared and noisy (reference/performance.md: ±20 %), which is why the
 * ratios to baselines measured in the same run matter more than absolute figures.
 */
import os from 'node:os';
import { fromString } from '../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../domain/pipeline/index.ts';
import { type BacktestRequest, backtestMarkets, runBacktest, runBacktestReport } from '../supervisor/backtest/index.ts';
import { createInProcessRunner, readStrategySource } from '../strategies/in-process/index.ts';
import { V001_SOURCE_PATH } from '../strategies/v001/index.ts';
import { type BaselineTrades, grademark, grademarkInput, handLoop } from './baselines.ts';
import { BENCH_FILES, type Series, readSeries } from './data.ts';

/** The seed limits of brain.toml (risk defaults), as the fund would run v001. */
const LIMITS = {
  maxPositionPct: 0.25,
  maxPositions: 18,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.06,
  defaultStopLossPct: 0.03,
  defaultTakeProfitPct: 0.09,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 999,
  dailyLossIncludesUnrealized: true,
} as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** Wall time and CPU time (user + system, this process, all threads: GC helpers included). */
async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

/** Runs the benchmark; returns the results document. */
export async function backtestBench(options: { repeats: number }): Promise<Record<string, unknown>> {
  const series: Series[] = Object.entries(BENCH_FILES).map(([symbol, file]) => readSeries(symbol, file));
  const symbols = series.map((s) => s.symbol);
  const candles = Object.fromEntries(series.map((s) => [s.symbol, s.candles]));
  const totalCandles = series.reduce((n, s) => n + s.candles.length, 0);
  const source = await readStrategySource(V001_SOURCE_PATH, 'v001');
  if (!source.ok) throw new Error(source.reason);
  const request: BacktestRequest = {
    symbols,
    candles,
    fromMs: Date.UTC(2024, 0, 1),
    toMs: Date.UTC(2025, 0, 1),
    warmupMs: 0,
    settings: {
      // per-symbol spreads of 1, 2 and 5 bp, as in reference/performance.md §B2
      markets: backtestMarkets(symbols, { 'BTC/USD': fromString('0.0001'), 'ETH/USD': fromString('0.0002'), 'SOL/USD': fromString('0.0005') }),
      limits: LIMITS,
      timeZone: 'UTC',
      fees: KRAKEN_PRO_FEE_SCHEDULE,
      slippage: fromString('0.0005'),
      tagPrefix: 'bt',
    },
    startingCapital: fromString('10000'),
    strategy: { version: source.source.version, code: source.source.code, hash: source.source.hash, source: 'v001' },
    seed: 1,
    folds: 0,
    makeRunner: (seed) => createInProcessRunner({ seed }),
    feeModel: 'kraken-pro-tiered',
  };

  // Ours, end to end (load, every step, the full report).
  let report = null as Awaited<ReturnType<typeof runBacktestReport>> | null;
  const oursMs: number[] = [];
  const oursCpuMs: number[] = [];
  for (let k = 0; k <= options.repeats; k++) {
    const r = await timeAsync(() => runBacktestReport(request));
    if (!r.value.ok) throw new Error(r.value.reason);
    report = r.value;
    if (k > 0) {
      oursMs.push(r.ms);
      oursCpuMs.push(r.cpuMs);
    }
  }
  const rep = report!.ok ? report!.report : null;
  const ours = median(oursMs);

  // Per-decision latency: a separate instrumented run (the clock reads cost time themselves).
  const instrumented = await runBacktest(
    { symbols, candles, fromMs: request.fromMs, toMs: request.toMs, warmupMs: 0, settings: request.settings, startingCapital: request.startingCapital, strategy: request.strategy },
    createInProcessRunner(),
    { clock: () => performance.now() },
  );
  const lat = Float64Array.from(instrumented.latencies!).sort();
  // Peak RSS of the backtester alone: taken before the baselines load grademark and data-forge.
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

  // The hand loop and grademark on the same series.
  const handMs: number[] = [];
  let hand: BaselineTrades[] = [];
  for (let k = 0; k <= options.repeats; k++) {
    const r = time(() => series.map(handLoop));
    hand = r.value;
    if (k > 0) handMs.push(r.ms);
  }
  const frames = series.map(grademarkInput);
  const gradeMs: number[] = [];
  let grade: BaselineTrades[] = [];
  for (let k = 0; k <= Math.max(1, Math.min(options.repeats, 3)); k++) {
    const r = time(() => frames.map(grademark));
    grade = r.value;
    if (k > 0) gradeMs.push(r.ms);
  }
  const handTime = median(handMs);
  const gradeTime = median(gradeMs);
  const perSecond = (ms: number): number => Math.round((totalCandles / ms) * 1000);

  return {
    name: 'backtest',
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    data: { files: Object.values(BENCH_FILES), symbols, candles: totalCandles, steps: instrumented.steps },
    ours: {
      what: 'v001 in-process, full pipeline + report, 2024 × 3 symbols',
      runsMs: oursMs.map((x) => Math.round(x)),
      medianMs: Math.round(ours),
      candlesPerSecond: perSecond(ours),
      cpuMs: oursCpuMs.map((x) => Math.round(x)),
      candlesPerCpuSecond: perSecond(median(oursCpuMs)),
      trades: rep?.metrics.tradeCount ?? null,
      fills: rep?.result.fills ?? null,
      finalEquity: rep?.result.finalEquity ?? null,
      halts: rep?.risk.halts ?? null,
    },
    latencyPerDecisionMicros: {
      p50: Math.round(percentile(lat, 0.5) * 1000 * 10) / 10,
      p99: Math.round(percentile(lat, 0.99) * 1000 * 10) / 10,
      p999: Math.round(percentile(lat, 0.999) * 1000 * 10) / 10,
      max: Math.round(lat[lat.length - 1]! * 1000 * 10) / 10,
    },
    handLoop: { runsMs: handMs.map((x) => Math.round(x * 10) / 10), medianMs: Math.round(handTime * 10) / 10, candlesPerSecond: perSecond(handTime), trades: hand.reduce((n, t) => n + t.trades, 0) },
    grademark: { version: '0.3.0', runsMs: gradeMs.map((x) => Math.round(x)), medianMs: Math.round(gradeTime), candlesPerSecond: perSecond(gradeTime), trades: grade.reduce((n, t) => n + t.trades, 0) },
    baselinesAgree: hand.every((h, i) => h.trades === grade[i]!.trades && Math.abs(h.sumReturns - grade[i]!.sumReturns) < 1e-9),
    ratios: { oursToHandLoop: Math.round((handTime / ours) * 10000) / 10000, oursToGrademark: Math.round((gradeTime / ours) * 100) / 100 },
    target: { candlesPerSecond: 1_500_000, met: perSecond(ours) >= 1_500_000 },
    peakRssMiB,
    peakRssNote: 'whole process (Node, tsx, the three parsed CSV files as objects and columns, the runs), before the baselines load',
  };
}
