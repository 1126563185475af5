/**
 * The Kraken venue: the `Venue` port (domain/ports/venue.ts) over the Kraken domain client, with
 * executions from the WebSocket v2 `executions` feed when one is attached and from a REST
 * reconciliation (`pollExecutions`: QueryOrders with trades, then TradesHistory for the fills)
 * otherwise or after the feed was down. A thin adapter: order placement policy (send AddOrder
 * once, look up by `cl_ord_id` when the outcome is unknown, never resend) stays in the client.
 *
 * Executions are delivered once per venue instance for the orders submitted through it: an
 * order's `order.accepted` first, then its fills (by trade txid, which is also the WS `exec_id`,
 * so the two sources never double-report), then a final cancel or expiry once every fill is in.
 */
import { type Fixed, ZERO, fromString } from '../../domain/money/index.ts';
import type { OrderType } from '../../domain/orders/index.ts';
import type {
  Venue,
  VenueCancelResult,
  VenueError,
  VenueErrorKind,
  VenueExecution,
  VenueExecutionListener,
  VenueFill,
  VenueOrderEvent,
  VenueOrderRequest,
  VenueOrderSnapshot,
  VenueResult,
  VenueSubmitResult,
} from '../../domain/ports/index.ts';
import { type KrakenClient, type RetryPolicy, venueStatusOf } from './client.ts';
import { type KrakenError, type KrakenErrorKind, abortedError } from './errors.ts';
import type { WsExecution } from './parse/ws-executions.ts';
import type { RestResult } from './rest-client.ts';
import { type Runtime, backoffDelay, systemRuntime } from './runtime.ts';
import type { KrakenOrder, KrakenTrade } from './types.ts';
import type { KrakenWsClient } from './ws-client.ts';

/** Options of `createKrakenVenue`. */
export interface KrakenVenueOptions {
  /** Sleep and jitter for retried reads, and the default clock (default the system runtime). */
  readonly runtime?: Runtime;
  /** Clock for `order.accepted` taken from an AddOrder reply, which carries no time (default `runtime.now`). */
  readonly now?: () => number;
  /** Retry policy of the REST reads the venue makes itself (QueryOrders, TradesHistory, OpenOrders); default 4 tries, 500 ms → 10 s. */
  readonly retry?: Partial<RetryPolicy>;
  /** TradesHistory pages (50 trades each) one reconciliation may read to find new fills (default 20). */
  readonly maxTradePages?: number;
  /** Where a throwing execution listener's error goes (default: ignored after the other listeners ran). */
  readonly onListenerError?: (error: unknown, execution: VenueExecution) => void;
}

/** The Kraken venue; `close()` detaches it from the WebSocket client (it does not stop the client). */
export interface KrakenVenue extends Venue {
  close(): void;
}

/**
 * Kraken error kinds → the port's kinds: one explicit table (the class is Kraken's own, from
 * `KRAKEN_ERROR_TABLE`). HTTP errors are split by status in `venueErrorOf`.
 */
export const KRAKEN_VENUE_ERROR_KINDS: Readonly<Record<KrakenErrorKind, VenueErrorKind>> = Object.freeze({
  invalidKey: 'auth',
  invalidSignature: 'auth',
  invalidNonce: 'venueError',
  rateLimited: 'rateLimited',
  badRequest: 'invalidOrder',
  featureDisabled: 'auth',
  lockout: 'auth',
  invalidArguments: 'invalidOrder',
  permissionDenied: 'auth',
  internalError: 'unavailable',
  unknownMethod: 'venueError',
  unknownPair: 'unknownSymbol',
  unknownAsset: 'unknownSymbol',
  insufficientFunds: 'insufficientFunds',
  orderMinimum: 'belowMinimum',
  costMinimum: 'belowMinimum',
  tickSize: 'invalidOrder',
  invalidPrice: 'invalidOrder',
  invalidOrder: 'invalidOrder',
  unknownOrder: 'unknownOrder',
  ordersLimit: 'tooManyOrders',
  orderRateLimited: 'rateLimited',
  postOnlyRejected: 'postOnlyWouldTake',
  duplicateOrder: 'duplicateClientOrderId',
  unavailable: 'unavailable',
  busy: 'unavailable',
  marketCancelOnly: 'marketRestricted',
  marketPostOnly: 'marketRestricted',
  deadlineElapsed: 'unavailable',
  throttled: 'rateLimited',
  alreadySubscribed: 'venueError',
  depthNotSupported: 'venueError',
  pairNotSupported: 'unknownSymbol',
  messageRateExceeded: 'rateLimited',
  http: 'unavailable',
  network: 'network',
  timeout: 'timeout',
  aborted: 'aborted',
  malformed: 'venueError',
  invalidRequest: 'invalidOrder',
  unrecognized: 'venueError',
});

