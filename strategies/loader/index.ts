/**
 * The strategy loader (DESIGN.md §2 `strategy`, §5; predecessor §8.1): fund versions in the
 * store (register, activate, roll back), the startup fallback chain (file → latest deployed DB
 * copy → paused), `checkStrategy` (static check + sandboxed trial runs) and a unified diff.
 * Works over the `VersionStore` interface; the libSQL `strategyVersions` repository fits it.
 */
export { type LoaderRepos, MAX_SCANNED_VERSIONS, type StoredVersion, type VersionStore } from './store.ts';
export { codeHash } from './hash.ts';
export {
  type ActivateResult,
  type RegisterInput,
  type RegisterResult,
  VERSION_ID_RE,
  activateVersion,
  allVersions,
  latestDeployed,
  nextVersionId,
  previousVersion,
  registerVersion,
  storedFilename,
} from './versions.ts';
export { type ActiveSource, type ActiveStrategy, type LoadActiveInput, loadActiveStrategy } from './active.ts';
export { type DiffLine, MAX_DIFF_CELLS, diffLines, splitLines, unifiedDiff } from './diff.ts';
export { FIVE_MINUTES_MS, FIXTURE_DIR, REAL_DATASETS, type TrialDataset, parseCandleCsv, realDatasets, syntheticDataset } from './data.ts';
export {
  TRIAL_LIMITS,
  TRIAL_MAX_FAILURES,
  TRIAL_MAX_REASONS,
  TRIAL_PORTFOLIO,
  TRIAL_WARMUP_CANDLES,
  type TrialDatasetReport,
  type TrialFailure,
  type TrialOptions,
  runTrial,
} from './trial.ts';
export { type CheckOptions, type CheckReport, type CheckVerdict, type StrategyInput, checkStrategy, trialVerdict } from './check.ts';
