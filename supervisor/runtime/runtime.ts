/**
 * The actor runtime: the root `fund` actor with its supervised children (one `symbol` actor per
 * pair, each owning its `position` actors; the `orchestrator`; the `scheduler`), with every
 * placeholder of the pure machines provided here, and the {@link FundEngine} bridged in.
 *
 * - Restart = restore + reconcile + resume, one path: the persisted fund snapshot (which holds the
 *   children's) is restored and told `system.restored`, which re-arms every absolute deadline
 *   and walks back through `restoring` (the strategy is reloaded with its saved state) and
 *   `reconciling` (books vs store, startup halt re-evaluated). A snapshot of a graceful stop
 *   (`stopped`) seeds a fresh actor through its carry-over (halt, pause, strategy, paper test).
 * - Persist, then act: the engine commits books, rows and this actor snapshot in one transaction
 *   per step; notifications go out after.
 * - Nothing thrown inside an actor reaches the process: child errors are supervised by the fund
 *   machine; an error that still escapes the root is reported and the fund keeps its state.
 */
import { type Actor, type AnyActorLogic, type InspectionEvent, createActor, waitFor } from 'xstate';
import {
  createBootActor,
  createEvaluateStrategyActor,
  createReconcileActor,
  createRestoreActor,
  createRevertStrategyActor,
  createShutdownActor,
} from '../../actors/index.ts';
import type { Repositories } from '../../adapters/libsql/index.ts';
import { notifierEvent } from '../../domain/events/index.ts';
import type { NotifierEvent } from '../../domain/events/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { toString } from '../../domain/money/index.ts';
import type { PipelineEvent, PipelineState } from '../../domain/pipeline/index.ts';
import type { Notifier } from '../../domain/ports/index.ts';
import { HALT_CLEARS_AT_NEW_DAY, evaluateStartupHalt } from '../../domain/risk/index.ts';
import { nextLocalMidnight, nextLocalTime } from '../../domain/time/index.ts';
import {
  type EvaluationResult,
  type FundCarryOver,
  type FundInboundEvent,
  type FundInput,
  type FundSnapshot,
  type SchedulerCalendar,
  createSchedulerMachine,
  deriveTradingState,
  fundMachine,
  orchestratorMachine,
  positionActorId,
  positionMachine,
  symbolActorId,
  symbolMachine,
} from '../../machines/index.ts';
import { type ActiveStrategy, activateVersion, loadActiveStrategy, previousVersion, registerVersion } from '../../strategies/loader/index.ts';
import type { ActorBridge, EntryGate, EvaluationOutcome, FundEngine } from './engine.ts';

/** Version of the persisted fund snapshot's shape; a stored snapshot of another version is not restored. */
export const FUND_SNAPSHOT_VERSION = 1;

