/** Orchestrator cycles (`orchestrator_log`): one row per finished cycle. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';

/**
 * One orchestrator cycle. `date`: local day label; `decision`: the validated AI decision kind;
 * `outcome`: the state the cycle ended in (noChange, promoted, rejected, budgetExhausted, ...);
 * `analysis`: the full decision as JSON text. `tokensUsed`/`costUsd` are THIS cycle's totals
 * (exact USD). Times: ms UTC.
 */
export interface OrchestratorLogRow {
  readonly id: number;
  readonly cycleId: string;
  readonly date: string;
  readonly decision: string;
  readonly outcome: string;
  readonly analysis: string | null;
  readonly changes: string | null;
  readonly strategyVersionFrom: string | null;
  readonly strategyVersionTo: string | null;
  readonly tokensUsed: number;
  readonly costUsd: Fixed;
  readonly startedAt: number;
  readonly finishedAt: number;
}

const table = defineTable<OrchestratorLogRow>('orchestrator_log', {
  id: 'int',
  cycleId: 'text',
  date: 'text',
  decision: 'text',
  outcome: 'text',
  analysis: 'text?',
  changes: 'text?',
  strategyVersionFrom: 'text?',
  strategyVersionTo: 'text?',
  tokensUsed: 'int',
  costUsd: 'fixed',
  startedAt: 'int',
  finishedAt: 'int',
});

/** Repository for `orchestrator_log`. */
export interface OrchestratorLogRepo {
  /** Records a finished cycle; returns its id. Throws on a duplicate cycle id. */
  insert(row: NewRow<OrchestratorLogRow>): number;
  byCycleId(cycleId: string): OrchestratorLogRow | undefined;
  /** The most recent cycle, or undefined. */
  latest(): OrchestratorLogRow | undefined;
  /** The newest `limit` cycles, newest first. */
  list(limit?: number): OrchestratorLogRow[];
  /** Retention: deletes cycles started before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `orchestrator_log` repository. */
export function createOrchestratorLogRepo(st: Statements): OrchestratorLogRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    byCycleId: (cycleId) => selectOne(st, table, 'WHERE cycle_id = ?', [cycleId]),
    latest: () => selectOne(st, table, 'ORDER BY started_at DESC, id DESC LIMIT 1'),
    list: (limit = 50) => selectRows(st, table, 'ORDER BY started_at DESC, id DESC LIMIT ?', [intParam('limit', limit)]),
    deleteBefore: (beforeMs) => st.rows('DELETE FROM orchestrator_log WHERE started_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
