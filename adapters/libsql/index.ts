/**
 * The store: libSQL (SQLite) behind one synchronous long-lived connection per role, versioned
 * migrations, one repository per aggregate, backups and integrity checks. All SQL of the
 * project lives in this folder. Money and quantities cross this boundary as exact `Fixed`
 * (TEXT decimals in SQL); timestamps as integer ms since epoch, UTC. See docs/schema.md.
 */
export { openStore, withTransaction, DEFAULT_BUSY_TIMEOUT_MS, type Db, type StoreOptions } from './db.ts';
export { migrate, latestSchemaVersion, schemaVersion, loadMigrations, type Migration, type MigrationResult } from './migrate.ts';
export { backupTo, checkIntegrity, type BackupResult, type IntegrityReport } from './maintenance.ts';
export { StoreError, SchemaVersionError } from './errors.ts';
export { createRepositories, type Repositories } from './repos/index.ts';
export type { NewRow } from './repos/codec.ts';
export * from './repos/enums.ts';
export type { SystemMetaRow, SystemMetaRepo } from './repos/system-meta.ts';
export type { CandleRepo, CandleSeries } from './repos/candles.ts';
export type { PositionRow, PositionPatch, PositionRepo } from './repos/positions.ts';
export type { TradeRow, TradeQuery, TradeRepo } from './repos/trades.ts';
export type { SignalRow, SignalOutcome, SignalQuery, SignalRepo } from './repos/signals.ts';
export type { OrderRow, OrderPatch, OrderQuery, OrderRepo, FillRow, FillRepo } from './repos/orders.ts';
export type { ConditionalOrderRow, ConditionalOrderPatch, ConditionalOrderRepo } from './repos/conditional-orders.ts';
export type { DailyPerformanceRow, DayRangeQuery, DailyPerformanceRepo } from './repos/daily-performance.ts';
export { signedCapitalAmount, type CapitalEventRow, type CapitalEventRepo } from './repos/capital-events.ts';
export type { ScanResultRow, ScanStats, ScanResultRepo } from './repos/scan-results.ts';
export type { FeeScheduleRow, FeeScheduleRepo } from './repos/fee-schedule.ts';
export type { StrategyVersionRow, StrategyVersionPatch, StrategyVersionRepo } from './repos/strategy-versions.ts';
export type { OrchestratorLogRow, OrchestratorLogRepo } from './repos/orchestrator-log.ts';
export type { ThoughtRow, ThoughtRepo } from './repos/thoughts.ts';
export type { TokenUsageRow, TokenTotals, TokenUsageRepo } from './repos/token-usage.ts';
export type { AnalysisModuleVersionRow, AnalysisModuleRepo } from './repos/analysis-modules.ts';
export type { CandidateRow, NewCandidate, CandidateRepo, PaperTestRow, PaperTestRepo } from './repos/candidates.ts';
export type {
  CandidatePositionRow,
  CandidateTradeRow,
  CandidateSignalRow,
  CandidateDailyPerformanceRow,
  CandidatePositionRepo,
  CandidateTradeRepo,
  CandidateSignalRepo,
  CandidateDailyPerformanceRepo,
} from './repos/candidate-books.ts';
export type { ObservationRow, ObservationRepo } from './repos/observations.ts';
export type { PredictionRow, PredictionGrading, PredictionRepo } from './repos/predictions.ts';
export type { StrategyDocRow, StrategyDocRepo } from './repos/strategy-docs.ts';
export type { ActorSnapshotRow, ActorSnapshotRepo } from './repos/actor-snapshots.ts';
export type { StrategyStateRow, StrategyStateRepo } from './repos/strategy-state.ts';
export type { ActivityRow, ActivityQuery, ActivityLogRepo } from './repos/activity-log.ts';