/** The injected clock: XState's timer interface plus `now()` (real in paper/live, simulated in sim and tests). */
export interface RuntimeClock {
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

/** The strategy the fund should run (resolved by the `restore` phase). */
export interface StrategySourceOptions {
  /** Strategy file to prefer (null: use the deployed database copy). */
  readonly filePath: string | null;
  /** Seed code registered as the first version when the store has none (the bundled v001). */
  readonly seed: { readonly code: string; readonly filename: string; readonly description: string } | null;
}

/** How the runtime is composed (chosen by the composition roots in supervisor/{paper,live,sim}). */
export interface RuntimeOptions {
  readonly mode: 'paper' | 'live';
  readonly engine: FundEngine;
  readonly repos: Repositories;
  readonly bus: Notifier;
  readonly clock: RuntimeClock;
  readonly input: FundInput;
  readonly strategy: StrategySourceOptions;
  readonly timeZone: string;
  /** Calendar of the scheduler's local-time jobs (default: built from `timeZone`). */
  readonly calendar?: SchedulerCalendar;
  /** The application version for `system.online`. */
  readonly appVersion: string;
  /** Called when the feed should (re)connect; the composition root answers with `feed.connected` / `feed.disconnected`. */
  readonly connectFeed?: (runtime: FundRuntime) => void;
  /** Scheduler jobs (`schedule.scanDue`, …) for the composition root (real-time feeds poll on scanDue). */
  readonly onSchedule?: (type: string, nowMs: number) => void;
  /** The orchestrator and its candidate desk (supervisor/orchestrator); without it the orchestrator actor is the inert machine. */
  readonly orchestrator?: OrchestratorExtension;
  /** Inspection sink (`brain start --inspect`). */
  readonly inspect?: (event: InspectionEvent) => void;
  /** Non-fatal problems, for the log. */
  readonly report?: (problem: { kind: string; detail: string; nowMs: number }) => void;
}

/**
 * How the orchestrator plugs into the runtime: its machine logic (with implementations provided),
 * a hook after every committed market step (candidate shadow books trade on the same candles;
 * returns fund events such as `paperTest.tradeClosed` to deliver), and the scheduler's jobs
 * (`schedule.orchestrationDue` starts a cycle). Hooks must not throw; a throw is reported, never
 * propagated into the fund.
 */
export interface OrchestratorExtension {
  readonly logic: AnyActorLogic;
  onStep?(nowMs: number, stepCandles: readonly (Candle | null)[], symbols: readonly string[]): Promise<readonly FundInboundEvent[]> | readonly FundInboundEvent[];
  onSchedule?(type: string, nowMs: number, orchestrator: { send(event: unknown): void } | undefined): void;
}

interface Deferred {
  readonly promise: Promise<EvaluationResult>;
  resolve(value: EvaluationResult): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: (v: EvaluationResult) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<EvaluationResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // An evaluation the symbol actor dropped (restore, disable) must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

interface ChildRef {
  send(event: unknown): void;
  getSnapshot(): { value: unknown; status: string; context: unknown; children: Record<string, unknown>; matches(v: string): boolean };
  on?(type: string, handler: (event: { type: string; nowMs?: number }) => void): { unsubscribe(): void };
}

/** The scheduler calendar for the configured zone (DST-correct local times from domain/time). */
export function zoneCalendar(timeZone: string, at: { orchestration: [number, number]; maintenance: [number, number]; weekly: [number, number, number] }): SchedulerCalendar {
  return {
    nextLocalMidnight: (nowMs) => nextLocalMidnight(nowMs, timeZone),
    nextOrchestrationWindow: (nowMs) => nextLocalTime(nowMs, timeZone, at.orchestration[0], at.orchestration[1]),
    nextDataMaintenance: (nowMs) => nextLocalTime(nowMs, timeZone, at.maintenance[0], at.maintenance[1]),
    nextWeeklyReport: (nowMs) => {
      // The next local `weekday` at hh:mm: step day by day from the next occurrence of hh:mm.
      let t = nextLocalTime(nowMs, timeZone, at.weekly[1], at.weekly[2]);
      for (let i = 0; i < 8; i++) {
        const weekday = new Date(t + 12 * 3_600_000).getUTCDay();
        if (weekday === at.weekly[0]) return t;
        t = nextLocalTime(t, timeZone, at.weekly[1], at.weekly[2]);
      }
      return t;
    },
  };
}

/** The running actor system (see module doc). */
export class FundRuntime implements ActorBridge {
  readonly actor: Actor<typeof fundMachine>;
  private readonly pending = new Map<string, Deferred>();
  private readonly scanResults = new Map<string, boolean>();
  private readonly errors: unknown[] = [];
  private schedulerRef: unknown = null;
  private schedulerSubs: { unsubscribe(): void }[] = [];
  private commands: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: RuntimeOptions) {
    const machine = this.provideMachine();
    const stored = o.repos.actorSnapshots.get('fund');
    let snapshot: unknown;
    let input = o.input;
    if (stored && stored.snapshotVersion === FUND_SNAPSHOT_VERSION) {
      const persisted = JSON.parse(stored.snapshot) as { status?: string; output?: FundCarryOver };
      if (persisted.status === 'done' && persisted.output) input = { ...o.input, carryOver: persisted.output };
      else if (persisted.status === 'active') snapshot = persisted;
    }
    this.actor = createActor(machine, {
      input: { ...input, nowMs: o.clock.now() },
      clock: o.clock as never,
      ...(snapshot === undefined ? {} : { snapshot: snapshot as never }),
      ...(o.inspect ? { inspect: o.inspect } : {}),
    });
    this.actor.subscribe({
      next: (s) => this.watchChildren(s),
      error: (err) => {
        this.errors.push(err);
        o.report?.({ kind: 'fund.error', detail: String(err), nowMs: o.clock.now() });
      },
    });
    this.restoredFromSnapshot = snapshot !== undefined;
    o.engine.attach(this);
  }

