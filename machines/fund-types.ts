/**
 * Types of the fund machine: context, input, events, and the inputs/outputs of its placeholder
 * actors (the supervisor's contract). Re-exported by `fund.ts` and the `machines/` door.
 */
import type { BackoffPolicy, SupervisionPolicy } from './common.ts';
import type { OrchestratorInput } from './orchestrator.ts';
import type { SchedulerInput } from './scheduler.ts';
import type { SymbolInput } from './symbol.ts';

/** Who or what halted trading. */
export type HaltSource = 'risk' | 'operator' | 'killSwitch' | 'system' | 'rollbackFailed';

/** Why trading is halted; survives restarts (snapshot restore or {@link FundCarryOver}). */
export interface HaltRecord {
  readonly source: HaltSource;
  readonly reason: string;
  readonly sinceMs: number;
}

/** Where a strategy was loaded from: its file, or the copy stored in the database. */
export type StrategySource = 'file' | 'db';

/** Status of the live strategy (mirrors the `strategy` region). */
export type StrategyStatus = 'live' | 'fallback' | 'rollingBack' | 'none' | 'failed';

/** One rollback, recorded whether it worked or not. */
export interface RollbackRecord {
  readonly trigger: string;
  readonly fromVersion: string;
  /** Version reverted to (null while running, or when it failed before choosing one). */
  readonly toVersion: string | null;
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
  readonly ok: boolean | null;
  readonly error: string | null;
}

/** Strategy bookkeeping (JSON-safe). */
export interface StrategyState {
  readonly status: StrategyStatus;
  readonly version: string | null;
  readonly source: StrategySource | null;
  /** The version a rollback would revert to. */
  readonly previousVersion: string | null;
  /** The rollback in progress. */
  readonly rollback: RollbackRecord | null;
  /** Finished rollbacks, newest last (at most `ROLLBACK_HISTORY`, see fund.ts). */
  readonly history: readonly RollbackRecord[];
  /** Why the strategy is `none` or `failed`. */
  readonly problem: string | null;
}

/** Status of the paper (shadow) test of a candidate (mirrors the `paperTest` region). */
export type PaperTestStatus = 'idle' | 'running' | 'passed' | 'failed' | 'inconclusive';

/** Paper-test bookkeeping (JSON-safe); `pnl` is an exact decimal string in quote currency. */
export interface PaperTestState {
  readonly status: PaperTestStatus;
  readonly candidateVersion: string | null;
  readonly startedAtMs: number | null;
  /** Absolute deadline, ms since epoch (re-armed after a restore). */
  readonly deadlineMs: number | null;
  readonly trades: number;
  readonly pnl: string;
  readonly concludedAtMs: number | null;
}

/** Feed bookkeeping (JSON-safe). */
export interface FeedState {
  /** Consecutive failed connection attempts since the last success. */
  readonly attempts: number;
  readonly lastMessageMs: number | null;
  /** When the feed stale check fires next (absolute). */
  readonly staleCheckAtMs: number | null;
  /** Set while `lost` (alerted once per outage). */
  readonly lostSinceMs: number | null;
  readonly lastError: string | null;
}

/** Kinds of supervised children. */
export type ChildKind = 'symbol' | 'orchestrator' | 'scheduler';

/** Supervision record of one spawned child. */
export interface ChildRecord {
  readonly kind: ChildKind;
  /** The pair, for symbol children. */
  readonly symbol: string | null;
  readonly status: 'running' | 'restarting' | 'degraded';
  /** Restart times inside the policy window. */
  readonly restartTimesMs: readonly number[];
  /** When the pending restart is due (absolute). */
  readonly restartAtMs: number | null;
  readonly lastError: string | null;
}

/** Retry bookkeeping of the current startup phase. */
export interface PhaseState {
  readonly attempts: number;
  readonly retryAtMs: number | null;
  readonly lastError: string | null;
}

/** Symbol child spec: the symbol input minus the time, which is stamped at spawn. */
export type SymbolSpec = Omit<SymbolInput, 'nowMs'>;

/** Feed supervision policy. */
export interface FeedPolicy {
  /** No message for this long (ms) ⇒ `stale`; stale for this long again ⇒ reconnect. Also the connect timeout. */
  readonly staleAfterMs: number;
  /** Consecutive failed attempts after which the feed is `lost` (alerted once; retries continue). */
  readonly lostAfterAttempts: number;
  readonly reconnect: BackoffPolicy;
}

/** What a graceful stop hands to the next run (the `stopped` state's output). */
export interface FundCarryOver {
  readonly halt: HaltRecord | null;
  readonly pausedByOperator: boolean;
  readonly dailyLossLock: boolean;
  readonly strategy: Pick<StrategyState, 'version' | 'source' | 'previousVersion'>;
  readonly paperTest: PaperTestState;
}

/** Input of the fund actor. */
export interface FundInput {
  readonly nowMs: number;
  readonly symbols: readonly SymbolSpec[];
  readonly orchestrator: Omit<OrchestratorInput, 'nowMs'>;
  readonly scheduler: Omit<SchedulerInput, 'nowMs'>;
  /** Restart policy of spawned children. */
  readonly supervision: SupervisionPolicy;
  /** Retry policy of the startup phases (`maxRestarts` retries each; the window is not used). */
  readonly startup: SupervisionPolicy;
  readonly feed: FeedPolicy;
  /** Fewer closed paper trades than this at the deadline ⇒ `inconclusive`. */
  readonly minPaperTestTrades: number;
  /** State carried over from the previous run's graceful stop. */
  readonly carryOver?: FundCarryOver;
}

