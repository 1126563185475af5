/** Exchange-native protective orders of a position (`conditional_orders`). */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, selectOne, selectRows, updateRow, type NewRow, type Statements } from './codec.ts';
import type { ConditionalStatus } from './enums.ts';

/**
 * A stop-loss / take-profit pair protecting position `tag` on the exchange (either leg may be
 * absent, not both). Legs reference `orders` by client order id. `quantity` base units; prices
 * quote per base. Times: ms since epoch, UTC.
 */
export interface ConditionalOrderRow {
  readonly id: number;
  readonly tag: string;
  readonly symbol: string;
  readonly quantity: Fixed;
  readonly entryClientOrderId: string | null;
  readonly stopClientOrderId: string | null;
  readonly takeProfitClientOrderId: string | null;
  readonly stopPrice: Fixed | null;
  readonly takeProfitPrice: Fixed | null;
  readonly status: ConditionalStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Fields an update may change; `updatedAt` is required. */
export type ConditionalOrderPatch = Partial<
  Pick<ConditionalOrderRow, 'quantity' | 'stopClientOrderId' | 'takeProfitClientOrderId' | 'stopPrice' | 'takeProfitPrice' | 'status'>
> & { readonly updatedAt: number };

const table = defineTable<ConditionalOrderRow>('conditional_orders', {
  id: 'int',
  tag: 'text',
  symbol: 'text',
  quantity: 'fixed',
  entryClientOrderId: 'text?',
  stopClientOrderId: 'text?',
  takeProfitClientOrderId: 'text?',
  stopPrice: 'fixed?',
  takeProfitPrice: 'fixed?',
  status: 'text',
  createdAt: 'int',
  updatedAt: 'int',
});

/** Repository for `conditional_orders`. */
export interface ConditionalOrderRepo {
  /** Records a protective pair; returns its id. Throws SQLite's UNIQUE error if `tag` already has an active one. */
  insert(row: NewRow<ConditionalOrderRow>): number;
  /** The active pair of `tag`, if any. */
  activeByTag(tag: string): ConditionalOrderRow | undefined;
  /** Every active pair, oldest first (monitoring and restart reconciliation). */
  listActive(): ConditionalOrderRow[];
  /** Every pair ever recorded for `tag`, oldest first. */
  historyByTag(tag: string): ConditionalOrderRow[];
  /** Applies `patch` to row `id`; false when there is no such row. */
  update(id: number, patch: ConditionalOrderPatch): boolean;
}

/** Creates the `conditional_orders` repository. */
export function createConditionalOrderRepo(st: Statements): ConditionalOrderRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    activeByTag: (tag) => selectOne(st, table, "WHERE tag = ? AND status = 'active'", [tag]),
    listActive: () => selectRows(st, table, "WHERE status = 'active' ORDER BY created_at, id"),
    historyByTag: (tag) => selectRows(st, table, 'WHERE tag = ? ORDER BY created_at, id', [tag]),
    update: (id, patch) => updateRow(st, table, 'id', intParam('id', id), patch) > 0,
  };
}
