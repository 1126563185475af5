/**
 * All repositories over one connection. Statements are prepared lazily and cached, so creating
 * the set is cheap and nothing touches a table until it is used.
 */
import type { Db } from '../db.ts';
import { withTransaction } from '../db.ts';
import { createActivityLogRepo, type ActivityLogRepo } from './activity-log.ts';
import { createActorSnapshotRepo, type ActorSnapshotRepo } from './actor-snapshots.ts';
import { createAnalysisModuleRepo, type AnalysisModuleRepo } from './analysis-modules.ts';
import {
  createCandidateDailyPerformanceRepo,
  createCandidatePositionRepo,
  createCandidateSignalRepo,
  createCandidateTradeRepo,
  type CandidateDailyPerformanceRepo,
  type CandidatePositionRepo,
  type CandidateSignalRepo,
  type CandidateTradeRepo,
} from './candidate-books.ts';
import { createCandidateRepo, createPaperTestRepo, type CandidateRepo, type PaperTestRepo } from './candidates.ts';
import { createCandleRepo, type CandleRepo } from './candles.ts';
import { createCheckpointRepo, type CheckpointRepo } from './checkpoints.ts';
import { createCapitalEventRepo, type CapitalEventRepo } from './capital-events.ts';
import { statements } from './codec.ts';
import { createConditionalOrderRepo, type ConditionalOrderRepo } from './conditional-orders.ts';
import { createDailyPerformanceRepo, type DailyPerformanceRepo } from './daily-performance.ts';
import { createFeeScheduleRepo, type FeeScheduleRepo } from './fee-schedule.ts';
import { createObservationRepo, type ObservationRepo } from './observations.ts';
import { createOrchestratorLogRepo, type OrchestratorLogRepo } from './orchestrator-log.ts';
import { createFillRepo, createOrderRepo, type FillRepo, type OrderRepo } from './orders.ts';
import { createPositionRepo, type PositionRepo } from './positions.ts';
import { createPredictionRepo, type PredictionRepo } from './predictions.ts';
import { createScanResultRepo, type ScanResultRepo } from './scan-results.ts';
import { createSignalRepo, type SignalRepo } from './signals.ts';
import { createStrategyDocRepo, type StrategyDocRepo } from './strategy-docs.ts';
import { createStrategyStateRepo, type StrategyStateRepo } from './strategy-state.ts';
import { createStrategyVersionRepo, type StrategyVersionRepo } from './strategy-versions.ts';
import { createSystemMetaRepo, type SystemMetaRepo } from './system-meta.ts';
import { createThoughtRepo, type ThoughtRepo } from './thoughts.ts';
import { createTokenUsageRepo, type TokenUsageRepo } from './token-usage.ts';
import { createTradeRepo, type TradeRepo } from './trades.ts';

/** Every repository of the store, plus `transaction` to group writes across them. */
export interface Repositories {
  readonly systemMeta: SystemMetaRepo;
  readonly candles: CandleRepo;
  readonly positions: PositionRepo;
  readonly trades: TradeRepo;
  readonly signals: SignalRepo;
  readonly orders: OrderRepo;
  readonly fills: FillRepo;
  readonly conditionalOrders: ConditionalOrderRepo;
  readonly dailyPerformance: DailyPerformanceRepo;
  readonly capitalEvents: CapitalEventRepo;
  readonly scanResults: ScanResultRepo;
  readonly feeSchedule: FeeScheduleRepo;
  readonly strategyVersions: StrategyVersionRepo;
  readonly orchestratorLog: OrchestratorLogRepo;
  readonly thoughts: ThoughtRepo;
  readonly tokenUsage: TokenUsageRepo;
  readonly analysisModules: AnalysisModuleRepo;
  readonly candidates: CandidateRepo;
  readonly paperTests: PaperTestRepo;
  readonly candidatePositions: CandidatePositionRepo;
  readonly candidateTrades: CandidateTradeRepo;
  readonly candidateSignals: CandidateSignalRepo;
  readonly candidateDailyPerformance: CandidateDailyPerformanceRepo;
  readonly observations: ObservationRepo;
  readonly predictions: PredictionRepo;
  readonly strategyDocs: StrategyDocRepo;
  readonly actorSnapshots: ActorSnapshotRepo;
  readonly strategyState: StrategyStateRepo;
  readonly activityLog: ActivityLogRepo;
  readonly checkpoints: CheckpointRepo;
  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction (e.g. record a fill, update its order and the
   * position together); joins an already open one. Rolls back and rethrows if `fn` throws.
   */
  transaction<T>(fn: () => T): T;
}

/** Creates every repository over `db` (a migrated read-write connection, or read-only for queries). */
export function createRepositories(db: Db): Repositories {
  const st = statements(db);
  return {
    systemMeta: createSystemMetaRepo(st),
    candles: createCandleRepo(st),
    positions: createPositionRepo(st),
    trades: createTradeRepo(st),
    signals: createSignalRepo(st),
    orders: createOrderRepo(st),
    fills: createFillRepo(st),
    conditionalOrders: createConditionalOrderRepo(st),
    dailyPerformance: createDailyPerformanceRepo(st),
    capitalEvents: createCapitalEventRepo(st),
    scanResults: createScanResultRepo(st),
    feeSchedule: createFeeScheduleRepo(st),
    strategyVersions: createStrategyVersionRepo(st),
    orchestratorLog: createOrchestratorLogRepo(st),
    thoughts: createThoughtRepo(st),
    tokenUsage: createTokenUsageRepo(st),
    analysisModules: createAnalysisModuleRepo(st),
    candidates: createCandidateRepo(st),
    paperTests: createPaperTestRepo(st),
    candidatePositions: createCandidatePositionRepo(st),
    candidateTrades: createCandidateTradeRepo(st),
    candidateSignals: createCandidateSignalRepo(st),
    candidateDailyPerformance: createCandidateDailyPerformanceRepo(st),
    observations: createObservationRepo(st),
    predictions: createPredictionRepo(st),
    strategyDocs: createStrategyDocRepo(st),
    actorSnapshots: createActorSnapshotRepo(st),
    strategyState: createStrategyStateRepo(st),
    activityLog: createActivityLogRepo(st),
    checkpoints: createCheckpointRepo(st),
    transaction: (fn) => withTransaction(db, fn),
  };
}
