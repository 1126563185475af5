/**
 * The fund machine: the root supervisor.
 *
 *   booting ─▶ restoring ─▶ reconciling ─▶ running ─▶ stopping ─▶ stopped (final)
 *   (each startup phase retries with backoff, then) ─▶ faulted
 *
 * `running` is parallel:
 * - `trading`: active | paused | halted | reducing — a projection of context (see
 *   {@link deriveTradingState}): halted ⇐ `halt` set (risk breach, kill switch, operator, system,
 *   failed rollback; only `operator.resume` clears it); paused ⇐ operator pause or no usable
 *   strategy (exits and stops are still managed); reducing ⇐ daily loss limit (exits only,
 *   until the daily reset); otherwise active. Legal commands per state: {@link FUND_COMMAND_TABLE}.
 * - `strategy`: live | fallback (loaded from the DB copy) | rollingBack (invokes
 *   `revertStrategy`) | none (no valid strategy ⇒ trading paused) | failed (the rollback failed
 *   or there was nothing to revert to ⇒ trading halted).
 * - `paperTest`: idle | running | passed | failed | inconclusive, with an absolute deadline.
 * - `feed`: connecting | live | stale | reconnecting | lost (alerted; keeps retrying).
 * - `health`: healthy | degraded (a supervised child gave up after its restart budget).
 *
 * Children spawned on entering `running`: one `symbol` actor per configured symbol
 * (`symbol:<pair>`), the `orchestrator` and the `scheduler`. Any `xstate.error.actor.*` is
 * handled: the failed child is stopped and respawned after an exponential backoff while the
 * restart budget lasts (policy in context), then marked degraded and alerted. Nothing escalates.
 *
 * Restart and recovery are one path: the supervisor restores a persisted snapshot and sends
 * `system.restored { nowMs }`; from `running` that goes back through `restoring` and
 * `reconciling` (context — halt, pause, strategy, paper test, children — is kept), and every
 * absolute deadline is re-armed. A graceful stop ends in `stopped`, whose output
 * ({@link FundCarryOver}) seeds the next run's input.
 *
 * Time: every external event carries `nowMs` (the supervisor stamps it from the injected
 * clock); placeholder actor outputs carry `nowMs` too. Pure: imports only xstate and domain.
 */
import { type AnyEventObject, type SnapshotFrom, assign, enqueueActions, fromPromise, setup } from 'xstate';
import { fromString, toString } from '../domain/money/index.ts';
import {
  assertPolicy,
  backoffDelayMs,
  describeError,
  failedChildId,
  nowAfter,
  recentRestarts,
  remainingMs,
} from './common.ts';
import { type OrchestratorInput, orchestratorMachine } from './orchestrator.ts';
import { type SchedulerInput, schedulerMachine } from './scheduler.ts';
import { type SymbolInput, symbolMachine } from './symbol.ts';

export type * from './fund-types.ts';
import type {
  HaltSource,
  HaltRecord,
  StrategySource,
  StrategyStatus,
  RollbackRecord,
  StrategyState,
  PaperTestStatus,
  PaperTestState,
  FeedState,
  ChildKind,
  ChildRecord,
  PhaseState,
  SymbolSpec,
  FeedPolicy,
  FundCarryOver,
  FundInput,
  FundContext,
  PhaseInput,
  BootResult,
  RestoreResult,
  ReconcileResult,
  RevertInput,
  RevertResult,
  ShutdownInput,
  ShutdownResult,
  FundEvent,
  ChildErrorEvent,
  FundCommand,
  FundInboundEvent,
  TradingState,
} from './fund-types.ts';

/** Finished rollbacks kept in context. */
export const ROLLBACK_HISTORY = 20;

/** Ids of the fund's own invoked actors (their errors are handled by their states). */
export const FUND_INVOKE_IDS = ['boot', 'restore', 'reconcile', 'revertStrategy', 'shutdown'] as const;

/** Child id of the symbol actor for `symbol`. */
export function symbolActorId(symbol: string): string {
  return `symbol:${symbol}`;
}

/** Placeholder actors and actions the supervisor provides (`fundMachine.provide(...)`). */
export const FUND_PLACEHOLDERS = {
  actors: ['boot', 'restore', 'reconcile', 'revertStrategy', 'shutdown', 'symbol', 'orchestrator', 'scheduler'],
  actions: [
    'announceOnline',
    'announceHalt',
    'announceResume',
    'announcePaused',
    'closeAllPositions',
    'announceRollback',
    'announceRollbackFailed',
    'announcePaperTestResult',
    'connectFeed',
    'alertFeedStale',
    'alertFeedLost',
    'announceFeedRecovered',
    'announceChildRestarted',
    'alertChildDegraded',
    'alertUnexpectedChildError',
    'alertFaulted',
  ],
  guards: ['isPaperTestProfitable'],
} as const;

/**
 * Which commands each trading state accepts while running (everything else is refused;
 * `snapshot.can(event)` is the runtime truth, tested against this table).
 */
export const FUND_COMMAND_TABLE: Readonly<Record<TradingState, readonly FundCommand['type'][]>> = Object.freeze({
  active: ['operator.pause', 'operator.halt', 'operator.kill', 'system.halt', 'system.stop'],
  // operator.resume only when the pause is the operator's (a missing strategy cannot be resumed away);
  // operator.pause only when the pause is not already the operator's.
  paused: ['operator.pause', 'operator.resume', 'operator.halt', 'operator.kill', 'system.halt', 'system.stop'],
  halted: ['operator.resume', 'operator.kill', 'system.stop'],
  reducing: ['operator.pause', 'operator.halt', 'operator.kill', 'system.halt', 'system.stop'],
});

/** True when the strategy can produce signals (trading may be active). */
export function isStrategyUsable(strategy: StrategyState): boolean {
  return strategy.status === 'live' || strategy.status === 'fallback';
}

/**
 * The trading state implied by the context — the rule the `trading` region follows (pure):
 * halted ⇐ halt; paused ⇐ operator pause or no usable strategy; reducing ⇐ daily loss lock.
 */
export function deriveTradingState(context: Pick<FundContext, 'halt' | 'pausedByOperator' | 'dailyLossLock' | 'strategy'>): TradingState {
  if (context.halt !== null) return 'halted';
  if (context.pausedByOperator || !isStrategyUsable(context.strategy)) return 'paused';
  if (context.dailyLossLock) return 'reducing';
  return 'active';
}

// ───────────────────────────── helpers ─────────────────────────────

