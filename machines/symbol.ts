/**
 * The symbol machine: one actor per configured trading pair, spawned by the fund.
 *
 *   warmingUp ──enough candles──▶ ready ──candle.closed──▶ evaluating ──done/failed/timeout──▶ ready
 *   warmingUp | ready ──no candle for staleAfterMs──▶ stale ──candle.closed──▶ warmingUp (→ ready)
 *   any ──operator.disable──▶ disabled ──operator.enable──▶ warmingUp
 *
 * It owns the position actors of its pair (one per tag; spawned on `position.opened`, events for
 * a tag forwarded to it, removed when the position closes). Positions are managed in every
 * state, including `disabled` and `stale`: exits and stops never wait for the strategy.
 *
 * A failed evaluation (sandbox crash, timeout, invalid output) is counted and the actor returns
 * to `ready`; it is never an actor failure. Deadlines (stale, evaluation timeout) are absolute
 * ms in context and re-armed by `system.restored` after a snapshot restore. Pure: imports only
 * xstate and domain; `evaluateStrategy` and the notification actions are placeholders.
 */
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { Intent, Signal } from '../domain/contract/index.ts';
import { describeError, failedChildId, nowAfter, remainingMs } from './common.ts';
import { type PositionEvent, type PositionOutput, positionMachine } from './position.ts';

/** Input of a symbol actor. */
export interface SymbolInput {
  /** Trading pair, e.g. 'BTC/USD'. */
  readonly symbol: string;
  /** Closed 5m candles needed before the strategy is asked (≥ 0). */
  readonly warmupCandles: number;
  /** Closed candles already in the store at start. */
  readonly candleCount: number;
  /** No new candle for this long (ms) means the data stopped: `stale`. */
  readonly staleAfterMs: number;
  /** Machine-side deadline for one evaluation, ms (defence in depth; the sandbox has its own). */
  readonly evaluationTimeoutMs: number;
  /** Start time, ms since epoch. */
  readonly nowMs: number;
}

/** Evaluation bookkeeping (JSON-safe). */
export interface EvaluationStats {
  /** Evaluations that returned signals (possibly none). */
  readonly succeeded: number;
  /** Evaluations that failed: crash, invalid output or timeout. */
  readonly failed: number;
  /** Candles that closed while an evaluation was still running (not evaluated). */
  readonly skipped: number;
  /** Signals returned by the last successful evaluation. */
  readonly lastSignalCount: number;
  readonly lastError: string | null;
}

/** Context of a symbol actor (JSON-safe). */
export interface SymbolContext {
  readonly symbol: string;
  readonly warmupCandles: number;
  readonly candleCount: number;
  readonly staleAfterMs: number;
  readonly evaluationTimeoutMs: number;
  /** Close time of the newest candle seen, ms (candles at or before it are duplicates). */
  readonly lastCandleCloseMs: number | null;
  /** Absolute deadline: stale if no new candle arrives by then. */
  readonly staleDeadlineMs: number;
  /** The evaluation in flight: its candle and absolute deadline. */
  readonly evaluation: { readonly candleCloseMs: number; readonly deadlineMs: number } | null;
  readonly stats: EvaluationStats;
  readonly disabledReason: string | null;
  /** Tags of the live position actors (child id `position:<tag>`). */
  readonly positions: readonly string[];
  /** Position actors that failed (stopped; the supervisor re-feeds them from the store). */
  readonly positionFaults: number;
  readonly nowMs: number;
}

/** Input given to the `evaluateStrategy` actor. */
export interface EvaluationInput {
  readonly symbol: string;
  /** Close time of the candle that triggered the evaluation, ms. */
  readonly candleCloseMs: number;
  readonly nowMs: number;
}

/** Output of the `evaluateStrategy` actor: validated signals and the completion time. */
export interface EvaluationResult {
  readonly nowMs: number;
  readonly signals: readonly Signal[];
}

/** Data needed to spawn a position actor (`position.opened`). Quantities/prices: decimal strings. */
export interface PositionOpenedEvent {
  readonly type: 'position.opened';
  readonly tag: string;
  readonly intent: Intent;
  readonly entryQuantity: string;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  readonly nowMs: number;
}

/** A position event addressed to the position with `tag`. */
export type TaggedPositionEvent = PositionEvent & { readonly tag: string };

