/**
 * Queries about the strategy and the AI side: the live strategy and its versions, today's token
 * budget, the thought spool, the latest outlook, candidate slots. They read the store and the
 * fund snapshot. Argument problems and "not found" come back as `{ ok: false, reason }`.
 */
import { type Fixed, ZERO, toString } from '../../../domain/money/index.ts';
import { positionValue } from '../../../domain/portfolio/index.ts';
import { localDayKey, nextLocalMidnight, startOfLocalDay } from '../../../domain/time/index.ts';
import type { TokenTotals } from '../../../adapters/libsql/index.ts';
import type { OperatorDeps, QueryResult } from '../types.ts';
import type { CandidateSlotView, OutlookView, StrategyView, ThoughtView, ThoughtsView, TokenTotalsView, TokensView } from '../views.ts';

/** Lines of code shown by `/strategy` (the predecessor showed the first 6). */
export const STRATEGY_PREVIEW_LINES = 6;
/** Cycles listed by `/thoughts list`. */
export const THOUGHT_CYCLES_LISTED = 10;
/** Thoughts scanned to find the recent cycles (a cycle makes at most a few hundred calls). */
const THOUGHTS_SCANNED = 2000;
/** Characters of the prompt shown in a thought's header. */
export const INPUT_EXCERPT_CHARS = 300;

function totalsView(t: TokenTotals): TokenTotalsView {
  return {
    calls: t.calls,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheReadTokens: t.cacheReadTokens,
    cacheWriteTokens: t.cacheWriteTokens,
    costUsd: toString(t.costUsd),
  };
}

