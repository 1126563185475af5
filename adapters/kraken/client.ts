/**
 * The Kraken domain client: methods named after intents (`submitOrder`, `lookupOrder`,
 * `fetchCandles`…), taking and returning domain values (`Fixed`, `Candle`, `PairRules`,
 * `FeeRatesPct`, canonical `BTC/USD` symbols). It owns the policy the raw client does not have:
 *
 * - reads retry transient errors with capped exponential backoff + jitter (bounded attempts),
 *   `EAPI:Invalid nonce` once with a fresh nonce;
 * - ORDER PLACEMENT IS NEVER BLINDLY RETRIED: AddOrder is sent once; when its outcome is
 *   unknown (timeout, network, 5xx, `EGeneral:Internal error`, `EService:Busy`…) the order is
 *   looked up by its client order id (bounded lookups) and the result is `accepted`,
 *   `rejected` or `unknown`. The only resend is after `EAPI:Invalid nonce`, which Kraken returns
 *   before the request reaches the engine.
 *
 * Every method takes an AbortSignal and resolves to a value; none rejects.
 */
import type { Candle, Timeframe } from '../../domain/market/index.ts';
import { type Fixed, ZERO, toString } from '../../domain/money/index.ts';
import type { FeeRatesPct, PairRules } from '../../domain/execution/index.ts';
import type { VenueOrderStatus } from '../../domain/orders/index.ts';
import { type KrakenError, abortedError, invalidRequestError } from './errors.ts';
import { type OhlcInterval, splitCommitted, toCandle } from './parse/ohlc.ts';
import { type PairRegistry, createPairRegistry } from './pairs.ts';
import { type AddOrderParams, type AddOrderType, type KrakenRestClient, type RestResult, isValidClientOrderId } from './rest-client.ts';
import { type Runtime, backoffDelay, systemRuntime } from './runtime.ts';
import type { AssetPairInfo, KrakenOrder, KrakenOrderStatus, KrakenSide, OhlcRow } from './types.ts';

