import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KRAKEN_BASE_FEES_PCT,
  type PairRules,
  compareCandlePrice,
  findExitTrigger,
  marketPrice,
  matchExit,
  matchLimitOrder,
  roundPrice,
  roundQty,
  tickOf,
} from '../../../domain/execution/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { ONE, fromNumber, fromString } from '../../../domain/money/index.ts';
import { runs } from '../../support/runs.ts';

/** A price with 2 decimals in 0.01 … 100000, as both text and Fixed. */
const cents = fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100);

/** A well-formed candle (low ≤ open, close ≤ high) with 2-decimal prices. */
const candleArb: fc.Arbitrary<Candle> = fc.tuple(cents, cents, cents, cents).map(([a, b, c, e]) => {
  const sorted = [a, b, c, e].sort((x, y) => x - y);
  return { tsOpen: 0, low: sorted[0]!, open: sorted[1]!, close: sorted[2]!, high: sorted[3]!, volume: 1 };
});

const fine: PairRules = { lotDecimals: 8, pairDecimals: 8, orderMin: 0n, costMin: 0n };

describe('execution properties', () => {
  it('compareCandlePrice agrees with exact decimal comparison', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-8, max: 1e7, noNaN: true }), fc.integer({ min: -3, max: 3 }), (x, nudge) => {
        // levels at, just below and just above the candle's own decimal value
        const level = fromNumber(x) + BigInt(nudge);
        const exact = fromNumber(x) < level ? -1 : fromNumber(x) > level ? 1 : 0;
        expect(Math.sign(compareCandlePrice(x, level))).toBe(exact);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('volume rounds down within one lot, price rounds onto the tick grid bracketing the input', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 25n }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (v, lot, pd) => {
        const rules: PairRules = { lotDecimals: lot, pairDecimals: pd, orderMin: 0n, costMin: 0n };
        const q = roundQty(v, rules);
        const lotUnit = ONE / 10n ** BigInt(lot);
        expect(q <= v && v - q < lotUnit && q % lotUnit === 0n).toBe(true);
        const tick = tickOf(rules);
        const lo = roundPrice(v, rules, 'floor');
        const hi = roundPrice(v, rules, 'ceil');
        expect(lo <= v && v <= hi && hi - lo <= tick && lo % tick === 0n && hi % tick === 0n).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('market buys never beat the mid and market sells never beat it either', () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (mid, spreadBp, slipBp) => {
        const quote = { mid: fromNumber(mid), spread: fromString(`${spreadBp}e-4`) };
        const slip = fromString(`${slipBp}e-4`);
        expect(marketPrice('buy', quote, slip, fine) >= quote.mid).toBe(true);
        expect(marketPrice('sell', quote, slip, fine) <= quote.mid).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('resting limits fill only through the limit and never at a worse price than the limit', () => {
    fc.assert(
      fc.property(candleArb, cents, fc.constantFrom<'buy' | 'sell'>('buy', 'sell'), (c, limitNum, side) => {
        const limit = fromNumber(limitNum);
        const fill = matchLimitOrder({ side, type: 'LIMIT', qty: ONE, limitPrice: limit, slippage: null }, c, KRAKEN_BASE_FEES_PCT, fine);
        const through = side === 'buy' ? c.low < limitNum : c.high > limitNum;
        expect(fill !== null).toBe(through);
        if (fill) {
          expect(side === 'buy' ? fill.price <= limit : fill.price >= limit).toBe(true);
          expect(fill.price >= fromNumber(c.low) && fill.price <= fromNumber(c.high)).toBe(true);
          expect(fill.liquidity).toBe('maker');
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('exits fill inside the candle, stops never above the stop, and the stop wins ties', () => {
    fc.assert(
      fc.property(candleArb, cents, cents, (c, a, b) => {
        const [sl, tp] = a < b ? [a, b] : [b, a];
        const levels = { stopLoss: fromNumber(sl), takeProfit: fromNumber(tp) };
        const fill = matchExit(levels, ONE, c, { spread: 0n, slippage: 0n, fees: KRAKEN_BASE_FEES_PCT, rules: fine });
        const stopHit = c.low <= sl;
        const takeHit = c.high >= tp;
        expect(fill !== null).toBe(stopHit || takeHit);
        if (!fill) return;
        expect(fill.price >= fromNumber(c.low) && fill.price <= fromNumber(c.high)).toBe(true);
        if (fill.trigger.kind === 'stopLoss') expect(fill.price <= levels.stopLoss).toBe(true);
        else expect(fill.price >= levels.takeProfit).toBe(true);
        // both inside the range with the open between them → pessimistic stop
        if (stopHit && takeHit && c.open > sl && c.open < tp) expect(findExitTrigger(levels, c)?.kind).toBe('stopLoss');
      }),
      { numRuns: runs(1000) },
    );
  });
});