  private readonly restoredFromSnapshot: boolean;

  /** Starts the actor system and resolves once the fund is `running` (or `faulted`). */
  async start(): Promise<FundSnapshot> {
    this.actor.start();
    if (this.restoredFromSnapshot) this.actor.send({ type: 'system.restored', nowMs: this.o.clock.now() });
    const reached = (await waitFor(this.actor, (s) => s.matches('running') || s.matches('faulted') || s.status !== 'active', { timeout: Infinity })) as FundSnapshot;
    if (reached.matches('running')) this.syncPositionActors(this.o.engine.books());
    return this.snapshot();
  }

  /** Sends an operator/system event stamped with the clock's now. */
  send(event: { type: string; [k: string]: unknown }): void {
    this.actor.send({ nowMs: this.o.clock.now(), ...event } as never);
  }

  /** The fund's snapshot. */
  snapshot(): FundSnapshot {
    return this.actor.getSnapshot() as FundSnapshot;
  }

  /** The same, under the name the operator surface's `FundHandle` uses. */
  getSnapshot(): FundSnapshot {
    return this.snapshot();
  }

  /** Operator commands that touch the books (kill, close) queue here; await to see them done. */
  idle(): Promise<unknown> {
    return this.commands;
  }

  /** Errors that escaped the root actor (must stay empty; the invariant suite checks it). */
  escapedErrors(): readonly unknown[] {
    return this.errors;
  }

  /**
   * Deploys `version` (already activated in the store, e.g. by a promotion): loads it into the
   * engine and tells the fund (`strategy.loaded`). Queued behind running commands; a version that
   * does not load is reported and the fund keeps its strategy.
   */
  deployStrategy(version: string): Promise<unknown> {
    this.queue(async () => {
      const nowMs = this.o.clock.now();
      const active = loadActiveStrategy({ filePath: null, repos: this.o.repos });
      if (active.kind !== 'loaded' || active.version !== version) {
        this.o.report?.({ kind: 'strategy.deployFailed', detail: `${version} is not the deployed version in the store (${active.kind === 'loaded' ? active.version : active.reasons.join('; ')})`, nowMs });
        return;
      }
      const loaded = await this.o.engine.loadStrategy({ version, code: active.code });
      if (!loaded.ok) {
        this.o.report?.({ kind: 'strategy.deployFailed', detail: `${version} did not load: ${loaded.reason}`, nowMs });
        return;
      }
      this.send({ type: 'strategy.loaded', version, source: 'db', previousVersion: previousVersion(this.o.repos)?.version ?? null });
    });
    return this.commands;
  }

  /** Graceful stop: `system.stop`, the shutdown phase, the final snapshot persisted. Protective orders stay. */
  async stop(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commands;
    this.send({ type: 'system.stop', reason });
    await waitFor(this.actor, (s) => s.status !== 'active', { timeout: 30_000 }).catch(() => undefined);
    this.persistSnapshot(this.o.clock.now());
    for (const s of this.schedulerSubs) s.unsubscribe();
    this.actor.stop();
  }

  // ---------------------------------------------------------------- ActorBridge

