import { describe, expect, it } from 'vitest';
import { exitQty, prepareOrder, qtyForNotional, roundPrice, roundQty, tickOf } from '../../../domain/execution/index.ts';
import { BTC_RULES, CENT_RULES, d } from './helpers.ts';

describe('Kraken pair rules', () => {
  it('rounds volume DOWN to lot_decimals', () => {
    // 0.123456789 → 8 decimals, floor → 0.12345678 (not 0.12345679)
    expect(roundQty(d('0.123456789'), BTC_RULES)).toBe(d('0.12345678'));
    expect(roundQty(d('0.999999999'), { ...BTC_RULES, lotDecimals: 2 })).toBe(d('0.99'));
  });

  it('rounds price to pair_decimals or tick_size in the requested direction', () => {
    expect(tickOf(BTC_RULES)).toBe(d('0.1'));
    expect(roundPrice(d('50000.06'), BTC_RULES, 'floor')).toBe(d('50000.0'));
    expect(roundPrice(d('50000.06'), BTC_RULES, 'ceil')).toBe(d('50000.1'));
    expect(roundPrice(d('50000.05'), BTC_RULES, 'halfEven')).toBe(d('50000.0')); // tie → even tick (…0)
    expect(roundPrice(d('50000.15'), BTC_RULES, 'halfEven')).toBe(d('50000.2')); // tie → even tick (…2)
    // a coarser tick_size wins over pair_decimals: tick 0.5 → 100.74 floors to 100.5, ceils to 101.0
    const half = { ...CENT_RULES, tickSize: d('0.5') };
    expect(roundPrice(d('100.74'), half, 'floor')).toBe(d('100.5'));
    expect(roundPrice(d('100.74'), half, 'ceil')).toBe(d('101'));
    expect(roundPrice(d('100.5'), half, 'ceil')).toBe(d('100.5')); // already on the grid
  });

  it('prepares a LIMIT: qty floored, buy price floored, sell price ceiled', () => {
    const buy = prepareOrder({ side: 'buy', type: 'LIMIT', qty: d('0.123456789'), limitPrice: d('50000.07') }, BTC_RULES, d('50100'));
    expect(buy).toEqual({ ok: true, order: { side: 'buy', type: 'LIMIT', qty: d('0.12345678'), limitPrice: d('50000'), slippage: null } });
    const sell = prepareOrder({ side: 'sell', type: 'LIMIT', qty: d('0.5'), limitPrice: d('50000.01'), slippage: d('0.001') }, BTC_RULES, d('49900'));
    expect(sell).toEqual({ ok: true, order: { side: 'sell', type: 'LIMIT', qty: d('0.5'), limitPrice: d('50000.1'), slippage: d('0.001') } });
  });

  it('rejects below ordermin, naming the value and the minimum', () => {
    // 0.000099999 floors to 0.00009999 < ordermin 0.0001
    const r = prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.000099999') }, BTC_RULES, d('50000'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatchObject({ code: 'belowOrderMin', qty: d('0.00009999'), orderMin: d('0.0001') });
    expect(r.reason.message).toMatch(/0\.00009999.*below the pair minimum ordermin 0\.0001/);
    // a qty that rounds to zero lots is below any minimum, even a zero ordermin
    const zero = prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.000000001') }, { ...BTC_RULES, orderMin: 0n }, d('50000'));
    expect(zero.ok ? 'ok' : zero.reason.code).toBe('belowOrderMin');
  });

  it('rejects below costmin using the limit price, or the reference price for MARKET', () => {
    // MARKET: 0.0001 × 4000 = 0.4 < costmin 0.5
    const m = prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.0001') }, BTC_RULES, d('4000'));
    expect(m.ok ? 'ok' : m.reason).toMatchObject({ code: 'belowCostMin', cost: d('0.4'), costMin: d('0.5') });
    if (!m.ok) expect(m.reason.message).toMatch(/cost 0\.4 .* below the pair minimum costmin 0\.5/);
    // LIMIT: 0.0001 × 6000 = 0.6 ≥ 0.5 passes even though the reference (4000) would not
    const l = prepareOrder({ side: 'buy', type: 'LIMIT', qty: d('0.0001'), limitPrice: d('6000') }, BTC_RULES, d('4000'));
    expect(l.ok).toBe(true);
    // exactly at the minimum passes: 0.0001 × 5000 = 0.5
    expect(prepareOrder({ side: 'buy', type: 'MARKET', qty: d('0.0001') }, BTC_RULES, d('5000')).ok).toBe(true);
  });

  it('checks ordermin before costmin (Kraken order of checks)', () => {
    // both violated: 0.00005 < 0.0001 and 0.00005 × 1 = 0.00005 < 0.5 → ordermin reported
    const r = prepareOrder({ side: 'sell', type: 'MARKET', qty: d('0.00005') }, BTC_RULES, d('1'));
    expect(r.ok ? 'ok' : r.reason.code).toBe('belowOrderMin');
  });

  it('throws on corrupt requests', () => {
    expect(() => prepareOrder({ side: 'buy', type: 'LIMIT', qty: d('1') }, BTC_RULES, d('1'))).toThrow(/LIMIT order needs a limit price/);
    expect(() => prepareOrder({ side: 'buy', type: 'MARKET', qty: 0n }, BTC_RULES, d('1'))).toThrow(/qty must be > 0/);
    expect(() => prepareOrder({ side: 'buy', type: 'MARKET', qty: d('1') }, BTC_RULES, 0n)).toThrow(/reference price/);
    expect(() => tickOf({ ...BTC_RULES, pairDecimals: 19 })).toThrow(/pairDecimals/);
  });

  it('sizes a budget down to lots and sells whole positions instead of leaving dust', () => {
    // 1000 / 30000 = 0.0333333333… → floor to 8 decimals = 0.03333333
    expect(qtyForNotional(d('1000'), d('30000'), BTC_RULES)).toBe(d('0.03333333'));
    expect(qtyForNotional(0n, d('30000'), BTC_RULES)).toBe(0n);
    // held 1, sell 0.5 → 0.5; sell 0.99995 → remainder 0.00005 < ordermin 0.0001 → sell all 1
    expect(exitQty(d('0.5'), d('1'), BTC_RULES)).toBe(d('0.5'));
    expect(exitQty(d('0.99995'), d('1'), BTC_RULES)).toBe(d('1'));
    expect(exitQty(d('2'), d('1'), BTC_RULES)).toBe(d('1'));
    // remainder exactly ordermin is sellable later → keep it: 1 − 0.9999 = 0.0001
    expect(exitQty(d('0.9999'), d('1'), BTC_RULES)).toBe(d('0.9999'));
  });
});
