/**
 * Parsers for order results (kraken.md §5 order object, §6): OpenOrders, ClosedOrders,
 * QueryOrders, AddOrder, AmendOrder, EditOrder, CancelOrder/CancelAll. `descr.order` is kept as
 * text and never parsed. Pure.
 */
import type { Json } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import {
  type AddOrderResult,
  type AmendOrderResult,
  type CancelResult,
  type EditOrderResult,
  KRAKEN_ORDER_STATUSES,
  KRAKEN_ORDER_TYPES,
  type KrakenOrder,
  type OrdersPage,
} from '../types.ts';
import {
  at,
  bool,
  commaList,
  count,
  decimal,
  decimalOrNullIfZero,
  field,
  int,
  keysOf,
  nonNegative,
  obj,
  oneOf,
  opt,
  str,
  stringOrList,
  strings,
  text,
  unixSecondsMs,
  unixSecondsMsOrNull,
} from './read.ts';

/** Kraken order ids: opaque, but never empty or huge. */
const ID_MAX = 64;

function optText(value: Json | undefined, path: string): string | null {
  return value === undefined ? null : str(value, path);
}

/** One order object under its txid. */
export function parseOrder(txid: string, value: Json, path: string): KrakenOrder {
  const o = obj(value, path);
  const dp = at(path, 'descr');
  const d = obj(field(o, 'descr', path), dp);
  const pair = text(field(d, 'pair', dp), at(dp, 'pair'), 64);
  const userref = opt(o, 'userref');
  const clOrdId = opt(o, 'cl_ord_id');
  const trades = opt(o, 'trades');
  const trigger = opt(o, 'trigger');
  return {
    txid: text(txid, path, ID_MAX),
    refid: optText(opt(o, 'refid'), at(path, 'refid')),
    userref: userref === undefined ? null : int(userref, at(path, 'userref')),
    clientOrderId: clOrdId === undefined ? null : text(clOrdId, at(path, 'cl_ord_id'), ID_MAX),
    status: oneOf(field(o, 'status', path), KRAKEN_ORDER_STATUSES, at(path, 'status')),
    reason: optText(opt(o, 'reason'), at(path, 'reason')),
    tsOpenedMs: unixSecondsMs(field(o, 'opentm', path), at(path, 'opentm')),
    tsClosedMs: unixSecondsMsOrNull(opt(o, 'closetm'), at(path, 'closetm')),
    tsStartMs: unixSecondsMsOrNull(opt(o, 'starttm'), at(path, 'starttm')),
    tsExpireMs: unixSecondsMsOrNull(opt(o, 'expiretm'), at(path, 'expiretm')),
    pair,
    symbol: canonicalSymbol(pair),
    side: oneOf(field(d, 'type', dp), ['buy', 'sell'] as const, at(dp, 'type')),
    orderType: oneOf(field(d, 'ordertype', dp), KRAKEN_ORDER_TYPES, at(dp, 'ordertype')),
    descrPrice: str(field(d, 'price', dp), at(dp, 'price')),
    descrPrice2: str(field(d, 'price2', dp), at(dp, 'price2')),
    leverage: optText(opt(d, 'leverage'), at(dp, 'leverage')),
    description: str(field(d, 'order', dp), at(dp, 'order')),
    volume: nonNegative(field(o, 'vol', path), at(path, 'vol')),
    volumeExecuted: nonNegative(field(o, 'vol_exec', path), at(path, 'vol_exec')),
    cost: nonNegative(field(o, 'cost', path), at(path, 'cost')),
    fee: nonNegative(field(o, 'fee', path), at(path, 'fee')),
    avgPrice: decimalOrNullIfZero(opt(o, 'price'), at(path, 'price')),
    stopPrice: decimalOrNullIfZero(opt(o, 'stopprice'), at(path, 'stopprice')),
    limitPrice: decimalOrNullIfZero(opt(o, 'limitprice'), at(path, 'limitprice')),
    trigger: trigger === undefined ? 'last' : oneOf(trigger, ['last', 'index'] as const, at(path, 'trigger')),
    misc: commaList(opt(o, 'misc'), at(path, 'misc')),
    oflags: commaList(opt(o, 'oflags'), at(path, 'oflags')),
    tradeIds: trades === undefined ? [] : strings(trades, at(path, 'trades')),
  };
}

function orderMap(value: Json, path: string): KrakenOrder[] {
  const o = obj(value, path);
  return keysOf(o).map((txid) => parseOrder(txid, o[txid]!, at(path, txid)));
}

/** `{open: {TXID: order}}`. */
export function parseOpenOrders(result: Json, path: string): OrdersPage {
  const o = obj(result, path);
  return { orders: orderMap(field(o, 'open', path), at(path, 'open')), count: null };
}

/** `{closed: {TXID: order}, count}` (count may be omitted with `without_count`). */
export function parseClosedOrders(result: Json, path: string): OrdersPage {
  const o = obj(result, path);
  const c = opt(o, 'count');
  return { orders: orderMap(field(o, 'closed', path), at(path, 'closed')), count: c === undefined ? null : count(c, at(path, 'count')) };
}

/** `{TXID: order, …}`. */
export function parseQueryOrders(result: Json, path: string): OrdersPage {
  return { orders: orderMap(result, path), count: null };
}

/** `{descr: {order, close?}, txid: ["O…"]}`; with `validate` there is no `txid`. */
export function parseAddOrder(result: Json, path: string): AddOrderResult {
  const o = obj(result, path);
  const dp = at(path, 'descr');
  const d = obj(field(o, 'descr', path), dp);
  const txid = opt(o, 'txid');
  const close = opt(d, 'close');
  return {
    txids: txid === undefined ? [] : stringOrList(txid, at(path, 'txid')),
    description: str(field(d, 'order', dp), at(dp, 'order')),
    closeDescription: close === undefined || close === '' ? null : str(close, at(dp, 'close')),
  };
}

/** `{amend_id: "T…"}`. */
export function parseAmendOrder(result: Json, path: string): AmendOrderResult {
  const o = obj(result, path);
  return { amendId: text(field(o, 'amend_id', path), at(path, 'amend_id'), ID_MAX) };
}

/** `{status, txid, originaltxid, volume, price, price2, orders_cancelled, descr: {order}}`. */
export function parseEditOrder(result: Json, path: string): EditOrderResult {
  const o = obj(result, path);
  const optDec = (k: string) => {
    const v = opt(o, k);
    return v === undefined ? null : decimal(v, at(path, k));
  };
  const descr = opt(o, 'descr');
  const txid = opt(o, 'txid');
  const original = opt(o, 'originaltxid');
  const cancelled = opt(o, 'orders_cancelled');
  const dp = at(path, 'descr');
  return {
    status: str(field(o, 'status', path), at(path, 'status')),
    txid: txid === undefined ? null : (stringOrList(txid, at(path, 'txid'))[0] ?? null),
    originalTxid: original === undefined ? null : text(original, at(path, 'originaltxid'), ID_MAX),
    volume: optDec('volume'),
    price: optDec('price'),
    price2: optDec('price2'),
    ordersCancelled: cancelled === undefined ? null : count(cancelled, at(path, 'orders_cancelled')),
    description: descr === undefined ? null : str(field(obj(descr, dp), 'order', dp), at(dp, 'order')),
  };
}

/** `{count, pending?}` (CancelOrder, CancelAll). */
export function parseCancel(result: Json, path: string): CancelResult {
  const o = obj(result, path);
  const pending = opt(o, 'pending');
  return { count: count(field(o, 'count', path), at(path, 'count')), pending: pending === undefined ? false : bool(pending, at(path, 'pending')) };
}
