/**
 * `promoteStrategy`: the candidate that passed the gate (or that the operator forced past it:
 * `input.forced`) becomes the fund's live version
 * (strategies/loader `activateVersion`; the previous version is retired and kept for rollback),
 * recorded on the candidate, its paper test and its version row, and announced.
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, Promotion } from '../../machines/orchestrator.ts';
import type { CandidateDesk } from './candidates.ts';
import type { Workspaces } from './context.ts';
import type { OrchestratorDeps } from './deps.ts';

/** The `promoteStrategy` actor; rejects (→ failed) when activation is refused. */
export function createPromoteActor(deps: OrchestratorDeps, workspaces: Workspaces, desk: CandidateDesk) {
  return fromPromise<Promotion, CycleStepInput>(async ({ input }) => {
    const version = input.candidateVersion;
    if (version === null) throw new Error('promote: the cycle has no candidate');
    const done = desk.promote(version, input.forced);
    if (!done.ok) throw new Error(`promote ${version}: ${done.reason}`);
    const w = workspaces.get(input.cycleId);
    if (w) {
      w.promotedTo = version;
      w.promotedFrom = done.previous;
      w.notes.push(`promoted ${version}${input.forced ? ' (forced by the operator)' : ''} (previous ${done.previous ?? 'none'} kept for rollback)`);
    }
    return { nowMs: deps.clock(), version };
  });
}
