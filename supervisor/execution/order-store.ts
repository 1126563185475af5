/**
 * The bridge between stored order rows (`orders`, `fills`) and domain/orders `Order` records:
 * load a row as an `Order`, write an `Order` (and the fill that produced it) back. Every state
 * change of an order goes through `applyOrderEvent`; this file only moves records in and out.
 */
import type { FillRow, NewRow, OrderPurpose, OrderRow } from '../../adapters/libsql/index.ts';
import type { Liquidity } from '../../domain/execution/index.ts';
import { type Order, type OrderEvent, applyOrderEvent, type OrderError } from '../../domain/orders/index.ts';
import type { ExecutionRepos } from './types.ts';

/** The domain record of a stored order; `tradeIds` are its recorded fills, in venue time order. */
export function orderOfRow(row: OrderRow, tradeIds: readonly string[]): Order {
  return {
    clientOrderId: row.clientOrderId,
    venueOrderId: row.venueOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    quantity: row.quantity,
    limitPrice: row.limitPrice,
    triggerPrice: row.triggerPrice,
    status: row.status,
    filledQuantity: row.filledQuantity,
    filledNotional: row.filledNotional,
    avgFillPrice: row.avgFillPrice,
    feeTotal: row.feeTotal,
    tradeIds,
    reason: row.reason,
    tsInit: row.tsInit,
    tsEvent: row.tsEvent,
  };
}

/** Loads order `clientOrderId` with its fills; undefined when the store has no such order. */
export function loadOrder(repos: ExecutionRepos, clientOrderId: string): { row: OrderRow; order: Order } | undefined {
  const row = repos.orders.byClientOrderId(clientOrderId);
  if (row === undefined) return undefined;
  return { row, order: orderOfRow(row, repos.fills.byOrder(clientOrderId).map((f) => f.tradeId)) };
}

/** The stored row of a new order (before anything is sent). */
export function newOrderRow(order: Order, meta: { purpose: OrderPurpose; tag: string | null; signalId: number | null }, nowMs: number): NewRow<OrderRow> {
  return {
    clientOrderId: order.clientOrderId,
    venueOrderId: order.venueOrderId,
    signalId: meta.signalId,
    tag: meta.tag,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    purpose: meta.purpose,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    triggerPrice: order.triggerPrice,
    status: order.status,
    filledQuantity: order.filledQuantity,
    filledNotional: order.filledNotional,
    avgFillPrice: order.avgFillPrice,
    feeTotal: order.feeTotal,
    reason: order.reason,
    venueResponse: null,
    tsInit: order.tsInit,
    tsEvent: order.tsEvent,
    updatedAt: nowMs,
  };
}

/** A fill's venue-side detail that the domain event does not carry. */
export interface FillMeta {
  readonly liquidity: Liquidity | null;
}

/** Outcome of `applyAndStore`. */
export type StoredApply = { readonly ok: true; readonly order: Order; readonly row: OrderRow } | { readonly ok: false; readonly error: OrderError; readonly order: Order };

/**
 * Applies `event` to the stored order and writes the result — the order row and, for a fill, the
 * fill row — in one transaction, so a fill is recorded before anything acts on it. The caller
 * must have checked that the order exists. Never throws for an illegal event (returns the
 * `OrderError`, nothing written); store failures throw.
 */
export function applyAndStore(repos: ExecutionRepos, loaded: { row: OrderRow; order: Order }, event: OrderEvent, nowMs: number, fill?: FillMeta, venueResponse?: string): StoredApply {
  const r = applyOrderEvent(loaded.order, event);
  if (!r.ok) return { ok: false, error: r.error, order: loaded.order };
  const o = r.order;
  repos.transaction(() => {
    if (event.type === 'order.filled') {
      const row: NewRow<FillRow> = {
        clientOrderId: o.clientOrderId,
        tradeId: event.tradeId,
        quantity: event.quantity,
        price: event.price,
        fee: event.fee,
        liquidity: fill?.liquidity ?? null,
        tsEvent: event.tsEvent,
        tsInit: nowMs,
      };
      repos.fills.record(row);
    }
    repos.orders.update(o.clientOrderId, {
      venueOrderId: o.venueOrderId,
      status: o.status,
      filledQuantity: o.filledQuantity,
      filledNotional: o.filledNotional,
      avgFillPrice: o.avgFillPrice,
      feeTotal: o.feeTotal,
      reason: o.reason,
      tsEvent: o.tsEvent,
      updatedAt: nowMs,
      ...(venueResponse !== undefined ? { venueResponse } : {}),
    });
  });
  return { ok: true, order: o, row: repos.orders.byClientOrderId(o.clientOrderId)! };
}
