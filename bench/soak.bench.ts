/**
 * Soak: 30 simulated days of the backtest pipeline (v001, 3 symbols, real 5m candles of March
 * 2024) run the way a long-lived process runs it — yielding to the event loop after every step —
 * while the event-loop delay is monitored. RSS and V8 heap are sampled at every simulated midnight
 * (no forced GC inside the monitored run); the RSS growth is measured from the end of day 1
 * (everything warmed up) to the end of day 30, and the heap after a full GC before and after the
 * run shows whether anything is retained. Budget (DESIGN.md §8): RSS growth ≤ 5 %, no event-loop
 * stall > 50 ms.
 *
 * Two stall figures, both after day 1: the event-loop delay as `monitorEventLoopDelay` sees it,
 * and the longest single step (the time our code held the loop between two yields, wall clock). On a shared box
 * both include time other processes held the CPU; the load average is recorded with them.
 */
import os from 'node:os';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fromString } from '../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../domain/pipeline/index.ts';
import { backtestMarkets, runBacktest } from '../supervisor/backtest/index.ts';
import { createInProcessRunner, readStrategySource } from '../strategies/in-process/index.ts';
import { V001_SOURCE_PATH } from '../strategies/v001/index.ts';
import { BENCH_FILES, readSeries } from './data.ts';

const DAY = 86_400_000;

/** A full GC (exposes `gc` at run time, so the benchmark needs no node flag). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Runs the soak; returns the results document. */
export async function soakBench(): Promise<Record<string, unknown>> {
  const from = Date.UTC(2024, 2, 1);
  const days = 30;
  const to = from + days * DAY;
  const symbols = Object.keys(BENCH_FILES);
  const candles = Object.fromEntries(symbols.map((s) => [s, readSeries(s, BENCH_FILES[s]!).candles.filter((c) => c.tsOpen >= from - 30 * DAY && c.tsOpen < to)]));
  const source = await readStrategySource(V001_SOURCE_PATH, 'v001');
  if (!source.ok) throw new Error(source.reason);
  const samples: { day: number; rssMiB: number; heapMiB: number }[] = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let nextDay = from + DAY;
  let longestStepMs = 0;
  // Let the garbage of parsing three full-year files go back to the OS before the first sample.
  collect();
  await new Promise((resolve) => setTimeout(resolve, 500));
  collect();
  const heapStart = process.memoryUsage().heapUsed;
  let stepStarted = performance.now();
  const t0 = performance.now();
  const run = await runBacktest(
    {
      symbols,
      candles,
      fromMs: from,
      toMs: to,
      warmupMs: 30 * DAY,
      settings: { markets: backtestMarkets(symbols), limits: { maxPositionPct: 0.25, maxPositions: 18, maxDailyLossPct: 0.1, maxDailyTrades: 20, maxTradePct: 0.1, defaultTradePct: 0.06, defaultStopLossPct: 0.03, defaultTakeProfitPct: 0.09, killSwitch: false, maxDrawdownPct: 0.4, rollbackDailyLossPct: 0.15, rollbackConsecutiveLosses: 999, dailyLossIncludesUnrealized: true }, timeZone: 'UTC', fees: KRAKEN_PRO_FEE_SCHEDULE, slippage: fromString('0.0005'), tagPrefix: 'bt' },
      startingCapital: fromString('10000'),
      strategy: { version: 'v001', code: source.source.code },
    },
    createInProcessRunner(),
    {
      afterStep: async (nowMs) => {
        if (samples.length > 0) longestStepMs = Math.max(longestStepMs, performance.now() - stepStarted); // after day 1 (warm-up, JIT)
        if (nowMs >= nextDay) {
          nextDay += DAY;
          const m = process.memoryUsage();
          samples.push({ day: samples.length + 1, rssMiB: Math.round((m.rss / 2 ** 20) * 10) / 10, heapMiB: Math.round((m.heapUsed / 2 ** 20) * 10) / 10 });
          if (samples.length === 1) delay.enable(); // stalls are measured after day 1 (warm-up, JIT), like the longest step
        }
        await yieldNow();
        stepStarted = performance.now();
      },
    },
  );
  delay.disable();
  const elapsed = performance.now() - t0;
  const heapBefore = Math.round((heapStart / 2 ** 20) * 10) / 10;
  collect();
  const heapAfter = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const growth = (last.rssMiB - first.rssMiB) / first.rssMiB;
  return {
    name: 'soak',
    simulatedDays: days,
    steps: run.steps,
    trades: run.collector.trades.length,
    wallSeconds: Math.round(elapsed / 100) / 10,
    rss: { afterDay1MiB: first.rssMiB, afterDay30MiB: last.rssMiB, growthPct: Math.round(growth * 10000) / 100, budgetPct: 5, met: growth <= 0.05 },
    heapAfterFullGcMiB: { before: heapBefore, after: heapAfter },
    eventLoopDelayMs: { p99: Math.round(delay.percentile(99) / 1e4) / 100, max: Math.round(delay.max / 1e4) / 100, budgetMs: 50, met: delay.max / 1e6 <= 50 },
    longestStepMs: Math.round(longestStepMs * 100) / 100,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    samples,
  };
}
