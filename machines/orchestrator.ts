/**
 * The orchestrator machine: the nightly (or on-demand) AI cycle that may evolve the strategy.
 *
 *   idle ─orchestrator.requested▶ scheduled ─budget ok▶ gathering ─▶ deciding ─┬▶ noChange ─▶ idle
 *                                                                             ├▶ shadowTesting (resume a running candidate)
 *                                                                             └▶ generating ─▶ validating ─▶ reviewing
 *        ─▶ backtesting ─▶ shadowTesting ─┬▶ promoting ─▶ idle   (gate passed, or operator.forcePromotion)
 *                                         ├▶ inconclusive (incumbent kept) ─▶ idle
 *                                         └▶ rejected ─▶ idle    (gate failed, or operator.vetoCandidate)
 *   plus budgetExhausted, timedOut, failed (each ─▶ idle) and disabled (no advisor configured).
 *
 * The candidate pipeline follows the order: generation (with the static check) →
 * sandbox validation → code review → walk-forward backtest and its review. A candidate is
 * promoted only from `shadowTesting`: through the `hasPassedPromotionGate` guard (enough shadow
 * trades and a passing statistical gate), or by the operator's confirmed forced promotion (the
 * cycle's `forced` flag tells the promote actor). Refusals loop back to `generating` with their
 * feedback until `maxRevisions` attempts are used; a `final` refusal (e.g. a backtest review's
 * "abandon") ends `rejected` at once. A step error is classified by its `kind`
 * ({@link stepErrorKind}): budget → `budgetExhausted`, timeout → `timedOut`, else `failed`.
 * While a cycle runs (any state but idle/disabled) `orchestrator.requested` has no transition:
 * `snapshot.can()` is false and the operator surface reports "a cycle is already running".
 *
 * The cycle's active part (scheduled … backtesting) has one absolute deadline
 * (`cycle.deadlineMs`); the shadow test has its own (`cycle.shadowDeadlineMs`). Both are
 * re-armed by `system.restored`. Outcome states are transient: they record
 * `lastOutcome`, announce it, and return to `idle`. Every invoked step's failure lands in
 * `budgetExhausted`, `timedOut` or `failed` by its kind: no child error escapes. Pure: imports only xstate; every AI/store step is a
 * placeholder actor.
 */
import { assign, fromPromise, setup } from 'xstate';
import { describeError, nowAfter, remainingMs } from './common.ts';

/** Where a cycle request came from. */
export type CycleSource = 'schedule' | 'operator';

/** How a cycle ended. */
export type CycleOutcomeKind =
  | 'noChange'
  | 'promoted'
  | 'rejected'
  | 'inconclusive'
  | 'budgetExhausted'
  | 'timedOut'
  | 'failed';

/** Input of the orchestrator actor. */
export interface OrchestratorInput {
  /** False when no advisor (LLM API key) is configured: the machine starts `disabled`. */
  readonly hasAdvisor: boolean;
  /** Length of the active part of a cycle, ms (the orchestration window). */
  readonly cycleTimeoutMs: number;
  /** Longest a shadow test may take before the cycle gives up as inconclusive, ms. */
  readonly shadowTestTimeoutMs: number;
  /** Generation attempts per cycle (≥ 1). */
  readonly maxRevisions: number;
  /** Tokens that must remain in today's budget to start a cycle. */
  readonly minTokensPerCycle: number;
  /** Promotion gate parameters used by the default `hasPassedPromotionGate`. */
  readonly promotion: PromotionGate;
  readonly nowMs: number;
}

/** Promotion gate: enough shadow trades and a probabilistic Sharpe ratio at least `minPsr`. */
export interface PromotionGate {
  readonly minTrades: number;
  /** Probability in [0, 1]. */
  readonly minPsr: number;
}

/** The cycle in progress (JSON-safe). */
export interface CycleRecord {
  readonly id: string;
  readonly source: CycleSource;
  readonly startedAtMs: number;
  /** Absolute deadline of the active part (scheduled … backtesting). */
  readonly deadlineMs: number;
  /** Generation attempt, 1-based (0 before the first). */
  readonly attempt: number;
  /** Short feedback from refused attempts, newest last (each ≤ FEEDBACK_CHARS). */
  readonly feedback: readonly string[];
  readonly candidateVersion: string | null;
  /** Absolute deadline of the shadow test, set on entering shadowTesting. */
  readonly shadowDeadlineMs: number | null;
  /** True when the operator forced the promotion past the gate (read by `promoteStrategy`). */
  readonly forced: boolean;
}