  beginScan(nowMs: number, symbols: readonly string[]): readonly string[] {
    this.scanResults.clear();
    // Market data arrived: the feed region's stale check measures from here.
    this.actor.send({ type: 'feed.messageReceived', nowMs });
    const evaluating: string[] = [];
    for (const symbol of symbols) {
      const ref = this.child(symbolActorId(symbol));
      if (!ref) continue;
      const d = deferred();
      this.pending.set(symbol, d);
      ref.send({ type: 'candle.closed', symbol, candleCloseMs: nowMs, nowMs });
      if (ref.getSnapshot().matches('evaluating')) evaluating.push(symbol);
      else this.pending.delete(symbol);
    }
    return evaluating;
  }

  async finishScan(outcomes: ReadonlyMap<string, EvaluationOutcome>): Promise<ReadonlySet<string>> {
    const nowMs = this.o.clock.now();
    const waits: Promise<unknown>[] = [];
    for (const [symbol, outcome] of outcomes) {
      const d = this.pending.get(symbol);
      if (!d) continue;
      this.pending.delete(symbol);
      if (outcome.ok) d.resolve({ nowMs, signals: outcome.signals });
      else d.reject(new Error(outcome.reason));
      const ref = this.child(symbolActorId(symbol));
      if (ref) waits.push(waitFor(ref as never, (s: { matches(v: string): boolean }) => !s.matches('evaluating'), { timeout: Infinity }).catch(() => undefined));
    }
    await Promise.all(waits);
    return new Set([...this.scanResults].filter(([, ok]) => ok).map(([s]) => s));
  }

  entryGate(): EntryGate {
    const snapshot = this.snapshot();
    if (!snapshot.matches('running')) return { ok: false, state: 'notRunning', reason: `entries are refused while the fund is not running (${JSON.stringify(snapshot.value)})` };
    const trading = deriveTradingState(snapshot.context);
    if (trading === 'active') return { ok: true };
    const ctx = this.snapshot().context;
    const why = ctx.halt ? `halted (${ctx.halt.source}: ${ctx.halt.reason})` : trading === 'paused' ? (ctx.pausedByOperator ? 'paused by the operator' : `paused: ${ctx.strategy.problem ?? 'no usable strategy'}`) : trading === 'reducing' ? 'reducing: the daily loss limit was reached; exits only until the daily reset' : `not running (${trading})`;
    return { ok: false, state: trading, reason: `entries are refused while trading is ${why}` };
  }

  applyEvents(events: readonly PipelineEvent[], state: PipelineState): void {
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!;
      if (e.type === 'position.opened') {
        const p = state.ledger.positions.find((x) => x.tag === e.tag);
        const fill = events.slice(0, k).reverse().find((x) => x.type === 'order.filled' && x.fill.side === 'buy' && x.symbol === e.symbol);
        const ref = this.child(symbolActorId(e.symbol));
        if (!ref || !p || fill?.type !== 'order.filled') continue;
        ref.send({
          type: 'position.opened',
          tag: e.tag,
          intent: p.intent,
          entryQuantity: toString(fill.fill.qty),
          stopLoss: p.stopLoss === null ? null : toString(p.stopLoss),
          takeProfit: p.takeProfit === null ? null : toString(p.takeProfit),
          nowMs: e.tsMs,
        });
        ref.send({ type: 'order.filled', tag: e.tag, role: 'entry', quantity: toString(fill.fill.qty), price: toString(fill.fill.price), nowMs: e.tsMs });
      } else if (e.type === 'position.modified') {
        const p = state.ledger.positions.find((x) => x.tag === e.tag);
        const ref = this.child(symbolActorId(e.symbol));
        if (!ref || !p) continue;
        ref.send({ type: 'position.modify', tag: e.tag, stopLoss: p.stopLoss === null ? null : toString(p.stopLoss), takeProfit: p.takeProfit === null ? null : toString(p.takeProfit), intent: p.intent, nowMs: e.tsMs });
      } else if (e.type === 'position.closed') {
        const t = e.trade;
        const ref = this.child(symbolActorId(t.symbol));
        if (!ref) continue;
        const price = toString(t.exitPrice);
        if (t.closeReason === 'stop_loss') ref.send({ type: 'position.stopTriggered', tag: t.tag, price, nowMs: e.tsMs });
        else if (t.closeReason === 'take_profit') ref.send({ type: 'position.takeProfitTriggered', tag: t.tag, price, nowMs: e.tsMs });
        else if (e.fullyClosed) ref.send({ type: 'position.close', tag: t.tag, reason: t.closeReason === 'emergency' ? 'emergency' : 'signal', nowMs: e.tsMs });
        else ref.send({ type: 'position.reduce', tag: t.tag, quantity: toString(t.qty), reason: 'signal', nowMs: e.tsMs });
        ref.send({ type: 'order.filled', tag: t.tag, role: 'exit', quantity: toString(t.qty), price, nowMs: e.tsMs });
      } else if (e.type === 'risk.halted') {
        if (HALT_CLEARS_AT_NEW_DAY[e.halt.kind]) this.actor.send({ type: 'risk.dailyLossLimitReached', reason: e.halt.reason, nowMs: e.tsMs });
        else this.actor.send({ type: 'risk.haltTriggered', reason: e.halt.reason, nowMs: e.tsMs });
      } else if (e.type === 'strategy.rollbackRequested') {
        this.actor.send({ type: 'risk.rollbackTriggered', trigger: e.rollback.reason, nowMs: e.tsMs });
      }
    }
    this.syncPositionActors(state);
  }

