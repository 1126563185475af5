/**
 * `backtestStrategy`: walk-forward backtests (supervisor/backtest, out-of-sample folds) of the
 * candidate AND the incumbent on the same candles with the fund's own settings, then the
 * advisor's backtest review: `deploy` takes a candidate slot (up to `max_candidates`; a named
 * occupied slot is replaced) whose shadow test the machine starts next; `revise` sends the
 * instructions back to generation; `abandon` is a final refusal (the cycle ends `rejected`).
 */
import { fromPromise } from 'xstate';
import type { CycleStepInput, StepVerdict } from '../../machines/orchestrator.ts';
import { type BacktestReport, runBacktestReport } from '../backtest/index.ts';
import type { Workspaces } from './context.ts';
import { workspaceOf } from './context.ts';
import type { CandidateDesk, BacktestSummary } from './candidates.ts';
import type { OrchestratorDeps } from './deps.ts';
import { psrAgainst } from './gate.ts';
import { currentAttempt } from './generate.ts';
import { advisorFailure, callOptions, jsonText, publishEvent, recordedCall } from './records.ts';

const DAY_MS = 86_400_000;
const M5 = 300_000;

/** Per-trade return fractions of the out-of-sample windows, in time order. */
export function oosReturns(report: BacktestReport): number[] {
  return (report.walkForward?.windows ?? []).flatMap((w) => w.outOfSample.trades.map((t) => t.pnlPct));
}

/** A compact, model-readable view of a walk-forward report. */
function digest(report: BacktestReport): unknown {
  return {
    version: report.strategy.version,
    wholeWindow: { returnPct: report.result.returnPct, fills: report.result.fills, trades: report.trades.length, strategyErrors: report.strategyErrors.count },
    folds: (report.walkForward?.windows ?? []).map((f) => ({
      fold: f.fold,
      inSample: { from: f.inSample.period.from, returnPct: f.inSample.result.returnPct, trades: f.inSample.trades.length },
      outOfSample: { from: f.outOfSample.period.from, returnPct: f.outOfSample.result.returnPct, trades: f.outOfSample.trades.length },
    })),
    outOfSample: report.walkForward?.outOfSample ?? null,
  };
}

/** The `backtestStrategy` actor. */
export function createBacktestActor(deps: OrchestratorDeps, workspaces: Workspaces, desk: CandidateDesk) {
  return fromPromise<StepVerdict, CycleStepInput>(async ({ input, signal }) => {
    const w = workspaceOf(workspaces, input.cycleId);
    const a = currentAttempt(workspaces, input);
    if (a.js === null || !w.incumbent) throw new Error(`attempt ${input.attempt} has no checked code to backtest`);
    const cfg = deps.config;
    const now = deps.clock();
    const toMs = now - (now % M5);
    const fromMs = toMs - cfg.backtestDays * DAY_MS;
    const warmupMs = cfg.warmupDays * DAY_MS;
    const symbols = deps.settings.markets.map((m) => m.symbol);
    const candles = deps.candles(symbols, fromMs - warmupMs - DAY_MS, toMs);
    const request = (version: string, code: string) => ({
      symbols,
      candles,
      fromMs,
      toMs,
      warmupMs,
      settings: deps.settings,
      startingCapital: cfg.startingCapital,
      strategy: { version, code, hash: version, source: version },
      seed: cfg.seed,
      folds: cfg.folds,
      makeRunner: deps.makeRunner,
      feeModel: 'fund',
    });
    const cand = await runBacktestReport(request(a.version, a.js));
    if (!cand.ok) return { nowMs: deps.clock(), ok: false, feedback: `backtest of ${a.version} could not run: ${cand.reason}` };
    const inc = await runBacktestReport(request(w.incumbent.version, w.incumbent.js));
    const candidateOos = oosReturns(cand.report);
    const incumbentOos = inc.ok ? oosReturns(inc.report) : [];
    const psrOos = psrAgainst(candidateOos, incumbentOos);
    const preview = {
      minPsr: cfg.promotionMinPsr,
      psrOosVsIncumbent: psrOos,
      candidateOosTrades: candidateOos.length,
      incumbentOosTrades: incumbentOos.length,
      passes: psrOos !== null && psrOos >= cfg.promotionMinPsr,
    };
    const reportText = jsonText({ gatePreview: preview, candidate: digest(cand.report) });
    const incumbentText = inc.ok ? jsonText(digest(inc.report)) : `incumbent backtest could not run: ${inc.reason}`;
    a.backtest = { candidateOos, incumbentOos, report: reportText };
    const step = `backtest_review_a${input.attempt}`;
    const attempts = [...w.attempts.values()].filter((x) => x.attempt < input.attempt).map((x) => `${x.version}: ${x.refusal ?? x.review?.summary ?? 'refused later'}`);
    const { result, thoughtId } = await recordedCall(deps, input.cycleId, step, () =>
      deps.advisor.reviewBacktest({ changeRequest: w.changeRequest, backtestReport: reportText, incumbentReport: incumbentText, attempts, data: [] }, callOptions(input, step, signal)),
    );
    if (!result.ok) throw advisorFailure(step, result, thoughtId);
    const review = result.value;
    if (review.verdict === 'revise') {
      w.changeRequest = review.revisionInstructions ?? w.changeRequest;
      return { nowMs: deps.clock(), ok: false, feedback: `backtest review: revise — ${review.reasoning}\n${review.revisionInstructions ?? ''}` };
    }
    if (review.verdict === 'abandon') {
      w.abandoned = review.reasoning;
      w.notes.push(`backtest review abandoned ${a.version}`);
      return { nowMs: deps.clock(), ok: false, final: true, feedback: `backtest review: abandon — ${review.reasoning}` };
    }
    const slot = w.slot!;
    if (deps.repos.candidates.runningInSlot(slot)) desk.cancel({ slot, reason: `replaced by ${a.version}`, by: 'orchestrator' });
    const summary: BacktestSummary = { candidateOos, incumbentOos, incumbentVersion: w.incumbent.version, psrOos };
    deps.repos.strategyVersions.update(a.version, { backtestResult: reportText });
    const created = deps.repos.candidates.create(
      {
        slot,
        strategyVersion: a.version,
        description: (a.generated?.description ?? w.changeRequest).slice(0, 2000),
        backtestSummary: jsonText(summary),
        portfolioSnapshot: jsonText({ startingCapital: cfg.startingCapital }),
        startingCash: cfg.startingCapital,
        evaluationDurationDays: w.decision?.evaluationDays ?? cfg.paperTestDeadlineDays,
        createdAt: deps.clock(),
      },
      { maxSlots: cfg.maxCandidates },
    );
    if (!created.ok) throw new Error(`candidate slot refused: ${created.reason}`);
    w.notes.push(`candidate ${a.version} in slot ${slot}`);
    publishEvent(deps, 'candidate.created', { slot, version: a.version, evaluationDays: w.decision?.evaluationDays ?? cfg.paperTestDeadlineDays, description: a.generated?.description ?? w.changeRequest });
    return { nowMs: deps.clock(), ok: true, feedback: '' };
  });
}
