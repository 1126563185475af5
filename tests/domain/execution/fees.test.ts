import { describe, expect, it } from 'vitest';
import { KRAKEN_BASE_FEES_PCT, feeFor, feeForLiquidity, feeRatePct, liquidityOf } from '../../../domain/execution/index.ts';
import { d } from './helpers.ts';

describe('fees (percent units, Kraken style)', () => {
  it('LIMIT is maker, MARKET is taker', () => {
    expect(liquidityOf('LIMIT')).toBe('maker');
    expect(liquidityOf('MARKET')).toBe('taker');
    // kraken.md §9, $0 tier: 0.25 % maker / 0.40 % taker.
    expect(feeRatePct('maker', KRAKEN_BASE_FEES_PCT)).toBe(d('0.25'));
    expect(feeRatePct('taker', KRAKEN_BASE_FEES_PCT)).toBe(d('0.4'));
  });

  it('charges notional × pct / 100', () => {
    // 5000 × 0.40 / 100 = 20; 5000 × 0.25 / 100 = 12.5
    expect(feeForLiquidity(d('5000'), 'taker', KRAKEN_BASE_FEES_PCT)).toBe(d('20'));
    expect(feeForLiquidity(d('5000'), 'maker', KRAKEN_BASE_FEES_PCT)).toBe(d('12.5'));
    // 0.00012345 × 0.26 / 100 = 0.00000032097 (exact, no float drift)
    expect(feeFor(d('0.00012345'), d('0.26'))).toBe(d('0.00000032097'));
    // rounding happens once at 18 decimals: 1e-18 × 0.4 / 100 = 4e-21 → 0
    expect(feeFor(1n, d('0.4'))).toBe(0n);
  });

  it('refuses negative inputs as corrupt data', () => {
    expect(() => feeFor(d('-1'), d('0.4'))).toThrow(/notional must be ≥ 0/);
    expect(() => feeFor(d('1'), d('-0.4'))).toThrow(/rate must be ≥ 0/);
  });
});
