/** Shared setup for the orchestrator tests: fixture candles, fund settings, strategy sources, a temp store. */
import { type AnyActorRef, SimulatedClock, createActor, waitFor } from 'xstate';
import { createClaudeAdvisor } from '../../../adapters/anthropic/index.ts';
import { type FakeAnthropic, startFakeAnthropic } from '../../../adapters/fake-anthropic/index.ts';
import type { NotifierEvent } from '../../../domain/events/index.ts';
import type { Advisor, DataBlock } from '../../../domain/ports/index.ts';
import { type OrchestratorInput, orchestratorMachine } from '../../../machines/orchestrator.ts';
import { activateVersion, registerVersion } from '../../../strategies/loader/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import {
  type AdvisorMode,
  type OrchestratorDeps,
  type OrchestratorSettings,
  createOrchestratorImplementations,
  createStoreBudgetLedger,
} from '../../../supervisor/orchestrator/index.ts';
import { tempStore } from '../../strategies/loader/support.ts';
import { API_KEY, PRICES } from '../../adapters/anthropic/support.ts';
import { readFileSync } from 'node:fs';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE, type PipelineSettings } from '../../../domain/pipeline/index.ts';
import { FIXTURE_DIR, parseCandleCsv } from '../../../strategies/loader/index.ts';
import { backtestMarkets } from '../../../supervisor/backtest/index.ts';
import { LIMITS } from '../../domain/pipeline/support.ts';

export const M5 = 300_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Real Kraken BTC/USD 5m candles, 2023-03-09..13 (1440 candles). */
export function btcCandles(): Candle[] {
  return parseCandleCsv(readFileSync(`${FIXTURE_DIR}kraken_BTCUSD_5m_2023-03-09_2023-03-13.csv.gz`), 'btc fixture');
}

/** The fund's pipeline settings for BTC/USD (default risk limits, Kraken fees). */
export function fundSettings(): PipelineSettings {
  return {
    markets: backtestMarkets(['BTC/USD']),
    limits: { ...LIMITS, defaultTradePct: 0.1, maxDailyTrades: 50 },
    timeZone: 'UTC',
    fees: KRAKEN_PRO_FEE_SCHEDULE,
    slippage: fromString('0.0005'),
    tagPrefix: 'auto',
  };
}

/**
 * An EMA-crossover strategy declaring its parameters (the local advisor's convention). Long-only:
 * BUY when EMA(fast) crosses above EMA(slow), CLOSE when it crosses back; stop and target as
 * fractions of the price.
 */
export function crossoverSource(p: { fast: number; slow: number; stop: number; target: number }, tag = ''): string {
  return `// crossover ${tag}
export const parameters = {
  fast: { value: ${p.fast}, min: 2, max: 20, step: 1 },
  slow: { value: ${p.slow}, min: 10, max: 60, step: 2 },
  stop: { value: ${p.stop}, min: 0.002, max: 0.03, step: 0.002 },
  target: { value: ${p.target}, min: 0.002, max: 0.05, step: 0.002 },
};

let size = 0.05;
let symbols: string[] = [];
const state: Record<string, { n: number; fast: number; slow: number; pf: number; ps: number; last: number }> = {};

export function initialize(limits: { defaultTradePct: number }, list: string[]) {
  size = limits.defaultTradePct;
  symbols = [...list];
  for (const s of symbols) state[s] = { n: 0, fast: NaN, slow: NaN, pf: NaN, ps: NaN, last: -1 };
}

export function analyze(markets: Record<string, { price: number; candles5m: { tsOpen: number; close: number }[] } | undefined>, portfolio: { positions: { symbol: string }[] }) {
  const out: unknown[] = [];
  const kf = 2 / (parameters.fast.value + 1);
  const ks = 2 / (parameters.slow.value + 1);
  for (const symbol of symbols) {
    const m = markets[symbol];
    const t = state[symbol];
    if (!m || !t) continue;
    let fresh = false;
    for (const c of m.candles5m) {
      if (c.tsOpen <= t.last) continue;
      fresh = true;
      t.last = c.tsOpen;
      t.n++;
      t.pf = t.fast;
      t.ps = t.slow;
      t.fast = t.n === 1 ? c.close : t.fast + kf * (c.close - t.fast);
      t.slow = t.n === 1 ? c.close : t.slow + ks * (c.close - t.slow);
    }
    if (!fresh || t.n < parameters.slow.value) continue;
    const held = portfolio.positions.some((p) => p.symbol === symbol);
    if (!held && t.pf <= t.ps && t.fast > t.slow) {
      out.push({ action: 'BUY', symbol, size, stopLoss: m.price * (1 - parameters.stop.value), takeProfit: m.price * (1 + parameters.target.value), intent: 'DAY', reasoning: 'fast EMA crossed above slow EMA' });
    } else if (held && t.pf >= t.ps && t.fast < t.slow) {
      out.push({ action: 'CLOSE', symbol, reasoning: 'fast EMA crossed below slow EMA' });
    }
  }
  return out;
}
`;
}


