/**
 * Parser for WS v2 `book` data (kraken.md §11 book). A message carries one book element with
 * the changed levels; `qty: 0` removes a level; the same price may repeat (apply in order). Pure.
 */
import type { Fixed } from '../../../domain/money/index.ts';
import type { Json } from '../json.ts';
import { arr, at, count, fail, field, nonNegative, obj, opt, positive, rfc3339Ms, text } from './read.ts';

/** One price level; `qty` 0 means "remove this level". */
export interface WsBookLevel {
  readonly price: Fixed;
  readonly qty: Fixed;
}

/** One book element: snapshot levels or changed levels, plus Kraken's CRC32 of the top 10. */
export interface WsBookData {
  readonly symbol: string;
  readonly bids: readonly WsBookLevel[];
  readonly asks: readonly WsBookLevel[];
  /** Unsigned 32-bit CRC32 of the top 10 levels after applying this message. */
  readonly checksum: number;
  readonly tsMs: number | null;
}

function levels(value: Json | undefined, path: string): WsBookLevel[] {
  if (value === undefined) return [];
  return arr(value, path).map((v, i) => {
    const p = at(path, i);
    const o = obj(v, p);
    return { price: positive(field(o, 'price', p), at(p, 'price')), qty: nonNegative(field(o, 'qty', p), at(p, 'qty')) };
  });
}

/** One book element. */
export function parseWsBook(value: Json, path: string): WsBookData {
  const o = obj(value, path);
  const checksum = count(field(o, 'checksum', path), at(path, 'checksum'));
  if (checksum > 0xffffffff) fail(at(path, 'checksum'), 'checksum is not an unsigned 32-bit integer');
  const ts = opt(o, 'timestamp');
  return {
    symbol: text(field(o, 'symbol', path), at(path, 'symbol'), 64),
    bids: levels(opt(o, 'bids'), at(path, 'bids')),
    asks: levels(opt(o, 'asks'), at(path, 'asks')),
    checksum,
    tsMs: ts === undefined ? null : rfc3339Ms(ts, at(path, 'timestamp')),
  };
}