  /**
   * Makes the position actors match the books: a position the books hold but no actor tracks (a
   * graceful restart, a respawned symbol actor) gets its actor back, opened and protected; an
   * actor whose position the books no longer hold is closed. The books are the truth.
   */
  syncPositionActors(state: PipelineState): void {
    const nowMs = this.o.clock.now();
    for (const symbol of this.o.engine.config.symbols) {
      const ref = this.child(symbolActorId(symbol));
      if (!ref) continue;
      const actors = new Set(Object.keys(ref.getSnapshot().children).filter((id) => id.startsWith('position:')).map((id) => id.slice('position:'.length)));
      const held = state.ledger.positions.filter((p) => p.symbol === symbol);
      for (const p of held) {
        if (actors.has(p.tag)) continue;
        const quantity = toString(p.qty);
        ref.send({ type: 'position.opened', tag: p.tag, intent: p.intent, entryQuantity: quantity, stopLoss: p.stopLoss === null ? null : toString(p.stopLoss), takeProfit: p.takeProfit === null ? null : toString(p.takeProfit), nowMs });
        ref.send({ type: 'order.filled', tag: p.tag, role: 'entry', quantity, price: toString(p.lastPrice), nowMs });
      }
      for (const tag of actors) {
        if (held.some((p) => p.tag === tag)) continue;
        const ctx = (ref.getSnapshot().children[positionActorId(tag)] as ChildRef | undefined)?.getSnapshot().context as { held?: string } | undefined;
        ref.send({ type: 'position.close', tag, reason: 'signal', nowMs });
        if (ctx?.held && ctx.held !== '0') ref.send({ type: 'order.filled', tag, role: 'exit', quantity: ctx.held, price: '1', nowMs });
      }
    }
  }

  async afterCommit(nowMs: number, stepCandles: readonly (Candle | null)[]): Promise<void> {
    const hook = this.o.orchestrator?.onStep;
    if (!hook) return;
    try {
      const events = await hook(nowMs, stepCandles, this.o.engine.config.symbols);
      for (const e of events) this.actor.send(e);
    } catch (err) {
      this.o.report?.({ kind: 'orchestrator.stepFailed', detail: String(err), nowMs });
    }
  }

  persistSnapshot(nowMs: number): void {
    this.o.repos.actorSnapshots.save({
      actorId: 'fund',
      machine: 'fund',
      snapshotVersion: FUND_SNAPSHOT_VERSION,
      snapshot: JSON.stringify(this.actor.getPersistedSnapshot()),
      updatedAt: nowMs,
    });
  }

