import { type Fixed, ONE, ZERO, div, fromString, mul, round } from '../../domain/money/index.ts';
import type { ExchangeContext } from './context.ts';
import type { Engine } from './engine.ts';
import { dec, rfc3339 } from './format.ts';
import { type Order, type OrderRequest, type OrderType, ORDER_TYPES, type TimeInForce, isLive } from './orders.ts';
import { type PairSpec, findPairByRestName } from './pairs.ts';
import { ParamError, type Params } from './params.ts';
import { pairsParam } from './rest-public.ts';
import { orderInfo, tradeInfo } from './rest-format.ts';

/**
 * Private REST endpoints (`/0/private/<Method>`), reference/kraken.md §5–§6. Authentication has
 * already passed when a handler runs. Handlers return the `result` (and optionally work to do
 * once the reply is on the wire) or throw `ParamError` with the Kraken error string.
 */

/** A handler's outcome. */
export interface PrivateReply {
  readonly result: unknown;
  /** Runs after the HTTP reply has been written (fault "fill after cancel"). */
  readonly afterResponse?: () => void;
}

export type PrivateHandler = (ctx: ExchangeContext, params: Params) => PrivateReply;

const PAGE = 50;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
const FREE_TEXT = /^[\x20-\x7e]{1,18}$/;

function ok(result: unknown): PrivateReply {
  return { result };
}

function fail(error: string): never {
  throw new ParamError(error);
}

/** `cl_ord_id` in one of Kraken's three formats (UUID, 32 hex chars, ASCII ≤ 18), or null. */
function clOrdIdParam(params: Params): string | null {
  const v = params.get('cl_ord_id');
  if (v === undefined || v === '') return null;
  if (UUID.test(v) || HEX32.test(v) || FREE_TEXT.test(v)) return v;
  return fail('EGeneral:Invalid arguments:cl_ord_id');
}

function userrefParam(params: Params): number | null {
  const v = params.integer('userref');
  if (v !== null && (v < -2_147_483_648 || v > 2_147_483_647)) fail('EGeneral:Invalid arguments:userref');
  return v;
}

/**
 * A price parameter: absolute (`37500.5`) or relative to the last trade (`+50`, `-50`, `+1.5%`,
 * `-2%`), relative results rounded to the pair's price decimals. `#` prefixes are not supported.
 */
function priceParam(engine: Engine, params: Params, name: string, pair: PairSpec): Fixed | null {
  const v = params.get(name);
  if (v === undefined || v === '') return null;
  // Not trimmed: a raw `+` in a form body decodes to a space, and " 100" must not silently become
  // the absolute price 100 (Kraken's exact reaction is unknown; here it is loud).
  const m = /^([+-])?(\d+(?:\.\d+)?|\.\d+)(%)?$/.exec(v);
  if (!m) return fail(`EGeneral:Invalid arguments:${name}`);
  const amount = fromString(m[2]!);
  if (m[1] === undefined && m[3] === undefined) return amount;
  const last = engine.lastPrice(pair);
  const delta = m[3] === '%' ? div(mul(last, amount), 100n * ONE) : amount;
  const value = round(m[1] === '-' ? last - delta : last + delta, pair.pairDecimals);
  if (value <= ZERO) fail(`EGeneral:Invalid arguments:${name}`);
  return value;
}

/** `starttm`/`expiretm`: `0` (none), `+<seconds>` from now, or absolute unix seconds → sim ms. */
function timeParam(engine: Engine, params: Params, name: string): number | null {
  const v = params.get(name);
  if (v === undefined || v === '' || v === '0') return null;
  const m = /^(\+)?(\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m) return fail(`EGeneral:Invalid arguments:${name}`);
  const seconds = Number(m[2]);
  return m[1] === '+' ? engine.now + Math.round(seconds * 1000) : Math.round(seconds * 1000);
}

