/**
 * Orders (`orders`) and their executions (`fills`). An order row is written before its request
 * leaves the process; each fill is recorded (idempotently, by venue trade id) before anything
 * acts on it.
 */
import { toString as fixedText, type Fixed } from '../../../domain/money/index.ts';
import { StoreError } from '../errors.ts';
import {
  defineTable,
  insertChanges,
  insertRow,
  intParam,
  selectOne,
  selectRows,
  updateRow,
  where,
  type NewRow,
  type Statements,
} from './codec.ts';
import { TERMINAL_ORDER_STATUSES, type Liquidity, type OrderPurpose, type OrderSide, type OrderStatus, type OrderType } from './enums.ts';

/**
 * One order; mirrors domain/orders `Order` (its `tradeIds` are the order's `fills`). Exact
 * `Fixed`: quantities base units; prices quote per base; `filledNotional` = sum(fill qty x price)
 * and `feeTotal` quote units. `tsInit`: local ms when created; `tsEvent`: ms of the last applied
 * event (venue clock for venue facts); `updatedAt`: local ms of the last write.
 */
export interface OrderRow {
  readonly id: number;
  readonly clientOrderId: string;
  /** Kraken txid once accepted. */
  readonly venueOrderId: string | null;
  readonly signalId: number | null;
  /** Position tag; null for an untagged FIFO sell spanning positions. */
  readonly tag: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly purpose: OrderPurpose;
  readonly quantity: Fixed;
  /** Set exactly for `limit` orders. */
  readonly limitPrice: Fixed | null;
  /** Set exactly for `stop-loss` / `take-profit` orders. */
  readonly triggerPrice: Fixed | null;
  readonly status: OrderStatus;
  readonly filledQuantity: Fixed;
  readonly filledNotional: Fixed;
  readonly avgFillPrice: Fixed | null;
  readonly feeTotal: Fixed;
  /** Why it was rejected/canceled or a cancel refused. */
  readonly reason: string | null;
  /** Last raw venue reply, JSON text (audit). */
  readonly venueResponse: string | null;
  readonly tsInit: number;
  readonly tsEvent: number | null;
  readonly updatedAt: number;
}

/** Fields an order update may change; `updatedAt` is required on every update. */
export type OrderPatch = Partial<
  Pick<
    OrderRow,
    'venueOrderId' | 'status' | 'filledQuantity' | 'filledNotional' | 'avgFillPrice' | 'feeTotal' | 'reason' | 'venueResponse' | 'tsEvent'
  >
> & { readonly updatedAt: number };

/**
 * One execution. `tradeId`: the venue's id for it (unique). `quantity` base units > 0, `price`
 * quote per base > 0, `fee` quote units >= 0. `tsEvent`: venue time; `tsInit`: when we recorded it.
 */
