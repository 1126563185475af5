import { type Fixed, ONE, ZERO, div, mul, round, toFixed } from '../../domain/money/index.ts';
import type { BookLevels, Level } from './book.ts';
import type { ExchangeContext } from './context.ts';
import { averagePrice } from './engine.ts';
import { rfc3339, wsNum } from './format.ts';
import type { Bar, MarketReplay, Tick } from './market.ts';
import { type Order, type TradeRecord, isTriggerType } from './orders.ts';
import type { PairSpec } from './pairs.ts';
import { pairStats } from './rest-public.ts';

/**
 * WebSocket v2 data elements (reference/kraken.md §11–§12), numbers hand-formatted with the
 * engine's precision. Pure apart from reading the context's current state.
 */

/** First public trade id: the public `trade` feed numbers replayed ticks sequentially from here. */
const PUBLIC_TRADE_ID_BASE = 90_000_000;

/** One `ticker` data element. */
export function tickerData(ctx: ExchangeContext, market: MarketReplay, nowMs: number): Record<string, unknown> {
  const pair = market.pair;
  const pd = pair.pairDecimals;
  const book = ctx.books.levels(market, nowMs, 1);
  const last = market.tickAtOrBefore(nowMs)!;
  const { day } = pairStats(ctx, pair, nowMs);
  const open24 = day?.open ?? last.price;
  const change = last.price - open24;
  const changePct = open24 === ZERO ? ZERO : round(div(mul(change, 100n * ONE), open24), 2);
  return {
    symbol: pair.symbol,
    bid: wsNum(book.bids[0]!.price, pd),
    bid_qty: wsNum(book.bids[0]!.qty, pair.lotDecimals),
    ask: wsNum(book.asks[0]!.price, pd),
    ask_qty: wsNum(book.asks[0]!.qty, pair.lotDecimals),
    last: wsNum(last.price, pd),
    volume: wsNum(day?.volume ?? ZERO, pair.lotDecimals),
    vwap: wsNum(day === null ? ZERO : market.vwapOf(day), pd),
    low: wsNum(day?.low ?? last.price, pd),
    high: wsNum(day?.high ?? last.price, pd),
    change: wsNum(change, pd),
    change_pct: wsNum(changePct, 2),
    timestamp: rfc3339(last.atMs),
  };
}

/** One `ohlc` data element for a bar of `intervalMin` minutes. */
export function ohlcData(pair: PairSpec, bar: Bar, intervalMin: number): Record<string, unknown> {
  const pd = pair.pairDecimals;
  return {
    symbol: pair.symbol,
    open: wsNum(bar.open, pd),
    high: wsNum(bar.high, pd),
    low: wsNum(bar.low, pd),
    close: wsNum(bar.close, pd),
    trades: bar.count,
    volume: wsNum(bar.volume, pair.lotDecimals),
    vwap: wsNum(bar.vwap, pd),
    interval_begin: rfc3339(bar.startMs, 9),
    interval: intervalMin,
    // Deprecated by Kraken; equals the END of the interval.
    timestamp: rfc3339(bar.startMs + intervalMin * 60_000),
  };
}

/** Book levels as `[{price, qty}]` with the pair's precisions. */
export function levelRows(pair: PairSpec, levels: readonly Level[]): unknown[] {
  return levels.map((l) => ({ price: wsNum(l.price, pair.pairDecimals), qty: wsNum(l.qty, pair.lotDecimals) }));
}

/** Book snapshot element. */
export function bookSnapshotData(pair: PairSpec, levels: BookLevels, checksum: number, atMs: number): Record<string, unknown> {
  return { symbol: pair.symbol, bids: levelRows(pair, levels.bids), asks: levelRows(pair, levels.asks), checksum, timestamp: rfc3339(atMs) };
}

/** Public trade element for a replayed tick (taker side: up-tick buy, down-tick sell). */
export function publicTradeData(market: MarketReplay, tick: Tick): Record<string, unknown> {
  const pair = market.pair;
  const prev = tick.candle === 0 && tick.k === 0 ? null : market.tickAtOrBefore(tick.atMs - 1);
  const side = prev !== null && tick.price < prev.price ? 'sell' : 'buy';
  return {
    symbol: pair.symbol,
    side,
    price: wsNum(tick.price, pair.pairDecimals),
    qty: wsNum(tick.volume, pair.lotDecimals),
    ord_type: 'market',
    trade_id: PUBLIC_TRADE_ID_BASE + tick.candle * 4 + tick.k,
    timestamp: rfc3339(tick.atMs),
  };
}

