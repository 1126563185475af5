/** The strategy's own saved state (`strategy_state`): output of its `getState()`. */
import { withTransaction } from '../db.ts';
import { StoreError } from '../errors.ts';
import { defineTable, insertRow, intParam, selectOne, type NewRow, type Statements } from './codec.ts';

/** One saved state of a strategy version. `state`: JSON text; `savedAt`: ms UTC. */
export interface StrategyStateRow {
  readonly id: number;
  readonly strategyVersion: string;
  readonly state: string;
  readonly savedAt: number;
}

const table = defineTable<StrategyStateRow>('strategy_state', {
  id: 'int',
  strategyVersion: 'text',
  state: 'text',
  savedAt: 'int',
});

/** Repository for `strategy_state`. */
export interface StrategyStateRepo {
  /**
   * Saves a state and deletes all but the newest `keep` (>= 1) states of that version, in one
   * transaction; returns the new id. Throws `StoreError` on keep < 1 and SQLite's CHECK error on
   * invalid JSON.
   */
  save(row: NewRow<StrategyStateRow>, keep: number): number;
  /** The newest state saved for `strategyVersion`, or undefined. */
  latest(strategyVersion: string): StrategyStateRow | undefined;
}

/** Creates the `strategy_state` repository. */
export function createStrategyStateRepo(st: Statements): StrategyStateRepo {
  return {
    save(row, keep) {
      if (intParam('keep', keep) < 1) throw new StoreError(`keep must be at least 1, got ${keep}`);
      return withTransaction(st.db, () => {
        const id = insertRow(st, table, row);
        st.rows(
          'DELETE FROM strategy_state WHERE strategy_version = ? AND id NOT IN ' +
            '(SELECT id FROM strategy_state WHERE strategy_version = ? ORDER BY saved_at DESC, id DESC LIMIT ?)',
        ).run(row.strategyVersion, row.strategyVersion, keep);
        return id;
      });
    },
    latest: (strategyVersion) => selectOne(st, table, 'WHERE strategy_version = ? ORDER BY saved_at DESC, id DESC LIMIT 1', [strategyVersion]),
  };
}
