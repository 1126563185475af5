/**
 * `reviewStrategy`: after the sandbox validation passed, an independent advisor call reviews the
 * candidate code against the change request and the diff. (Code the static check refused never
 * gets here: validation refuses it; the check below is a guard.)
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, StepVerdict } from '../../machines/orchestrator.ts';
import { unifiedDiff } from '../../strategies/loader/index.ts';
import type { Workspaces } from './context.ts';
import { workspaceOf } from './context.ts';
import type { OrchestratorDeps } from './deps.ts';
import { currentAttempt } from './generate.ts';
import { advisorFailure, callOptions, recordedCall } from './records.ts';

/** The `reviewStrategy` actor. */
export function createReviewActor(deps: OrchestratorDeps, workspaces: Workspaces) {
  return fromPromise<StepVerdict, CycleStepInput>(async ({ input, signal }) => {
    const w = workspaceOf(workspaces, input.cycleId);
    const a = currentAttempt(workspaces, input);
    if (a.refusal !== null) return { nowMs: deps.clock(), ok: false, feedback: a.refusal };
    const step = `code_review_a${input.attempt}`;
    let diff = '';
    try {
      diff = unifiedDiff(w.incumbent?.source ?? '', a.source, w.incumbent?.version ?? 'none', a.version);
    } catch {
      diff = '';
    }
    const { result, thoughtId } = await recordedCall(deps, input.cycleId, step, () =>
      deps.advisor.reviewCode(
        {
          module: 'strategy',
          changeRequest: w.changeRequest,
          source: a.source,
          diff,
          data: [
            { kind: 'review', title: 'Static check', content: 'passed (no forbidden globals, imports or properties)' },
            { kind: 'review', title: 'Sandbox validation', content: 'passed (loaded and trial-run on synthetic and real data without faults or invalid signals)' },
          ],
        },
        callOptions(input, step, signal),
      ),
    );
    if (!result.ok) throw advisorFailure(step, result, thoughtId);
    a.review = result.value;
    if (result.value.verdict === 'approve') return { nowMs: deps.clock(), ok: true, feedback: '' };
    const issues = result.value.issues.map((i) => `[${i.severity}] ${i.location ?? ''} ${i.problem} → ${i.fix}`).join('\n');
    return { nowMs: deps.clock(), ok: false, feedback: `code review rejected ${a.version}: ${result.value.summary}\n${issues}\n${result.value.revisionInstructions ?? ''}`.trim() };
  });
}
