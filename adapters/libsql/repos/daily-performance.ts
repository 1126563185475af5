/** End-of-day snapshots (`daily_performance`), keyed by the fund's local day label. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, intParam, selectOne, selectRows, upsertRow, where, type NewRow, type Spec, type Statements } from './codec.ts';

/**
 * One day's snapshot. `date` is the local day label 'YYYY-MM-DD' (domain/time `localDayKey`);
 * `dayStartAt`/`dayEndAt` are that day's bounds in ms UTC. Money in quote units (exact);
 * `maxDrawdownPct` a fraction >= 0 (0.12 = 12 %) over the history up to this day. `winRate`,
 * `expectancy` are null exactly when `totalTrades` is 0; `sharpe` is null until there are enough
 * daily returns.
 */
export interface DailyPerformanceRow {
  readonly date: string;
  readonly dayStartAt: number;
  readonly dayEndAt: number;
  readonly portfolioValue: Fixed;
  readonly cash: Fixed;
  readonly totalTrades: number;
  readonly wins: number;
  readonly losses: number;
  readonly grossPnl: Fixed;
  readonly netPnl: Fixed;
  readonly feesTotal: Fixed;
  readonly winRate: number | null;
  readonly expectancy: Fixed | null;
  readonly maxDrawdownPct: Fixed;
  readonly sharpe: number | null;
  readonly strategyVersion: string | null;
  readonly recordedAt: number;
}

/** Filters on the day label ('YYYY-MM-DD', inclusive). */
export interface DayRangeQuery {
  readonly fromDate?: string;
  readonly toDate?: string;
  /** Newest first; default 365. */
  readonly limit?: number;
}

/** Field kinds shared by `daily_performance` and `candidate_daily_performance`. */
export const dailyPerformanceSpec: Spec<DailyPerformanceRow> = {
  date: 'text',
  dayStartAt: 'int',
  dayEndAt: 'int',
  portfolioValue: 'fixed',
  cash: 'fixed',
  totalTrades: 'int',
  wins: 'int',
  losses: 'int',
  grossPnl: 'fixed',
  netPnl: 'fixed',
  feesTotal: 'fixed',
  winRate: 'real?',
  expectancy: 'fixed?',
  maxDrawdownPct: 'fixed',
  sharpe: 'real?',
  strategyVersion: 'text?',
  recordedAt: 'int',
};

const table = defineTable<DailyPerformanceRow>('daily_performance', dailyPerformanceSpec);

/** Repository for `daily_performance`. */
export interface DailyPerformanceRepo {
  /** Inserts or replaces the snapshot of `row.date`. */
  upsert(row: NewRow<DailyPerformanceRow>): void;
  byDate(date: string): DailyPerformanceRow | undefined;
  /** The newest snapshot (start-of-day value after a restart), or undefined. */
  latest(): DailyPerformanceRow | undefined;
  /** Snapshots in the range, newest first. */
  list(query?: DayRangeQuery): DailyPerformanceRow[];
}

/** Creates the `daily_performance` repository. */
export function createDailyPerformanceRepo(st: Statements): DailyPerformanceRepo {
  return {
    upsert: (row) => upsertRow(st, table, row, ['date']),
    byDate: (date) => selectOne(st, table, 'WHERE date = ?', [date]),
    latest: () => selectOne(st, table, 'ORDER BY date DESC LIMIT 1'),
    list(query = {}) {
      const w = where([
        ['date >= ?', query.fromDate],
        ['date <= ?', query.toDate],
      ]);
      return selectRows(st, table, `${w.sql} ORDER BY date DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 365)]);
    },
  };
}
