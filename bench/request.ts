/**
 * The benchmark backtest, built once for every bench that runs it: the 2024 × BTC/ETH/SOL series
 * from bench/data.ts, brain.toml's risk defaults, per-symbol spreads of 1, 2 and 5 bp
 * (reference/performance.md §B2), Kraken Pro fee tiers, and v001 in-process.
 */
import { fromString } from '../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE } from '../domain/pipeline/index.ts';
import type { StrategyRunner } from '../domain/ports/index.ts';
import { createInProcessRunner, readStrategySource } from '../strategies/in-process/index.ts';
import { V001_SOURCE_PATH } from '../strategies/v001/index.ts';
import { type BacktestRequest, backtestMarkets } from '../supervisor/backtest/index.ts';
import { BENCH_FILES, type Series, readSeries } from './data.ts';

/** The seed limits of brain.toml (risk defaults), as the fund would run v001. */
export const BENCH_LIMITS = {
  maxPositionPct: 0.25,
  maxPositions: 18,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.06,
  defaultStopLossPct: 0.03,
  defaultTakeProfitPct: 0.09,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 999,
  dailyLossIncludesUnrealized: true,
} as const;

/** The series and the request (throws when v001's source cannot be read). */
export async function benchBacktest(over: { timeZone?: string; folds?: number; makeRunner?: (seed: number) => StrategyRunner } = {}): Promise<{
  series: Series[];
  symbols: string[];
  totalCandles: number;
  request: BacktestRequest;
}> {
  const series: Series[] = Object.entries(BENCH_FILES).map(([symbol, file]) => readSeries(symbol, file));
  const symbols = series.map((s) => s.symbol);
  const candles = Object.fromEntries(series.map((s) => [s.symbol, s.candles]));
  const totalCandles = series.reduce((n, s) => n + s.candles.length, 0);
  const source = await readStrategySource(V001_SOURCE_PATH, 'v001');
  if (!source.ok) throw new Error(source.reason);
  const request: BacktestRequest = {
    symbols,
    candles,
    fromMs: Date.UTC(2024, 0, 1),
    toMs: Date.UTC(2025, 0, 1),
    warmupMs: 0,
    settings: {
      markets: backtestMarkets(symbols, { 'BTC/USD': fromString('0.0001'), 'ETH/USD': fromString('0.0002'), 'SOL/USD': fromString('0.0005') }),
      limits: BENCH_LIMITS,
      timeZone: over.timeZone ?? 'UTC',
      fees: KRAKEN_PRO_FEE_SCHEDULE,
      slippage: fromString('0.0005'),
      tagPrefix: 'bt',
    },
    startingCapital: fromString('10000'),
    strategy: { version: source.source.version, code: source.source.code, hash: source.source.hash, source: 'v001' },
    seed: 1,
    folds: over.folds ?? 0,
    makeRunner: over.makeRunner ?? ((seed) => createInProcessRunner({ seed })),
    feeModel: 'kraken-pro-tiered',
  };
  return { series, symbols, totalCandles, request };
}
