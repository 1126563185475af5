/**
 * The fund's startup and shutdown phase actors (`boot`, `restore`, `reconcile`, `shutdown`), each
 * a promise actor over an injected port, so the machine's placeholders are filled by the
 * supervisor without the machine or this file knowing any adapter. Pure wiring: every effect is
 * behind a port function; the clock is injected.
 */
import { fromPromise } from 'xstate';

// The machine's placeholder contract, restated structurally (actors import domain and ports only).
interface RestoreResult {
  readonly nowMs: number;
  readonly strategy: { readonly version: string; readonly source: 'file' | 'db' } | null;
  readonly previousVersion: string | null;
  readonly symbols: null;
}
interface ReconcileResult {
  readonly nowMs: number;
  readonly halt: { readonly reason: string } | null;
}
interface ShutdownInput {
  readonly reason: string;
  readonly nowMs: number;
}

/** The clock the actors stamp their outputs with. */
export interface ActorClock {
  now(): number;
}

/** `boot`: the store answers (the process-level boot — lock, migrations — ran before the actor system). */
export function createBootActor(deps: { readonly clock: ActorClock; readonly checkStore: () => void }) {
  return fromPromise(async () => {
    deps.checkStore();
    return { nowMs: deps.clock.now() };
  });
}

/** What the restore port reports: the strategy now loaded (or why none), and the version a rollback would use. */
export type RestoredStrategy =
  | { readonly ok: true; readonly version: string; readonly source: 'file' | 'db'; readonly previousVersion: string | null }
  | { readonly ok: false; readonly reason: string };

/** `restore`: resolves and loads the strategy (file → stored copy → none); a failure is `strategy: null`, never a throw. */
export function createRestoreActor(deps: { readonly clock: ActorClock; readonly restoreStrategy: (nowMs: number) => Promise<RestoredStrategy> }) {
  return fromPromise<RestoreResult>(async () => {
    const restored = await deps.restoreStrategy(deps.clock.now());
    const nowMs = deps.clock.now();
    if (!restored.ok) return { nowMs, strategy: null, previousVersion: null, symbols: null };
    return { nowMs, strategy: { version: restored.version, source: restored.source }, previousVersion: restored.previousVersion, symbols: null };
  });
}

/** `reconcile`: books against the store/venue; returns the halt a startup re-evaluation demands (landmine L2). */
export function createReconcileActor(deps: { readonly clock: ActorClock; readonly reconcile: (nowMs: number) => Promise<{ readonly haltReason: string | null }> }) {
  return fromPromise<ReconcileResult>(async () => {
    const r = await deps.reconcile(deps.clock.now());
    return { nowMs: deps.clock.now(), halt: r.haltReason === null ? null : { reason: r.haltReason } };
  });
}

/** `shutdown`: announces the stop and leaves the venue as it is (protective orders stay). */
export function createShutdownActor(deps: { readonly clock: ActorClock; readonly announce: (reason: string, nowMs: number) => void }) {
  return fromPromise<{ nowMs: number }, ShutdownInput>(async ({ input }) => {
    deps.announce(input.reason, deps.clock.now());
    return { nowMs: deps.clock.now() };
  });
}
