import { ZERO } from '../../domain/money/index.ts';
import { averagePrice } from './engine.ts';
import { dec, orderPrice, unixSeconds } from './format.ts';
import { type Order, type TradeRecord, describeOrder } from './orders.ts';

/**
 * REST renderings of orders and trades, field by field as Kraken's OpenOrders / ClosedOrders /
 * QueryOrders / TradesHistory return them (reference/kraken.md §5). Pure.
 */

/** The order object of OpenOrders, ClosedOrders and QueryOrders. */
export function orderInfo(o: Order, withTrades: boolean): Record<string, unknown> {
  const pd = o.pair.pairDecimals;
  const stopTypes = o.ordertype !== 'market' && o.ordertype !== 'limit';
  const oflags = [o.feeCurrency === 'base' ? 'fcib' : 'fciq', ...(o.postOnly ? ['post'] : [])].join(',');
  const info: Record<string, unknown> = {
    refid: o.refid,
    userref: o.userref,
    cl_ord_id: o.clOrdId,
    status: o.status,
    reason: o.reason,
    opentm: unixSeconds(o.openMs),
    closetm: o.closeMs === null ? undefined : unixSeconds(o.closeMs),
    starttm: o.startMs === null ? 0 : unixSeconds(o.startMs),
    expiretm: o.expireMs === null ? 0 : unixSeconds(o.expireMs),
    descr: {
      pair: o.pair.altname,
      aclass: 'currency',
      type: o.side,
      ordertype: o.ordertype,
      price: o.price === null ? '0' : dec(o.price, pd),
      price2: o.price2 === null ? '0' : dec(o.price2, pd),
      leverage: 'none',
      order: describeOrder(o),
      close: '',
    },
    vol: dec(o.vol, o.pair.lotDecimals),
    vol_exec: dec(o.volExec, o.pair.lotDecimals),
    cost: dec(o.cost, o.pair.costDecimals),
    fee: dec(o.fee, o.pair.costDecimals),
    price: orderPrice(averagePrice(o), pd),
    stopprice: stopTypes && o.price !== null ? orderPrice(o.price, pd) : '0.00000',
    limitprice: (o.ordertype === 'stop-loss-limit' || o.ordertype === 'take-profit-limit') && o.triggered && o.price2 !== null ? orderPrice(o.price2, pd) : '0.00000',
    trigger: stopTypes ? 'last' : undefined,
    misc: [...o.misc].join(','),
    oflags,
    margin: false,
  };
  if (withTrades && o.trades.length > 0) info.trades = [...o.trades];
  return info;
}

/** The trade object of TradesHistory (prices and costs with 5 decimals, as Kraken prints them). */
export function tradeInfo(t: TradeRecord): Record<string, unknown> {
  const pd = Math.max(5, t.pair.pairDecimals);
  return {
    ordertxid: t.ordertxid,
    postxid: t.postxid,
    pair: t.pair.key,
    time: unixSeconds(t.atMs),
    type: t.side,
    ordertype: t.ordertype,
    price: dec(t.price, pd),
    cost: dec(t.cost, t.pair.costDecimals),
    fee: dec(t.fee, t.pair.costDecimals),
    vol: dec(t.vol, t.pair.lotDecimals),
    margin: dec(ZERO, t.pair.costDecimals),
    misc: '',
    trade_id: t.tradeId,
    maker: t.maker,
  };
}
