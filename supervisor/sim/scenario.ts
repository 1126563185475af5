/**
 * Simulation scenarios and the invariants the whole actor system must keep (issue #4 point 7).
 *
 * A scenario is data: two synthetic markets built from regime segments (trend, range, crash,
 * gap, stale), and per step an optional disturbance — an operator command, a strategy fault
 * (timeout, crash, garbage output), a feed drop, or a process restart (crash or graceful).
 * `runScenario` drives the real runtime (engine, fund/symbol/position actors, store) on a
 * simulated clock over an in-memory libSQL store and checks every invariant after every step.
 * `scenarioArbitrary` is its fast-check generator; shrinking works on the data.
 *
 * Invariants:
 * - `noEntryWhileBlocked`: no position opens in a step that began halted, paused or reducing;
 * - `riskLimits`: open positions ≤ max_positions, entries today ≤ max_daily_trades, cash ≥ 0;
 * - `haltLeftOnlyByResume`: a halt record is cleared only by an operator resume;
 * - `rollbackToPrevious`: a completed rollback lands on the version that was previous when it began;
 * - `restartLossless`: after a restart the books, trades and positions equal what was committed;
 * - `cashReconciles`: cash rebuilt from the store (seed + capital + trades − open cost) equals the books' cash, exactly;
 * - `positionsProtected`: every open position has a position actor, protected (paper: the simulated monitor);
 * - `noEscapedErrors`: no error escapes the root actor.
 * (Live-mode protective orders on the exchange are checked by the execution suite against the fake exchange.)
 */
import fc from 'fast-check';
import { createRepositories, migrate, openStore, type Repositories } from '../../adapters/libsql/index.ts';
import type { RiskLimits } from '../../domain/contract/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { fromString } from '../../domain/money/index.ts';
import { type PipelineEvent, flatFeeSchedule } from '../../domain/pipeline/index.ts';
import type { StrategyCallResult, StrategyDecision, StrategyRunner } from '../../domain/ports/index.ts';
import { seededRandom } from '../../strategies/in-process/index.ts';
import { activateVersion, registerVersion } from '../../strategies/loader/index.ts';
import { backtestMarkets } from '../backtest/index.ts';
import { createEventBus } from '../events/index.ts';
import { createStoreBooks } from '../operator/books.ts';
import type { EntryGate } from '../runtime/engine.ts';
import { type SimFund, startSimFund } from './index.ts';

const M5 = 300_000;
/** 2025-03-28 12:00 UTC: a Friday before the EU DST change, so some runs cross midnight. */
export const SIM_START = Date.UTC(2025, 2, 28, 12, 0);
export const SIM_SYMBOLS = ['BTC/USD', 'ETH/USD'] as const;

/** One market regime segment. `drift`: fraction per candle. */
export interface Segment {
  readonly kind: 'trend' | 'range' | 'crash' | 'gap' | 'stale';
  readonly length: number;
  readonly drift: number;
}

/** What happens at a step besides the market. */
export type Disturbance =
  | { readonly kind: 'operator'; readonly command: 'pause' | 'resume' | 'halt' | 'kill' | 'close' }
  | { readonly kind: 'strategyFault'; readonly fault: 'timeout' | 'threw' | 'garbage' }
  | { readonly kind: 'feedDrop' }
  | { readonly kind: 'restart'; readonly graceful: boolean };

/** A generated scenario. */
export interface Scenario {
  readonly seed: number;
  readonly segments: readonly Segment[];
  /** Step index → disturbance (applied after that step). */
  readonly disturbances: readonly { readonly step: number; readonly what: Disturbance }[];
}

/** A broken guard, for the test that proves the suite catches bugs. */
export type InjectedBug = 'skipEntryGate';

/** One invariant violation. */
export interface Violation {
  readonly invariant: string;
  readonly step: number;
  readonly detail: string;
}

/** What the runs exercised (so a suite that never reaches a halt or a rollback is noticed). */
export interface SimCoverage {
  entries: number;
  exits: number;
  halts: number;
  reducing: number;
  rollbacks: number;
  restarts: number;
  refusedCommands: number;
}

/** A zeroed coverage tally. */
export function emptyCoverage(): SimCoverage {
  return { entries: 0, exits: 0, halts: 0, reducing: 0, rollbacks: 0, restarts: 0, refusedCommands: 0 };
}

