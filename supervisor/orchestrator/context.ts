/**
 * `gatherContext`: reflection when due, then tonight's context bundle — GROUND TRUTH metrics,
 * analysis-module reports, the active strategy's code and document, recent trades, signals and
 * rejections, signal-drought facts, the budget, candidate status, recent cycles and rollbacks,
 * open predictions, and market data last. The bundle stays in the cycle's workspace; the machine
 * gets its id.
 */
import { fromPromise } from 'xstate';
import type { GatheredContext, CycleStepInput } from '../../machines/orchestrator.ts';
import { computeTruthMetrics } from '../../domain/metrics/index.ts';
import { toNumber, toString } from '../../domain/money/index.ts';
import type { DataBlock, OpenPrediction } from '../../domain/ports/index.ts';
import { localDayKey } from '../../domain/time/index.ts';
import { loadActiveStrategy } from '../../strategies/loader/index.ts';
import type { CycleWorkspace, OrchestratorDeps } from './deps.ts';
import { jsonText, publishEvent, recordedCall } from './records.ts';
import { syncFundRollbacks } from './rollback.ts';

const DAY_MS = 86_400_000;

/** The strategy document the fund starts from (version 1) when none was ever written. */
export const SEED_STRATEGY_DOCUMENT = `# Strategy document (seed)
Capital preservation first: the fund trades spot, long only, inside hard risk limits that only the operator changes.
Evidence over opinion: GROUND TRUTH metrics come from the trade ledger; strategy labels and AI text are opinions.
Change rarely and reversibly: most nights change nothing; every change is a candidate that must pass the sandbox,
a review, walk-forward backtests and a shadow paper test before it trades, and a rollback undoes it.`;

/** Workspaces of cycles in progress, by cycle id. */
export type Workspaces = Map<string, CycleWorkspace>;

/** The workspace of `cycleId`; throws (→ machine `failed`) when the cycle never gathered context. */
export function workspaceOf(workspaces: Workspaces, cycleId: string): CycleWorkspace {
  const w = workspaces.get(cycleId);
  if (!w) throw new Error(`cycle ${cycleId} has no gathered context (was gatherContext skipped?)`);
  return w;
}

const block = (kind: DataBlock['kind'], title: string, content: string): DataBlock => ({ kind, title, content });

/** Whether a reflection is due: a document exists, observations were made since it, and it is at least `reflection_interval_days` old. */
export function reflectionDue(deps: Pick<OrchestratorDeps, 'repos' | 'config'>, nowMs: number): boolean {
  const doc = deps.repos.strategyDocs.latest();
  if (!doc) return false;
  if (nowMs - doc.createdAt < deps.config.reflectionIntervalDays * DAY_MS) return false;
  return deps.repos.observations.since(doc.createdAt).length > 0;
}

/**
 * Runs a reflection: grades open predictions, rewrites the strategy document (a new archived
 * version), records new predictions, announces it. A failed call is recorded (thought spool) and
 * reported as a context block; the cycle goes on with the current document.
 */
export async function runReflection(deps: OrchestratorDeps, cycleId: string, signal: AbortSignal | undefined, deadlineMs?: number): Promise<DataBlock | null> {
  const doc = deps.repos.strategyDocs.latest();
  if (!doc) return null;
  const open: OpenPrediction[] = deps.repos.predictions.ungraded().map((p) => ({
    id: p.id,
    claim: p.claim,
    evidence: p.evidence,
    falsification: p.falsification,
    confidence: p.confidence,
    timeframe: p.evaluationTimeframe,
    category: p.category,
    madeAtMs: p.createdAt,
  }));
  const observations = deps.repos.observations.since(doc.createdAt);
  const data = [
    block('observations', 'Observations since the last reflection', jsonText(observations.map((o) => ({ date: o.date, market: o.marketSummary, assessment: o.strategyAssessment, findings: o.notableFindings, flagged: o.docFlag ? o.flagReason : null })))),
    ...groundTruthBlocks(deps, deps.clock()),
  ];
  const { result, thoughtId } = await recordedCall(deps, cycleId, 'reflection', () =>
    deps.advisor.reflect({ strategyDocument: doc.content, openPredictions: open, data }, { cycleId, step: 'reflection', ...(signal ? { signal } : {}), ...(deadlineMs ? { deadlineMs } : {}) }),
  );
  if (!result.ok) return block('feedback', 'Reflection failed tonight', `${result.error.kind}: ${result.error.reason} (thought #${thoughtId})`);
  const now = deps.clock();
  for (const g of result.value.gradedPredictions) deps.repos.predictions.grade(g.predictionId, { grade: g.grade, gradeEvidence: g.evidence, gradeLearning: g.learning }, now);
  for (const p of result.value.newPredictions) {
    deps.repos.predictions.insert({ cycleId, claim: p.claim, evidence: p.evidence, falsification: p.falsification, confidence: p.confidence, evaluationTimeframe: p.timeframe, category: p.category, createdAt: now });
  }
  const version = deps.repos.strategyDocs.append(result.value.strategyDocument, cycleId, now);
  publishEvent(deps, 'reflection.completed', { predictionsGraded: result.value.gradedPredictions.length, newPredictions: result.value.newPredictions.length, summary: `${result.value.summary} (strategy document v${version})` });
  return block('observations', `Reflection tonight (strategy document v${version})`, result.value.summary);
}