/** Retry policy for reads and cancels. */
export interface RetryPolicy {
  /** Total tries including the first (default 4). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Lookup policy after an AddOrder with unknown outcome. */
export interface LookupPolicy {
  /** Lookups to try (default 3). */
  readonly attempts: number;
  /** Wait before each lookup, ms (default 1 000): lets Kraken's books settle. */
  readonly delayMs: number;
}

/** Construction options. */
export interface KrakenClientOptions {
  readonly rest: KrakenRestClient;
  readonly runtime?: Runtime;
  readonly retry?: Partial<RetryPolicy>;
  readonly lookup?: Partial<LookupPolicy>;
  /** Pair names and rules known up front (else learnt from `fetchPairRules`). */
  readonly pairs?: readonly AssetPairInfo[];
}

/** Order types the fund sends (market, limit, and exchange-native stops). */
export type SubmitOrderType = AddOrderType;

/** An order as the order actor asks for it. Prices are quote per base; quantity is base units. */
export interface SubmitOrderRequest {
  /** Our client order id, sent as Kraken `cl_ord_id` (UUID, 32 hex or ASCII ≤ 18). */
  readonly clientOrderId: string;
  /** Canonical symbol, e.g. `BTC/USD`. */
  readonly symbol: string;
  readonly side: KrakenSide;
  readonly type: SubmitOrderType;
  /** Base units, > 0, already on the pair's lot grid. */
  readonly quantity: Fixed;
  /** Limit price: `limit`, and the limit of `stop-loss-limit` / `take-profit-limit`. */
  readonly limitPrice?: Fixed;
  /** Trigger price: `stop-loss`, `take-profit`, `stop-loss-limit`, `take-profit-limit`. */
  readonly triggerPrice?: Fixed;
  /** Post-only (limit orders): refuse to take liquidity. */
  readonly postOnly?: boolean;
  readonly timeInForce?: 'GTC' | 'IOC' | 'GTD';
  /** `expiretm` for GTD: unix seconds or `+<seconds>`. */
  readonly expireTm?: string;
  /** Trigger reference for stops (default Kraken's `last`). */
  readonly trigger?: 'last' | 'index';
  /** Validate only: Kraken checks the order and places nothing. */
  readonly validateOnly?: boolean;
}

/** What a lookup by client order id found, in domain terms (feeds `order.lookupFound`). */
export interface OrderLookupFoundValue {
  readonly kind: 'found';
  readonly order: KrakenOrder;
  readonly venueOrderId: string;
  readonly venueStatus: VenueOrderStatus;
  /** Cumulative, base units. */
  readonly filledQuantity: Fixed;
  /** Average fill price; null when nothing filled. */
  readonly avgFillPrice: Fixed | null;
  /** Cumulative fee, quote. */
  readonly fee: Fixed;
}

/** Outcome of `lookupOrder`. */
export type OrderLookup = OrderLookupFoundValue | { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly error: KrakenError };

/** Outcome of `submitOrder`. */
export type SubmitOutcome =
  /** Kraken took the order (`via: 'response'`), or the lookup after an unknown outcome found it. */
  | {
      readonly kind: 'accepted';
      readonly clientOrderId: string;
      readonly venueOrderId: string;
      readonly via: 'response' | 'lookup';
      /** The order as found by the lookup (null when accepted from the response). */
      readonly lookup: OrderLookupFoundValue | null;
    }
  /** Validate-only order passed Kraken's checks; nothing was placed. */
  | { readonly kind: 'validated'; readonly clientOrderId: string; readonly description: string }
  /** The order was definitely not placed. `error.class` says whether trying later can help. */
  | { readonly kind: 'rejected'; readonly clientOrderId: string; readonly error: KrakenError }
  /**
   * The order may or may not be on the book. `lookup`: `missing` = every lookup completed and
   * found nothing (caller decides after its grace period); `failed` = lookups themselves failed;
   * `skipped` = the caller aborted. Resolve later with `lookupOrder`, never by resending.
   */
  | {
      readonly kind: 'unknown';
      readonly clientOrderId: string;
      readonly cause: KrakenError;
      readonly lookup: 'missing' | 'failed' | 'skipped';
      readonly lookupError?: KrakenError;
    };

/** Outcome of `cancelOrder`. `notFound` = Kraken's `EOrder:Unknown order`: already final; reconcile. */
export type CancelOutcome =
  | { readonly kind: 'canceled'; readonly count: number; readonly pending: boolean }
  | { readonly kind: 'notFound'; readonly error: KrakenError }
  | { readonly kind: 'failed'; readonly error: KrakenError };

/** A value or a classified error. */
export type ClientResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KrakenError };

/** One asset's tradable balance (BalanceEx). */
export interface AssetBalance {
  /** Canonical code (`BTC`, `USD`). */
  readonly asset: string;
  readonly total: Fixed;
  /** Held by open orders. */
  readonly hold: Fixed;
  /** `balance + credit − credit_used − hold_trade`. */
  readonly available: Fixed;
}

/** Balances: tradable ones, and the read-only mirrors (`.S`, `.M`, `.B`, `.F`, `.T`) apart. */
export interface Balances {
  readonly tradable: readonly AssetBalance[];
  readonly readOnly: readonly { readonly asset: string; readonly suffix: string; readonly amount: Fixed }[];
}

/** One pair's rules for `domain/execution`, with the AssetPairs entry they came from. */
export interface PairRulesEntry {
  readonly symbol: string;
  readonly rules: PairRules;
  readonly info: AssetPairInfo;
}

/** Fees from TradeVolume: the account's current tier per pair, percent units. */
export interface FeeSchedule {
  readonly currency: string;
  /** 30-day volume in `currency`. */
  readonly volume30d: Fixed;
  readonly bySymbol: readonly { readonly symbol: string; readonly rates: FeeRatesPct }[];
}

