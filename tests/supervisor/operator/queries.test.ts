/**
 * The operator's queries over a seeded store and a real fund actor. Every figure is
 * hand-computed from the seed (support.ts) in the comment beside it; ratios are rounded
 * half-even to 6 decimals.
 */
import { describe, expect, it } from 'vitest';
import { fromString } from '../../../domain/money/index.ts';
import { createRiskState } from '../../../domain/risk/index.ts';
import type { Repositories } from '../../../adapters/libsql/index.ts';
import { DAY, HOUR, MINUTE, T0, ZONE, operatorHarness, seedCandidate } from './support.ts';
import { sample } from '../../domain/events/samples.ts';

const f = fromString;

function value<V>(r: { ok: true; value: V } | { ok: false; reason: string }): V {
  if (!r.ok) throw new Error(`query failed: ${r.reason}`);
  return r.value;
}

/** Risk counters: start of day 1530, now 1519.7, peak 1600; two entries and one loss today. */
function riskHandle() {
  const base = createRiskState(f('1530'), T0, ZONE);
  const state = { ...base, equity: f('1519.7'), peakEquity: f('1600'), entriesToday: 2, realizedPnlToday: f('-16.5'), consecutiveLosses: 1 };
  return { riskState: () => state };
}

function seedRecords(repos: Repositories): void {
  const usage = (model: string, inputTokens: number, outputTokens: number, costUsd: string, createdAt: number) =>
    repos.tokenUsage.insert({ model, purpose: 'nightly_analysis', cycleId: null, inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: f(costUsd), createdAt });
  usage('claude-opus', 1000, 500, '0.0525', T0 - HOUR); // 1000 × 15/M + 500 × 75/M
  usage('claude-sonnet', 2000, 1000, '0.021', T0 - 30 * MINUTE); // 2000 × 3/M + 1000 × 15/M
  usage('claude-opus', 9000, 9000, '1', T0 - DAY); // yesterday: not counted
  const thought = (cycleId: string, step: string, createdAt: number, response: string) =>
    repos.thoughts.insert({ cycleId, step, model: 'claude-opus', inputSummary: `prompt of ${step} `.repeat(40), fullResponse: response, parsedResult: null, createdAt });
  thought('cycle-A', 'analysis', T0 - 3 * HOUR, 'A analysis');
  thought('cycle-A', 'candidate_gen_o1_i1', T0 - 3 * HOUR + 1, 'export const analyze = () => [];');
  thought('cycle-B', 'analysis', T0 - HOUR, 'B analysis, longer text');
  repos.dailyPerformance.upsert({
    date: '2026-01-03', dayStartAt: T0 - 2 * DAY, dayEndAt: T0 - DAY, portfolioValue: f('1500'), cash: f('1500'), totalTrades: 0, wins: 0, losses: 0,
    grossPnl: f('0'), netPnl: f('0'), feesTotal: f('0'), winRate: null, expectancy: null, maxDrawdownPct: f('0'), sharpe: null, strategyVersion: 'v001', recordedAt: T0 - DAY,
  });
  repos.dailyPerformance.upsert({
    date: '2026-01-04', dayStartAt: T0 - DAY, dayEndAt: T0, portfolioValue: f('1450'), cash: f('1130'), totalTrades: 1, wins: 1, losses: 0,
    grossPnl: f('30'), netPnl: f('27'), feesTotal: f('3'), winRate: 1, expectancy: f('27'), maxDrawdownPct: f('0.033333'), sharpe: null, strategyVersion: 'v001', recordedAt: T0,
  });
}

