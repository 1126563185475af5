import { describe, expect, it } from 'vitest';
import { StoreError, createRepositories, type Repositories } from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { BIG, T0, TINY, daily, position, signal, strategyVersion, trade } from './fixtures.ts';
import { freshStore } from './support.ts';

function repos(): Repositories {
  return createRepositories(freshStore().db);
}

const candidate = (slot: number, version = 'v001') => ({
  slot,
  strategyVersion: version,
  description: 'tighter stops',
  backtestSummary: '{"sharpe":1.1}',
  portfolioSnapshot: '{"cash":"200"}',
  startingCash: BIG,
  evaluationDurationDays: 7,
  createdAt: T0,
});

describe('strategyVersions', () => {
  it('round-trips, deploys one live version at a time and redeploys on rollback', () => {
    const { strategyVersions } = repos();
    const id = strategyVersions.insert(strategyVersion());
    expect(strategyVersions.byVersion('v001')).toEqual({ id, ...strategyVersion() });
    strategyVersions.insert(strategyVersion({ version: 'v002', parentVersion: 'v001', createdAt: T0 + 1 }));
    expect(strategyVersions.current()).toBeUndefined();
    expect(strategyVersions.deploy('v001', T0 + 10)).toBe(true);
    expect(strategyVersions.deploy('v002', T0 + 20)).toBe(true);
    expect(strategyVersions.current()?.version).toBe('v002');
    expect(strategyVersions.byVersion('v001')).toMatchObject({ deployedAt: T0 + 10, retiredAt: T0 + 20 });
    expect(strategyVersions.deploy('v001', T0 + 30)).toBe(true); // rollback, for real
    expect(strategyVersions.current()).toMatchObject({ version: 'v001', deployedAt: T0 + 30, retiredAt: null });
    expect(strategyVersions.byVersion('v002')?.retiredAt).toBe(T0 + 30);
    expect(strategyVersions.deploy('v999', T0)).toBe(false);
    expect(strategyVersions.update('v002', { shadowTestResult: '{"passed":false}' })).toBe(true);
    expect(strategyVersions.list(1).map((v) => v.version)).toEqual(['v002']);
    expect(strategyVersions.count()).toBe(2);
  });

  it('refuses an unknown parent and invalid JSON results', () => {
    const { strategyVersions } = repos();
    expect(() => strategyVersions.insert(strategyVersion({ parentVersion: 'ghost' }))).toThrow(/FOREIGN KEY/);
    expect(() => strategyVersions.insert(strategyVersion({ backtestResult: '{not json' }))).toThrow(/CHECK constraint/);
  });
});

