/**
 * Model-based coverage for XState machines with `xstate/graph`.
 *
 * The lists of what must be covered come from the machine definition itself: every state node
 * (`getStateNodes`) and every transition definition (each `on`/`after`/invoke `onDone`/`onError`
 * entry and each `always` entry, guarded alternatives counted separately). The traversal is
 * `getAdjacencyMap` from `xstate/graph` over a pure stepper; which events to try in a snapshot is
 * also derived from the definition (`getNextTransitions`), with payloads from per-event sample
 * factories (several variants to drive guards both ways). Every microstep is observed, so
 * transient (`always`) states and eventless transitions are attributed too.
 *
 * A parallel machine's product state space is too large to enumerate, so a traversal can be
 * split into *focuses*: a start snapshot, the event types to exercise and a bounded state key.
 * Coverage is the union over focuses.
 */
import type { AnyStateMachine, AnyTransitionDefinition, EventObject, InputFrom, SnapshotFrom } from 'xstate';
import { getNextTransitions } from 'xstate';
import { getAdjacencyMap, getStateNodes } from 'xstate/graph';
import { type PureStepper, createPureStepper } from './pure.ts';

type Snap = SnapshotFrom<AnyStateMachine>;

/** Event payload variants for one event descriptor (exact type or wildcard). */
export type SampleFactory = (snapshot: Snap) => EventObject[];

export interface Focus {
  readonly name: string;
  /** Start snapshot(s); each is traversed. */
  readonly from: Snap | readonly Snap[];
  /** Which event descriptors this focus exercises. */
  readonly exercises: (descriptor: string) => boolean;
  /** Bounded serialization of the snapshot (value + the context that guards read). */
  readonly key: (snapshot: Snap) => string;
  /** Sample factories that replace the spec's for this focus (to keep its state space small). */
  readonly samples?: Readonly<Record<string, SampleFactory>>;
}

export interface CoverageSpec<M extends AnyStateMachine> {
  readonly machine: M;
  readonly input: InputFrom<M>;
  readonly samples: Readonly<Record<string, SampleFactory>>;
  /** Focuses built from the stepper's initial snapshot; default: one focus over everything. */
  readonly focuses?: (stepper: PureStepper<M>) => Focus[];
  /** Default key when no focuses are given. */
  readonly key?: (snapshot: Snap) => string;
  /** Traversal limit per start snapshot (queue iterations, xstate/graph's `limit`). */
  readonly limit?: number;
}

export interface CoverageReport {
  readonly states: readonly string[];
  readonly transitions: readonly string[];
  readonly missingStates: readonly string[];
  readonly missingTransitions: readonly string[];
  /** Vertices explored per focus. */
  readonly explored: Readonly<Record<string, number>>;
}

/** Every state node id of the machine (the root included). */
export function allStateIds(machine: AnyStateMachine): string[] {
  return [machine.root.id, ...getStateNodes(machine.root).map((n) => n.id)];
}

/** Every transition definition of the machine, with a stable readable key. */
export function allTransitions(machine: AnyStateMachine): Map<AnyTransitionDefinition, string> {
  const out = new Map<AnyTransitionDefinition, string>();
  for (const node of [machine.root, ...getStateNodes(machine.root)]) {
    for (const [descriptor, list] of node.transitions) {
      list.forEach((t, i) => out.set(t, `${node.id} ── ${descriptor} [${i}]`));
    }
    (node.always ?? []).forEach((t, i) => out.set(t, `${node.id} ── always [${i}]`));
  }
  return out;
}

/** The events to try in `snapshot`: one or more samples per descriptor the active states handle. */
export function eventsFor(snapshot: Snap, samples: Readonly<Record<string, SampleFactory>>, exercises: (d: string) => boolean): EventObject[] {
  const descriptors = [...new Set(getNextTransitions(snapshot).map((t) => t.eventType))].filter((d) => d !== '' && exercises(d));
  return descriptors.flatMap((d) => {
    const factory = samples[d];
    if (factory) return factory(snapshot);
    if (d.includes('*')) throw new Error(`coverage: no sample factory for wildcard descriptor '${d}'`);
    if (d.startsWith('xstate.after.')) return [{ type: d }];
    if (d.startsWith('xstate.error.actor.')) return [{ type: d, error: new Error(`sample failure of ${d.slice(19)}`) }];
    if (d.startsWith('xstate.done.actor.')) throw new Error(`coverage: no sample output for '${d}'`);
    return [{ type: d, nowMs: (snapshot.context as { nowMs?: number }).nowMs ?? 0 }];
  });
}

function serializeEvent(e: EventObject): string {
  return JSON.stringify(e, (_k, v: unknown) => (v instanceof Error ? `Error(${v.message})` : v));
}

/** Runs the traversals and reports what the definition has that no traversal reached. */
export function measureCoverage<M extends AnyStateMachine>(spec: CoverageSpec<M>): CoverageReport {
  const reachedStates = new Set<string>();
  const taken = new Set<AnyTransitionDefinition>();
  const noteSnapshot = (s: Snap) => {
    for (const n of (s as unknown as { _nodes: { id: string }[] })._nodes) reachedStates.add(n.id);
  };
  const stepper = createPureStepper(spec.machine, spec.input, ({ snapshot, transitions }) => {
    noteSnapshot(snapshot);
    for (const t of transitions) {
      taken.add(t);
      reachedStates.add(t.source.id); // a transient source (left within the same step) was active too
    }
  });
  noteSnapshot(stepper.initial);

  const focuses = spec.focuses
    ? spec.focuses(stepper)
    : [{ name: 'all', from: stepper.initial, exercises: () => true, key: spec.key ?? ((s: Snap) => JSON.stringify(s.value)) }];
  // Plain actor logic around the stepper, so xstate/graph uses our events verbatim and every
  // step goes through the observed scope.
  const logic = {
    transition: (s: Snap, e: EventObject) => stepper.step(s as SnapshotFrom<M>, e),
    getInitialSnapshot: () => stepper.initial,
    getPersistedSnapshot: (s: Snap) => s,
  };
  const explored: Record<string, number> = {};
  for (const focus of focuses) {
    explored[focus.name] = 0;
    for (const from of Array.isArray(focus.from) ? focus.from : [focus.from]) {
      noteSnapshot(from);
      const adjacency = getAdjacencyMap(logic as never, {
        fromState: from,
        events: (s: Snap) => eventsFor(s, focus.samples ? { ...spec.samples, ...focus.samples } : spec.samples, focus.exercises),
        serializeState: (s: Snap) => focus.key(s),
        serializeEvent,
        limit: spec.limit ?? 100_000,
      } as never) as unknown as Record<string, { state: Snap }>;
      explored[focus.name] = (explored[focus.name] ?? 0) + Object.keys(adjacency).length;
      for (const v of Object.values(adjacency)) noteSnapshot(v.state);
    }
  }

  const transitions = allTransitions(spec.machine);
  const states = allStateIds(spec.machine);
  return {
    states,
    transitions: [...transitions.values()],
    missingStates: states.filter((id) => !reachedStates.has(id)),
    missingTransitions: [...transitions].filter(([t]) => !taken.has(t)).map(([, key]) => key),
    explored,
  };
}
