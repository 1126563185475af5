import * as F from '../../../domain/money/index.ts';
import {
  createOrder,
  type Order,
  type OrderEvent,
  type OrderStatus,
  type OrderTransition,
} from '../../../domain/orders/index.ts';

/** A limit buy of 1 BTC at 100 in status `new`, created at t = 1000 ms. */
export function newOrder(quantity = '1'): Order {
  const made = createOrder({
    clientOrderId: 'c-1',
    symbol: 'BTC/USD',
    side: 'buy',
    type: 'limit',
    quantity: F.from(quantity),
    limitPrice: F.from('100'),
    tsInit: 1_000,
  });
  if (!made.ok) throw new Error(made.error.reason);
  return made.order;
}

/** `order` moved to `status` with `filled` base filled at 100 (record surgery for edge tests). */
export function orderIn(status: OrderStatus, filled = '0', quantity = '1'): Order {
  const base = newOrder(quantity);
  const q = F.from(filled);
  const notional = F.mul(q, F.from('100'));
  return {
    ...base,
    status,
    filledQuantity: q,
    filledNotional: notional,
    avgFillPrice: q === 0n ? null : F.from('100'),
    tradeIds: q === 0n ? [] : ['t-0'],
  };
}

export const ev = {
  submitted: (ts = 2_000): OrderEvent => ({ type: 'order.submitted', tsEvent: ts }),
  accepted: (venueOrderId = 'OABC-1', ts = 3_000): OrderEvent => ({ type: 'order.accepted', venueOrderId, tsEvent: ts }),
  rejected: (reason = 'EOrder:Insufficient funds', ts = 3_000): OrderEvent => ({ type: 'order.rejected', reason, tsEvent: ts }),
  filled: (tradeId: string, quantity: string, price: string, fee = '0', ts = 4_000): OrderEvent => ({
    type: 'order.filled',
    tradeId,
    quantity: F.from(quantity),
    price: F.from(price),
    fee: F.from(fee),
    tsEvent: ts,
  }),
  cancelRequested: (ts = 5_000): OrderEvent => ({ type: 'order.cancelRequested', tsEvent: ts }),
  cancelRejected: (reason = 'EOrder:Unknown order', ts = 5_500): OrderEvent => ({ type: 'order.cancelRejected', reason, tsEvent: ts }),
  canceled: (reason: string | null = 'User requested', ts = 6_000): OrderEvent => ({ type: 'order.canceled', reason, tsEvent: ts }),
  expired: (ts = 6_000): OrderEvent => ({ type: 'order.expired', tsEvent: ts }),
  submitTimedOut: (ts = 32_000): OrderEvent => ({ type: 'order.submitTimedOut', tsEvent: ts }),
  lookupFound: (
    venueStatus: 'open' | 'filled' | 'canceled' | 'expired' | 'rejected',
    filledQuantity: string,
    avgFillPrice: string | null,
    fee = '0',
    venueOrderId = 'OABC-1',
    ts = 40_000,
  ): OrderEvent => ({
    type: 'order.lookupFound',
    venueOrderId,
    venueStatus,
    filledQuantity: F.from(filledQuantity),
    avgFillPrice: avgFillPrice === null ? null : F.from(avgFillPrice),
    fee: F.from(fee),
    tsEvent: ts,
  }),
  lookupMissing: (ts = 40_000): OrderEvent => ({ type: 'order.lookupMissing', tsEvent: ts }),
};

/**
 * For one table edge: an order in `edge.from` and an event that satisfies the edge's guard.
 * Orders whose source state implies fills (partiallyFilled, hasFills) carry 0.4 of 1 filled.
 */
export function witness(edge: OrderTransition): { order: Order; event: OrderEvent } {
  const impliesFills = edge.from === 'partiallyFilled' || edge.guard === 'hasFills';
  const order = orderIn(edge.from, impliesFills ? '0.4' : edge.from === 'filled' ? '1' : '0');
  const remaining = F.toString(order.quantity - order.filledQuantity);
  switch (edge.event) {
    case 'order.submitted':
      return { order, event: ev.submitted() };
    case 'order.accepted':
      return { order, event: ev.accepted() };
    case 'order.rejected':
      return { order, event: ev.rejected() };
    case 'order.filled':
      return { order, event: ev.filled('t-new', edge.guard === 'isCompleteFill' ? remaining : '0.1', '101') };
    case 'order.cancelRequested':
      return { order, event: ev.cancelRequested() };
    case 'order.cancelRejected':
      return { order, event: ev.cancelRejected() };
    case 'order.canceled':
      return { order, event: ev.canceled() };
    case 'order.expired':
      return { order, event: ev.expired() };
    case 'order.submitTimedOut':
      return { order, event: ev.submitTimedOut() };
    case 'order.lookupMissing':
      return { order, event: ev.lookupMissing() };
    case 'order.lookupFound': {
      const found: Record<string, OrderEvent> = {
        isFoundOpenUnfilled: ev.lookupFound('open', '0', null),
        isFoundOpenPartiallyFilled: ev.lookupFound('open', '0.25', '99.5', '0.1'),
        isFoundFilled: ev.lookupFound('filled', '1', '99.5', '0.4'),
        isFoundCanceled: ev.lookupFound('canceled', '0.25', '99.5', '0.1'),
        isFoundExpired: ev.lookupFound('expired', '0', null),
        isFoundRejected: ev.lookupFound('rejected', '0', null),
      };
      return { order, event: found[edge.guard!]! };
    }
  }
}
