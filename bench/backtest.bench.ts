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
import { runBacktest, runBacktestReport } from '../supervisor/backtest/index.ts';
import { createInProcessRunner } from '../strategies/in-process/index.ts';
import { type BaselineTrades, grademark, grademarkInput, handLoop } from './baselines.ts';
import { BENCH_FILES } from './data.ts';
import { benchBacktest } from './request.ts';

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
  const { series, symbols, totalCandles, request } = await benchBacktest();
  const candles = request.candles;

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
