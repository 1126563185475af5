/**
 * `createOrchestratorImplementations(deps)`: the actors, actions and guard the orchestrator
 * machine's placeholders name (machines/orchestrator.ts), for
 * `orchestratorMachine.provide({ actors, actions, guards })`, plus the candidate desk (the fund
 * runtime steps shadow books through it and turns its verdicts into `paperTest.completed`) and
 * the operator's veto / forced promotion.
 */
import type { OrchestratorContext, OrchestratorEvent } from '../../machines/orchestrator.ts';
import { localDayKey } from '../../domain/time/index.ts';
import { createBacktestActor } from './backtest.ts';
import { type CandidateDesk, createCandidateDesk } from './candidates.ts';
import { createCheckBudgetActor } from './check-budget.ts';
import { type Workspaces, createGatherContextActor } from './context.ts';
import { createDecideActor } from './decide.ts';
import type { OrchestratorDeps } from './deps.ts';
import { createGenerateActor } from './generate.ts';
import { type CandidateRef, type OperatorResult, type OrchestratorHandle, forcePromotion, vetoCandidate } from './operator.ts';
import { createPromoteActor } from './promote.ts';
import { cycleUsage, jsonText, publishEvent } from './records.ts';
import { createReviewActor } from './review.ts';
import { type RollbackResult, rollbackToPrevious, syncFundRollbacks } from './rollback.ts';
import { createValidateActor } from './validate.ts';

type ActionArgs = { context: OrchestratorContext; event: OrchestratorEvent };

/**
 * Builds everything the machine needs from `deps`. The returned `actors`/`actions`/`guards` go
 * to `orchestratorMachine.provide(...)`; `desk` is shared with the fund runtime; `operator`
 * with the operator surface; `rollback` with the fund's `revertStrategy`.
 */
export function createOrchestratorImplementations(deps: OrchestratorDeps) {
  const workspaces: Workspaces = new Map();
  const desk: CandidateDesk = createCandidateDesk(deps);

  const actors = {
    checkBudget: createCheckBudgetActor(deps),
    gatherContext: createGatherContextActor(deps, workspaces),
    decide: createDecideActor(deps, workspaces, desk),
    generateStrategy: createGenerateActor(deps, workspaces),
    reviewStrategy: createReviewActor(deps, workspaces),
    validateStrategy: createValidateActor(deps, workspaces),
    backtestStrategy: createBacktestActor(deps, workspaces, desk),
    promoteStrategy: createPromoteActor(deps, workspaces, desk),
  };

  const actions = {
    announceCycleStarted: ({ context }: ActionArgs) => {
      const c = context.cycle;
      if (c) publishEvent(deps, 'orchestrator.cycleStarted', { cycleId: c.id, source: c.source });
    },
    announceCycleOutcome: ({ context }: ActionArgs) => {
      const o = context.lastOutcome;
      if (!o) return;
      const w = workspaces.get(o.cycleId);
      const startedAt = context.cycle?.startedAtMs ?? o.endedAtMs;
      const finishedAt = deps.clock();
      try {
        const usage = cycleUsage(deps, o.cycleId, startedAt, finishedAt);
        deps.repos.orchestratorLog.insert({
          cycleId: o.cycleId,
          date: localDayKey(startedAt, deps.config.timeZone),
          decision: w?.decision?.decision ?? 'NONE',
          outcome: o.outcome,
          analysis: w?.decision ? jsonText(w.decision) : null,
          changes: [...(w?.notes ?? []), `${o.outcome}: ${o.reason}`].join('\n'),
          strategyVersionFrom: w?.promotedFrom ?? w?.incumbent?.version ?? null,
          strategyVersionTo: w?.promotedTo ?? o.candidateVersion,
          tokensUsed: usage.tokens,
          costUsd: usage.costUsd,
          startedAt,
          finishedAt: Math.max(finishedAt, startedAt),
        });
      } catch (err) {
        publishEvent(deps, 'system.errorOccurred', { source: 'orchestrator', message: `orchestrator_log row for ${o.cycleId} not written: ${(err as Error).message}` });
      }
      publishEvent(deps, 'orchestrator.cycleCompleted', { cycleId: o.cycleId, outcome: o.outcome, reason: o.reason || o.outcome, candidateVersion: o.candidateVersion });
      workspaces.delete(o.cycleId);
    },
    startShadowTest: ({ context }: ActionArgs) => {
      const version = context.cycle?.candidateVersion;
      if (!version) return;
      desk.start(version).catch((err: unknown) => {
        publishEvent(deps, 'system.errorOccurred', { source: 'orchestrator', message: `shadow test of ${version} could not start: ${(err as Error).message}` });
      });
    },
    stopShadowTest: ({ context }: ActionArgs) => {
      const version = context.cycle?.candidateVersion;
      if (version) desk.shadowTimedOut(version);
    },
    /** The operator's veto reached the machine: veto on the desk (cancel, stop the book) unless the operator surface already did. */
    vetoShadowTest: ({ context, event }: ActionArgs) => {
      const version = context.cycle?.candidateVersion;
      if (!version || event.type !== 'operator.vetoCandidate' || desk.vetoOf(version) !== null) return;
      const r = desk.veto(version, event.reason);
      if (!r.ok) publishEvent(deps, 'system.errorOccurred', { source: 'orchestrator', message: `veto of ${version}: ${r.reason}` });
    },
  };

  const guards = {
    /**
     * The gate: the fund's verdict says passed for this cycle's candidate AND the gate recomputed
     * now from the shadow book and the stored out-of-sample results passes (trades, duration, PSR
     * vs incumbent, no breach, no veto). Without a book (e.g. after a restart) the event's own
     * numbers must meet the thresholds, and a veto still blocks.
     */
    hasPassedPromotionGate: ({ context, event }: ActionArgs) => {
      if (event.type !== 'paperTest.completed' || event.candidateVersion !== context.cycle?.candidateVersion || event.verdict !== 'passed') return false;
      if (desk.vetoOf(event.candidateVersion) !== null) return false;
      const gate = desk.gate(event.candidateVersion, event.nowMs);
      if (gate !== null) return gate.verdict === 'passed';
      return event.trades >= deps.config.minPaperTestTrades && event.psr !== null && event.psr >= deps.config.promotionMinPsr;
    },
  };

  const operator = {
    /** See `vetoCandidate` (operator.ts); pass the orchestrator actor so a running cycle ends `rejected`. */
    vetoCandidate: (ref: CandidateRef, reason: string, machine?: OrchestratorHandle): OperatorResult => vetoCandidate(deps, desk, ref, reason, machine),
    /** See `forcePromotion` (operator.ts); pass the orchestrator actor so a running cycle promotes it. */
    forcePromotion: (ref: CandidateRef, confirm: string, machine?: OrchestratorHandle): OperatorResult => forcePromotion(deps, desk, ref, confirm, machine),
  };

  return {
    actors,
    actions,
    guards,
    desk,
    operator,
    /** Reverts the fund to the previous version (see rollback.ts). */
    rollback: (reason: string): RollbackResult => rollbackToPrevious(deps, reason),
    /** Records the fund's own rollbacks (runtime `revertStrategy`) for the orchestrator; also run at every cycle's start (see rollback.ts). */
    syncFundRollbacks: (): string[] => syncFundRollbacks(deps, deps.clock()),
    /** Status for the operator surface: the advisor mode and tokens left today. */
    status: () => ({ mode: deps.mode, tokensRemaining: deps.advisor.remainingToday() }),
  };
}

/** What `createOrchestratorImplementations` returns. */
export type OrchestratorImplementations = ReturnType<typeof createOrchestratorImplementations>;