/** A `KrakenError` as the port's `VenueError` (class, message and Kraken strings kept). Pure. */
export function venueErrorOf(e: KrakenError): VenueError {
  let kind = KRAKEN_VENUE_ERROR_KINDS[e.kind];
  if (e.kind === 'http' && e.httpStatus !== undefined && e.httpStatus < 500) kind = e.httpStatus === 429 ? 'rateLimited' : 'venueError';
  return { kind, class: e.class, message: e.message, venueCodes: e.krakenErrors, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) };
}

const DOMAIN_TYPES: readonly string[] = ['market', 'limit', 'stop-loss', 'take-profit'];
const TRIGGER_TYPES: readonly string[] = ['stop-loss', 'take-profit', 'stop-loss-limit', 'take-profit-limit', 'trailing-stop', 'trailing-stop-limit'];
const TRADES_PAGE = 50;
const QUERY_BATCH = 50;

/** What the venue knows about one order it submitted. */
interface Tracked {
  readonly request: VenueOrderRequest;
  /** `submitting` while AddOrder is in flight; `unknown` after an unknown outcome until the order is found. */
  state: 'submitting' | 'placed' | 'unknown';
  venueOrderId: string | null;
  /** `order.accepted` delivered. */
  accepted: boolean;
  /** Trade txids of the fills delivered. */
  readonly fills: Set<string>;
  /** Σ quantity of the fills delivered, base. */
  filledQuantity: Fixed;
  /** The order's last event was delivered (complete fill, cancel or expiry). */
  done: boolean;
  terminal: 'filled' | 'canceled' | 'expired' | null;
}

/**
 * Creates the venue over a domain client (and optionally a WebSocket client). The caller owns
 * `ws`: it starts it and subscribes `executions` (`ws.subscribeExecutions()`); the venue only
 * listens, and polls REST once whenever the feed reports `feed.restored`. Without `ws`, call
 * `pollExecutions` after each market step (or on a timer) to receive executions.
 */