const EMPTY_PAPER_TEST: PaperTestState = {
  status: 'idle',
  candidateVersion: null,
  startedAtMs: null,
  deadlineMs: null,
  trades: 0,
  pnl: '0',
  concludedAtMs: null,
};

function eventReason(event: AnyEventObject, fallback: string): string {
  const e = event as { reason?: unknown; trigger?: unknown; error?: unknown };
  if (typeof e.reason === 'string') return e.reason;
  if (typeof e.trigger === 'string') return e.trigger;
  if ('error' in e) return describeError(e.error);
  return fallback;
}

const HALT_REASON_FALLBACK: Record<HaltSource, string> = {
  risk: 'risk limit breached',
  operator: 'operator halt',
  killSwitch: 'kill switch: all positions closed',
  system: 'system halt',
  rollbackFailed: 'strategy rollback failed',
};

/** The halt source implied by each halting event. */
const HALT_SOURCE_OF_EVENT: Readonly<Record<string, HaltSource>> = {
  'operator.halt': 'operator',
  'operator.kill': 'killSwitch',
  'system.halt': 'system',
  'risk.haltTriggered': 'risk',
};

/** The paper test's verdict at its deadline (time moves to the deadline that fired). */
function concludePaperTest(context: FundContext, status: 'passed' | 'failed' | 'inconclusive'): Partial<FundContext> {
  const nowMs = Math.max(context.nowMs, context.paperTest.deadlineMs ?? context.nowMs);
  return { nowMs, paperTest: { ...context.paperTest, status, concludedAtMs: nowMs } };
}

// ───────────────────────────── machine ─────────────────────────────

/** Event types on which the `trading` region re-derives its state from context. */
const STRATEGY_CHANGES = [
  'strategy.loaded',
  'strategy.invalidated',
  'risk.rollbackTriggered',
  'xstate.done.actor.revertStrategy',
  'xstate.error.actor.revertStrategy',
] as const;

const reResolve = { target: 'resolving' } as const;
const strategyChanges = Object.fromEntries(STRATEGY_CHANGES.map((t) => [t, reResolve])) as Record<
  (typeof STRATEGY_CHANGES)[number],
  typeof reResolve
>;

const RESTORED = ['trackTime', 'rearmChildRestarts'] as const;

