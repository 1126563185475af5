/**
 * Pure stepping for machine tests: `machine.transition` with one reusable, inert actor scope.
 * Nothing is executed — no placeholder action runs, no child starts, no timer is scheduled —
 * only the next snapshot is computed. It is the same computation as xstate's `transition()`,
 * minus the per-call actor construction (which costs ~0.2 ms and dominates property tests).
 * Every microstep's transitions are reported through `onMicrostep` (used by the coverage
 * engine to attribute eventless and delayed transitions).
 */
import { type AnyActorScope, type AnyStateMachine, type AnyTransitionDefinition, type EventObject, type InputFrom, type SnapshotFrom, createActor } from 'xstate';

export interface PureStepper<M extends AnyStateMachine> {
  readonly initial: SnapshotFrom<M>;
  /** The initial snapshot for another input (same inert scope). */
  initialFor(input: InputFrom<M>): SnapshotFrom<M>;
  step(snapshot: SnapshotFrom<M>, event: EventObject): SnapshotFrom<M>;
}

export interface Microstep {
  readonly snapshot: SnapshotFrom<AnyStateMachine>;
  readonly transitions: readonly AnyTransitionDefinition[];
}

/** Builds an inert scope over an unstarted probe actor; `onMicrostep` sees every microstep. */
export function createPureStepper<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  onMicrostep?: (m: Microstep) => void,
): PureStepper<M> {
  const probe = createActor(machine as AnyStateMachine, {
    input,
    inspect: onMicrostep
      ? (ev) => {
          if (ev.type === '@xstate.microstep') {
            const e = ev as unknown as { snapshot: SnapshotFrom<AnyStateMachine>; _transitions: AnyTransitionDefinition[] };
            onMicrostep({ snapshot: e.snapshot, transitions: e._transitions });
          }
        }
      : undefined,
  });
  const scope = {
    self: probe,
    system: probe.system,
    id: '',
    sessionId: 'pure',
    logger: () => {},
    defer: () => {},
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  } as unknown as AnyActorScope;
  const initial = machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>;
  return {
    initial,
    initialFor: (other) => machine.getInitialSnapshot(scope, other) as SnapshotFrom<M>,
    step: (snapshot, event) => machine.transition(snapshot, event, scope) as SnapshotFrom<M>,
  };
}