/** Context of the fund actor (JSON-safe). */
export interface FundContext {
  readonly nowMs: number;
  readonly childSpecs: {
    readonly symbols: readonly SymbolSpec[];
    readonly orchestrator: Omit<OrchestratorInput, 'nowMs'>;
    readonly scheduler: Omit<SchedulerInput, 'nowMs'>;
  };
  readonly supervision: SupervisionPolicy;
  readonly startup: SupervisionPolicy;
  readonly feedPolicy: FeedPolicy;
  readonly minPaperTestTrades: number;
  readonly phase: PhaseState;
  readonly halt: HaltRecord | null;
  readonly pausedByOperator: boolean;
  readonly dailyLossLock: boolean;
  readonly strategy: StrategyState;
  readonly paperTest: PaperTestState;
  readonly feed: FeedState;
  readonly children: Readonly<Record<string, ChildRecord>>;
  /** Errors from children the fund does not know (recorded, alerted, never escalated). */
  readonly unexpectedErrors: number;
  /** Why the fund faulted or failed to shut down cleanly. */
  readonly fault: string | null;
  readonly stopReason: string | null;
}

/** Input given to the startup phase actors (`boot`, `restore`, `reconcile`). */
export interface PhaseInput {
  readonly nowMs: number;
  /** 0 on the first try. */
  readonly attempt: number;
  readonly halt: HaltRecord | null;
  readonly strategyVersion: string | null;
}

/** `boot` output (PID lock, config, database, migrations done). */
export interface BootResult {
  readonly nowMs: number;
}

/** `restore` output: the strategy to run (null = none valid), and optionally fresh symbol specs. */
export interface RestoreResult {
  readonly nowMs: number;
  readonly strategy: { readonly version: string; readonly source: StrategySource } | null;
  readonly previousVersion: string | null;
  /** Symbols from the current configuration (null keeps the ones in context). */
  readonly symbols: readonly SymbolSpec[] | null;
}

/** `reconcile` output: orders/fills/balances matched; halt re-evaluated against current limits. */
export interface ReconcileResult {
  readonly nowMs: number;
  /** A halt the re-evaluation demands (never clears an existing one). */
  readonly halt: { readonly reason: string } | null;
}

/** Input of `revertStrategy`. */
export interface RevertInput {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly trigger: string;
  readonly nowMs: number;
}

/** `revertStrategy` output: the version now live and the one before it. */
export interface RevertResult {
  readonly nowMs: number;
  readonly version: string;
  readonly source: StrategySource;
  readonly previousVersion: string | null;
}

/** Input of `shutdown`. */
export interface ShutdownInput {
  readonly reason: string;
  readonly nowMs: number;
}

/** `shutdown` output. */
export interface ShutdownResult {
  readonly nowMs: number;
}

/** Events the fund accepts. Commands are imperative, facts past tense. */
export type FundEvent =
  // operator and system commands
  | { type: 'operator.pause'; nowMs: number }
  | { type: 'operator.resume'; nowMs: number }
  | { type: 'operator.halt'; reason: string; nowMs: number }
  | { type: 'operator.kill'; nowMs: number }
  | { type: 'system.halt'; reason: string; nowMs: number }
  | { type: 'system.stop'; reason: string; nowMs: number }
  | { type: 'system.restored'; nowMs: number }
  // heartbeat: keeps the machine's notion of now current between other events (e.g. every monitor tick)
  | { type: 'clock.ticked'; nowMs: number }
  // risk facts
  | { type: 'risk.haltTriggered'; reason: string; nowMs: number }
  | { type: 'risk.rollbackTriggered'; trigger: string; nowMs: number }
  | { type: 'risk.dailyLossLimitReached'; reason: string; nowMs: number }
  | { type: 'schedule.dailyResetDue'; nowMs: number }
  // strategy facts
  | { type: 'strategy.loaded'; version: string; source: StrategySource; previousVersion: string | null; nowMs: number }
  | { type: 'strategy.invalidated'; reason: string; nowMs: number }
  // paper test of a candidate
  | { type: 'paperTest.started'; candidateVersion: string; durationMs: number; nowMs: number }
  | { type: 'paperTest.tradeClosed'; candidateVersion: string; pnl: string; nowMs: number }
  | { type: 'paperTest.canceled'; reason: string; nowMs: number }
  // market-data feed facts
  | { type: 'feed.connected'; nowMs: number }
  | { type: 'feed.messageReceived'; nowMs: number }
  | { type: 'feed.disconnected'; reason: string; nowMs: number }
  // internal: raised (delayed) by the supervision logic
  | { type: 'supervision.restartDue'; childId: string }
  // sent by XState itself when a child actor fails (never by the supervisor)
  | ChildErrorEvent;

/** The event XState sends to a parent when a child actor fails. */
export interface ChildErrorEvent {
  readonly type: `xstate.error.actor.${string}`;
  readonly error: unknown;
}

/** Operator/system commands (the operator surface explains refusals with {@link explainFundRefusal}). */
export type FundCommand = Extract<FundEvent, { type: `operator.${string}` | 'system.halt' | 'system.stop' }>;

/** Events the supervisor may send (everything but the internal and XState-generated ones). */
export type FundInboundEvent = Exclude<FundEvent, ChildErrorEvent | { type: 'supervision.restartDue' }>;

/** Trading region states. */
export type TradingState = 'active' | 'paused' | 'halted' | 'reducing';
