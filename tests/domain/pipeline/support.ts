/** Shared fixtures of the pipeline tests: a small two-market fund with round numbers. */
import type { RiskLimits } from '../../../domain/contract/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import {
  type PipelineConfig,
  type PipelineEvent,
  type PipelineSettings,
  type PipelineState,
  advanceMarket,
  applyDecision,
  createPipelineConfig,
  createPipelineState,
  flatFeeSchedule,
} from '../../../domain/pipeline/index.ts';

/** 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);
export const M5 = 300_000;

/** Limits loose enough that only the limit a test is about can bite. */
export const LIMITS: RiskLimits = Object.freeze({
  maxPositionPct: 0.5,
  maxPositions: 5,
  maxDailyLossPct: 0.5,
  maxDailyTrades: 20,
  maxTradePct: 0.2,
  defaultTradePct: 0.05,
  defaultStopLossPct: 0.02,
  defaultTakeProfitPct: 0.04,
  killSwitch: false,
  maxDrawdownPct: 0.5,
  rollbackDailyLossPct: 0.5,
  rollbackConsecutiveLosses: 999,
  dailyLossIncludesUnrealized: true,
});

/**
 * BTC/USD and ETH/USD: 8 lot decimals, 2 price decimals, ordermin 0.0001, costmin 0.5; spread 0.2 %
 * (half-spread 0.1 %), slippage 0.1 %, flat fees 0.25 % maker / 0.40 % taker, UTC days.
 */
export function makeConfig(settings: Partial<PipelineSettings> = {}, limits: Partial<RiskLimits> = {}): PipelineConfig {
  const rules = { lotDecimals: 8, pairDecimals: 2, orderMin: fromString('0.0001'), costMin: fromString('0.5') };
  return createPipelineConfig({
    markets: [
      { symbol: 'BTC/USD', rules, spread: fromString('0.002') },
      { symbol: 'ETH/USD', rules, spread: fromString('0.002') },
    ],
    limits: { ...LIMITS, ...limits },
    timeZone: 'UTC',
    fees: flatFeeSchedule({ makerPct: fromString('0.25'), takerPct: fromString('0.40') }),
    slippage: fromString('0.001'),
    tagPrefix: 'bt',
    ...settings,
  });
}

/** A fresh fund of `capital` (default 10000) at `T0`. */
export function fresh(config: PipelineConfig, capital = '10000', nowMs = T0): PipelineState {
  return createPipelineState(config, { kind: 'fresh', startingCapital: fromString(capital), nowMs });
}

/** A 5m candle opening at `tsOpen`. */
export function candle(tsOpen: number, open: number, high: number, low: number, close: number, volume = 10): Candle {
  return { tsOpen, open, high, low, close, volume };
}

/** A flat candle at `price`. */
export function flat(tsOpen: number, price: number): Candle {
  return candle(tsOpen, price, price, price, price);
}

/** One market step at the close of candles opening at `tsOpen` (`byIndex[i]` for market i, null = none). */
export function step(state: PipelineState, config: PipelineConfig, tsOpen: number, ...byIndex: (Candle | null)[]): { state: PipelineState; events: readonly PipelineEvent[] } {
  const candles = config.markets.map((_, i) => byIndex[i] ?? null);
  return advanceMarket(state, config, { nowMs: tsOpen + M5, candles });
}

/** A decision at the state's current time. */
export function decide(state: PipelineState, config: PipelineConfig, output: unknown): { state: PipelineState; events: readonly PipelineEvent[] } {
  return applyDecision(state, config, { nowMs: state.nowMs, output });
}

/** Events of one type. */
export function ofType<T extends PipelineEvent['type']>(events: readonly PipelineEvent[], type: T): Extract<PipelineEvent, { type: T }>[] {
  return events.filter((e): e is Extract<PipelineEvent, { type: T }> => e.type === type);
}