/** The incumbent (v001) and the candidate the fake advisor writes; chosen on the fixture (see night.test.ts). */
export const INCUMBENT = { fast: 12, slow: 30, stop: 0.004, target: 0.006 };
export const CANDIDATE = { fast: 12, slow: 40, stop: 0.01, target: 0.02 };

/** Orchestrator settings for the tests (gate: 5 trades, 1 day, PSR 0.6; 1-day test + 1-day extension). */
export function testConfig(over: Partial<OrchestratorSettings> = {}): OrchestratorSettings {
  return {
    timeZone: 'UTC',
    maxCandidates: 2,
    minPaperTestTrades: 5,
    minPaperTestDays: 1,
    paperTestDeadlineDays: 1,
    paperTestExtensionDays: 1,
    promotionMinPsr: 0.6,
    reflectionIntervalDays: 7,
    backtestDays: 2,
    folds: 1,
    warmupDays: 1,
    startingCapital: fromString('10000'),
    seed: 1,
    ...over,
  };
}

/** Everything a test needs: store, clock, fake API (or a given advisor), the machine actor and what it did. */
export interface Harness {
  readonly store: ReturnType<typeof tempStore>;
  readonly fake: FakeAnthropic | null;
  readonly candles: Candle[];
  readonly t0: number;
  now: number;
  readonly clock: SimulatedClock;
  readonly impl: ReturnType<typeof createOrchestratorImplementations>;
  readonly actor: AnyActorRef;
  /** Every state value the machine passed through (microsteps included), in order. */
  readonly states: string[];
  readonly events: NotifierEvent[];
  readonly deps: OrchestratorDeps;
  close(): Promise<void>;
}

/** Options of `harness`. */
export interface HarnessOptions {
  readonly config?: Partial<OrchestratorSettings>;
  readonly dailyTokenLimit?: number;
  readonly input?: Partial<OrchestratorInput>;
  readonly marketData?: (nowMs: number) => readonly DataBlock[];
  /** Use this advisor instead of Claude on the fake. */
  readonly advisor?: { advisor: Advisor; mode: AdvisorMode };
  readonly incumbentReturns?: OrchestratorDeps['incumbentReturns'];
  /** Start time offset from the fixture's first candle (default 3 days). */
  readonly startOffsetMs?: number;
  readonly incumbentSource?: string;
}

