/** The strategy document archive (`strategy_doc_versions`); never pruned. */
import { withTransaction } from '../db.ts';
import { defineTable, insertRow, intParam, scalar, selectOne, selectRows, type Statements } from './codec.ts';

/** One version of the strategy document. `version` counts from 1; `createdAt`: ms UTC. */
export interface StrategyDocRow {
  readonly id: number;
  readonly version: number;
  readonly content: string;
  readonly reflectionCycleId: string | null;
  readonly createdAt: number;
}

const table = defineTable<StrategyDocRow>('strategy_doc_versions', {
  id: 'int',
  version: 'int',
  content: 'text',
  reflectionCycleId: 'text?',
  createdAt: 'int',
});

/** Repository for `strategy_doc_versions`. */
export interface StrategyDocRepo {
  /** Stores `content` as the next version (latest + 1, or 1) in one transaction; returns that version. */
  append(content: string, reflectionCycleId: string | null, nowMs: number): number;
  /** The current document, or undefined before the first. */
  latest(): StrategyDocRow | undefined;
  byVersion(version: number): StrategyDocRow | undefined;
  /** The newest `limit` versions, newest first (default 20). */
  list(limit?: number): StrategyDocRow[];
}

/** Creates the `strategy_doc_versions` repository. */
export function createStrategyDocRepo(st: Statements): StrategyDocRepo {
  return {
    append: (content, reflectionCycleId, nowMs) =>
      withTransaction(st.db, () => {
        const version = ((scalar(st, 'SELECT MAX(version) FROM strategy_doc_versions') as number | null) ?? 0) + 1;
        insertRow(st, table, { version, content, reflectionCycleId, createdAt: nowMs });
        return version;
      }),
    latest: () => selectOne(st, table, 'ORDER BY version DESC LIMIT 1'),
    byVersion: (version) => selectOne(st, table, 'WHERE version = ?', [intParam('version', version)]),
    list: (limit = 20) => selectRows(st, table, 'ORDER BY version DESC LIMIT ?', [intParam('limit', limit)]),
  };
}
