/** Versions of the AI-rewritable analysis modules (`analysis_module_versions`). */
import { withTransaction } from '../db.ts';
import { defineTable, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';

/**
 * One version of an analysis module (`module` names it, e.g. 'marketAnalysis' or
 * 'tradePerformance'). `parentVersion` is a version of the same module. Times: ms UTC;
 * `deployedAt` null until it runs, `retiredAt` when replaced.
 */
export interface AnalysisModuleVersionRow {
  readonly id: number;
  readonly module: string;
  readonly version: string;
  readonly parentVersion: string | null;
  readonly code: string;
  readonly codeHash: string;
  readonly description: string;
  readonly createdAt: number;
  readonly deployedAt: number | null;
  readonly retiredAt: number | null;
}

const table = defineTable<AnalysisModuleVersionRow>('analysis_module_versions', {
  id: 'int',
  module: 'text',
  version: 'text',
  parentVersion: 'text?',
  code: 'text',
  codeHash: 'text',
  description: 'text',
  createdAt: 'int',
  deployedAt: 'int?',
  retiredAt: 'int?',
});

/** Repository for `analysis_module_versions`. */
export interface AnalysisModuleRepo {
  /** Records a version; returns its id. Throws on a duplicate (module, version) or an unknown parent. */
  insert(row: NewRow<AnalysisModuleVersionRow>): number;
  byVersion(module: string, version: string): AnalysisModuleVersionRow | undefined;
  /** The live version of `module`, or undefined. */
  current(module: string): AnalysisModuleVersionRow | undefined;
  /** Makes `version` the live one of its module (retiring the others) in one transaction; false when unknown. */
  deploy(module: string, version: string, nowMs: number): boolean;
  /** The module's versions, newest first (default 20). */
  list(module: string, limit?: number): AnalysisModuleVersionRow[];
}

/** Creates the `analysis_module_versions` repository. */
export function createAnalysisModuleRepo(st: Statements): AnalysisModuleRepo {
  const byVersion = (module: string, version: string) => selectOne(st, table, 'WHERE module = ? AND version = ?', [module, version]);
  return {
    insert: (row) => insertRow(st, table, row),
    byVersion,
    current: (module) =>
      selectOne(st, table, 'WHERE module = ? AND deployed_at IS NOT NULL AND retired_at IS NULL ORDER BY deployed_at DESC, id DESC LIMIT 1', [module]),
    deploy(module, version, nowMs) {
      const at = intParam('nowMs', nowMs);
      return withTransaction(st.db, () => {
        if (!byVersion(module, version)) return false;
        st.rows(
          'UPDATE analysis_module_versions SET retired_at = ? WHERE module = ? AND version <> ? AND deployed_at IS NOT NULL AND retired_at IS NULL',
        ).run(at, module, version);
        st.rows('UPDATE analysis_module_versions SET deployed_at = ?, retired_at = NULL WHERE module = ? AND version = ?').run(at, module, version);
        return true;
      });
    },
    list: (module, limit = 20) => selectRows(st, table, 'WHERE module = ? ORDER BY created_at DESC, id DESC LIMIT ?', [module, intParam('limit', limit)]),
  };
}
