import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { runs } from '../../support/runs.ts';
import { HOUR, T0 } from './fixtures.ts';

const money = fc.double({ min: -1_000, max: 1_000, noNaN: true, noDefaultInfinity: true });
const tradeRow: fc.Arbitrary<M.TradeRow> = fc
  .record({
    symbol: fc.constantFrom('BTC/USD', 'ETH/USD', 'SOL/USD'),
    pnl: fc.oneof(money, fc.constant(0)),
    pnlPct: fc.double({ min: -1, max: 5, noNaN: true }),
    fees: fc.double({ min: 0, max: 10, noNaN: true }),
    opened: fc.integer({ min: 0, max: 1_000 }),
    held: fc.integer({ min: 0, max: 500 }),
    closeReason: fc.constantFrom('signal', 'stop_loss', 'take_profit', null),
  })
  .map(({ opened, held, ...rest }) => ({ ...rest, openedAtMs: T0 + opened * HOUR, closedAtMs: T0 + (opened + held) * HOUR }));

/** Snapshots on distinct consecutive dates with positive values. */
const snapshots: fc.Arbitrary<M.DailySnapshotRow[]> = fc
  .array(fc.double({ min: 1, max: 1_000_000, noNaN: true }), { maxLength: 40 })
  .map((values) =>
    values.map((portfolioValue, i) => {
      const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
      return { date: day, portfolioValue, cash: portfolioValue / 2 };
    }),
  );

describe('truth metric properties', () => {
  it('trade metrics agree with each other', () => {
    fc.assert(
      fc.property(fc.array(tradeRow, { maxLength: 50 }), (trades) => {
        const n = M.tradeCount(trades);
        expect(M.winCount(trades) + M.lossCount(trades)).toBeLessThanOrEqual(n);
        expect(M.winRate(trades)).toBeGreaterThanOrEqual(0);
        expect(M.winRate(trades)).toBeLessThanOrEqual(1);
        // Expectancy is the mean P&L per trade.
        if (n > 0) expect(M.expectancy(trades)).toBeCloseTo(M.netPnl(trades) / n, 6);
        expect(M.profitFactor(trades)).toBeGreaterThanOrEqual(0);
        expect(M.consecutiveLosses(trades)).toBeLessThanOrEqual(Math.min(M.lossCount(trades), 50));
        const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
        expect(sum(M.closeReasonBreakdown(trades))).toBe(n);
        expect(sum(M.tradesBySymbol(trades))).toBe(n);
        if (n > 0) expect(M.bestTradePnlPct(trades)).toBeGreaterThanOrEqual(M.worstTradePnlPct(trades));
        expect(M.avgTradeDurationHours(trades)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('snapshot metrics stay in range and ignore row order', () => {
    fc.assert(
      fc.property(snapshots.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }))), ([ordered, shuffled]) => {
        const dd = M.maxDrawdownPct(ordered);
        expect(dd).toBeGreaterThanOrEqual(0);
        expect(dd).toBeLessThan(1);
        const psr = M.probabilisticSharpeRatio(ordered);
        if (psr !== null) {
          expect(psr).toBeGreaterThanOrEqual(0);
          expect(psr).toBeLessThanOrEqual(1);
          // PSR(0) is above one half exactly when the mean daily return is positive.
          const mean = M.mean(M.dailyReturns(ordered));
          if (Math.abs(mean) > 1e-12) expect(psr > 0.5).toBe(mean > 0);
        }
        // Sharpe and Sortino have the sign of the mean return.
        const sharpe = M.sharpeRatio(ordered);
        if (sharpe !== 0) expect(Math.sign(M.sortinoRatio(ordered)) * Math.sign(sharpe)).not.toBe(-1);
        for (const f of [M.maxDrawdownPct, M.sharpeRatio, M.sortinoRatio, M.calmarRatio, M.probabilisticSharpeRatio, M.portfolioValue]) {
          expect(f(shuffled)).toBe(f(ordered));
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('exposure time is a fraction and never below one interval alone', () => {
    fc.assert(
      fc.property(fc.array(tradeRow, { maxLength: 30 }), fc.integer({ min: 1, max: 2_000 }), (trades, hours) => {
        const now = T0 + hours * HOUR;
        const exposure = M.exposureTime(trades, [], T0, now)!;
        expect(exposure).toBeGreaterThanOrEqual(0);
        expect(exposure).toBeLessThanOrEqual(1 + 1e-12);
        for (const t of trades) {
          const alone = M.exposureTime([t], [], T0, now)!;
          expect(exposure).toBeGreaterThanOrEqual(alone - 1e-12);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
