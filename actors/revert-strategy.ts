/**
 * The fund's `revertStrategy` actor: a real rollback — the previous version is activated in the
 * store and loaded into the running engine. Throws (→ the machine's `failed` + halt) when the
 * version cannot be activated or loaded; the reason names it.
 */
import { fromPromise } from 'xstate';
import type { ActorClock } from './phases.ts';

/** The machine's `revertStrategy` input and output (restated structurally). */
interface RevertInput {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly trigger: string;
  readonly nowMs: number;
}
interface RevertResult {
  readonly nowMs: number;
  readonly version: string;
  readonly source: 'file' | 'db';
  readonly previousVersion: string | null;
}

/** The port: activate and load `version`; returns the version that is previous afterwards. */
export interface RevertPort {
  revert(version: string, nowMs: number): Promise<{ readonly ok: true; readonly previousVersion: string | null } | { readonly ok: false; readonly reason: string }>;
}

/** Creates the actor over `deps.port`. */
export function createRevertStrategyActor(deps: { readonly clock: ActorClock; readonly port: RevertPort }) {
  return fromPromise<RevertResult, RevertInput>(async ({ input }) => {
    if (!input.toVersion) throw new Error(`no previous version to roll back to from ${input.fromVersion}`);
    const r = await deps.port.revert(input.toVersion, deps.clock.now());
    if (!r.ok) throw new Error(`rollback ${input.fromVersion} → ${input.toVersion} failed: ${r.reason}`);
    return { nowMs: deps.clock.now(), version: input.toVersion, source: 'db', previousVersion: r.previousVersion };
  });
}