/** The most recent `n` replayed ticks up to `nowMs`, oldest first (trade snapshot). */
export function recentTicks(market: MarketReplay, nowMs: number, n: number): Tick[] {
  const out: Tick[] = [];
  let t = market.tickAtOrBefore(nowMs);
  while (t !== null && out.length < n) {
    out.push(t);
    t = t.candle === 0 && t.k === 0 ? null : market.tickAtOrBefore(t.atMs - 1);
  }
  return out.reverse();
}

/** `instrument` channel data object. */
export function instrumentData(pairs: readonly PairSpec[]): Record<string, unknown> {
  const assets = new Map<string, PairSpec['base']>();
  for (const p of pairs) {
    assets.set(p.base.id, p.base);
    assets.set(p.quote.id, p.quote);
  }
  return {
    assets: [...assets.values()].map((a) => ({
      id: a.wsCode,
      status: 'enabled',
      precision: a.decimals,
      precision_display: a.displayDecimals,
      borrowable: false,
      collateral_value: wsNum(ONE, 2),
      margin_rate: wsNum(ZERO, 2),
    })),
    pairs: pairs.map((p) => ({
      symbol: p.symbol,
      base: p.base.wsCode,
      quote: p.quote.wsCode,
      status: 'online',
      qty_precision: p.lotDecimals,
      qty_increment: wsNum(10n ** BigInt(18 - p.lotDecimals), p.lotDecimals),
      qty_min: wsNum(p.ordermin, decimalsOf(p.ordermin)),
      price_precision: p.pairDecimals,
      price_increment: wsNum(p.tickSize, p.pairDecimals),
      cost_precision: p.costDecimals,
      cost_min: wsNum(p.costmin, decimalsOf(p.costmin)),
      marginable: false,
      has_index: true,
      tick_size: wsNum(p.tickSize, p.pairDecimals),
    })),
  };
}

function decimalsOf(v: Fixed): number {
  const frac = toFixed(v, 18).split('.')[1]!.replace(/0+$/, '');
  return frac.length;
}

/** Identity fields every execution event carries. */
function identity(o: Order): Record<string, unknown> {
  return { order_id: o.txid, cl_ord_id: o.clOrdId ?? undefined, order_userref: o.clOrdId === null ? (o.userref ?? 0) : undefined };
}

function triggersOf(o: Order, atMs: number | null): Record<string, unknown> | undefined {
  if (!isTriggerType(o.ordertype) || o.price === null) return undefined;
  const pd = o.pair.pairDecimals;
  return {
    reference: 'last',
    price: wsNum(o.price, pd),
    price_type: 'static',
    status: o.triggered ? 'triggered' : 'untriggered',
    timestamp: atMs === null ? undefined : rfc3339(atMs),
  };
}

function wsStatus(o: Order): string {
  if (o.status === 'closed') return 'filled';
  if (o.status === 'canceled' || o.status === 'expired') return o.status;
  if (o.status === 'pending') return 'pending_new';
  return o.volExec > ZERO ? 'partially_filled' : 'new';
}

/** A full order record (pending_new events and snapshot rows). */
function orderRecord(o: Order, execType: string, orderStatus: string, atMs: number): Record<string, unknown> {
  const pair = o.pair;
  const pd = pair.pairDecimals;
  const limit = o.ordertype === 'limit' ? o.price : o.ordertype.endsWith('-limit') ? o.price2 : null;
  return {
    ...identity(o),
    exec_type: execType,
    order_status: orderStatus,
    symbol: pair.symbol,
    side: o.side,
    order_type: o.ordertype,
    order_qty: wsNum(o.vol, pair.lotDecimals),
    limit_price: limit === null ? undefined : wsNum(limit, pd),
    limit_price_type: limit === null ? undefined : 'static',
    triggers: triggersOf(o, null),
    time_in_force: o.timeInForce,
    post_only: o.postOnly,
    reduce_only: false,
    margin: false,
    fee_ccy_pref: o.feeCurrency === 'base' ? 'fcib' : 'fciq',
    cum_qty: wsNum(o.volExec, pair.lotDecimals),
    cum_cost: wsNum(o.cost, pair.costDecimals),
    avg_price: wsNum(averagePrice(o), pd),
    fee_usd_equiv: wsNum(o.fee, pair.costDecimals),
    effective_time: o.startMs === null ? undefined : rfc3339(o.startMs),
    expire_time: o.expireMs === null ? undefined : rfc3339(o.expireMs),
    timestamp: rfc3339(atMs),
  };
}

