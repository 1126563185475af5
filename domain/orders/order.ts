import { ZERO, div, type Fixed } from '../money/index.ts';
import type { OrderStatus } from './states.ts';

/** Buy or sell (spot, long-only: a sell reduces or closes a holding). */
export type OrderSide = 'buy' | 'sell';

/** Order types we send: market, limit, and the two exchange-native triggers (Kraken names). */
export type OrderType = 'market' | 'limit' | 'stop-loss' | 'take-profit';

/**
 * One order, as the domain sees it. Immutable: `applyOrderEvent` returns a new record.
 *
 * - `quantity`, `filledQuantity`: base currency, exact. `filledQuantity` ≤ `quantity` always.
 * - `filledNotional`: Σ(fill quantity × fill price), quote currency, exact; kept so that the
 *   average price is recomputed from exact totals and never drifts.
 * - `avgFillPrice`: `filledNotional / filledQuantity` rounded half-even to 18 decimals; null
 *   while nothing has filled.
 * - `limitPrice` is set for `limit` orders; `triggerPrice` for `stop-loss`/`take-profit`.
 * - `tsInit`: local ms when the order was created; `tsEvent`: ms of the last applied event on its
 *   source's clock (see `OrderEvent`), null while the order is `new`.
 */
export interface Order {
  readonly clientOrderId: string;
  readonly venueOrderId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Fixed;
  readonly limitPrice: Fixed | null;
  readonly triggerPrice: Fixed | null;
  readonly status: OrderStatus;
  readonly filledQuantity: Fixed;
  readonly filledNotional: Fixed;
  readonly avgFillPrice: Fixed | null;
  readonly feeTotal: Fixed;
  /** Venue trade ids already applied, oldest first (makes fills idempotent). */
  readonly tradeIds: readonly string[];
  /** Why the order was rejected, canceled or a cancel refused; null otherwise. */
  readonly reason: string | null;
  readonly tsInit: number;
  readonly tsEvent: number | null;
}

/** What the caller decides when creating an order. */
export interface NewOrderParams {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Fixed;
  readonly limitPrice?: Fixed | null;
  readonly triggerPrice?: Fixed | null;
  /** Local clock, ms since epoch (UTC). */
  readonly tsInit: number;
}

/** Why `createOrder` refused its parameters. */
export interface InvalidOrder {
  readonly kind: 'invalidOrder';
  readonly reason: string;
}

/**
 * Builds an order in status `new` after checking its parameters: non-empty ids, quantity > 0, a
 * positive limit price exactly for `limit` orders and a positive trigger price exactly for
 * `stop-loss`/`take-profit`, integer `tsInit`. Pure; returns the reason instead of throwing.
 */
export function createOrder(params: NewOrderParams): { ok: true; order: Order } | { ok: false; error: InvalidOrder } {
  const limitPrice = params.limitPrice ?? null;
  const triggerPrice = params.triggerPrice ?? null;
  const problem = orderProblem(params, limitPrice, triggerPrice);
  if (problem !== null) return { ok: false, error: { kind: 'invalidOrder', reason: problem } };
  return {
    ok: true,
    order: {
      clientOrderId: params.clientOrderId,
      venueOrderId: null,
      symbol: params.symbol,
      side: params.side,
      type: params.type,
      quantity: params.quantity,
      limitPrice,
      triggerPrice,
      status: 'new',
      filledQuantity: ZERO,
      filledNotional: ZERO,
      avgFillPrice: null,
      feeTotal: ZERO,
      tradeIds: [],
      reason: null,
      tsInit: params.tsInit,
      tsEvent: null,
    },
  };
}

function orderProblem(params: NewOrderParams, limitPrice: Fixed | null, triggerPrice: Fixed | null): string | null {
  if (params.clientOrderId.trim() === '') return 'clientOrderId must be a non-empty string';
  if (params.symbol.trim() === '') return 'symbol must be a non-empty string';
  if (params.side !== 'buy' && params.side !== 'sell') return `side must be 'buy' or 'sell', got ${JSON.stringify(params.side)}`;
  if (params.quantity <= ZERO) return `quantity must be > 0, got ${params.quantity} (1e-18 units)`;
  if (!Number.isSafeInteger(params.tsInit)) return `tsInit must be integer ms since epoch, got ${params.tsInit}`;
  switch (params.type) {
    case 'market':
      if (limitPrice !== null || triggerPrice !== null) return 'a market order takes neither limitPrice nor triggerPrice';
      return null;
    case 'limit':
      if (limitPrice === null || limitPrice <= ZERO) return 'a limit order needs limitPrice > 0';
      if (triggerPrice !== null) return 'a limit order takes no triggerPrice';
      return null;
    case 'stop-loss':
    case 'take-profit':
      if (triggerPrice === null || triggerPrice <= ZERO) return `a ${params.type} order needs triggerPrice > 0`;
      if (limitPrice !== null) return `a ${params.type} order takes no limitPrice (Kraken's ${params.type} executes at market)`;
      return null;
    default:
      return `type must be one of market, limit, stop-loss, take-profit; got ${JSON.stringify(params.type)}`;
  }
}

/** Σ notional ÷ Σ quantity, half-even at 18 decimals; null when nothing filled. Pure. */
export function averagePrice(filledNotional: Fixed, filledQuantity: Fixed): Fixed | null {
  return filledQuantity === ZERO ? null : div(filledNotional, filledQuantity);
}
