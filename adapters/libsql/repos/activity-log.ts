/** The activity timeline (`activity_log`). */
import { defineTable, insertRow, intParam, selectRows, where, type NewRow, type Statements } from './codec.ts';
import type { ActivityCategory, ActivitySeverity } from './enums.ts';

/** One timeline entry. `detail`: optional JSON text. `ts`: ms UTC. */
export interface ActivityRow {
  readonly id: number;
  readonly ts: number;
  readonly category: ActivityCategory;
  readonly severity: ActivitySeverity;
  readonly summary: string;
  readonly detail: string | null;
}

/** Filters for activity listings. Times in ms, `untilMs` exclusive. */
export interface ActivityQuery {
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly category?: ActivityCategory;
  readonly severity?: ActivitySeverity;
  /** Newest first; default 50. */
  readonly limit?: number;
}

const table = defineTable<ActivityRow>('activity_log', {
  id: 'int',
  ts: 'int',
  category: 'text',
  severity: 'text',
  summary: 'text',
  detail: 'text?',
});

/** Repository for `activity_log`. */
export interface ActivityLogRepo {
  insert(row: NewRow<ActivityRow>): number;
  /** Entries matching `query`, newest first. */
  list(query?: ActivityQuery): ActivityRow[];
  /** Retention: deletes entries before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `activity_log` repository. */
export function createActivityLogRepo(st: Statements): ActivityLogRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    list(query = {}) {
      const w = where([
        ['ts >= ?', query.sinceMs],
        ['ts < ?', query.untilMs],
        ['category = ?', query.category],
        ['severity = ?', query.severity],
      ]);
      return selectRows(st, table, `${w.sql} ORDER BY ts DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 50)]);
    },
    deleteBefore: (beforeMs) => st.rows('DELETE FROM activity_log WHERE ts < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
