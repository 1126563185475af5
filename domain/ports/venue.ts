import type { FeeRatesPct, Liquidity, PairRules } from '../execution/index.ts';
import type { Fixed } from '../money/index.ts';
import type { OrderAccepted, OrderCanceled, OrderExpired, OrderFilled, OrderSide, OrderType, VenueOrderStatus } from '../orders/index.ts';

/**
 * The venue port (DESIGN.md §1, §4): where orders go. Backtest and paper trade against the
 * in-process sim venue (`adapters/sim`), live against Kraken (`adapters/kraken/venue.ts`); the
 * same conformance suite (`tests/venue-conformance`) holds both to the same fills, fees and states.
 *
 * Rules every implementation keeps:
 * - every method resolves to a value and never rejects; expected failures are `VenueError`s whose
 *   `class` says whether trying again later can help;
 * - money and quantities are exact `Fixed`: quantities in BASE units, prices QUOTE per base, fees
 *   and notionals in QUOTE units; timestamps are integer ms since epoch (UTC);
 * - an order is identified by the caller's client order id, which is mandatory and unique among
 *   the orders that exist at the venue; an order whose submit outcome is unknown is resolved with
 *   `lookupOrder`, never by sending it again;
 * - venue facts about an order arrive as `VenueExecution`s, each carrying exactly one
 *   `domain/orders` event (`order.accepted`, `order.filled`, `order.canceled`, `order.expired`),
 *   delivered once per venue instance and in the order the venue reports them (accepted first,
 *   then fills, then a final cancel or expiry). Feed them to `applyOrderEvent` as they are.
 */
export interface Venue {
  /** Short name for logs and records (`sim`, `kraken`). */
  readonly name: string;
  /** True for in-process venues that can never move real money (a backtest refuses anything else). */
  readonly simulated: boolean;

  /**
   * Places one order. `accepted` means the venue holds it (its `order.accepted` execution has
   * been or will be delivered, possibly with fills: a market order may be filled before this
   * resolves); `rejected` means it was definitely not placed; `unknown` means it may or may not
   * be at the venue (timeout, 5xx): look it up by client order id, never resend it.
   */
  submitOrder(request: VenueOrderRequest, signal?: AbortSignal): Promise<VenueSubmitResult>;
  /** Cancels the open order with this client order id. Cancels are idempotent; a transient failure may be retried. */
  cancelOrder(clientOrderId: string, signal?: AbortSignal): Promise<VenueCancelResult>;
  /** The venue's current view of one order, found by client order id (open or finished). A read: delivers no executions. */
  lookupOrder(clientOrderId: string, signal?: AbortSignal): Promise<VenueLookupResult>;
  /** Every order still working at the venue, oldest first. */
  openOrders(signal?: AbortSignal): Promise<VenueResult<readonly VenueOrderSnapshot[]>>;
  /** Balances per asset (canonical codes: `BTC`, `USD`), including amounts held by open orders. */
  balances(signal?: AbortSignal): Promise<VenueResult<readonly VenueBalance[]>>;
  /** Order rules (lot and tick grids, minimums) of the listed symbols (`BTC/USD`). */
  pairRules(symbols: readonly string[], signal?: AbortSignal): Promise<VenueResult<readonly VenuePairRules[]>>;
  /** The account's current maker/taker fee rates of the listed symbols, percent units. */
  feeRates(symbols: readonly string[], signal?: AbortSignal): Promise<VenueResult<readonly VenueFeeRates[]>>;

  /**
   * Subscribes to executions of the orders submitted through this venue instance; returns the
   * unsubscribe function. Subscribe BEFORE submitting: an in-process venue delivers synchronously,
   * inside `submitOrder`, `cancelOrder` and its market-data feed. A throwing listener does not
   * stop the others or the venue.
   */
  onExecution(listener: VenueExecutionListener): () => void;
  /**
   * Asks the venue to find executions it has not delivered yet (Kraken: a REST reconciliation of
   * the orders it tracks, needed when no WebSocket feed is attached or after one was down; the sim
   * delivers everything synchronously and finds nothing). Everything found is delivered to the
   * listeners AND returned. On a failed read the executions found so far are still delivered and
   * the first error is returned. Concurrent calls share one run.
   */
  pollExecutions(signal?: AbortSignal): Promise<VenueResult<readonly VenueExecution[]>>;
}