/** Limits tight enough that halts, daily locks and rollbacks happen in short runs. */
export const SIM_LIMITS: RiskLimits = Object.freeze({
  maxPositionPct: 0.5,
  maxPositions: 2,
  maxDailyLossPct: 0.012,
  maxDailyTrades: 12,
  maxTradePct: 0.3,
  defaultTradePct: 0.15,
  defaultStopLossPct: 0.015,
  defaultTakeProfitPct: 0.015,
  killSwitch: false,
  maxDrawdownPct: 0.06,
  rollbackDailyLossPct: 0.02,
  rollbackConsecutiveLosses: 3,
  dailyLossIncludesUnrealized: true,
});

/** The scenario's candles per symbol (gaps and stale segments leave holes). Pure. */
export function scenarioCandles(s: Scenario): Record<string, Candle[]> {
  const rand = seededRandom(s.seed);
  const out: Record<string, Candle[]> = {};
  SIM_SYMBOLS.forEach((symbol, k) => {
    let price = k === 0 ? 60_000 : 3_000;
    let t = SIM_START;
    const list: Candle[] = [];
    for (const seg of s.segments) {
      for (let i = 0; i < seg.length; i++, t += M5) {
        const noise = (rand() - 0.5) * (seg.kind === 'range' ? 0.006 : 0.003);
        const move = seg.kind === 'crash' ? -Math.abs(seg.drift) - 0.01 : seg.kind === 'range' ? 0 : seg.drift;
        const open = price;
        const close = Math.max(1, Math.round(open * (1 + move + noise) * 100) / 100);
        price = close;
        if (seg.kind === 'gap' && k === 1) continue; // one market misses candles
        if (seg.kind === 'stale') continue; // both stop
        const high = Math.round(Math.max(open, close) * (1 + rand() * 0.004) * 100) / 100;
        const low = Math.round(Math.min(open, close) * (1 - rand() * 0.004) * 100) / 100;
        list.push({ tsOpen: t, open, high, low, close, volume: 1 + Math.round(rand() * 1000) / 100 });
      }
    }
    out[symbol] = list;
  });
  return out;
}

/** fast-check generator of scenarios (`steps` ≈ total candles). */
export function scenarioArbitrary(options: { maxSegments?: number; maxDisturbances?: number } = {}): fc.Arbitrary<Scenario> {
  const segment = fc.record({
    kind: fc.constantFrom<Segment['kind']>('trend', 'trend', 'range', 'range', 'crash', 'gap', 'stale'),
    length: fc.integer({ min: 2, max: 8 }),
    drift: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  });
  const disturbance: fc.Arbitrary<Disturbance> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('operator' as const), command: fc.constantFrom('pause' as const, 'resume' as const, 'halt' as const, 'kill' as const, 'close' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('strategyFault' as const), fault: fc.constantFrom('timeout' as const, 'threw' as const, 'garbage' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('feedDrop' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), graceful: fc.boolean() }) },
  );
  return fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    segments: fc.array(segment, { minLength: 1, maxLength: options.maxSegments ?? 5 }),
    disturbances: fc.array(fc.record({ step: fc.integer({ min: 0, max: 40 }), what: disturbance }), { maxLength: options.maxDisturbances ?? 6 }),
  });
}

/** A runner that fails on purpose at the steps the scenario says (timeouts, crashes, garbage). */
class FaultyRunner implements StrategyRunner {
  fault: 'timeout' | 'threw' | 'garbage' | null = null;
  constructor(private readonly inner: StrategyRunner) {}
  load: StrategyRunner['load'] = (i, s) => this.inner.load(i, s);
  notify: StrategyRunner['notify'] = (e, s) => this.inner.notify(e, s);
  getState: StrategyRunner['getState'] = (s) => this.inner.getState(s);
  close = () => this.inner.close();
  async analyze(tick: Parameters<StrategyRunner['analyze']>[0], signal?: AbortSignal): Promise<StrategyCallResult<StrategyDecision>> {
    const fault = this.fault;
    this.fault = null;
    if (fault === 'timeout') return { ok: false, error: { kind: 'timeout', reason: 'analyze() exceeded its 1000 ms deadline (simulated)' } };
    if (fault === 'threw') return { ok: false, error: { kind: 'threw', reason: 'analyze() threw: TypeError (simulated)' } };
    const r = await this.inner.analyze(tick, signal);
    if (fault === 'garbage' && r.ok) return { ok: true, value: { rawSignals: [{ action: 'BUY', symbol: 'BTC/USD', size: 'lots' }, 42, null], regime: null } };
    return r;
  }
}