/** Builds the harness: v001 registered and live, a started orchestrator actor at t0 + 3 days. */
export async function harness(o: HarnessOptions = {}): Promise<Harness> {
  const store = tempStore();
  const candles = btcCandles();
  const t0 = candles[0]!.tsOpen;
  const h = { now: t0 + (o.startOffsetMs ?? 3 * DAY) } as { now: number };
  const reg = registerVersion(store.repos, { code: o.incumbentSource ?? crossoverSource(INCUMBENT, 'incumbent'), filename: 'v001.ts', parent: null, description: 'incumbent crossover', nowMs: t0 });
  if (!reg.ok) throw new Error(reg.reason);
  const act = activateVersion(store.repos, reg.version, t0);
  if (!act.ok) throw new Error(act.reason);
  const config = testConfig(o.config);
  const fake = o.advisor ? null : await startFakeAnthropic({ apiKey: API_KEY });
  const ledger = createStoreBudgetLedger(store.repos, config.timeZone);
  const advisor =
    o.advisor ??
    ({
      mode: 'claude' as const,
      advisor: createClaudeAdvisor({
        provider: 'anthropic',
        apiKey: API_KEY,
        baseURL: fake!.baseURL,
        analysisModel: 'claude-opus-5-5',
        codeModel: 'claude-sonnet-5-5',
        askModel: 'claude-haiku-5-5',
        analysisMaxOutputTokens: 16_384,
        codeMaxOutputTokens: 16_384,
        askMaxOutputTokens: 4096,
        dailyTokenLimit: o.dailyTokenLimit ?? 1_500_000,
        requestTimeoutMs: 5000,
        maxRetries: 0,
        prices: PRICES,
        ledger,
        now: () => h.now,
      }),
    });
  const events: NotifierEvent[] = [];
  const deps: OrchestratorDeps = {
    advisor: advisor.advisor,
    mode: advisor.mode,
    repos: store.repos,
    clock: () => h.now,
    makeRunner: (seed) => createInProcessRunner({ seed }),
    candles: (symbols, fromMs, toMs) => Object.fromEntries(symbols.map((s) => [s, s === 'BTC/USD' ? candles.filter((c) => c.tsOpen >= fromMs && c.tsOpen < toMs) : []])),
    publish: (e) => void events.push(e),
    settings: fundSettings(),
    config,
    ...(o.marketData ? { marketData: o.marketData } : {}),
    ...(o.incumbentReturns ? { incumbentReturns: o.incumbentReturns } : {}),
  };
  const impl = createOrchestratorImplementations(deps);
  const clock = new SimulatedClock();
  const states: string[] = [];
  const machine = orchestratorMachine.provide({ actors: impl.actors, actions: impl.actions, guards: impl.guards });
  const actor = createActor(machine, {
    clock,
    input: {
      hasAdvisor: true,
      cycleTimeoutMs: 3 * HOUR,
      shadowTestTimeoutMs: 3 * DAY,
      maxRevisions: 3,
      minTokensPerCycle: 200_000,
      promotion: { minTrades: config.minPaperTestTrades, minPsr: config.promotionMinPsr },
      nowMs: h.now,
      ...o.input,
    },
    inspect: (ev) => {
      if (ev.type === '@xstate.microstep' || ev.type === '@xstate.snapshot') {
        const value = (ev as { snapshot: { value?: unknown } }).snapshot.value;
        if (typeof value === 'string' && states[states.length - 1] !== value) states.push(value);
      }
    },
  });
  actor.start();
  return Object.assign(h, {
    store,
    fake,
    candles,
    t0,
    clock,
    impl,
    actor,
    states,
    events,
    deps,
    async close() {
      actor.stop();
      await fake?.close();
      store.close();
    },
  }) as Harness;
}

/** Requests a cycle at the harness's now and waits until the machine rests (idle or shadowTesting). */
export async function runCycle(h: Harness, rest: readonly string[] = ['idle', 'shadowTesting']): Promise<string> {
  h.actor.send({ type: 'orchestrator.requested', source: 'schedule', nowMs: h.now });
  const snap = await waitFor(h.actor, (s) => rest.includes(String(s.value)) && (String(s.value) !== 'idle' || s.context.cycle === null), { timeout: 15_000 });
  return String(snap.value);
}

/** Types of the published events, in order. */
export function eventTypes(h: Harness): string[] {
  return h.events.map((e) => e.type);
}