/** Candles from REST OHLC: committed ones (final) and the running one apart. */
export interface CandleBatch {
  readonly symbol: string;
  readonly intervalMin: OhlcInterval;
  /** Final candles, ascending (every row but the still-open one). */
  readonly candles: readonly Candle[];
  /** Exact rows behind `candles`. */
  readonly rows: readonly OhlcRow[];
  /** The still-open candle (not final!), or null. */
  readonly running: Candle | null;
  /** Kraken's `last` in ms: poll again with `sinceMs = lastCommittedMs`. */
  readonly lastCommittedMs: number;
}

/** The domain client. */
export interface KrakenClient {
  /** Places an order once; resolves accepted / validated / rejected / unknown (see `SubmitOutcome`). */
  submitOrder(request: SubmitOrderRequest, signal?: AbortSignal): Promise<SubmitOutcome>;
  /** Cancels by client order id or Kraken txid (transient failures retried; cancels are idempotent). */
  cancelOrder(target: { readonly clientOrderId: string } | { readonly venueOrderId: string }, signal?: AbortSignal): Promise<CancelOutcome>;
  /** Finds an order by client order id: OpenOrders, then ClosedOrders (both filtered by `cl_ord_id`). */
  lookupOrder(clientOrderId: string, signal?: AbortSignal): Promise<OrderLookup>;
  /** Balances (BalanceEx). */
  fetchBalances(signal?: AbortSignal): Promise<ClientResult<Balances>>;
  /** Pair rules from AssetPairs (all pairs when `symbols` is omitted); refreshes the pair registry. */
  fetchPairRules(symbols?: readonly string[], signal?: AbortSignal): Promise<ClientResult<PairRulesEntry[]>>;
  /** The account's fee rates per pair (TradeVolume; maker falls back to taker for pairs without a maker schedule). */
  fetchFees(symbols: readonly string[], signal?: AbortSignal): Promise<ClientResult<FeeSchedule>>;
  /** Candles from REST OHLC (≤ 720 most recent). `sinceMs` is exclusive; seconds precision. */
  fetchCandles(symbol: string, timeframe: Timeframe | OhlcInterval, options?: { readonly sinceMs?: number }, signal?: AbortSignal): Promise<ClientResult<CandleBatch>>;
  /** The pair registry in use (names in every dialect). */
  readonly pairs: () => PairRegistry;
  /** The raw client underneath. */
  readonly rest: KrakenRestClient;
}

const TIMEFRAME_INTERVAL: Readonly<Record<Timeframe, OhlcInterval>> = Object.freeze({ '5m': 5, '1h': 60, '1d': 1440 });

/** Kraken REST order status → the domain's venue status (closed = fully filled). Pure. */
export function venueStatusOf(status: KrakenOrderStatus): VenueOrderStatus {
  switch (status) {
    case 'pending':
    case 'open':
      return 'open';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
  }
}

/** AssetPairs entry → `PairRules` (missing minimums are 0; tick from `tick_size` when sent). Pure. */
export function pairRulesOf(info: AssetPairInfo): PairRules {
  return {
    lotDecimals: info.lotDecimals,
    pairDecimals: info.pairDecimals,
    orderMin: info.orderMin ?? ZERO,
    costMin: info.costMin ?? ZERO,
    ...(info.tickSize !== null && info.tickSize > 0n ? { tickSize: info.tickSize } : {}),
  };
}

