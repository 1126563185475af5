import { ZERO, mul, type Fixed } from '../money/index.ts';
import type { OrderEvent, OrderEventType, OrderFilled, OrderLookupFound } from './events.ts';
import { evaluateOrderGuard } from './guards.ts';
import { averagePrice, type Order } from './order.ts';
import type { OrderStatus } from './states.ts';
import { transitionsFor } from './transitions.ts';

/** Why an event could not be applied. Each is a value for the caller to record and act on. */
export type OrderError =
  /** No edge of `ORDER_TRANSITIONS` leaves `from` on `event`. */
  | { readonly kind: 'illegalTransition'; readonly from: OrderStatus; readonly event: OrderEventType }
  /** The fill (or a lookup's cumulative quantity) would take the order past its quantity. */
  | {
      readonly kind: 'overfill';
      readonly quantity: Fixed;
      readonly filledQuantity: Fixed;
      readonly fillQuantity: Fixed;
    }
  /** A fill with this venue trade id was already applied (replayed stream, reconciliation). */
  | { readonly kind: 'duplicateFill'; readonly tradeId: string }
  /** The event's own data is malformed or contradicts the order; `reason` says how. */
  | { readonly kind: 'invalidEvent'; readonly event: OrderEventType; readonly reason: string };

/** Result of `applyOrderEvent`. */
export type ApplyOrderResult = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: OrderError };

/**
 * Applies one event to an order following `ORDER_TRANSITIONS`. Pure and total: never throws for
 * bad input, returns `{ ok: false, error }` instead (the order is unchanged). On success the new
 * record has the table's target status, `tsEvent` = the event's `tsEvent`, and for fills the
 * exact cumulative quantity, notional, fee and average price.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): ApplyOrderResult {
  const edges = transitionsFor(order.status, event.type);
  if (edges.length === 0) return fail({ kind: 'illegalTransition', from: order.status, event: event.type });

  const invalid = payloadProblem(order, event);
  if (invalid !== null) return fail({ kind: 'invalidEvent', event: event.type, reason: invalid });

  if (event.type === 'order.filled') {
    if (order.tradeIds.includes(event.tradeId)) return fail({ kind: 'duplicateFill', tradeId: event.tradeId });
    if (order.filledQuantity + event.quantity > order.quantity) {
      return fail({ kind: 'overfill', quantity: order.quantity, filledQuantity: order.filledQuantity, fillQuantity: event.quantity });
    }
  }
  if (event.type === 'order.lookupFound' && event.filledQuantity > order.quantity) {
    return fail({
      kind: 'overfill',
      quantity: order.quantity,
      filledQuantity: order.filledQuantity,
      fillQuantity: event.filledQuantity - order.filledQuantity,
    });
  }

  const matching = edges.filter((e) => e.guard === undefined || evaluateOrderGuard(e.guard, order, event));
  if (matching.length === 0) {
    return fail({ kind: 'invalidEvent', event: event.type, reason: `no edge from ${order.status} accepts it: ${describe(event)}` });
  }
  if (matching.length > 1) {
    // The table's guards are mutually exclusive by construction (and tested); this is a bug.
    throw new Error(`order table is ambiguous: ${matching.length} edges from ${order.status} on ${event.type}`);
  }
  const to = matching[0]!.to;
  return { ok: true, order: { ...update(order, event), status: to, tsEvent: event.tsEvent } };
}

function fail(error: OrderError): ApplyOrderResult {
  return { ok: false, error };
}

/** The record changes an event brings, apart from status and tsEvent. */
function update(order: Order, event: OrderEvent): Order {
  switch (event.type) {
    case 'order.accepted':
      return { ...order, venueOrderId: event.venueOrderId };
    case 'order.filled':
      return applyFill(order, event);
    case 'order.lookupFound':
      return applyLookup(order, event);
    case 'order.rejected':
    case 'order.cancelRejected':
      return { ...order, reason: event.reason };
    case 'order.canceled':
      return { ...order, reason: event.reason };
    case 'order.lookupMissing':
      return { ...order, reason: 'not found at the venue by client order id' };
    case 'order.submitted':
    case 'order.cancelRequested':
    case 'order.expired':
    case 'order.submitTimedOut':
      return order;
  }
}