/**
 * The simulation strategy "churn": busy on purpose, so short runs see entries, exits, stops,
 * halts and rollbacks. BUY an unheld symbol when its close in cents is divisible by ENTRY_MOD
 * (size 2 × default trade fraction, stop and target 1.5 % away); CLOSE when divisible by EXIT_MOD.
 * Two versions differ in the two numbers, so a rollback visibly changes behaviour.
 */
function churnCode(entryMod: number, exitMod: number): string {
  return `export const scanIntervalMinutes = 5;
const ENTRY_MOD = ${entryMod};
const EXIT_MOD = ${exitMod};
let size = 0.1; let symbols = [];
export function initialize(limits, list) { size = Math.min(limits.maxTradePct, 2 * limits.defaultTradePct); symbols = [...list]; }
export function analyze(markets, portfolio) {
  const out = [];
  for (const symbol of symbols) {
    const m = markets[symbol]; if (!m) continue;
    const cents = Math.round(m.price * 100);
    const held = portfolio.positions.some((p) => p.symbol === symbol);
    if (!held && cents % ENTRY_MOD === 0) out.push({ action: 'BUY', symbol, size, stopLoss: m.price * 0.985, takeProfit: m.price * 1.015, intent: 'DAY', confidence: 0.5, reasoning: 'churn entry' });
    else if (held && cents % EXIT_MOD === 0) out.push({ action: 'CLOSE', symbol, reasoning: 'churn exit' });
  }
  return out;
}
`;
}

/**
 * A native runner for churn (no module import per load, so thousands of runs stay fast): it
 * reads ENTRY_MOD / EXIT_MOD from the code it is given and does exactly what that code does.
 * The sandboxed and in-process runners are exercised by their own suites and the replay tests.
 */
export class ChurnRunner implements StrategyRunner {
  private entryMod = 0;
  private exitMod = 0;
  private size = 0.1;
  private symbols: readonly string[] = [];
  async load(input: Parameters<StrategyRunner['load']>[0]): Promise<StrategyCallResult<{ scanIntervalMinutes: number }>> {
    const entry = /const ENTRY_MOD = (\d+);/.exec(input.code);
    const exit = /const EXIT_MOD = (\d+);/.exec(input.code);
    if (!entry || !exit) return { ok: false, error: { kind: 'rejected', reason: `strategy ${input.version} is not a churn strategy` } };
    this.entryMod = Number(entry[1]);
    this.exitMod = Number(exit[1]);
    this.size = Math.min(input.limits.maxTradePct, 2 * input.limits.defaultTradePct);
    this.symbols = [...input.symbols];
    return { ok: true, value: { scanIntervalMinutes: 5 } };
  }
  async analyze(tick: Parameters<StrategyRunner['analyze']>[0]): Promise<StrategyCallResult<StrategyDecision>> {
    const out: unknown[] = [];
    for (const symbol of this.symbols) {
      const m = tick.markets[symbol];
      if (!m) continue;
      const cents = Math.round(m.price * 100);
      const held = tick.portfolio.positions.some((p) => p.symbol === symbol);
      if (!held && cents % this.entryMod === 0) out.push({ action: 'BUY', symbol, size: this.size, stopLoss: m.price * 0.985, takeProfit: m.price * 1.015, intent: 'DAY', confidence: 0.5, reasoning: 'churn entry' });
      else if (held && cents % this.exitMod === 0) out.push({ action: 'CLOSE', symbol, reasoning: 'churn exit' });
    }
    return { ok: true, value: { rawSignals: out, regime: null } };
  }
  notify = async (): Promise<StrategyCallResult<void>> => ({ ok: true, value: undefined });
  getState = async (): Promise<StrategyCallResult<unknown>> => ({ ok: true, value: undefined });
  close = async (): Promise<void> => {};
}

let versionRows: ReturnType<Repositories['strategyVersions']['list']> | null = null;

/** Two registered versions (v001, v002 live) so rollbacks have somewhere to go (registered once, then copied). */
function seedVersions(repos: Repositories, nowMs: number): void {
  if (versionRows === null) {
    const db = openStore({ path: ':memory:' });
    migrate(db);
    const r = createRepositories(db);
    const a = registerVersion(r, { code: churnCode(3, 4), filename: 'churn-a.js', parent: null, description: 'churn A', nowMs });
    if (!a.ok) throw new Error(a.reason);
    activateVersion(r, a.version, nowMs);
    const b = registerVersion(r, { code: churnCode(2, 5), filename: 'churn-b.js', parent: a.version, description: 'churn B', nowMs: nowMs + 1 });
    if (!b.ok) throw new Error(b.reason);
    activateVersion(r, b.version, nowMs + 1);
    versionRows = r.strategyVersions.list(10).reverse();
    db.close();
  }
  for (const { id: _id, ...row } of versionRows) repos.strategyVersions.insert(row);
}

