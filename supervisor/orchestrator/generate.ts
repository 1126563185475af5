/**
 * `generateStrategy`: the advisor writes a full candidate module for the change request, with the
 * feedback of refused attempts; the code is statically checked and registered as a new version
 * (vNNN, parent = the live version; not deployed). Code the static check or registration refuses
 * gets a `draft-…` id and its refusal is handed to the review step as feedback (so the machine's
 * bounded revision loop applies). A resumed candidate (PROMOTE_CANDIDATE) never comes here: the
 * machine goes from deciding straight to its shadow test.
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, GeneratedCandidate } from '../../machines/orchestrator.ts';
import { registerVersion } from '../../strategies/loader/index.ts';
import { checkStrategySource } from '../../strategies/static-check/index.ts';
import type { Workspaces } from './context.ts';
import { workspaceOf } from './context.ts';
import type { AttemptRecord, OrchestratorDeps } from './deps.ts';
import { advisorFailure, callOptions, recordedCall } from './records.ts';

/** The `generateStrategy` actor. */
export function createGenerateActor(deps: OrchestratorDeps, workspaces: Workspaces) {
  return fromPromise<GeneratedCandidate, CycleStepInput>(async ({ input, signal }) => {
    const w = workspaceOf(workspaces, input.cycleId);
    if (!w.incumbent) throw new Error('no active strategy to derive a candidate from');
    const step = `candidate_gen_a${input.attempt}`;
    const { result, thoughtId } = await recordedCall(deps, input.cycleId, step, () =>
      deps.advisor.generateStrategy(
        {
          module: 'strategy',
          changeRequest: w.changeRequest,
          currentSource: w.incumbent!.source,
          feedback: input.feedback,
          data: [{ kind: 'strategyDocument', title: 'Strategy document', content: w.document }],
        },
        callOptions(input, step, signal),
      ),
    );
    if (!result.ok) throw advisorFailure(step, result, thoughtId);
    const g = result.value;
    const record: AttemptRecord = { attempt: input.attempt, version: `draft-${input.cycleId}-a${input.attempt}`, source: g.source, js: null, generated: g, refusal: null, review: null, backtest: null };
    w.attempts.set(input.attempt, record);
    const checked = checkStrategySource(g.source, 'candidate.ts');
    if (!checked.ok) {
      record.refusal = `static check refused the code: ${checked.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}`;
      return { nowMs: deps.clock(), candidateVersion: record.version };
    }
    const registered = registerVersion(deps.repos, {
      code: g.source,
      filename: 'candidate.ts',
      parent: w.incumbent.version.startsWith('file-') ? null : w.incumbent.version,
      description: `${g.description} — ${g.changeSummary}`.slice(0, 2000),
      riskTier: 1,
      nowMs: deps.clock(),
    });
    if (!registered.ok) {
      record.refusal = registered.duplicateOf ? `identical to stored version ${registered.duplicateOf}; write a different change` : registered.reason;
      return { nowMs: deps.clock(), candidateVersion: record.version };
    }
    record.version = registered.version;
    record.js = checked.code;
    return { nowMs: deps.clock(), candidateVersion: registered.version };
  });
}

/** The attempt record of the machine's current attempt (throws when the cycle has none). */
export function currentAttempt(workspaces: Workspaces, input: CycleStepInput): AttemptRecord {
  const w = workspaceOf(workspaces, input.cycleId);
  const a = w.attempts.get(input.attempt);
  if (!a) throw new Error(`cycle ${input.cycleId} has no attempt ${input.attempt}`);
  return a;
}
