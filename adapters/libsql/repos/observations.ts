/** Nightly findings (`orchestrator_observations`), one per (day, cycle). */
import { defineTable, intParam, scalar, selectOne, selectRows, upsertRow, type NewRow, type Statements } from './codec.ts';

/**
 * What one cycle observed. `date`: local day label of the cycle; `docFlag` marks a night as
 * significant for the next reflection, with `flagReason`. `createdAt`: ms UTC.
 */
export interface ObservationRow {
  readonly id: number;
  readonly date: string;
  readonly cycleId: string;
  readonly marketSummary: string;
  readonly strategyAssessment: string;
  readonly notableFindings: string;
  readonly strategyVersion: string | null;
  readonly docFlag: boolean;
  readonly flagReason: string | null;
  readonly createdAt: number;
}

const table = defineTable<ObservationRow>('orchestrator_observations', {
  id: 'int',
  date: 'text',
  cycleId: 'text',
  marketSummary: 'text',
  strategyAssessment: 'text',
  notableFindings: 'text',
  strategyVersion: 'text?',
  docFlag: 'bool',
  flagReason: 'text?',
  createdAt: 'int',
});

/** Repository for `orchestrator_observations`. */
export interface ObservationRepo {
  /** Inserts, or replaces the observation of the same (date, cycleId). */
  upsert(row: NewRow<ObservationRow>): void;
  byCycle(date: string, cycleId: string): ObservationRow | undefined;
  /** The newest observation, or undefined (`/outlook`). */
  latest(): ObservationRow | undefined;
  /** Observations created at or after `sinceMs`, oldest first (reflection window). */
  since(sinceMs: number): ObservationRow[];
  /** Number of observations (first-reflection threshold). */
  count(): number;
  /** Retention: deletes observations created before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `orchestrator_observations` repository. */
export function createObservationRepo(st: Statements): ObservationRepo {
  return {
    upsert: (row) => upsertRow(st, table, row, ['date', 'cycleId']),
    byCycle: (date, cycleId) => selectOne(st, table, 'WHERE date = ? AND cycle_id = ?', [date, cycleId]),
    latest: () => selectOne(st, table, 'ORDER BY created_at DESC, id DESC LIMIT 1'),
    since: (sinceMs) => selectRows(st, table, 'WHERE created_at >= ? ORDER BY created_at, id', [intParam('sinceMs', sinceMs)]),
    count: () => scalar(st, 'SELECT COUNT(*) FROM orchestrator_observations') as number,
    deleteBefore: (beforeMs) => st.rows('DELETE FROM orchestrator_observations WHERE created_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
