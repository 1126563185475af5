/** Parser for WS v2 `ticker` data elements (kraken.md §11 ticker). Pure. */
import type { Fixed } from '../../../domain/money/index.ts';
import type { Json } from '../json.ts';
import { at, decimal, field, nonNegative, obj, opt, rfc3339Ms, text } from './read.ts';

/** Level-1 ticker (24-hour rolling statistics). `symbol` is the v2 name (`BTC/USD`). */
export interface WsTicker {
  readonly symbol: string;
  readonly bid: Fixed;
  readonly bidQty: Fixed;
  readonly ask: Fixed;
  readonly askQty: Fixed;
  readonly last: Fixed;
  /** 24 h volume, base units. */
  readonly volume: Fixed;
  readonly vwap: Fixed;
  readonly low: Fixed;
  readonly high: Fixed;
  /** 24 h change, quote units (may be negative). */
  readonly change: Fixed;
  /** 24 h change, percent (may be negative). */
  readonly changePct: Fixed;
  /** Venue time of the update, ms; null when Kraken omitted it. */
  readonly tsMs: number | null;
}

/** One ticker element. */
export function parseWsTicker(value: Json, path: string): WsTicker {
  const o = obj(value, path);
  const n = (k: string) => nonNegative(field(o, k, path), at(path, k));
  const ts = opt(o, 'timestamp');
  return {
    symbol: text(field(o, 'symbol', path), at(path, 'symbol'), 64),
    bid: n('bid'),
    bidQty: n('bid_qty'),
    ask: n('ask'),
    askQty: n('ask_qty'),
    last: n('last'),
    volume: n('volume'),
    vwap: n('vwap'),
    low: n('low'),
    high: n('high'),
    change: decimal(field(o, 'change', path), at(path, 'change')),
    changePct: decimal(field(o, 'change_pct', path), at(path, 'change_pct')),
    tsMs: ts === undefined ? null : rfc3339Ms(ts, at(path, 'timestamp')),
  };
}