/** The fund machine definition (pure; see {@link FUND_PLACEHOLDERS}). */
export const fundMachine = setup({
  types: {} as {
    context: FundContext;
    events: FundEvent;
    input: FundInput;
    output: FundCarryOver;
  },
  actors: {
    boot: fromPromise<BootResult, PhaseInput>(async () => {
      throw new Error('not provided: boot');
    }),
    restore: fromPromise<RestoreResult, PhaseInput>(async () => {
      throw new Error('not provided: restore');
    }),
    reconcile: fromPromise<ReconcileResult, PhaseInput>(async () => {
      throw new Error('not provided: reconcile');
    }),
    revertStrategy: fromPromise<RevertResult, RevertInput>(async () => {
      throw new Error('not provided: revertStrategy');
    }),
    shutdown: fromPromise<ShutdownResult, ShutdownInput>(async () => {
      throw new Error('not provided: shutdown');
    }),
    symbol: symbolMachine,
    orchestrator: orchestratorMachine,
    scheduler: schedulerMachine,
  },
  actions: {
    // placeholders (the supervisor provides them; they read the context after this transition)
    announceOnline: () => {},
    announceHalt: () => {},
    announceResume: () => {},
    announcePaused: () => {},
    closeAllPositions: () => {},
    announceRollback: () => {},
    announceRollbackFailed: () => {},
    announcePaperTestResult: () => {},
    connectFeed: () => {},
    alertFeedStale: () => {},
    alertFeedLost: () => {},
    announceFeedRecovered: () => {},
    announceChildRestarted: () => {},
    alertChildDegraded: () => {},
    alertUnexpectedChildError: () => {},
    alertFaulted: () => {},

    trackTime: assign({ nowMs: ({ context, event }) => nowAfter(context.nowMs, event) }),

    // startup phases
    resetPhase: assign(({ context, event }) => ({
      phase: { attempts: 0, retryAtMs: null, lastError: null },
      nowMs: nowAfter(context.nowMs, event),
    })),
    recordPhaseFailure: assign(({ context, event }) => {
      const delay = backoffDelayMs(context.startup, context.phase.attempts);
      return {
        phase: {
          attempts: context.phase.attempts + 1,
          retryAtMs: context.nowMs + delay,
          lastError: eventReason(event, 'startup phase failed'),
        },
      };
    }),
    /** The retry timer fired: time has reached the retry deadline. */
    advanceToRetryAt: assign(({ context }) => ({ nowMs: Math.max(context.nowMs, context.phase.retryAtMs ?? context.nowMs) })),
    recordFault: assign(({ context, event }) => ({ fault: eventReason(event, context.phase.lastError ?? 'fault') })),
    applyRestore: assign(({ context, event }) => {
      const out = (event as { output?: RestoreResult }).output;
      if (!out) return {};
      const carried = context.strategy;
      const strategy: StrategyState =
        carried.status === 'rollingBack'
          ? carried // an interrupted rollback resumes; the restore does not override it
          : out.strategy === null
            ? { ...carried, status: 'none', version: null, source: null, problem: 'no valid strategy found at restore' }
            : {
                ...carried,
                status: out.strategy.source === 'file' ? 'live' : 'fallback',
                version: out.strategy.version,
                source: out.strategy.source,
                previousVersion: out.previousVersion,
                problem: carried.status === 'failed' ? carried.problem : null,
              };
      return {
        nowMs: nowAfter(context.nowMs, event),
        strategy: carried.status === 'failed' ? { ...strategy, status: 'failed' } : strategy,
        childSpecs: out.symbols === null ? context.childSpecs : { ...context.childSpecs, symbols: out.symbols },
      };
    }),
    applyReconcile: enqueueActions(({ context, event, enqueue }) => {
      const out = (event as { output?: ReconcileResult }).output;
      const nowMs = nowAfter(context.nowMs, event);
      enqueue.assign({ nowMs });
      if (out?.halt && context.halt === null) {
        enqueue.assign({ halt: { source: 'system', reason: out.halt.reason, sinceMs: nowMs } });
        enqueue('announceHalt');
      }
    }),

    // trading
    setHalt: enqueueActions(({ context, event, enqueue }) => {
      const nowMs = nowAfter(context.nowMs, event);
      enqueue.assign({ nowMs });
      if (context.halt !== null) return; // the first cause stays on record
      const source = HALT_SOURCE_OF_EVENT[event.type] ?? 'system';
      enqueue.assign({ halt: { source, reason: eventReason(event, HALT_REASON_FALLBACK[source]), sinceMs: nowMs } });
      enqueue('announceHalt');
    }),
    clearHaltAndPause: assign(({ context, event }) => ({
      halt: null,
      pausedByOperator: false,
      nowMs: nowAfter(context.nowMs, event),
    })),
    setPausedByOperator: assign(({ context, event }) => ({ pausedByOperator: true, nowMs: nowAfter(context.nowMs, event) })),
    lockEntries: assign(({ context, event }) => ({ dailyLossLock: true, nowMs: nowAfter(context.nowMs, event) })),
    unlockEntries: assign(({ context, event }) => ({ dailyLossLock: false, nowMs: nowAfter(context.nowMs, event) })),

    // strategy
    applyLoaded: assign(({ context, event }) => {
      if (event.type !== 'strategy.loaded') return {};
      return {
        nowMs: nowAfter(context.nowMs, event),
        strategy: {
          ...context.strategy,
          status: event.source === 'file' ? 'live' : 'fallback',
          version: event.version,
          source: event.source,
          previousVersion: event.previousVersion ?? context.strategy.previousVersion,
          problem: null,
        },
      };
    }),
    invalidateStrategy: assign(({ context, event }) => ({
      nowMs: nowAfter(context.nowMs, event),
      strategy: { ...context.strategy, status: 'none', problem: eventReason(event, 'strategy invalidated') },
    })),
    beginRollback: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return {
        nowMs,
        strategy: {
          ...context.strategy,
          status: 'rollingBack',
          rollback: {
            trigger: eventReason(event, 'rollback trigger'),
            fromVersion: context.strategy.version ?? '',
            toVersion: context.strategy.previousVersion,
            startedAtMs: nowMs,
            endedAtMs: null,
            ok: null,
            error: null,
          },
        },
      };
    }),
    completeRollback: assign(({ context, event }) => {
      const out = (event as { output?: RevertResult }).output;
      const nowMs = nowAfter(context.nowMs, event);
      const s = context.strategy;
      if (!out || !s.rollback) return { nowMs };
      const record: RollbackRecord = { ...s.rollback, toVersion: out.version, endedAtMs: nowMs, ok: true };
      return {
        nowMs,
        strategy: {
          status: out.source === 'file' ? 'live' : 'fallback',
          version: out.version,
          source: out.source,
          previousVersion: out.previousVersion,
          rollback: null,
          history: [...s.history, record].slice(-ROLLBACK_HISTORY),
          problem: null,
        },
      };
    }),
    failStrategy: enqueueActions(({ context, event, enqueue }) => {
      const nowMs = nowAfter(context.nowMs, event);
      const s = context.strategy;
      const error =
        event.type === 'risk.rollbackTriggered'
          ? `rollback trigger '${eventReason(event, 'rollback')}' fired but there is no previous version to revert to`
          : `rollback of ${s.rollback?.fromVersion ?? s.version ?? 'the strategy'} failed: ${eventReason(event, 'unknown error')}`;
      const record: RollbackRecord = s.rollback
        ? { ...s.rollback, endedAtMs: nowMs, ok: false, error }
        : {
            trigger: eventReason(event, 'rollback trigger'),
            fromVersion: s.version ?? '',
            toVersion: null,
            startedAtMs: nowMs,
            endedAtMs: nowMs,
            ok: false,
            error,
          };
      enqueue.assign({
        nowMs,
        strategy: { ...s, status: 'failed', rollback: null, history: [...s.history, record].slice(-ROLLBACK_HISTORY), problem: error },
      });
      if (context.halt === null) {
        enqueue.assign({ halt: { source: 'rollbackFailed', reason: error, sinceMs: nowMs } });
        enqueue('announceHalt');
      }
    }),

    // paper test
    startPaperTest: assign(({ context, event }) => {
      if (event.type !== 'paperTest.started') return {};
      const nowMs = nowAfter(context.nowMs, event);
      return {
        nowMs,
        paperTest: {
          status: 'running',
          candidateVersion: event.candidateVersion,
          startedAtMs: nowMs,
          deadlineMs: nowMs + event.durationMs,
          trades: 0,
          pnl: '0',
          concludedAtMs: null,
        },
      };
    }),
    recordPaperTrade: assign(({ context, event }) => {
      if (event.type !== 'paperTest.tradeClosed') return {};
      return {
        nowMs: nowAfter(context.nowMs, event),
        paperTest: {
          ...context.paperTest,
          trades: context.paperTest.trades + 1,
          pnl: toString(fromString(context.paperTest.pnl) + fromString(event.pnl)),
        },
      };
    }),
    concludePaperTestPassed: assign(({ context }) => concludePaperTest(context, 'passed')),
    concludePaperTestFailed: assign(({ context }) => concludePaperTest(context, 'failed')),
    concludePaperTestInconclusive: assign(({ context }) => concludePaperTest(context, 'inconclusive')),
    cancelPaperTest: assign(({ context, event }) => ({ nowMs: nowAfter(context.nowMs, event), paperTest: EMPTY_PAPER_TEST })),

    // feed
    recordFeedConnected: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return {
        nowMs,
        feed: { attempts: 0, lastMessageMs: nowMs, staleCheckAtMs: nowMs + context.feedPolicy.staleAfterMs, lostSinceMs: null, lastError: null },
      };
    }),
    recordFeedMessage: assign(({ context, event }) => {
      const nowMs = nowAfter(context.nowMs, event);
      return { nowMs, feed: { ...context.feed, lastMessageMs: nowMs } };
    }),
    rearmFeedStaleCheck: assign(({ context }) => {
      const nowMs = Math.max(context.nowMs, context.feed.staleCheckAtMs ?? context.nowMs);
      const last = context.feed.lastMessageMs ?? nowMs;
      return { nowMs, feed: { ...context.feed, staleCheckAtMs: last + context.feedPolicy.staleAfterMs } };
    }),
    markFeedStale: assign(({ context }) => ({ nowMs: Math.max(context.nowMs, context.feed.staleCheckAtMs ?? context.nowMs) })),
    recordFeedFailure: assign(({ context, event }) => ({
      nowMs: nowAfter(context.nowMs, event),
      feed: {
        ...context.feed,
        attempts: context.feed.attempts + 1,
        lastError: event.type.startsWith('xstate.after.')
          ? `no feed data within ${context.feedPolicy.staleAfterMs} ms`
          : eventReason(event, 'feed disconnected'),
      },
    })),
    markFeedLost: assign(({ context }) => ({ feed: { ...context.feed, lostSinceMs: context.nowMs } })),

    // supervision of spawned children
    syncChildren: enqueueActions(({ context, enqueue }) => {
      const wanted = new Map<string, { kind: ChildKind; symbol: string | null }>();
      for (const s of context.childSpecs.symbols) wanted.set(symbolActorId(s.symbol), { kind: 'symbol', symbol: s.symbol });
      wanted.set('orchestrator', { kind: 'orchestrator', symbol: null });
      wanted.set('scheduler', { kind: 'scheduler', symbol: null });
      const children: Record<string, ChildRecord> = { ...context.children };
      for (const id of Object.keys(children)) {
        if (!wanted.has(id)) {
          enqueue.stopChild(id); // a symbol removed from the configuration
          delete children[id];
        }
      }
      for (const [id, w] of wanted) {
        if (children[id]) continue;
        const req = spawnRequest(context, w.kind, w.symbol);
        if (req?.src === 'symbol') enqueue.spawnChild('symbol', { id, input: req.input });
        else if (req?.src === 'orchestrator') enqueue.spawnChild('orchestrator', { id, input: req.input });
        else if (req?.src === 'scheduler') enqueue.spawnChild('scheduler', { id, input: req.input });
        children[id] = { kind: w.kind, symbol: w.symbol, status: 'running', restartTimesMs: [], restartAtMs: null, lastError: null };
      }
      enqueue.assign({ children });
    }),
    stopAllChildren: enqueueActions(({ context, enqueue }) => {
      for (const id of Object.keys(context.children)) enqueue.stopChild(id);
    }),
    scheduleChildRestart: enqueueActions(({ context, event, enqueue }) => {
      const id = failedChildId(event.type);
      const rec = id === undefined ? undefined : context.children[id];
      if (id === undefined || !rec) return;
      const nowMs = context.nowMs;
      const recent = recentRestarts(rec.restartTimesMs, context.supervision, nowMs);
      const delay = backoffDelayMs(context.supervision, recent.length);
      enqueue.stopChild(id);
      enqueue.assign({
        children: {
          ...context.children,
          [id]: { ...rec, status: 'restarting', restartTimesMs: [...recent, nowMs], restartAtMs: nowMs + delay, lastError: eventReason(event, 'failed') },
        },
      });
      enqueue.raise({ type: 'supervision.restartDue', childId: id }, { id: `restart:${id}`, delay });
    }),
    degradeChild: enqueueActions(({ context, event, enqueue }) => {
      const id = failedChildId(event.type);
      const rec = id === undefined ? undefined : context.children[id];
      if (id === undefined || !rec) return;
      enqueue.stopChild(id);
      enqueue.assign({
        children: { ...context.children, [id]: { ...rec, status: 'degraded', restartAtMs: null, lastError: eventReason(event, 'failed') } },
      });
      enqueue('alertChildDegraded');
    }),
    restartChild: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'supervision.restartDue') return;
      const rec = context.children[event.childId];
      if (!rec || rec.status !== 'restarting') return;
      const nowMs = Math.max(context.nowMs, rec.restartAtMs ?? context.nowMs);
      enqueue.assign({ nowMs, children: { ...context.children, [event.childId]: { ...rec, status: 'running', restartAtMs: null } } });
      const req = spawnRequest({ ...context, nowMs }, rec.kind, rec.symbol);
      const id = event.childId;
      if (req?.src === 'symbol') enqueue.spawnChild('symbol', { id, input: req.input });
      else if (req?.src === 'orchestrator') enqueue.spawnChild('orchestrator', { id, input: req.input });
      else if (req?.src === 'scheduler') enqueue.spawnChild('scheduler', { id, input: req.input });
      enqueue('announceChildRestarted');
    }),
    rearmChildRestarts: enqueueActions(({ context, event, enqueue }) => {
      // Delayed events are lost on restore: re-raise pending restarts; a process restart also
      // gives degraded children a fresh budget.
      const nowMs = nowAfter(context.nowMs, event);
      const children: Record<string, ChildRecord> = { ...context.children };
      for (const [id, rec] of Object.entries(context.children)) {
        if (rec.status === 'running') continue;
        const restartAtMs = rec.status === 'degraded' ? nowMs : (rec.restartAtMs ?? nowMs);
        children[id] = { ...rec, status: 'restarting', restartAtMs, restartTimesMs: rec.status === 'degraded' ? [] : rec.restartTimesMs };
        enqueue.raise({ type: 'supervision.restartDue', childId: id }, { id: `restart:${id}`, delay: remainingMs(restartAtMs, nowMs) });
      }
      enqueue.assign({ children, nowMs });
    }),
    recordUnexpectedChildError: assign(({ context, event }) => ({
      unexpectedErrors: context.unexpectedErrors + 1,
      fault: `unexpected failure of child '${failedChildId(event.type) ?? event.type}': ${eventReason(event, 'unknown error')}`,
    })),
    recordStopReason: assign(({ context, event }) => ({
      stopReason: eventReason(event, 'stop requested'),
      nowMs: nowAfter(context.nowMs, event),
    })),
  },
  guards: {
    canRetryPhase: ({ context }) => context.phase.attempts < context.startup.maxRestarts,
    hasHalt: ({ context }) => context.halt !== null,
    hasNoHalt: ({ context }) => context.halt === null,
    isPausedByOperator: ({ context }) => context.pausedByOperator,
    canPause: ({ context }) => !context.pausedByOperator && context.halt === null,
    isTradingPaused: ({ context }) => context.pausedByOperator || !isStrategyUsable(context.strategy),
    hasDailyLossLock: ({ context }) => context.dailyLossLock,
    strategyStatusIs: ({ context }, params: { status: StrategyStatus }) => context.strategy.status === params.status,
    hasPreviousStrategyVersion: ({ context }) =>
      context.strategy.previousVersion !== null && context.strategy.previousVersion !== context.strategy.version,
    paperTestStatusIs: ({ context }, params: { status: PaperTestStatus }) => context.paperTest.status === params.status,
    isCandidateTrade: ({ context, event }) =>
      event.type === 'paperTest.tradeClosed' && event.candidateVersion === context.paperTest.candidateVersion,
    isValidPaperTestStart: ({ event }) => event.type === 'paperTest.started' && event.durationMs > 0,
    hasTooFewPaperTrades: ({ context }) => context.paperTest.trades < context.minPaperTestTrades,
    /** Placeholder gate (the supervisor may provide a statistical one): realized paper P&L ≥ 0. */
    isPaperTestProfitable: ({ context }) => fromString(context.paperTest.pnl) >= 0n,
    isFeedSilent: ({ context }) =>
      (context.feed.lastMessageMs ?? Number.NEGATIVE_INFINITY) + context.feedPolicy.staleAfterMs <=
      (context.feed.staleCheckAtMs ?? context.nowMs),
    /** This failure reaches the lost threshold and the outage was not alerted yet. */
    isFeedLostNow: ({ context }) =>
      context.feed.lostSinceMs === null && context.feed.attempts + 1 >= context.feedPolicy.lostAfterAttempts,
    wasFeedLost: ({ context }) => context.feed.lostSinceMs !== null,
    isSupervisedChild: ({ context, event }) => {
      const id = failedChildId(event.type);
      return id !== undefined && context.children[id]?.status === 'running';
    },
    isSupervisedChildAtCap: ({ context, event }) => {
      const id = failedChildId(event.type);
      const rec = id === undefined ? undefined : context.children[id];
      return (
        rec !== undefined &&
        rec.status === 'running' &&
        recentRestarts(rec.restartTimesMs, context.supervision, context.nowMs).length >= context.supervision.maxRestarts
      );
    },
    isUnknownChildError: ({ context, event }) => {
      const id = failedChildId(event.type);
      return id !== undefined && context.children[id] === undefined && !(FUND_INVOKE_IDS as readonly string[]).includes(id);
    },
    hasDegradedChild: ({ context }) => Object.values(context.children).some((c) => c.status === 'degraded'),
    isRestartDue: ({ context, event }) =>
      event.type === 'supervision.restartDue' && context.children[event.childId]?.status === 'restarting',
  },
  delays: {
    phaseRetryDelay: ({ context, event }) => remainingMs(context.phase.retryAtMs ?? context.nowMs, nowAfter(context.nowMs, event)),
    untilPaperTestDeadline: ({ context, event }) =>
      remainingMs(context.paperTest.deadlineMs ?? context.nowMs, nowAfter(context.nowMs, event)),
    untilFeedStaleCheck: ({ context, event }) =>
      remainingMs(context.feed.staleCheckAtMs ?? context.nowMs, nowAfter(context.nowMs, event)),
    feedStaleTimeout: ({ context }) => context.feedPolicy.staleAfterMs,
    feedConnectTimeout: ({ context }) => context.feedPolicy.staleAfterMs,
    feedReconnectDelay: ({ context }) => backoffDelayMs(context.feedPolicy.reconnect, Math.max(0, context.feed.attempts - 1)),
  },
}).createMachine({
  id: 'fund',
  context: ({ input }) => buildContext(input),
  initial: 'booting',
  output: ({ context }) => ({
    halt: context.halt,
    pausedByOperator: context.pausedByOperator,
    dailyLossLock: context.dailyLossLock,
    strategy: { version: context.strategy.version, source: context.strategy.source, previousVersion: context.strategy.previousVersion },
    paperTest: context.paperTest,
  }),
  on: {
    // Supervision (root level, so it also applies while restoring/reconciling after a restore).
    'xstate.error.actor.*': [
      { guard: 'isSupervisedChildAtCap', actions: 'degradeChild' },
      { guard: 'isSupervisedChild', actions: 'scheduleChildRestart' },
      { guard: 'isUnknownChildError', actions: ['recordUnexpectedChildError', 'alertUnexpectedChildError'] },
      // An error of one of the fund's own invokes is handled by the state that invoked it; this
      // empty fallback only guarantees that no error event can ever go unhandled.
      {},
    ],
    'supervision.restartDue': { guard: 'isRestartDue', actions: 'restartChild' },
    'clock.ticked': { actions: 'trackTime' },
  },
  states: {
    booting: {
      description: 'PID lock, configuration, database and migrations (the boot actor).',
      initial: 'working',
      on: startupCommands(),
      states: {
        working: {
          invoke: {
            id: 'boot',
            src: 'boot',
            input: phaseInput,
            onDone: { target: '#fund.restoring', actions: 'resetPhase' },
            onError: phaseFailure(),
          },
          on: { 'system.restored': { actions: [...RESTORED] } },
        },
        retrying: {
          description: 'Waiting (backoff in context) before the next boot attempt.',
          after: { phaseRetryDelay: { target: 'working', actions: 'advanceToRetryAt' } },
          on: { 'system.restored': { target: 'retrying', reenter: true, actions: [...RESTORED] } },
        },
      },
    },
    restoring: {
      description: 'Snapshots and strategy: loads the strategy file, or its DB copy (fallback), or none.',
      initial: 'working',
      on: startupCommands(),
      states: {
        working: {
          invoke: {
            id: 'restore',
            src: 'restore',
            input: phaseInput,
            onDone: { target: '#fund.reconciling', actions: ['applyRestore', 'resetPhase'] },
            onError: phaseFailure(),
          },
          on: { 'system.restored': { actions: [...RESTORED] } },
        },
        retrying: {
          description: 'Waiting (backoff in context) before the next restore attempt.',
          after: { phaseRetryDelay: { target: 'working', actions: 'advanceToRetryAt' } },
          on: { 'system.restored': { target: 'retrying', reenter: true, actions: [...RESTORED] } },
        },
      },
    },
    reconciling: {
      description: 'Orders, fills and balances against the venue; halt re-evaluated against the current limits.',
      initial: 'working',
      on: startupCommands(),
      states: {
        working: {
          invoke: {
            id: 'reconcile',
            src: 'reconcile',
            input: phaseInput,
            onDone: { target: '#fund.running', actions: ['applyReconcile', 'resetPhase', 'announceOnline'] },
            onError: phaseFailure(),
          },
          on: { 'system.restored': { actions: [...RESTORED] } },
        },
        retrying: {
          description: 'Waiting (backoff in context) before the next reconcile attempt.',
          after: { phaseRetryDelay: { target: 'working', actions: 'advanceToRetryAt' } },
          on: { 'system.restored': { target: 'retrying', reenter: true, actions: [...RESTORED] } },
        },
      },
    },
    running: {
      description: 'Trading. Children (symbols, orchestrator, scheduler) are spawned on entry if missing.',
      type: 'parallel',
      entry: 'syncChildren',
      on: {
        'system.stop': { target: 'stopping', actions: 'recordStopReason' },
        // Restart and recovery are one path: back through restoring and reconciling.
        'system.restored': { target: 'restoring', actions: [...RESTORED] },
      },
      states: {
        trading: {
          initial: 'resolving',
          states: {
            resolving: {
              description: 'Transient: the trading state follows from context (halt, pause, strategy, daily loss lock).',
              always: [
                { guard: 'hasHalt', target: 'halted' },
                { guard: 'isTradingPaused', target: 'paused' },
                { guard: 'hasDailyLossLock', target: 'reducing' },
                { target: 'active' },
              ],
            },
            active: {
              description: 'Entries and exits allowed.',
              on: {
                'operator.pause': { target: 'resolving', actions: ['setPausedByOperator', 'announcePaused'] },
                'operator.halt': { target: 'resolving', actions: 'setHalt' },
                'system.halt': { target: 'resolving', actions: 'setHalt' },
                'risk.haltTriggered': { target: 'resolving', actions: 'setHalt' },
                'operator.kill': {
                  target: 'resolving',
                  actions: ['setHalt', 'closeAllPositions'],
                },
                'risk.dailyLossLimitReached': { target: 'resolving', actions: 'lockEntries' },
                ...strategyChanges,
              },
            },
            paused: {
              description: 'No new entries (operator pause, or no usable strategy); exits and stops still managed.',
              on: {
                'operator.pause': { guard: 'canPause', actions: ['setPausedByOperator', 'announcePaused'] },
                'operator.resume': { guard: 'isPausedByOperator', target: 'resolving', actions: ['clearHaltAndPause', 'announceResume'] },
                'operator.halt': { target: 'resolving', actions: 'setHalt' },
                'system.halt': { target: 'resolving', actions: 'setHalt' },
                'risk.haltTriggered': { target: 'resolving', actions: 'setHalt' },
                'operator.kill': {
                  target: 'resolving',
                  actions: ['setHalt', 'closeAllPositions'],
                },
                'risk.dailyLossLimitReached': { actions: 'lockEntries' },
                'schedule.dailyResetDue': { actions: 'unlockEntries' },
                ...strategyChanges,
              },
            },
            halted: {
              description: 'Risk breach, kill switch or halt command: nothing new opens. Only operator.resume leaves.',
              on: {
                'operator.resume': { target: 'resolving', actions: ['clearHaltAndPause', 'announceResume'] },
                // A kill while halted still closes everything.
                'operator.kill': { actions: 'closeAllPositions' },
                'risk.dailyLossLimitReached': { actions: 'lockEntries' },
                'schedule.dailyResetDue': { actions: 'unlockEntries' },
              },
            },
            reducing: {
              description: 'Daily loss limit reached: exits only, until the daily reset.',
              on: {
                'operator.pause': { target: 'resolving', actions: ['setPausedByOperator', 'announcePaused'] },
                'operator.halt': { target: 'resolving', actions: 'setHalt' },
                'system.halt': { target: 'resolving', actions: 'setHalt' },
                'risk.haltTriggered': { target: 'resolving', actions: 'setHalt' },
                'operator.kill': {
                  target: 'resolving',
                  actions: ['setHalt', 'closeAllPositions'],
                },
                'schedule.dailyResetDue': { target: 'resolving', actions: 'unlockEntries' },
                ...strategyChanges,
              },
            },
          },
        },
        strategy: {
          initial: 'resolving',
          states: {
            resolving: {
              description: 'Transient: the strategy state follows from context.',
              always: [
                { guard: { type: 'strategyStatusIs', params: { status: 'rollingBack' } }, target: 'rollingBack' },
                { guard: { type: 'strategyStatusIs', params: { status: 'failed' } }, target: 'failed' },
                { guard: { type: 'strategyStatusIs', params: { status: 'none' } }, target: 'none' },
                { guard: { type: 'strategyStatusIs', params: { status: 'fallback' } }, target: 'fallback' },
                { target: 'live' },
              ],
            },
            live: {
              description: 'The strategy file is loaded and valid.',
              on: {
                'strategy.loaded': { target: 'resolving', actions: 'applyLoaded' },
                'strategy.invalidated': { target: 'none', actions: 'invalidateStrategy' },
                'risk.rollbackTriggered': [
                  { guard: 'hasPreviousStrategyVersion', target: 'rollingBack', actions: 'beginRollback' },
                  { target: 'failed', actions: ['failStrategy', 'announceRollbackFailed'] },
                ],
              },
            },
            fallback: {
              description: 'Running the copy stored in the database (the file was missing or invalid).',
              on: {
                'strategy.loaded': { target: 'resolving', actions: 'applyLoaded' },
                'strategy.invalidated': { target: 'none', actions: 'invalidateStrategy' },
                'risk.rollbackTriggered': [
                  { guard: 'hasPreviousStrategyVersion', target: 'rollingBack', actions: 'beginRollback' },
                  { target: 'failed', actions: ['failStrategy', 'announceRollbackFailed'] },
                ],
              },
            },
            rollingBack: {
              description: 'A rollback trigger fired: reverting to the previous version, for real (recorded, announced).',
              invoke: {
                id: 'revertStrategy',
                src: 'revertStrategy',
                input: ({ context }) => ({
                  fromVersion: context.strategy.rollback?.fromVersion ?? context.strategy.version ?? '',
                  toVersion: context.strategy.rollback?.toVersion ?? context.strategy.previousVersion ?? '',
                  trigger: context.strategy.rollback?.trigger ?? 'rollback',
                  nowMs: context.nowMs,
                }),
                onDone: { target: 'resolving', actions: ['completeRollback', 'announceRollback'] },
                onError: { target: 'failed', actions: ['failStrategy', 'announceRollbackFailed'] },
              },
            },
            none: {
              description: 'No valid strategy: trading is paused until one is loaded.',
              on: { 'strategy.loaded': { target: 'resolving', actions: 'applyLoaded' } },
            },
            failed: {
              description: 'Rollback failed or impossible: trading halted until the operator resumes; a load replaces the strategy.',
              on: { 'strategy.loaded': { target: 'resolving', actions: 'applyLoaded' } },
            },
          },
        },
        paperTest: {
          initial: 'resolving',
          states: {
            resolving: {
              description: 'Transient: the paper-test state follows from context (deadline re-armed).',
              always: [
                { guard: { type: 'paperTestStatusIs', params: { status: 'running' } }, target: 'running' },
                { guard: { type: 'paperTestStatusIs', params: { status: 'passed' } }, target: 'passed' },
                { guard: { type: 'paperTestStatusIs', params: { status: 'failed' } }, target: 'failed' },
                { guard: { type: 'paperTestStatusIs', params: { status: 'inconclusive' } }, target: 'inconclusive' },
                { target: 'idle' },
              ],
            },
            idle: {
              description: 'No candidate under test.',
              on: { 'paperTest.started': { guard: 'isValidPaperTestStart', target: 'running', actions: 'startPaperTest' } },
            },
            running: {
              description: 'A candidate paper-trades beside the live strategy until its absolute deadline.',
              after: {
                untilPaperTestDeadline: [
                  {
                    guard: 'hasTooFewPaperTrades',
                    target: 'inconclusive',
                    actions: ['concludePaperTestInconclusive', 'announcePaperTestResult'],
                  },
                  {
                    guard: 'isPaperTestProfitable',
                    target: 'passed',
                    actions: ['concludePaperTestPassed', 'announcePaperTestResult'],
                  },
                  { target: 'failed', actions: ['concludePaperTestFailed', 'announcePaperTestResult'] },
                ],
              },
              on: {
                'paperTest.tradeClosed': { guard: 'isCandidateTrade', actions: 'recordPaperTrade' },
                'paperTest.canceled': { target: 'idle', actions: 'cancelPaperTest' },
              },
            },
            passed: {
              description: 'Enough trades and the paper gate passed.',
              on: { 'paperTest.started': { guard: 'isValidPaperTestStart', target: 'running', actions: 'startPaperTest' } },
            },
            failed: {
              description: 'Enough trades but the paper gate failed.',
              on: { 'paperTest.started': { guard: 'isValidPaperTestStart', target: 'running', actions: 'startPaperTest' } },
            },
            inconclusive: {
              description: 'Deadline reached with fewer than minPaperTestTrades trades: the incumbent stays.',
              on: { 'paperTest.started': { guard: 'isValidPaperTestStart', target: 'running', actions: 'startPaperTest' } },
            },
          },
        },
        feed: {
          initial: 'connecting',
          states: {
            connecting: {
              description: 'Asking the feed adapter to connect (connectFeed).',
              entry: 'connectFeed',
              after: { feedConnectTimeout: connectFailure() },
              on: {
                'feed.connected': [
                  { guard: 'wasFeedLost', target: 'live', actions: ['recordFeedConnected', 'announceFeedRecovered'] },
                  { target: 'live', actions: 'recordFeedConnected' },
                ],
                'feed.disconnected': connectFailure(),
              },
            },
            live: {
              description: 'Data is flowing; a stale check fires staleAfterMs after the last message.',
              after: {
                untilFeedStaleCheck: [
                  { guard: 'isFeedSilent', target: 'stale', actions: ['markFeedStale', 'alertFeedStale'] },
                  { target: 'live', reenter: true, actions: 'rearmFeedStaleCheck' },
                ],
              },
              on: {
                'feed.messageReceived': { actions: 'recordFeedMessage' },
                'feed.disconnected': connectionFailure(),
              },
            },
            stale: {
              description: 'Connected but silent: alerted; reconnects if still silent after staleAfterMs.',
              after: { feedStaleTimeout: connectionFailure() },
              on: {
                'feed.messageReceived': { target: 'live', actions: ['recordFeedMessage', 'rearmFeedStaleCheck'] },
                'feed.disconnected': connectionFailure(),
              },
            },
            reconnecting: {
              description: 'Backing off (delay from context) before the next connection attempt.',
              after: { feedReconnectDelay: 'connecting' },
              on: { 'feed.connected': { target: 'live', actions: 'recordFeedConnected' } },
            },
            lost: {
              description: 'Too many failed attempts: alerted once; keeps retrying with backoff.',
              initial: 'waiting',
              on: { 'feed.connected': { target: 'live', actions: ['recordFeedConnected', 'announceFeedRecovered'] } },
              states: {
                waiting: { after: { feedReconnectDelay: 'trying' } },
                trying: {
                  entry: 'connectFeed',
                  after: { feedConnectTimeout: { target: 'waiting', actions: 'recordFeedFailure' } },
                  on: { 'feed.disconnected': { target: 'waiting', actions: 'recordFeedFailure' } },
                },
              },
            },
          },
        },
        health: {
          initial: 'resolving',
          states: {
            resolving: {
              description: 'Transient: degraded if any supervised child gave up.',
              always: [{ guard: 'hasDegradedChild', target: 'degraded' }, { target: 'healthy' }],
            },
            healthy: {
              description: 'Every supervised child is running or restarting within its budget.',
              // A matching region transition pre-empts the root handler (XState consults a parallel
              // state's ancestors only when no region handles the event), so this one does the
              // bookkeeping too. Below the cap, nothing matches here and the root schedules a restart.
              on: { 'xstate.error.actor.*': { guard: 'isSupervisedChildAtCap', target: 'degraded', actions: 'degradeChild' } },
            },
            degraded: {
              description: 'A child exhausted its restart budget: alerted; the fund keeps running without it.',
            },
          },
        },
      },
    },
    stopping: {
      description: 'Graceful shutdown: children stopped, state saved, venue left consistent (the shutdown actor).',
      entry: 'stopAllChildren',
      invoke: {
        id: 'shutdown',
        src: 'shutdown',
        input: ({ context }) => ({ reason: context.stopReason ?? 'stop requested', nowMs: context.nowMs }),
        onDone: { target: 'stopped', actions: 'trackTime' },
        onError: { target: 'stopped', actions: ['recordFault', 'alertFaulted'] },
      },
      on: { 'system.restored': { actions: 'trackTime' } },
    },
    stopped: {
      description: 'Final. The output (halt, pause, strategy, paper test) seeds the next run.',
      type: 'final',
    },
    faulted: {
      description: 'A startup phase failed after its retries: alerted; waits for a stop or a restore.',
      on: {
        'system.stop': { target: 'stopping', actions: 'recordStopReason' },
        'system.restored': { target: 'booting', actions: ['resetPhase', ...RESTORED] },
      },
    },
  },
});

