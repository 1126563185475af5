/** Shared inputs for the sandbox tests. */
import type { Portfolio, RiskLimits } from '../../../domain/contract/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import type { StrategyTick } from '../../../domain/ports/strategy.ts';

export const FIVE_MIN = 300_000;

/** Predecessor REF limits (§21): 25 % position, 5 positions, 10 % daily loss, 20 trades, 10 % trade, 5 % default. */
export const LIMITS: RiskLimits = Object.freeze({
  maxPositionPct: 0.25,
  maxPositions: 5,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.05,
  defaultStopLossPct: 0.02,
  defaultTakeProfitPct: 0.04,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 999,
  dailyLossIncludesUnrealized: true,
});

export const PORTFOLIO: Portfolio = Object.freeze({ cash: 200, totalValue: 200, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 });

export const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'] as const;

/** A flat 5m candle at bar index `i` closing at `close`. */
export function candle(i: number, close = 100): Candle {
  return { tsOpen: i * FIVE_MIN, open: close, high: close + 1, low: close - 1, close, volume: 10 };
}

/** `n` 5m candles from bar index `from`, closes from `closeOf(i)`. */
export function candles(from: number, n: number, closeOf: (i: number) => number = () => 100): Candle[] {
  return Array.from({ length: n }, (_, k) => candle(from + k, closeOf(from + k)));
}

/** The tick after bar `i` closed: one new 5m candle per symbol. */
export function tickAt(i: number, symbols: readonly string[] = SYMBOLS, closeOf: (i: number) => number = () => 100): StrategyTick {
  const markets: Record<string, StrategyTick['markets'][string]> = {};
  for (const s of symbols) {
    markets[s] = { price: closeOf(i), spread: 0.001, volume24h: 1000, makerFeePct: 0.25, takerFeePct: 0.4, newCandles: { '5m': [candle(i, closeOf(i))] } };
  }
  return { nowMs: (i + 1) * FIVE_MIN, markets, portfolio: PORTFOLIO };
}

/** A well-behaved strategy: one BUY per call naming how many 5m candles it saw. */
export const GOOD_STRATEGY = `
let traded = [];
export function initialize(limits, symbols) { traded = symbols; }
export function analyze(markets, portfolio, time) {
  const m = markets['BTC/USD'];
  return [{ symbol: 'BTC/USD', action: 'BUY', size: 0.05, reasoning: 'seen ' + m.candles5m.length + ' at ' + time }];
}
`;
