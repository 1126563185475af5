/** Per-pair fee rates (`fee_schedule`): one row per check, the latest wins. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';

/**
 * Fee rates of one pair as FRACTIONS (0.0025 = 0.25 %; the predecessor stored percent units).
 * `volume30d`: the account's 30-day volume in USD and `tierVolume`: the volume of the current
 * tier, when the venue reports them. `checkedAt`: ms UTC.
 */
export interface FeeScheduleRow {
  readonly id: number;
  readonly symbol: string;
  readonly makerFee: Fixed;
  readonly takerFee: Fixed;
  readonly volume30d: Fixed | null;
  readonly tierVolume: Fixed | null;
  readonly checkedAt: number;
}

const table = defineTable<FeeScheduleRow>('fee_schedule', {
  id: 'int',
  symbol: 'text',
  makerFee: 'fixed',
  takerFee: 'fixed',
  volume30d: 'fixed?',
  tierVolume: 'fixed?',
  checkedAt: 'int',
});

/** Repository for `fee_schedule`. */
export interface FeeScheduleRepo {
  insert(row: NewRow<FeeScheduleRow>): number;
  /** The newest rates of `symbol`, or undefined (then the configured defaults apply). */
  latest(symbol: string): FeeScheduleRow | undefined;
  /** The newest rates of every pair that has any, by symbol. */
  latestAll(): FeeScheduleRow[];
  /** Retention: deletes checks before `beforeMs`, always keeping each pair's newest; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `fee_schedule` repository. */
export function createFeeScheduleRepo(st: Statements): FeeScheduleRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    latest: (symbol) => selectOne(st, table, 'WHERE symbol = ? ORDER BY checked_at DESC, id DESC LIMIT 1', [symbol]),
    latestAll: () =>
      selectRows(
        st,
        table,
        'WHERE id IN (SELECT (SELECT id FROM fee_schedule f2 WHERE f2.symbol = f1.symbol ORDER BY checked_at DESC, id DESC LIMIT 1) ' +
          'FROM fee_schedule f1 GROUP BY symbol) ORDER BY symbol',
      ),
    deleteBefore: (beforeMs) =>
      st
        .rows(
          'DELETE FROM fee_schedule WHERE checked_at < ? AND id NOT IN ' +
            '(SELECT (SELECT id FROM fee_schedule f2 WHERE f2.symbol = f1.symbol ORDER BY checked_at DESC, id DESC LIMIT 1) FROM fee_schedule f1 GROUP BY symbol)',
        )
        .run(intParam('beforeMs', beforeMs)).changes,
  };
}
