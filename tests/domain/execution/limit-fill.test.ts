import { describe, expect, it } from 'vitest';
import { KRAKEN_BASE_FEES_PCT, type PreparedOrder, matchLimitOrder, submitLimitOrder } from '../../../domain/execution/index.ts';
import { CENT_RULES, candle, d } from './helpers.ts';

const buyAt = (limit: string, qty = '2'): PreparedOrder => ({ side: 'buy', type: 'LIMIT', qty: d(qty), limitPrice: d(limit), slippage: null });
const sellAt = (limit: string, qty = '2'): PreparedOrder => ({ side: 'sell', type: 'LIMIT', qty: d(qty), limitPrice: d(limit), slippage: null });

describe('LIMIT orders', () => {
  it('a buy below the market rests: never filled instantly at the limit (predecessor bug)', () => {
    // mid 100, spread 0.001 → ask 100.05 > limit 99
    expect(submitLimitOrder(buyAt('99'), { mid: d('100'), spread: d('0.001') }, KRAKEN_BASE_FEES_PCT, CENT_RULES)).toEqual({ status: 'resting' });
    // sell above: bid 99.95 < limit 101
    expect(submitLimitOrder(sellAt('101'), { mid: d('100'), spread: d('0.001') }, KRAKEN_BASE_FEES_PCT, CENT_RULES)).toEqual({ status: 'resting' });
  });

  it('a marketable limit executes at once as a taker at the market, capped at the limit', () => {
    const q = { mid: d('100'), spread: d('0.001') };
    // ask 100.05 ≤ 101: market buy price 100 × (1 + 0.0005 + 0.0005) = 100.1 < 101 → 100.1
    // notional 2 × 100.1 = 200.2; taker fee 0.40 % = 0.8008
    const far = submitLimitOrder(buyAt('101'), q, KRAKEN_BASE_FEES_PCT, CENT_RULES);
    expect(far).toEqual({
      status: 'filled',
      fill: { side: 'buy', qty: d('2'), price: d('100.1'), notional: d('200.2'), fee: d('0.8008'), feeRatePct: d('0.4'), liquidity: 'taker', gapped: false },
    });
    // ask 100.05 ≤ 100.06 but 100.1 would exceed the limit → capped at 100.06
    const near = submitLimitOrder(buyAt('100.06'), q, KRAKEN_BASE_FEES_PCT, CENT_RULES);
    expect(near.status === 'filled' && near.fill.price).toBe(d('100.06'));
    // sell: bid 99.95 ≥ 99.9 → market sell 100 × 0.999 = 99.9 → max(99.9, 99.9)
    const sell = submitLimitOrder(sellAt('99.9'), q, KRAKEN_BASE_FEES_PCT, CENT_RULES);
    expect(sell.status === 'filled' && sell.fill.price).toBe(d('99.9'));
  });

  it('a resting buy fills only when the candle trades THROUGH the limit, at the limit, maker fee', () => {
    // low 100.00 = limit: a touch — no fill under the default strict rule
    expect(matchLimitOrder(buyAt('100'), candle(101, 102, 100, 101), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toBeNull();
    // low 99.99 < 100: filled at 100; notional 2 × 100 = 200; maker 0.25 % = 0.5
    expect(matchLimitOrder(buyAt('100'), candle(101, 102, 99.99, 101), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toEqual({
      side: 'buy', qty: d('2'), price: d('100'), notional: d('200'), fee: d('0.5'), feeRatePct: d('0.25'), liquidity: 'maker', gapped: false,
    });
    // low above the limit: nothing
    expect(matchLimitOrder(buyAt('100'), candle(101, 102, 100.5, 101), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toBeNull();
  });

  it('the touch rule (predecessor backtester) fills on low = limit', () => {
    const fill = matchLimitOrder(buyAt('100'), candle(101, 102, 100, 101), KRAKEN_BASE_FEES_PCT, CENT_RULES, 'touch');
    expect(fill?.price).toBe(d('100'));
    const sell = matchLimitOrder(sellAt('110'), candle(108, 110, 107, 109), KRAKEN_BASE_FEES_PCT, CENT_RULES, 'touch');
    expect(sell?.price).toBe(d('110'));
    expect(matchLimitOrder(sellAt('110'), candle(108, 110, 107, 109), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toBeNull();
  });

  it('a candle opening beyond the limit (gap in our favour) fills at the open', () => {
    // buy limit 100, open 98: fill at 98; notional 196; maker fee 0.25 % = 0.49
    expect(matchLimitOrder(buyAt('100'), candle(98, 99, 97, 98.5), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toEqual({
      side: 'buy', qty: d('2'), price: d('98'), notional: d('196'), fee: d('0.49'), feeRatePct: d('0.25'), liquidity: 'maker', gapped: true,
    });
    // sell limit 110, open 112.345: floor to cents 112.34 (never rounded in our favour)
    const sell = matchLimitOrder(sellAt('110'), candle(112.345, 113, 111, 112), KRAKEN_BASE_FEES_PCT, CENT_RULES);
    expect(sell).toMatchObject({ price: d('112.34'), gapped: true, liquidity: 'maker' });
    // sell through: high 110.5 > 110, open below → at the limit 110
    expect(matchLimitOrder(sellAt('110'), candle(109, 110.5, 108, 110), KRAKEN_BASE_FEES_PCT, CENT_RULES)?.price).toBe(d('110'));
  });

  it('requires a LIMIT order', () => {
    const market: PreparedOrder = { side: 'buy', type: 'MARKET', qty: d('1'), limitPrice: null, slippage: null };
    expect(() => matchLimitOrder(market, candle(1, 1, 1, 1), KRAKEN_BASE_FEES_PCT, CENT_RULES)).toThrow(/LIMIT/);
  });
});
