/**
 * The slice of the version store the loader needs, declared here so that `strategies/` does not
 * import `adapters/` (the libSQL `StrategyVersionRepo` satisfies it structurally).
 */

/** One stored strategy version (same fields as the `strategy_versions` row). Times: ms UTC. */
export interface StoredVersion {
  readonly id: number;
  readonly version: string;
  readonly parentVersion: string | null;
  /** The full source as registered (TypeScript or JavaScript). */
  readonly code: string;
  /** SHA-256 of `code` (UTF-8), 64 lower-case hex characters. */
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

/** What the loader reads and writes; `Repositories['strategyVersions']` from adapters/libsql fits. */
export interface VersionStore {
  insert(row: Omit<StoredVersion, 'id'>): number;
  byVersion(version: string): StoredVersion | undefined;
  /** The live version: deployed and not retired, most recently deployed first. */
  current(): StoredVersion | undefined;
  /** Deploys `version` at `nowMs`, retiring every other live version; false when unknown. */
  deploy(version: string, nowMs: number): boolean;
  /** The newest `limit` versions by creation, newest first. */
  list(limit?: number): StoredVersion[];
}

/** The repositories the loader uses (a subset of adapters/libsql `Repositories`). */
export interface LoaderRepos {
  readonly strategyVersions: VersionStore;
}

/** Upper bound on versions the loader scans at once (ids are v001…v999 and beyond). */
export const MAX_SCANNED_VERSIONS = 100_000;
