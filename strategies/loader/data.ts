/**
 * Market data for trial runs: a deterministic synthetic random walk and the bundled real Kraken
 * 5-minute slices (tests/fixtures/candles, read relative to the repository root).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Candle } from '../../domain/market/index.ts';

/** 5 minutes in ms. */
export const FIVE_MINUTES_MS = 300_000;

/** One trial data set: per symbol, gap-free 5m candles on the same timestamps, oldest first. */
export interface TrialDataset {
  readonly name: string;
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
}

/** mulberry32: a 32-bit PRNG giving floats in [0, 1). Pure given the seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Start prices of the synthetic symbols (quote currency), roughly their 2024 levels. */
const SYNTHETIC_START: Readonly<Record<string, number>> = { 'BTC/USD': 40_000, 'ETH/USD': 2_500, 'SOL/USD': 100 };

/**
 * `count` 5m candles per symbol of a log-normal random walk (per-candle σ 0.4 %, drifting regimes
 * so that trends and reversals both occur), starting at `startMs` (ms UTC, 5m aligned). The same
 * seed gives the same candles, bit for bit. Pure.
 */
export function syntheticDataset(seed = 20_240_101, count = 1_000, startMs = Date.UTC(2024, 0, 1)): TrialDataset {
  const candles: Record<string, Candle[]> = {};
  let k = 0;
  for (const [symbol, start] of Object.entries(SYNTHETIC_START)) {
    const rand = mulberry32(seed + 7919 * k++);
    const out: Candle[] = [];
    let price = start;
    let drift = 0;
    for (let i = 0; i < count; i++) {
      if (i % 120 === 0) drift = (rand() - 0.5) * 0.002;
      // Sum of three uniforms ≈ normal, scaled to σ ≈ 0.4 %.
      const shock = (rand() + rand() + rand() - 1.5) * 0.008;
      const open = price;
      const close = open * Math.exp(drift + shock);
      const high = Math.max(open, close) * (1 + rand() * 0.002);
      const low = Math.min(open, close) * (1 - rand() * 0.002);
      out.push({ tsOpen: startMs + i * FIVE_MINUTES_MS, open, high, low, close, volume: 5 + rand() * 20 });
      price = close;
    }
    candles[symbol] = out;
  }
  return { name: `synthetic random walk (seed ${seed})`, candles };
}

/** The bundled real slices, grouped by the windows they share (see tests/fixtures/candles/README.md). */
export const REAL_DATASETS: readonly { readonly name: string; readonly files: Readonly<Record<string, string>> }[] = [
  { name: 'Kraken BTC/USD 2023-03-09..13 (SVB/USDC depeg)', files: { 'BTC/USD': 'kraken_BTCUSD_5m_2023-03-09_2023-03-13.csv.gz' } },
  {
    name: 'Kraken ETH/USD + SOL/USD 2024-08-02..06 (5 August crash)',
    files: { 'ETH/USD': 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz', 'SOL/USD': 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz' },
  },
];

/** Absolute path of the bundled candle fixtures. */
export const FIXTURE_DIR: string = fileURLToPath(new URL('../../tests/fixtures/candles/', import.meta.url));

/**
 * Parses the shared data format: gzip'd CSV `time,open,high,low,close,volume` with `time` in unix
 * seconds of the candle open. Throws on a malformed row (corrupt fixture = programmer error).
 */
export function parseCandleCsv(gz: Uint8Array, label: string): Candle[] {
  const lines = gunzipSync(gz).toString('utf8').trim().split('\n');
  if (lines[0]?.trim() !== 'time,open,high,low,close,volume') throw new Error(`${label}: unexpected header ${JSON.stringify(lines[0])}`);
  return lines.slice(1).map((line, i) => {
    const f = line.split(',').map(Number);
    if (f.length !== 6 || f.some((x) => !Number.isFinite(x))) throw new Error(`${label}: line ${i + 2} is not six numbers: ${JSON.stringify(line)}`);
    return { tsOpen: f[0]! * 1000, open: f[1]!, high: f[2]!, low: f[3]!, close: f[4]!, volume: f[5]! };
  });
}

/**
 * Reads the bundled real data sets from `dir` (default: the repository's fixtures). Returns a
 * reason naming the missing or corrupt file instead of throwing.
 */
export function realDatasets(dir: string = FIXTURE_DIR): { ok: true; datasets: TrialDataset[] } | { ok: false; reason: string } {
  const datasets: TrialDataset[] = [];
  for (const spec of REAL_DATASETS) {
    const candles: Record<string, Candle[]> = {};
    for (const [symbol, file] of Object.entries(spec.files)) {
      const path = `${dir}${dir.endsWith('/') ? '' : '/'}${file}`;
      try {
        candles[symbol] = parseCandleCsv(readFileSync(path), path);
      } catch (err) {
        return { ok: false, reason: `real trial data ${path}: ${(err as Error).message}` };
      }
    }
    datasets.push({ name: spec.name, candles });
  }
  return { ok: true, datasets };
}
