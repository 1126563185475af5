import type { BuySignal, RiskLimits, Signal } from '../../../domain/contract/index.ts';
import { type Fixed, fromString } from '../../../domain/money/index.ts';
import { type RiskContext, type RiskPosition, type RiskState, createRiskState } from '../../../domain/risk/index.ts';

/** Toronto: a DST zone, so every test exercises the local-day boundary, not UTC. */
export const TZ = 'America/Toronto';
/** 2024-07-01 12:00 EDT. */
export const NOW = Date.parse('2024-07-01T16:00:00Z');

export const $ = (text: string): Fixed => fromString(text);

/** Round-number limits for hand-computed examples. */
export const LIMITS: RiskLimits = {
  maxPositionPct: 0.25,
  maxPositions: 5,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.05,
  defaultStopLossPct: 0.03,
  defaultTakeProfitPct: 0.09,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 5,
  dailyLossIncludesUnrealized: false,
};

/** A fresh state with equity = start-of-day = peak = `equity`, on the local day of NOW. */
export function stateOf(equity = '10000', patch: Partial<RiskState> = {}): RiskState {
  return { ...createRiskState($(equity), NOW, TZ), ...patch };
}

export function ctxOf(equity = '10000', positions: RiskPosition[] = []): RiskContext {
  return { nowMs: NOW, timeZone: TZ, equity: $(equity), positions };
}

export function position(tag: string, symbol: string, qty: string, price: string): RiskPosition {
  return { tag, symbol, qty: $(qty), price: $(price) };
}

export function buy(size: number, patch: Partial<BuySignal> = {}): BuySignal {
  return { action: 'BUY', symbol: 'BTC/USD', size, orderType: 'MARKET', intent: 'DAY', confidence: 0.5, reasoning: '', ...patch };
}

export const EXITS: Signal[] = [
  { action: 'SELL', symbol: 'BTC/USD', size: 1, orderType: 'MARKET', confidence: 0.5, reasoning: '' },
  { action: 'CLOSE', symbol: 'BTC/USD', orderType: 'MARKET', confidence: 0.5, reasoning: '' },
  { action: 'MODIFY', symbol: 'BTC/USD', tag: 't1', stopLoss: 1, confidence: 0.5, reasoning: '' },
];
