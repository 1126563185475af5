/**
 * A fund actor on a SimulatedClock with fake phase actors and recorded placeholder actions.
 */
import { type AnyActorLogic, SimulatedClock, createActor } from 'xstate';
import { FUND_PLACEHOLDERS, type FundInput, type FundSnapshot, type ReconcileResult, type RestoreResult, fundMachine } from '../../../machines/fund.ts';
import { T0, fundInput, resolves } from './fixtures.ts';

export interface FundHarness {
  readonly actor: ReturnType<typeof createActor<typeof fundMachine>>;
  readonly clock: SimulatedClock;
  /** Placeholder actions in call order. */
  readonly calls: string[];
  /** Errors reported to the subscriber's error callback (must stay empty). */
  readonly errors: unknown[];
  snapshot(): FundSnapshot;
  /** Sends an inbound event stamped with the clock's now. */
  send(event: { type: string; [k: string]: unknown }): void;
}

export interface FundOptions {
  readonly input?: FundInput;
  readonly clock?: SimulatedClock;
  readonly actors?: Partial<Record<string, AnyActorLogic>>;
  readonly actions?: Partial<Record<(typeof FUND_PLACEHOLDERS.actions)[number], (...args: never[]) => void>>;
  readonly restore?: Partial<RestoreResult>;
  readonly reconcile?: Partial<ReconcileResult>;
  /** Persisted snapshot to restore instead of starting fresh. */
  readonly snapshot?: unknown;
}

/** Default fakes: boot, restore (v1 from file, previous v0), reconcile (no halt), shutdown all succeed. */
export function fundActors(o: FundOptions = {}): Record<string, AnyActorLogic> {
  return {
    boot: resolves({ nowMs: T0 }),
    restore: resolves<RestoreResult>({ nowMs: T0, strategy: { version: 'v1', source: 'file' }, previousVersion: 'v0', symbols: null, ...o.restore }),
    reconcile: resolves<ReconcileResult>({ nowMs: T0, halt: null, ...o.reconcile }),
    shutdown: resolves({ nowMs: T0 }),
    ...o.actors,
  } as Record<string, AnyActorLogic>;
}

export function startFund(o: FundOptions = {}): FundHarness {
  const clock = o.clock ?? new SimulatedClock();
  if (!o.clock) clock.set(T0);
  const calls: string[] = [];
  const errors: unknown[] = [];
  const actions = Object.fromEntries(
    FUND_PLACEHOLDERS.actions.map((name) => [
      name,
      (...args: never[]) => {
        calls.push(name);
        (o.actions?.[name] as ((...a: never[]) => void) | undefined)?.(...args);
      },
    ]),
  );
  const machine = fundMachine.provide({ actors: fundActors(o) as never, actions: actions as never });
  const actor = createActor(machine, {
    input: o.input ?? fundInput({ nowMs: clock.now() }),
    clock,
    ...(o.snapshot ? { snapshot: o.snapshot as never } : {}),
  });
  actor.subscribe({ error: (e) => void errors.push(e) });
  actor.start();
  return {
    actor,
    clock,
    calls,
    errors,
    snapshot: () => actor.getSnapshot(),
    send: (event) => actor.send({ nowMs: clock.now(), ...event } as never),
  };
}
