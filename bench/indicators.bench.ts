/**
 * Indicator throughput benchmark: ns per value for every batch function and every incremental
 * indicator over 10M values, next to a hand-written inline EMA loop measured in the same run
 * (the practical floor; /work/shared/reference/performance.md B3 measured 2.4 ns/value for it).
 *
 *   npx tsx bench/indicators.bench.ts [values=10000000] [repeats=5] [name filter]
 *
 * Prints one JSON document on stdout. Not a test: nothing here asserts a time, because this box
 * is shared and noisy (±20 % between runs, far more when other jobs run).
 *
 * Method. Every case runs in its own child process (this same file, `--case=K`, with
 * --expose-gc), so JIT feedback and garbage from one case never leak into another. In the child
 * the case and the inline-EMA baseline each run once untimed (JIT warm-up), then `repeats`
 * times, each timed repeat of the case paired with a baseline run right before it. Times are
 * process CPU time, not wall time, so being descheduled by other jobs is not counted.
 * `nsPerValue` is the median over repeats; `vsBaseline` is the median of the per-pair ratios,
 * which stays meaningful when the machine's load drifts during the run.
 *
 * Data: a seeded random walk of 5-minute bars (close ≈ 100, σ = 0.2 % per bar), each opening at
 * the previous close with high/low up to 0.3 % beyond open and close, and a positive volume
 * spanning e^0..e^4 × 10, so branches behave as on real candles.
 * Incremental indicators over bars reuse one mutable bar object, so the figure is the
 * indicator's cost, not the cost of allocating candles.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  Atr,
  Bollinger,
  Ema,
  Macd,
  Rsi,
  Sma,
  VolumeRatio,
  Vwap,
  atrSeries,
  bollingerSeries,
  emaSeries,
  macdSeries,
  rsiSeries,
  smaSeries,
  volumeRatioSeries,
  vwapSeries,
} from '../domain/indicators/index.ts';

const N = Number(process.argv[2] ?? 10_000_000);
const REPEATS = Number(process.argv[3] ?? 5);
const CASE_FLAG = '--case=';
const CHILD_CASE = process.argv[4]?.startsWith(CASE_FLAG) ? Number(process.argv[4].slice(CASE_FLAG.length)) : undefined;
const FILTER = CHILD_CASE === undefined ? process.argv[4] : undefined;
/** Only a child process (which runs one case) needs the data. */
const DATA_LENGTH = CHILD_CASE === undefined ? 0 : N;
const FIVE_MINUTES = 300_000;
const DAY = 86_400_000;

/** mulberry32: a small seeded PRNG, so every run sees the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(20261125);
const close = new Float64Array(DATA_LENGTH);
const high = new Float64Array(DATA_LENGTH);
const low = new Float64Array(DATA_LENGTH);
const volume = new Float64Array(DATA_LENGTH);
const tsOpen = new Float64Array(DATA_LENGTH);
{
  let logPrice = Math.log(100);
  const t0 = Date.UTC(2026, 0, 1);
  let open = Math.exp(logPrice);
  for (let i = 0; i < DATA_LENGTH; i++) {
    logPrice += (rand() - 0.5) * 0.002 * Math.sqrt(12); // uniform with σ = 0.2 %
    const c = Math.exp(logPrice);
    close[i] = c;
    // A continuous market: each bar opens at the previous close, and its range covers both.
    high[i] = Math.max(open, c) * (1 + rand() * 0.003);
    low[i] = Math.min(open, c) * (1 - rand() * 0.003);
    open = c;
    volume[i] = Math.exp(rand() * 4) * 10;
    tsOpen[i] = t0 + i * FIVE_MINUTES;
  }
}
const out = new Float64Array(DATA_LENGTH);
const macdOut = {
  line: new Float64Array(DATA_LENGTH),
  signal: new Float64Array(DATA_LENGTH),
  histogram: new Float64Array(DATA_LENGTH),
};
const bollingerOut = {
  upper: new Float64Array(DATA_LENGTH),
  middle: new Float64Array(DATA_LENGTH),
  lower: new Float64Array(DATA_LENGTH),
};
let sink = 0; // consumed by every case so the JIT cannot drop the work

interface Result {
  readonly name: string;
  readonly kind: 'baseline' | 'batch' | 'incremental';
  /** Median ns per value over the repeats. */
  readonly nsPerValue: number;
  readonly minNsPerValue: number;
  /** Median over repeats of (this case's time / the adjacent baseline run's time). */
  readonly vsBaseline: number;
}