function applyFill(order: Order, fill: OrderFilled): Order {
  const filledQuantity = order.filledQuantity + fill.quantity;
  const filledNotional = order.filledNotional + mul(fill.quantity, fill.price);
  return {
    ...order,
    filledQuantity,
    filledNotional,
    avgFillPrice: averagePrice(filledNotional, filledQuantity),
    feeTotal: order.feeTotal + fill.fee,
    tradeIds: [...order.tradeIds, fill.tradeId],
  };
}

function applyLookup(order: Order, found: OrderLookupFound): Order {
  const reason = found.venueStatus === 'open' || found.venueStatus === 'filled' ? order.reason : `${found.venueStatus} at the venue (found by lookup)`;
  // The venue's cumulative figures replace ours (an unknown order has applied no fills yet).
  // The average is re-derived from the exact notional so `avgFillPrice = notional / quantity`
  // holds for every record; it equals the venue's figure whenever quantity × price fits in 18
  // decimals, as Kraken's (8-decimal volumes, ≤ 10-decimal prices) always do.
  const filledNotional = found.avgFillPrice === null ? ZERO : mul(found.filledQuantity, found.avgFillPrice);
  return {
    ...order,
    venueOrderId: found.venueOrderId,
    filledQuantity: found.filledQuantity,
    filledNotional,
    avgFillPrice: averagePrice(filledNotional, found.filledQuantity),
    feeTotal: found.fee,
    reason,
  };
}

/** Checks the event's own data against itself and the order; returns the problem or null. */
function payloadProblem(order: Order, event: OrderEvent): string | null {
  if (!Number.isSafeInteger(event.tsEvent)) return `tsEvent must be integer ms since epoch, got ${event.tsEvent}`;
  switch (event.type) {
    case 'order.accepted':
      if (event.venueOrderId.trim() === '') return 'venueOrderId must be non-empty';
      if (order.venueOrderId !== null && order.venueOrderId !== event.venueOrderId) {
        return `venueOrderId ${event.venueOrderId} contradicts the known ${order.venueOrderId}`;
      }
      return null;
    case 'order.filled':
      if (event.tradeId.trim() === '') return 'tradeId must be non-empty';
      if (event.quantity <= ZERO) return `fill quantity must be > 0, got ${event.quantity} (1e-18 units)`;
      if (event.price <= ZERO) return `fill price must be > 0, got ${event.price} (1e-18 units)`;
      if (event.fee < ZERO) return `fee must be ≥ 0, got ${event.fee} (1e-18 units)`;
      return null;
    case 'order.lookupFound':
      if (event.venueOrderId.trim() === '') return 'venueOrderId must be non-empty';
      if (order.venueOrderId !== null && order.venueOrderId !== event.venueOrderId) {
        return `venueOrderId ${event.venueOrderId} contradicts the known ${order.venueOrderId}`;
      }
      if (event.filledQuantity < order.filledQuantity) {
        return `lookup reports ${event.filledQuantity} filled, less than the ${order.filledQuantity} already applied (1e-18 units)`;
      }
      if (event.fee < ZERO) return `fee must be ≥ 0, got ${event.fee} (1e-18 units)`;
      if (event.filledQuantity === ZERO && event.avgFillPrice !== null) return 'avgFillPrice must be null when nothing filled';
      if (event.filledQuantity > ZERO && (event.avgFillPrice === null || event.avgFillPrice <= ZERO)) {
        return 'avgFillPrice must be > 0 when something filled';
      }
      return null;
    case 'order.rejected':
    case 'order.cancelRejected':
      if (event.reason.trim() === '') return 'reason must be non-empty';
      return null;
    default:
      return null;
  }
}

function describe(event: OrderEvent): string {
  switch (event.type) {
    case 'order.lookupFound':
      return `venueStatus ${event.venueStatus} with ${event.filledQuantity} filled (1e-18 units)`;
    case 'order.filled':
      return `fill of ${event.quantity} (1e-18 units)`;
    default:
      return event.type;
  }
}
