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
import { fromString } from '../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../domain/pipeline/index.ts';
import type { StrategyRunner } from '../domain/ports/index.ts';
import { type BacktestRequest, backtestMarkets, reportJson, runBacktestReport } from '../supervisor/backtest/index.ts';
import type { SynchronousAnalyze } from '../supervisor/backtest/engine.ts';
import { createInProcessRunner, readStrategySource } from '../strategies/in-process/index.ts';
import { V001_SOURCE_PATH } from '../strategies/v001/index.ts';
import { BENCH_FILES, readSeries } from './data.ts';

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
const series = Object.entries(BENCH_FILES).map(([symbol, file]) => readSeries(symbol, file));
const symbols = series.map((s) => s.symbol);
const candles = Object.fromEntries(series.map((s) => [s.symbol, s.candles]));
const total = series.reduce((n, s) => n + s.candles.length, 0);
const source = await readStrategySource(V001_SOURCE_PATH, 'v001');
if (!source.ok) throw new Error(source.reason);
const request: BacktestRequest = {
  symbols,
  candles,
  fromMs: Date.UTC(2024, 0, 1),
  toMs: Date.UTC(2025, 0, 1),
  warmupMs: 0,
  settings: {
    markets: backtestMarkets(symbols, { 'BTC/USD': fromString('0.0001'), 'ETH/USD': fromString('0.0002'), 'SOL/USD': fromString('0.0005') }),
    limits: {
      maxPositionPct: 0.25, maxPositions: 18, maxDailyLossPct: 0.1, maxDailyTrades: 20, maxTradePct: 0.1, defaultTradePct: 0.06,
      defaultStopLossPct: 0.03, defaultTakeProfitPct: 0.09, killSwitch: false, maxDrawdownPct: 0.4, rollbackDailyLossPct: 0.15,
      rollbackConsecutiveLosses: 999, dailyLossIncludesUnrealized: true,
    },
    timeZone: opt('--tz') ?? 'UTC',
    fees: KRAKEN_PRO_FEE_SCHEDULE,
    slippage: fromString('0.0005'),
    tagPrefix: 'bt',
  },
  startingCapital: fromString('10000'),
  strategy: { version: source.source.version, code: source.source.code, hash: source.source.hash, source: 'v001' },
  seed: 1,
  folds: Number(opt('--folds') ?? 0),
  makeRunner: args.includes('--null-strategy') ? () => nullRunner() : (seed) => createInProcessRunner({ seed }),
  feeModel: 'kraken-pro-tiered',
};
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