/** Events a symbol actor accepts. */
export type SymbolEvent =
  | { type: 'candle.closed'; symbol: string; candleCloseMs: number; nowMs: number }
  | { type: 'operator.disable'; reason: string; nowMs: number }
  | { type: 'operator.enable'; nowMs: number }
  | { type: 'system.restored'; nowMs: number }
  | PositionOpenedEvent
  | TaggedPositionEvent
  // sent by XState itself when a position actor ends or fails
  | { type: `xstate.done.actor.${string}`; output: unknown }
  | { type: `xstate.error.actor.${string}`; error: unknown };

/** Events the supervisor may send (everything but the XState-generated ones). */
export type SymbolInboundEvent = Exclude<SymbolEvent, { type: `xstate.${string}` }>;

/** Event types forwarded to the position actor named by the event's `tag`. */
export const POSITION_EVENT_TYPES = [
  'order.partiallyFilled',
  'order.filled',
  'order.rejected',
  'order.canceled',
  'order.expired',
  'protection.placed',
  'protection.failed',
  'position.modify',
  'position.reduce',
  'position.close',
  'position.stopTriggered',
  'position.takeProfitTriggered',
] as const satisfies readonly PositionEvent['type'][];

/** Child id of the position actor for `tag`. */
export function positionActorId(tag: string): string {
  return `position:${tag}`;
}

/** Placeholder actors and actions the supervisor provides. */
export const SYMBOL_PLACEHOLDERS = {
  actors: ['evaluateStrategy'],
  actions: ['submitSignals', 'reportEvaluationFailure', 'alertSymbolStale', 'announceSymbolRecovered', 'alertPositionFault'],
  guards: [],
} as const;

const POSITION_PREFIX = 'position:';

function isTagged(event: SymbolEvent): event is TaggedPositionEvent {
  return (POSITION_EVENT_TYPES as readonly string[]).includes(event.type) && typeof (event as { tag?: unknown }).tag === 'string';
}

const forwardToPosition = {
  guard: 'hasPositionForTag',
  actions: 'forwardToPosition',
} as const;

