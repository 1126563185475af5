import { DEFAULT_SLIPPAGE, type LimitFillRule, type ModelFill } from '../../domain/execution/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { type Fixed, ZERO, fromNumber, toString } from '../../domain/money/index.ts';
import type {
  Venue,
  VenueCancelResult,
  VenueError,
  VenueExecution,
  VenueLookupResult,
  VenueOrderEvent,
  VenueOrderRequest,
  VenueSubmitResult,
} from '../../domain/ports/index.ts';
import { buyReservation, createAccount, sellReservation } from './account.ts';
import { rulesProblem, shapeProblem } from './checks.ts';
import { simError } from './errors.ts';
import { createListenerSet } from './listeners.ts';
import { type MarketState, type SimMarket, createMarketState } from './market.ts';
import { marketFillPrice, matchOrder, placeOrder } from './matching.ts';
import { type SimOrder, remainingOf, snapshotOf } from './orders.ts';

/** Construction options of the sim venue. */
export interface SimVenueOptions {
  /** The listed markets (at least one). */
  readonly markets: readonly SimMarket[];
  /** Starting balances by canonical asset code (`USD`, `BTC`). */
  readonly balances: Readonly<Record<string, Fixed>>;
  /** The caller's clock, ms since epoch (simulated in backtests, wall in paper): stamps every event. */
  readonly now: () => number;
  /** Slippage fraction for market orders, marketable limits and triggered exits (default `DEFAULT_SLIPPAGE`, 0.0005). */
  readonly slippage?: Fixed;
  /** When a resting limit fills (default `through`: the candle must trade beyond the limit). */
  readonly limitFillRule?: LimitFillRule;
  /** A post-only limit that would take: accepted then `cancel`ed (default, as the fake exchange), or `reject`ed. */
  readonly postOnlyCross?: 'cancel' | 'reject';
  /** Prefix of venue order ids (`SIM-O000001`) and trade ids (`SIM-T000001`); default `SIM`. */
  readonly idPrefix?: string;
  /** Where a throwing execution listener's error goes (default: rethrown on a microtask). */
  readonly onListenerError?: (error: unknown, execution: VenueExecution) => void;
}

/** The sim venue: the `Venue` port plus the market-data feed that drives it. */
export interface SimVenue extends Venue {
  /**
   * Feeds one closed candle of `symbol`: every open order of the symbol placed at or before the
   * candle's `tsOpen` is matched against it (in placement order), then the candle's close becomes
   * the mark that market orders and new placements use. Returns the executions produced (also
   * delivered to listeners), stamped with `now()`. Throws `RangeError` for an unknown symbol, a
   * candle not newer than the previous one of the symbol, or impossible prices (corrupt data).
   */
  onCandle(symbol: string, candle: Candle): readonly VenueExecution[];
  /** Replaces the quoted spread of `symbol` (paper mode: from observed quotes). Throws on an unknown symbol or a negative spread. */
  setSpread(symbol: string, spread: Fixed): void;
  /** The mark (last close) of `symbol`, null before its first candle. Throws on an unknown symbol. */
  markOf(symbol: string): Fixed | null;
}

/**
 * Creates an in-process venue that executes on `domain/execution`'s fill model (see
 * `matching.ts`), keeps an exact account with Kraken's reservation rule, and reports through the
 * `Venue` port. Deterministic: no timers, no randomness; time comes from `now`, prices from
 * `onCandle`; the same calls give the same ids, fills and events. Throws `RangeError` on invalid
 * options (programmer error).
 */
