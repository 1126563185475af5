/**
 * Parser for WS v2 `executions` elements (kraken.md §12). Updates are sparse: fields absent from
 * an event are null here, and the consumer merges by `orderId`. A `trade` event must carry its
 * fill (`exec_id`, `last_qty`, `last_price`). Completion is the separate `filled` event: a
 * trade that completes the order still reports `partially_filled`. Pure.
 */
import type { Fixed } from '../../../domain/money/index.ts';
import type { Json } from '../json.ts';
import { KRAKEN_ORDER_TYPES, type KrakenOrderType, type KrakenSide } from '../types.ts';
import { arr, at, bool, count, decimal, fail, field, int, nonNegative, obj, oneOf, opt, positive, rfc3339Ms, str, text } from './read.ts';

/** What happened (kraken.md §12 table). */
export type ExecType = 'pending_new' | 'new' | 'trade' | 'filled' | 'iceberg_refill' | 'canceled' | 'expired' | 'amended' | 'restated' | 'status';
/** Every `ExecType`, for validation. */
export const EXEC_TYPES: readonly ExecType[] = Object.freeze(['pending_new', 'new', 'trade', 'filled', 'iceberg_refill', 'canceled', 'expired', 'amended', 'restated', 'status']);

/** The order's state after the event. */
export type WsOrderStatus = 'pending_new' | 'new' | 'partially_filled' | 'filled' | 'canceled' | 'expired';
/** Every `WsOrderStatus`, for validation. */
export const WS_ORDER_STATUSES: readonly WsOrderStatus[] = Object.freeze(['pending_new', 'new', 'partially_filled', 'filled', 'canceled', 'expired']);

/** One fee charged on a fill. */
export interface WsFee {
  readonly asset: string;
  readonly qty: Fixed;
}

/** One execution report; absent fields are null. */
export interface WsExecution {
  readonly orderId: string;
  readonly execType: ExecType;
  readonly orderStatus: WsOrderStatus | null;
  readonly clientOrderId: string | null;
  readonly orderUserref: number | null;
  readonly symbol: string | null;
  readonly side: KrakenSide | null;
  readonly orderType: KrakenOrderType | null;
  readonly orderQty: Fixed | null;
  readonly limitPrice: Fixed | null;
  readonly timeInForce: string | null;
  readonly postOnly: boolean | null;
  /** Fill fields (`trade` events). */
  readonly execId: string | null;
  readonly tradeId: number | null;
  readonly lastQty: Fixed | null;
  readonly lastPrice: Fixed | null;
  /** Cost of this fill, quote. */
  readonly cost: Fixed | null;
  readonly liquidity: 'maker' | 'taker' | null;
  /** Cumulative totals after the event. */
  readonly cumQty: Fixed | null;
  readonly cumCost: Fixed | null;
  readonly avgPrice: Fixed | null;
  readonly fees: readonly WsFee[];
  readonly feeUsdEquiv: Fixed | null;
  readonly reason: string | null;
  readonly amended: boolean | null;
  readonly tsMs: number;
}

/** One executions element. */
export function parseWsExecution(value: Json, path: string): WsExecution {
  const o = obj(value, path);
  const optDec = (k: string, read = nonNegative) => {
    const v = opt(o, k);
    return v === undefined ? null : read(v, at(path, k));
  };
  const optStr = (k: string, max = 128) => {
    const v = opt(o, k);
    return v === undefined ? null : text(v, at(path, k), max);
  };
  const optBool = (k: string) => {
    const v = opt(o, k);
    return v === undefined ? null : bool(v, at(path, k));
  };
  const execType = oneOf(field(o, 'exec_type', path), EXEC_TYPES, at(path, 'exec_type'));
  const status = opt(o, 'order_status');
  const side = opt(o, 'side');
  const orderType = opt(o, 'order_type');
  const userref = opt(o, 'order_userref');
  const tradeId = opt(o, 'trade_id');
  const liq = opt(o, 'liquidity_ind');
  const feesRaw = opt(o, 'fees');
  const reason = opt(o, 'reason') ?? opt(o, 'cancel_reason');
  const exec: WsExecution = {
    orderId: text(field(o, 'order_id', path), at(path, 'order_id'), 64),
    execType,
    orderStatus: status === undefined ? null : oneOf(status, WS_ORDER_STATUSES, at(path, 'order_status')),
    clientOrderId: optStr('cl_ord_id', 64),
    orderUserref: userref === undefined ? null : int(userref, at(path, 'order_userref')),
    symbol: optStr('symbol', 64),
    side: side === undefined ? null : oneOf(side, ['buy', 'sell'] as const, at(path, 'side')),
    orderType: orderType === undefined ? null : oneOf(orderType, KRAKEN_ORDER_TYPES, at(path, 'order_type')),
    orderQty: optDec('order_qty'),
    limitPrice: optDec('limit_price'),
    timeInForce: optStr('time_in_force', 8),
    postOnly: optBool('post_only'),
    execId: optStr('exec_id', 64),
    tradeId: tradeId === undefined ? null : count(tradeId, at(path, 'trade_id')),
    lastQty: optDec('last_qty', positive),
    lastPrice: optDec('last_price', positive),
    cost: optDec('cost'),
    liquidity: liq === undefined ? null : oneOf(liq, ['m', 't'] as const, at(path, 'liquidity_ind')) === 'm' ? 'maker' : 'taker',
    cumQty: optDec('cum_qty'),
    cumCost: optDec('cum_cost'),
    avgPrice: optDec('avg_price'),
    fees:
      feesRaw === undefined
        ? []
        : arr(feesRaw, at(path, 'fees')).map((f, i) => {
            const fp = at(at(path, 'fees'), i);
            const fo = obj(f, fp);
            return { asset: text(field(fo, 'asset', fp), at(fp, 'asset'), 16), qty: decimal(field(fo, 'qty', fp), at(fp, 'qty')) };
          }),
    feeUsdEquiv: optDec('fee_usd_equiv', decimal),
    reason: reason === undefined ? null : str(reason, at(path, 'reason')),
    amended: optBool('amended'),
    tsMs: rfc3339Ms(field(o, 'timestamp', path), at(path, 'timestamp')),
  };
  if (execType === 'trade') {
    if (exec.execId === null) fail(at(path, 'exec_id'), 'a trade event must carry exec_id');
    if (exec.lastQty === null) fail(at(path, 'last_qty'), 'a trade event must carry last_qty');
    if (exec.lastPrice === null) fail(at(path, 'last_price'), 'a trade event must carry last_price');
  }
  return exec;
}
