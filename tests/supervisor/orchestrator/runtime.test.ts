/**
 * The orchestrator inside the fund runtime, end to end on a simulated clock: `startSimFund` with
 * `createOrchestratorExtension` (local parameter-search advisor, no API key), real Kraken BTC/USD
 * candles replayed through the whole actor system (tests/fixtures 2023-03-09..13), the real store
 * and the in-process runner.
 *
 *   day 3 02:00 (the scheduler's orchestration window): a cycle starts by itself; the local
 *     advisor's candidate goes generate → validate → review → backtest → shadowTesting, visible
 *     as the fund snapshot's `orchestrator` child;
 *   the candidate shadow-trades beside the fund on the replayed candles; its closed trades reach
 *     the fund's `paperTest` region (`paperTest.started`, `paperTest.tradeClosed`); the machine's
 *     12 h shadow window ends the cycle inconclusive while the desk's 2-day paper test runs on;
 *   a rollback trigger makes the FUND revert (runtime `revertStrategy`: v002 → v001);
 *   day 4 02:00: the next cycle is told (an `orchestrator_log` ROLLBACK row, in the context) and
 *     resumes the running candidate straight from deciding to its shadow test;
 *   the operator's veto ends that cycle `rejected`; the fund's paper test is canceled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { Repositories } from '../../../adapters/libsql/index.ts';
import type { NotifierEvent } from '../../../domain/events/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import type { FundSnapshot } from '../../../machines/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { activateVersion, registerVersion } from '../../../strategies/loader/index.ts';
import { createEventBus } from '../../../supervisor/events/index.ts';
import { type OrchestratorRuntimeExtension, createLocalAdvisor, createOrchestratorExtension, storeCandleSource } from '../../../supervisor/orchestrator/index.ts';
import { type SimFund, startSimFund } from '../../../supervisor/sim/index.ts';
import { tempStore } from '../../strategies/loader/support.ts';
import { CANDIDATE, DAY, HOUR, INCUMBENT, btcCandles, crossoverSource, fundSettings, testConfig } from './support.ts';

interface ChildRef {
  getSnapshot(): { value: unknown; context: { cycle: { id: string; candidateVersion: string | null } | null; lastOutcome: { outcome: string } | null } };
  subscribe(fn: (s: { value: unknown }) => void): { unsubscribe(): void };
}

let candles: Candle[];
let t0: number;
let repos: Repositories;
let store: ReturnType<typeof tempStore>;
let fund: SimFund;
let ext: OrchestratorRuntimeExtension;
const published: NotifierEvent[] = [];
const states: string[] = [];
let watched: ChildRef | null = null;
const problems: string[] = [];

const child = (): ChildRef => (fund.runtime.snapshot() as FundSnapshot).children['orchestrator'] as unknown as ChildRef;

/** Follows the orchestrator child's states (re-subscribing if the fund respawned it). */
function watch(): void {
  const ref = child();
  if (!ref || ref === watched) return;
  watched = ref;
  const first = String(ref.getSnapshot().value);
  if (states[states.length - 1] !== first) states.push(first);
  ref.subscribe((s) => {
    const v = String(s.value);
    if (states[states.length - 1] !== v) states.push(v);
  });
}

/** Replays until `toMs`; while a cycle runs, the simulated clock waits for it (it runs on real time). */
async function replayTo(toMs: number): Promise<void> {
  await fund.replay({ 'BTC/USD': candles }, toMs, async () => {
    watch();
    const ref = child();
    if (ref && !['idle', 'shadowTesting', 'disabled'].includes(String(ref.getSnapshot().value))) {
      await waitFor(ref as never, (s: { value: unknown }) => ['idle', 'shadowTesting'].includes(String(s.value)), { timeout: 20_000 });
    }
  });
}