/** How the last cycle ended. */
export interface CycleOutcome {
  readonly cycleId: string;
  readonly outcome: CycleOutcomeKind;
  readonly reason: string;
  readonly candidateVersion: string | null;
  readonly endedAtMs: number;
}

/** Context of the orchestrator actor (JSON-safe). */
export interface OrchestratorContext {
  readonly hasAdvisor: boolean;
  readonly cycleTimeoutMs: number;
  readonly shadowTestTimeoutMs: number;
  readonly maxRevisions: number;
  readonly minTokensPerCycle: number;
  readonly promotion: PromotionGate;
  readonly cycle: CycleRecord | null;
  readonly lastOutcome: CycleOutcome | null;
  readonly cyclesCompleted: number;
  readonly nowMs: number;
}

/** Verdict of a candidate's shadow paper test, as reported by the fund. */
export type ShadowVerdict = 'passed' | 'failed' | 'inconclusive';

/** Events the orchestrator accepts. */
export type OrchestratorEvent =
  | { type: 'orchestrator.requested'; source: CycleSource; nowMs: number }
  | { type: 'advisor.configured'; nowMs: number }
  | { type: 'advisor.removed'; nowMs: number }
  | {
      type: 'paperTest.completed';
      candidateVersion: string;
      verdict: ShadowVerdict;
      /** Closed shadow trades. */
      trades: number;
      /** Probabilistic Sharpe ratio of the shadow returns in [0, 1], or null when not computable. */
      psr: number | null;
      nowMs: number;
    }
  | { type: 'system.restored'; nowMs: number }
  /** The operator vetoes the candidate under shadow test: the cycle ends `rejected`, the test stops. */
  | { type: 'operator.vetoCandidate'; candidateVersion: string; reason: string; nowMs: number }
  /**
   * The operator forces the candidate's promotion past the gate. `confirm` must repeat the
   * candidate's version (a stray command cannot deploy code); otherwise nothing happens.
   */
  | { type: 'operator.forcePromotion'; candidateVersion: string; confirm: string; nowMs: number };

/** Common input of the cycle step actors. */
export interface CycleStepInput {
  readonly cycleId: string;
  readonly attempt: number;
  readonly feedback: readonly string[];
  readonly candidateVersion: string | null;
  /** Absolute deadline of the cycle's active part (ms since epoch); advisor calls end by it. 0 outside a cycle. */
  readonly deadlineMs: number;
  /** The operator forced this promotion past the gate. */
  readonly forced: boolean;
  readonly nowMs: number;
}

/** How a failed step is classified (see {@link stepErrorKind}). */
export type StepErrorKind = 'budgetExhausted' | 'timeout' | 'failed';

/**
 * An error a step actor rejects with, carrying its kind: `budgetExhausted` ends the cycle in
 * `budgetExhausted`, `timeout` in `timedOut`, anything else in `failed`. Any error object with a
 * string `kind` field works the same (e.g. an advisor failure); this class is a convenience.
 */
