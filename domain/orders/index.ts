/**
 * Orders: the lifecycle table (data), the order record, and `applyOrderEvent`. Pure.
 */
export { ORDER_STATES, TERMINAL_STATES, isOrderStatus, isTerminal, type OrderStatus } from './states.ts';
export {
  ORDER_EVENT_TYPES,
  type OrderAccepted,
  type OrderCancelRejected,
  type OrderCancelRequested,
  type OrderCanceled,
  type OrderEvent,
  type OrderEventType,
  type OrderExpired,
  type OrderFilled,
  type OrderLookupFound,
  type OrderLookupMissing,
  type OrderRejected,
  type OrderSubmitTimedOut,
  type OrderSubmitted,
  type VenueOrderStatus,
} from './events.ts';
export {
  averagePrice,
  createOrder,
  type InvalidOrder,
  type NewOrderParams,
  type Order,
  type OrderSide,
  type OrderType,
} from './order.ts';
export { ORDER_GUARDS, ORDER_TRANSITIONS, transitionsFor, type OrderGuard, type OrderTransition } from './transitions.ts';
export { evaluateOrderGuard } from './guards.ts';
export { applyOrderEvent, type ApplyOrderResult, type OrderError } from './apply.ts';
