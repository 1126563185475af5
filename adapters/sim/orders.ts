import type { Fixed } from '../../domain/money/index.ts';
import { ZERO, div } from '../../domain/money/index.ts';
import type { OrderSide, OrderType, VenueOrderStatus } from '../../domain/orders/index.ts';
import type { VenueOrderSnapshot } from '../../domain/ports/index.ts';

/**
 * One order held by the sim venue. Mutable inside the venue only; the outside world sees
 * `snapshotOf` copies. The sim fills an order whole, so `filledQuantity` is 0 or `quantity`.
 */
export interface SimOrder {
  /** Creation order (1, 2, 3…): orders are matched in this order. */
  readonly seq: number;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Fixed;
  readonly limitPrice: Fixed | null;
  readonly triggerPrice: Fixed | null;
  readonly postOnly: boolean;
  status: VenueOrderStatus;
  filledQuantity: Fixed;
  /** Σ fill qty × price, quote. */
  filledNotional: Fixed;
  fee: Fixed;
  reason: string | null;
  /** Venue clock when placed, ms; candles that opened before it are not matched against it. */
  readonly tsOpened: number;
  tsClosed: number | null;
}

/** Base units the order still wants. */
export function remainingOf(order: SimOrder): Fixed {
  return order.quantity - order.filledQuantity;
}

/** The order as the port reports it (a copy). Pure. */
export function snapshotOf(order: SimOrder): VenueOrderSnapshot {
  return {
    clientOrderId: order.clientOrderId,
    venueOrderId: order.venueOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    triggerPrice: order.triggerPrice,
    postOnly: order.postOnly,
    venueStatus: order.status,
    filledQuantity: order.filledQuantity,
    avgFillPrice: order.filledQuantity === ZERO ? null : div(order.filledNotional, order.filledQuantity),
    fee: order.fee,
    reason: order.reason,
    tsOpened: order.tsOpened,
    tsClosed: order.tsClosed,
  };
}