/** The symbol machine definition (pure; see {@link SYMBOL_PLACEHOLDERS}). */
export const symbolMachine = setup({
  types: {} as {
    context: SymbolContext;
    events: SymbolEvent;
    input: SymbolInput;
  },
  actors: {
    evaluateStrategy: fromPromise<EvaluationResult, EvaluationInput>(async () => {
      throw new Error('not provided: evaluateStrategy');
    }),
    position: positionMachine,
  },
  actions: {
    submitSignals: () => {},
    reportEvaluationFailure: () => {},
    alertSymbolStale: () => {},
    announceSymbolRecovered: () => {},
    alertPositionFault: () => {},
    trackTime: assign({ nowMs: ({ context, event }) => nowAfter(context.nowMs, event) }),
    recordCandle: assign(({ context, event }) => {
      if (event.type !== 'candle.closed') return {};
      const nowMs = nowAfter(context.nowMs, event);
      return {
        candleCount: context.candleCount + 1,
        lastCandleCloseMs: event.candleCloseMs,
        staleDeadlineMs: nowMs + context.staleAfterMs,
        nowMs,
      };
    }),
    startEvaluation: assign(({ context }) => ({
      evaluation: {
        candleCloseMs: context.lastCandleCloseMs ?? context.nowMs,
        deadlineMs: context.nowMs + context.evaluationTimeoutMs,
      },
    })),
    countSkipped: assign(({ context }) => ({ stats: { ...context.stats, skipped: context.stats.skipped + 1 } })),
    recordEvaluationSuccess: assign(({ context, event }) => {
      const signals = (event as { output?: EvaluationResult }).output?.signals ?? [];
      return {
        evaluation: null,
        stats: { ...context.stats, succeeded: context.stats.succeeded + 1, lastSignalCount: signals.length },
        nowMs: nowAfter(context.nowMs, event),
      };
    }),
    recordEvaluationFailure: assign(({ context, event }) => {
      const error =
        'error' in event
          ? describeError((event as { error: unknown }).error)
          : `evaluation timed out after ${context.evaluationTimeoutMs} ms`;
      return {
        evaluation: null,
        stats: { ...context.stats, failed: context.stats.failed + 1, lastError: error },
        // A timeout fires at the deadline: time has moved on to it.
        nowMs: context.evaluation && !('error' in event) ? Math.max(context.nowMs, context.evaluation.deadlineMs) : nowAfter(context.nowMs, event),
      };
    }),
    dropEvaluation: assign(({ context, event }) => ({
      evaluation: null,
      stats: context.evaluation ? { ...context.stats, skipped: context.stats.skipped + 1 } : context.stats,
      nowMs: nowAfter(context.nowMs, event),
    })),
    markStale: assign(({ context }) => ({ nowMs: Math.max(context.nowMs, context.staleDeadlineMs) })),
    rearmStale: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return { nowMs, staleDeadlineMs: nowMs + context.staleAfterMs };
    }),
    disable: assign(({ context, event }) => ({
      disabledReason: event.type === 'operator.disable' ? event.reason : context.disabledReason,
      nowMs: nowAfter(context.nowMs, event),
    })),
    enable: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return { disabledReason: null, nowMs, staleDeadlineMs: nowMs + context.staleAfterMs };
    }),
    spawnPosition: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'position.opened') return;
      enqueue.spawnChild('position', {
        id: positionActorId(event.tag),
        input: {
          tag: event.tag,
          symbol: context.symbol,
          intent: event.intent,
          entryQuantity: event.entryQuantity,
          stopLoss: event.stopLoss,
          takeProfit: event.takeProfit,
          nowMs: event.nowMs,
        },
      });
      enqueue.assign({ positions: [...context.positions, event.tag], nowMs: nowAfter(context.nowMs, event) });
    }),
    forwardToPosition: enqueueActions(({ event, enqueue }) => {
      if (!isTagged(event)) return;
      const { tag, ...positionEvent } = event;
      enqueue.sendTo(positionActorId(tag), positionEvent as PositionEvent);
    }),
    removeClosedPosition: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as { output?: PositionOutput }).output;
      const tag = output?.tag ?? event.type.slice('xstate.done.actor.'.length + POSITION_PREFIX.length);
      enqueue.stopChild(positionActorId(tag));
      enqueue.assign({ positions: context.positions.filter((t) => t !== tag) });
    }),
    removeFailedPosition: enqueueActions(({ context, event, enqueue }) => {
      const id = failedChildId(event.type) ?? '';
      const tag = id.slice(POSITION_PREFIX.length);
      enqueue.stopChild(id);
      enqueue.assign({ positions: context.positions.filter((t) => t !== tag), positionFaults: context.positionFaults + 1 });
    }),
  },
  guards: {
    isOwnNewCandle: ({ context, event }) =>
      event.type === 'candle.closed' &&
      event.symbol === context.symbol &&
      (context.lastCandleCloseMs === null || event.candleCloseMs > context.lastCandleCloseMs),
    hasEnoughHistory: ({ context }) => context.candleCount >= context.warmupCandles,
    isNewPositionTag: ({ context, event }) => event.type === 'position.opened' && !context.positions.includes(event.tag),
    hasPositionForTag: ({ context, event }) => isTagged(event) && context.positions.includes(event.tag),
    isPositionChildEvent: ({ event }) =>
      event.type.startsWith(`xstate.done.actor.${POSITION_PREFIX}`) || event.type.startsWith(`xstate.error.actor.${POSITION_PREFIX}`),
  },
  delays: {
    untilStale: ({ context, event }) => remainingMs(context.staleDeadlineMs, nowAfter(context.nowMs, event)),
    untilEvaluationDeadline: ({ context, event }) =>
      remainingMs(context.evaluation?.deadlineMs ?? context.nowMs, nowAfter(context.nowMs, event)),
  },
}).createMachine({
  id: 'symbol',
  context: ({ input }) => {
    if (!(Number.isInteger(input.warmupCandles) && input.warmupCandles >= 0)) {
      throw new RangeError(`symbol ${input.symbol}: warmupCandles must be an integer ≥ 0, got ${input.warmupCandles}`);
    }
    if (!(input.staleAfterMs > 0) || !(input.evaluationTimeoutMs > 0)) {
      throw new RangeError(
        `symbol ${input.symbol}: staleAfterMs (${input.staleAfterMs}) and evaluationTimeoutMs (${input.evaluationTimeoutMs}) must be > 0`,
      );
    }
    return {
      symbol: input.symbol,
      warmupCandles: input.warmupCandles,
      candleCount: input.candleCount,
      staleAfterMs: input.staleAfterMs,
      evaluationTimeoutMs: input.evaluationTimeoutMs,
      lastCandleCloseMs: null,
      staleDeadlineMs: input.nowMs + input.staleAfterMs,
      evaluation: null,
      stats: { succeeded: 0, failed: 0, skipped: 0, lastSignalCount: 0, lastError: null },
      disabledReason: null,
      positions: [],
      positionFaults: 0,
      nowMs: input.nowMs,
    };
  },
  initial: 'warmingUp',
  on: {
    'position.opened': { guard: 'isNewPositionTag', actions: 'spawnPosition' },
    'order.partiallyFilled': forwardToPosition,
    'order.filled': forwardToPosition,
    'order.rejected': forwardToPosition,
    'order.canceled': forwardToPosition,
    'order.expired': forwardToPosition,
    'protection.placed': forwardToPosition,
    'protection.failed': forwardToPosition,
    'position.modify': forwardToPosition,
    'position.reduce': forwardToPosition,
    'position.close': forwardToPosition,
    'position.stopTriggered': forwardToPosition,
    'position.takeProfitTriggered': forwardToPosition,
    'xstate.done.actor.*': { guard: 'isPositionChildEvent', actions: 'removeClosedPosition' },
    // A position actor that fails is stopped and counted; the symbol keeps running and the
    // supervisor re-feeds the position from the store (alertPositionFault).
    'xstate.error.actor.*': { guard: 'isPositionChildEvent', actions: ['removeFailedPosition', 'alertPositionFault'] },
  },
  states: {
    warmingUp: {
      description: 'Not enough closed candles for the strategy yet.',
      always: { guard: 'hasEnoughHistory', target: 'ready' },
      after: { untilStale: { target: 'stale', actions: ['markStale', 'alertSymbolStale'] } },
      on: {
        'candle.closed': { guard: 'isOwnNewCandle', target: 'warmingUp', reenter: true, actions: 'recordCandle' },
        'operator.disable': { target: 'disabled', actions: 'disable' },
        'system.restored': { target: 'warmingUp', reenter: true, actions: 'trackTime' },
      },
    },
    ready: {
      description: 'Waiting for the next candle close.',
      after: { untilStale: { target: 'stale', actions: ['markStale', 'alertSymbolStale'] } },
      on: {
        'candle.closed': { guard: 'isOwnNewCandle', target: 'evaluating', actions: ['recordCandle', 'startEvaluation'] },
        'operator.disable': { target: 'disabled', actions: 'disable' },
        'system.restored': { target: 'ready', reenter: true, actions: 'trackTime' },
      },
    },
    evaluating: {
      description: 'The strategy is being asked (in the sandbox) about the candle that just closed.',
      invoke: {
        id: 'evaluateStrategy',
        src: 'evaluateStrategy',
        input: ({ context }) => ({
          symbol: context.symbol,
          candleCloseMs: context.evaluation?.candleCloseMs ?? context.nowMs,
          nowMs: context.nowMs,
        }),
        onDone: { target: 'ready', actions: ['recordEvaluationSuccess', 'submitSignals'] },
        onError: { target: 'ready', actions: ['recordEvaluationFailure', 'reportEvaluationFailure'] },
      },
      after: { untilEvaluationDeadline: { target: 'ready', actions: ['recordEvaluationFailure', 'reportEvaluationFailure'] } },
      on: {
        'candle.closed': { guard: 'isOwnNewCandle', actions: ['recordCandle', 'countSkipped'] },
        'operator.disable': { target: 'disabled', actions: ['dropEvaluation', 'disable'] },
        // After a restore the in-flight evaluation is dropped, not re-run: its signals could
        // otherwise be submitted twice.
        'system.restored': { target: 'ready', actions: 'dropEvaluation' },
      },
    },
    stale: {
      description: 'No candle for staleAfterMs: alerted; the strategy is not asked on old data.',
      on: {
        'candle.closed': { guard: 'isOwnNewCandle', target: 'warmingUp', actions: ['recordCandle', 'announceSymbolRecovered'] },
        'operator.disable': { target: 'disabled', actions: 'disable' },
        'system.restored': { actions: 'trackTime' },
      },
    },
    disabled: {
      description: 'Switched off (operator or configuration): no evaluations; positions are still managed.',
      on: {
        'candle.closed': { guard: 'isOwnNewCandle', actions: 'recordCandle' },
        'operator.enable': { target: 'warmingUp', actions: 'enable' },
        'system.restored': { actions: 'trackTime' },
      },
    },
  },
});
