import { describe, expect, it } from 'vitest';
import { DEFAULT_SLIPPAGE, KRAKEN_BASE_FEES_PCT, fillMarketOrder, marketPrice, prepareOrder } from '../../../domain/execution/index.ts';
import { BTC_RULES, d } from './helpers.ts';

const quote = { mid: d('50000'), spread: d('0.001') };

describe('market fills', () => {
  it('price = mid × (1 ± spread/2 ± slippage)', () => {
    expect(DEFAULT_SLIPPAGE).toBe(d('0.0005'));
    // buy: 50000 × (1 + 0.0005 + 0.0005) = 50050; sell: 50000 × (1 − 0.001) = 49950
    expect(marketPrice('buy', quote, DEFAULT_SLIPPAGE, BTC_RULES)).toBe(d('50050'));
    expect(marketPrice('sell', quote, DEFAULT_SLIPPAGE, BTC_RULES)).toBe(d('49950'));
  });

  it('rounds onto the tick against us', () => {
    // 50000.03 × 1.001 = 50050.08003 → ceil to 0.1 = 50050.1
    // 50000.03 × 0.999 = 49950.02997 → floor to 0.1 = 49950.0
    const q = { mid: d('50000.03'), spread: d('0.001') };
    expect(marketPrice('buy', q, DEFAULT_SLIPPAGE, BTC_RULES)).toBe(d('50050.1'));
    expect(marketPrice('sell', q, DEFAULT_SLIPPAGE, BTC_RULES)).toBe(d('49950'));
  });

  it('fills the whole order with the taker fee, honouring a per-order slippage override', () => {
    const prepared = prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.1') }, BTC_RULES, quote.mid);
    if (!prepared.ok) throw new Error(prepared.reason.message);
    // 0.1 × 50050 = 5005; fee 0.40 % = 20.02
    expect(fillMarketOrder(prepared.order, quote, KRAKEN_BASE_FEES_PCT, BTC_RULES)).toEqual({
      side: 'buy', qty: d('0.1'), price: d('50050'), notional: d('5005'), fee: d('20.02'), feeRatePct: d('0.4'), liquidity: 'taker', gapped: false,
    });
    const custom = prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.1'), slippage: d('0.002') }, BTC_RULES, quote.mid);
    if (!custom.ok) throw new Error(custom.reason.message);
    // 50000 × (1 + 0.0005 + 0.002) = 50125
    expect(fillMarketOrder(custom.order, quote, KRAKEN_BASE_FEES_PCT, BTC_RULES).price).toBe(d('50125'));
  });

  it('throws on corrupt quotes and non-MARKET orders', () => {
    expect(() => marketPrice('buy', { mid: 0n, spread: 0n }, 0n, BTC_RULES)).toThrow(/mid price/);
    expect(() => marketPrice('buy', { mid: d('1'), spread: d('-0.1') }, 0n, BTC_RULES)).toThrow(/spread/);
    expect(() => marketPrice('sell', { mid: d('1'), spread: d('2') }, 0n, BTC_RULES)).toThrow(/not positive/);
    const limit = { side: 'buy' as const, type: 'LIMIT' as const, qty: d('1'), limitPrice: d('1'), slippage: null };
    expect(() => fillMarketOrder(limit, quote, KRAKEN_BASE_FEES_PCT, BTC_RULES)).toThrow(/MARKET/);
  });
});
