/**
 * The operator under test: a real fund actor (fake phase actors, SimulatedClock) brought to
 * `running`, a real migrated libSQL store in a temp dir seeded with hand-computed books, a real
 * event bus. Every figure the tests check follows from the seed below:
 *
 *   starting capital 1000 + deposit 500                                      = 1500 contributed
 *   closed BTC: 0.01 @ 60000 → 63000: 630 − 600 − fees 3                      = +27   (0.045)
 *   closed ETH: 0.1 @ 3000 → 2850:    285 − 300 − fees 1.5                    = −16.5 (−0.055)
 *   open BTC auto_BTCUSD_002: 0.005, cost 310 (entry 62000), fee 0.8, mark 64000 → value 320
 *   cash  = 1500 + 27 − 16.5 − (310 + 0.8)                                    = 1199.7
 *   value = 1199.7 + 320                                                      = 1519.7
 */
import { type AnyActorLogic, fromPromise } from 'xstate';
import { createRepositories, type Repositories } from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import type { Notifier } from '../../../domain/ports/index.ts';
import { defaultConfig, toRiskLimits } from '../../../supervisor/config/index.ts';
import { type BusFailure, createEventBus } from '../../../supervisor/events/index.ts';
import { type BooksHandle, type Operator, type OperatorDeps, type OperatorSettings, type RiskHandle, createOperator } from '../../../supervisor/operator/index.ts';
import { PAPER_STARTING_CAPITAL } from '../../../supervisor/boot.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { type FundHarness, startFund } from '../../machines/support/fund-actor.ts';
import { DAY, HOUR, MINUTE, T0, flush } from '../../machines/support/fixtures.ts';

export { DAY, HOUR, MINUTE, T0, flush };

export const ZONE = 'America/Toronto';

export function settings(over: Partial<OperatorSettings> = {}): OperatorSettings {
  return {
    mode: 'paper',
    version: '0.1.0',
    symbols: ['BTC/USD'],
    timeZone: ZONE,
    quoteCurrency: 'USD',
    amountDecimals: 2,
    limits: toRiskLimits(defaultConfig()),
    dailyTokenLimit: 1_500_000,
    maxCandidates: 3,
    startedAtMs: T0 - HOUR,
    confirmationTtlMs: 2 * MINUTE,
    ...over,
  };
}

const f = fromString;