export interface FillRow {
  readonly id: number;
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly quantity: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly liquidity: Liquidity | null;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/** Filters for order listings. Times in ms on `tsInit`, `untilMs` exclusive. */
export interface OrderQuery {
  readonly symbol?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /** Newest first; default 500. */
  readonly limit?: number;
}

const orders = defineTable<OrderRow>('orders', {
  id: 'int',
  clientOrderId: 'text',
  venueOrderId: 'text?',
  signalId: 'int?',
  tag: 'text?',
  symbol: 'text',
  side: 'text',
  type: 'text',
  purpose: 'text',
  quantity: 'fixed',
  limitPrice: 'fixed?',
  triggerPrice: 'fixed?',
  status: 'text',
  filledQuantity: 'fixed',
  filledNotional: 'fixed',
  avgFillPrice: 'fixed?',
  feeTotal: 'fixed',
  reason: 'text?',
  venueResponse: 'text?',
  tsInit: 'int',
  tsEvent: 'int?',
  updatedAt: 'int',
});

const fills = defineTable<FillRow>('fills', {
  id: 'int',
  clientOrderId: 'text',
  tradeId: 'text',
  quantity: 'fixed',
  price: 'fixed',
  fee: 'fixed',
  liquidity: 'text?',
  tsEvent: 'int',
  tsInit: 'int',
});

const OPEN_STATUSES_SQL = `status NOT IN (${TERMINAL_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Repository for `orders`. */
export interface OrderRepo {
  /** Records a new order (before sending it); returns its id. Throws on a duplicate client order id. */
  insert(row: NewRow<OrderRow>): number;
  byClientOrderId(clientOrderId: string): OrderRow | undefined;
  byVenueOrderId(venueOrderId: string): OrderRow | undefined;
  /** Applies `patch`; false when there is no such order. */
  update(clientOrderId: string, patch: OrderPatch): boolean;
  /** Orders not in a terminal status (reconciliation at startup), oldest first. */
  listOpen(): OrderRow[];
  /** Orders in any of `statuses`, oldest first. */
  listByStatus(statuses: readonly OrderStatus[]): OrderRow[];
  /** Orders of position `tag`, oldest first. */
  listByTag(tag: string): OrderRow[];
  /** Orders matching `query`, newest first. */
  list(query?: OrderQuery): OrderRow[];
}

/** Repository for `fills`. */
export interface FillRepo {
  /**
   * Records an execution once: returns `{ inserted: false }` when this trade id is already stored
   * with the same order, quantity, price and fee (a replay). Throws `StoreError` when the stored
   * execution differs (corrupt or mis-mapped venue data), and SQLite's FOREIGN KEY error when the
   * order is unknown.
   */
  record(row: NewRow<FillRow>): { readonly inserted: boolean };
  byTradeId(tradeId: string): FillRow | undefined;
  /** Fills of one order, in venue time order. */
  byOrder(clientOrderId: string): FillRow[];
  /** Fills with fromMs <= tsEvent < toMs, oldest first (tax export, audits). */
  between(fromMs: number, toMs: number): FillRow[];
}

/** Creates the `orders` repository. */
export function createOrderRepo(st: Statements): OrderRepo {
  return {
    insert: (row) => insertRow(st, orders, row),
    byClientOrderId: (id) => selectOne(st, orders, 'WHERE client_order_id = ?', [id]),
    byVenueOrderId: (id) => selectOne(st, orders, 'WHERE venue_order_id = ?', [id]),
    update: (clientOrderId, patch) => updateRow(st, orders, 'clientOrderId', clientOrderId, patch) > 0,
    listOpen: () => selectRows(st, orders, `WHERE ${OPEN_STATUSES_SQL} ORDER BY ts_init, id`),
    listByStatus(statuses) {
      if (statuses.length === 0) return [];
      return selectRows(st, orders, `WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY ts_init, id`, statuses);
    },
    listByTag: (tag) => selectRows(st, orders, 'WHERE tag = ? ORDER BY ts_init, id', [tag]),
    list(query = {}) {
      const w = where([
        ['symbol = ?', query.symbol],
        ['ts_init >= ?', query.sinceMs],
        ['ts_init < ?', query.untilMs],
      ]);
      return selectRows(st, orders, `${w.sql} ORDER BY ts_init DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 500)]);
    },
  };
}

/** Creates the `fills` repository. */
export function createFillRepo(st: Statements): FillRepo {
  const repo: FillRepo = {
    record(row) {
      if (insertChanges(st, fills, row, 'ON CONFLICT (trade_id) DO NOTHING') === 1) return { inserted: true };
      const stored = repo.byTradeId(row.tradeId)!;
      const same =
        stored.clientOrderId === row.clientOrderId && stored.quantity === row.quantity && stored.price === row.price && stored.fee === row.fee;
      if (!same) {
        throw new StoreError(
          `fill ${JSON.stringify(row.tradeId)} is already recorded with different data ` +
            `(order ${stored.clientOrderId}, quantity ${fixedText(stored.quantity)}, price ${fixedText(stored.price)}, fee ${fixedText(stored.fee)})`,
        );
      }
      return { inserted: false };
    },
    byTradeId: (tradeId) => selectOne(st, fills, 'WHERE trade_id = ?', [tradeId]),
    byOrder: (clientOrderId) => selectRows(st, fills, 'WHERE client_order_id = ? ORDER BY ts_event, id', [clientOrderId]),
    between: (fromMs, toMs) =>
      selectRows(st, fills, 'WHERE ts_event >= ? AND ts_event < ? ORDER BY ts_event, id', [intParam('fromMs', fromMs), intParam('toMs', toMs)]),
  };
  return repo;
}
