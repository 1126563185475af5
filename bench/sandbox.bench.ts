/**
 * Sandbox cost (issue 7 §9): v001 in the QuickJS sandbox (a runner process per strategy, through
 * `createSandboxedStrategyRunner`) against the same strategy in-process, on real 5m candles of
 * BTC/ETH/SOL (../shared/data, 2024):
 *
 * - call overhead per timestamp: one `analyze` for 3 symbols, each carrying its one new 5m candle,
 *   after 2 days of history; p50/p99/max µs over `calls` consecutive timestamps, both runners;
 * - backtest throughput with the sandbox on: v001 through the full pipeline (runBacktestReport)
 *   over 30 days × 3 symbols, candles/s (median of `repeats`), and the in-process figure for the
 *   same window.
 *
 * Not a test: nothing asserts a time. Run alone with `npx tsx bench/sandbox.bench.ts [repeats]`.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Candle } from '../domain/market/index.ts';
import { fromString } from '../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../domain/pipeline/index.ts';
import type { StrategyRunner, StrategyTick } from '../domain/ports/strategy.ts';
import { type BacktestRequest, backtestMarkets, runBacktestReport } from '../supervisor/backtest/index.ts';
import { createInProcessRunner, readStrategySource } from '../strategies/in-process/index.ts';
import { createSandboxedStrategyRunner } from '../strategies/sandbox/index.ts';
import { V001_SOURCE_PATH } from '../strategies/v001/index.ts';
import { BENCH_FILES, readSeries } from './data.ts';
import { BENCH_LIMITS } from './request.ts';

const LIMITS = BENCH_LIMITS;
const PORTFOLIO = { cash: 10_000, totalValue: 10_000, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 };
const HISTORY = 576; // 2 days of 5m candles
const DAY = 86_400_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const micros = (ms: number) => Math.round(ms * 1000 * 10) / 10;

/** Per-call latency of `runner` over `calls` timestamps after HISTORY candles of history. */
async function perCall(runner: StrategyRunner, code: string, candles: Record<string, Candle[]>, calls: number): Promise<{ p50: number; p99: number; max: number; mean: number; failures: number }> {
  const symbols = Object.keys(candles);
  const history = Object.fromEntries(symbols.map((s) => [s, { '5m': candles[s]!.slice(0, HISTORY) }]));
  const loaded = await runner.load({ version: 'v001', code, limits: LIMITS, symbols, history });
  if (!loaded.ok) throw new Error(`load failed: ${loaded.error.reason}`);
  const times: number[] = [];
  let failures = 0;
  for (let i = HISTORY; i < HISTORY + calls; i++) {
    const markets: Record<string, StrategyTick['markets'][string]> = {};
    for (const s of symbols) {
      const c = candles[s]![i]!;
      markets[s] = { price: c.close, spread: 0.0002, volume24h: 1000, makerFeePct: 0.25, takerFeePct: 0.4, newCandles: { '5m': [c] } };
    }
    const tick: StrategyTick = { nowMs: candles[symbols[0]!]![i]!.tsOpen + 300_000, markets, portfolio: PORTFOLIO };
    const t0 = performance.now();
    const r = await runner.analyze(tick);
    times.push(performance.now() - t0);
    if (!r.ok) failures++;
  }
  await runner.close();
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: micros(percentile(sorted, 0.5)), p99: micros(percentile(sorted, 0.99)), max: micros(sorted[sorted.length - 1]!), mean: micros(times.reduce((a, b) => a + b, 0) / times.length), failures };
}

/** Runs the benchmark; returns the results document. */
export async function sandboxBench(options: { repeats: number; calls?: number; days?: number }): Promise<Record<string, unknown>> {
  const calls = options.calls ?? 2000;
  const days = options.days ?? 30;
  const series = Object.entries(BENCH_FILES).map(([symbol, file]) => readSeries(symbol, file));
  const symbols = series.map((s) => s.symbol);
  const source = await readStrategySource(V001_SOURCE_PATH, 'v001');
  if (!source.ok) throw new Error(source.reason);
  const code = source.source.code;

  // 1. Call overhead per timestamp (3 symbols).
  const all = Object.fromEntries(series.map((s) => [s.symbol, s.candles]));
  await perCall(createInProcessRunner(), code, all, 200); // warm-up
  const inProcess = await perCall(createInProcessRunner(), code, all, calls);
  const sandboxed = await perCall(createSandboxedStrategyRunner(), code, all, calls);

  // 2. Backtest throughput with the sandbox on, 30 days × 3 symbols.
  const fromMs = Date.UTC(2024, 0, 1);
  const toMs = fromMs + days * DAY;
  const window = Object.fromEntries(series.map((s) => [s.symbol, s.candles.filter((c) => c.tsOpen >= fromMs && c.tsOpen < toMs)]));
  const totalCandles = Object.values(window).reduce((n, cs) => n + cs.length, 0);
  const request = (sandbox: boolean): BacktestRequest => ({
    symbols,
    candles: window,
    fromMs,
    toMs,
    warmupMs: 0,
    settings: {
      markets: backtestMarkets(symbols, { 'BTC/USD': fromString('0.0001'), 'ETH/USD': fromString('0.0002'), 'SOL/USD': fromString('0.0005') }),
      limits: LIMITS,
      timeZone: 'UTC',
      fees: KRAKEN_PRO_FEE_SCHEDULE,
      slippage: fromString('0.0005'),
      tagPrefix: 'bt',
    },
    startingCapital: fromString('10000'),
    strategy: { version: source.source.version, code, hash: source.source.hash, source: 'v001' },
    seed: 1,
    folds: 0,
    makeRunner: (seed) => (sandbox ? createSandboxedStrategyRunner() : createInProcessRunner({ seed })),
    feeModel: 'kraken-pro-tiered',
  });
  const throughput = async (sandbox: boolean) => {
    const ms: number[] = [];
    let trades: number | null = null;
    for (let k = 0; k <= options.repeats; k++) {
      const t0 = performance.now();
      const r = await runBacktestReport(request(sandbox));
      const elapsed = performance.now() - t0;
      if (!r.ok) throw new Error(r.reason);
      trades = r.report.metrics.tradeCount;
      if (k > 0) ms.push(elapsed);
    }
    const m = median(ms);
    return { runsMs: ms.map(Math.round), medianMs: Math.round(m), candlesPerSecond: Math.round((totalCandles / m) * 1000), trades };
  };
  const backtestSandbox = await throughput(true);
  const backtestInProcess = await throughput(false);

  return {
    name: 'sandbox',
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    perCallMicros: {
      what: `one analyze() per timestamp, 3 symbols, one new 5m candle each, after ${HISTORY} candles of history; ${calls} calls`,
      sandbox: sandboxed,
      inProcess,
      overheadP50: Math.round((sandboxed.p50 - inProcess.p50) * 10) / 10,
    },
    backtest: {
      what: `v001, full pipeline + report, ${days} days × 3 symbols (${totalCandles} candles) from 2024-01-01`,
      sandbox: backtestSandbox,
      inProcess: backtestInProcess,
      sandboxToInProcess: Math.round((backtestSandbox.candlesPerSecond / backtestInProcess.candlesPerSecond) * 1000) / 1000,
      sameTrades: backtestSandbox.trades === backtestInProcess.trades,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const repeats = Number(process.argv[2] ?? 3);
  process.stdout.write(`${JSON.stringify(await sandboxBench({ repeats }), null, 2)}\n`);
}
