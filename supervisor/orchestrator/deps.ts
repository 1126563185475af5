/**
 * What the orchestrator's implementations are given (all injected: no clock, store, network or
 * process is reached any other way), and the per-cycle working memory the step actors share.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { Decision, GeneratedCode, CodeReview } from '../../domain/advice/index.ts';
import type { NotifierEvent } from '../../domain/events/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import type { PipelineSettings } from '../../domain/pipeline/index.ts';
import type { Advisor, DataBlock, StrategyRunner } from '../../domain/ports/index.ts';
import type { TrialDataset } from '../../strategies/loader/index.ts';

/** Which brain answers: the Claude advisor (an API key is configured) or the local parameter search. */
export type AdvisorMode = 'claude' | 'local';

/** The repositories the orchestrator reads and writes. */
export type OrchestratorRepos = Pick<
  Repositories,
  | 'strategyVersions'
  | 'candidates'
  | 'paperTests'
  | 'candidateTrades'
  | 'candidatePositions'
  | 'candidateDailyPerformance'
  | 'candidateSignals'
  | 'thoughts'
  | 'tokenUsage'
  | 'orchestratorLog'
  | 'observations'
  | 'predictions'
  | 'strategyDocs'
  | 'trades'
  | 'signals'
  | 'dailyPerformance'
  | 'activityLog'
>;

/** Closed 5m candles per symbol with fromMs ≤ tsOpen < toMs, oldest first (the store's candle tier, or a fixture). */
export type CandleSource = (symbols: readonly string[], fromMs: number, toMs: number) => Readonly<Record<string, readonly Candle[]>>;

/** Orchestrator settings (camelCased `[orchestrator]` plus what the backtests need). */
export interface OrchestratorSettings {
  /** `general.timezone`: the fund's day (budget, log dates, observations). */
  readonly timeZone: string;
  /** `max_candidates`. */
  readonly maxCandidates: number;
  /** `min_paper_test_trades`. */
  readonly minPaperTestTrades: number;
  /** `min_paper_test_days`. */
  readonly minPaperTestDays: number;
  /** `paper_test_deadline_days`. */
  readonly paperTestDeadlineDays: number;
  /** `paper_test_extension_days` (0: no extension). */
  readonly paperTestExtensionDays: number;
  /** `promotion_min_psr`, probability. */
  readonly promotionMinPsr: number;
  /** `reflection_interval_days`. */
  readonly reflectionIntervalDays: number;
  /** Days of history the walk-forward backtest covers (ending now). */
  readonly backtestDays: number;
  /** Walk-forward folds (≥ 1). */
  readonly folds: number;
  /** Warm-up days before each backtest window and before a shadow book starts. */
  readonly warmupDays: number;
  /** Capital of backtests and shadow books (quote, exact). */
  readonly startingCapital: Fixed;
  /** Seed of strategy randomness in backtests and shadow books, and of the local advisor. */
  readonly seed: number;
}

/** Everything `createOrchestratorImplementations` needs. */
export interface OrchestratorDeps {
  readonly advisor: Advisor;
  readonly mode: AdvisorMode;
  readonly repos: OrchestratorRepos;
  /** ms since epoch, UTC (the fund's injected clock; simulated in tests). */
  readonly clock: () => number;
  /** A fresh strategy runner (sandboxed in production); closed after use. */
  readonly makeRunner: (seed: number) => StrategyRunner;
  readonly candles: CandleSource;
  /** The event bus's publish (notifications); must not throw (the bus isolates failures). */
  readonly publish: (event: NotifierEvent) => void;
  /** The FUND's pipeline settings: candidates backtest and shadow-trade with exactly these. */
  readonly settings: PipelineSettings;
  readonly config: OrchestratorSettings;
  /** Reports of the analysis modules (strategies/analysis host), when one is wired. */
  readonly analysisReports?: (nowMs: number) => Promise<readonly DataBlock[]> | readonly DataBlock[];
  /** Recent market data as text blocks (kind `marketData`; untrusted, always last in the prompt). */
  readonly marketData?: (nowMs: number) => readonly DataBlock[];
  /** Trial data sets of the sandbox validation (default: synthetic walk + bundled real slices). */
  readonly trialDatasets?: readonly TrialDataset[];
  /** The incumbent's closed-trade return fractions in [fromMs, toMs) (default: the fund's `trades`). */
  readonly incumbentReturns?: (fromMs: number, toMs: number) => readonly number[];
  /** The configured strategy file (`general.strategy_file`), when the fund runs one: the incumbent is found as the fund finds it (file → DB copy). */
  readonly strategyFile?: string | null;
  /** Called after a promotion activated `version` (the runtime reloads the fund's strategy). */
  readonly onPromoted?: (version: string, previous: string | null) => void;
}

/** One generation attempt of a cycle. */
export interface AttemptRecord {
  readonly attempt: number;
  /** Registered version (vNNN), or a `draft-…` id when the static check or registration refused it. */
  version: string;
  source: string;
  /** JavaScript (types stripped), null until it passed the static check. */
  js: string | null;
  generated: GeneratedCode | null;
  /** Why the code never reached review (static check, duplicate), or null. */
  refusal: string | null;
  review: CodeReview | null;
  /** OOS per-trade returns of candidate and incumbent, when backtested. */
  backtest: { readonly candidateOos: number[]; readonly incumbentOos: number[]; readonly report: string } | null;
}

/** The per-cycle working memory shared by the step actors (keyed by cycle id). */
export interface CycleWorkspace {
  readonly cycleId: string;
  readonly startedAtMs: number;
  incumbent: { readonly version: string; readonly source: string; readonly js: string } | null;
  document: string;
  blocks: DataBlock[];
  decision: Decision | null;
  /** create: a new candidate from the change request; resume: re-enter the shadow test of a running candidate. */
  mode: 'create' | 'resume' | null;
  slot: number | null;
  changeRequest: string;
  /** Why the backtest review abandoned the change (a final refusal), or null. */
  abandoned: string | null;
  attempts: Map<number, AttemptRecord>;
  /** Short notes for the log's `changes` column. */
  notes: string[];
  promotedTo: string | null;
  promotedFrom: string | null;
}