/** The fund machine type. */
export type FundMachine = typeof fundMachine;
/** A fund snapshot. */
export type FundSnapshot = SnapshotFrom<FundMachine>;

// ───────────────────────────── builders ─────────────────────────────

function phaseInput({ context }: { context: FundContext }): PhaseInput {
  return {
    nowMs: context.nowMs,
    attempt: context.phase.attempts,
    halt: context.halt,
    strategyVersion: context.strategy.version,
  };
}

function phaseFailure() {
  return [
    { guard: 'canRetryPhase', target: 'retrying', actions: ['trackTime', 'recordPhaseFailure'] },
    { target: '#fund.faulted', actions: ['trackTime', 'recordFault', 'alertFaulted'] },
  ] as const;
}

/** A failed connection attempt: reconnect with backoff, or `lost` once the threshold is reached. */
function connectFailure() {
  return [
    { guard: 'isFeedLostNow', target: '#fund.running.feed.lost', actions: ['recordFeedFailure', 'markFeedLost', 'alertFeedLost'] },
    // Still lost from before a restore: back to lost without a second alert.
    { guard: 'wasFeedLost', target: '#fund.running.feed.lost', actions: 'recordFeedFailure' },
    { target: '#fund.running.feed.reconnecting', actions: 'recordFeedFailure' },
  ] as const;
}