describe('orchestratorLog, thoughts, tokenUsage', () => {
  it('round-trip cycles and thoughts', () => {
    const { orchestratorLog, thoughts } = repos();
    const cycle = {
      cycleId: 'cyc-1', date: '2025-01-01', decision: 'NO_CHANGE', outcome: 'noChange', analysis: '{"decision":"NO_CHANGE"}', changes: null,
      strategyVersionFrom: 'v001', strategyVersionTo: null, tokensUsed: 123_456, costUsd: fromString('1.234567'), startedAt: T0, finishedAt: T0 + 49_000,
    };
    const id = orchestratorLog.insert(cycle);
    expect(orchestratorLog.byCycleId('cyc-1')).toEqual({ id, ...cycle });
    orchestratorLog.insert({ ...cycle, cycleId: 'cyc-2', startedAt: T0 + 86_400_000, finishedAt: T0 + 86_400_000 });
    expect(orchestratorLog.latest()?.cycleId).toBe('cyc-2');
    expect(orchestratorLog.list().map((c) => c.cycleId)).toEqual(['cyc-2', 'cyc-1']);
    expect(() => orchestratorLog.insert(cycle)).toThrow(/UNIQUE/);
    expect(orchestratorLog.deleteBefore(T0 + 1)).toBe(1);

    const thought = { cycleId: 'cyc-1', step: 'analysis', model: 'claude-opus', inputSummary: 'prompt', fullResponse: '{"decision":"NO_CHANGE"}', parsedResult: '{"decision":"NO_CHANGE"}', createdAt: T0 };
    const t1 = thoughts.insert(thought);
    const t2 = thoughts.insert({ ...thought, step: 'review', parsedResult: null, createdAt: T0 + 5 });
    expect(thoughts.byId(t1)).toEqual({ id: t1, ...thought });
    expect(thoughts.byCycle('cyc-1').map((t) => t.id)).toEqual([t1, t2]);
    expect(thoughts.list(1).map((t) => t.id)).toEqual([t2]);
    expect(thoughts.deleteBefore(T0 + 1)).toBe(1);
  });

  it('sums token costs exactly, overall and per model', () => {
    const { tokenUsage } = repos();
    const call = { model: 'sonnet', purpose: 'candidate_gen', cycleId: 'cyc-1', inputTokens: 1000, outputTokens: 200, cacheReadTokens: 5, cacheWriteTokens: 7, costUsd: fromString('0.1'), createdAt: T0 };
    const id = tokenUsage.insert(call);
    tokenUsage.insert({ ...call, costUsd: fromString('0.2'), createdAt: T0 + 1 });
    tokenUsage.insert({ ...call, model: 'opus', cycleId: null, costUsd: TINY, createdAt: T0 + 2 });
    tokenUsage.insert({ ...call, createdAt: T0 + 86_400_000 }); // another day
    expect(tokenUsage.between(T0, T0 + 1)).toEqual([{ id, ...call }]);
    const { all, byModel } = tokenUsage.totals(T0, T0 + 86_400_000);
    // 0.1 + 0.2 + 0.00000001 = 0.30000001 exactly (float SUM would give 0.30000001000000004)
    expect(all).toEqual({ calls: 3, inputTokens: 3000, outputTokens: 600, cacheReadTokens: 15, cacheWriteTokens: 21, costUsd: fromString('0.30000001') });
    expect(byModel.get('sonnet')?.costUsd).toBe(fromString('0.3'));
    expect(byModel.get('opus')?.calls).toBe(1);
    expect(tokenUsage.deleteBefore(T0 + 2)).toBe(2);
  });
});

describe('analysisModules', () => {
  it('versions each module separately with one live version', () => {
    const { analysisModules } = repos();
    const row = { module: 'marketAnalysis', version: 'm1', parentVersion: null, code: 'x', codeHash: 'h', description: 'seed', createdAt: T0, deployedAt: null, retiredAt: null };
    const id = analysisModules.insert(row);
    analysisModules.insert({ ...row, version: 'm2', parentVersion: 'm1', createdAt: T0 + 1 });
    analysisModules.insert({ ...row, module: 'tradePerformance', version: 'm1' });
    expect(() => analysisModules.insert({ ...row, module: 'tradePerformance', version: 't9', parentVersion: 'm2' })).toThrow(/FOREIGN KEY/);
    expect(analysisModules.byVersion('marketAnalysis', 'm1')).toEqual({ id, ...row });
    expect(analysisModules.deploy('marketAnalysis', 'm1', T0 + 5)).toBe(true);
    expect(analysisModules.deploy('tradePerformance', 'm1', T0 + 5)).toBe(true);
    expect(analysisModules.deploy('marketAnalysis', 'm2', T0 + 6)).toBe(true);
    expect(analysisModules.current('marketAnalysis')?.version).toBe('m2');
    expect(analysisModules.current('tradePerformance')).toMatchObject({ version: 'm1', retiredAt: null });
    expect(analysisModules.list('marketAnalysis').map((m) => m.version)).toEqual(['m2', 'm1']);
    expect(analysisModules.deploy('marketAnalysis', 'nope', T0)).toBe(false);
  });
});

