import { type Fixed, ZERO, toFixed, toString } from '../../domain/money/index.ts';
import type { ExchangeContext } from './context.ts';
import { dec, rfc1123, rfc3339 } from './format.ts';
import { raw } from './json.ts';
import { type Aggregate, OHLC_INTERVALS_MIN } from './market.ts';
import { type PairSpec, findPairByRestName } from './pairs.ts';
import { ParamError, type Params } from './params.ts';

/**
 * Public REST endpoints (`/0/public/<Method>`), reference/kraken.md §4. Each handler returns the
 * `result` value or throws `ParamError` with the Kraken error string.
 */

export type PublicHandler = (ctx: ExchangeContext, params: Params) => unknown;

const DAY_MS = 86_400_000;

/** Resolves the `pair` parameter (comma list); unknown names → `EQuery:Unknown asset pair`. */
export function pairsParam(ctx: ExchangeContext, params: Params, required: boolean): PairSpec[] {
  const names = params.list('pair');
  if (names.length === 0) {
    if (required) throw new ParamError('EGeneral:Invalid arguments:pair');
    return [...ctx.pairs];
  }
  return names.map((n) => {
    const p = findPairByRestName(ctx.pairs, n);
    if (!p) throw new ParamError('EQuery:Unknown asset pair');
    return p;
  });
}

function feeRows(tiers: PairSpec['feesTaker']): unknown[] {
  return tiers.map((t) => [t.volumeUsd, raw(toString(t.pct))]);
}

function assetPairInfo(p: PairSpec, info: string): Record<string, unknown> {
  const all: Record<string, unknown> = {
    altname: p.altname,
    wsname: p.wsname,
    aclass_base: 'currency',
    base: p.base.id,
    aclass_quote: 'currency',
    quote: p.quote.id,
    lot: 'unit',
    cost_decimals: p.costDecimals,
    pair_decimals: p.pairDecimals,
    lot_decimals: p.lotDecimals,
    lot_multiplier: 1,
    leverage_buy: [...p.leverageBuy],
    leverage_sell: [...p.leverageSell],
    fees: feeRows(p.feesTaker),
    fees_maker: feeRows(p.feesMaker),
    fee_volume_currency: 'ZUSD',
    margin_call: 80,
    margin_stop: 40,
    ordermin: toString(p.ordermin),
    costmin: toString(p.costmin),
    tick_size: toString(p.tickSize),
    status: 'online',
    execution_venue: 'international',
    long_position_limit: p.longPositionLimit,
    short_position_limit: p.shortPositionLimit,
  };
  switch (info) {
    case 'leverage':
      return { leverage_buy: all.leverage_buy, leverage_sell: all.leverage_sell };
    case 'fees':
      return { fees: all.fees, fees_maker: all.fees_maker, fee_volume_currency: all.fee_volume_currency };
    case 'margin':
      return { margin_call: all.margin_call, margin_stop: all.margin_stop };
    default:
      return all;
  }
}

/** Today's and the rolling 24 h statistics of a pair at `nowMs`. */
export function pairStats(ctx: ExchangeContext, pair: PairSpec, nowMs: number): { today: Aggregate | null; day: Aggregate | null } {
  const m = ctx.engine.market(pair);
  const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { today: m.aggregate(dayStart, nowMs), day: m.aggregate(nowMs - DAY_MS + 1, nowMs) };
}

