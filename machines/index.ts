/**
 * The machines' public door: every machine definition, its input/context/event types, the
 * names of its placeholders (the supervisor's contract: provide each of them with
 * `machine.provide(...)`), and the diagram converter. Pure: xstate and domain only.
 */
export {
  type BackoffPolicy,
  type SupervisionPolicy,
  backoffDelayMs,
  describeError,
  eventTimeMs,
  failedChildId,
  nowAfter,
  recentRestarts,
  remainingMs,
} from './common.ts';
export { type MachineJson, type StateJson, type TransitionJson, eventLabel, toJson, toJsonText, toMermaid } from './diagram.ts';
export {
  type BootResult,
  type ChildErrorEvent,
  type ChildKind,
  type ChildRecord,
  FUND_COMMAND_TABLE,
  FUND_INVOKE_IDS,
  FUND_PLACEHOLDERS,
  type FeedPolicy,
  type FeedState,
  type FundCarryOver,
  type FundCommand,
  type FundContext,
  type FundEvent,
  type FundInboundEvent,
  type FundInput,
  type FundMachine,
  type FundSnapshot,
  type HaltRecord,
  type HaltSource,
  type PaperTestState,
  type PaperTestStatus,
  type PhaseInput,
  type PhaseState,
  ROLLBACK_HISTORY,
  type ReconcileResult,
  type RestoreResult,
  type RevertInput,
  type RevertResult,
  type RollbackRecord,
  type ShutdownInput,
  type ShutdownResult,
  type StrategySource,
  type StrategyState,
  type StrategyStatus,
  type SymbolSpec,
  type TradingState,
  deriveTradingState,
  explainFundRefusal,
  fundMachine,
  isStrategyUsable,
  symbolActorId,
} from './fund.ts';
export {
  type BudgetStatus,
  type CycleOutcome,
  type CycleOutcomeKind,
  type CycleRecord,
  type CycleSource,
  CycleStepError,
  type CycleStepInput,
  type Decision,
  FEEDBACK_CHARS,
  type GatheredContext,
  type GeneratedCandidate,
  ORCHESTRATOR_PLACEHOLDERS,
  type OrchestratorContext,
  type OrchestratorEvent,
  type OrchestratorInput,
  type Promotion,
  type PromotionGate,
  type ShadowVerdict,
  type StepErrorKind,
  type StepVerdict,
  orchestratorMachine,
  stepErrorKind,
} from './orchestrator.ts';
export {
  ORDER_PLACEHOLDERS,
  ORDER_REFUSAL_GUARD,
  type OrderContext,
  type OrderInput,
  type OrderMachine,
  type OrderSnapshot,
  describeOrderError,
  explainOrderRefusal,
  orderMachine,
  orderSnapshotFor,
} from './order.ts';
export {
  type CloseReason,
  type ExitReason,
  type OrderFillEvent,
  type OrderRole,
  POSITION_PLACEHOLDERS,
  type PositionContext,
  type PositionEvent,
  type PositionInput,
  type PositionOutput,
  positionMachine,
} from './position.ts';
export {
  DAY_MS,
  DEFAULT_CALENDAR_OPTIONS,
  type FixedOffsetCalendarOptions,
  SCHEDULER_PLACEHOLDERS,
  type SchedulerCalendar,
  type SchedulerContext,
  type SchedulerDeadlines,
  type SchedulerEmitted,
  type SchedulerEvent,
  type SchedulerInput,
  type SchedulerMachine,
  createFixedOffsetCalendar,
  createSchedulerMachine,
  nextBoundaryMs,
  schedulerMachine,
  utcCalendar,
} from './scheduler.ts';
export {
  type EvaluationInput,
  type EvaluationResult,
  type EvaluationStats,
  POSITION_EVENT_TYPES,
  type PositionOpenedEvent,
  SYMBOL_PLACEHOLDERS,
  type SymbolContext,
  type SymbolEvent,
  type SymbolInboundEvent,
  type SymbolInput,
  type TaggedPositionEvent,
  positionActorId,
  symbolMachine,
} from './symbol.ts';

import { fundMachine } from './fund.ts';
import { orchestratorMachine } from './orchestrator.ts';
import { orderMachine } from './order.ts';
import { positionMachine } from './position.ts';
import { schedulerMachine } from './scheduler.ts';
import { symbolMachine } from './symbol.ts';

/** Every machine by its diagram name (docs/machines/<name>.{mmd,json}). */
export const MACHINES = Object.freeze({
  fund: fundMachine,
  symbol: symbolMachine,
  position: positionMachine,
  order: orderMachine,
  orchestrator: orchestratorMachine,
  scheduler: schedulerMachine,
});

/** A key of {@link MACHINES}. */
export type MachineName = keyof typeof MACHINES;