describe('fund queries', () => {
  it('status: mode, state, uptime from process start, last scan', async () => {
    const { operator } = await operatorHarness();
    expect(value(operator.status())).toEqual({
      mode: 'paper',
      version: '0.1.0',
      symbols: ['BTC/USD'],
      state: operator.state(),
      halted: false,
      haltReason: null,
      paused: false,
      startedAtMs: T0 - HOUR,
      uptimeMs: HOUR,
      lastScanAtMs: T0 - 5 * MINUTE,
    });
    operator.execute({ kind: 'halt', reason: 'maintenance' });
    expect(value(operator.status())).toMatchObject({ halted: true, haltReason: 'maintenance', state: { trading: 'halted' } });
  });

  it('portfolio: cash from first principles, marked positions, allocation', async () => {
    const { operator } = await operatorHarness();
    expect(value(operator.portfolio())).toEqual({
      currency: 'USD',
      totalValue: '1519.7', // 1199.7 + 320
      cash: '1199.7', // 1500 + 27 − 16.5 − 310.8
      unrealizedPnl: '10', // 320 − 310
      positionCount: 1,
      allocation: { cash: '0.789432', positions: '0.210568' }, // 1199.7 / 1519.7, 320 / 1519.7
    });
  });

  it('positions and trades', async () => {
    const { operator } = await operatorHarness();
    expect(value(operator.positions())).toEqual([
      {
        symbol: 'BTC/USD',
        tag: 'auto_BTCUSD_002',
        intent: 'SWING',
        quantity: '0.005',
        entryPrice: '62000', // 310 / 0.005
        lastPrice: '64000',
        value: '320',
        unrealizedPnl: '10',
        unrealizedFraction: '0.032258', // 10 / 310
        stopLoss: '60000',
        takeProfit: '70000',
        openedAtMs: T0 - 2 * HOUR,
        strategyVersion: 'v001',
      },
    ]);
    const trades = value(operator.trades());
    expect(trades.map((t) => [t.symbol, t.pnl, t.pnlFraction, t.fees, t.closeReason])).toEqual([
      ['ETH/USD', '-16.5', '-0.055', '1.5', 'stop_loss'],
      ['BTC/USD', '27', '0.045', '3', 'take_profit'],
    ]);
    expect(value(operator.trades({ limit: 1 })).map((t) => t.symbol)).toEqual(['ETH/USD']);
    expect(value(operator.trades({ limit: -5 }))).toHaveLength(1); // clamped to ≥ 1, never unlimited
    expect(value(operator.trades({ symbol: 'BTC/USD' })).map((t) => t.tag)).toEqual(['auto_BTCUSD_001']);
    expect(value(operator.trades({ sinceMs: T0 - 2 * HOUR })).map((t) => t.symbol)).toEqual(['ETH/USD']);
  });

  it('health: return against contributions, drawdown from the risk peak, truth figures', async () => {
    const { operator, repos } = await operatorHarness({ risk: riskHandle() });
    seedRecords(repos);
    repos.orchestratorLog.insert({
      cycleId: 'cycle-A', date: '2026-01-05', decision: 'NO_CHANGE', outcome: 'noChange', analysis: null, changes: null,
      strategyVersionFrom: 'v001', strategyVersionTo: null, tokensUsed: 1500, costUsd: f('0.0525'), startedAt: T0 - 3 * HOUR, finishedAt: T0 - 2 * HOUR,
    });
    expect(value(operator.health())).toEqual({
      currency: 'USD',
      portfolioValue: '1519.7',
      cash: '1199.7',
      positionCount: 1,
      contributed: '1500', // 1000 seed + 500 deposit
      totalReturn: '19.7',
      totalReturnFraction: '0.013133', // 19.7 / 1500
      drawdown: { fraction: '0.050188', peak: '1600' }, // (1600 − 1519.7) / 1600 = 0.0501875 → half-even
      maxDrawdownFraction: 50 / 1500, // snapshots 1500 → 1450
      trades: { total: 2, wins: 1, losses: 1, winRate: 0.5, expectancy: 5.25, netPnl: '10.5', fees: '4.5' }, // 0.5 × 27 + 0.5 × −16.5
      strategyVersion: 'v1',
      lastCycleAtMs: T0 - 3 * HOUR,
      daysSinceLastTrade: 0,
    });
    const bare = await operatorHarness();
    expect(value(bare.operator.health())).toMatchObject({ drawdown: null, maxDrawdownFraction: 0, lastCycleAtMs: null });
  });

  it('risk: limits, live counters and the halt', async () => {
    const { operator } = await operatorHarness({ risk: riskHandle() });
    const r = value(operator.risk());
    expect(r.limits).toMatchObject({ maxPositions: expect.any(Number), maxDrawdownPct: expect.any(Number), killSwitch: false });
    expect(r.current).toEqual({
      dayKey: '2026-01-05',
      dailyPnl: '-10.3', // includes unrealized (default): 1519.7 − 1530
      dailyPnlFraction: '-0.006732', // −10.3 / 1530
      entriesToday: 2,
      consecutiveLosses: 1,
      drawdownFraction: '0.050188',
      killSwitch: false,
    });
    expect(r).toMatchObject({ openPositions: 1, halted: false, halt: null });
    operator.execute({ kind: 'kill' });
    expect(value(operator.risk())).toMatchObject({ halted: true, halt: { source: 'killSwitch' } });
    const bare = await operatorHarness();
    expect(value(bare.operator.risk()).current).toBeNull();
  });

  it("performance: today's local day (not the UTC date), live trades and the snapshot once taken", async () => {
    const { operator, repos } = await operatorHarness();
    const p = value(operator.performance());
    expect(p).toMatchObject({
      date: '2026-01-05',
      dayStartMs: Date.UTC(2026, 0, 5, 5), // Toronto midnight = 05:00 UTC in January (EST)
      dayEndMs: Date.UTC(2026, 0, 6, 5),
      snapshot: null,
      portfolioValue: '1519.7',
      cash: '1199.7',
      openPositions: 1,
      trades: { total: 1, wins: 0, losses: 1, winRate: 0, expectancy: -16.5, netPnl: '-16.5', fees: '1.5' },
    });
    expect(p.closedToday.map((t) => t.symbol)).toEqual(['ETH/USD']);
    seedRecords(repos);
    expect(value(operator.performanceHistory()).map((s) => [s.date, s.portfolioValue])).toEqual([
      ['2026-01-04', '1450'],
      ['2026-01-03', '1500'],
    ]);
    expect(value(operator.performanceHistory({ fromDate: '2026-01-04' }))).toHaveLength(1);
    expect(value(operator.performanceHistory({ limit: 0 }))).toHaveLength(1);
  });
});

