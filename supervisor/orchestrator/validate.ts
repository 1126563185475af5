/**
 * `validateStrategy`: the first step after generation. Code the static check (or registration)
 * refused is refused here with its problems as feedback; otherwise the sandbox loads and
 * trial-runs the candidate on synthetic and real data (strategies/loader `checkStrategy`, runners
 * from the injected factory). A strategy fault (load/analyze failure, invalid signals) is a
 * refusal with feedback; a failure on the fund's side (runner unavailable, trial data missing)
 * rejects (→ machine `failed`).
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, StepVerdict } from '../../machines/orchestrator.ts';
import { checkStrategy } from '../../strategies/loader/index.ts';
import type { Workspaces } from './context.ts';
import { workspaceOf } from './context.ts';
import type { OrchestratorDeps } from './deps.ts';
import { currentAttempt } from './generate.ts';
import { jsonText } from './records.ts';

/** The `validateStrategy` actor. */
export function createValidateActor(deps: OrchestratorDeps, workspaces: Workspaces) {
  return fromPromise<StepVerdict, CycleStepInput>(async ({ input }) => {
    workspaceOf(workspaces, input.cycleId);
    const a = currentAttempt(workspaces, input);
    if (a.refusal !== null) return { nowMs: deps.clock(), ok: false, feedback: a.refusal };
    const report = await checkStrategy(
      { code: a.source, filename: `${a.version}.ts` },
      { trial: true, createRunner: () => deps.makeRunner(deps.config.seed), limits: deps.settings.limits, version: a.version, ...(deps.trialDatasets ? { datasets: deps.trialDatasets } : {}) },
    );
    deps.repos.thoughts.insert({
      cycleId: input.cycleId,
      step: `sandbox_validation_a${input.attempt}`,
      model: 'sandbox',
      inputSummary: `trial runs of ${a.version} on ${report.trial?.length ?? 0} data sets`,
      fullResponse: jsonText(report),
      parsedResult: jsonText({ verdict: report.verdict }),
      createdAt: deps.clock(),
    });
    if (report.verdict === 'internalFailure') throw new Error(`sandbox validation could not run: ${[...report.internalErrors, ...(report.trial ?? []).flatMap((t) => t.failures.filter((f) => f.kind === 'unavailable').map((f) => f.reason))].join('; ')}`);
    if (report.verdict === 'valid') return { nowMs: deps.clock(), ok: true, feedback: '' };
    const problems = [
      ...report.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      ...(report.trial ?? []).flatMap((t) => [...t.failures.map((f) => `${t.name}: ${f.call} ${f.kind}: ${f.reason}`), ...t.invalidReasons.map((x) => `${t.name}: invalid signal ×${x.count}: ${x.reason}`)]),
    ];
    return { nowMs: deps.clock(), ok: false, feedback: `sandbox validation refused ${a.version}:\n${problems.slice(0, 20).join('\n')}` };
  });
}