function tickerInfo(ctx: ExchangeContext, pair: PairSpec): Record<string, unknown> {
  const now = ctx.engine.now;
  const m = ctx.engine.market(pair);
  const pd = Math.max(5, pair.pairDecimals);
  const book = ctx.books.levels(m, now, 1);
  const last = m.tickAtOrBefore(now)!;
  const { today, day } = pairStats(ctx, pair, now);
  const side = (l: { price: Fixed; qty: Fixed }): string[] => [dec(l.price, pd), (l.qty / 10n ** 18n).toString(), toFixed(l.qty, 3)];
  const pick = (a: Aggregate | null, f: (a: Aggregate) => Fixed, fallback: Fixed): string => dec(a === null ? fallback : f(a), pd);
  return {
    a: side(book.asks[0]!),
    b: side(book.bids[0]!),
    c: [dec(last.price, pd), dec(last.volume, pair.lotDecimals)],
    v: [dec(today?.volume ?? ZERO, 8), dec(day?.volume ?? ZERO, 8)],
    p: [pick(today, (a) => m.vwapOf(a), ZERO), pick(day, (a) => m.vwapOf(a), ZERO)],
    t: [today?.count ?? 0, day?.count ?? 0],
    l: [pick(today, (a) => a.low, last.price), pick(day, (a) => a.low, last.price)],
    h: [pick(today, (a) => a.high, last.price), pick(day, (a) => a.high, last.price)],
    o: pick(today, (a) => a.open, last.price),
  };
}

/** The public endpoints by method name. */
export const PUBLIC_HANDLERS: Readonly<Record<string, PublicHandler>> = {
  Time(ctx) {
    const now = ctx.engine.now;
    return { unixtime: Math.floor(now / 1000), rfc1123: rfc1123(now) };
  },

  SystemStatus(ctx) {
    return { status: ctx.engine.systemStatus, timestamp: rfc3339(ctx.engine.now, 0) };
  },

  Assets(ctx, params) {
    const wanted = params.list('asset');
    const assets = new Map<string, PairSpec['base']>();
    for (const p of ctx.pairs) {
      assets.set(p.base.id, p.base);
      assets.set(p.quote.id, p.quote);
    }
    const out: Record<string, unknown> = {};
    for (const a of assets.values()) {
      if (wanted.length > 0 && !wanted.some((w) => w.toUpperCase() === a.id || w.toUpperCase() === a.altname)) continue;
      out[a.id] = { aclass: 'currency', altname: a.altname, decimals: a.decimals, display_decimals: a.displayDecimals, status: 'enabled' };
    }
    if (wanted.length > 0 && Object.keys(out).length === 0) throw new ParamError('EQuery:Unknown asset');
    return out;
  },

  AssetPairs(ctx, params) {
    const info = params.oneOf('info', ['info', 'leverage', 'fees', 'margin'], 'info');
    const out: Record<string, unknown> = {};
    for (const p of pairsParam(ctx, params, false)) out[p.key] = assetPairInfo(p, info);
    return out;
  },

  Ticker(ctx, params) {
    const out: Record<string, unknown> = {};
    for (const p of pairsParam(ctx, params, false)) out[p.key] = tickerInfo(ctx, p);
    return out;
  },

  OHLC(ctx, params) {
    const [pair] = pairsParam(ctx, params, true);
    const interval = params.integer('interval') ?? 1;
    if (!OHLC_INTERVALS_MIN.includes(interval)) throw new ParamError('EGeneral:Invalid arguments:interval');
    const since = params.integer('since');
    const m = ctx.engine.market(pair!);
    const { rows, last } = m.ohlcRows(interval * 60_000, ctx.engine.now, 720, since);
    const pd = pair!.pairDecimals;
    return {
      [pair!.key]: rows.map((r) => [r.startMs / 1000, dec(r.open, pd), dec(r.high, pd), dec(r.low, pd), dec(r.close, pd), dec(r.vwap, pd), dec(r.volume, 8), r.count]),
      last,
    };
  },

  Depth(ctx, params) {
    const [pair] = pairsParam(ctx, params, true);
    const count = params.integer('count') ?? 100;
    if (count < 1 || count > 500) throw new ParamError('EGeneral:Invalid arguments:count');
    const now = ctx.engine.now;
    const m = ctx.engine.market(pair!);
    const book = ctx.books.levels(m, now, count);
    const ts = Math.floor(m.tickAtOrBefore(now)!.atMs / 1000);
    const pd = Math.max(5, pair!.pairDecimals);
    const row = (l: { price: Fixed; qty: Fixed }): unknown[] => [dec(l.price, pd), toFixed(l.qty, 3), ts];
    return { [pair!.key]: { asks: book.asks.map(row), bids: book.bids.map(row) } };
  },
};