/** An order as the order actor asks for it. */
export interface VenueOrderRequest {
  /** Mandatory, caller-chosen, unique among existing orders (Kraken: a UUID, 32 hex, or ASCII ≤ 18). */
  readonly clientOrderId: string;
  /** Canonical symbol, `BASE/QUOTE` (`BTC/USD`). */
  readonly symbol: string;
  readonly side: OrderSide;
  /** `market`, `limit`, or the exchange-native triggers `stop-loss` / `take-profit` (which execute at market). */
  readonly type: OrderType;
  /** Base units, > 0, on the pair's lot grid (never rounded by the venue: off-grid is refused). */
  readonly quantity: Fixed;
  /** Required for `limit`, refused otherwise. Quote per base, on the tick grid. */
  readonly limitPrice?: Fixed;
  /** Required for `stop-loss` / `take-profit`, refused otherwise. Quote per base, on the tick grid. */
  readonly triggerPrice?: Fixed;
  /** `limit` only: never take liquidity; an order that would is canceled at once (or refused, per venue). */
  readonly postOnly?: boolean;
}

/** Outcome of `submitOrder`. */
export type VenueSubmitResult =
  | { readonly kind: 'accepted'; readonly clientOrderId: string; readonly venueOrderId: string }
  /** Definitely not placed; `error.class` says whether the same request can succeed later. */
  | { readonly kind: 'rejected'; readonly clientOrderId: string; readonly error: VenueError }
  /** Maybe placed: resolve with `lookupOrder` (and `pollExecutions`), never by resending. */
  | { readonly kind: 'unknown'; readonly clientOrderId: string; readonly error: VenueError };

/** Outcome of `cancelOrder`. */
export type VenueCancelResult =
  /** Confirmed canceled; its `order.canceled` execution (after any fills) has been delivered. */
  | { readonly kind: 'canceled'; readonly clientOrderId: string }
  /** The venue took the request but has not confirmed: the outcome (canceled, or filled after all) arrives as executions. */
  | { readonly kind: 'pending'; readonly clientOrderId: string }
  /** No OPEN order has this id: never existed, or already finished (look it up to learn which). */
  | { readonly kind: 'notFound'; readonly clientOrderId: string; readonly error: VenueError }
  /** The request failed; retry if `error.class` is transient. */
  | { readonly kind: 'failed'; readonly clientOrderId: string; readonly error: VenueError };

/** Outcome of `lookupOrder`; `found` feeds `order.lookupFound` (`missing`, after a grace period, `order.lookupMissing`). */
export type VenueLookupResult =
  | { readonly kind: 'found'; readonly order: VenueOrderSnapshot }
  | { readonly kind: 'missing'; readonly clientOrderId: string }
  | { readonly kind: 'failed'; readonly clientOrderId: string; readonly error: VenueError };

/** A value or a classified error. */
export type VenueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: VenueError };

/** One order as the venue reports it. Cumulative figures; prices quote per base; fee in quote. */
export interface VenueOrderSnapshot {
  /** Null for orders placed without one (e.g. by hand on the exchange). */
  readonly clientOrderId: string | null;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** `other` for venue order types the fund never sends (e.g. a trailing stop placed by hand). */
  readonly type: OrderType | 'other';
  readonly quantity: Fixed;
  readonly limitPrice: Fixed | null;
  readonly triggerPrice: Fixed | null;
  readonly postOnly: boolean;
  readonly venueStatus: VenueOrderStatus;
  readonly filledQuantity: Fixed;
  /** Null while nothing filled. */
  readonly avgFillPrice: Fixed | null;
  readonly fee: Fixed;
  /** Why it was canceled or expired, in the venue's words; null otherwise. */
  readonly reason: string | null;
  /** Venue clock, ms. */
  readonly tsOpened: number;
  /** Venue clock, ms; null while open. */
  readonly tsClosed: number | null;
}