export class CycleStepError extends Error {
  /** The classification the machine routes on. */
  readonly kind: StepErrorKind;
  constructor(kind: StepErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * The kind of a step's error: its `kind` field (`budgetExhausted`; `timeout` or `timedOut`), or
 * its name (`BudgetExhaustedError`, `TimeoutError`); everything else (including non-objects) is
 * `failed`.
 */
export function stepErrorKind(error: unknown): StepErrorKind {
  if (typeof error !== 'object' || error === null) return 'failed';
  const e = error as { kind?: unknown; name?: unknown };
  if (e.kind === 'budgetExhausted' || e.name === 'BudgetExhaustedError') return 'budgetExhausted';
  if (e.kind === 'timeout' || e.kind === 'timedOut' || e.name === 'TimeoutError') return 'timeout';
  return 'failed';
}

/** `checkBudget` output: tokens left in today's budget. */
export interface BudgetStatus {
  readonly nowMs: number;
  readonly tokensRemaining: number;
}
/** `gatherContext` output: the id of the stored context bundle. */
export interface GatheredContext {
  readonly nowMs: number;
  readonly contextId: string;
}
/**
 * `decide` output: one of a closed set of decisions (validated by the actor with zod).
 * `resumeCandidate` re-enters the shadow test of the already running `candidateVersion`
 * (no generation, review, validation or backtest again).
 */
export interface Decision {
  readonly nowMs: number;
  readonly decision: 'noChange' | 'changeStrategy' | 'resumeCandidate';
  readonly reasoning: string;
  /** For `resumeCandidate`: the running candidate's version (required, non-empty). */
  readonly candidateVersion?: string | null;
}
/** `generateStrategy` output: the stored candidate's version id. */
export interface GeneratedCandidate {
  readonly nowMs: number;
  readonly candidateVersion: string;
}
/** Output of `reviewStrategy`, `validateStrategy` and `backtestStrategy`. */
export interface StepVerdict {
  readonly nowMs: number;
  readonly ok: boolean;
  /** Why not (fed back to the next generation attempt); may be empty when ok. */
  readonly feedback: string;
  /** A refusal that must not be retried (e.g. the backtest review abandoned the change): the cycle ends `rejected`. */
  readonly final?: boolean;
}
/** `promoteStrategy` output: the version now live. */
export interface Promotion {
  readonly nowMs: number;
  readonly version: string;
}

/** Longest feedback text kept in context per attempt (the thought spool keeps the full text). */
export const FEEDBACK_CHARS = 2000;

/** Placeholder actors/actions/guards the supervisor provides. */
export const ORCHESTRATOR_PLACEHOLDERS = {
  actors: [
    'checkBudget',
    'gatherContext',
    'decide',
    'generateStrategy',
    'reviewStrategy',
    'validateStrategy',
    'backtestStrategy',
    'promoteStrategy',
  ],
  actions: ['announceCycleStarted', 'announceCycleOutcome', 'startShadowTest', 'stopShadowTest', 'vetoShadowTest'],
  guards: ['hasPassedPromotionGate'],
} as const;

function notProvided<O>(name: string) {
  return fromPromise<O, CycleStepInput>(async () => {
    throw new Error(`not provided: ${name}`);
  });
}

function stepInput({ context }: { context: OrchestratorContext }): CycleStepInput {
  const c = context.cycle;
  return {
    cycleId: c?.id ?? '',
    attempt: c?.attempt ?? 0,
    feedback: c?.feedback ?? [],
    candidateVersion: c?.candidateVersion ?? null,
    deadlineMs: c?.deadlineMs ?? 0,
    forced: c?.forced ?? false,
    nowMs: context.nowMs,
  };
}

function outputOf<T>(event: unknown): T | undefined {
  return (event as { output?: T }).output;
}

/** Human-readable reason for an outcome, from the event that caused it. */
function reasonOf(context: OrchestratorContext, event: { type: string }, outcome: CycleOutcomeKind): string {
  if ('error' in event) return describeError((event as { error: unknown }).error);
  if (event.type.startsWith('xstate.after.')) {
    return outcome === 'inconclusive'
      ? `shadow test did not finish within ${context.shadowTestTimeoutMs} ms`
      : `cycle exceeded its window of ${context.cycleTimeoutMs} ms`;
  }
  if (event.type === 'operator.vetoCandidate') {
    return `vetoed by the operator: ${(event as Extract<OrchestratorEvent, { type: 'operator.vetoCandidate' }>).reason}`;
  }
  if (event.type === 'paperTest.completed') {
    const e = event as Extract<OrchestratorEvent, { type: 'paperTest.completed' }>;
    return `shadow test ${e.verdict}: ${e.trades} trades, PSR ${e.psr === null ? 'n/a' : e.psr.toFixed(3)}`;
  }
  const out = outputOf<Partial<BudgetStatus & Decision & StepVerdict>>(event);
  if (out?.tokensRemaining !== undefined) return `${out.tokensRemaining} tokens left, ${context.minTokensPerCycle} needed`;
  if (out?.decision === 'noChange') return out.reasoning ?? 'no change';
  if (out?.decision === 'resumeCandidate') return 'resumeCandidate without a candidateVersion';
  if (out?.decision !== undefined) return `decision '${String(out.decision)}' is not one of: noChange, changeStrategy, resumeCandidate`;
  if (out?.feedback !== undefined) return out.feedback;
  return outcome;
}

const toTimedOut = { untilCycleDeadline: { target: '#orchestrator.timedOut' } } as const;
/** A step error ends the cycle in the state its kind names (see {@link stepErrorKind}). */
const failOnError = [
  { guard: 'isBudgetError', target: '#orchestrator.budgetExhausted' },
  { guard: 'isTimeoutError', target: '#orchestrator.timedOut' },
  { target: '#orchestrator.failed' },
] as const;

/** Transitions on a step's verdict: ok → `next`; a final refusal → rejected; else another attempt while allowed. */
function onVerdict<const N extends string, const A extends readonly ('trackTime' | 'armShadowDeadline' | 'startShadowTest')[]>(next: N, okActions: A) {
  return [
    { guard: 'isStepOk', target: next, actions: okActions },
    { guard: 'isFinalRefusal', target: 'rejected' },
    { guard: 'canRevise', target: 'generating', actions: 'nextAttempt' },
    { target: 'rejected' },
  ] as const;
}

/** Transient outcome state: record, announce, back to idle. */
function outcomeState(outcome: CycleOutcomeKind, description: string) {
  return {
    description,
    entry: [{ type: 'recordOutcome' as const, params: { outcome } }, 'announceCycleOutcome' as const],
    always: { target: '#orchestrator.idle', actions: 'clearCycle' as const },
  };
}

/** The orchestrator machine definition (pure; see {@link ORCHESTRATOR_PLACEHOLDERS}). */
export const orchestratorMachine = setup({
  types: {} as {
    context: OrchestratorContext;
    events: OrchestratorEvent;
    input: OrchestratorInput;
  },
  actors: {
    checkBudget: notProvided<BudgetStatus>('checkBudget'),
    gatherContext: notProvided<GatheredContext>('gatherContext'),
    decide: notProvided<Decision>('decide'),
    generateStrategy: notProvided<GeneratedCandidate>('generateStrategy'),
    reviewStrategy: notProvided<StepVerdict>('reviewStrategy'),
    validateStrategy: notProvided<StepVerdict>('validateStrategy'),
    backtestStrategy: notProvided<StepVerdict>('backtestStrategy'),
    promoteStrategy: notProvided<Promotion>('promoteStrategy'),
  },
  actions: {
    announceCycleStarted: () => {},
    announceCycleOutcome: () => {},
    startShadowTest: () => {},
    stopShadowTest: () => {},
    vetoShadowTest: () => {},
    trackTime: assign({ nowMs: ({ context, event }) => nowAfter(context.nowMs, event) }),
    startCycle: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return {
        nowMs,
        cycle: {
          id: `cycle-${nowMs}`,
          source: event.type === 'orchestrator.requested' ? event.source : 'operator',
          startedAtMs: nowMs,
          deadlineMs: nowMs + context.cycleTimeoutMs,
          attempt: 0,
          feedback: [],
          candidateVersion: null,
          shadowDeadlineMs: null,
          forced: false,
        },
      };
    }),
    nextAttempt: assign(({ context, event }) => {
      const c = context.cycle;
      if (!c) return {};
      const verdict = outputOf<Partial<StepVerdict>>(event);
      const refused = verdict?.ok === false && typeof verdict.feedback === 'string';
      const feedback = refused ? [...c.feedback, (verdict.feedback as string).slice(0, FEEDBACK_CHARS)].slice(-context.maxRevisions) : c.feedback;
      return { nowMs: nowAfter(context.nowMs, event), cycle: { ...c, attempt: c.attempt + 1, feedback, candidateVersion: null } };
    }),
    recordCandidate: assign(({ context, event }) => {
      const out = outputOf<GeneratedCandidate>(event);
      if (!context.cycle || !out) return {};
      return { nowMs: nowAfter(context.nowMs, event), cycle: { ...context.cycle, candidateVersion: out.candidateVersion } };
    }),
    recordResumedCandidate: assign(({ context, event }) => {
      const out = outputOf<Decision>(event);
      if (!context.cycle || !out?.candidateVersion) return {};
      return { nowMs: nowAfter(context.nowMs, event), cycle: { ...context.cycle, candidateVersion: out.candidateVersion } };
    }),
    markForced: assign(({ context, event }) => {
      if (!context.cycle) return {};
      return { nowMs: nowAfter(context.nowMs, event), cycle: { ...context.cycle, forced: true } };
    }),
    armShadowDeadline: assign(({ context, event }) => {
      if (!context.cycle) return {};
      const nowMs = nowAfter(context.nowMs, event);
      return { nowMs, cycle: { ...context.cycle, shadowDeadlineMs: nowMs + context.shadowTestTimeoutMs } };
    }),
    recordOutcome: assign(({ context, event }, params: { outcome: CycleOutcomeKind }) => {
      const c = context.cycle;
      const deadline = event.type.startsWith('xstate.after.')
        ? params.outcome === 'inconclusive'
          ? (c?.shadowDeadlineMs ?? context.nowMs)
          : (c?.deadlineMs ?? context.nowMs)
        : undefined;
      const nowMs = deadline === undefined ? nowAfter(context.nowMs, event) : Math.max(context.nowMs, deadline);
      return {
        nowMs,
        cyclesCompleted: context.cyclesCompleted + 1,
        lastOutcome: {
          cycleId: c?.id ?? '',
          outcome: params.outcome,
          reason: reasonOf(context, event, params.outcome).slice(0, FEEDBACK_CHARS),
          candidateVersion: c?.candidateVersion ?? null,
          endedAtMs: nowMs,
        },
      };
    }),
    clearCycle: assign({ cycle: null }),
    setAdvisor: assign(({ context, event }) => ({
      hasAdvisor: event.type === 'advisor.configured',
      nowMs: nowAfter(context.nowMs, event),
    })),
  },
  guards: {
    hasAdvisor: ({ context }) => context.hasAdvisor,
    hasBudgetForCycle: ({ context, event }) => (outputOf<BudgetStatus>(event)?.tokensRemaining ?? 0) >= context.minTokensPerCycle,
    isNoChangeDecision: ({ event }) => outputOf<Decision>(event)?.decision === 'noChange',
    isChangeStrategyDecision: ({ event }) => outputOf<Decision>(event)?.decision === 'changeStrategy',
    isResumeCandidateDecision: ({ event }) => {
      const out = outputOf<Decision>(event);
      return out?.decision === 'resumeCandidate' && typeof out.candidateVersion === 'string' && out.candidateVersion !== '';
    },
    isStepOk: ({ event }) => outputOf<StepVerdict>(event)?.ok === true,
    isFinalRefusal: ({ event }) => {
      const out = outputOf<StepVerdict>(event);
      return out?.ok === false && out.final === true;
    },
    isBudgetError: ({ event }) => 'error' in event && stepErrorKind((event as { error: unknown }).error) === 'budgetExhausted',
    isTimeoutError: ({ event }) => 'error' in event && stepErrorKind((event as { error: unknown }).error) === 'timeout',
    /** Another generation attempt is allowed. */
    canRevise: ({ context }) => (context.cycle?.attempt ?? 0) < context.maxRevisions,
    isOwnCandidate: ({ context, event }) =>
      (event.type === 'paperTest.completed' || event.type === 'operator.vetoCandidate') &&
      context.cycle?.candidateVersion != null &&
      event.candidateVersion === context.cycle.candidateVersion,
    /** The operator's forced promotion names this cycle's candidate and repeats its version as confirmation. */
    isConfirmedForce: ({ context, event }) =>
      event.type === 'operator.forcePromotion' &&
      context.cycle?.candidateVersion != null &&
      event.candidateVersion === context.cycle.candidateVersion &&
      event.confirm === context.cycle.candidateVersion,
    /**
     * Placeholder gate (the supervisor may provide the domain/metrics gate). Default: the fund's
     * paper test passed, with at least `minTrades` trades and a PSR of at least `minPsr`;
     * an unknown PSR never passes.
     */
    hasPassedPromotionGate: ({ context, event }) =>
      event.type === 'paperTest.completed' &&
      event.candidateVersion === context.cycle?.candidateVersion &&
      event.verdict === 'passed' &&
      event.trades >= context.promotion.minTrades &&
      event.psr !== null &&
      event.psr >= context.promotion.minPsr,
    /** Too few trades to judge: the incumbent stays. */
    isShadowTestInconclusive: ({ context, event }) =>
      event.type === 'paperTest.completed' &&
      event.candidateVersion === context.cycle?.candidateVersion &&
      (event.verdict === 'inconclusive' || event.trades < context.promotion.minTrades),
  },
  delays: {
    untilCycleDeadline: ({ context, event }) =>
      remainingMs(context.cycle?.deadlineMs ?? context.nowMs, nowAfter(context.nowMs, event)),
    untilShadowDeadline: ({ context, event }) =>
      remainingMs(context.cycle?.shadowDeadlineMs ?? context.nowMs, nowAfter(context.nowMs, event)),
  },
}).createMachine({
  id: 'orchestrator',
  context: ({ input }) => {
    if (!(Number.isInteger(input.maxRevisions) && input.maxRevisions >= 1)) {
      throw new RangeError(`orchestrator: maxRevisions must be an integer ≥ 1, got ${input.maxRevisions}`);
    }
    if (!(input.cycleTimeoutMs > 0) || !(input.shadowTestTimeoutMs > 0)) {
      throw new RangeError(
        `orchestrator: cycleTimeoutMs (${input.cycleTimeoutMs}) and shadowTestTimeoutMs (${input.shadowTestTimeoutMs}) must be > 0`,
      );
    }
    if (!(input.promotion.minPsr >= 0 && input.promotion.minPsr <= 1) || !(input.promotion.minTrades >= 1)) {
      throw new RangeError(
        `orchestrator: promotion.minPsr must be in [0, 1] and promotion.minTrades ≥ 1, got ${input.promotion.minPsr} / ${input.promotion.minTrades}`,
      );
    }
    return {
      hasAdvisor: input.hasAdvisor,
      cycleTimeoutMs: input.cycleTimeoutMs,
      shadowTestTimeoutMs: input.shadowTestTimeoutMs,
      maxRevisions: input.maxRevisions,
      minTokensPerCycle: input.minTokensPerCycle,
      promotion: input.promotion,
      cycle: null,
      lastOutcome: null,
      cyclesCompleted: 0,
      nowMs: input.nowMs,
    };
  },
  initial: 'resolving',
  states: {
    resolving: {
      description: 'Transient: idle when an advisor is configured, otherwise disabled.',
      always: [{ guard: 'hasAdvisor', target: 'idle' }, { target: 'disabled' }],
    },
    disabled: {
      description: 'No advisor (LLM API key) configured: no cycles.',
      on: {
        'advisor.configured': { target: 'idle', actions: 'setAdvisor' },
        'system.restored': { actions: 'trackTime' },
      },
    },
    idle: {
      description: 'Waiting for the nightly window or an operator request.',
      on: {
        'orchestrator.requested': { target: 'scheduled', actions: 'startCycle' },
        'advisor.removed': { target: 'disabled', actions: 'setAdvisor' },
        'system.restored': { actions: 'trackTime' },
      },
    },
    scheduled: {
      description: "A cycle was accepted; checking today's token budget before spending any.",
      invoke: {
        id: 'checkBudget',
        src: 'checkBudget',
        input: stepInput,
        onDone: [
          { guard: 'hasBudgetForCycle', target: 'gathering', actions: ['trackTime', 'announceCycleStarted'] },
          { target: 'budgetExhausted' },
        ],
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'scheduled', reenter: true, actions: 'trackTime' } },
    },
    gathering: {
      description: 'Reflection (if due) and context: truth benchmarks, analysis modules, trades, signals, budget.',
      invoke: { id: 'gatherContext', src: 'gatherContext', input: stepInput, onDone: { target: 'deciding', actions: 'trackTime' }, onError: failOnError },
      after: toTimedOut,
      on: { 'system.restored': { target: 'gathering', reenter: true, actions: 'trackTime' } },
    },
    deciding: {
      description: 'The advisor decides, from a closed set, whether to change the strategy.',
      invoke: {
        id: 'decide',
        src: 'decide',
        input: stepInput,
        onDone: [
          { guard: 'isNoChangeDecision', target: 'noChange' },
          { guard: 'isChangeStrategyDecision', target: 'generating', actions: 'nextAttempt' },
          { guard: 'isResumeCandidateDecision', target: 'shadowTesting', actions: ['recordResumedCandidate', 'armShadowDeadline', 'startShadowTest'] },
          { target: 'failed' },
        ],
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'deciding', reenter: true, actions: 'trackTime' } },
    },
    generating: {
      description: 'The advisor writes candidate code (with the feedback of refused attempts).',
      invoke: {
        id: 'generateStrategy',
        src: 'generateStrategy',
        input: stepInput,
        onDone: { target: 'validating', actions: 'recordCandidate' },
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'generating', reenter: true, actions: 'trackTime' } },
    },
    validating: {
      description: 'The sandbox loads and trial-runs the candidate (synthetic and real data) after its static check.',
      invoke: {
        id: 'validateStrategy',
        src: 'validateStrategy',
        input: stepInput,
        onDone: onVerdict('reviewing', ['trackTime']),
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'validating', reenter: true, actions: 'trackTime' } },
    },
    reviewing: {
      description: 'An independent advisor call reviews the validated candidate code.',
      invoke: {
        id: 'reviewStrategy',
        src: 'reviewStrategy',
        input: stepInput,
        onDone: onVerdict('backtesting', ['trackTime']),
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'reviewing', reenter: true, actions: 'trackTime' } },
    },
    backtesting: {
      description: 'Walk-forward backtest with out-of-sample folds, inside the sandbox runner.',
      invoke: {
        id: 'backtestStrategy',
        src: 'backtestStrategy',
        input: stepInput,
        onDone: onVerdict('shadowTesting', ['armShadowDeadline', 'startShadowTest']),
        onError: failOnError,
      },
      after: toTimedOut,
      on: { 'system.restored': { target: 'backtesting', reenter: true, actions: 'trackTime' } },
    },
    shadowTesting: {
      description: 'The candidate paper-trades beside the live strategy (the fund runs it); waiting for the verdict, a veto or a forced promotion.',
      after: { untilShadowDeadline: { target: 'inconclusive', actions: 'stopShadowTest' } },
      on: {
        'paperTest.completed': [
          { guard: 'hasPassedPromotionGate', target: 'promoting', actions: 'trackTime' },
          { guard: 'isShadowTestInconclusive', target: 'inconclusive' },
          { guard: 'isOwnCandidate', target: 'rejected' },
        ],
        'operator.vetoCandidate': { guard: 'isOwnCandidate', target: 'rejected', actions: 'vetoShadowTest' },
        'operator.forcePromotion': { guard: 'isConfirmedForce', target: 'promoting', actions: 'markForced' },
        'system.restored': { target: 'shadowTesting', reenter: true, actions: 'trackTime' },
      },
    },
    promoting: {
      description: 'The candidate becomes the live strategy (recorded and announced by the actor; `forced` when the operator skipped the gate).',
      invoke: {
        id: 'promoteStrategy',
        src: 'promoteStrategy',
        input: stepInput,
        onDone: {
          target: 'idle',
          actions: [{ type: 'recordOutcome', params: { outcome: 'promoted' } }, 'announceCycleOutcome', 'clearCycle'],
        },
        onError: failOnError,
      },
      on: { 'system.restored': { target: 'promoting', reenter: true, actions: 'trackTime' } },
    },
    noChange: outcomeState('noChange', 'Transient: the advisor decided not to change anything.'),
    rejected: outcomeState('rejected', 'Transient: the candidate was refused (validation, review, backtest, shadow test or operator veto).'),
    inconclusive: outcomeState('inconclusive', 'Transient: the shadow test had too few trades or ran out of time; the incumbent stays.'),
    budgetExhausted: outcomeState('budgetExhausted', "Transient: not enough of today's token budget left for a cycle (or a step's call was refused for budget)."),
    timedOut: outcomeState('timedOut', 'Transient: the cycle exceeded its window (or a step timed out); in-flight steps were cancelled.'),
    failed: outcomeState('failed', 'Transient: a step failed (an error of no budget/timeout kind, or a decision outside the closed set).'),
  },
});