  // ---------------------------------------------------------------- wiring

  private child(id: string): ChildRef | undefined {
    return (this.actor.getSnapshot().children as Record<string, unknown>)[id] as ChildRef | undefined;
  }

  /** Re-subscribes to the scheduler's emitted jobs whenever the fund (re)spawns it. */
  private watchChildren(s: { children: Record<string, unknown> }): void {
    const ref = s.children['scheduler'] as ChildRef | undefined;
    if (ref === this.schedulerRef) return;
    for (const sub of this.schedulerSubs) sub.unsubscribe();
    this.schedulerSubs = [];
    this.schedulerRef = ref ?? null;
    if (!ref?.on) return;
    const forward = (type: string) => (e: { nowMs?: number }) => {
      const nowMs = e.nowMs ?? this.o.clock.now();
      try {
        if (type === 'schedule.dailyResetDue') this.actor.send({ type: 'schedule.dailyResetDue', nowMs });
        this.o.orchestrator?.onSchedule?.(type, nowMs, this.child('orchestrator'));
        this.o.onSchedule?.(type, nowMs);
      } catch (err) {
        this.o.report?.({ kind: 'schedule.listenerFailed', detail: String(err), nowMs });
      }
    };
    for (const type of ['schedule.scanDue', 'schedule.monitorDue', 'schedule.feeCheckDue', 'schedule.dailySnapshotDue', 'schedule.dailyResetDue', 'schedule.weeklyReportDue', 'schedule.orchestrationDue', 'schedule.dataMaintenanceDue']) {
      this.schedulerSubs.push(ref.on(type, forward(type)));
    }
  }

  private publish(built: { ok: true; event: unknown } | { ok: false }): void {
    if (built.ok) this.o.bus.publish(built.event as NotifierEvent);
  }

  private queue(work: () => Promise<unknown> | void): void {
    this.commands = this.commands.then(work).catch((err: unknown) => this.o.report?.({ kind: 'command.failed', detail: String(err), nowMs: this.o.clock.now() }));
  }

  /** Resolves the strategy (file → deployed DB copy → none), seeding the store with v001 on first run. */
  private resolveStrategy(nowMs: number): ActiveStrategy {
    const { repos, strategy } = this.o;
    if (strategy.seed && repos.strategyVersions.current() === undefined && repos.strategyVersions.list(1).length === 0) {
      const reg = registerVersion(repos, { code: strategy.seed.code, filename: strategy.seed.filename, parent: null, description: strategy.seed.description, nowMs });
      if (reg.ok) activateVersion(repos, reg.version, nowMs);
    }
    const active = loadActiveStrategy({ filePath: strategy.filePath, repos });
    if (active.kind === 'loaded' && !active.registered && active.source === 'file') {
      // A new file: store it as the next version (parent: the live one) so a rollback has somewhere to go.
      const live = repos.strategyVersions.current()?.version ?? null;
      const reg = registerVersion(repos, { code: active.sourceCode, filename: active.path ?? 'strategy.ts', parent: live, description: `loaded from ${active.path}`, nowMs });
      if (reg.ok && activateVersion(repos, reg.version, nowMs).ok) return { ...active, version: reg.version, registered: true };
    }
    return active;
  }

