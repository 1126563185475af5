/**
 * Measures the sandbox's costs for docs/adr/0001-sandbox-engine.md. Run with
 * `npx tsx strategies/sandbox/measure.ts`; prints one JSON object (µs per call unless named
 * otherwise; each figure is the median of 5 batches after a warm-up batch). Not a test: numbers
 * depend on the machine and its load, which are printed with them.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Ema } from '../../domain/indicators/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { buildSandboxAssets, compileQuickjsWasm } from './assets.ts';
import { SandboxEngine } from './engine/engine.ts';
import type { GuestAnalyzeInput, GuestLoadInput, WireCandle } from './engine/guest/wire.ts';
import { SandboxHost } from './host/host.ts';

const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'];
const LIMITS = {
  maxPositionPct: 0.25, maxPositions: 5, maxDailyLossPct: 0.1, maxDailyTrades: 20, maxTradePct: 0.1, defaultTradePct: 0.05,
  defaultStopLossPct: 0.02, defaultTakeProfitPct: 0.04, killSwitch: false, maxDrawdownPct: 0.4, rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 999, dailyLossIncludesUnrealized: true,
};
const PORTFOLIO = { cash: 200, totalValue: 200, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 };
const close = (i: number) => 100 + 10 * Math.sin(i / 15) + i / 50;
const candleAt = (i: number): Candle => ({ tsOpen: i * 300_000, open: close(i), high: close(i) + 0.5, low: close(i) - 0.5, close: close(i), volume: 10 });
const wire = (c: Candle): WireCandle => [c.tsOpen, c.open, c.high, c.low, c.close, c.volume];

const NOOP = `export function initialize() {}\nexport function analyze() { return []; }`;
/** EMA 9/21 crossover, incremental: one Ema update pair per new candle, per symbol. */
const EMA_CROSS = `import { Ema, indexAfter, crossedAbove } from 'trading-brain/toolkit';
const st = new Map();
export function initialize(limits, symbols) { for (const s of symbols) st.set(s, { f: new Ema(9), s: new Ema(21), seen: -Infinity }); }
export function analyze(markets) {
  const out = [];
  for (const symbol in markets) {
    const x = st.get(symbol), c = markets[symbol].candles5m;
    let pf = x.f.value(), ps = x.s.value();
    for (let i = indexAfter(c, x.seen); i < c.length; i++) { pf = x.f.value(); ps = x.s.value(); x.f.update(c[i].close); x.s.update(c[i].close); x.seen = c[i].tsOpen; }
    if (crossedAbove(pf, ps, x.f.value(), x.s.value())) out.push({ symbol, action: 'BUY', size: 0.05 });
  }
  return out;
}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** µs per call: a warm-up batch, then the median of 5 batches of `n`. */
async function perCall(n: number, fn: (i: number) => unknown): Promise<number> {
  let i = 0;
  for (let k = 0; k < n; k++) await fn(i++);
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t = performance.now();
    for (let k = 0; k < n; k++) await fn(i++);
    batches.push(((performance.now() - t) / n) * 1000);
  }
  return Math.round(median(batches) * 10) / 10;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgAtStart: loadavg().map((x) => x.toFixed(2)) };

  // In-process engine (what a backtest inside the runner pays; no IPC).
  const engine = new SandboxEngine({ assets: await buildSandboxAssets(), wasmModule: await compileQuickjsWasm(), memoryBytes: 64 << 20, stackBytes: 512 << 10 });
  const loadInput = (history: Record<string, { '5m': WireCandle[] }>): string =>
    JSON.stringify({ version: 'm', seed: 1, limits: LIMITS, symbols: SYMBOLS, history, caps: { '5m': 8640, '1h': 8760, '1d': 2555 }, hasState: false, state: null, maxOutputChars: 1 << 20, memoryMb: 64, stackKb: 512 } satisfies GuestLoadInput);
  const tick = (i: number): string =>
    JSON.stringify([
      (i + 1) * 300_000,
      SYMBOLS.map((x) => [x, close(i), 0.001, 1000, 0.25, 0.4, [wire(candleAt(i))], 0, 0] as const),
      PORTFOLIO,
    ] satisfies GuestAnalyzeInput);

  let t = performance.now();
  await engine.load('noop', NOOP, loadInput({}), 10_000);
  result['engineInstanceAndLoadMs'] = Math.round((performance.now() - t) * 10) / 10;
  await engine.load('ema', EMA_CROSS, loadInput({}), 10_000);
  // Interleaved batches (noop, ema, noop, ema, …) so machine-load drift hits both alike.
  let tickNo = 0;
  const noopBatches: number[] = [];
  const emaBatches: number[] = [];
  for (let round = 0; round < 8; round++) {
    for (const [session, out] of [['noop', noopBatches], ['ema', emaBatches]] as const) {
      const n = 1000;
      const start = performance.now();
      for (let k = 0; k < n; k++) engine.call(session, 'analyze', tick(tickNo++), 1000);
      if (round > 0) out.push(((performance.now() - start) / n) * 1000); // round 0 warms up
    }
  }
  const noopUs = Math.round(median(noopBatches) * 10) / 10;
  const emaUs = Math.round(median(emaBatches) * 10) / 10;
  const paired = noopBatches.map((x, k) => (emaBatches[k]! - x) / 3);
  // The strategy's own work per candle, without per-call overhead: one call, 10^6 candles in a loop.
  await engine.load('loop', `import { Ema } from 'trading-brain/toolkit';
    export function initialize() {}
    export function analyze(m, p, n) { const f = new Ema(9), s = new Ema(21); let x = 0;
      for (let i = 0; i < n; i++) { const pf = f.value(), ps = s.value(); const c = 100 + (i % 17); f.update(c); s.update(c); if (pf <= ps && f.value() > s.value()) x++; }
      return [x]; }`, loadInput({}), 10_000);
  engine.call('loop', 'analyze', JSON.stringify([100_000, [], PORTFOLIO]), 60_000);
  t = performance.now();
  engine.call('loop', 'analyze', JSON.stringify([1_000_000, [], PORTFOLIO]), 60_000);
  const loopPerCandle = ((performance.now() - t) / 1_000_000) * 1000;
  result['inProcess'] = {
    noopPerTimestamp3SymbolsUs: noopUs,
    emaCrossPerTimestamp3SymbolsUs: emaUs,
    emaCrossPerCandleUs: Math.round(median(paired) * 10) / 10,
    emaCrossPerCandleInOneLongCallUs: Math.round(loopPerCandle * 1000) / 1000,
  };

  // The same EMA crossover on the host's V8, per candle.
  const f = new Ema(9);
  const s = new Ema(21);
  let crosses = 0;
  t = performance.now();
  for (let i = 0; i < 1_000_000; i++) {
    const pf = f.value();
    const ps = s.value();
    const c = 100 + (i % 17);
    f.update(c);
    s.update(c);
    if (pf <= ps && f.value() > s.value()) crosses++;
  }
  const v8 = ((performance.now() - t) / 1_000_000) * 1000;
  result['v8EmaCrossPerCandleUs'] = Math.round(v8 * 1000) / 1000;
  result['v8Crosses'] = crosses > 0;

  // Loading a year of 5m history is out of scope here; 30 days (8640 candles) × 3 symbols is the live case.
  const month = Array.from({ length: 8640 }, (_, i) => wire(candleAt(i)));
  t = performance.now();
  await engine.load('month', EMA_CROSS, loadInput(Object.fromEntries(SYMBOLS.map((x) => [x, { '5m': month }]))), 30_000);
  result['inProcessLoad30dHistory3SymbolsMs'] = Math.round(performance.now() - t);

  // Through the runner process (the live/paper path): host validation + IPC + engine + parsing.
  const host = new SandboxHost({});
  t = performance.now();
  const started = await host.start();
  result['runnerStartMs'] = Math.round(performance.now() - t);
  if (!started.ok) throw new Error(started.reason);
  const runner = host.openStrategy();
  const tickFor = (i: number) => ({
    nowMs: (i + 1) * 300_000,
    markets: Object.fromEntries(SYMBOLS.map((x) => [x, { price: close(i), spread: 0.001, volume24h: 1000, makerFeePct: 0.25, takerFeePct: 0.4, newCandles: { '5m': [candleAt(i)] } }])),
    portfolio: PORTFOLIO,
  });
  t = performance.now();
  const loaded = await runner.load({ version: 'm', code: EMA_CROSS, limits: LIMITS, symbols: SYMBOLS, history: Object.fromEntries(SYMBOLS.map((x) => [x, { '5m': month.map((w) => candleAt(w[0] / 300_000)) }])) });
  result['runnerLoad30dHistory3SymbolsMs'] = Math.round(performance.now() - t);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  let next = 8640;
  const roundTrip = await perCall(500, async () => {
    const r = await runner.analyze(tickFor(next++));
    if (!r.ok) throw new Error(r.error.reason);
  });
  const bare = await perCall(500, () => host.send((id) => ({ id, type: 'unload', session: 'none' }), 5000));
  result['runner'] = { emaCrossRoundTripPerTimestamp3SymbolsUs: roundTrip, bareRequestRoundTripUs: bare, rssMbAfterLoad: rssMb(host.pid!) };
  result['hostRssMb'] = Math.round(process.memoryUsage().rss / (1024 * 1024));

  // Instances are dropped, not disposed: check that 50 load/unload cycles do not grow the runner.
  const before = rssMb(host.pid!);
  for (let k = 0; k < 50; k++) {
    const s2 = host.openStrategy();
    await s2.load({ version: `c${k}`, code: EMA_CROSS, limits: LIMITS, symbols: SYMBOLS, history: {} });
    await s2.close();
  }
  result['runnerRssMbAfter50LoadUnloadCycles'] = { before, after: rssMb(host.pid!) };
  await runner.close();
  await host.close();

  // Throughput consequence for a 1-year, 3-symbol, 5m backtest (105 120 timestamps, 315 360 candles).
  const timestamps = 365 * 288;
  const inProc = result['inProcess'] as { emaCrossPerTimestamp3SymbolsUs: number };
  result['oneYearThreeSymbolBacktest'] = {
    perTimestampCallsInProcessSeconds: Math.round((timestamps * inProc.emaCrossPerTimestamp3SymbolsUs) / 1e5) / 10,
    candlesPerSecondInProcess: Math.round((3 * 1e6) / inProc.emaCrossPerTimestamp3SymbolsUs),
    perTimestampCallsThroughIpcSeconds: Math.round((timestamps * roundTrip) / 1e5) / 10,
    candlesPerSecondThroughIpc: Math.round((3 * 1e6) / roundTrip),
    candlesPerSecondOneLongCallInQuickJs: Math.round(1e6 / loopPerCandle),
    v8CandlesPerSecondStrategyOnly: Math.round(1e6 / v8),
  };
  result['loadavgAtEnd'] = loadavg().map((x) => x.toFixed(2));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
