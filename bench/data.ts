/**
 * Real 5m candles for the benchmarks, read straight from the shared data folder
 * (../shared/data, format in its README: gzip CSV `time,open,high,low,close,volume`, time in unix
 * seconds of the candle open). Binance USDT-quoted pairs stand in for the USD pairs the fund
 * trades (a deliberate mapping for benchmarking: the price path matters, not the quote currency).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Candle } from '../domain/market/index.ts';

/** Where the shared data lives: $BRAIN_SHARED_DATA, else ../shared/data next to the repository. */
export const SHARED_DATA_DIR = process.env.BRAIN_SHARED_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

/** The three benchmark series: fund symbol → file. */
export const BENCH_FILES: Readonly<Record<string, string>> = Object.freeze({
  'BTC/USD': 'binance_BTCUSDT_5m_2024.csv.gz',
  'ETH/USD': 'binance_ETHUSDT_5m_2024.csv.gz',
  'SOL/USD': 'binance_SOLUSDT_5m_2024.csv.gz',
});

/** One symbol's candles, as objects (for the engine) and as columns (for the hand loop). */
export interface Series {
  readonly symbol: string;
  readonly file: string;
  readonly candles: Candle[];
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** The files that are missing, if any. */
export function missingFiles(files: readonly string[] = Object.values(BENCH_FILES)): string[] {
  return files.filter((f) => !existsSync(join(SHARED_DATA_DIR, f)));
}

/** Parses one gzip CSV file of the shared format. Throws naming the line on a malformed row. */
export function readSeries(symbol: string, file: string): Series {
  const text = gunzipSync(readFileSync(join(SHARED_DATA_DIR, file))).toString('utf8');
  const lines = text.split('\n');
  if (lines[0]!.trim() !== 'time,open,high,low,close,volume') throw new Error(`${file}: unexpected header ${JSON.stringify(lines[0])}`);
  const rows = lines.length - 1 - (lines[lines.length - 1] === '' ? 1 : 0);
  const cols = { time: new Float64Array(rows), open: new Float64Array(rows), high: new Float64Array(rows), low: new Float64Array(rows), close: new Float64Array(rows), volume: new Float64Array(rows) };
  const candles: Candle[] = new Array<Candle>(rows);
  for (let i = 0; i < rows; i++) {
    const f = lines[i + 1]!.split(',');
    const c: Candle = { tsOpen: Number(f[0]) * 1000, open: Number(f[1]), high: Number(f[2]), low: Number(f[3]), close: Number(f[4]), volume: Number(f[5]) };
    if (f.length !== 6 || !Number.isSafeInteger(c.tsOpen) || ![c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite)) {
      throw new Error(`${file}:${i + 2}: malformed row ${JSON.stringify(lines[i + 1])}`);
    }
    candles[i] = c;
    cols.time[i] = c.tsOpen;
    cols.open[i] = c.open;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
  }
  return { symbol, file, candles, ...cols };
}
