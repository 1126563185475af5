/**
 * End to end on a simulated clock, the real SDK against the fake Messages API, real Kraken
 * candles (tests/fixtures, BTC/USD 2023-03-09..13), the real store and the in-process runner:
 *
 *   night 1 (day 3 00:00): CREATE_CANDIDATE → generate (static check) → sandbox validation → code review →
 *     walk-forward backtest (+ review: deploy) → candidate slot → shadowTesting; the shadow book
 *     trades day 3 beside the "fund" (the incumbent on the same candles); at its 1-day deadline it
 *     has 4 of 5 trades → inconclusive (incumbent stays, test extended once);
 *   night 2 (day 4 00:00): PROMOTE_CANDIDATE → deciding goes straight back to the candidate's shadow test; after day 4
 *     it has 5 trades and beats the incumbent by PSR out of sample and in shadow → promoted (v002
 *     live, v001 kept);
 *   a rollback trigger then reverts the fund to v001.
 *
 * Every step is checked as machine states and stored rows. The incumbent and candidate
 * parameters were picked by running both on these candles (see support.ts INCUMBENT/CANDIDATE):
 * the test is deterministic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeReply } from '../../../adapters/fake-anthropic/index.ts';
import { createShadowBook } from '../../../supervisor/orchestrator/index.ts';
import { checkStrategySource } from '../../../strategies/static-check/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { toNumber } from '../../../domain/money/index.ts';
import { createCandidate as createDecision, noChange } from '../../adapters/anthropic/support.ts';
import { CANDIDATE, DAY, INCUMBENT, M5, crossoverSource, eventTypes, fundSettings, harness, runCycle, type Harness } from './support.ts';

const approve = { verdict: 'approve', summary: 'Only the EMA lengths and exits changed; contract respected.', issues: [], revisionInstructions: null };
const deploy = { verdict: 'deploy', reasoning: 'Out-of-sample trades lose less than the incumbent.', concerns: ['two out-of-sample trades only'], revisionInstructions: null };
const generated = {
  source: crossoverSource(CANDIDATE, 'candidate'),
  description: 'Crossover with a slower EMA and wider exits.',
  changeSummary: 'slow 30 → 40, stop 0.4 % → 1 %, target 0.6 % → 2 %.',
  parameters: [{ name: 'slow', value: 40, description: 'slow EMA length (5m candles)' }],
};
const promote = { ...noChange, decision: 'PROMOTE_CANDIDATE', reasoning: 'The candidate has had its extension; let the gate judge.', targetSlot: 1, positionHandling: 'keep', predictions: [] };

let h: Harness;
let fund: Awaited<ReturnType<typeof createShadowBook>>;

/** Steps the candidate books (desk) and the fund's book with every candle closing in (from, to]. */
async function replay(fromMs: number, toMs: number): Promise<number> {
  let tradesClosed = 0;
  for (const c of h.candles) {
    const close = c.tsOpen + M5;
    if (close <= fromMs || close > toMs) continue;
    h.now = close;
    tradesClosed += (await h.impl.desk.onStep(close, { 'BTC/USD': c })).length;
    await fund.onStep(close, { 'BTC/USD': c });
  }
  return tradesClosed;
}

beforeAll(async () => {
  h = await harness({
    incumbentReturns: (fromMs, toMs) => fund.trades().filter((t) => t.closedAt >= fromMs && t.closedAt < toMs).map((t) => toNumber(t.pnlFraction)),
  });
  const code = checkStrategySource(crossoverSource(INCUMBENT, 'incumbent'), 'v001.ts');
  if (!code.ok) throw new Error('incumbent does not check');
  fund = await createShadowBook({
    candidateId: null,
    slot: null,
    version: 'v001',
    code: code.code,
    settings: fundSettings(),
    startingCapital: h.deps.config.startingCapital,
    startMs: h.now,
    history: { 'BTC/USD': h.candles.filter((c) => c.tsOpen < h.now) },
    warmupMs: DAY,
    runner: createInProcessRunner({ seed: 1 }),
  });
}, 30_000);
afterAll(async () => {
  await fund?.close();
  await h?.close();
});

