/** Parser for Ticker results (kraken.md §4 Ticker). Pure. */
import type { Json } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import type { TickerInfo, TickerQuote, TodayAnd24h } from '../types.ts';
import type { Fixed } from '../../../domain/money/index.ts';
import { arr, at, count, field, keysOf, nonNegative, obj } from './read.ts';

function quote(value: Json, path: string): TickerQuote {
  const a = arr(value, path, 3);
  return { price: nonNegative(a[0], at(path, 0)), wholeLotVolume: nonNegative(a[1], at(path, 1)), lotVolume: nonNegative(a[2], at(path, 2)) };
}

function pairOf(value: Json, path: string): TodayAnd24h<Fixed> {
  const a = arr(value, path, 2);
  return { today: nonNegative(a[0], at(path, 0)), last24h: nonNegative(a[1], at(path, 1)) };
}

/** One Ticker entry under its pair key. */
export function parseTickerEntry(key: string, value: Json, path: string): TickerInfo {
  const o = obj(value, path);
  const c = arr(field(o, 'c', path), at(path, 'c'), 2);
  const t = arr(field(o, 't', path), at(path, 't'), 2);
  return {
    key,
    symbol: canonicalSymbol(key),
    ask: quote(field(o, 'a', path), at(path, 'a')),
    bid: quote(field(o, 'b', path), at(path, 'b')),
    last: { price: nonNegative(c[0], at(at(path, 'c'), 0)), volume: nonNegative(c[1], at(at(path, 'c'), 1)) },
    volume: pairOf(field(o, 'v', path), at(path, 'v')),
    vwap: pairOf(field(o, 'p', path), at(path, 'p')),
    trades: { today: count(t[0], at(at(path, 't'), 0)), last24h: count(t[1], at(at(path, 't'), 1)) },
    low: pairOf(field(o, 'l', path), at(path, 'l')),
    high: pairOf(field(o, 'h', path), at(path, 'h')),
    open: nonNegative(field(o, 'o', path), at(path, 'o')),
  };
}

/** The Ticker result object → entries in document order. */
export function parseTicker(result: Json, path: string): TickerInfo[] {
  const o = obj(result, path);
  return keysOf(o).map((key) => parseTickerEntry(key, o[key]!, at(path, key)));
}