export function createSimVenue(options: SimVenueOptions): SimVenue {
  if (options.markets.length === 0) throw new RangeError('the sim venue needs at least one market');
  const markets = new Map<string, MarketState>();
  for (const m of options.markets) {
    if (markets.has(m.symbol)) throw new RangeError(`sim market ${m.symbol} is listed twice`);
    markets.set(m.symbol, createMarketState(m));
  }
  const slippage = options.slippage ?? DEFAULT_SLIPPAGE;
  if (slippage < ZERO) throw new RangeError(`slippage must be ≥ 0, got ${toString(slippage)}`);
  const rule: LimitFillRule = options.limitFillRule ?? 'through';
  const postOnlyCross = options.postOnlyCross ?? 'cancel';
  const prefix = options.idPrefix ?? 'SIM';
  const account = createAccount(options.balances);
  const listeners = createListenerSet(options.onListenerError);
  /** Every order ever accepted, by client order id (ids are never reused). */
  const orders = new Map<string, SimOrder>();
  /** Open orders of every symbol, in placement order. */
  const open: SimOrder[] = [];
  let orderSeq = 0;
  let tradeSeq = 0;

  function now(): number {
    const t = options.now();
    if (!Number.isSafeInteger(t)) throw new RangeError(`the sim venue clock must return integer ms since epoch, got ${t}`);
    return t;
  }


  /** What `order` holds of `asset` while open. */
  function holdOf(order: SimOrder, asset: string): Fixed {
    if (order.status !== 'open') return ZERO;
    const m = markets.get(order.symbol)!;
    if (order.side === 'sell') return asset === m.base ? sellReservation(order) : ZERO;
    if (asset !== m.quote) return ZERO;
    return buyReservation(remainingOf(order), (order.limitPrice ?? order.triggerPrice)!, m.fees.takerPct);
  }

  /** Balance of `asset` not held by open orders other than `except`. */
  function availableExcept(asset: string, except: SimOrder | null): Fixed {
    let held = ZERO;
    for (const o of open) if (o !== except) held += holdOf(o, asset);
    return account.total(asset) - held;
  }

  function emit(order: SimOrder, event: VenueOrderEvent, sink: VenueExecution[] | null): void {
    const execution: VenueExecution = { clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, symbol: order.symbol, event };
    sink?.push(execution);
    listeners.emit(execution);
  }

  function close(order: SimOrder, status: 'filled' | 'canceled', reason: string | null, ts: number, sink: VenueExecution[] | null): void {
    order.status = status;
    order.reason = reason;
    order.tsClosed = ts;
    const i = open.indexOf(order);
    if (i >= 0) open.splice(i, 1);
    if (status === 'canceled') emit(order, { type: 'order.canceled', reason, tsEvent: ts }, sink);
  }

  /** Books a model fill: funds check, balances, the `order.filled` event, completion. */
  function applyFill(order: SimOrder, fill: ModelFill, ts: number, sink: VenueExecution[] | null): void {
    const m = markets.get(order.symbol)!;
    if (order.side === 'buy') {
      const cost = fill.notional + fill.fee;
      if (cost > availableExcept(m.quote, order)) {
        close(order, 'canceled', `insufficient funds: the fill costs ${toString(cost)} ${m.quote}`, ts, sink);
        return;
      }
      account.move(m.quote, -cost);
      account.move(m.base, fill.qty);
    } else {
      if (fill.qty > availableExcept(m.base, order)) {
        close(order, 'canceled', `insufficient funds: the fill sells ${toString(fill.qty)} ${m.base}`, ts, sink);
        return;
      }
      account.move(m.base, -fill.qty);
      account.move(m.quote, fill.notional - fill.fee);
    }
    order.filledQuantity += fill.qty;
    order.filledNotional += fill.notional;
    order.fee += fill.fee;
    tradeSeq += 1;
    const tradeId = `${prefix}-T${String(tradeSeq).padStart(6, '0')}`;
    emit(order, { type: 'order.filled', tradeId, quantity: fill.qty, price: fill.price, fee: fill.fee, liquidity: fill.liquidity, tsEvent: ts }, sink);
    if (order.filledQuantity === order.quantity) close(order, 'filled', null, ts, sink);
  }

  function rejected(req: VenueOrderRequest, error: VenueError): VenueSubmitResult {
    return { kind: 'rejected', clientOrderId: req.clientOrderId, error };
  }

  function marketOf(symbol: string): MarketState {
    const m = markets.get(symbol);
    if (!m) throw new RangeError(`the sim venue does not list ${JSON.stringify(symbol)}; listed: ${[...markets.keys()].join(', ')}`);
    return m;
  }

  return {
    name: 'sim',
    simulated: true,

    async submitOrder(req, signal) {
      if (signal?.aborted) return rejected(req, simError('aborted', 'aborted by the caller before the order was placed'));
      const shape = shapeProblem(req);
      if (shape) return rejected(req, shape);
      const m = markets.get(req.symbol);
      if (!m) return rejected(req, simError('unknownSymbol', `the sim venue does not list ${JSON.stringify(req.symbol)}; listed: ${[...markets.keys()].join(', ')}`));
      if (orders.has(req.clientOrderId)) {
        return rejected(req, simError('duplicateClientOrderId', `an order with client order id ${JSON.stringify(req.clientOrderId)} already exists (${orders.get(req.clientOrderId)!.status})`));
      }
      if (m.mark === null) return rejected(req, simError('noPrice', `no price for ${req.symbol} yet: the sim venue has not been fed a candle`));
      const reference = req.type === 'market' ? m.mark : (req.limitPrice ?? req.triggerPrice)!;
      const bad = rulesProblem(req, m, reference);
      if (bad) return rejected(req, bad);

      const spendAsset = req.side === 'buy' ? m.quote : m.base;
      const need = req.side === 'sell' ? req.quantity : buyReservation(req.quantity, req.type === 'market' ? marketFillPrice('buy', m, slippage) : reference, m.fees.takerPct);
      const available = availableExcept(spendAsset, null);
      if (need > available) {
        return rejected(req, simError('insufficientFunds', `${req.side} ${toString(req.quantity)} ${req.symbol} needs ${toString(need)} ${spendAsset}, available ${toString(available)}`));
      }

      const ts = now();
      const order: SimOrder = {
        seq: orderSeq + 1,
        clientOrderId: req.clientOrderId,
        venueOrderId: `${prefix}-O${String(orderSeq + 1).padStart(6, '0')}`,
        symbol: req.symbol,
        side: req.side,
        type: req.type,
        quantity: req.quantity,
        limitPrice: req.limitPrice ?? null,
        triggerPrice: req.triggerPrice ?? null,
        postOnly: req.postOnly === true,
        status: 'open',
        filledQuantity: ZERO,
        filledNotional: ZERO,
        fee: ZERO,
        reason: null,
        tsOpened: ts,
        tsClosed: null,
      };
      const placement = placeOrder(order, m, slippage);
      if (placement.kind === 'postOnlyCross' && postOnlyCross === 'reject') {
        return rejected(req, simError('postOnlyWouldTake', `post-only ${req.side} limit at ${toString(order.limitPrice!)} would take liquidity (mark ${toString(m.mark)})`));
      }
      orderSeq += 1;
      orders.set(order.clientOrderId, order);
      open.push(order);
      emit(order, { type: 'order.accepted', venueOrderId: order.venueOrderId, tsEvent: ts }, null);
      if (placement.kind === 'fill') applyFill(order, placement.fill, ts, null);
      else if (placement.kind === 'postOnlyCross') close(order, 'canceled', 'post-only order would take liquidity', ts, null);
      return { kind: 'accepted', clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId };
    },

    async cancelOrder(clientOrderId, signal): Promise<VenueCancelResult> {
      if (signal?.aborted) return { kind: 'failed', clientOrderId, error: simError('aborted', 'aborted by the caller before the cancel was sent') };
      const order = orders.get(clientOrderId);
      if (!order || order.status !== 'open') {
        const detail = order ? `it is ${order.status}` : 'no such order';
        return { kind: 'notFound', clientOrderId, error: simError('unknownOrder', `no open order with client order id ${JSON.stringify(clientOrderId)} (${detail})`) };
      }
      close(order, 'canceled', 'canceled on request', now(), null);
      return { kind: 'canceled', clientOrderId };
    },

    async lookupOrder(clientOrderId): Promise<VenueLookupResult> {
      const order = orders.get(clientOrderId);
      return order ? { kind: 'found', order: snapshotOf(order) } : { kind: 'missing', clientOrderId };
    },

    async openOrders() {
      return { ok: true, value: open.map(snapshotOf) };
    },

    async balances() {
      return { ok: true, value: account.list(open, holdOf) };
    },

    async pairRules(symbols) {
      const unknown = symbols.filter((s) => !markets.has(s));
      if (unknown.length > 0) return { ok: false, error: simError('unknownSymbol', `the sim venue does not list ${unknown.join(', ')}; listed: ${[...markets.keys()].join(', ')}`) };
      return { ok: true, value: symbols.map((s) => ({ symbol: s, rules: markets.get(s)!.rules })) };
    },

    async feeRates(symbols) {
      const unknown = symbols.filter((s) => !markets.has(s));
      if (unknown.length > 0) return { ok: false, error: simError('unknownSymbol', `the sim venue does not list ${unknown.join(', ')}; listed: ${[...markets.keys()].join(', ')}`) };
      return { ok: true, value: symbols.map((s) => ({ symbol: s, rates: markets.get(s)!.fees })) };
    },

    onExecution: (listener) => listeners.add(listener),

    async pollExecutions() {
      return { ok: true, value: [] };
    },

    onCandle(symbol, candle) {
      const m = marketOf(symbol);
      checkCandle(symbol, candle, m.lastCandleTs);
      const ts = now();
      const produced: VenueExecution[] = [];
      for (const order of open.length === 0 ? open : [...open]) {
        if (order.symbol !== symbol || order.status !== 'open' || order.tsOpened > candle.tsOpen) continue;
        const fill = matchOrder(order, candle, m, slippage, rule);
        if (fill !== null) applyFill(order, fill, ts, produced);
      }
      m.mark = fromNumber(candle.close);
      m.lastCandleTs = candle.tsOpen;
      return produced;
    },

    setSpread(symbol, spread) {
      const m = marketOf(symbol);
      if (spread < ZERO) throw new RangeError(`${symbol}: spread must be ≥ 0, got ${toString(spread)}`);
      m.spread = spread;
    },

    markOf: (symbol) => marketOf(symbol).mark,
  };
}

/** Throws `RangeError` on a candle that is out of order or has impossible prices (corrupt data). */
function checkCandle(symbol: string, c: Candle, lastTs: number | null): void {
  if (!Number.isSafeInteger(c.tsOpen)) throw new RangeError(`${symbol}: candle tsOpen must be integer ms, got ${c.tsOpen}`);
  if (lastTs !== null && c.tsOpen <= lastTs) {
    throw new RangeError(`${symbol}: candles must be fed in time order: got tsOpen ${c.tsOpen} after ${lastTs}`);
  }
  const prices = [c.open, c.high, c.low, c.close];
  if (!prices.every((p) => Number.isFinite(p) && p > 0)) throw new RangeError(`${symbol}: candle at ${c.tsOpen} has a non-positive or non-finite price: ${prices.join(', ')}`);
  if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) {
    throw new RangeError(`${symbol}: candle at ${c.tsOpen} is inconsistent: low ${c.low} / high ${c.high} do not bound open ${c.open} and close ${c.close}`);
  }
}