/** The strategy/AI queries over `deps` (see the module comment). */
export function orchestratorQueries(deps: OperatorDeps) {
  const { repos, settings, clock } = deps;

  const strategy = (): StrategyView => {
    const ctx = deps.fund.getSnapshot().context;
    const active = repos.strategyVersions.current();
    const last = ctx.strategy.history.at(-1) ?? null;
    return {
      fund: {
        status: ctx.strategy.status,
        version: ctx.strategy.version,
        source: ctx.strategy.source,
        previousVersion: ctx.strategy.previousVersion,
        problem: ctx.strategy.problem,
        lastRollback:
          last === null
            ? null
            : { trigger: last.trigger, fromVersion: last.fromVersion, toVersion: last.toVersion, ok: last.ok, endedAtMs: last.endedAtMs },
      },
      active:
        active === undefined
          ? null
          : {
              version: active.version,
              codeHash: active.codeHash,
              riskTier: active.riskTier,
              description: active.description,
              deployedAtMs: active.deployedAt,
              preview: active.code.split('\n').slice(0, STRATEGY_PREVIEW_LINES).join('\n'),
            },
      paperTest: {
        status: ctx.paperTest.status,
        candidateVersion: ctx.paperTest.candidateVersion,
        trades: ctx.paperTest.trades,
        pnl: ctx.paperTest.pnl,
        deadlineMs: ctx.paperTest.deadlineMs,
      },
      recentVersions: repos.strategyVersions.list(10).map((v) => ({
        version: v.version,
        createdAtMs: v.createdAt,
        deployedAtMs: v.deployedAt,
        retiredAtMs: v.retiredAt,
        description: v.description,
      })),
    };
  };

  /** Today's local day (the budget's day), overall and per model. */
  const tokens = (): TokensView => {
    const now = clock.now();
    const totals = repos.tokenUsage.totals(startOfLocalDay(now, settings.timeZone), nextLocalMidnight(now, settings.timeZone));
    const used = totals.all.inputTokens + totals.all.outputTokens;
    const byModel: Record<string, TokenTotalsView> = {};
    for (const [model, t] of [...totals.byModel].sort(([a], [b]) => a.localeCompare(b))) byModel[model] = totalsView(t);
    return {
      date: localDayKey(now, settings.timeZone),
      dailyLimit: settings.dailyTokenLimit,
      used,
      remaining: Math.max(0, settings.dailyTokenLimit - used),
      total: totalsView(totals.all),
      byModel,
    };
  };

  /**
   * `/thoughts`: no argument → the newest cycle's steps; 'list' → the last 10 cycles with step
   * counts; a cycle id → that cycle's steps.
   */
  const thoughts = (arg?: string): QueryResult<ThoughtsView> => {
    const a = arg?.trim() ?? '';
    if (a === 'list') {
      const cycles: { cycleId: string; steps: number; lastAtMs: number }[] = [];
      for (const t of repos.thoughts.list(THOUGHTS_SCANNED)) {
        const c = cycles.find((x) => x.cycleId === t.cycleId);
        if (c) c.steps += 1;
        else if (cycles.length < THOUGHT_CYCLES_LISTED) cycles.push({ cycleId: t.cycleId, steps: 1, lastAtMs: t.createdAt });
      }
      return { ok: true, value: { kind: 'list', cycles } };
    }
    const cycleId = a === '' ? repos.thoughts.list(1)[0]?.cycleId : a;
    if (cycleId === undefined) return { ok: true, value: { kind: 'none' } };
    const rows = repos.thoughts.byCycle(cycleId);
    if (rows.length === 0) return { ok: false, reason: `no thoughts stored for cycle ${JSON.stringify(cycleId)}; '/thoughts list' shows the recent cycles` };
    return {
      ok: true,
      value: {
        kind: 'cycle',
        cycleId,
        steps: rows.map((r) => ({ id: r.id, step: r.step, model: r.model, responseChars: r.fullResponse.length, createdAtMs: r.createdAt })),
      },
    };
  };

  /** `/thought <cycle> <step>`: the full response of one step (the newest if a step repeats). */
  const thought = (cycleId: string, step: string): QueryResult<ThoughtView> => {
    if (!cycleId?.trim() || !step?.trim()) return { ok: false, reason: 'usage: thought <cycle id> <step> (see /thoughts for both)' };
    const rows = repos.thoughts.byCycle(cycleId.trim());
    if (rows.length === 0) return { ok: false, reason: `no thoughts stored for cycle ${JSON.stringify(cycleId)}; '/thoughts list' shows the recent cycles` };
    const row = rows.filter((r) => r.step === step.trim()).at(-1);
    if (!row) return { ok: false, reason: `cycle ${cycleId} has no step ${JSON.stringify(step)}; its steps are: ${[...new Set(rows.map((r) => r.step))].join(', ')}` };
    return {
      ok: true,
      value: {
        cycleId: row.cycleId,
        step: row.step,
        model: row.model,
        createdAtMs: row.createdAt,
        inputExcerpt: row.inputSummary.slice(0, INPUT_EXCERPT_CHARS),
        response: row.fullResponse,
        parsed: row.parsedResult,
      },
    };
  };

  const outlook = (): OutlookView | null => {
    const o = repos.observations.latest();
    return o === undefined
      ? null
      : {
          date: o.date,
          cycleId: o.cycleId,
          marketSummary: o.marketSummary,
          strategyAssessment: o.strategyAssessment,
          notableFindings: o.notableFindings,
          strategyVersion: o.strategyVersion,
          createdAtMs: o.createdAt,
        };
  };

  /** One entry per slot 1..max_candidates: its running candidate's shadow book, or empty. */
  const candidates = (): CandidateSlotView[] => {
    const ctx = deps.fund.getSnapshot().context;
    const out: CandidateSlotView[] = [];
    for (let slot = 1; slot <= settings.maxCandidates; slot += 1) {
      const c = repos.candidates.runningInSlot(slot);
      if (!c) {
        out.push({ slot, status: 'empty' });
        continue;
      }
      const trades = repos.candidateTrades.list(c.id, 100_000);
      const open = repos.candidatePositions.list(c.id);
      let realized: Fixed = ZERO;
      let wins = 0;
      for (const t of trades) {
        realized += t.pnl;
        if (t.pnl > ZERO) wins += 1;
      }
      let cash = c.startingCash + realized;
      let marked: Fixed = ZERO;
      for (const p of open) {
        cash -= p.costBasis + p.entryFees;
        marked += positionValue(p);
      }
      const value = cash + marked;
      const test = repos.paperTests.runningFor(c.id) ?? repos.paperTests.listFor(c.id).at(-1);
      out.push({
        slot,
        status: 'running',
        candidateId: c.id,
        version: c.strategyVersion,
        description: c.description,
        startingCash: toString(c.startingCash),
        value: toString(value),
        pnl: toString(value - c.startingCash),
        trades: trades.length,
        winRate: trades.length === 0 ? null : wins / trades.length,
        evaluationDays: c.evaluationDurationDays,
        createdAtMs: c.createdAt,
        paperTest: test ? { status: test.status, deadlineMs: test.deadlineAt, minTrades: test.minTrades } : null,
        underFundTest: ctx.paperTest.status === 'running' && ctx.paperTest.candidateVersion === c.strategyVersion,
      });
    }
    return out;
  };

  return { strategy, tokens, thoughts, thought, outlook, candidates };
}
