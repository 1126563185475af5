import type { OrderEventType } from './events.ts';
import type { OrderStatus } from './states.ts';

/**
 * Guards that pick the target when one (status, event) pair has several legal targets. They
 * are predicates over the order before the event and the event itself (see
 * `evaluateOrderGuard`); the guards of one pair are mutually exclusive.
 */
export const ORDER_GUARDS = [
  'isPartialFill',
  'isCompleteFill',
  'hasFills',
  'hasNoFills',
  'isFoundOpenUnfilled',
  'isFoundOpenPartiallyFilled',
  'isFoundFilled',
  'isFoundCanceled',
  'isFoundExpired',
  'isFoundRejected',
] as const;

/** One of `ORDER_GUARDS`. */
export type OrderGuard = (typeof ORDER_GUARDS)[number];

/** One legal edge of the order lifecycle. */
export interface OrderTransition {
  readonly from: OrderStatus;
  readonly event: OrderEventType;
  readonly to: OrderStatus;
  readonly guard?: OrderGuard;
}

/**
 * The order lifecycle: every legal edge, one per line; anything not listed is illegal.
 * Modelled on NautilusTrader's order FSM (crates/model/src/orders/mod.rs, `OrderStatus::transition`),
 * narrowed to what a Kraken spot order can do, plus `unknown` for unconfirmed submits.
 * Deliberately absent: any edge out of a terminal status (they are absorbing; the only edges
 * from them are self-loops that record a late acknowledgement), and any edge from `unknown`
 * back to `submitted` (an unknown order is looked up by client order id, never resubmitted).
 * The XState order machine is tested to have exactly these edges.
 */
export const ORDER_TRANSITIONS: readonly OrderTransition[] = Object.freeze([
  { from: 'new', event: 'order.submitted', to: 'submitted' },
  { from: 'new', event: 'order.rejected', to: 'rejected' }, // refused locally before sending (e.g. below the pair's ordermin)
  { from: 'new', event: 'order.canceled', to: 'canceled' }, // abandoned before sending (halt, or a restart found it unsent)

  { from: 'submitted', event: 'order.accepted', to: 'accepted' },
  { from: 'submitted', event: 'order.rejected', to: 'rejected' },
  { from: 'submitted', event: 'order.filled', guard: 'isPartialFill', to: 'partiallyFilled' }, // the executions stream can report a fill before the REST ack
  { from: 'submitted', event: 'order.filled', guard: 'isCompleteFill', to: 'filled' }, // likewise: a market order may be done before its ack arrives
  { from: 'submitted', event: 'order.canceled', to: 'canceled' }, // IOC with nothing to match, or post-only that would cross: canceled at once
  { from: 'submitted', event: 'order.submitTimedOut', to: 'unknown' }, // the request may or may not have reached the venue

  { from: 'accepted', event: 'order.filled', guard: 'isPartialFill', to: 'partiallyFilled' },
  { from: 'accepted', event: 'order.filled', guard: 'isCompleteFill', to: 'filled' },
  { from: 'accepted', event: 'order.cancelRequested', to: 'pendingCancel' },
  { from: 'accepted', event: 'order.canceled', to: 'canceled' }, // unsolicited: the venue canceled it on its own
  { from: 'accepted', event: 'order.expired', to: 'expired' },

  { from: 'partiallyFilled', event: 'order.filled', guard: 'isPartialFill', to: 'partiallyFilled' },
  { from: 'partiallyFilled', event: 'order.filled', guard: 'isCompleteFill', to: 'filled' },
  { from: 'partiallyFilled', event: 'order.accepted', to: 'partiallyFilled' }, // the REST ack overtaken by a fill: records the venue id only
  { from: 'partiallyFilled', event: 'order.cancelRequested', to: 'pendingCancel' },
  { from: 'partiallyFilled', event: 'order.canceled', to: 'canceled' }, // the remainder is canceled; the fills stand
  { from: 'partiallyFilled', event: 'order.expired', to: 'expired' }, // likewise

  { from: 'pendingCancel', event: 'order.canceled', to: 'canceled' },
  { from: 'pendingCancel', event: 'order.filled', guard: 'isPartialFill', to: 'partiallyFilled' }, // the venue may fill after a cancel request; the request is still in flight
  { from: 'pendingCancel', event: 'order.filled', guard: 'isCompleteFill', to: 'filled' }, // the fill won the race: nothing is left to cancel
  { from: 'pendingCancel', event: 'order.cancelRejected', guard: 'hasNoFills', to: 'accepted' }, // the cancel failed; the order keeps working
  { from: 'pendingCancel', event: 'order.cancelRejected', guard: 'hasFills', to: 'partiallyFilled' },
  { from: 'pendingCancel', event: 'order.cancelRequested', to: 'pendingCancel' }, // a retried cancel request (after a transient error)
  { from: 'pendingCancel', event: 'order.expired', to: 'expired' }, // expiry beat the cancel
  { from: 'pendingCancel', event: 'order.accepted', to: 'pendingCancel' }, // late REST ack (a fill came first, then a cancel was sent): records the venue id only

  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundOpenUnfilled', to: 'accepted' }, // the lookup by client order id settles it
  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundOpenPartiallyFilled', to: 'partiallyFilled' },
  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundFilled', to: 'filled' },
  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundCanceled', to: 'canceled' },
  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundExpired', to: 'expired' },
  { from: 'unknown', event: 'order.lookupFound', guard: 'isFoundRejected', to: 'rejected' },
  { from: 'unknown', event: 'order.lookupMissing', to: 'rejected' }, // never arrived; a retry is a NEW order with a NEW client order id
  { from: 'unknown', event: 'order.accepted', to: 'accepted' }, // a late ack settles it as well as a lookup would
  { from: 'unknown', event: 'order.filled', guard: 'isPartialFill', to: 'partiallyFilled' }, // a fill proves the venue has the order
  { from: 'unknown', event: 'order.filled', guard: 'isCompleteFill', to: 'filled' },

  { from: 'filled', event: 'order.accepted', to: 'filled' }, // late REST ack after the stream reported the fill: records the venue id only
  { from: 'canceled', event: 'order.accepted', to: 'canceled' }, // late REST ack after an immediate IOC cancel: records the venue id only
] as const satisfies readonly OrderTransition[]);

/** The edges leaving `from` on `event` (empty when the pair is illegal). Pure. */
export function transitionsFor(from: OrderStatus, event: OrderEventType): readonly OrderTransition[] {
  return ORDER_TRANSITIONS.filter((t) => t.from === from && t.event === event);
}
