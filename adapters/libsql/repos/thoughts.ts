/** The thought spool (`orchestrator_thoughts`): every AI response of the orchestrator. */
import { defineTable, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';

/**
 * One AI response: which cycle and step asked, which model answered, the prompt (or its
 * summary), the full response and what was parsed from it (JSON text, null when parsing
 * failed). `createdAt`: ms UTC.
 */
export interface ThoughtRow {
  readonly id: number;
  readonly cycleId: string;
  readonly step: string;
  readonly model: string;
  readonly inputSummary: string;
  readonly fullResponse: string;
  readonly parsedResult: string | null;
  readonly createdAt: number;
}

const table = defineTable<ThoughtRow>('orchestrator_thoughts', {
  id: 'int',
  cycleId: 'text',
  step: 'text',
  model: 'text',
  inputSummary: 'text',
  fullResponse: 'text',
  parsedResult: 'text?',
  createdAt: 'int',
});

/** Repository for `orchestrator_thoughts`. */
export interface ThoughtRepo {
  insert(row: NewRow<ThoughtRow>): number;
  byId(id: number): ThoughtRow | undefined;
  /** A cycle's thoughts in the order they happened. */
  byCycle(cycleId: string): ThoughtRow[];
  /** The newest `limit` thoughts, newest first. */
  list(limit?: number): ThoughtRow[];
  /** Retention: deletes thoughts created before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `orchestrator_thoughts` repository. */
export function createThoughtRepo(st: Statements): ThoughtRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    byId: (id) => selectOne(st, table, 'WHERE id = ?', [intParam('id', id)]),
    byCycle: (cycleId) => selectRows(st, table, 'WHERE cycle_id = ? ORDER BY created_at, id', [cycleId]),
    list: (limit = 50) => selectRows(st, table, 'ORDER BY created_at DESC, id DESC LIMIT ?', [intParam('limit', limit)]),
    deleteBefore: (beforeMs) => st.rows('DELETE FROM orchestrator_thoughts WHERE created_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