describe('candidates', () => {
  it('uses the configured number of slots, not 1..3', () => {
    const { strategyVersions, candidates } = repos();
    strategyVersions.insert(strategyVersion());
    const created = candidates.create(candidate(5), { maxSlots: 5 });
    expect(created).toEqual({ ok: true, id: expect.any(Number) });
    expect(candidates.byId((created as { id: number }).id)).toEqual({
      id: (created as { id: number }).id, ...candidate(5), status: 'running', resolutionReason: null, resolvedAt: null,
    });
    expect(candidates.create(candidate(6), { maxSlots: 5 })).toEqual({ ok: false, reason: 'slot 6 is outside 1..5 (orchestrator.max_candidates = 5)' });
    expect(candidates.create(candidate(0), { maxSlots: 5 })).toMatchObject({ ok: false });
    expect(() => candidates.create(candidate(1), { maxSlots: 0 })).toThrow(StoreError);
  });

  it('refuses an occupied slot, frees it on resolution and keeps the history', () => {
    const { strategyVersions, candidates } = repos();
    strategyVersions.insert(strategyVersion());
    const first = candidates.create(candidate(1), { maxSlots: 2 });
    if (!first.ok) throw new Error(first.reason);
    expect(candidates.create(candidate(1), { maxSlots: 2 })).toEqual({ ok: false, reason: `slot 1 is taken by running candidate #${first.id} (v001); cancel or resolve it first` });
    expect(candidates.freeSlot(2)).toBe(2);
    expect(candidates.create(candidate(2), { maxSlots: 2 }).ok).toBe(true);
    expect(candidates.freeSlot(2)).toBeUndefined();
    expect(candidates.running().map((c) => c.slot)).toEqual([1, 2]);
    expect(candidates.resolve(first.id, 'canceled', 'operator', T0 + 9)).toBe(true);
    expect(candidates.resolve(first.id, 'promoted', 'again', T0 + 10)).toBe(false); // recorded once
    expect(candidates.byId(first.id)).toMatchObject({ status: 'canceled', resolutionReason: 'operator', resolvedAt: T0 + 9 });
    expect(candidates.runningInSlot(1)).toBeUndefined();
    const second = candidates.create({ ...candidate(1), createdAt: T0 + 11 }, { maxSlots: 2 });
    expect(second.ok).toBe(true);
    expect(candidates.list().map((c) => c.slot)).toEqual([1, 2, 1]);
  });

  it('refuses a candidate whose strategy version is unknown', () => {
    const { candidates } = repos();
    expect(() => candidates.create(candidate(1, 'ghost'), { maxSlots: 3 })).toThrow(/FOREIGN KEY/);
  });

  it('runs one paper test per candidate at a time, completed once', () => {
    const { strategyVersions, candidates, paperTests } = repos();
    strategyVersions.insert(strategyVersion());
    const c = candidates.create(candidate(1), { maxSlots: 3 });
    if (!c.ok) throw new Error(c.reason);
    const test = { candidateId: c.id, strategyVersion: 'v001', minTrades: 5, startedAt: T0, deadlineAt: T0 + 7 * 86_400_000 };
    const id = paperTests.start(test);
    expect(paperTests.byId(id)).toEqual({ id, ...test, status: 'running', result: null, completedAt: null });
    expect(() => paperTests.start(test)).toThrow(/UNIQUE/);
    expect(paperTests.runningFor(c.id)?.id).toBe(id);
    expect(paperTests.listRunning().map((t) => t.deadlineAt)).toEqual([test.deadlineAt]);
    expect(paperTests.complete(id, 'inconclusive', '{"trades":2,"minRequired":5}', T0 + 8)).toBe(true);
    expect(paperTests.complete(id, 'passed', null, T0 + 9)).toBe(false);
    expect(paperTests.listFor(c.id)).toEqual([{ id, ...test, status: 'inconclusive', result: '{"trades":2,"minRequired":5}', completedAt: T0 + 8 }]);
    expect(() => paperTests.start({ ...test, deadlineAt: T0 })).toThrow(/CHECK constraint/);
  });

  it('keeps separate books per candidate and prunes resolved detail', () => {
    const r = repos();
    r.strategyVersions.insert(strategyVersion());
    const a = r.candidates.create(candidate(1), { maxSlots: 3 });
    const b = r.candidates.create(candidate(2), { maxSlots: 3 });
    if (!a.ok || !b.ok) throw new Error('create failed');

    const pos = { ...position({ tag: 'c1_BTCUSD_001' }), candidateId: a.id };
    const posId = r.candidatePositions.insert(pos);
    r.candidatePositions.insert({ ...pos, candidateId: b.id }); // same tag, other candidate
    expect(r.candidatePositions.byTag(a.id, 'c1_BTCUSD_001')).toEqual({ id: posId, ...pos });
    expect(() => r.candidatePositions.insert(pos)).toThrow(/UNIQUE/);
    expect(r.candidatePositions.update(a.id, 'c1_BTCUSD_001', { qty: BIG, updatedAt: T0 + 3 })).toBe(true);
    expect(r.candidatePositions.list(a.id).map((p) => p.qty)).toEqual([BIG]);
    expect(r.candidatePositions.list(b.id).map((p) => p.qty)).toEqual([TINY]);
    expect(r.candidatePositions.delete(a.id, 'c1_BTCUSD_001')).toBe(true);

    const { exitClientOrderId: _none, ...fundTrade } = trade({ tag: 'c1_BTCUSD_001' });
    const tr = { ...fundTrade, candidateId: a.id };
    const trId = r.candidateTrades.insert(tr);
    expect(r.candidateTrades.list(a.id)).toEqual([{ id: trId, ...tr }]);
    expect(r.candidateTrades.closedBetween(a.id, T0, T0 + 60_001).length).toBe(1);
    expect(r.candidateTrades.count(b.id)).toBe(0);

    const sig = { ...signal(), candidateId: a.id };
    const sigId = r.candidateSignals.insert(sig);
    expect(r.candidateSignals.setOutcome(sigId, { actedOn: false, rejectedReason: 'max_positions' })).toBe(true);
    expect(r.candidateSignals.list(a.id)).toEqual([{ id: sigId, ...sig, rejectedReason: 'max_positions' }]);

    const day = { ...daily(), candidateId: a.id };
    r.candidateDailyPerformance.upsert(day);
    r.candidateDailyPerformance.upsert({ ...day, netPnl: fromString('1') });
    r.candidateDailyPerformance.upsert({ ...day, candidateId: b.id });
    expect(r.candidateDailyPerformance.list(a.id)).toEqual([{ ...day, netPnl: fromString('1') }]);

    r.candidates.resolve(a.id, 'rejected', 'failed gate', T0 + 100);
    expect(r.candidates.pruneResolvedDetail(T0 + 100)).toBe(0); // resolved at, not before, the cutoff
    expect(r.candidates.pruneResolvedDetail(T0 + 101)).toBe(2); // a's signal and daily row
    expect(r.candidateSignals.list(a.id)).toEqual([]);
    expect(r.candidateDailyPerformance.list(b.id).length).toBe(1);
    expect(r.candidateTrades.count(a.id)).toBe(1); // trades stay
  });
});

