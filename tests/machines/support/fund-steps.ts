/**
 * Pure fund steps shared by the fund tests: the startup path to `running` and typed event
 * builders (every event stamped with a time).
 */
import type { SnapshotFrom } from 'xstate';
import type { FundEvent, FundInput, ReconcileResult, RestoreResult, RevertResult } from '../../../machines/fund.ts';
import { fundMachine } from '../../../machines/fund.ts';
import { fundInput } from './fixtures.ts';
import { type PureStepper, createPureStepper } from './pure.ts';

export type FundSnap = SnapshotFrom<typeof fundMachine>;

export const bootDone = (nowMs: number) => ({ type: 'xstate.done.actor.boot', output: { nowMs } }) as const;
export const restoreDone = (output: RestoreResult) => ({ type: 'xstate.done.actor.restore', output }) as const;
export const reconcileDone = (output: ReconcileResult) => ({ type: 'xstate.done.actor.reconcile', output }) as const;
export const revertDone = (output: RevertResult) => ({ type: 'xstate.done.actor.revertStrategy', output }) as const;
export const actorError = (id: string, message = `${id} failed`) => ({ type: `xstate.error.actor.${id}`, error: new Error(message) }) as const;

/** A fresh pure stepper over the fund machine. */
export function fundStepper(input: FundInput = fundInput()): PureStepper<typeof fundMachine> {
  return createPureStepper(fundMachine, input);
}

/** Startup to `running` with strategy v1 from its file (previous v0) and no halt. */
export function toRunning(
  stepper: PureStepper<typeof fundMachine>,
  restore: Partial<RestoreResult> = {},
  reconcile: Partial<ReconcileResult> = {},
  initial: FundSnap = stepper.initial,
): FundSnap {
  const t = initial.context.nowMs;
  let s = stepper.step(initial, bootDone(t));
  s = stepper.step(
    s,
    restoreDone({ nowMs: t, strategy: { version: 'v1', source: 'file' }, previousVersion: 'v0', symbols: null, ...restore }),
  );
  s = stepper.step(s, reconcileDone({ nowMs: t, halt: null, ...reconcile }));
  return s;
}

/** Applies events in order (pure). */
export function run(stepper: PureStepper<typeof fundMachine>, from: FundSnap, events: readonly (FundEvent | { type: string })[]): FundSnap {
  return events.reduce((s, e) => stepper.step(s, e as FundEvent), from);
}

/** The value of one region of `running`, or undefined when not running. */
export function region(s: FundSnap, name: 'trading' | 'strategy' | 'paperTest' | 'feed' | 'health'): unknown {
  const v = s.value as unknown;
  if (typeof v !== 'object' || v === null || !('running' in v)) return undefined;
  return (v as { running: Record<string, unknown> }).running[name];
}
