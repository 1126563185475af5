/**
 * `decide`: the nightly decision, one of the six kinds (domain/advice), recorded with its
 * observations and predictions, mapped onto the machine's two paths:
 *
 * | decision | machine | effect |
 * |---|---|---|
 * | NO_CHANGE | noChange | — |
 * | CREATE_CANDIDATE | changeStrategy | candidate pipeline (generate → … → shadow test) for a free slot, or the named slot (its occupant is replaced) |
 * | PROMOTE_CANDIDATE | resumeCandidate | the named slot's running candidate: the machine goes straight to its shadow test; promotion still needs the gate |
 * | CANCEL_CANDIDATE | noChange | the named slot's candidate is canceled (recorded and announced) |
 * | MARKET_/TRADE_ANALYSIS_UPDATE | noChange | recorded and deferred: no analysis-module host is wired yet |
 *
 * A call that fails — invalid JSON, schema violation, truncated, refused, budget, timeout — rejects
 * with the kind and reason (budget → machine `budgetExhausted`, timeout → `timedOut`, others →
 * `failed`); the raw text stays in the thought spool. It is never turned into NO_CHANGE.
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, Decision as MachineDecision } from '../../machines/orchestrator.ts';
import { localDayKey } from '../../domain/time/index.ts';
import type { Workspaces } from './context.ts';
import { workspaceOf } from './context.ts';
import type { OrchestratorDeps } from './deps.ts';
import type { CandidateDesk } from './candidates.ts';
import { advisorFailure, callOptions, recordedCall } from './records.ts';

/** The `decide` actor. */
export function createDecideActor(deps: OrchestratorDeps, workspaces: Workspaces, desk: CandidateDesk) {
  return fromPromise<MachineDecision, CycleStepInput>(async ({ input, signal }) => {
    const w = workspaceOf(workspaces, input.cycleId);
    const { result, thoughtId } = await recordedCall(deps, input.cycleId, 'analysis', () =>
      deps.advisor.decide({ strategyDocument: w.document, data: w.blocks, maxCandidates: deps.config.maxCandidates }, callOptions(input, 'analysis', signal)),
    );
    if (!result.ok) throw advisorFailure('decision', result, thoughtId);
    const d = result.value;
    w.decision = d;
    const nowMs = deps.clock();
    deps.repos.observations.upsert({
      date: localDayKey(nowMs, deps.config.timeZone),
      cycleId: input.cycleId,
      marketSummary: d.marketObservations,
      strategyAssessment: d.reasoning,
      notableFindings: d.crossReferenceFindings,
      strategyVersion: w.incumbent?.version ?? null,
      docFlag: d.docFlag,
      flagReason: d.flagReason,
      createdAt: nowMs,
    });
    for (const p of d.predictions) {
      deps.repos.predictions.insert({ cycleId: input.cycleId, claim: p.claim, evidence: p.evidence, falsification: p.falsification, confidence: p.confidence, evaluationTimeframe: p.timeframe, category: p.category, createdAt: nowMs });
    }
    const reasoning = `${d.decision}: ${d.reasoning}`;
    switch (d.decision) {
      case 'NO_CHANGE':
        return { nowMs: deps.clock(), decision: 'noChange', reasoning };
      case 'CREATE_CANDIDATE': {
        if (!w.incumbent) throw new Error('CREATE_CANDIDATE: the fund has no active strategy to derive a candidate from');
        const slot = d.targetSlot ?? deps.repos.candidates.freeSlot(deps.config.maxCandidates);
        if (slot === undefined) throw new Error(`CREATE_CANDIDATE: all ${deps.config.maxCandidates} candidate slots are taken and no targetSlot was named to replace`);
        w.mode = 'create';
        w.slot = slot;
        w.changeRequest = d.changeRequest ?? '';
        w.notes.push(`create candidate in slot ${slot}`);
        return { nowMs: deps.clock(), decision: 'changeStrategy', reasoning };
      }
      case 'PROMOTE_CANDIDATE': {
        const slot = d.targetSlot!;
        const c = deps.repos.candidates.runningInSlot(slot);
        if (!c) throw new Error(`PROMOTE_CANDIDATE: slot ${slot} holds no running candidate`);
        w.mode = 'resume';
        w.slot = slot;
        w.changeRequest = c.description;
        w.notes.push(`resume shadow test of ${c.strategyVersion} (slot ${slot}) for promotion`);
        return { nowMs: deps.clock(), decision: 'resumeCandidate', reasoning, candidateVersion: c.strategyVersion };
      }
      case 'CANCEL_CANDIDATE': {
        const slot = d.targetSlot!;
        const canceled = desk.cancel({ slot, reason: d.reasoning, by: 'orchestrator' });
        w.notes.push(canceled.ok ? `canceled ${canceled.version} (slot ${slot})` : `cancel refused: ${canceled.reason}`);
        return { nowMs: deps.clock(), decision: 'noChange', reasoning: `${reasoning} — ${canceled.ok ? `canceled ${canceled.version}` : canceled.reason}` };
      }
      case 'MARKET_ANALYSIS_UPDATE':
      case 'TRADE_ANALYSIS_UPDATE':
        w.notes.push(`${d.decision} deferred: no analysis-module host is wired`);
        return { nowMs: deps.clock(), decision: 'noChange', reasoning: `${reasoning} — deferred: no analysis-module host is wired yet (change request recorded in the thought spool)` };
    }
  });
}