/** A `start`/`end` bound: unix seconds or a txid (order or trade) → sim ms. */
function boundParam(ctx: ExchangeContext, params: Params, name: string): number | null {
  const v = params.get(name);
  if (v === undefined || v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const order = ctx.engine.order(v);
  if (order) return order.openMs;
  const trade = ctx.engine.allTrades().find((t) => t.txid === v);
  if (trade) return trade.atMs;
  return fail(`EGeneral:Invalid arguments:${name}`);
}

function offsetParam(params: Params): number {
  const ofs = params.integer('ofs') ?? 0;
  if (ofs < 0) fail('EGeneral:Invalid arguments:ofs');
  return ofs;
}

function pairParam(ctx: ExchangeContext, params: Params): PairSpec {
  const name = params.required('pair');
  return findPairByRestName(ctx.pairs, name) ?? fail('EQuery:Unknown asset pair');
}

/** Parses AddOrder parameters into an order request (Kraken's check order: pair, then params). */
function orderRequestFrom(ctx: ExchangeContext, params: Params): OrderRequest {
  const pair = pairParam(ctx, params);
  const side = params.oneOf('type', ['buy', 'sell']);
  const ordertype = params.oneOf<OrderType>('ordertype', ORDER_TYPES);
  const volume = params.decimal('volume') ?? fail('EGeneral:Invalid arguments:volume');
  if (volume === ZERO) fail('EGeneral:Invalid arguments:volume');
  for (const name of params.names()) {
    if (name.startsWith('close[')) fail('EGeneral:Invalid arguments:close'); // conditional close is not modelled
  }
  if (params.get('displayvol')) fail('EGeneral:Invalid arguments:displayvol');
  const leverage = params.get('leverage');
  if (leverage !== undefined && leverage !== '' && leverage !== 'none') fail('EGeneral:Invalid arguments:leverage');
  const trigger = params.oneOf('trigger', ['last', 'index'], 'last');
  if (trigger === 'index') fail('EGeneral:Invalid arguments:Index unavailable');
  const price = priceParam(ctx.engine, params, 'price', pair);
  const price2 = priceParam(ctx.engine, params, 'price2', pair);
  if (ordertype !== 'market' && price === null) fail('EGeneral:Invalid arguments:price');
  if (ordertype.endsWith('-limit') && price2 === null) fail('EGeneral:Invalid arguments:price2');
  const flags = params.list('oflags');
  for (const f of flags) if (!['post', 'fcib', 'fciq', 'nompp', 'viqc'].includes(f)) fail('EGeneral:Invalid arguments:oflags');
  if (flags.includes('viqc')) fail('EGeneral:Invalid arguments:oflags'); // volume in quote is not modelled
  if (flags.includes('fcib') && flags.includes('fciq')) fail('EGeneral:Invalid arguments:oflags');
  const postOnly = flags.includes('post');
  if (postOnly && ordertype !== 'limit') fail('EGeneral:Invalid arguments:oflags');
  const timeInForce = params.oneOf<TimeInForce>('timeinforce', ['GTC', 'IOC', 'GTD', 'FOK'], 'GTC');
  const startMs = timeParam(ctx.engine, params, 'starttm');
  const expireMs = timeParam(ctx.engine, params, 'expiretm');
  if (timeInForce === 'GTD' && expireMs === null) fail('EGeneral:Invalid arguments:expiretm');
  if (expireMs !== null && expireMs <= ctx.engine.now) fail('EGeneral:Invalid arguments:expiretm');
  const userref = userrefParam(params);
  const clOrdId = clOrdIdParam(params);
  if (userref !== null && clOrdId !== null) fail('EGeneral:Invalid arguments:cl_ord_id');
  return {
    pair,
    side,
    ordertype,
    volume,
    price: ordertype === 'market' ? null : price,
    price2: ordertype.endsWith('-limit') ? price2 : null,
    postOnly,
    feeCurrency: flags.includes('fcib') ? 'base' : flags.includes('fciq') ? 'quote' : null,
    timeInForce,
    startMs,
    expireMs,
    userref,
    clOrdId,
  };
}

function isValidateOnly(ctx: ExchangeContext, params: Params): boolean {
  if (!params.has('validate')) return false;
  return ctx.behaviour.validateAnyValue ? true : params.bool('validate', false);
}

function ordersMatching(ctx: ExchangeContext, orders: readonly Order[], params: Params): Order[] {
  const userref = userrefParam(params);
  const clOrdId = params.get('cl_ord_id');
  return orders.filter((o) => (userref === null || o.userref === userref) && (clOrdId === undefined || clOrdId === '' || o.clOrdId === clOrdId));
}

function keyed<T>(items: readonly T[], key: (t: T) => string, value: (t: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of items) out[key(t)] = value(t);
  return out;
}

/** Value of `asset` units in ZUSD at the current last prices (1 for ZUSD). */
function usdPrice(ctx: ExchangeContext, asset: string): Fixed | null {
  if (asset === 'ZUSD') return ONE;
  const pair = ctx.pairs.find((p) => p.base.id === asset && p.quote.id === 'ZUSD');
  return pair ? ctx.engine.lastPrice(pair) : null;
}

/** Finds the live order a cancel/amend names: `cl_ord_id`, or `txid` (a txid). */
function targetOrder(ctx: ExchangeContext, params: Params): Order | undefined {
  const clOrdId = params.get('cl_ord_id');
  if (clOrdId !== undefined && clOrdId !== '') return ctx.engine.liveOrders().find((o) => o.clOrdId === clOrdId);
  const txid = params.get('txid');
  if (txid === undefined || txid === '') return fail('EGeneral:Invalid arguments:txid');
  return ctx.engine.order(txid.trim());
}

function feeInfo(ctx: ExchangeContext, pair: PairSpec, liquidity: 'maker' | 'taker'): Record<string, unknown> {
  const { index, tier, schedule } = ctx.engine.feeTier(pair, liquidity);
  const next = schedule[index + 1];
  return {
    fee: dec(tier.pct, 4),
    minfee: dec(schedule[schedule.length - 1]!.pct, 4),
    maxfee: dec(schedule[0]!.pct, 4),
    nextfee: next ? dec(next.pct, 4) : null,
    nextvolume: next ? dec(fromString(String(next.volumeUsd)), 4) : null,
    tiervolume: dec(fromString(String(tier.volumeUsd)), 4),
  };
}

/** The private endpoints by method name. */
export const PRIVATE_HANDLERS: Readonly<Record<string, PrivateHandler>> = {
  Balance(ctx) {
    const out: Record<string, string> = {};
    for (const [asset, amount] of ctx.engine.balanceSnapshot()) out[asset] = dec(amount, decimalsOf(ctx, asset));
    return ok(out);
  },

  BalanceEx(ctx) {
    const out: Record<string, unknown> = {};
    for (const [asset, amount] of ctx.engine.balanceSnapshot()) {
      const d = decimalsOf(ctx, asset);
      out[asset] = { balance: dec(amount, d), hold_trade: dec(ctx.engine.holdOf(asset), d) };
    }
    return ok(out);
  },

  TradeBalance(ctx, params) {
    const asset = params.get('asset') ?? 'ZUSD';
    const assetUsd = usdPrice(ctx, asset) ?? fail('EGeneral:Invalid arguments:asset');
    let equivalentUsd = ZERO;
    for (const [a, amount] of ctx.engine.balanceSnapshot()) {
      const px = usdPrice(ctx, a);
      if (px !== null) equivalentUsd += mul(amount, px);
    }
    let unexecutedUsd = ZERO;
    for (const o of ctx.engine.liveOrders()) unexecutedUsd += mul(o.vol - o.volExec, ctx.engine.lastPrice(o.pair));
    const inAsset = (usd: Fixed): string => dec(div(usd, assetUsd), 4);
    const eb = inAsset(equivalentUsd);
    const zero = dec(ZERO, 4);
    return ok({ eb, tb: eb, m: zero, n: zero, c: zero, v: zero, e: eb, mf: eb, uv: inAsset(unexecutedUsd) });
  },

  TradeVolume(ctx, params) {
    const pairs = params.list('pair').length > 0 ? pairsParam(ctx, params, true) : [];
    const result: Record<string, unknown> = { currency: 'ZUSD', volume: dec(ctx.engine.volume30d(), 4) };
    if (pairs.length > 0) {
      result.fees = keyed(pairs, (p) => p.key, (p) => feeInfo(ctx, p, 'taker'));
      result.fees_maker = keyed(pairs, (p) => p.key, (p) => feeInfo(ctx, p, 'maker'));
    }
    return ok(result);
  },

  AddOrder(ctx, params) {
    const request = orderRequestFrom(ctx, params);
    const placed = ctx.engine.addOrder(request, isValidateOnly(ctx, params));
    if (!placed.ok) return fail(placed.error);
    if (placed.order === null) return ok({ descr: { order: placed.descr } });
    return ok({ descr: { order: placed.descr }, txid: [placed.order.txid] });
  },

  AmendOrder(ctx, params) {
    const order = targetOrder(ctx, params);
    if (params.get('display_qty')) fail('EGeneral:Invalid arguments:display_qty');
    const pair = order?.pair;
    const orderQty = params.decimal('order_qty');
    const limitPrice = pair ? priceParam(ctx.engine, params, 'limit_price', pair) : null;
    const triggerPrice = pair ? priceParam(ctx.engine, params, 'trigger_price', pair) : null;
    const postOnly = params.has('post_only') ? params.bool('post_only', false) : null;
    const amended = ctx.engine.amendOrder(order, { orderQty, limitPrice, triggerPrice, postOnly });
    if (!amended.ok) return fail(amended.error);
    return ok({ amend_id: amended.amendId });
  },

  EditOrder(ctx, params) {
    const pair = pairParam(ctx, params);
    const txid = params.required('txid');
    const byRef = /^-?\d+$/.test(txid) ? ctx.engine.liveOrders().filter((o) => o.userref === Number(txid)) : null;
    if (byRef !== null && byRef.length > 1) fail('EGeneral:Invalid arguments:txid');
    const order = byRef !== null ? byRef[0] : ctx.engine.order(txid);
    if (order !== undefined && order.pair.key !== pair.key) fail('EOrder:Unknown order');
    const flags = params.list('oflags');
    for (const f of flags) if (f !== 'post') fail('EGeneral:Invalid arguments:oflags');
    const edited = ctx.engine.editOrder(
      order,
      {
        volume: params.decimal('volume'),
        price: priceParam(ctx.engine, params, 'price', pair),
        price2: priceParam(ctx.engine, params, 'price2', pair),
        postOnly: params.has('oflags') ? flags.includes('post') : null,
        userref: userrefParam(params),
      },
      isValidateOnly(ctx, params),
    );
    if (!edited.ok) return fail(edited.error);
    const r = edited.request;
    const pd = pair.pairDecimals;
    const common = {
      descr: { order: edited.descr },
      volume: dec(r.volume, pair.lotDecimals),
      price: r.price === null ? '0' : dec(r.price, pd),
      price2: r.price2 === null ? '0' : dec(r.price2, pd),
    };
    if (edited.replacement === null) return ok({ status: 'ok', ...common });
    return ok({ status: 'ok', txid: edited.replacement.txid, originaltxid: order!.txid, ...common, orders_cancelled: 1 });
  },

  CancelOrder(ctx, params) {
    const clOrdId = params.get('cl_ord_id');
    const txid = params.get('txid');
    let targets: Order[];
    if (clOrdId !== undefined && clOrdId !== '') {
      targets = ctx.engine.liveOrders().filter((o) => o.clOrdId === clOrdId);
    } else if (txid !== undefined && txid !== '') {
      if (/^-?\d+$/.test(txid.trim())) targets = ctx.engine.liveOrders().filter((o) => o.userref === Number(txid));
      else {
        const o = ctx.engine.order(txid.trim());
        targets = o !== undefined && isLive(o) ? [o] : [];
      }
    } else {
      return fail('EGeneral:Invalid arguments:txid');
    }
    if (targets.length === 0) return fail('EOrder:Unknown order');
    if (ctx.engine.systemStatus === 'maintenance') return fail('EService:Unavailable');
    const fault = targets.length === 1 ? ctx.faults.takeFillAfterCancel() : null;
    if (fault === 'unknown') {
      ctx.engine.forceFill(targets[0]!);
      return fail('EOrder:Unknown order');
    }
    if (fault === 'pending') {
      const order = targets[0]!;
      return { result: { count: 1, pending: true }, afterResponse: () => ctx.engine.forceFill(order) };
    }
    return ok({ count: ctx.engine.cancel(targets) });
  },

  CancelAll(ctx) {
    if (ctx.engine.systemStatus === 'maintenance') return fail('EService:Unavailable');
    return ok({ count: ctx.engine.cancel(ctx.engine.liveOrders()) });
  },

  CancelAllOrdersAfter(ctx, params) {
    const timeout = params.integer('timeout') ?? fail('EGeneral:Invalid arguments:timeout');
    if (timeout < 0 || timeout >= 86_400) fail('EGeneral:Invalid arguments:timeout');
    const trigger = ctx.engine.cancelAllAfter(timeout);
    return ok({ currentTime: rfc3339(ctx.engine.now, 0), triggerTime: trigger === null ? '0' : rfc3339(trigger, 0) });
  },

  OpenOrders(ctx, params) {
    const trades = params.bool('trades', false);
    const open = ordersMatching(ctx, ctx.engine.allOrders().filter(isLive), params);
    return ok({ open: keyed(open, (o) => o.txid, (o) => orderInfo(o, trades)) });
  },

  ClosedOrders(ctx, params) {
    const trades = params.bool('trades', false);
    const closetime = params.oneOf('closetime', ['open', 'close', 'both'], 'both');
    const start = boundParam(ctx, params, 'start');
    const end = boundParam(ctx, params, 'end');
    const ofs = offsetParam(params);
    const inRange = (t: number | null): boolean => t !== null && (start === null || t > start) && (end === null || t <= end);
    const closed = ordersMatching(ctx, ctx.engine.allOrders().filter((o) => !isLive(o)), params).filter((o) =>
      closetime === 'open' ? inRange(o.openMs) : closetime === 'close' ? inRange(o.closeMs) : inRange(o.openMs) || inRange(o.closeMs),
    );
    closed.sort((a, b) => (b.closeMs ?? 0) - (a.closeMs ?? 0) || b.seq - a.seq);
    const page = closed.slice(ofs, ofs + PAGE);
    return ok({ closed: keyed(page, (o) => o.txid, (o) => orderInfo(o, trades)), count: closed.length });
  },

  QueryOrders(ctx, params) {
    const trades = params.bool('trades', false);
    const txids = params.list('txid');
    const clOrdId = params.get('cl_ord_id');
    if (txids.length === 0 && (clOrdId === undefined || clOrdId === '')) fail('EGeneral:Invalid arguments:txid');
    if (txids.length > 50) fail('EGeneral:Invalid arguments:txid');
    const found = txids.length > 0 ? txids.map((t) => ctx.engine.order(t)).filter((o): o is Order => o !== undefined) : ctx.engine.allOrders();
    const matching = ordersMatching(ctx, found, params);
    if (txids.length > 0 && found.length === 0) fail('EOrder:Unknown order');
    return ok(keyed(matching, (o) => o.txid, (o) => orderInfo(o, trades)));
  },

  TradesHistory(ctx, params) {
    params.oneOf('type', ['all', 'any position', 'closed position', 'closing position', 'no position'], 'all');
    const start = boundParam(ctx, params, 'start');
    const end = boundParam(ctx, params, 'end');
    const ofs = offsetParam(params);
    const all = ctx.engine.allTrades().filter((t) => (start === null || t.atMs > start) && (end === null || t.atMs <= end));
    const page = all.slice(ofs, ofs + PAGE);
    return ok({ trades: keyed(page, (t) => t.txid, (t) => tradeInfo(t)), count: all.length });
  },

  GetWebSocketsToken(ctx) {
    return ok({ token: ctx.tokens.issue(), expires: 900 });
  },
};

function decimalsOf(ctx: ExchangeContext, asset: string): number {
  for (const p of ctx.pairs) {
    if (p.base.id === asset) return p.base.decimals;
    if (p.quote.id === asset) return p.quote.decimals;
  }
  return 8;
}