/** Seeds the books of the module comment (and a deployed v001). */
export function seedBooks(repos: Repositories): void {
  repos.systemMeta.set(PAPER_STARTING_CAPITAL, '1000', T0 - 30 * DAY);
  repos.capitalEvents.record({
    kind: 'deposit',
    amount: f('500'),
    currency: 'USD',
    tsEvent: T0 - 10 * DAY,
    dayKey: '2025-12-26',
    venueRef: null,
    note: 'top-up',
    recordedAt: T0 - 10 * DAY,
  });
  repos.strategyVersions.insert({
    version: 'v001',
    parentVersion: null,
    code: ['// v001: EMA 9/21 crossover', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'].join('\n'),
    codeHash: 'h001',
    riskTier: 1,
    description: 'seed strategy',
    backtestResult: null,
    shadowTestResult: null,
    marketConditions: null,
    createdAt: T0 - 30 * DAY,
    deployedAt: null,
    retiredAt: null,
  });
  repos.strategyVersions.deploy('v001', T0 - 30 * DAY);
  const trade = {
    side: 'long',
    intent: 'SWING',
    mae: f('0.01'),
    strategyVersion: 'v001',
    strategyRegime: null,
    exitClientOrderId: null,
  } as const;
  repos.trades.insert({
    ...trade,
    tag: 'auto_BTCUSD_001',
    symbol: 'BTC/USD',
    qty: f('0.01'),
    entryPrice: f('60000'),
    exitPrice: f('63000'),
    costBasis: f('600'),
    proceeds: f('630'),
    entryFee: f('1.5'),
    exitFee: f('1.5'),
    fees: f('3'),
    pnl: f('27'),
    pnlFraction: f('0.045'),
    closeReason: 'take_profit',
    openedAt: T0 - 3 * DAY,
    closedAt: T0 - DAY,
  });
  repos.trades.insert({
    ...trade,
    tag: 'auto_ETHUSD_001',
    symbol: 'ETH/USD',
    qty: f('0.1'),
    entryPrice: f('3000'),
    exitPrice: f('2850'),
    costBasis: f('300'),
    proceeds: f('285'),
    entryFee: f('0.75'),
    exitFee: f('0.75'),
    fees: f('1.5'),
    pnl: f('-16.5'),
    pnlFraction: f('-0.055'),
    closeReason: 'stop_loss',
    openedAt: T0 - 2 * DAY,
    closedAt: T0 - HOUR, // 06:00 in Toronto: today
  });
  repos.positions.insert({
    tag: 'auto_BTCUSD_002',
    symbol: 'BTC/USD',
    side: 'long',
    qty: f('0.005'),
    costBasis: f('310'),
    entryFees: f('0.8'),
    lastPrice: f('64000'),
    stopLoss: f('60000'),
    takeProfit: f('70000'),
    intent: 'SWING',
    mae: f('0.005'),
    seq: 3,
    strategyVersion: 'v001',
    strategyRegime: null,
    openedAt: T0 - 2 * HOUR,
    updatedAt: T0 - 5 * MINUTE,
  });
  repos.scanResults.insert({
    scannedAt: T0 - 5 * MINUTE,
    symbol: 'BTC/USD',
    price: f('64000'),
    spread: f('0.0002'),
    signalGenerated: false,
    signalAction: null,
    signalConfidence: null,
  });
}

/** A candidate in `slot` running `version` (strategy row, candidate row, running paper test). */
export function seedCandidate(repos: Repositories, slot: number, version: string): number {
  repos.strategyVersions.insert({
    version,
    parentVersion: 'v001',
    code: 'export const analyze = () => [];',
    codeHash: `h-${version}`,
    riskTier: 1,
    description: `candidate ${version}`,
    backtestResult: null,
    shadowTestResult: null,
    marketConditions: null,
    createdAt: T0 - DAY,
    deployedAt: null,
    retiredAt: null,
  });
  const created = repos.candidates.create(
    {
      slot,
      strategyVersion: version,
      description: `wider stops (${version})`,
      backtestSummary: null,
      portfolioSnapshot: '{}',
      startingCash: f('1000'),
      evaluationDurationDays: 7,
      createdAt: T0 - DAY,
    },
    { maxSlots: 3 },
  );
  if (!created.ok) throw new Error(created.reason);
  repos.paperTests.start({ candidateId: created.id, strategyVersion: version, minTrades: 5, startedAt: T0 - DAY, deadlineAt: T0 + 6 * DAY });
  return created.id;
}

export interface OperatorHarness {
  readonly fund: FundHarness;
  readonly repos: Repositories;
  readonly bus: Notifier;
  /** Failures the bus isolated (tests expect none). */
  readonly busFailures: BusFailure[];
  readonly operator: Operator;
  readonly settings: OperatorSettings;
}

export interface HarnessOptions {
  readonly settings?: Partial<OperatorSettings>;
  /** Replaces fund child/phase logic (e.g. a provided orchestrator). */
  readonly actors?: Partial<Record<string, AnyActorLogic>>;
  readonly risk?: RiskHandle;
  readonly deps?: Partial<OperatorDeps>;
  /** Books over the harness's store (default: the operator's own store books). */
  readonly booksFor?: (repos: Repositories) => BooksHandle;
  /** Leave the fund in its startup phase (the boot actor never settles). */
  readonly stayBooting?: boolean;
  /** Seed the books (default true). */
  readonly seed?: boolean;
}

/** A running fund, a seeded store and the operator over them. */
export async function operatorHarness(o: HarnessOptions = {}): Promise<OperatorHarness> {
  const repos = createRepositories(freshStore().db);
  if (o.seed !== false) seedBooks(repos);
  const actors: Partial<Record<string, AnyActorLogic>> = { ...o.actors };
  if (o.stayBooting) actors['boot'] = pendingLogic();
  const fund = startFund({ actors });
  await flush();
  const busFailures: BusFailure[] = [];
  const bus = createEventBus({ activityLog: repos.activityLog, onError: (failure) => void busFailures.push(failure) });
  const s = settings(o.settings);
  const operator = createOperator({
    fund: fund.actor,
    repos,
    clock: { now: () => fund.clock.now() },
    settings: s,
    bus,
    newToken: sequentialTokens(),
    ...(o.risk ? { risk: o.risk } : {}),
    ...(o.booksFor ? { books: o.booksFor(repos) } : {}),
    ...o.deps,
  });
  return { fund, repos, bus, busFailures, operator, settings: s };
}

/** A promise actor that never settles: the phase it runs in never ends. */
function pendingLogic(): AnyActorLogic {
  return fromPromise(() => new Promise<never>(() => {})) as unknown as AnyActorLogic;
}

/** Deterministic confirmation tokens: tok-1, tok-2, … */
export function sequentialTokens(): () => string {
  let n = 0;
  return () => `tok-${++n}`;
}