beforeAll(async () => {
  candles = btcCandles();
  t0 = candles[0]!.tsOpen;
  const startMs = t0 + 3 * DAY - HOUR;
  store = tempStore();
  repos = store.repos;
  repos.candles.upsertMany('BTC/USD', '5m', candles.filter((c) => c.tsOpen < startMs));
  // v001 then v002 deployed: the fund runs v002 and could roll back to v001.
  for (const [p, tag] of [[INCUMBENT, 'v001'], [{ ...INCUMBENT, slow: 32 }, 'v002']] as const) {
    const reg = registerVersion(repos, { code: crossoverSource(p, tag), filename: `${tag}.ts`, parent: null, description: tag, nowMs: t0 });
    if (!reg.ok) throw new Error(reg.reason);
    const act = activateVersion(repos, reg.version, t0 + (tag === 'v001' ? 0 : 1));
    if (!act.ok) throw new Error(act.reason);
  }
  const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
  bus.subscribe({ name: 'test', deliver: (p) => void published.push(p.event) });
  const settings = fundSettings();
  let now = () => startMs;
  // A gate the fixtures cannot meet (50 trades) and a 2-day paper test: the candidate runs to the end, never promotes.
  const config = testConfig({ minPaperTestTrades: 50, promotionMinPsr: 0, paperTestDeadlineDays: 2, seed: 11 });
  ext = createOrchestratorExtension({
    advisor: createLocalAdvisor({ seed: 11, minPsr: config.promotionMinPsr, now: () => now() }),
    mode: 'local',
    repos,
    clock: () => now(),
    makeRunner: (seed) => createInProcessRunner({ seed }),
    candles: storeCandleSource(repos),
    publish: (e) => void bus.publish(e),
    settings,
    config,
  });
  fund = await startSimFund({
    repos,
    bus,
    settings,
    startingCapital: fromString('10000'),
    warmupMs: DAY,
    runner: createInProcessRunner({ seed: 1 }),
    strategy: { filePath: null, seed: null },
    startMs,
    input: {
      callDeadlineMs: 1000,
      hasAdvisor: true,
      // The machine's shadow window (12 h) ends before the next night; the desk's paper test runs 2 days.
      orchestrator: { cycleDeadlineMinutes: 120, maxRevisions: 3, cycleTokenReserve: 0, minPaperTestTrades: 5, paperTestDeadlineDays: 0.5, promotionMinPsr: 0 },
    },
    report: (p) => void problems.push(`${p.kind}: ${p.detail}`),
    orchestrator: ext,
  });
  now = () => fund.clock.now();
  watch();
}, 60_000);

afterAll(async () => {
  await fund?.stop();
  store?.close();
});