describe('observations, predictions, strategyDocs', () => {
  it('keeps one observation per (day, cycle)', () => {
    const { observations } = repos();
    const obs = { date: '2025-01-01', cycleId: 'cyc-1', marketSummary: 'calm', strategyAssessment: 'fine', notableFindings: 'none', strategyVersion: 'v001', docFlag: true, flagReason: 'regime shift', createdAt: T0 };
    observations.upsert(obs);
    observations.upsert({ ...obs, marketSummary: 'volatile' });
    observations.upsert({ ...obs, cycleId: 'cyc-2', docFlag: false, flagReason: null, createdAt: T0 + 10 });
    expect(observations.count()).toBe(2);
    expect(observations.byCycle('2025-01-01', 'cyc-1')).toEqual({ id: expect.any(Number), ...obs, marketSummary: 'volatile' });
    expect(observations.latest()?.cycleId).toBe('cyc-2');
    expect(observations.since(T0 + 1).map((o) => o.cycleId)).toEqual(['cyc-2']);
    expect(observations.deleteBefore(T0 + 1)).toBe(1);
  });

  it('grades a prediction once and counts grades', () => {
    const { predictions } = repos();
    const p = { cycleId: 'cyc-1', claim: 'BTC holds 90k', evidence: 'support', falsification: 'daily close < 90k', confidence: 'medium' as const, evaluationTimeframe: '14d', category: 'market', createdAt: T0 };
    const id = predictions.insert(p);
    const other = predictions.insert({ ...p, createdAt: T0 + 1 });
    expect(predictions.byId(id)).toEqual({ id, ...p, grade: null, gradeEvidence: null, gradeLearning: null, gradedAt: null });
    expect(predictions.grade(id, { grade: 'partiallyConfirmed', gradeEvidence: 'wick below', gradeLearning: 'use closes' }, T0 + 5)).toBe(true);
    expect(predictions.grade(id, { grade: 'refuted', gradeEvidence: '', gradeLearning: '' }, T0 + 6)).toBe(false);
    expect(predictions.byId(id)).toMatchObject({ grade: 'partiallyConfirmed', gradedAt: T0 + 5 });
    expect(predictions.ungraded().map((x) => x.id)).toEqual([other]);
    expect(predictions.list({ graded: true }).map((x) => x.id)).toEqual([id]);
    expect(predictions.list().map((x) => x.id)).toEqual([other, id]);
    expect(predictions.counts()).toEqual({ total: 2, graded: 1, confirmed: 0 });
    expect(predictions.deleteGradedBefore(T0 + 6)).toBe(1);
    expect(predictions.counts().total).toBe(1);
  });

  it('numbers strategy documents 1, 2, 3 and never loses one', () => {
    const { strategyDocs } = repos();
    expect(strategyDocs.latest()).toBeUndefined();
    expect(strategyDocs.append('doc one', null, T0)).toBe(1);
    expect(strategyDocs.append('doc two', 'cyc-7', T0 + 1)).toBe(2);
    expect(strategyDocs.latest()).toEqual({ id: expect.any(Number), version: 2, content: 'doc two', reflectionCycleId: 'cyc-7', createdAt: T0 + 1 });
    expect(strategyDocs.byVersion(1)?.content).toBe('doc one');
    expect(strategyDocs.list().map((d) => d.version)).toEqual([2, 1]);
  });
});