/** A connected feed failed (a connection resets the attempt count and the lost mark). */
function connectionFailure() {
  return [
    { guard: 'isFeedLostNow', target: '#fund.running.feed.lost', actions: ['recordFeedFailure', 'markFeedLost', 'alertFeedLost'] },
    { target: '#fund.running.feed.reconnecting', actions: 'recordFeedFailure' },
  ] as const;
}

/** Commands accepted while starting: halts and pause are recorded, the stop is honoured. */
function startupCommands() {
  return {
    'system.stop': { target: '#fund.stopping', actions: 'recordStopReason' },
    'operator.halt': { guard: 'hasNoHalt', actions: 'setHalt' },
    'system.halt': { guard: 'hasNoHalt', actions: 'setHalt' },
    'risk.haltTriggered': { guard: 'hasNoHalt', actions: 'setHalt' },
    'operator.pause': { guard: 'canPause', actions: ['setPausedByOperator', 'announcePaused'] },
    'risk.dailyLossLimitReached': { actions: 'lockEntries' },
    'schedule.dailyResetDue': { actions: 'unlockEntries' },
  } as const;
}

/** What to spawn for a supervised child (null when its symbol left the configuration). */
type SpawnRequest =
  | { readonly src: 'symbol'; readonly input: SymbolInput }
  | { readonly src: 'orchestrator'; readonly input: OrchestratorInput }
  | { readonly src: 'scheduler'; readonly input: SchedulerInput };