/** The element for an order event (sparse, as Kraken sends them). */
export function executionData(
  e: { type: string; order: Order; atMs: number; reason?: string; trade?: TradeRecord },
): Record<string, unknown> {
  const o = e.order;
  const pair = o.pair;
  const pd = pair.pairDecimals;
  const ts = rfc3339(e.atMs);
  switch (e.type) {
    case 'pending_new':
      return orderRecord(o, 'pending_new', 'pending_new', e.atMs);
    case 'new':
      return { ...identity(o), exec_type: 'new', order_status: 'new', timestamp: ts };
    case 'trade': {
      const t = e.trade!;
      return {
        ...identity(o),
        exec_id: t.txid,
        exec_type: 'trade',
        trade_id: t.tradeId,
        symbol: pair.symbol,
        side: o.side,
        order_type: o.ordertype,
        order_qty: wsNum(o.vol, pair.lotDecimals),
        last_qty: wsNum(t.vol, pair.lotDecimals),
        last_price: wsNum(t.price, pd),
        liquidity_ind: t.maker ? 'm' : 't',
        cost: wsNum(t.cost, pair.costDecimals),
        // A fill that completes the order still says partially_filled; `filled` follows.
        order_status: 'partially_filled',
        cum_qty: wsNum(o.volExec, pair.lotDecimals),
        cum_cost: wsNum(o.cost, pair.costDecimals),
        avg_price: wsNum(averagePrice(o), pd),
        fees: [{ asset: pair.quote.wsCode, qty: wsNum(t.fee, pair.costDecimals) }],
        fee_usd_equiv: wsNum(t.fee, pair.costDecimals),
        fee_ccy_pref: o.feeCurrency === 'base' ? 'fcib' : 'fciq',
        timestamp: ts,
      };
    }
    case 'filled':
      return {
        ...identity(o),
        exec_type: 'filled',
        order_status: 'filled',
        cum_qty: wsNum(o.volExec, pair.lotDecimals),
        cum_cost: wsNum(o.cost, pair.costDecimals),
        avg_price: wsNum(averagePrice(o), pd),
        fee_usd_equiv: wsNum(o.fee, pair.costDecimals),
        timestamp: ts,
      };
    case 'canceled':
    case 'expired':
      return {
        ...identity(o),
        exec_type: e.type,
        order_status: e.type,
        cum_qty: wsNum(o.volExec, pair.lotDecimals),
        cum_cost: wsNum(o.cost, pair.costDecimals),
        reason: e.reason,
        cancel_reason: e.type === 'canceled' ? e.reason : undefined,
        timestamp: ts,
      };
    case 'amended':
      return {
        ...identity(o),
        exec_type: 'amended',
        order_status: wsStatus(o),
        amended: true,
        order_qty: wsNum(o.vol, pair.lotDecimals),
        limit_price: o.ordertype === 'limit' && o.price !== null ? wsNum(o.price, pd) : o.price2 !== null ? wsNum(o.price2, pd) : undefined,
        triggers: triggersOf(o, null),
        post_only: o.postOnly,
        reason: 'User requested',
        timestamp: ts,
      };
    case 'status':
      return { ...identity(o), exec_type: 'status', order_status: wsStatus(o), triggers: triggersOf(o, e.atMs), timestamp: ts };
    default:
      throw new RangeError(`unknown execution event type ${e.type}`);
  }
}

/** Snapshot row of an open order. */
export function snapshotOrderRow(o: Order, nowMs: number): Record<string, unknown> {
  return orderRecord(o, 'new', wsStatus(o), nowMs);
}

/** The `n` most recent own trades as execution rows (for `snap_trades`), oldest first. */
export function snapshotTradeRows(ctx: ExchangeContext, n: number): Record<string, unknown>[] {
  return ctx.engine
    .allTrades()
    .slice(0, n)
    .reverse()
    .map((t) => executionData({ type: 'trade', order: ctx.engine.order(t.ordertxid)!, atMs: t.atMs, trade: t }));
}
