/**
 * Shared set-up for runtime tests: real Kraken candle fixtures (ETH/USD and SOL/USD, 2024-08-02 …
 * 2024-08-06, gap-free), pipeline settings, a migrated store, and a simulated fund running the
 * seed strategy v001 through the in-process runner or the sandbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepositories, type Db, type Repositories } from '../../../adapters/libsql/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE, type PipelineSettings } from '../../../domain/pipeline/index.ts';
import type { StrategyRunner } from '../../../domain/ports/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { FIXTURE_DIR, parseCandleCsv } from '../../../strategies/loader/index.ts';
import { V001_SOURCE_PATH } from '../../../strategies/v001/index.ts';
import { backtestMarkets } from '../../../supervisor/backtest/index.ts';
import { createEventBus } from '../../../supervisor/events/index.ts';
import { type SimFund, startSimFund } from '../../../supervisor/sim/index.ts';
import { LIMITS } from '../../domain/pipeline/support.ts';

export const DAY = 86_400_000;
export const M5 = 300_000;
/** 2024-08-02 00:00 UTC: the fixtures' first candle. */
export const FIXTURE_START = Date.UTC(2024, 7, 2);
export const SYMBOLS = ['ETH/USD', 'SOL/USD'] as const;

/** The ETH/USD and SOL/USD fixture candles (1,440 each). */
export function fixtureCandles(): Record<string, Candle[]> {
  return {
    'ETH/USD': parseCandleCsv(readFileSync(join(FIXTURE_DIR, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz')), 'ETH'),
    'SOL/USD': parseCandleCsv(readFileSync(join(FIXTURE_DIR, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz')), 'SOL'),
  };
}

/** Pipeline settings shared by the backtest and the runtime in parity tests. */
export function settings(over: Partial<PipelineSettings> = {}): PipelineSettings {
  return {
    markets: backtestMarkets([...SYMBOLS]),
    limits: { ...LIMITS, defaultTradePct: 0.1 },
    timeZone: 'UTC',
    fees: KRAKEN_PRO_FEE_SCHEDULE,
    slippage: fromString('0.0005'),
    tagPrefix: 'auto',
    ...over,
  };
}

/** The seed strategy's source text. */
export function v001Code(): string {
  return readFileSync(V001_SOURCE_PATH, 'utf8');
}

export const INPUT = {
  callDeadlineMs: 1000,
  hasAdvisor: false,
  orchestrator: { cycleDeadlineMinutes: 120, maxRevisions: 2, cycleTokenReserve: 50_000, minPaperTestTrades: 5, paperTestDeadlineDays: 7, promotionMinPsr: 0.95 },
};

/** Stores `candles` (5m) with open time < `beforeMs`: the history a fund starting at `beforeMs` finds. */
export function seedHistory(repos: Repositories, candles: Record<string, Candle[]>, beforeMs: number): void {
  for (const [symbol, list] of Object.entries(candles)) repos.candles.upsertMany(symbol, '5m', list.filter((c) => c.tsOpen < beforeMs));
}

/** Starts (or restarts) a simulated fund on `db` running v001. */
export async function simFund(db: Db, o: { runner?: StrategyRunner; startMs: number; settings?: PipelineSettings; report?: (p: { kind: string; detail: string }) => void }): Promise<{ fund: SimFund; repos: Repositories; bus: ReturnType<typeof createEventBus> }> {
  const repos = createRepositories(db);
  const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
  const fund = await startSimFund({
    repos,
    bus,
    settings: o.settings ?? settings(),
    startingCapital: fromString('10000'),
    warmupMs: DAY,
    runner: o.runner ?? createInProcessRunner({ seed: 1 }),
    strategy: { filePath: null, seed: { code: v001Code(), filename: 'v001.ts', description: 'seed strategy' } },
    startMs: o.startMs,
    input: INPUT,
    ...(o.report ? { report: o.report } : {}),
  });
  return { fund, repos, bus };
}
