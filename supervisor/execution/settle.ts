/**
 * Brings a stored, non-final order up to the venue's snapshot of it (a lookup by client order
 * id): the facts the executions stream did not deliver — because the order was placed by an
 * earlier process, or the feed was down — applied through domain/orders. Used by reconciliation
 * at startup and by the order service's `syncStoredOrders`.
 */
import { type Fixed, ZERO, div, mul, toString } from '../../domain/money/index.ts';
import { type Order, type OrderEvent, type VenueOrderStatus, isTerminal } from '../../domain/orders/index.ts';
import type { VenueOrderSnapshot } from '../../domain/ports/index.ts';
import { applyAndStore, loadOrder } from './order-store.ts';
import type { ExecutionRepos } from './types.ts';

/**
 * True when the venue's order `s` is the stored order `o` (same side, type, quantity and price,
 * and the same venue id once known): a lookup by client order id can find ANOTHER order with the
 * same id (after a store restored from an old backup reused ids), which must never be adopted. Pure.
 */
export function snapshotMatches(o: Order, s: VenueOrderSnapshot): boolean {
  if (o.venueOrderId !== null && o.venueOrderId !== s.venueOrderId) return false;
  if (s.side !== o.side || s.type !== o.type || s.quantity !== o.quantity) return false;
  if (o.type === 'limit') return s.limitPrice === o.limitPrice;
  if (o.type === 'stop-loss' || o.type === 'take-profit') return s.triggerPrice === o.triggerPrice;
  return true;
}

/** One fact applied by `settleFromSnapshot`. */
export type SettledFact =
  /** A `submitted`/`unknown` order found: `order.lookupFound` with the venue's cumulative figures. */
  | { readonly kind: 'found'; readonly venueStatus: VenueOrderStatus; readonly filledQuantity: Fixed; readonly avgFillPrice: Fixed | null; readonly fee: Fixed }
  /** Fills we had not seen, as ONE aggregate fill (`reconciled:<txid>:<cumulative qty>`): quantity base, price quote per base, fee quote. */
  | { readonly kind: 'filled'; readonly quantity: Fixed; readonly price: Fixed; readonly fee: Fixed; readonly venueStatus: VenueOrderStatus }
  /** Canceled or expired at the venue. */
  | { readonly kind: 'finished'; readonly venueStatus: 'canceled' | 'expired' }
  /**
   * The venue's order with this client order id is a different order. Nothing of it is applied; a
   * `submitted`/`unknown` order is settled as never placed (`order.lookupMissing` → rejected).
   */
  | { readonly kind: 'clash'; readonly venueOrderId: string };

/**
 * Applies what `s` says beyond the stored order `clientOrderId`: for `submitted`/`unknown` orders a
 * lookup result; otherwise the acknowledgement, one aggregate fill for the quantity the venue
 * executed beyond ours (price = the notional difference ÷ the quantity, exact at 18 decimals), and
 * a final cancel/expiry once every fill is in. A snapshot of a different order (`snapshotMatches`
 * false) is never applied (a `clash` fact). Returns the facts applied (empty when the store
 * already agrees) and the order after them. Events the table refuses are skipped, never forced.
 */
export function settleFromSnapshot(repos: ExecutionRepos, clientOrderId: string, s: VenueOrderSnapshot, nowMs: number): { facts: SettledFact[]; order: Order } {
  const facts: SettledFact[] = [];
  const apply = (event: OrderEvent): boolean => applyAndStore(repos, loadOrder(repos, clientOrderId)!, event, nowMs).ok;
  const current = () => loadOrder(repos, clientOrderId)!.order;
  let o = current();
  if (isTerminal(o.status)) return { facts, order: o };
  if (!snapshotMatches(o, s)) {
    if (o.status === 'submitted') apply({ type: 'order.submitTimedOut', tsEvent: nowMs });
    if (o.status === 'submitted' || o.status === 'unknown') apply({ type: 'order.lookupMissing', tsEvent: nowMs });
    facts.push({ kind: 'clash', venueOrderId: s.venueOrderId });
    return { facts, order: current() };
  }
  if (o.status === 'submitted' || o.status === 'unknown') {
    if (o.status === 'submitted') apply({ type: 'order.submitTimedOut', tsEvent: nowMs });
    if (apply({ type: 'order.lookupFound', venueOrderId: s.venueOrderId, venueStatus: s.venueStatus, filledQuantity: s.filledQuantity, avgFillPrice: s.avgFillPrice, fee: s.fee, tsEvent: s.tsClosed ?? s.tsOpened })) {
      facts.push({ kind: 'found', venueStatus: s.venueStatus, filledQuantity: s.filledQuantity, avgFillPrice: s.avgFillPrice, fee: s.fee });
    }
    return { facts, order: current() };
  }
  if (o.venueOrderId === null) apply({ type: 'order.accepted', venueOrderId: s.venueOrderId, tsEvent: s.tsOpened });
  o = current();
  const delta = s.filledQuantity - o.filledQuantity;
  if (delta > ZERO && s.avgFillPrice !== null) {
    const notional = mul(s.filledQuantity, s.avgFillPrice) - o.filledNotional;
    const price = div(notional, delta);
    const fee = s.fee > o.feeTotal ? s.fee - o.feeTotal : ZERO;
    if (apply({ type: 'order.filled', tradeId: `reconciled:${s.venueOrderId}:${toString(s.filledQuantity)}`, quantity: delta, price, fee, tsEvent: s.tsClosed ?? nowMs })) {
      facts.push({ kind: 'filled', quantity: delta, price, fee, venueStatus: s.venueStatus });
    }
  }
  o = current();
  if (!isTerminal(o.status) && (s.venueStatus === 'canceled' || s.venueStatus === 'expired') && o.filledQuantity === s.filledQuantity) {
    const ok = apply(s.venueStatus === 'canceled' ? { type: 'order.canceled', reason: s.reason, tsEvent: s.tsClosed ?? nowMs } : { type: 'order.expired', tsEvent: s.tsClosed ?? nowMs });
    if (ok) facts.push({ kind: 'finished', venueStatus: s.venueStatus });
  }
  return { facts, order: current() };
}
