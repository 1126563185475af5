import type { Fixed } from '../money/index.ts';

/**
 * Order events: dot-namespaced facts in the past tense (`order.filled`) plus the local commands
 * that were carried out (`order.cancelRequested` = a cancel request was sent).
 *
 * Every event carries `tsEvent`, ms since epoch (UTC) when the fact happened on its source's
 * clock: the venue's for venue facts (accepted, rejected, filled, canceled, expired, lookup
 * results), the local clock for local facts (submitted, cancelRequested, submitTimedOut).
 * Quantities are in base currency, prices in quote currency per unit of base, fees in quote
 * currency; all exact `Fixed`.
 */
export type OrderEvent =
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderFilled
  | OrderCancelRequested
  | OrderCancelRejected
  | OrderCanceled
  | OrderExpired
  | OrderSubmitTimedOut
  | OrderLookupFound
  | OrderLookupMissing;

/** The request left the process (its row, with the client order id, was written first). */
export interface OrderSubmitted {
  readonly type: 'order.submitted';
  readonly tsEvent: number;
}

/** The venue acknowledged the order and gave it an id (Kraken: the `txid`). */
export interface OrderAccepted {
  readonly type: 'order.accepted';
  readonly venueOrderId: string;
  readonly tsEvent: number;
}

/** Refused, by the venue or locally before sending; `reason` says why (e.g. `EOrder:Insufficient funds`). */
export interface OrderRejected {
  readonly type: 'order.rejected';
  readonly reason: string;
  readonly tsEvent: number;
}

/**
 * One execution. `tradeId` is the venue's id for this fill and makes applying it idempotent
 * (a replayed fill is refused as `duplicateFill`). `quantity` > 0 (base), `price` > 0 (quote per
 * base), `fee` ≥ 0 (quote).
 */
export interface OrderFilled {
  readonly type: 'order.filled';
  readonly tradeId: string;
  readonly quantity: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly tsEvent: number;
}

/** A cancel request was sent (or re-sent after a transient failure). */
export interface OrderCancelRequested {
  readonly type: 'order.cancelRequested';
  readonly tsEvent: number;
}

/** The venue refused the cancel; the order keeps working. */
export interface OrderCancelRejected {
  readonly type: 'order.cancelRejected';
  readonly reason: string;
  readonly tsEvent: number;
}

/** The venue canceled the order (on request, or on its own, e.g. an IOC remainder); fills so far stand. */
export interface OrderCanceled {
  readonly type: 'order.canceled';
  readonly reason: string | null;
  readonly tsEvent: number;
}

/** The order's time in force ran out at the venue; fills so far stand. */
export interface OrderExpired {
  readonly type: 'order.expired';
  readonly tsEvent: number;
}

/** The submit request got no answer in time (or died with the process): the outcome is unknown. */
export interface OrderSubmitTimedOut {
  readonly type: 'order.submitTimedOut';
  readonly tsEvent: number;
}

/**
 * What the venue reports about an order looked up by its client order id, mapped by the adapter
 * into domain terms. `filledQuantity` and `avgFillPrice` are cumulative (null price when nothing
 * filled); `fee` is the cumulative fee in quote currency.
 */
export interface OrderLookupFound {
  readonly type: 'order.lookupFound';
  readonly venueOrderId: string;
  readonly venueStatus: VenueOrderStatus;
  readonly filledQuantity: Fixed;
  readonly avgFillPrice: Fixed | null;
  readonly fee: Fixed;
  readonly tsEvent: number;
}

/** The status a lookup reports: still working, or finished in one of four ways. */
export type VenueOrderStatus = 'open' | 'filled' | 'canceled' | 'expired' | 'rejected';

/**
 * The venue has no order with this client order id (looked up after the grace period the
 * caller allows for the venue's books to settle): the request never arrived.
 */
export interface OrderLookupMissing {
  readonly type: 'order.lookupMissing';
  readonly tsEvent: number;
}

/** Every event type, in table order. */
export const ORDER_EVENT_TYPES = [
  'order.submitted',
  'order.accepted',
  'order.rejected',
  'order.filled',
  'order.cancelRequested',
  'order.cancelRejected',
  'order.canceled',
  'order.expired',
  'order.submitTimedOut',
  'order.lookupFound',
  'order.lookupMissing',
] as const satisfies readonly OrderEvent['type'][];

/** One of `ORDER_EVENT_TYPES`. */
export type OrderEventType = OrderEvent['type'];
