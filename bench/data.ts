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

const HEADER = 'time,open,high,low,close,volume';
const NEWLINE = 10;
const COMMA = 44;

/**
 * Parses one gzip CSV file of the shared format. Throws naming the line on a malformed row.
 * Reads the decompressed bytes in place, one field at a time (no whole-file string, no array of
 * lines): the parse's own garbage stays small, so it does not inflate the benchmark's peak RSS.
 */
export function readSeries(symbol: string, file: string): Series {
  const bytes = gunzipSync(readFileSync(join(SHARED_DATA_DIR, file)));
  const headerEnd = bytes.indexOf(NEWLINE);
  const header = bytes.toString('latin1', 0, headerEnd < 0 ? bytes.length : headerEnd);
  if (header.trim() !== HEADER) throw new Error(`${file}: unexpected header ${JSON.stringify(header)}`);
  let rows = 0;
  for (let at = headerEnd + 1; at > 0 && at < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, at);
    rows++;
    at = end < 0 ? bytes.length : end + 1;
  }
  const cols = { time: new Float64Array(rows), open: new Float64Array(rows), high: new Float64Array(rows), low: new Float64Array(rows), close: new Float64Array(rows), volume: new Float64Array(rows) };
  const candles: Candle[] = new Array<Candle>(rows);
  const f: number[] = [0, 0, 0, 0, 0, 0];
  let at = headerEnd + 1;
  for (let i = 0; i < rows; i++) {
    let end = bytes.indexOf(NEWLINE, at);
    if (end < 0) end = bytes.length;
    let fields = 0;
    let from = at;
    for (let k = at; k <= end; k++) {
      if (k === end || bytes[k] === COMMA) {
        if (fields < 6) f[fields] = Number(bytes.toString('latin1', from, k));
        fields++;
        from = k + 1;
      }
    }
    const c: Candle = { tsOpen: f[0]! * 1000, open: f[1]!, high: f[2]!, low: f[3]!, close: f[4]!, volume: f[5]! };
    if (fields !== 6 || !Number.isSafeInteger(c.tsOpen) || ![c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite)) {
      throw new Error(`${file}:${i + 2}: malformed row ${JSON.stringify(bytes.toString('latin1', at, end))}`);
    }
    candles[i] = c;
    cols.time[i] = c.tsOpen;
    cols.open[i] = c.open;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
    at = end + 1;
  }
  return { symbol, file, candles, ...cols };
}