describe('benchmarks', () => {
  it('computes the truth metrics over the whole store, from the first boot', async () => {
    const { operator } = await operatorHarness();
    const b = value(operator.benchmarks());
    expect(b.periodStartMs).toBe(T0 - 30 * DAY); // when the paper seed was recorded
    expect(b.nowMs).toBe(T0);
    expect(b.metrics).toMatchObject({
      tradeCount: 2,
      winCount: 1,
      lossCount: 1,
      netPnl: 10.5, // 27 − 16.5
      totalFees: 4.5,
      totalScans: 1,
      currentStrategyVersion: 'v001',
      strategyVersionCount: 1,
      closeReasonBreakdown: { stop_loss: 1, take_profit: 1 },
      tradesBySymbol: { 'BTC/USD': 1, 'ETH/USD': 1 },
    });
  });
});

describe('strategy and AI queries', () => {
  it('strategy: what the fund runs, the deployed row with a 6-line preview, the paper test', async () => {
    const { operator } = await operatorHarness();
    const s = value(operator.strategy());
    expect(s.fund).toMatchObject({ status: 'live', version: 'v1', source: 'file', previousVersion: 'v0', lastRollback: null });
    expect(s.active).toMatchObject({ version: 'v001', codeHash: 'h001', riskTier: 1, deployedAtMs: T0 - 30 * DAY });
    expect(s.active?.preview.split('\n')).toEqual(['// v001: EMA 9/21 crossover', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(s.paperTest).toEqual({ status: 'idle', candidateVersion: null, trades: 0, pnl: '0', deadlineMs: null });
    expect(s.recentVersions.map((v) => v.version)).toEqual(['v001']);
  });

  it("tokens: today's local day against the daily limit, per model", async () => {
    const { operator, repos } = await operatorHarness();
    seedRecords(repos);
    const t = value(operator.tokens());
    expect(t).toMatchObject({
      date: '2026-01-05',
      dailyLimit: 1_500_000,
      used: 4500, // (1000 + 500) + (2000 + 1000)
      remaining: 1_495_500,
      total: { calls: 2, costUsd: '0.0735' }, // 0.0525 + 0.021
    });
    expect(Object.keys(t.byModel)).toEqual(['claude-opus', 'claude-sonnet']);
    expect(t.byModel['claude-opus']).toMatchObject({ calls: 1, inputTokens: 1000, outputTokens: 500, costUsd: '0.0525' });
  });

  it('thoughts and thought', async () => {
    const { operator, repos } = await operatorHarness();
    expect(value(operator.thoughts())).toEqual({ kind: 'none' });
    seedRecords(repos);
    expect(value(operator.thoughts())).toMatchObject({ kind: 'cycle', cycleId: 'cycle-B', steps: [{ step: 'analysis', responseChars: 23 }] });
    expect(value(operator.thoughts('list'))).toMatchObject({
      kind: 'list',
      cycles: [
        { cycleId: 'cycle-B', steps: 1 },
        { cycleId: 'cycle-A', steps: 2 },
      ],
    });
    expect(value(operator.thoughts('cycle-A'))).toMatchObject({ kind: 'cycle', steps: [{ step: 'analysis' }, { step: 'candidate_gen_o1_i1' }] });
    expect(operator.thoughts('cycle-Z')).toEqual({ ok: false, reason: `no thoughts stored for cycle "cycle-Z"; '/thoughts list' shows the recent cycles` });
    const one = value(operator.thought('cycle-A', 'candidate_gen_o1_i1'));
    expect(one).toMatchObject({ cycleId: 'cycle-A', model: 'claude-opus', response: 'export const analyze = () => [];', createdAtMs: T0 - 3 * HOUR + 1 });
    expect(one.inputExcerpt).toHaveLength(300);
    expect(operator.thought('cycle-A', 'review')).toEqual({ ok: false, reason: 'cycle cycle-A has no step "review"; its steps are: analysis, candidate_gen_o1_i1' });
    expect(operator.thought('', '')).toEqual({ ok: false, reason: 'usage: thought <cycle id> <step> (see /thoughts for both)' });
  });

  it('outlook: the latest observation, or null', async () => {
    const { operator, repos } = await operatorHarness();
    expect(value(operator.outlook())).toBeNull();
    repos.observations.upsert({
      date: '2026-01-05', cycleId: 'cycle-A', marketSummary: 'range-bound', strategyAssessment: 'fine', notableFindings: 'volume thin',
      strategyVersion: 'v001', docFlag: false, flagReason: null, createdAt: T0 - 2 * HOUR,
    });
    expect(value(operator.outlook())).toEqual({
      date: '2026-01-05', cycleId: 'cycle-A', marketSummary: 'range-bound', strategyAssessment: 'fine', notableFindings: 'volume thin',
      strategyVersion: 'v001', createdAtMs: T0 - 2 * HOUR,
    });
  });

  it("candidates: one entry per slot with the shadow book's value", async () => {
    const { operator, repos } = await operatorHarness();
    const id = seedCandidate(repos, 1, 'v9_candidate');
    repos.candidateTrades.insert({
      candidateId: id, tag: 'c1_BTCUSD_001', symbol: 'BTC/USD', side: 'long', intent: 'DAY', qty: f('0.002'), entryPrice: f('60000'), exitPrice: f('66100'),
      costBasis: f('120'), proceeds: f('132.2'), entryFee: f('0.1'), exitFee: f('0.1'), fees: f('0.2'), pnl: f('12'), pnlFraction: f('0.1'), mae: f('0'),
      closeReason: 'signal', strategyVersion: 'v9_candidate', strategyRegime: null, openedAt: T0 - DAY, closedAt: T0 - HOUR,
    });
    repos.candidatePositions.insert({
      candidateId: id, tag: 'c1_BTCUSD_002', symbol: 'BTC/USD', side: 'long', qty: f('0.001'), costBasis: f('60'), entryFees: f('0.1'), lastPrice: f('61000'),
      stopLoss: null, takeProfit: null, intent: 'DAY', mae: f('0'), seq: 2, strategyVersion: 'v9_candidate', strategyRegime: null, openedAt: T0 - HOUR, updatedAt: T0,
    });
    const slots = value(operator.candidates());
    expect(slots.map((s) => s.status)).toEqual(['running', 'empty', 'empty']);
    expect(slots[0]).toMatchObject({
      slot: 1,
      version: 'v9_candidate',
      startingCash: '1000',
      value: '1012.9', // cash 1000 + 12 − 60.1 = 951.9, plus 0.001 × 61000 = 61
      pnl: '12.9',
      trades: 1,
      winRate: 1,
      paperTest: { status: 'running', deadlineMs: T0 + 6 * DAY, minTrades: 5 },
      underFundTest: false,
    });
  });
});

describe('record queries', () => {
  it('activity with validated filters, decoded detail', async () => {
    const { operator, bus } = await operatorHarness();
    bus.publish(sample('risk.halted', T0 - MINUTE));
    bus.publish(sample('trade.executed', T0));
    expect(value(operator.activity()).map((a) => a.category)).toEqual(['trade', 'risk']);
    expect(value(operator.activity({ category: 'risk' }))[0]).toMatchObject({ severity: 'error', detail: { type: 'risk.halted' } });
    expect(operator.activity({ category: 'RISK' })).toEqual({
      ok: false,
      reason: 'category must be one of trade, risk, system, scan, orchestrator, strategy, candidate, operator; got "RISK"',
    });
    expect(operator.activity({ severity: 'fatal' })).toMatchObject({ ok: false, reason: 'severity must be one of info, warning, error; got "fatal"' });
  });

  it('signals, predictions and strategy document versions', async () => {
    const { operator, repos } = await operatorHarness();
    const signal = { size: f('0.05'), orderType: 'MARKET', limitPrice: null, stopLoss: null, takeProfit: null, slippageTolerance: null, intent: 'DAY', confidence: 0.7, reasoning: 'r', tag: null, strategyVersion: 'v001', strategyRegime: null, rejectedReason: null } as const;
    repos.signals.insert({ ...signal, symbol: 'BTC/USD', action: 'BUY', actedOn: true, createdAt: T0 - 2 * HOUR });
    repos.signals.insert({ ...signal, symbol: 'BTC/USD', action: 'CLOSE', actedOn: false, rejectedReason: 'no position', createdAt: T0 - HOUR });
    expect(value(operator.signals()).map((s) => s.action)).toEqual(['CLOSE', 'BUY']);
    expect(value(operator.signals({ action: 'BUY' }))).toMatchObject([{ action: 'BUY', size: '0.05', actedOn: true }]);
    expect(operator.signals({ action: 'buy' })).toEqual({ ok: false, reason: 'action must be one of BUY, SELL, CLOSE, MODIFY; got "buy"' });
    repos.predictions.insert({ cycleId: 'cycle-A', claim: 'BTC ranges', evidence: 'e', falsification: 'breakout', confidence: 'medium', evaluationTimeframe: '7d', category: 'market', createdAt: T0 });
    expect(value(operator.predictions({ graded: false })).map((p) => p.claim)).toEqual(['BTC ranges']);
    repos.strategyDocs.append('# Design principles\n', 'cycle-A', T0);
    expect(value(operator.strategyDocVersions())).toEqual([{ id: 1, version: 1, reflectionCycleId: 'cycle-A', createdAtMs: T0, contentLength: 20 }]);
  });

  it('help and the /ask grounding', async () => {
    const { operator, bus } = await operatorHarness();
    const help = value(operator.help());
    expect(help.banner).toBe('Trading Brain 0.1.0 — paper mode');
    expect(help.commands.map((c) => c.command)).toContain('/kill');
    bus.publish(sample('system.online', T0 - MINUTE));
    const ask = value(operator.askContext());
    expect(ask.portfolio.totalValue).toBe('1519.7');
    expect(ask.lastTrades.map((t) => t.symbol)).toEqual(['ETH/USD', 'BTC/USD']);
    expect(ask.strategyVersion).toBe('v1');
    expect(ask.activity).toEqual([`${new Date(T0 - MINUTE).toISOString()} system/info online (paper, 0.1.0): value 200, 0 positions, strategy v001, trading active`]);
  });

  it('a failing store makes a failed query with the reason, never a throw', async () => {
    const { repos } = await operatorHarness();
    const broken = { ...repos, positions: { ...repos.positions, list: () => { throw new Error('SQLITE_CORRUPT: database disk image is malformed'); } } };
    const h = await operatorHarness({ deps: { repos: broken } });
    expect(h.operator.positions()).toEqual({ ok: false, reason: 'positions failed: Error: SQLITE_CORRUPT: database disk image is malformed' });
    expect(h.operator.portfolio()).toMatchObject({ ok: false, reason: expect.stringMatching(/^portfolio failed: /) });
  });
});