/** GROUND TRUTH: truth metrics from the fund's own ledger (trades, daily snapshots, signals). */
export function groundTruthBlocks(deps: Pick<OrchestratorDeps, 'repos'>, nowMs: number): DataBlock[] {
  const since = nowMs - 90 * DAY_MS;
  const trades = deps.repos.trades.list({ sinceMs: since, limit: 5000 });
  const snapshots = deps.repos.dailyPerformance.list({ limit: 90 }).reverse();
  const signals = deps.repos.signals.list({ sinceMs: since, limit: 5000 });
  const versions = deps.repos.strategyVersions.list(50);
  let metrics: string;
  try {
    const m = computeTruthMetrics({
      trades: trades.map((t) => ({ symbol: t.symbol, pnl: toNumber(t.pnl), pnlPct: toNumber(t.pnlFraction), fees: toNumber(t.fees), openedAtMs: t.openedAt, closedAtMs: t.closedAt, closeReason: t.closeReason })),
      snapshots: snapshots.map((s) => ({ date: s.date, portfolioValue: toNumber(s.portfolioValue), cash: toNumber(s.cash) })),
      signals: signals.map((s) => ({ actedOn: s.actedOn })),
      scans: [],
      strategyVersions: versions.map((v) => ({ version: v.version, deployedAtMs: v.deployedAt })),
      openPositions: [],
      periodStartMs: since,
      nowMs,
    });
    metrics = jsonText(m);
  } catch (err) {
    metrics = `truth metrics could not be computed: ${(err as Error).message}`;
  }
  return [block('groundTruth', 'GROUND TRUTH — truth metrics computed from the trade ledger (not from any strategy or AI)', `${trades.length} closed trades and ${snapshots.length} daily snapshots in the last 90 days.\n${metrics}`)];
}

