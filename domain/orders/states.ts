/**
 * The statuses an order can be in. Pure data.
 *
 * `unknown` is reached only when a submit's outcome is not known (the request timed out or the
 * process died with it in flight); it is resolved by looking the order up at the venue by its
 * client order id, never by sending it again.
 */
export const ORDER_STATES = [
  'new',
  'submitted',
  'accepted',
  'partiallyFilled',
  'filled',
  'pendingCancel',
  'canceled',
  'rejected',
  'expired',
  'unknown',
] as const;

/** One of `ORDER_STATES`. */
export type OrderStatus = (typeof ORDER_STATES)[number];

/** Statuses no event can leave: an order in one of them is finished for good. */
export const TERMINAL_STATES: readonly OrderStatus[] = Object.freeze(['filled', 'canceled', 'rejected', 'expired'] as const);

/** True when `status` is terminal (absorbing). Pure. */
export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATES.includes(status);
}

/** True when `value` names an order status (for parsing stored rows). Pure. */
export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATES as readonly string[]).includes(value);
}
