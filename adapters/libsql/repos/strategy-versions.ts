/** Strategy versions (`strategy_versions`): lineage, source code and test results. */
import { withTransaction } from '../db.ts';
import { defineTable, insertRow, intParam, scalar, selectOne, selectRows, updateRow, type NewRow, type Statements } from './codec.ts';

/**
 * One strategy version, fund or candidate. `code` is the full source (the DB fallback when the
 * file is missing); `codeHash` its hash as computed by the loader. `riskTier` 0..3 (0 =
 * promotion, 1 tweak, 2 restructure, 3 overhaul). Result fields are JSON text. Times: ms UTC;
 * `deployedAt` null until it trades for the fund, `retiredAt` when replaced.
 */
export interface StrategyVersionRow {
  readonly id: number;
  readonly version: string;
  readonly parentVersion: string | null;
  readonly code: string;
  readonly codeHash: string;
  readonly riskTier: number | null;
  readonly description: string;
  readonly backtestResult: string | null;
  readonly shadowTestResult: string | null;
  readonly marketConditions: string | null;
  readonly createdAt: number;
  readonly deployedAt: number | null;
  readonly retiredAt: number | null;
}

/** Fields an update may change. */
export type StrategyVersionPatch = Partial<
  Pick<StrategyVersionRow, 'description' | 'backtestResult' | 'shadowTestResult' | 'marketConditions' | 'deployedAt' | 'retiredAt'>
>;

const table = defineTable<StrategyVersionRow>('strategy_versions', {
  id: 'int',
  version: 'text',
  parentVersion: 'text?',
  code: 'text',
  codeHash: 'text',
  riskTier: 'int?',
  description: 'text',
  backtestResult: 'text?',
  shadowTestResult: 'text?',
  marketConditions: 'text?',
  createdAt: 'int',
  deployedAt: 'int?',
  retiredAt: 'int?',
});

/** Repository for `strategy_versions`. */
export interface StrategyVersionRepo {
  /** Records a version; returns its id. Throws on a duplicate version or an unknown parent. */
  insert(row: NewRow<StrategyVersionRow>): number;
  byVersion(version: string): StrategyVersionRow | undefined;
  /** The live fund version: deployed and not retired, most recently deployed first. */
  current(): StrategyVersionRow | undefined;
  /**
   * Makes `version` the live one in one transaction: retires every other live version at `nowMs`,
   * sets this one's `deployedAt` to `nowMs` and clears its `retiredAt` (so a rollback redeploys
   * the previous version for real). Returns false when the version does not exist.
   */
  deploy(version: string, nowMs: number): boolean;
  /** The newest `limit` versions by creation, newest first. */
  list(limit?: number): StrategyVersionRow[];
  /** Applies `patch`; false when there is no such version. */
  update(version: string, patch: StrategyVersionPatch): boolean;
  /** Number of versions (truth metric). */
  count(): number;
}

/** Creates the `strategy_versions` repository. */
export function createStrategyVersionRepo(st: Statements): StrategyVersionRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    byVersion: (version) => selectOne(st, table, 'WHERE version = ?', [version]),
    current: () => selectOne(st, table, 'WHERE deployed_at IS NOT NULL AND retired_at IS NULL ORDER BY deployed_at DESC, id DESC LIMIT 1'),
    deploy(version, nowMs) {
      const at = intParam('nowMs', nowMs);
      return withTransaction(st.db, () => {
        if (!selectOne(st, table, 'WHERE version = ?', [version])) return false;
        st.rows('UPDATE strategy_versions SET retired_at = ? WHERE deployed_at IS NOT NULL AND retired_at IS NULL AND version <> ?').run(at, version);
        st.rows('UPDATE strategy_versions SET deployed_at = ?, retired_at = NULL WHERE version = ?').run(at, version);
        return true;
      });
    },
    list: (limit = 50) => selectRows(st, table, 'ORDER BY created_at DESC, id DESC LIMIT ?', [intParam('limit', limit)]),
    update: (version, patch) => updateRow(st, table, 'version', version, patch) > 0,
    count: () => scalar(st, 'SELECT COUNT(*) FROM strategy_versions') as number,
  };
}