function spawnRequest(context: FundContext, kind: ChildKind, symbol: string | null): SpawnRequest | null {
  const nowMs = context.nowMs;
  if (kind === 'symbol') {
    const spec = context.childSpecs.symbols.find((s) => s.symbol === symbol);
    return spec ? { src: 'symbol', input: { ...spec, nowMs } } : null;
  }
  if (kind === 'orchestrator') return { src: 'orchestrator', input: { ...context.childSpecs.orchestrator, nowMs } };
  return { src: 'scheduler', input: { ...context.childSpecs.scheduler, nowMs } };
}

function buildContext(input: FundInput): FundContext {
  assertPolicy('supervision', input.supervision);
  assertPolicy('startup', input.startup);
  assertPolicy('feed.reconnect', input.feed.reconnect);
  if (!(input.feed.staleAfterMs > 0)) throw new RangeError(`feed.staleAfterMs must be > 0, got ${input.feed.staleAfterMs}`);
  if (!(Number.isInteger(input.feed.lostAfterAttempts) && input.feed.lostAfterAttempts >= 1)) {
    throw new RangeError(`feed.lostAfterAttempts must be an integer ≥ 1, got ${input.feed.lostAfterAttempts}`);
  }
  if (!(Number.isInteger(input.minPaperTestTrades) && input.minPaperTestTrades >= 1)) {
    throw new RangeError(`minPaperTestTrades must be an integer ≥ 1, got ${input.minPaperTestTrades}`);
  }
  const seen = new Set<string>();
  for (const s of input.symbols) {
    if (seen.has(s.symbol)) throw new RangeError(`symbols: '${s.symbol}' is configured twice`);
    seen.add(s.symbol);
  }
  const carry = input.carryOver;
  const version = carry?.strategy.version ?? null;
  return {
    nowMs: input.nowMs,
    childSpecs: { symbols: input.symbols, orchestrator: input.orchestrator, scheduler: input.scheduler },
    supervision: input.supervision,
    startup: input.startup,
    feedPolicy: input.feed,
    minPaperTestTrades: input.minPaperTestTrades,
    phase: { attempts: 0, retryAtMs: null, lastError: null },
    halt: carry?.halt ?? null,
    pausedByOperator: carry?.pausedByOperator ?? false,
    dailyLossLock: carry?.dailyLossLock ?? false,
    strategy: {
      status: 'none',
      version,
      source: carry?.strategy.source ?? null,
      previousVersion: carry?.strategy.previousVersion ?? null,
      rollback: null,
      history: [],
      problem: version === null ? 'not loaded yet' : null,
    },
    paperTest: carry?.paperTest ?? EMPTY_PAPER_TEST,
    feed: { attempts: 0, lastMessageMs: null, staleCheckAtMs: null, lostSinceMs: null, lastError: null },
    children: {},
    unexpectedErrors: 0,
    fault: null,
    stopReason: null,
  };
}

