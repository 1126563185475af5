/** Parser for Depth results (kraken.md §4 Depth): asks ascending, bids descending. Pure. */
import type { Json } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import type { DepthBook, DepthLevel } from '../types.ts';
import { arr, at, fail, field, keysOf, nonNegative, obj, positive, unixSecondsMs } from './read.ts';

function levels(value: Json, path: string, ascending: boolean): DepthLevel[] {
  const out = arr(value, path).map((row, i) => {
    const p = at(path, i);
    const r = arr(row, p, 3);
    return { price: positive(r[0], at(p, 0)), volume: nonNegative(r[1], at(p, 1)), tsMs: unixSecondsMs(r[2], at(p, 2)) };
  });
  for (let i = 1; i < out.length; i++) {
    const ok = ascending ? out[i]!.price > out[i - 1]!.price : out[i]!.price < out[i - 1]!.price;
    if (!ok) fail(at(path, i), `price levels must be strictly ${ascending ? 'ascending' : 'descending'}`);
  }
  return out;
}

/** The Depth result: exactly one pair key. */
export function parseDepth(result: Json, path: string): DepthBook {
  const o = obj(result, path);
  const keys = keysOf(o);
  if (keys.length !== 1) fail(path, `expected exactly one pair in the result, got ${keys.length}`);
  const key = keys[0]!;
  const p = at(path, key);
  const book = obj(o[key], p);
  return {
    key,
    symbol: canonicalSymbol(key),
    asks: levels(field(book, 'asks', p), at(p, 'asks'), true),
    bids: levels(field(book, 'bids', p), at(p, 'bids'), false),
  };
}
