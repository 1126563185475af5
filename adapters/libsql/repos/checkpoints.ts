/** The running fund's checkpoint (`fund_checkpoint`): books and progress after the last step. */
import { defineTable, selectOne, upsertRow, type Statements } from './codec.ts';

/**
 * One checkpoint. `books`: the pipeline state as codec JSON text; `strategyState`: the strategy's
 * `getState()` JSON text (null when it has none); `step`: market steps processed; `stepMs`: close
 * time of the last processed step, ms UTC; `updatedAt`: ms UTC.
 */
export interface CheckpointRow {
  readonly fundId: number;
  readonly step: number;
  readonly stepMs: number;
  readonly books: string;
  readonly strategyVersion: string | null;
  readonly strategyState: string | null;
  readonly updatedAt: number;
}

const table = defineTable<CheckpointRow>('fund_checkpoint', {
  fundId: 'int',
  step: 'int',
  stepMs: 'int',
  books: 'text',
  strategyVersion: 'text?',
  strategyState: 'text?',
  updatedAt: 'int',
});

/** Repository for `fund_checkpoint`. */
export interface CheckpointRepo {
  /** Stores (replaces) the checkpoint of `row.fundId`. Throws SQLite's CHECK error on invalid JSON. */
  save(row: CheckpointRow): void;
  /** The checkpoint of `fundId` (default 1, the fund), or undefined before the first step. */
  get(fundId?: number): CheckpointRow | undefined;
}

/** Creates the `fund_checkpoint` repository. */
export function createCheckpointRepo(st: Statements): CheckpointRepo {
  return {
    save: (row) => upsertRow(st, table, row, ['fundId']),
    get: (fundId = 1) => selectOne(st, table, 'WHERE fund_id = ?', [fundId]),
  };
}
