/** Synthetic markets and a ready-made request for the backtester tests. */
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../../../domain/pipeline/index.ts';
import { type BacktestRequest, backtestMarkets } from '../../../supervisor/backtest/index.ts';
import { createInProcessRunner, readStrategySource, seededRandom } from '../../../strategies/in-process/index.ts';
import { V001_SOURCE_PATH } from '../../../strategies/v001/index.ts';
import { LIMITS } from '../../domain/pipeline/support.ts';

export const M5 = 300_000;
export const DAY = 86_400_000;
/** 2024-03-01 00:00 UTC. */
export const START = Date.UTC(2024, 2, 1);

/**
 * A seeded random walk of 5m candles from `fromMs`: each opens at the previous close, moves up to
 * ±0.6 %, with wicks and volumes that spike now and then (so v001 finds crossovers with volume).
 * `skip(i)` drops candle i (a gap).
 */
export function walk(seed: number, fromMs: number, count: number, start = 100, skip: (i: number) => boolean = () => false): Candle[] {
  const rand = seededRandom(seed);
  const out: Candle[] = [];
  let price = start;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.round(open * (1 + (rand() - 0.5) * 0.012) * 100) / 100;
    const high = Math.round(Math.max(open, close) * (1 + rand() * 0.003) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - rand() * 0.003) * 100) / 100;
    price = close;
    if (!skip(i)) out.push({ tsOpen: fromMs + i * M5, open, high, low, close, volume: Math.round((5 + rand() * 10 + (rand() < 0.15 ? 30 : 0)) * 1000) / 1000 });
  }
  return out;
}

/** The seed strategy's bundled source. */
export async function v001Source(): Promise<{ version: string; code: string; hash: string; source: string }> {
  const s = await readStrategySource(V001_SOURCE_PATH, 'v001');
  if (!s.ok) throw new Error(s.reason);
  return { version: s.source.version, code: s.source.code, hash: s.source.hash, source: 'v001' };
}

/** A request over `days` days of two synthetic markets (one with a gap), with the given strategy code. */
export function request(strategy: { version: string; code: string; hash: string; source: string }, overrides: Partial<BacktestRequest> = {}, days = 3): BacktestRequest {
  const n = (days * DAY) / M5;
  const candles = {
    'BTC/USD': walk(1, START - DAY, n + 288, 100),
    'ETH/USD': walk(2, START - DAY, n + 288, 50, (i) => i >= 400 && i < 430),
  };
  return {
    symbols: ['BTC/USD', 'ETH/USD'],
    candles,
    fromMs: START,
    toMs: START + days * DAY,
    warmupMs: DAY,
    settings: { markets: backtestMarkets(['BTC/USD', 'ETH/USD']), limits: { ...LIMITS, defaultTradePct: 0.1 }, timeZone: 'UTC', fees: KRAKEN_PRO_FEE_SCHEDULE, slippage: fromString('0.0005'), tagPrefix: 'bt' },
    startingCapital: fromString('10000'),
    strategy,
    seed: 1,
    folds: 0,
    makeRunner: (seed) => createInProcessRunner({ seed }),
    feeModel: 'kraken-pro-tiered',
    ...overrides,
  };
}

/** Wraps module source as a request strategy. */
export function inline(code: string, version = 'test'): { version: string; code: string; hash: string; source: string } {
  return { version, code, hash: '0000000000000000', source: version };
}