/** The fund's `running.trading` state ('active', 'paused', …), or null when not running. */
function tradingRegion(value: unknown): string | null {
  const running = (value as { running?: { trading?: unknown } } | null)?.running;
  return typeof running?.trading === 'string' ? running.trading : null;
}

/**
 * Runs `scenario` through the real runtime and returns every invariant violation (empty: all
 * held). `bug` breaks one guard on purpose (the suite must then find a violation).
 */
export async function runScenario(scenario: Scenario, bug: InjectedBug | null = null, coverage: SimCoverage = emptyCoverage()): Promise<Violation[]> {
  const db = openStore({ path: ':memory:' });
  migrate(db);
  const repos = createRepositories(db);
  seedVersions(repos, SIM_START - 60_000);
  repos.systemMeta.set('paper_starting_capital', '10000', SIM_START);
  const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
  const violations: Violation[] = [];
  const settings = {
    markets: backtestMarkets([...SIM_SYMBOLS]),
    limits: SIM_LIMITS,
    timeZone: 'Europe/Berlin',
    fees: flatFeeSchedule({ makerPct: fromString('0.25'), takerPct: fromString('0.4') }),
    slippage: fromString('0.0005'),
  };
  const runner = new FaultyRunner(new ChurnRunner());
  const start = async (): Promise<SimFund> => {
    const fund = await startSimFund({
      repos,
      bus,
      settings,
      startingCapital: fromString('10000'),
      warmupMs: 0,
      runner,
      strategy: { filePath: null, seed: null },
      startMs: SIM_START,
      input: { callDeadlineMs: 1000, hasAdvisor: false, orchestrator: { cycleDeadlineMinutes: 120, maxRevisions: 2, cycleTokenReserve: 0, minPaperTestTrades: 3, paperTestDeadlineDays: 7, promotionMinPsr: 0.95 } },
    });
    if (bug === 'skipEntryGate') fund.runtime.entryGate = (): EntryGate => ({ ok: true });
    // Observe the fund at the instant each decision is applied (the engine gates and applies
    // synchronously right after the scan settles), from the trading region's state value — not
    // from the engine's own gate, so a broken gate cannot vouch for itself.
    const finishScan = fund.runtime.finishScan.bind(fund.runtime);
    fund.runtime.finishScan = async (outcomes) => {
      const settled = await finishScan(outcomes);
      decisionState = tradingRegion(fund.runtime.snapshot().value);
      return settled;
    };
    return fund;
  };
  const candles = scenarioCandles(scenario);
  const byStep = new Map<number, Disturbance[]>();
  for (const d of scenario.disturbances) byStep.set(d.step, [...(byStep.get(d.step) ?? []), d.what]);

  let decisionState: string | null = null;
  let fund = await start();
  let stepIndex = 0;
  let lastCommand: string | null = null;
  const fail = (invariant: string, detail: string) => violations.push({ invariant, step: stepIndex, detail });
  const storeBooks = createStoreBooks(repos, { mode: 'paper', timeZone: settings.timeZone, quoteCurrency: 'USD' });

  const check = (gateBefore: string | null, haltBefore: unknown, strategyBefore: { version: string | null; previous: string | null; rollbacks: number }, events: readonly PipelineEvent[]) => {
    const snap = fund.runtime.snapshot();
    const books = fund.engine.books();
    const opened = events.some((e) => e.type === 'position.opened');
    if (opened) coverage.entries += 1;
    if (events.some((e) => e.type === 'position.closed')) coverage.exits += 1;
    if (haltBefore === null && snap.context.halt !== null) coverage.halts += 1;
    if (tradingRegion(snap.value) === 'reducing') coverage.reducing += 1;
    if (opened && gateBefore !== 'active') fail('noEntryWhileBlocked', `a position opened while trading was ${gateBefore ?? 'not running'}`);
    if (books.ledger.positions.length > SIM_LIMITS.maxPositions) fail('riskLimits', `${books.ledger.positions.length} open positions > max ${SIM_LIMITS.maxPositions}`);
    if (books.risk.entriesToday > SIM_LIMITS.maxDailyTrades) fail('riskLimits', `${books.risk.entriesToday} entries today > max ${SIM_LIMITS.maxDailyTrades}`);
    if (books.ledger.cash < 0n) fail('riskLimits', `cash is negative: ${books.ledger.cash}`);
    if (haltBefore !== null && snap.context.halt === null && lastCommand !== 'resume') fail('haltLeftOnlyByResume', `halt cleared after ${lastCommand ?? 'a market step'}`);
    const history = snap.context.strategy.history;
    if (history.length > strategyBefore.rollbacks) {
      const last = history[history.length - 1]!;
      coverage.rollbacks += 1;
      if (last.ok && last.toVersion !== strategyBefore.previous) fail('rollbackToPrevious', `rolled back ${last.fromVersion} → ${last.toVersion}, previous was ${strategyBefore.previous}`);
    }
    const derived = storeBooks.ledger().cash;
    if (derived !== books.ledger.cash) fail('cashReconciles', `store-derived cash ${derived} ≠ books cash ${books.ledger.cash}`);
    for (const p of books.ledger.positions) {
      const symbolActor = snap.children[`symbol:${p.symbol}`] as { getSnapshot(): { children: Record<string, { getSnapshot(): { value: unknown } } | undefined> } } | undefined;
      const pos = symbolActor?.getSnapshot().children[`position:${p.tag}`];
      if (!pos) fail('positionsProtected', `${p.tag} has no position actor`);
      else if (JSON.stringify(pos.getSnapshot().value) !== JSON.stringify({ open: 'protected' })) fail('positionsProtected', `${p.tag} is ${JSON.stringify(pos.getSnapshot().value)}, not open.protected`);
    }
    if (fund.runtime.escapedErrors().length > 0) fail('noEscapedErrors', String(fund.runtime.escapedErrors()[0]));
  };

  const before = () => {
    const snap = fund.runtime.snapshot();
    return {
      gate: tradingRegion(snap.value),
      halt: snap.context.halt,
      strategy: { version: snap.context.strategy.version, previous: snap.context.strategy.previousVersion, rollbacks: snap.context.strategy.history.length },
    };
  };

  try {
    // Replay one step at a time so disturbances land between steps.
    const lists = SIM_SYMBOLS.map((s) => candles[s]!);
    const times = [...new Set(lists.flatMap((l) => l.map((c) => c.tsOpen + M5)))].sort((a, b) => a - b);
    for (const t of times) {
      const b = before();
      lastCommand = null;
      let events: readonly PipelineEvent[] = [];
      const stepCandles = lists.map((l) => l.find((c) => c.tsOpen + M5 === t) ?? null);
      if (fund.clock.now() < t) fund.clock.set(t);
      decisionState = b.gate;
      events = (await fund.engine.step(t, stepCandles)).events;
      await fund.runtime.idle();
      check(decisionState, b.halt, b.strategy, events);
      for (const d of byStep.get(stepIndex) ?? []) {
        const b2 = before();
        lastCommand = null;
        events = [];
        if (d.kind === 'operator') {
          lastCommand = d.command;
          if (d.command === 'close') {
            const tag = fund.engine.books().ledger.positions[0]?.tag;
            if (tag) events = await fund.engine.closePositions('operator close', tag);
          } else {
            const type = `operator.${d.command}`;
            const accepted = fund.runtime.snapshot().can({ type, nowMs: t, reason: 'sim' } as never);
            fund.runtime.send({ type, reason: 'sim' });
            await fund.runtime.idle();
            if (!accepted) coverage.refusedCommands += 1;
            if (!accepted && d.command === 'resume') lastCommand = 'resume(refused)';
          }
        } else if (d.kind === 'strategyFault') {
          runner.fault = d.fault;
        } else if (d.kind === 'feedDrop') {
          fund.runtime.send({ type: 'feed.disconnected', reason: 'sim drop' });
        } else if (d.kind === 'restart') {
          coverage.restarts += 1;
          const committed = { books: repos.checkpoints.get()?.books, trades: repos.trades.count(), positions: repos.positions.list().length };
          if (d.graceful) await fund.stop('sim restart');
          else fund.runtime.actor.stop(); // a crash: nothing more is written
          fund = await start();
          const books = fund.engine.booksJson();
          if (committed.books !== undefined && books !== committed.books) fail('restartLossless', 'books after restart differ from the committed checkpoint');
          if (repos.trades.count() !== committed.trades || repos.positions.list().length !== committed.positions) fail('restartLossless', 'trade or position rows changed across the restart');
        }
        check(b2.gate, b2.halt, b2.strategy, events);
      }
      stepIndex += 1;
      if (violations.length > 0) break;
    }
  } finally {
    await fund.stop('scenario done').catch(() => undefined);
    db.close();
  }
  return violations;
}