describe('a night of the orchestrator, and a later one', () => {
  const night1 = () => h.t0 + 3 * DAY;

  it('night 1 creates a candidate through the whole pipeline and starts its shadow test', async () => {
    h.fake!.enqueue(fakeReply.json(createDecision), fakeReply.json(generated), fakeReply.json(approve), fakeReply.json(deploy));
    const state = await runCycle(h);
    expect(state).toBe('shadowTesting');
    expect(h.states).toEqual(['idle', 'scheduled', 'gathering', 'deciding', 'generating', 'validating', 'reviewing', 'backtesting', 'shadowTesting']);
    await h.impl.desk.settled();
    const r = h.store.repos;
    const v002 = r.strategyVersions.byVersion('v002')!;
    expect(v002).toMatchObject({ parentVersion: 'v001', deployedAt: null });
    expect(JSON.parse(v002.backtestResult!).gatePreview).toMatchObject({ candidateOosTrades: 2, incumbentOosTrades: 3 });
    const [cand] = r.candidates.running();
    expect(cand).toMatchObject({ slot: 1, strategyVersion: 'v002', status: 'running' });
    expect(r.paperTests.runningFor(cand!.id)).toMatchObject({ minTrades: 5, deadlineAt: night1() + DAY });
    // Every AI call is in the thought spool with its model, prompt summary, response and parse.
    const thoughts = r.thoughts.byCycle(`cycle-${night1()}`);
    expect(thoughts.map((t) => t.step)).toEqual(['analysis', 'candidate_gen_a1', 'sandbox_validation_a1', 'code_review_a1', 'backtest_review_a1']);
    expect(thoughts[0]).toMatchObject({ model: 'claude-opus-5-5' });
    expect(JSON.parse(thoughts[0]!.parsedResult!)).toMatchObject({ decision: 'CREATE_CANDIDATE' });
    expect(thoughts[0]!.inputSummary).toMatch(/tokens in \d+ out \d+ .* cost \$/);
    expect(thoughts[1]).toMatchObject({ model: 'claude-sonnet-5-5' });
    // Token usage per call in token_usage; the observation and prediction rows.
    expect(r.tokenUsage.between(0, Number.MAX_SAFE_INTEGER).filter((u) => u.cycleId === `cycle-${night1()}`).map((u) => u.purpose)).toEqual(['analysis', 'candidate_gen_a1', 'code_review_a1', 'backtest_review_a1']);
    expect(r.observations.latest()).toMatchObject({ cycleId: `cycle-${night1()}`, strategyVersion: 'v001' });
    expect(r.strategyDocs.latest()).toMatchObject({ version: 1 });
    expect(eventTypes(h)).toEqual(['orchestrator.cycleStarted', 'candidate.created', 'paperTest.started']);
    // The prompt carries GROUND TRUTH, the active code and the candidate slots.
    const prompt = JSON.stringify(h.fake!.requests()[0]!.body);
    expect(prompt).toContain('GROUND TRUTH');
    expect(prompt).toContain('Active strategy v001');
  }, 30_000);

  it('the shadow test sees day 3 beside the fund; 4 of 5 trades by its deadline is inconclusive and extended once', async () => {
    const closed = await replay(night1(), night1() + DAY);
    expect(closed).toBe(4);
    const verdicts = h.impl.desk.evaluate(h.now);
    expect(verdicts).toEqual([{ type: 'paperTest.completed', candidateVersion: 'v002', verdict: 'inconclusive', trades: 4, psr: expect.any(Number), nowMs: h.now }]);
    h.actor.send(verdicts[0]);
    expect(h.actor.getSnapshot().value).toBe('idle');
    expect(h.states.slice(-2)).toEqual(['inconclusive', 'idle']);
    expect(h.actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'inconclusive', candidateVersion: 'v002' });
    const r = h.store.repos;
    const cand = r.candidates.running()[0]!;
    expect(r.paperTests.listFor(cand.id).map((t) => t.status)).toEqual(['inconclusive', 'running']);
    expect(r.candidateTrades.count(cand.id)).toBe(4);
    expect(r.strategyVersions.current()?.version).toBe('v001');
    expect(r.orchestratorLog.byCycleId(`cycle-${night1()}`)).toMatchObject({ decision: 'CREATE_CANDIDATE', outcome: 'inconclusive', strategyVersionFrom: 'v001', strategyVersionTo: 'v002' });
    expect(r.orchestratorLog.byCycleId(`cycle-${night1()}`)!.tokensUsed).toBeGreaterThan(0);
    expect(eventTypes(h).slice(-2)).toEqual(['paperTest.inconclusive', 'orchestrator.cycleCompleted']);
  }, 30_000);

  it('night 2 resumes the candidate; after day 4 it passes the gate and is promoted', async () => {
    h.fake!.enqueue(fakeReply.json(promote));
    const before = h.states.length;
    const state = await runCycle(h);
    expect(state).toBe('shadowTesting');
    expect(h.states.slice(before)).toEqual(['scheduled', 'gathering', 'deciding', 'shadowTesting']);
    // No generation, validation, review or backtest again: only the decision was asked.
    expect(h.store.repos.thoughts.byCycle(`cycle-${h.now}`).map((t) => t.step)).toEqual(['analysis']);
    expect(h.actor.getSnapshot().context.cycle.candidateVersion).toBe('v002');
    await replay(h.now, h.t0 + 5 * DAY);
    const [verdict] = h.impl.desk.evaluate(h.now);
    expect(verdict).toMatchObject({ candidateVersion: 'v002', verdict: 'passed', trades: 5 });
    expect(verdict!.psr!).toBeGreaterThanOrEqual(0.6);
    expect(h.impl.desk.gate('v002', h.now)).toMatchObject({ verdict: 'passed', psrOos: expect.any(Number) });
    // Evaluating again returns the verdict again but announces it only once.
    expect(h.impl.desk.evaluate(h.now)).toEqual([verdict]);
    expect(eventTypes(h).filter((t) => t === 'paperTest.completed')).toHaveLength(1);
    h.actor.send(verdict);
    const snap = await import('xstate').then(({ waitFor }) => waitFor(h.actor, (s) => s.value === 'idle', { timeout: 5000 }));
    expect(snap.context.lastOutcome).toMatchObject({ outcome: 'promoted', candidateVersion: 'v002' });
    expect(h.states.slice(-2)).toEqual(['promoting', 'idle']);
    const r = h.store.repos;
    expect(r.strategyVersions.current()?.version).toBe('v002');
    expect(r.strategyVersions.byVersion('v001')).toMatchObject({ retiredAt: h.now });
    expect(r.candidates.list(1)[0]).toMatchObject({ strategyVersion: 'v002', status: 'promoted' });
    const log = r.orchestratorLog.latest()!;
    expect(log).toMatchObject({ decision: 'PROMOTE_CANDIDATE', outcome: 'promoted', strategyVersionFrom: 'v001', strategyVersionTo: 'v002' });
    expect(eventTypes(h).slice(-5)).toEqual(['orchestrator.cycleStarted', 'paperTest.completed', 'candidate.promoted', 'strategy.deployed', 'orchestrator.cycleCompleted']);
  }, 30_000);

  it('a rollback trigger reverts the fund to the previous version, recorded for the next cycle', async () => {
    h.now += 6 * 3_600_000;
    const rolled = h.impl.rollback('rollback trigger: 3 consecutive losses');
    expect(rolled).toEqual({ ok: true, from: 'v002', to: 'v001' });
    const r = h.store.repos;
    expect(r.strategyVersions.current()?.version).toBe('v001');
    expect(r.orchestratorLog.latest()).toMatchObject({ decision: 'ROLLBACK', outcome: 'rolledBack', strategyVersionFrom: 'v002', strategyVersionTo: 'v001', changes: 'rollback trigger: 3 consecutive losses' });
    expect(eventTypes(h).at(-1)).toBe('strategy.rolledBack');
    // The next cycle's context shows it.
    h.fake!.enqueue(fakeReply.json(noChange));
    expect(await runCycle(h)).toBe('idle');
    const prompt = JSON.stringify(h.fake!.requests().at(-1)!.body);
    expect(prompt).toContain('ROLLBACK');
    expect(prompt).toContain('rolledBack');
    expect(h.actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'noChange' });
  }, 30_000);
});
