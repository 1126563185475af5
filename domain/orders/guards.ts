import { ZERO } from '../money/index.ts';
import type { OrderEvent } from './events.ts';
import type { Order } from './order.ts';
import type { OrderGuard } from './transitions.ts';

/**
 * Evaluates one table guard for `order` (before the event) and `event`. Pure. Guards that do
 * not concern the event's type are false (e.g. `isCompleteFill` on `order.canceled`). The
 * XState order machine uses this same function for its guards.
 */
export function evaluateOrderGuard(guard: OrderGuard, order: Order, event: OrderEvent): boolean {
  switch (guard) {
    case 'isPartialFill':
      return event.type === 'order.filled' && order.filledQuantity + event.quantity < order.quantity;
    case 'isCompleteFill':
      return event.type === 'order.filled' && order.filledQuantity + event.quantity === order.quantity;
    case 'hasFills':
      return order.filledQuantity > ZERO;
    case 'hasNoFills':
      return order.filledQuantity === ZERO;
    case 'isFoundOpenUnfilled':
      return event.type === 'order.lookupFound' && event.venueStatus === 'open' && event.filledQuantity === ZERO;
    case 'isFoundOpenPartiallyFilled':
      return (
        event.type === 'order.lookupFound' &&
        event.venueStatus === 'open' &&
        event.filledQuantity > ZERO &&
        event.filledQuantity < order.quantity
      );
    case 'isFoundFilled':
      return event.type === 'order.lookupFound' && event.venueStatus === 'filled' && event.filledQuantity === order.quantity;
    case 'isFoundCanceled':
      return event.type === 'order.lookupFound' && event.venueStatus === 'canceled';
    case 'isFoundExpired':
      return event.type === 'order.lookupFound' && event.venueStatus === 'expired';
    case 'isFoundRejected':
      return event.type === 'order.lookupFound' && event.venueStatus === 'rejected' && event.filledQuantity === ZERO;
  }
}
