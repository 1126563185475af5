/**
 * Not part of `npm run bench`: a small driver for profiling and for checking that the report stays
 * byte-identical across engine changes.
 *
 *   node --import tsx bench/profile-driver.ts [--out FILE] [--repeats N] [--folds N] [--tz ZONE] [--null-strategy] [--mem]
 *     [--profile-from K --profile-out FILE]
 *
 * Runs v001 in-process on the benchmark data (2024 × BTC/ETH/SOL, as bench/backtest.bench.ts),
 * prints the wall and CPU time of each run, and with `--out` writes the full JSON report of the last run.
 * `--profile-from K --profile-out FILE` records a CPU profile of runs K… (after the JIT warm-up).
 * `--mem` (with node --expose-gc) prints heap and RSS after each run.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { StrategyRunner } from '../domain/ports/index.ts';
import { reportJson, runBacktestReport } from '../supervisor/backtest/index.ts';
import type { SynchronousAnalyze } from '../supervisor/backtest/engine.ts';
import { benchBacktest } from './request.ts';

const args = process.argv.slice(2);

/**
 * `--null-strategy`: a runner that never trades and answers at once (the engine's floor: stepping,
 * causal views, market pipeline, collector and report, without strategy, parsing or bookings).
 */
function nullRunner(): StrategyRunner & SynchronousAnalyze {
  const none = { ok: true, value: { rawSignals: [], regime: null } } as const;
  const done = { ok: true, value: undefined } as const;
  return {
    load: async () => ({ ok: true, value: { scanIntervalMinutes: 5 } }),
    analyze: async () => none,
    notify: async () => done,
    getState: async () => ({ ok: true, value: null }),
    close: async () => {},
    analyzeNow: () => none,
    notifyNow: () => done,
  } as unknown as StrategyRunner & SynchronousAnalyze;
}
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const { totalCandles: total, request } = await benchBacktest({
  timeZone: opt('--tz') ?? 'UTC',
  folds: Number(opt('--folds') ?? 0),
  ...(args.includes('--null-strategy') ? { makeRunner: () => nullRunner() } : {}),
});
const repeats = Number(opt('--repeats') ?? 3);
const profileFrom = opt('--profile-from');
const profileOut = opt('--profile-out') ?? 'backtest.cpuprofile';
let session: Session | null = null;
let last = '';
for (let k = 0; k < repeats; k++) {
  if (profileFrom !== undefined && k === Number(profileFrom)) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runBacktestReport(request);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (!r.ok) throw new Error(r.reason);
  last = reportJson(r.report);
  if (args.includes('--mem')) {
    const m = process.memoryUsage();
    (globalThis as { gc?: () => void }).gc?.();
    const g = process.memoryUsage();
    process.stdout.write(`  rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB (after gc ${(g.heapUsed / 2 ** 20).toFixed(0)}), external ${(m.external / 2 ** 20).toFixed(0)} MiB\n`);
  }
  process.stdout.write(`run ${k}: ${ms.toFixed(0)} ms, ${Math.round((total / ms) * 1000).toLocaleString('en-US')} candles/s (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)\n`);
}
if (session !== null) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileOut, JSON.stringify(profile));
  session.disconnect();
}
process.stdout.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`);
const out = opt('--out');
if (out) writeFileSync(out, last);