/**
 * CPU time (user + system, µs resolution) of one run, in ns per value. CPU time rather than
 * wall time because this box is shared: time spent descheduled while other jobs run is not the
 * indicator's cost. (It does include V8's GC threads, which only matters for allocating cases.)
 */
function time(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / N;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cases: Array<readonly [string, Result['kind'], () => void]> = [
  [
    'inline EMA(9) loop over Float64Array (baseline)',
    'baseline',
    () => {
      const k = 2 / 10;
      let ema = close[0]!;
      for (let i = 0; i < N; i++) {
        ema += k * (close[i]! - ema);
        out[i] = ema;
      }
      sink += out[N - 1]!;
    },
  ],
  ['emaSeries(close, 9)', 'batch', () => void (sink += emaSeries(close, 9, out)[N - 1]!)],
  ['smaSeries(close, 20)', 'batch', () => void (sink += smaSeries(close, 20, out)[N - 1]!)],
  ['rsiSeries(close, 14)', 'batch', () => void (sink += rsiSeries(close, 14, out)[N - 1]!)],
  ['atrSeries(high, low, close, 14)', 'batch', () => void (sink += atrSeries(high, low, close, 14, out)[N - 1]!)],
  [
    'macdSeries(close, 12/26/9) into reused out',
    'batch',
    () => void (sink += macdSeries(close, {}, macdOut).histogram[N - 1]!),
  ],
  [
    'bollingerSeries(close, 20/2) into reused out',
    'batch',
    () => void (sink += bollingerSeries(close, {}, bollingerOut).upper[N - 1]!),
  ],
  [
    'vwapSeries(h, l, c, v) cumulative',
    'batch',
    () => void (sink += vwapSeries(high, low, close, volume, undefined, out)[N - 1]!),
  ],
  [
    'vwapSeries(h, l, c, v) daily UTC sessions',
    'batch',
    () => void (sink += vwapSeries(high, low, close, volume, { tsOpen, sessionMs: DAY }, out)[N - 1]!),
  ],
  ['volumeRatioSeries(volume, 20)', 'batch', () => void (sink += volumeRatioSeries(volume, 20, out)[N - 1]!)],
  // Each incremental case has its own loop, so every call site sees one class (as in a
  // strategy's code); a shared helper would be megamorphic and measure V8's dispatch instead.
  [
    'Ema(9) update+value',
    'incremental',
    () => {
      const ema = new Ema(9);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        ema.update(close[i]!);
        const v = ema.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Sma(20) update+value',
    'incremental',
    () => {
      const sma = new Sma(20);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        sma.update(close[i]!);
        const v = sma.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Rsi(14) update+value',
    'incremental',
    () => {
      const rsi = new Rsi(14);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        rsi.update(close[i]!);
        const v = rsi.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'VolumeRatio(20) update+value',
    'incremental',
    () => {
      const ratio = new VolumeRatio(20);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        ratio.update(volume[i]!);
        const v = ratio.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Atr(14) update+value',
    'incremental',
    () => {
      const atr = new Atr(14);
      const bar = { high: 0, low: 0, close: 0 };
      let acc = 0;
      for (let i = 0; i < N; i++) {
        bar.high = high[i]!;
        bar.low = low[i]!;
        bar.close = close[i]!;
        atr.update(bar);
        const v = atr.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Vwap() update+value',
    'incremental',
    () => {
      const vwap = new Vwap();
      const bar = { high: 0, low: 0, close: 0, volume: 0 };
      let acc = 0;
      for (let i = 0; i < N; i++) {
        bar.high = high[i]!;
        bar.low = low[i]!;
        bar.close = close[i]!;
        bar.volume = volume[i]!;
        vwap.update(bar);
        const v = vwap.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Vwap({ sessionMs: 1d }) update+value',
    'incremental',
    () => {
      const vwap = new Vwap({ sessionMs: DAY });
      const bar = { high: 0, low: 0, close: 0, volume: 0, tsOpen: 0 };
      let acc = 0;
      for (let i = 0; i < N; i++) {
        bar.high = high[i]!;
        bar.low = low[i]!;
        bar.close = close[i]!;
        bar.volume = volume[i]!;
        bar.tsOpen = tsOpen[i]!;
        vwap.update(bar);
        const v = vwap.value();
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Macd(12/26/9) update only',
    'incremental',
    () => {
      const macd = new Macd();
      for (let i = 0; i < N; i++) macd.update(close[i]!);
      sink += macd.value().histogram;
    },
  ],
  [
    'Macd(12/26/9) update+value [value() allocates]',
    'incremental',
    () => {
      const macd = new Macd();
      let acc = 0;
      for (let i = 0; i < N; i++) {
        macd.update(close[i]!);
        const v = macd.value().histogram;
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  [
    'Bollinger(20/2) update only',
    'incremental',
    () => {
      const bands = new Bollinger();
      for (let i = 0; i < N; i++) bands.update(close[i]!);
      sink += bands.value().upper;
    },
  ],
  [
    'Bollinger(20/2) update+value [value() allocates]',
    'incremental',
    () => {
      const bands = new Bollinger();
      let acc = 0;
      for (let i = 0; i < N; i++) {
        bands.update(close[i]!);
        const v = bands.value().upper;
        if (v === v) acc += v;
      }
      sink += acc;
    },
  ],
  // Last, because they leave 240 MB of garbage per run whose collection (on V8's helper
  // threads) would otherwise be billed to whichever case ran next.
  ['macdSeries(close, 12/26/9) allocating', 'batch', () => void (sink += macdSeries(close).histogram[N - 1]!)],
  ['bollingerSeries(close, 20/2) allocating', 'batch', () => void (sink += bollingerSeries(close).upper[N - 1]!)],
];

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Child: measures case `index` against the baseline and prints `{ result, checksum }`. */
function runChild(index: number): void {
  const [name, kind, run] = cases[index]!;
  const baselineRun = cases[0]![2];
  baselineRun(); // warm-up
  (globalThis as { gc?: () => void }).gc?.();
  run(); // warm-up: compile and optimise
  const samples: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const base = time(baselineRun);
    const own = kind === 'baseline' ? base : time(run);
    samples.push(own);
    ratios.push(own / base);
  }
  const result: Result = {
    name,
    kind,
    nsPerValue: round(median(samples)),
    minNsPerValue: round(Math.min(...samples)),
    vsBaseline: round(median(ratios)),
  };
  process.stdout.write(`${JSON.stringify({ result, checksum: sink })}\n`);
}

/** Parent: one child process per selected case, then one JSON report. */
function runAll(): void {
  const self = fileURLToPath(import.meta.url);
  const nodeArgs = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const results: Result[] = [];
  let checksum = 0;
  cases.forEach(([name, kind], index) => {
    if (FILTER !== undefined && kind !== 'baseline' && !name.includes(FILTER)) return;
    const child = spawnSync(process.execPath, [...nodeArgs, self, String(N), String(REPEATS), `${CASE_FLAG}${index}`], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`case "${name}" failed (exit ${child.status}):\n${child.stderr}`);
    const line = JSON.parse(child.stdout.trim()) as { result: Result; checksum: number };
    results.push(line.result);
    checksum += line.checksum;
  });
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'domain/indicators',
        values: N,
        repeats: REPEATS,
        unit: 'ns of process CPU time per value (median of repeats; min alongside); one process per case',
        node: process.version,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        loadAverage: os.loadavg().map(round),
        checksum: String(checksum),
        results,
      },
      null,
      2,
    )}\n`,
  );
}

if (CHILD_CASE === undefined) runAll();
else runChild(CHILD_CASE);