// ───────────────────────────── operator surface helper ─────────────────────────────

/**
 * Why `command` would be refused in `snapshot`, or null when it is accepted (`snapshot.can`).
 * Pure; the operator surface replies with this text plus the current state.
 */
export function explainFundRefusal(snapshot: FundSnapshot, command: FundCommand): string | null {
  if (snapshot.can(command)) return null;
  const ctx = snapshot.context;
  if (snapshot.status !== 'active') return `the fund is ${snapshot.status}; it accepts no commands`;
  if (!snapshot.matches('running')) {
    const phase = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0];
    if (command.type === 'operator.halt' || command.type === 'system.halt') return `already halted: ${ctx.halt?.reason ?? ''}`.trim();
    if (command.type === 'operator.pause') return ctx.halt ? `trading is halted (${ctx.halt.reason}); pausing adds nothing` : 'already paused';
    return `the fund is ${phase}; ${command.type} is accepted only while running`;
  }
  const trading = deriveTradingState(ctx);
  switch (command.type) {
    case 'operator.resume':
      if (trading === 'active') return 'trading is already active';
      if (trading === 'reducing') return 'entries are blocked by the daily loss limit until the daily reset; there is nothing to resume';
      if (trading === 'paused' && !ctx.pausedByOperator) {
        return `trading is paused because no usable strategy is loaded (strategy ${ctx.strategy.status}${ctx.strategy.problem ? `: ${ctx.strategy.problem}` : ''})`;
      }
      return `operator.resume is not accepted while trading is ${trading}`;
    case 'operator.pause':
      if (trading === 'halted') return `trading is halted (${ctx.halt?.reason ?? ''}); only operator.resume leaves halted`;
      return 'already paused';
    case 'operator.halt':
    case 'system.halt':
      return `already halted (${ctx.halt?.source ?? ''}: ${ctx.halt?.reason ?? ''})`;
    default:
      return `${command.type} is not accepted while trading is ${trading}`;
  }
}
