/**
 * Properties of the pipeline over random markets and random (often invalid) strategy output:
 * cash always reconciles from first principles, nothing is bought while halted, every limit
 * holds; and the fast price conversion is `fromNumber`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE, fromNumber, fromString, mul } from '../../../domain/money/index.ts';
import { priceFixed } from '../../../domain/pipeline/index.ts';
import { type ClosedTrade, reconcileCash } from '../../../domain/portfolio/index.ts';
import { runs } from '../../support/runs.ts';
import { equityOf, play, scenarioArb } from './scenario.ts';
import { M5, makeConfig } from './support.ts';

describe('pipeline properties', () => {
  it('cash reconciles exactly, nothing is bought while halted, and every limit holds', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const config = makeConfig({ limitOrderTtlMs: 3 * M5 }, scenario.limits);
        const limits = config.limits;
        const closed: ClosedTrade[] = [];
        let halted = false;
        play(scenario, config, (kind, before, events, after) => {
          const equityBefore = equityOf(before, config);
          for (const e of events) {
            if (e.type === 'position.closed') closed.push(e.trade);
            if (e.type === 'risk.halted') halted = true;
            if (e.type === 'risk.haltCleared') halted = false;
            if (e.type === 'order.filled' && e.fill.side === 'buy') {
              expect(halted, 'a buy filled while trading was halted').toBe(false);
              if (kind === 'decision') {
                // size × equity ≤ maxTradePct × equity, and equity only falls within a batch (fees, spread)
                expect(e.fill.notional <= mul(fromNumber(limits.maxTradePct), equityBefore)).toBe(true);
              }
            }
          }
          expect(halted).toBe(after.risk.halt !== null);
          expect(reconcileCash(fromString('1000'), [], closed, after.ledger.positions)).toBe(after.ledger.cash);
          expect(after.ledger.cash >= 0n).toBe(true);
          expect(after.ledger.positions.length).toBeLessThanOrEqual(limits.maxPositions);
          expect(after.risk.entriesToday).toBeLessThanOrEqual(limits.maxDailyTrades);
          for (const p of after.ledger.positions) {
            expect(p.qty > 0n && p.qty % 10_000_000_000n === 0n).toBe(true); // > 0, on the 8-decimal lot grid
          }
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('priceFixed is fromNumber, fast path or not', () => {
    const eightDecimals = fc.integer({ min: 1, max: 3_300_000_000_000_000 }).map((k) => k / 1e8);
    fc.assert(
      fc.property(fc.oneof(eightDecimals, fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.integer({ min: 1, max: 2 ** 40 })), (x) => {
        expect(priceFixed(x)).toBe(fromNumber(x));
      }),
      { numRuns: runs(10_000) },
    );
    expect(priceFixed(0.1)).toBe(ONE / 10n);
  });
});