  private provideMachine() {
    const o = this.o;
    const engine = o.engine;
    const paperPosition = positionMachine.provide({
      actions: {
        // Paper: the simulated monitor (the pipeline) watches stop and target; nothing rests on an exchange.
        placeProtectiveOrders: ({ self }) => self.send({ type: 'protection.placed', nowMs: o.clock.now() }),
        // Paper: an exit asked of the actor (operator close) is filled by the pipeline; exits the
        // pipeline already made (signals, stops) find the position gone and do nothing.
        submitExitOrder: ({ context }) => {
          if (!o.engine.books().ledger.positions.some((p) => p.tag === context.tag)) return;
          const reason = context.exitReason ?? 'signal';
          this.queue(() => o.engine.closePositions(`close requested (${reason})`, context.tag));
        },
      },
    });
    const symbol = symbolMachine.provide({
      actors: {
        evaluateStrategy: createEvaluateStrategyActor({ scan: { shareOf: (symbol) => this.pending.get(symbol)?.promise ?? null } }),
        position: paperPosition as unknown as AnyActorLogic as typeof positionMachine,
      },
      actions: {
        submitSignals: ({ context }) => void this.scanResults.set(context.symbol, true),
        reportEvaluationFailure: ({ context }) => {
          this.scanResults.set(context.symbol, false);
          o.report?.({ kind: 'symbol.evaluationFailed', detail: `${context.symbol}: ${context.stats.lastError ?? 'failed'}`, nowMs: context.nowMs });
        },
        alertSymbolStale: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'feed', message: `${context.symbol}: no new candle for ${Math.round(context.staleAfterMs / 60_000)} min; the strategy is not asked on old data` })),
        announceSymbolRecovered: ({ context }) => o.report?.({ kind: 'symbol.recovered', detail: context.symbol, nowMs: context.nowMs }),
        alertPositionFault: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'position', message: `${context.symbol}: a position actor failed; the books keep the position` })),
      },
    });
    const calendar =
      o.calendar ?? zoneCalendar(o.timeZone, { orchestration: [2, 0], maintenance: [3, 30], weekly: [0, 18, 0] });
    const boot = createBootActor({ clock: o.clock, checkStore: () => void o.repos.systemMeta.get('paper_starting_capital') });
    const restore = createRestoreActor({
      clock: o.clock,
      restoreStrategy: async (nowMs) => {
        const active = this.resolveStrategy(nowMs);
        if (active.kind === 'none') {
          o.report?.({ kind: 'strategy.none', detail: active.reasons.join('; '), nowMs });
          return { ok: false, reason: active.reasons.join('; ') };
        }
        const loaded = await engine.loadStrategy({ version: active.version, code: active.code });
        if (!loaded.ok) {
          o.report?.({ kind: 'strategy.loadFailed', detail: loaded.reason, nowMs });
          return { ok: false, reason: loaded.reason };
        }
        return { ok: true, version: active.version, source: active.source, previousVersion: previousVersion(o.repos)?.version ?? null };
      },
    });
    const reconcile = createReconcileActor({
      clock: o.clock,
      reconcile: async (nowMs) => {
        const books = engine.books();
        const stored = new Set(o.repos.positions.list().map((p) => p.tag));
        const held = new Set(books.ledger.positions.map((p) => p.tag));
        const differences = [...stored].filter((t) => !held.has(t)).length + [...held].filter((t) => !stored.has(t)).length;
        if (differences > 0) o.report?.({ kind: 'reconcile.positions', detail: `${differences} position row(s) differed from the books; the books win (rows are rewritten at the next step)`, nowMs });
        // Landmine L2: restored counters are re-evaluated against the limits in force now.
        const halts = evaluateStartupHalt(books.risk, engine.config.limits).filter((h) => !HALT_CLEARS_AT_NEW_DAY[h.kind]);
        return { haltReason: halts.length > 0 ? halts.map((h) => h.reason).join('; ') : null };
      },
    });
    const revertStrategy = createRevertStrategyActor({
      clock: o.clock,
      port: {
        revert: async (version, nowMs) => {
          const activated = activateVersion(o.repos, version, nowMs);
          if (!activated.ok) return { ok: false, reason: activated.reason };
          const active = loadActiveStrategy({ filePath: null, repos: o.repos });
          if (active.kind !== 'loaded' || active.version !== version) return { ok: false, reason: `version ${version} did not load: ${active.reasons.join('; ')}` };
          const loaded = await engine.loadStrategy({ version: active.version, code: active.code });
          if (!loaded.ok) return { ok: false, reason: loaded.reason };
          return { ok: true, previousVersion: previousVersion(o.repos)?.version ?? null };
        },
      },
    });
    const shutdown = createShutdownActor({
      clock: o.clock,
      announce: (reason, nowMs) => this.publish(notifierEvent('system.shutdownStarted', nowMs, { reason })),
    });
    const fundSnapshotText = () => {
      const s = this.snapshot();
      return JSON.stringify(s.value);
    };
    return fundMachine.provide({
      actors: {
        boot,
        restore,
        reconcile,
        revertStrategy,
        shutdown,
        symbol,
        orchestrator: o.orchestrator?.logic ?? orchestratorMachine,
        scheduler: createSchedulerMachine(calendar),
      } as never,
      actions: {
        announceOnline: ({ context }) => {
          const books = engine.books();
          const trading = deriveTradingState(this.snapshot().context);
          this.publish(
            notifierEvent('system.online', context.nowMs, {
              mode: o.mode,
              version: o.appVersion,
              portfolioValue: toString(books.ledger.cash + books.ledger.positions.reduce((s, p) => s + p.costBasis, 0n)),
              positions: books.ledger.positions.length,
              strategyVersion: context.strategy.version,
              trading,
            }),
          );
        },
        announceHalt: ({ context }) => {
          if (!context.halt) return;
          this.publish(notifierEvent('risk.halted', context.nowMs, { source: context.halt.source, reason: context.halt.reason }));
          if (context.halt.source !== 'risk') this.queue(() => engine.haltBooks(context.halt!.reason, context.halt!.source === 'killSwitch'));
        },
        announceResume: ({ context }) => {
          this.publish(notifierEvent('risk.resumed', context.nowMs, { clearedHalt: null }));
          this.queue(() => engine.resumeBooks());
        },
        announcePaused: ({ context }) => o.report?.({ kind: 'fund.paused', detail: 'paused by the operator', nowMs: context.nowMs }),
        closeAllPositions: () => this.queue(() => engine.closePositions('operator kill: close everything', null)),
        announceRollback: ({ context }) => {
          const last = context.strategy.history[context.strategy.history.length - 1];
          if (last?.toVersion) this.publish(notifierEvent('strategy.rolledBack', context.nowMs, { fromVersion: last.fromVersion, toVersion: last.toVersion, trigger: last.trigger }));
        },
        announceRollbackFailed: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'strategy', message: `rollback failed: ${context.strategy.problem ?? 'no previous version'}; trading halted` })),
        announcePaperTestResult: ({ context }) => o.report?.({ kind: 'paperTest.concluded', detail: context.paperTest.status, nowMs: context.nowMs }),
        connectFeed: () => {
          if (o.connectFeed) o.connectFeed(this);
          else queueMicrotask(() => this.send({ type: 'feed.connected' }));
        },
        alertFeedStale: ({ context }) => o.report?.({ kind: 'feed.stale', detail: `no market data since ${context.feed.lastMessageMs}`, nowMs: context.nowMs }),
        alertFeedLost: ({ context }) => this.publish(notifierEvent('feed.lost', context.nowMs, { attempts: Math.max(1, context.feed.attempts), lastError: context.feed.lastError })),
        announceFeedRecovered: ({ context }) => this.publish(notifierEvent('feed.restored', context.nowMs, { downForMs: null })),
        announceChildRestarted: ({ context }) => o.report?.({ kind: 'child.restarted', detail: fundSnapshotText(), nowMs: context.nowMs }),
        alertChildDegraded: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'supervisor', message: 'a supervised actor exhausted its restart budget; the fund runs without it (health: degraded)' })),
        alertUnexpectedChildError: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'supervisor', message: 'an actor the fund does not supervise failed' })),
        alertFaulted: ({ context }) => this.publish(notifierEvent('system.errorOccurred', context.nowMs, { source: 'startup', message: context.fault ?? context.phase.lastError ?? 'a startup phase failed after its retries' })),
      },
    });
  }
}

/** Child id of a position actor under its symbol actor (re-exported for tests and the operator). */
export { positionActorId };
