/** Parser for TradesHistory results (kraken.md §5 TradesHistory). Pure. */
import type { Json } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import { KRAKEN_ORDER_TYPES, type KrakenTrade, type TradesHistoryPage } from '../types.ts';
import { at, bool, commaList, count, field, keysOf, nonNegative, obj, oneOf, opt, text, unixSecondsMs } from './read.ts';

/** One trade under its trade txid. */
export function parseTrade(tradeTxid: string, value: Json, path: string): KrakenTrade {
  const o = obj(value, path);
  const key = text(field(o, 'pair', path), at(path, 'pair'), 64);
  const postxid = opt(o, 'postxid');
  const tradeId = opt(o, 'trade_id');
  const maker = opt(o, 'maker');
  const margin = opt(o, 'margin');
  return {
    tradeTxid: text(tradeTxid, path, 64),
    orderTxid: text(field(o, 'ordertxid', path), at(path, 'ordertxid'), 64),
    positionTxid: postxid === undefined ? null : text(postxid, at(path, 'postxid'), 64),
    key,
    symbol: canonicalSymbol(key),
    tsMs: unixSecondsMs(field(o, 'time', path), at(path, 'time')),
    side: oneOf(field(o, 'type', path), ['buy', 'sell'] as const, at(path, 'type')),
    orderType: oneOf(field(o, 'ordertype', path), KRAKEN_ORDER_TYPES, at(path, 'ordertype')),
    price: nonNegative(field(o, 'price', path), at(path, 'price')),
    cost: nonNegative(field(o, 'cost', path), at(path, 'cost')),
    fee: nonNegative(field(o, 'fee', path), at(path, 'fee')),
    volume: nonNegative(field(o, 'vol', path), at(path, 'vol')),
    margin: margin === undefined ? 0n : nonNegative(margin, at(path, 'margin')),
    misc: commaList(opt(o, 'misc'), at(path, 'misc')),
    tradeId: tradeId === undefined ? null : count(tradeId, at(path, 'trade_id')),
    maker: maker === undefined ? null : bool(maker, at(path, 'maker')),
  };
}

/** `{trades: {TRADE_ID: trade}, count}`. */
export function parseTradesHistory(result: Json, path: string): TradesHistoryPage {
  const o = obj(result, path);
  const tp = at(path, 'trades');
  const t = obj(field(o, 'trades', path), tp);
  const c = opt(o, 'count');
  return {
    trades: keysOf(t).map((id) => parseTrade(id, t[id]!, at(tp, id))),
    count: c === undefined ? null : count(c, at(path, 'count')),
  };
}
