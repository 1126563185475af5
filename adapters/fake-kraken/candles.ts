import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Fixed } from '../../domain/money/index.ts';

/**
 * Candle input for the replay: CSV files in the format of /work/shared/data (`time,open,high,low,
 * close,volume` with a header, unix seconds) or Kraken's official headerless OHLCVT CSV
 * (`unix_s,open,high,low,close,volume,trades`), gzip'd or plain.
 *
 * Series are stored column-wise as exact integers of 1e-8 units in Float64Arrays (exact below
 * 2^53, i.e. values up to ~90 million), so a year of 5-minute candles loads in tens of
 * milliseconds and takes a few megabytes; `candleAt` converts one row to exact `Fixed` values.
 * Values with more than 8 decimals (Kraken's OHLCVT volumes have up to 10) are brought to 8:
 * volume half-even (8 is the lot precision, so this is its only rounding); prices round-to-odd,
 * which keeps the later snap to the pair's price decimals (≤ 6) a single, correct half-even
 * rounding.
 */

/** One candle with exact values; `trades` is known only from OHLCVT files. */
export interface SourceCandle {
  /** Candle open, ms since epoch (UTC). */
  readonly tsOpenMs: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  /** Base-asset volume. */
  readonly volume: Fixed;
  readonly trades: number | null;
}

/** A validated candle series, column-wise. Treat as immutable. */
export interface CandleSeries {
  readonly length: number;
  /** Candle open times, ms since epoch. */
  readonly tsOpenMs: Float64Array;
  /** Prices and volume in integer units of 1e-8. */
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Trade count per candle, −1 when unknown. */
  readonly trades: Int32Array;
}

/** A candle given in code rather than a file (tests, generated paths). */
export interface CandleInput {
  /** Candle open in ms since epoch. */
  readonly tsOpenMs: number;
  readonly open: string | number;
  readonly high: string | number;
  readonly low: string | number;
  readonly close: string | number;
  readonly volume: string | number;
  readonly trades?: number;
}

/** Thrown when candle data is malformed: corrupt input, not an expected outcome. */
export class CandleDataError extends Error {
  override readonly name = 'CandleDataError';
}

const E8 = 100_000_000;
const TO_FIXED = 10n ** 10n; // 1e-8 units → 1e-18 units
const PLAIN = /^(\d+)(?:\.(\d+))?$/;

/** Row `j` of a series with exact `Fixed` values. */
export function candleAt(s: CandleSeries, j: number): SourceCandle {
  const t = s.trades[j]!;
  return {
    tsOpenMs: s.tsOpenMs[j]!,
    open: BigInt(s.open[j]!) * TO_FIXED,
    high: BigInt(s.high[j]!) * TO_FIXED,
    low: BigInt(s.low[j]!) * TO_FIXED,
    close: BigInt(s.close[j]!) * TO_FIXED,
    volume: BigInt(s.volume[j]!) * TO_FIXED,
    trades: t < 0 ? null : t,
  };
}

const fileCache = new Map<string, CandleSeries>();

/**
 * Reads a candle file (`.csv` or `.csv.gz`; gzip is detected by its magic bytes) and validates it
 * with `parseCandleCsv`. Parsed files are cached by path, size and mtime (series are treated as
 * immutable), so restarting the exchange on the same data is cheap. Throws `CandleDataError`
 * naming the file and line on bad data.
 */
export function loadCandleFile(path: string, intervalMs: number): CandleSeries {
  const st = statSync(path);
  const key = `${path}|${st.size}|${st.mtimeMs}|${intervalMs}`;
  const cached = fileCache.get(key);
  if (cached) return cached;
  let bytes = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const series = parseCandleCsv(bytes.toString('utf8'), intervalMs, path);
  fileCache.set(key, series);
  return series;
}

/**
 * Parses candle CSV text in either supported format. Rows must be strictly increasing in time,
 * aligned to `intervalMs`, with low ≤ open, close ≤ high, positive prices, non-negative volume
 * and at most 8 decimals. Throws `CandleDataError` (naming `source` and the line) on any violation.
 */
export function parseCandleCsv(text: string, intervalMs: number, source = 'candles'): CandleSeries {
  const lines = text.split('\n');
  const b = new Builder(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    if (i === 0 && /^[A-Za-z]/.test(line)) {
      const header = line.toLowerCase().replace(/\s/g, '');
      if (!header.startsWith('time,open,high,low,close,volume')) {
        throw new CandleDataError(`${where}: unknown header ${JSON.stringify(line)}; expected time,open,high,low,close,volume`);
      }
      continue;
    }
    const cells = line.split(',');
    if (cells.length !== 6 && cells.length !== 7) {
      throw new CandleDataError(`${where}: expected 6 or 7 columns (time,open,high,low,close,volume[,trades]), got ${cells.length}`);
    }
    const seconds = Number(cells[0]);
    if (!Number.isSafeInteger(seconds)) throw new CandleDataError(`${where}: time ${JSON.stringify(cells[0])} is not integer unix seconds`);
    let trades = -1;
    if (cells.length === 7) {
      trades = Number(cells[6]);
      if (!Number.isInteger(trades) || trades < 0 || trades > 2 ** 31 - 1) throw new CandleDataError(`${where}: trades ${JSON.stringify(cells[6])} is not a count`);
    }
    b.push(where, seconds * 1000, cells[1]!, cells[2]!, cells[3]!, cells[4]!, cells[5]!, trades);
  }
  return b.finish(intervalMs, source);
}