describe('actorSnapshots, strategyState, activityLog', () => {
  it('stores the latest snapshot per actor', () => {
    const { actorSnapshots } = repos();
    const snap = { actorId: 'fund', machine: 'fund', snapshotVersion: 1, snapshot: '{"value":{"running":{"trading":"halted"}}}', updatedAt: T0 };
    actorSnapshots.save(snap);
    actorSnapshots.save({ ...snap, snapshotVersion: 2, snapshot: '{"value":"running"}', updatedAt: T0 + 1 });
    actorSnapshots.save({ ...snap, actorId: 'symbol:BTC/USD', machine: 'symbol' });
    expect(actorSnapshots.get('fund')).toEqual({ ...snap, snapshotVersion: 2, snapshot: '{"value":"running"}', updatedAt: T0 + 1 });
    expect(actorSnapshots.list().map((s) => s.actorId)).toEqual(['fund', 'symbol:BTC/USD']);
    expect(() => actorSnapshots.save({ ...snap, snapshot: '{truncated' })).toThrow(/CHECK constraint/);
    expect(() => actorSnapshots.save({ ...snap, snapshotVersion: 0 })).toThrow(/CHECK constraint/);
    expect(actorSnapshots.delete('fund')).toBe(true);
    expect(actorSnapshots.get('fund')).toBeUndefined();
  });

  it('keeps the last N strategy states per version', () => {
    const { strategyState } = repos();
    for (let i = 0; i < 5; i += 1) strategyState.save({ strategyVersion: 'v001', state: `{"n":${i}}`, savedAt: T0 + i }, 3);
    strategyState.save({ strategyVersion: 'v002', state: '{}', savedAt: T0 }, 3);
    expect(strategyState.latest('v001')).toMatchObject({ state: '{"n":4}', savedAt: T0 + 4 });
    expect(strategyState.latest('v002')?.state).toBe('{}');
    expect(() => strategyState.save({ strategyVersion: 'v001', state: '{}', savedAt: T0 }, 0)).toThrow(StoreError);
  });

  it('lists activity newest first with filters', () => {
    const { activityLog } = repos();
    const a = activityLog.insert({ ts: T0, category: 'trade', severity: 'info', summary: 'BUY BTC/USD', detail: '{"qty":"0.00000001"}' });
    const b = activityLog.insert({ ts: T0 + 1, category: 'risk', severity: 'warning', summary: 'daily loss 8%' });
    activityLog.insert({ ts: T0 + 2, category: 'system', severity: 'error', summary: 'feed lost' });
    expect(activityLog.list({ category: 'trade' })).toEqual([{ id: a, ts: T0, category: 'trade', severity: 'info', summary: 'BUY BTC/USD', detail: '{"qty":"0.00000001"}' }]);
    expect(activityLog.list({ sinceMs: T0, untilMs: T0 + 2 }).map((x) => x.id)).toEqual([b, a]);
    expect(activityLog.list({ severity: 'error', limit: 1 }).map((x) => x.summary)).toEqual(['feed lost']);
    expect(activityLog.deleteBefore(T0 + 1)).toBe(1);
    expect(() => activityLog.insert({ ts: T0, category: 'gossip' as 'trade', severity: 'info', summary: 'x' })).toThrow(/CHECK constraint/);
  });
});
