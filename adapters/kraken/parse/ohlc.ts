/**
 * Parser for OHLC results (kraken.md §4 OHLC) and the conversion to the domain `Candle`.
 * Rows: `[time (int, candle START, unix s), open, high, low, close, vwap, volume, count]`; the
 * last row is the still-open candle; `last` is the start of the newest committed one. Pure.
 */
import type { Candle } from '../../../domain/market/index.ts';
import { toNumber } from '../../../domain/money/index.ts';
import type { Json } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import type { OhlcRow, OhlcSeries } from '../types.ts';
import { arr, at, count, fail, field, keysOf, nonNegative, obj, positive } from './read.ts';

/** Kraken's OHLC intervals in minutes. */
export const OHLC_INTERVALS = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600] as const;
/** One of `OHLC_INTERVALS` (minutes). */
export type OhlcInterval = (typeof OHLC_INTERVALS)[number];

/**
 * Checks candle consistency: low ≤ open, close ≤ high; low ≤ high. Volume ≥ 0 is checked by the
 * readers. Stops the parse with a malformed error otherwise.
 */
export function checkOhlc(c: { open: bigint; high: bigint; low: bigint; close: bigint }, path: string): void {
  if (c.low > c.high) fail(path, 'low is above high');
  if (c.open > c.high || c.open < c.low) fail(path, 'open is outside [low, high]');
  if (c.close > c.high || c.close < c.low) fail(path, 'close is outside [low, high]');
}

/** One OHLC row. */
export function parseOhlcRow(value: Json, path: string): OhlcRow {
  const r = arr(value, path, 8);
  const seconds = count(r[0], at(path, 0));
  if (seconds > 7_258_118_400) fail(at(path, 0), 'candle time is beyond year 2200');
  const row: OhlcRow = {
    tsOpenMs: seconds * 1000,
    open: positive(r[1], at(path, 1)),
    high: positive(r[2], at(path, 2)),
    low: positive(r[3], at(path, 3)),
    close: positive(r[4], at(path, 4)),
    vwap: nonNegative(r[5], at(path, 5)),
    volume: nonNegative(r[6], at(path, 6)),
    count: count(r[7], at(path, 7)),
  };
  checkOhlc(row, path);
  return row;
}

/**
 * The OHLC result: one pair key plus `last`. Rows must be strictly ascending; when
 * `intervalMin` is given, each row must start on an interval boundary.
 */
export function parseOhlc(result: Json, path: string, intervalMin?: number): OhlcSeries {
  const o = obj(result, path);
  const keys = keysOf(o).filter((k) => k !== 'last');
  if (keys.length !== 1) fail(path, `expected exactly one pair in the result, got ${keys.length}`);
  const key = keys[0]!;
  const p = at(path, key);
  const rows = arr(o[key], p).map((row, i) => parseOhlcRow(row, at(p, i)));
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && rows[i]!.tsOpenMs <= rows[i - 1]!.tsOpenMs) fail(at(p, i), 'rows must be strictly ascending by time');
    if (intervalMin !== undefined && rows[i]!.tsOpenMs % (intervalMin * 60_000) !== 0) {
      fail(at(at(p, i), 0), `candle start is not on a ${intervalMin}-minute boundary`);
    }
  }
  const lastSeconds = count(field(o, 'last', path), at(path, 'last'));
  if (lastSeconds > 7_258_118_400) fail(at(path, 'last'), '`last` is beyond year 2200');
  return { key, symbol: canonicalSymbol(key), rows, lastCommittedMs: lastSeconds * 1000 };
}

/** A row as the domain's float64 candle (prices/volume for indicators). Pure. */
export function toCandle(row: { tsOpenMs: number; open: bigint; high: bigint; low: bigint; close: bigint; volume: bigint }): Candle {
  return {
    tsOpen: row.tsOpenMs,
    open: toNumber(row.open),
    high: toNumber(row.high),
    low: toNumber(row.low),
    close: toNumber(row.close),
    volume: toNumber(row.volume),
  };
}

/**
 * Splits a series into committed candles (start ≤ `lastCommittedMs`, i.e. every row but the
 * running one) and the running candle (the last row when it starts after `last`). Pure.
 */
export function splitCommitted(series: OhlcSeries): { committed: OhlcRow[]; running: OhlcRow | null } {
  const committed = series.rows.filter((r) => r.tsOpenMs <= series.lastCommittedMs);
  const tail = series.rows[series.rows.length - 1];
  const running = tail !== undefined && tail.tsOpenMs > series.lastCommittedMs ? tail : null;
  return { committed, running };
}