/** Converts in-code candles, validating them like file rows. Throws `CandleDataError`. */
export function fromCandleInputs(inputs: readonly CandleInput[], intervalMs: number, source = 'candles'): CandleSeries {
  const b = new Builder(inputs.length);
  inputs.forEach((c, i) => {
    if (!Number.isSafeInteger(c.tsOpenMs)) throw new CandleDataError(`${source}[${i}]: tsOpenMs ${c.tsOpenMs} is not an integer`);
    b.push(`${source}[${i}]`, c.tsOpenMs, String(c.open), String(c.high), String(c.low), String(c.close), String(c.volume), c.trades ?? -1);
  });
  return b.finish(intervalMs, source);
}

/**
 * Rounds prices to the pair's price decimals and volume to its lot decimals (half-even), so data
 * from another venue (e.g. Binance USDT with 2 price decimals for BTC) lands on Kraken's grid.
 * Returns the same series when nothing changes. Pure.
 */
export function snapToPair(s: CandleSeries, pairDecimals: number, lotDecimals: number): CandleSeries {
  const priceUnit = 10 ** Math.max(0, 8 - pairDecimals);
  const lotUnit = 10 ** Math.max(0, 8 - lotDecimals);
  const needs = (col: Float64Array, unit: number): boolean => unit > 1 && col.some((v) => v % unit !== 0);
  const snap = (col: Float64Array, unit: number): Float64Array => (needs(col, unit) ? col.map((v) => roundHalfEven(v, unit)) : col);
  const open = snap(s.open, priceUnit);
  const high = snap(s.high, priceUnit);
  const low = snap(s.low, priceUnit);
  const close = snap(s.close, priceUnit);
  const volume = snap(s.volume, lotUnit);
  if (open === s.open && high === s.high && low === s.low && close === s.close && volume === s.volume) return s;
  return { ...s, open, high, low, close, volume };
}

function roundHalfEven(v: number, unit: number): number {
  const q = Math.floor(v / unit);
  const r = v - q * unit;
  if (2 * r > unit || (2 * r === unit && q % 2 === 1)) return (q + 1) * unit;
  return q * unit;
}

/**
 * Parses a plain non-negative decimal to integer 1e-8 units; NaN when not plain or too large.
 * Digits beyond the 8th are rounded half-even (`even`) or to odd (`odd`: truncate, and if anything
 * was cut and the last kept digit is even, add one unit — a sticky digit that never forms a false
 * tie for a later rounding to ≤ 6 decimals).
 */
function toUnits(text: string, mode: 'even' | 'odd'): number {
  const m = PLAIN.exec(text);
  if (!m) return NaN;
  const frac = m[2] ?? '';
  let v = Number(m[1]) * E8 + (frac === '' ? 0 : Number(frac.slice(0, 8).padEnd(8, '0')));
  const rest = frac.slice(8);
  if (/[1-9]/.test(rest)) {
    if (mode === 'odd') {
      if (v % 2 === 0) v += 1;
    } else {
      const first = rest.charCodeAt(0) - 48;
      const beyondHalf = first > 5 || (first === 5 && /[1-9]/.test(rest.slice(1)));
      if (beyondHalf || (first === 5 && !beyondHalf && v % 2 === 1)) v += 1;
    }
  }
  return Number.isSafeInteger(v) ? v : NaN;
}

class Builder {
  private n = 0;
  private readonly t: Float64Array;
  private readonly cols: Float64Array[];
  private readonly trades: Int32Array;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.cols = [0, 1, 2, 3, 4].map(() => new Float64Array(capacity));
    this.trades = new Int32Array(capacity);
  }

  push(where: string, tsOpenMs: number, ...rest: [string, string, string, string, string, number]): void {
    const names = ['open', 'high', 'low', 'close', 'volume'];
    const v: number[] = [];
    for (let c = 0; c < 5; c++) {
      const text = rest[c] as string;
      const u = toUnits(text.trim(), c === 4 ? 'even' : 'odd');
      if (Number.isNaN(u)) {
        throw new CandleDataError(`${where}: ${names[c]} ${JSON.stringify(text)} is not a plain non-negative decimal below 90,000,000`);
      }
      v.push(u);
    }
    const [o, h, l, c] = v as [number, number, number, number];
    for (const [name, x] of [['open', o], ['high', h], ['low', l], ['close', c]] as const) {
      if (x <= 0) throw new CandleDataError(`${where}: ${name} ${rest[names.indexOf(name)]} must be > 0`);
    }
    if (l > o || l > c || h < o || h < c) {
      throw new CandleDataError(`${where}: need low ≤ open, close ≤ high, got O ${rest[0]} H ${rest[1]} L ${rest[2]} C ${rest[3]}`);
    }
    this.t[this.n] = tsOpenMs;
    for (let k = 0; k < 5; k++) this.cols[k]![this.n] = v[k]!;
    this.trades[this.n] = rest[5];
    this.n++;
  }

  finish(intervalMs: number, source: string): CandleSeries {
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0 || intervalMs % 60_000 !== 0) {
      throw new CandleDataError(`${source}: interval must be a whole number of minutes, got ${intervalMs} ms`);
    }
    if (this.n === 0) throw new CandleDataError(`${source}: no candles`);
    const n = this.n;
    const t = this.t.slice(0, n);
    for (let i = 0; i < n; i++) {
      if (t[i]! % intervalMs !== 0) {
        throw new CandleDataError(`${source}: candle ${i} opens at ${new Date(t[i]!).toISOString()}, not on the ${intervalMs / 60_000}m grid`);
      }
      if (i > 0 && t[i]! <= t[i - 1]!) {
        throw new CandleDataError(`${source}: candle ${i} (${new Date(t[i]!).toISOString()}) is not after the previous one; times must strictly increase`);
      }
    }
    const [open, high, low, close, volume] = this.cols.map((c) => c.slice(0, n)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    return { length: n, tsOpenMs: t, open, high, low, close, volume, trades: this.trades.slice(0, n) };
  }
}