/** One asset's balance; `available = total − hold`. */
export interface VenueBalance {
  /** Canonical code (`BTC`, `USD`). */
  readonly asset: string;
  readonly total: Fixed;
  /** Reserved by open orders (buys: quantity × limit or trigger price × (1 + taker fee); sells: quantity). */
  readonly hold: Fixed;
  readonly available: Fixed;
}

/** A symbol's order rules for `domain/execution`. */
export interface VenuePairRules {
  readonly symbol: string;
  readonly rules: PairRules;
}

/** A symbol's fee rates, percent units (0.4 = 0.40 %). */
export interface VenueFeeRates {
  readonly symbol: string;
  readonly rates: FeeRatesPct;
}

/** A fill as the venue reports it: a `domain/orders` `order.filled` event plus who provided liquidity. */
export interface VenueFill extends OrderFilled {
  /** Maker for a resting order that was hit, taker for one that crossed; null when the venue did not say. */
  readonly liquidity: Liquidity | null;
}

/** The `domain/orders` events a venue reports (local facts — submitted, timed out, lookups — are the caller's). */
export type VenueOrderEvent = OrderAccepted | VenueFill | OrderCanceled | OrderExpired;

/** One venue fact about one order. `event.tsEvent` is on the venue's clock. */
export interface VenueExecution {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly event: VenueOrderEvent;
}

/** Receives executions; must not throw (a throw is reported by the venue and ignored). */
export type VenueExecutionListener = (execution: VenueExecution) => void;

/** Retry policy of an error: `transient` → the same call may succeed later (back off); `permanent` → it will not. */
export type VenueErrorClass = 'transient' | 'permanent';

/**
 * What went wrong, as a closed set callers branch on (never on `message`):
 * - `invalidOrder`: malformed or off-grid (lot decimals, tick size), wrong fields for the type;
 * - `belowMinimum`: quantity under the pair's minimum volume or cost under its minimum cost;
 * - `insufficientFunds`: the available balance cannot cover the order (and its fee);
 * - `duplicateClientOrderId`: an order with this client order id already exists;
 * - `unknownSymbol`: the venue does not list the symbol;
 * - `unsupportedOrder`: a valid order this venue cannot model (e.g. a buy stop on the sim);
 * - `postOnlyWouldTake`: a post-only limit would cross (venues that refuse rather than cancel);
 * - `noPrice`: the venue has no price for the symbol yet (sim before its first candle);
 * - `marketRestricted`: the market accepts only cancels or post-only orders for now;
 * - `unknownOrder`: no open order with this id (cancel);
 * - `tooManyOrders`: the venue's open-order cap is reached;
 * - `rateLimited`, `unavailable` (5xx, maintenance, overload), `timeout`, `network`: transport;
 * - `aborted`: the caller's signal fired;
 * - `auth`: key, signature, permission or lockout problems;
 * - `venueError`: anything else the venue said (see `venueCodes`).
 */
export type VenueErrorKind =
  | 'invalidOrder'
  | 'belowMinimum'
  | 'insufficientFunds'
  | 'duplicateClientOrderId'
  | 'unknownSymbol'
  | 'unsupportedOrder'
  | 'postOnlyWouldTake'
  | 'noPrice'
  | 'marketRestricted'
  | 'unknownOrder'
  | 'tooManyOrders'
  | 'rateLimited'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'auth'
  | 'venueError';

/** A classified venue error. `message` is for humans and logs only. */
export interface VenueError {
  readonly kind: VenueErrorKind;
  readonly class: VenueErrorClass;
  readonly message: string;
  /** The venue's own error strings, verbatim (empty for local and transport errors). */
  readonly venueCodes: readonly string[];
  /** Minimum wait before retrying, ms, when the venue says. */
  readonly retryAfterMs?: number;
}