function contextBlocks(deps: OrchestratorDeps, w: CycleWorkspace, nowMs: number): DataBlock[] {
  const r = deps.repos;
  const out: DataBlock[] = [];
  if (w.incumbent) out.push(block('strategyCode', `Active strategy ${w.incumbent.version} (source)`, w.incumbent.source));
  else out.push(block('strategyCode', 'Active strategy', '(none: the fund has no usable strategy and is paused)'));
  out.push(...groundTruthBlocks(deps, nowMs));
  const versions = r.strategyVersions.list(10).map((v) => ({ version: v.version, parent: v.parentVersion, description: v.description, deployedAt: v.deployedAt, retiredAt: v.retiredAt, live: v.deployedAt !== null && v.retiredAt === null }));
  out.push(block('versions', 'Strategy versions (newest first)', jsonText(versions)));
  const log = r.orchestratorLog.list(10).map((l) => ({ cycle: l.cycleId, date: l.date, decision: l.decision, outcome: l.outcome, from: l.strategyVersionFrom, to: l.strategyVersionTo, changes: l.changes }));
  out.push(block('performance', 'Recent cycles, promotions and rollbacks (newest first)', jsonText(log)));
  const trades = r.trades.list({ limit: 20 }).map((t) => ({ symbol: t.symbol, pnl: toString(t.pnl), pnlFraction: toString(t.pnlFraction), closeReason: t.closeReason, version: t.strategyVersion, openedAt: new Date(t.openedAt).toISOString(), closedAt: new Date(t.closedAt).toISOString() }));
  out.push(block('trades', 'Recent fund trades (newest first)', trades.length === 0 ? '(no closed trades)' : jsonText(trades)));
  const signals = r.signals.list({ sinceMs: nowMs - 7 * DAY_MS, limit: 200 });
  const rejected = signals.filter((s) => !s.actedOn);
  const lastActed = signals.find((s) => s.actedOn);
  const lastAt = r.signals.latestAt();
  out.push(
    block(
      'signals',
      'Signals, rejections and signal drought (last 7 days)',
      jsonText({
        signals: signals.length,
        actedOn: signals.length - rejected.length,
        rejected: rejected.length,
        rejectionReasons: [...new Set(rejected.map((s) => s.rejectedReason ?? 'unknown'))].slice(0, 10),
        lastSignalAt: lastAt === undefined ? null : new Date(lastAt).toISOString(),
        lastActedOnAt: lastActed ? new Date(lastActed.createdAt).toISOString() : null,
        hoursSinceLastSignal: lastAt === undefined ? null : Math.round((nowMs - lastAt) / 3_600_000),
      }),
    ),
  );
  const running = r.candidates.running().map((c) => {
    const test = r.paperTests.runningFor(c.id);
    return { slot: c.slot, version: c.strategyVersion, description: c.description, createdAt: new Date(c.createdAt).toISOString(), shadowTrades: r.candidateTrades.count(c.id), paperTest: test ? { status: test.status, minTrades: test.minTrades, deadline: new Date(test.deadlineAt).toISOString(), extended: r.paperTests.listFor(c.id).length > 1 } : null };
  });
  out.push(block('candidates', 'Candidates (running)', jsonText({ maxCandidates: deps.config.maxCandidates, running })));
  const open = r.predictions.ungraded().slice(-20).map((p) => ({ id: p.id, claim: p.claim, falsification: p.falsification, timeframe: p.evaluationTimeframe }));
  out.push(block('predictions', 'Open predictions', jsonText(open)));
  out.push(block('budget', 'AI budget', `tokens left today: ${deps.advisor.remainingToday()}; advisor mode: ${deps.mode}`));
  return out;
}

/**
 * The `gatherContext` actor: creates the cycle's workspace (active strategy, document — seeded
 * when none exists), reflects when due, and assembles the blocks. Store errors reject (→ failed).
 */
export function createGatherContextActor(deps: OrchestratorDeps, workspaces: Workspaces) {
  return fromPromise<GatheredContext, CycleStepInput>(async ({ input, signal }) => {
    const nowMs = deps.clock();
    // Rollbacks the fund did since the last cycle become orchestrator_log rows (shown below).
    syncFundRollbacks(deps, nowMs);
    const active = loadActiveStrategy({ repos: deps.repos, filePath: deps.strategyFile ?? null });
    if (!deps.repos.strategyDocs.latest()) deps.repos.strategyDocs.append(SEED_STRATEGY_DOCUMENT, null, nowMs);
    const w: CycleWorkspace = {
      cycleId: input.cycleId,
      startedAtMs: nowMs,
      incumbent: active.kind === 'loaded' ? { version: active.version, source: active.sourceCode, js: active.code } : null,
      document: '',
      blocks: [],
      decision: null,
      mode: null,
      slot: null,
      changeRequest: '',
      abandoned: null,
      attempts: new Map(),
      notes: [],
      promotedTo: null,
      promotedFrom: null,
    };
    workspaces.set(input.cycleId, w);
    const reflected = reflectionDue(deps, nowMs) ? await runReflection(deps, input.cycleId, signal, input.deadlineMs) : null;
    w.document = deps.repos.strategyDocs.latest()?.content ?? SEED_STRATEGY_DOCUMENT;
    const analysis = deps.analysisReports ? await deps.analysisReports(nowMs) : [];
    const market = deps.marketData ? deps.marketData(nowMs) : [];
    w.blocks = [
      ...(reflected ? [reflected] : []),
      ...contextBlocks(deps, w, nowMs),
      ...(analysis.length > 0 ? analysis : [block('analysisOutput', 'Analysis modules', '(no analysis module is deployed)')]),
      ...market,
    ];
    w.notes.push(`context ${localDayKey(nowMs, deps.config.timeZone)}: ${w.blocks.length} blocks${reflected ? ', reflection' : ''}`);
    return { nowMs: deps.clock(), contextId: input.cycleId };
  });
}
