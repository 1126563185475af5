import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { TRADES, trade } from './fixtures.ts';

describe('trade metrics (predecessor §11 #1–10, #22–26, #29) on the six-trade fixture', () => {
  it('counts trades, wins and losses; a zero-P&L trade is neither', () => {
    expect(M.tradeCount(TRADES)).toBe(6);
    expect(M.winCount(TRADES)).toBe(2); // +10, +6
    expect(M.lossCount(TRADES)).toBe(3); // −4, −2, −1
    expect(M.winRate(TRADES)).toBeCloseTo(2 / 6, 15);
  });

  it('sums P&L and fees', () => {
    expect(M.netPnl(TRADES)).toBeCloseTo(9, 12); // 10 − 4 + 0 + 6 − 2 − 1
    expect(M.totalFees(TRADES)).toBeCloseTo(1.6, 12); // 0.5 + 0.4 + 0.2 + 0.3 + 0.1 + 0.1
  });

  it('averages winners and losers, and combines them into the expectancy', () => {
    expect(M.avgWin(TRADES)).toBeCloseTo(8, 12); // (10 + 6) / 2
    expect(M.avgLoss(TRADES)).toBeCloseTo(-7 / 3, 12); // (−4 − 2 − 1) / 3
    // (2/6)·8 + (3/6)·(−7/3) = 16/6 − 7/6 = 9/6 = 1.5 (it always equals netPnl / tradeCount).
    expect(M.expectancy(TRADES)).toBeCloseTo(1.5, 12);
  });

  it('counts the current losing streak from the newest close', () => {
    // Newest first: #6 −1, #5 −2, #4 +6 → 2.
    expect(M.consecutiveLosses(TRADES)).toBe(2);
    // A zero-P&L close ends a streak like a win does.
    expect(M.consecutiveLosses([trade('X', -1, 0, 0, 0, 1, null), trade('X', 0, 0, 0, 0, 2, null)])).toBe(0);
    // On an exact close-time tie the later row is the more recent one.
    expect(M.consecutiveLosses([trade('X', -1, 0, 0, 0, 5, null), trade('X', 3, 0, 0, 0, 5, null)])).toBe(0);
    expect(M.consecutiveLosses([trade('X', 3, 0, 0, 0, 5, null), trade('X', -1, 0, 0, 0, 5, null)])).toBe(1);
    // Only the 50 most recent closes are looked at.
    const losses = Array.from({ length: 60 }, (_, i) => trade('X', -1, 0, 0, 0, i + 1, null));
    expect(M.consecutiveLosses(losses)).toBe(50);
    expect(M.CONSECUTIVE_LOSSES_WINDOW).toBe(50);
  });

  it('computes the profit factor, infinite with wins and no losses, 0 with neither', () => {
    expect(M.profitFactor(TRADES)).toBeCloseTo(16 / 7, 12); // (10 + 6) / (4 + 2 + 1)
    expect(M.profitFactor([trade('X', 5, 0, 0, 0, 1, null), trade('X', 0, 0, 0, 0, 1, null)])).toBe(Number.POSITIVE_INFINITY);
    expect(M.profitFactor([trade('X', 0, 0, 0, 0, 1, null)])).toBe(0);
    expect(M.profitFactor([trade('X', -2, 0, 0, 0, 1, null)])).toBe(0); // 0 / 2
  });

  it('breaks closes down by reason, counting missing and empty reasons as "unknown"', () => {
    expect(M.closeReasonBreakdown(TRADES)).toEqual({ signal: 1, stop_loss: 2, take_profit: 1, unknown: 2 });
    // A literal "unknown" merges with missing ones instead of overwriting them.
    expect(M.closeReasonBreakdown([trade('X', 1, 0, 0, 0, 1, 'unknown'), trade('X', 1, 0, 0, 0, 1, null)])).toEqual({ unknown: 2 });
    expect(Object.keys(M.closeReasonBreakdown(TRADES))).toEqual(['signal', 'stop_loss', 'take_profit', 'unknown']);
  });

  it('averages holding time in hours and finds the best and worst trade', () => {
    expect(M.avgTradeDurationHours(TRADES)).toBeCloseTo(25 / 6, 12); // (2 + 4 + 1 + 6 + 6 + 6) / 6
    expect(M.bestTradePnlPct(TRADES)).toBe(0.1);
    expect(M.worstTradePnlPct(TRADES)).toBe(-0.04);
  });

  it('counts trades by symbol', () => {
    expect(M.tradesBySymbol(TRADES)).toEqual({ 'BTC/USD': 3, 'ETH/USD': 2, 'SOL/USD': 1 });
  });

  it('gives the predecessor values for no trades', () => {
    const none: M.TradeRow[] = [];
    expect([M.tradeCount(none), M.winCount(none), M.lossCount(none), M.winRate(none), M.netPnl(none), M.totalFees(none)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([M.avgWin(none), M.avgLoss(none), M.expectancy(none), M.consecutiveLosses(none), M.profitFactor(none)]).toEqual([0, 0, 0, 0, 0]);
    expect([M.avgTradeDurationHours(none), M.bestTradePnlPct(none), M.worstTradePnlPct(none)]).toEqual([0, 0, 0]);
    expect(M.closeReasonBreakdown(none)).toEqual({});
    expect(M.tradesBySymbol(none)).toEqual({});
  });
});