export function createKrakenVenue(client: KrakenClient, ws?: KrakenWsClient | null, options: KrakenVenueOptions = {}): KrakenVenue {
  const runtime = options.runtime ?? systemRuntime;
  const now = options.now ?? (() => runtime.now());
  const retry: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, ...options.retry };
  const maxTradePages = options.maxTradePages ?? 20;
  const tracked = new Map<string, Tracked>();
  const byTxid = new Map<string, Tracked>();
  const listeners = new Set<VenueExecutionListener>();
  let polling: Promise<VenueResult<readonly VenueExecution[]>> | null = null;

  function deliver(t: Tracked, event: VenueOrderEvent, sink: VenueExecution[] | null): void {
    const execution: VenueExecution = { clientOrderId: t.request.clientOrderId, venueOrderId: t.venueOrderId!, symbol: t.request.symbol, event };
    sink?.push(execution);
    for (const l of [...listeners]) {
      try {
        l(execution);
      } catch (error) {
        options.onListenerError?.(error, execution);
      }
    }
  }

  /** Records the txid; false when it contradicts the one already known (a different order with our id). */
  function bindTxid(t: Tracked, txid: string): boolean {
    if (t.venueOrderId !== null) return t.venueOrderId === txid;
    t.venueOrderId = txid;
    byTxid.set(txid, t);
    return true;
  }

  function accept(t: Tracked, txid: string, tsEvent: number, sink: VenueExecution[] | null): boolean {
    if (!bindTxid(t, txid)) return false;
    if (t.state !== 'placed') t.state = 'placed';
    if (!t.accepted) {
      t.accepted = true;
      deliver(t, { type: 'order.accepted', venueOrderId: txid, tsEvent }, sink);
    }
    return true;
  }

  function fill(t: Tracked, f: Omit<VenueFill, 'type'>, sink: VenueExecution[] | null): void {
    if (t.done || t.fills.has(f.tradeId)) return;
    t.fills.add(f.tradeId);
    t.filledQuantity += f.quantity;
    deliver(t, { type: 'order.filled', ...f }, sink);
    if (t.filledQuantity >= t.request.quantity) {
      t.done = true;
      t.terminal = 'filled';
    }
  }

  function finish(t: Tracked, kind: 'canceled' | 'expired', reason: string | null, tsEvent: number, sink: VenueExecution[] | null): void {
    if (t.done) return;
    t.done = true;
    t.terminal = kind;
    deliver(t, kind === 'canceled' ? { type: 'order.canceled', reason, tsEvent } : { type: 'order.expired', tsEvent }, sink);
  }

  /** Applies Kraken's REST view of an order (with its trades found in `trades`). */
  function reconcile(t: Tracked, o: KrakenOrder, trades: ReadonlyMap<string, KrakenTrade>, sink: VenueExecution[]): void {
    if (!accept(t, o.txid, o.tsOpenedMs, sink)) return;
    const fresh = o.tradeIds
      .filter((id) => !t.fills.has(id))
      .map((id) => trades.get(id))
      .filter((tr): tr is KrakenTrade => tr !== undefined)
      .sort((a, b) => a.tsMs - b.tsMs || (a.tradeId ?? 0) - (b.tradeId ?? 0) || (a.tradeTxid < b.tradeTxid ? -1 : 1));
    for (const tr of fresh) {
      fill(t, { tradeId: tr.tradeTxid, quantity: tr.volume, price: tr.price, fee: tr.fee, liquidity: tr.maker === null ? null : tr.maker ? 'maker' : 'taker', tsEvent: tr.tsMs }, sink);
    }
    const allFills = o.tradeIds.every((id) => t.fills.has(id)) && t.filledQuantity === o.volumeExecuted;
    if (!allFills) return; // some fills not found yet: the final status waits for them
    const status = venueStatusOf(o.status);
    if (status === 'canceled' || status === 'expired') finish(t, status, o.reason, o.tsClosedMs ?? now(), sink);
    else if (status === 'filled') {
      t.done = true;
      t.terminal ??= 'filled';
    }
  }

  /** A REST read with the venue's retry policy for transient errors. */
  async function read<T>(call: () => Promise<RestResult<T>>, signal?: AbortSignal): Promise<RestResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const r = await call();
      if (r.ok || r.error.class !== 'transient' || attempt >= retry.attempts) return r;
      const delay = Math.max(backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs, () => runtime.random()), r.error.retryAfterMs ?? 0);
      if (delay > retry.maxDelayMs) return r;
      try {
        await runtime.sleep(delay, signal);
      } catch {
        return { ok: false, error: abortedError() };
      }
    }
  }

  /** One REST reconciliation of `targets`: find unknown orders, query them with trades, fetch new fills, deliver. */
  async function reconcileOrders(targets: readonly Tracked[], signal?: AbortSignal): Promise<VenueResult<readonly VenueExecution[]>> {
    const sink: VenueExecution[] = [];
    let firstError: VenueError | null = null;
    for (const t of targets.filter((x) => x.venueOrderId === null && x.state === 'unknown')) {
      const l = await client.lookupOrder(t.request.clientOrderId, signal);
      if (l.kind === 'failed') firstError ??= venueErrorOf(l.error);
      else if (l.kind === 'found' && sameOrder(l.order, t.request)) bindTxid(t, l.venueOrderId);
    }
    const known = targets.filter((x) => x.venueOrderId !== null && !x.done);
    const orders = new Map<string, KrakenOrder>();
    for (let i = 0; i < known.length; i += QUERY_BATCH) {
      const txids = known.slice(i, i + QUERY_BATCH).map((x) => x.venueOrderId!);
      const r = await read(() => client.rest.queryOrders({ txid: txids, trades: true }, signal), signal);
      if (!r.ok) {
        firstError ??= venueErrorOf(r.error);
        continue;
      }
      for (const o of r.value.orders) orders.set(o.txid, o);
    }
    const needed = new Set<string>();
    let earliestMs = Number.POSITIVE_INFINITY;
    for (const t of known) {
      const o = orders.get(t.venueOrderId!);
      if (!o) continue;
      for (const id of o.tradeIds) {
        if (t.fills.has(id)) continue;
        needed.add(id);
        earliestMs = Math.min(earliestMs, o.tsOpenedMs);
      }
    }
    const trades = new Map<string, KrakenTrade>();
    if (needed.size > 0) {
      const start = Math.floor(earliestMs / 1000) - 1; // TradesHistory `start` is exclusive, unix seconds
      let ofs = 0;
      for (let page = 0; page < maxTradePages; page++) {
        const r = await read(() => client.rest.tradesHistory({ start, ofs }, signal), signal);
        if (!r.ok) {
          firstError ??= venueErrorOf(r.error);
          break;
        }
        for (const tr of r.value.trades) if (needed.has(tr.tradeTxid)) trades.set(tr.tradeTxid, tr);
        if (trades.size === needed.size || r.value.trades.length < TRADES_PAGE) break;
        ofs += r.value.trades.length;
      }
    }
    for (const t of known) {
      const o = orders.get(t.venueOrderId!);
      if (o) reconcile(t, o, trades, sink);
    }
    return firstError === null ? { ok: true, value: sink } : { ok: false, error: firstError };
  }

  function onWsExecution(x: WsExecution): void {
    const t = (x.clientOrderId !== null ? tracked.get(x.clientOrderId) : undefined) ?? byTxid.get(x.orderId);
    if (t === undefined || t.done) return;
    switch (x.execType) {
      case 'trade': {
        if (!accept(t, x.orderId, x.tsMs, null)) return;
        const quote = t.request.symbol.split('/')[1];
        const fee = x.fees.filter((f) => f.asset === quote).reduce((s, f) => s + f.qty, ZERO);
        fill(t, { tradeId: x.execId!, quantity: x.lastQty!, price: x.lastPrice!, fee, liquidity: x.liquidity, tsEvent: x.tsMs }, null);
        return;
      }
      case 'canceled':
      case 'expired':
        if (!accept(t, x.orderId, x.tsMs, null)) return;
        // Only when every fill has been seen; otherwise the next REST poll settles the order.
        if (x.cumQty === null || x.cumQty === t.filledQuantity) finish(t, x.execType, x.reason, x.tsMs, null);
        return;
      case 'iceberg_refill':
        return;
      default:
        accept(t, x.orderId, x.tsMs, null); // pending_new, new, filled, amended, restated, status
    }
  }

  const detach: (() => void)[] = [];
  if (ws) {
    detach.push(ws.on('execution.reported', (e) => onWsExecution(e.execution)));
    detach.push(
      ws.on('feed.restored', () => {
        void pollExecutions();
      }),
    );
  }

  function pollExecutions(signal?: AbortSignal): Promise<VenueResult<readonly VenueExecution[]>> {
    polling ??= reconcileOrders(
      [...tracked.values()].filter((t) => !t.done && t.state !== 'submitting'),
      signal,
    ).finally(() => {
      polling = null;
    });
    return polling;
  }

  function snapshotOf(o: KrakenOrder): VenueOrderSnapshot {
    const type = DOMAIN_TYPES.includes(o.orderType) ? (o.orderType as OrderType) : 'other';
    const triggerType = TRIGGER_TYPES.includes(o.orderType);
    return {
      clientOrderId: o.clientOrderId,
      venueOrderId: o.txid,
      symbol: o.symbol ?? client.pairs().symbolOf(o.pair) ?? o.pair,
      side: o.side,
      type,
      quantity: o.volume,
      limitPrice: type === 'limit' ? priceOf(o.descrPrice) : type === 'other' ? o.limitPrice : null,
      triggerPrice: triggerType ? (o.stopPrice ?? priceOf(o.descrPrice)) : null,
      postOnly: o.oflags.includes('post'),
      venueStatus: venueStatusOf(o.status),
      filledQuantity: o.volumeExecuted,
      avgFillPrice: o.volumeExecuted > ZERO ? o.avgPrice : null,
      fee: o.fee,
      reason: o.reason,
      tsOpened: o.tsOpenedMs,
      tsClosed: o.tsClosedMs,
    };
  }

  return {
    name: 'kraken',
    simulated: false,

    /** `POST /0/private/AddOrder` once with `cl_ord_id`; after an unknown outcome the client looks it up (OpenOrders/ClosedOrders). */
    async submitOrder(req, signal): Promise<VenueSubmitResult> {
      const clientOrderId = req.clientOrderId;
      const existing = tracked.get(clientOrderId);
      if (existing) {
        return {
          kind: 'rejected',
          clientOrderId,
          error: { kind: 'duplicateClientOrderId', class: 'permanent', message: `client order id ${JSON.stringify(clientOrderId)} was already used by an order of this venue (${existing.terminal ?? existing.state})`, venueCodes: [] },
        };
      }
      const t: Tracked = { request: req, state: 'submitting', venueOrderId: null, accepted: false, fills: new Set(), filledQuantity: ZERO, done: false, terminal: null };
      tracked.set(clientOrderId, t); // before sending: the WS feed may report the order before the reply
      const out = await client.submitOrder(
        {
          clientOrderId,
          symbol: req.symbol,
          side: req.side,
          type: req.type,
          quantity: req.quantity,
          ...(req.limitPrice !== undefined ? { limitPrice: req.limitPrice } : {}),
          ...(req.triggerPrice !== undefined ? { triggerPrice: req.triggerPrice } : {}),
          ...(req.postOnly ? { postOnly: true } : {}),
        },
        signal,
      );
      switch (out.kind) {
        case 'accepted': {
          // Found by lookup but not the order we sent: Kraken refused ours as a duplicate of an older one.
          if (out.lookup !== null && !sameOrder(out.lookup.order, req)) {
            forget(t);
            return {
              kind: 'rejected',
              clientOrderId,
              error: { kind: 'duplicateClientOrderId', class: 'permanent', message: `Kraken already has order ${out.venueOrderId} with client order id ${JSON.stringify(clientOrderId)} and different parameters (${out.lookup.order.description})`, venueCodes: [] },
            };
          }
          if (!accept(t, out.venueOrderId, out.lookup?.order.tsOpenedMs ?? now(), null)) {
            return { kind: 'unknown', clientOrderId, error: { kind: 'venueError', class: 'permanent', message: `Kraken reported txid ${out.venueOrderId} for ${clientOrderId}, which the executions feed knows as ${t.venueOrderId}`, venueCodes: [] } };
          }
          return { kind: 'accepted', clientOrderId, venueOrderId: out.venueOrderId };
        }
        case 'rejected':
          if (!t.accepted) forget(t);
          return { kind: 'rejected', clientOrderId, error: venueErrorOf(out.error) };
        case 'validated':
          forget(t);
          return { kind: 'rejected', clientOrderId, error: { kind: 'invalidOrder', class: 'permanent', message: 'Kraken only validated the order (validate-only); nothing was placed', venueCodes: [] } };
        case 'unknown':
          if (t.state === 'submitting') t.state = 'unknown';
          return { kind: 'unknown', clientOrderId, error: venueErrorOf(out.cause) };
      }
    },

    /** `POST /0/private/CancelOrder` by `cl_ord_id`, then QueryOrders/TradesHistory to confirm and deliver the outcome. */
    async cancelOrder(clientOrderId, signal): Promise<VenueCancelResult> {
      const r = await client.cancelOrder({ clientOrderId }, signal);
      if (r.kind === 'notFound') return { kind: 'notFound', clientOrderId, error: venueErrorOf(r.error) };
      if (r.kind === 'failed') return { kind: 'failed', clientOrderId, error: venueErrorOf(r.error) };
      if (r.count === 0) {
        return { kind: 'notFound', clientOrderId, error: { kind: 'unknownOrder', class: 'permanent', message: `Kraken canceled no order with client order id ${JSON.stringify(clientOrderId)}`, venueCodes: [] } };
      }
      const t = tracked.get(clientOrderId);
      if (t === undefined) return r.pending ? { kind: 'pending', clientOrderId } : { kind: 'canceled', clientOrderId };
      if (r.pending) return { kind: 'pending', clientOrderId };
      await reconcileOrders([t], signal);
      return t.terminal === 'canceled' ? { kind: 'canceled', clientOrderId } : { kind: 'pending', clientOrderId };
    },

    /** OpenOrders then ClosedOrders filtered by `cl_ord_id` (the client's `lookupOrder`). */
    async lookupOrder(clientOrderId, signal) {
      const l = await client.lookupOrder(clientOrderId, signal);
      if (l.kind === 'found') return { kind: 'found', order: snapshotOf(l.order) };
      if (l.kind === 'missing') return { kind: 'missing', clientOrderId };
      return { kind: 'failed', clientOrderId, error: venueErrorOf(l.error) };
    },

    /** `POST /0/private/OpenOrders`. */
    async openOrders(signal) {
      const r = await read(() => client.rest.openOrders({}, signal), signal);
      if (!r.ok) return { ok: false, error: venueErrorOf(r.error) };
      const list = r.value.orders.map(snapshotOf).sort((a, b) => a.tsOpened - b.tsOpened || (a.venueOrderId < b.venueOrderId ? -1 : 1));
      return { ok: true, value: list };
    },

    /** `POST /0/private/BalanceEx` (tradable balances; staking mirrors left out). */
    async balances(signal) {
      const r = await client.fetchBalances(signal);
      if (!r.ok) return { ok: false, error: venueErrorOf(r.error) };
      const list = r.value.tradable.map((b) => ({ asset: b.asset, total: b.total, hold: b.hold, available: b.available }));
      return { ok: true, value: list.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0)) };
    },

    /** `GET /0/public/AssetPairs` (also teaches the client each pair's grids, checked before sending). */
    async pairRules(symbols, signal) {
      if (symbols.length === 0) return { ok: true, value: [] };
      const r = await client.fetchPairRules(symbols, signal);
      if (!r.ok) return { ok: false, error: venueErrorOf(r.error) };
      const bySymbol = new Map(r.value.map((e) => [e.symbol, e.rules] as const));
      const missing = symbols.filter((s) => !bySymbol.has(s));
      if (missing.length > 0) return { ok: false, error: { kind: 'unknownSymbol', class: 'permanent', message: `Kraken AssetPairs did not list ${missing.join(', ')}`, venueCodes: [] } };
      return { ok: true, value: symbols.map((s) => ({ symbol: s, rules: bySymbol.get(s)! })) };
    },

    /** `POST /0/private/TradeVolume`: the account's current tier per pair. */
    async feeRates(symbols, signal) {
      if (symbols.length === 0) return { ok: true, value: [] };
      const r = await client.fetchFees(symbols, signal);
      if (!r.ok) return { ok: false, error: venueErrorOf(r.error) };
      const bySymbol = new Map(r.value.bySymbol.map((e) => [e.symbol, e.rates] as const));
      const missing = symbols.filter((s) => !bySymbol.has(s));
      if (missing.length > 0) return { ok: false, error: { kind: 'unknownSymbol', class: 'permanent', message: `Kraken TradeVolume reported no fees for ${missing.join(', ')}`, venueCodes: [] } };
      return { ok: true, value: symbols.map((s) => ({ symbol: s, rates: bySymbol.get(s)! })) };
    },

    onExecution(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    /** `POST /0/private/QueryOrders` (trades) for the tracked orders, `TradesHistory` for new fills; unknown orders looked up by `cl_ord_id` first. */
    pollExecutions,

    close() {
      for (const d of detach.splice(0)) d();
    },
  };

  function forget(t: Tracked): void {
    tracked.delete(t.request.clientOrderId);
    if (t.venueOrderId !== null) byTxid.delete(t.venueOrderId);
  }
}

/** True when Kraken's order is the one `req` asked for (side, type, volume and its price). Pure. */
function sameOrder(o: KrakenOrder, req: VenueOrderRequest): boolean {
  if (o.side !== req.side || o.orderType !== req.type || o.volume !== req.quantity) return false;
  const price = req.type === 'limit' ? req.limitPrice : req.type === 'market' ? undefined : req.triggerPrice;
  if (price === undefined) return true;
  const sent = req.type === 'limit' ? priceOf(o.descrPrice) : (o.stopPrice ?? priceOf(o.descrPrice));
  return sent === price;
}

/** A `descr.price` as a price, or null for `0` and relative forms (`+5%`). Pure. */
function priceOf(text: string): Fixed | null {
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const v = fromString(text);
  return v > ZERO ? v : null;
}
