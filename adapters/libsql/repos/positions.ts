/** Open fund positions (`positions`), one row per tag. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, selectOne, selectRows, updateRow, type NewRow, type Spec, type Statements } from './codec.ts';
import type { Intent } from './enums.ts';

/**
 * An open long position; mirrors domain/portfolio `Position`. Exact `Fixed`: `qty` in base units;
 * `costBasis` (quote paid for `qty`, excluding fees), `entryFees` and prices in quote units;
 * `mae` (max adverse excursion) a fraction >= 0 of the average entry. The average entry is
 * `costBasis / qty` (derived, not stored). Times: ms since epoch, UTC.
 */
export interface PositionRow {
  readonly id: number;
  readonly tag: string;
  readonly symbol: string;
  readonly side: 'long';
  readonly qty: Fixed;
  readonly costBasis: Fixed;
  readonly entryFees: Fixed;
  /** Latest mark (quote per base). */
  readonly lastPrice: Fixed;
  readonly stopLoss: Fixed | null;
  readonly takeProfit: Fixed | null;
  readonly intent: Intent;
  readonly mae: Fixed;
  /** Ledger-wide opening sequence; FIFO order is (openedAt, seq). */
  readonly seq: number;
  readonly strategyVersion: string | null;
  readonly strategyRegime: string | null;
  readonly openedAt: number;
  readonly updatedAt: number;
}

/** The fields an update may change; `updatedAt` is required on every update. */
export type PositionPatch = Partial<
  Pick<
    PositionRow,
    'qty' | 'costBasis' | 'entryFees' | 'lastPrice' | 'stopLoss' | 'takeProfit' | 'intent' | 'mae' | 'strategyVersion' | 'strategyRegime'
  >
> & { readonly updatedAt: number };

/** Field kinds shared by `positions` and `candidate_positions`. */
export const positionSpec: Spec<PositionRow> = {
  id: 'int',
  tag: 'text',
  symbol: 'text',
  side: 'text',
  qty: 'fixed',
  costBasis: 'fixed',
  entryFees: 'fixed',
  lastPrice: 'fixed',
  stopLoss: 'fixed?',
  takeProfit: 'fixed?',
  intent: 'text',
  mae: 'fixed',
  seq: 'int',
  strategyVersion: 'text?',
  strategyRegime: 'text?',
  openedAt: 'int',
  updatedAt: 'int',
};

const table = defineTable<PositionRow>('positions', positionSpec);

/** Repository for `positions`. */
export interface PositionRepo {
  /** Inserts a position; returns its id. Throws SQLite's UNIQUE error if the tag is taken. */
  insert(row: NewRow<PositionRow>): number;
  byTag(tag: string): PositionRow | undefined;
  /** All open positions in FIFO order (openedAt, seq). */
  list(): PositionRow[];
  /** Open positions of one symbol in FIFO order. */
  listBySymbol(symbol: string): PositionRow[];
  /** Applies `patch` to position `tag`; false when there is no such position. */
  update(tag: string, patch: PositionPatch): boolean;
  /** Deletes position `tag` (fully closed); false when there is no such position. */
  delete(tag: string): boolean;
}

/** Creates the `positions` repository. */
export function createPositionRepo(st: Statements): PositionRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    byTag: (tag) => selectOne(st, table, 'WHERE tag = ?', [tag]),
    list: () => selectRows(st, table, 'ORDER BY opened_at, seq, id'),
    listBySymbol: (symbol) => selectRows(st, table, 'WHERE symbol = ? ORDER BY opened_at, seq, id', [symbol]),
    update: (tag, patch) => updateRow(st, table, 'tag', tag, patch) > 0,
    delete: (tag) => st.rows('DELETE FROM positions WHERE tag = ?').run(tag).changes > 0,
  };
}