/** Creates the domain client over a raw client. */
export function createKrakenClient(options: KrakenClientOptions): KrakenClient {
  const rest = options.rest;
  const runtime = options.runtime ?? systemRuntime;
  const retry: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, ...options.retry };
  const lookupPolicy: LookupPolicy = { attempts: 3, delayMs: 1_000, ...options.lookup };
  let registry = createPairRegistry((options.pairs ?? []).map((p) => ({ key: p.key, altname: p.altname, wsname: p.wsname, base: p.baseId, quote: p.quoteId })));
  const rulesBySymbol = new Map<string, PairRules>();
  for (const p of options.pairs ?? []) rulesBySymbol.set(p.symbol, pairRulesOf(p));

  /** REST name of a canonical symbol, or an `invalidRequest` error for a symbol that is not BASE/QUOTE. */
  function restNames(symbols: readonly string[]): { ok: true; value: string[] } | { ok: false; error: KrakenError } {
    try {
      return { ok: true, value: symbols.map((s) => registry.restName(s)) };
    } catch (e) {
      return { ok: false, error: invalidRequestError((e as Error).message) };
    }
  }

  async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
    try {
      await runtime.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs a read with the retry policy. */
  async function withRetry<T>(call: () => Promise<RestResult<T>>, signal?: AbortSignal): Promise<RestResult<T>> {
    let nonceRetried = false;
    for (let attempt = 1; ; attempt++) {
      const r = await call();
      if (r.ok) return r;
      const e = r.error;
      if (e.kind === 'invalidNonce') {
        if (nonceRetried) return r;
        nonceRetried = true;
        attempt--;
        continue;
      }
      if (e.class !== 'transient' || attempt >= retry.attempts) return r;
      const delay = Math.max(backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs, () => runtime.random()), e.retryAfterMs ?? 0);
      if (delay > retry.maxDelayMs) return r;
      if (!(await pause(delay, signal))) return { ok: false, error: abortedError() };
    }
  }

  async function lookupOrder(clientOrderId: string, signal?: AbortSignal): Promise<OrderLookup> {
    const open = await withRetry(() => rest.openOrders({ cl_ord_id: clientOrderId }, signal), signal);
    if (!open.ok) return { kind: 'failed', error: open.error };
    const inOpen = open.value.orders.find((o) => o.clientOrderId === clientOrderId);
    if (inOpen) return found(inOpen);
    const closed = await withRetry(() => rest.closedOrders({ cl_ord_id: clientOrderId }, signal), signal);
    if (!closed.ok) return { kind: 'failed', error: closed.error };
    const inClosed = closed.value.orders.find((o) => o.clientOrderId === clientOrderId);
    return inClosed ? found(inClosed) : { kind: 'missing' };
  }

  function found(order: KrakenOrder): OrderLookupFoundValue {
    return {
      kind: 'found',
      order,
      venueOrderId: order.txid,
      venueStatus: venueStatusOf(order.status),
      filledQuantity: order.volumeExecuted,
      avgFillPrice: order.volumeExecuted > 0n ? order.avgPrice : null,
      fee: order.fee,
    };
  }

  function buildAddOrder(req: SubmitOrderRequest): AddOrderParams | string {
    if (!isValidClientOrderId(req.clientOrderId)) {
      return `clientOrderId must be a UUID, 32 hex characters or printable ASCII ≤ 18 (Kraken cl_ord_id), got ${JSON.stringify(req.clientOrderId)}`;
    }
    if (req.quantity <= 0n) return `quantity must be > 0, got ${toString(req.quantity)}`;
    const needsLimit = req.type === 'limit' || req.type === 'stop-loss-limit' || req.type === 'take-profit-limit';
    const needsTrigger = req.type !== 'market' && req.type !== 'limit';
    if (needsLimit !== (req.limitPrice !== undefined)) return `a ${req.type} order ${needsLimit ? 'needs' : 'takes no'} limitPrice`;
    if (needsTrigger !== (req.triggerPrice !== undefined)) return `a ${req.type} order ${needsTrigger ? 'needs' : 'takes no'} triggerPrice`;
    for (const [name, v] of [
      ['limitPrice', req.limitPrice],
      ['triggerPrice', req.triggerPrice],
    ] as const) {
      if (v !== undefined && v <= 0n) return `${name} must be > 0, got ${toString(v)}`;
    }
    const rules = rulesBySymbol.get(req.symbol);
    if (rules) {
      if (decimalsOf(req.quantity) > rules.lotDecimals) return `quantity ${toString(req.quantity)} has more than ${rules.lotDecimals} decimals (lot_decimals of ${req.symbol})`;
      for (const v of [req.limitPrice, req.triggerPrice]) {
        if (v !== undefined && decimalsOf(v) > rules.pairDecimals) return `price ${toString(v)} has more than ${rules.pairDecimals} decimals (pair_decimals of ${req.symbol})`;
      }
    }
    const names = restNames([req.symbol]);
    if (!names.ok) return names.error.message;
    const pair = names.value[0]!;
    const price = needsTrigger ? req.triggerPrice : req.limitPrice;
    const price2 = needsTrigger && needsLimit ? req.limitPrice : undefined;
    return {
      pair,
      type: req.side,
      ordertype: req.type,
      volume: toString(req.quantity),
      ...(price !== undefined ? { price: toString(price) } : {}),
      ...(price2 !== undefined ? { price2: toString(price2) } : {}),
      ...(req.trigger !== undefined && needsTrigger ? { trigger: req.trigger } : {}),
      ...(req.postOnly ? { oflags: ['post'] as const } : {}),
      ...(req.timeInForce !== undefined ? { timeinforce: req.timeInForce } : {}),
      ...(req.expireTm !== undefined ? { expiretm: req.expireTm } : {}),
      cl_ord_id: req.clientOrderId,
      ...(req.validateOnly ? { validate: true } : {}),
    };
  }

  async function submitOrder(req: SubmitOrderRequest, signal?: AbortSignal): Promise<SubmitOutcome> {
    const clientOrderId = req.clientOrderId;
    const params = buildAddOrder(req);
    if (typeof params === 'string') return { kind: 'rejected', clientOrderId, error: invalidRequestError(params) };
    let r = await rest.addOrder(params, signal);
    // Invalid nonce is refused at the API gate, before the engine: the one safe resend.
    if (!r.ok && r.error.kind === 'invalidNonce') r = await rest.addOrder(params, signal);
    if (r.ok) {
      if (req.validateOnly) return { kind: 'validated', clientOrderId, description: r.value.description };
      const txid = r.value.txids[0];
      if (txid !== undefined) return { kind: 'accepted', clientOrderId, venueOrderId: txid, via: 'response', lookup: null };
      return resolveUnknown(clientOrderId, { kind: 'malformed', class: 'permanent', orderOutcome: 'unknown', message: 'AddOrder succeeded without a txid', krakenErrors: [] }, signal);
    }
    if (r.error.orderOutcome === 'notPlaced') return { kind: 'rejected', clientOrderId, error: r.error };
    if (req.validateOnly) return { kind: 'rejected', clientOrderId, error: r.error };
    return resolveUnknown(clientOrderId, r.error, signal);
  }

  async function resolveUnknown(clientOrderId: string, cause: KrakenError, signal?: AbortSignal): Promise<SubmitOutcome> {
    if (cause.kind === 'aborted' || signal?.aborted) return { kind: 'unknown', clientOrderId, cause, lookup: 'skipped' };
    let lastError: KrakenError | undefined;
    let allCompleted = true;
    for (let i = 0; i < lookupPolicy.attempts; i++) {
      if (!(await pause(lookupPolicy.delayMs, signal))) return { kind: 'unknown', clientOrderId, cause, lookup: 'skipped' };
      const l = await lookupOrder(clientOrderId, signal);
      if (l.kind === 'found') return { kind: 'accepted', clientOrderId, venueOrderId: l.venueOrderId, via: 'lookup', lookup: l };
      if (l.kind === 'failed') {
        allCompleted = false;
        lastError = l.error;
        if (l.error.kind === 'aborted') return { kind: 'unknown', clientOrderId, cause, lookup: 'skipped' };
      }
    }
    return allCompleted
      ? { kind: 'unknown', clientOrderId, cause, lookup: 'missing' }
      : { kind: 'unknown', clientOrderId, cause, lookup: 'failed', ...(lastError ? { lookupError: lastError } : {}) };
  }

  return {
    rest,
    pairs: () => registry,
    submitOrder,
    lookupOrder,
    async cancelOrder(target, signal) {
      const params = 'clientOrderId' in target ? { cl_ord_id: target.clientOrderId } : { txid: target.venueOrderId };
      const r = await withRetry(() => rest.cancelOrder(params, signal), signal);
      if (r.ok) return { kind: 'canceled', count: r.value.count, pending: r.value.pending };
      if (r.error.kind === 'unknownOrder') return { kind: 'notFound', error: r.error };
      return { kind: 'failed', error: r.error };
    },
    async fetchBalances(signal) {
      const r = await withRetry(() => rest.balanceEx(signal), signal);
      if (!r.ok) return r;
      const tradable = new Map<string, { total: Fixed; hold: Fixed; available: Fixed }>();
      const readOnly: { asset: string; suffix: string; amount: Fixed }[] = [];
      for (const e of r.value) {
        if (e.suffix !== null) {
          readOnly.push({ asset: e.asset, suffix: e.suffix, amount: e.balance });
          continue;
        }
        const prev = tradable.get(e.asset) ?? { total: ZERO, hold: ZERO, available: ZERO };
        tradable.set(e.asset, { total: prev.total + e.balance, hold: prev.hold + e.holdTrade, available: prev.available + e.available });
      }
      return { ok: true, value: { tradable: [...tradable].map(([asset, v]) => ({ asset, ...v })), readOnly } };
    },
    async fetchPairRules(symbols, signal) {
      const names = symbols === undefined ? null : restNames(symbols);
      if (names !== null && !names.ok) return names;
      const r = await withRetry(() => rest.assetPairs(names ? { pair: names.value } : {}, signal), signal);
      if (!r.ok) return r;
      const known = new Map(registry.all().map((n) => [n.symbol, n] as const));
      for (const p of r.value) known.set(p.symbol, { symbol: p.symbol, key: p.key, altname: p.altname, wsname: p.wsname, base: p.baseId, quote: p.quoteId });
      registry = createPairRegistry([...known.values()].map((n) => ({ key: n.key, altname: n.altname, wsname: n.wsname, base: n.base, quote: n.quote })));
      const entries = r.value.map((info) => ({ symbol: info.symbol, rules: pairRulesOf(info), info }));
      for (const e of entries) rulesBySymbol.set(e.symbol, e.rules);
      return { ok: true, value: entries };
    },
    async fetchFees(symbols, signal) {
      if (symbols.length === 0) return { ok: false, error: invalidRequestError('fetchFees needs at least one symbol (Kraken returns fees only for listed pairs)') };
      const names = restNames(symbols);
      if (!names.ok) return names;
      const r = await withRetry(() => rest.tradeVolume({ pair: names.value }, signal), signal);
      if (!r.ok) return r;
      const maker = new Map(r.value.makerFees.map((f) => [registry.symbolOf(f.key), f.fee] as const));
      const bySymbol = r.value.takerFees.flatMap((f) => {
        const symbol = registry.symbolOf(f.key);
        if (symbol === null) return [];
        return [{ symbol, rates: { takerPct: f.fee, makerPct: maker.get(symbol) ?? f.fee } }];
      });
      return { ok: true, value: { currency: r.value.currency, volume30d: r.value.volume, bySymbol } };
    },
    async fetchCandles(symbol, timeframe, opts = {}, signal) {
      const interval: OhlcInterval = typeof timeframe === 'number' ? timeframe : TIMEFRAME_INTERVAL[timeframe];
      if (opts.sinceMs !== undefined && (!Number.isFinite(opts.sinceMs) || opts.sinceMs < 0)) {
        return { ok: false, error: invalidRequestError(`sinceMs must be ms since epoch ≥ 0, got ${opts.sinceMs}`) };
      }
      const since = opts.sinceMs === undefined ? undefined : Math.floor(opts.sinceMs / 1000);
      const names = restNames([symbol]);
      if (!names.ok) return names;
      const pair = names.value[0]!;
      const r = await withRetry(() => rest.ohlc({ pair, interval, ...(since !== undefined ? { since } : {}) }, signal), signal);
      if (!r.ok) return r;
      const { committed, running } = splitCommitted(r.value);
      return {
        ok: true,
        value: { symbol, intervalMin: interval, candles: committed.map(toCandle), rows: committed, running: running ? toCandle(running) : null, lastCommittedMs: r.value.lastCommittedMs },
      };
    },
  };
}

/** Number of significant decimals of a Fixed (0…18). Pure. */
function decimalsOf(value: Fixed): number {
  const s = toString(value);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