describe('the orchestrator in the fund runtime (sim, local advisor)', () => {
  it('starts idle inside the running fund, with the local advisor', () => {
    expect(fund.runtime.snapshot().matches('running')).toBe(true);
    expect(child().getSnapshot().value).toBe('idle');
    expect(ext.impl.status()).toMatchObject({ mode: 'local' });
    expect(repos.strategyVersions.current()?.version).toBe('v002');
  });

  it('the scheduled night window starts a cycle; the candidate reaches its shadow test', async () => {
    const night1 = t0 + 3 * DAY + 2 * HOUR;
    await replayTo(night1 - 5 * 60_000);
    expect(states).toEqual(['idle']);
    await replayTo(night1 + 10 * 60_000);
    expect(states.slice(0, 5)).toEqual(['idle', 'scheduled', 'gathering', 'deciding', 'generating']);
    expect(states.at(-1)).toBe('shadowTesting');
    // The pipeline ran in the order (validation before the review), maybe more than once.
    const pipeline = states.slice(4, -1).join(' ');
    expect(pipeline).toMatch(/^(generating validating (reviewing (backtesting )?)?)*generating validating reviewing backtesting$/);
    const snap = child().getSnapshot();
    expect(snap.context.cycle?.id).toBe(`cycle-${night1}`);
    const version = snap.context.cycle!.candidateVersion!;
    expect(repos.candidates.running().map((c) => c.strategyVersion)).toEqual([version]);
    const thoughts = repos.thoughts.byCycle(`cycle-${night1}`).map((t) => t.step);
    expect(thoughts[0]).toBe('analysis');
    expect(thoughts.indexOf('sandbox_validation_a1')).toBeLessThan(thoughts.indexOf('code_review_a1'));
    expect(published.map((e) => e.type)).toEqual(expect.arrayContaining(['orchestrator.cycleStarted', 'candidate.created', 'paperTest.started']));
  }, 60_000);

  it('the candidate shadow-trades on the replayed candles; the fund’s paper-test region follows it', async () => {
    const version = child().getSnapshot().context.cycle!.candidateVersion!;
    await replayTo(t0 + 3 * DAY + 15 * HOUR);
    const cand = repos.candidates.running()[0]!;
    expect(cand.strategyVersion).toBe(version);
    const shadowTrades = repos.candidateTrades.count(cand.id);
    expect(shadowTrades).toBeGreaterThan(0);
    const ctx = fund.runtime.snapshot().context;
    expect(ctx.paperTest).toMatchObject({ status: 'running', candidateVersion: version, trades: shadowTrades });
    // The machine's 12 h shadow window passed: inconclusive, back to idle; the desk's test runs on.
    expect(child().getSnapshot().value).toBe('idle');
    expect(child().getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'inconclusive' });
    expect(repos.orchestratorLog.byCycleId(`cycle-${t0 + 3 * DAY + 2 * HOUR}`)).toMatchObject({ decision: 'CREATE_CANDIDATE', outcome: 'inconclusive', strategyVersionTo: version });
    expect(repos.paperTests.runningFor(cand.id)).toBeDefined();
  }, 60_000);

  it('a fund rollback (revertStrategy) is told to the next cycle, which resumes the candidate directly', async () => {
    fund.runtime.send({ type: 'risk.rollbackTriggered', trigger: '3 consecutive losses' });
    await waitFor(fund.runtime.actor, (s) => s.context.strategy.rollback === null && s.context.strategy.history.length > 0, { timeout: 10_000 });
    expect(repos.strategyVersions.current()?.version).toBe('v001');
    expect(fund.runtime.snapshot().context.strategy).toMatchObject({ version: 'v001' });
    const version = repos.candidates.running()[0]!.strategyVersion;
    const before = states.length;
    const night2 = t0 + 4 * DAY + 2 * HOUR;
    await replayTo(night2 + 10 * 60_000);
    expect(states.slice(before)).toEqual(['scheduled', 'gathering', 'deciding', 'shadowTesting']);
    expect(child().getSnapshot().context.cycle).toMatchObject({ id: `cycle-${night2}`, candidateVersion: version });
    const rollback = repos.orchestratorLog.list(10).find((l) => l.decision === 'ROLLBACK');
    expect(rollback).toMatchObject({ cycleId: expect.stringMatching(/^rollback-\d+$/), outcome: 'rolledBack', strategyVersionFrom: 'v002', strategyVersionTo: 'v001', changes: '3 consecutive losses' });
    // Once: syncing again writes nothing.
    expect(ext.impl.syncFundRollbacks()).toEqual([]);
    expect(repos.orchestratorLog.list(20).filter((l) => l.decision === 'ROLLBACK')).toHaveLength(1);
    const analysis = repos.thoughts.byCycle(`cycle-${night2}`);
    expect(analysis.map((t) => t.step)).toEqual(['analysis']);
    expect(fund.runtime.escapedErrors()).toEqual([]);
    expect(problems.filter((p) => p.startsWith('orchestrator'))).toEqual([]);
  }, 60_000);
  it('the operator’s veto ends the resumed cycle rejected; the fund’s paper test is canceled at the next step', async () => {
    const version = repos.candidates.running()[0]!.strategyVersion;
    expect(ext.operator.vetoCandidate({ slot: 1 }, 'not this week')).toEqual({ ok: true, version, detail: `vetoed ${version}: not this week` });
    expect(child().getSnapshot().value).toBe('idle');
    expect(child().getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'rejected' });
    expect(states.slice(-2)).toEqual(['shadowTesting', 'idle']);
    expect(repos.candidates.running()).toEqual([]);
    const now = fund.clock.now();
    await replayTo(now + 10 * 60_000);
    expect(fund.runtime.snapshot().context.paperTest.status).toBe('idle');
    expect(fund.runtime.snapshot().matches('running')).toBe(true);
  }, 60_000);
});
