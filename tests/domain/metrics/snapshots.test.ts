import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { SNAPSHOTS } from './fixtures.ts';

const snap = (date: string, portfolioValue: number, cash = 0): M.DailySnapshotRow => ({ date, portfolioValue, cash });

describe('snapshot metrics (predecessor §11 #11–13, #27–28) and Calmar', () => {
  it('reads value and cash from the latest date, whatever the row order', () => {
    expect(M.portfolioValue(SNAPSHOTS)).toBe(105.5241);
    expect(M.portfolioCash(SNAPSHOTS)).toBe(70);
    expect(M.portfolioValue([])).toBeNull();
    expect(M.portfolioCash([])).toBeNull();
  });

  it('finds the largest peak-to-trough fall as a fraction of the peak', () => {
    // Peak 110 → trough 104.5: (110 − 104.5) / 110 = 0.05; later 105.5241 is only 0.0407 below.
    expect(M.maxDrawdownPct(SNAPSHOTS)).toBeCloseTo(0.05, 12);
    expect(M.maxDrawdownPct([])).toBe(0);
    // The running peak starts at 0: a first value of 0 sets no drawdown; 200 → 50 is 75 %.
    expect(M.maxDrawdownPct([snap('2024-01-01', 0), snap('2024-01-02', 200), snap('2024-01-03', 50)])).toBeCloseTo(0.75, 12);
  });

  it('derives day-over-day returns in date order, skipping a non-positive base', () => {
    const r = M.dailyReturns(SNAPSHOTS);
    // 110/100 − 1, 104.5/110 − 1, 106.59/104.5 − 1, 105.5241/106.59 − 1
    [0.1, -0.05, 0.02, -0.01].forEach((expected, i) => expect(r[i]).toBeCloseTo(expected, 12));
    // 0 → 50 has no return; 50 → 75 is +50 %.
    expect(M.dailyReturns([snap('2024-01-01', 0), snap('2024-01-02', 50), snap('2024-01-03', 75)])).toEqual([0.5]);
  });

  it('computes the annualised Sharpe ratio (√365, sample std)', () => {
    // r = 0.10, −0.05, 0.02, −0.01; mean = 0.06 / 4 = 0.015.
    // deviations 0.085, −0.065, 0.005, −0.025; squares sum = 0.007225 + 0.004225 + 0.000025 + 0.000625 = 0.0121.
    // sample variance = 0.0121 / 3 = 0.0040333…, std = 0.0635085…; daily SR = 0.015 / 0.0635085 = 0.2361887…
    // × √365 = 19.1049732 → 4.5123797.
    expect(M.sharpeRatio(SNAPSHOTS)).toBeCloseTo((0.015 / Math.sqrt(0.0121 / 3)) * Math.sqrt(365), 10);
    expect(M.sharpeRatio(SNAPSHOTS)).toBeCloseTo(4.5123797, 6);
  });

  it('computes the annualised Sortino ratio (RMS of negative returns with k − 1)', () => {
    // negatives −0.05, −0.01: (0.0025 + 0.0001) / (2 − 1) = 0.0026, √ = 0.0509902;
    // 0.015 / 0.0509902 = 0.2941742 × 19.1049732 = 5.6201903.
    expect(M.sortinoRatio(SNAPSHOTS)).toBeCloseTo((0.015 / Math.sqrt(0.0026)) * Math.sqrt(365), 10);
    expect(M.sortinoRatio(SNAPSHOTS)).toBeCloseTo(5.6201903, 6);
  });

  it('returns 0 for Sharpe and Sortino when the predecessor did', () => {
    const two = [snap('2024-01-01', 100), snap('2024-01-02', 110)];
    expect([M.sharpeRatio([]), M.sharpeRatio(two), M.sortinoRatio(two)]).toEqual([0, 0, 0]); // < 3 snapshots
    const flat = [snap('2024-01-01', 100), snap('2024-01-02', 100), snap('2024-01-03', 100)];
    expect(M.sharpeRatio(flat)).toBe(0); // no spread
    // Three snapshots but one return (0 → 100 is skipped): fewer than 2 returns.
    expect(M.sharpeRatio([snap('2024-01-01', 0), snap('2024-01-02', 100), snap('2024-01-03', 110)])).toBe(0);
    // One negative return only: no Sortino.
    expect(M.sortinoRatio([snap('2024-01-01', 100), snap('2024-01-02', 110), snap('2024-01-03', 99)])).toBe(0);
  });

  it('computes Calmar as CAGR over calendar days / max drawdown', () => {
    // 2023-01-01 → 2024-01-01 is 365 days: CAGR = 120/100 − 1 = 0.2; drawdown (100 − 90)/100 = 0.1 → 2.
    expect(M.calmarRatio([snap('2024-01-01', 120), snap('2023-06-01', 90), snap('2023-01-01', 100)])).toBeCloseTo(2, 12);
    // 2022-01-01 → 2024-01-01 is 730 days: CAGR = 1.21^(365/730) − 1 = 1.1 − 1 = 0.1; drawdown 5 % → 2.
    expect(M.calmarRatio([snap('2022-01-01', 100), snap('2023-01-01', 95), snap('2024-01-01', 121)])).toBeCloseTo(2, 12);
    // 2024 is a leap year: 2024-01-01 → 2025-01-01 is 366 days; 100 → 150 with a 150 → 75 → 150 dip (50 %):
    // CAGR = 1.5^(365/366) − 1 = 1.5 × 1.5^(−1/366) − 1 = 1.5 × e^(−0.405465108/366) − 1
    //      = 1.5 × e^(−0.00110783) − 1 = 1.5 × 0.99889278 − 1 = 0.49833917; / 0.5 = 0.99667834.
    const leap = [snap('2024-01-01', 100), snap('2024-06-01', 150), snap('2024-07-01', 75), snap('2025-01-01', 150)];
    expect(M.calmarRatio(leap)).toBeCloseTo((1.5 ** (365 / 366) - 1) / 0.5, 12);
    expect(M.calmarRatio(leap)).toBeCloseTo(0.99667834, 7);
  });

  it('gives Calmar Infinity for growth without drawdown, 0 when flat, null when undefined', () => {
    expect(M.calmarRatio([snap('2024-01-01', 100), snap('2024-01-02', 101)])).toBe(Number.POSITIVE_INFINITY);
    expect(M.calmarRatio([snap('2024-01-01', 100), snap('2024-01-02', 100)])).toBe(0);
    expect(M.calmarRatio([snap('2024-01-01', 100)])).toBeNull();
    expect(M.calmarRatio([])).toBeNull();
    expect(M.calmarRatio([snap('2024-01-01', 0), snap('2024-01-02', 100)])).toBeNull();
  });
});

describe('daysFromCivil', () => {
  it('counts days from 1970-01-01 across month, leap and century rules', () => {
    expect(M.daysFromCivil('1970-01-01')).toBe(0);
    expect(M.daysFromCivil('2000-03-01')! - M.daysFromCivil('2000-02-28')!).toBe(2); // 2000 is a leap year
    expect(M.daysFromCivil('1900-03-01')! - M.daysFromCivil('1900-02-28')!).toBe(1); // 1900 is not
    // 2024-03-01T00:00:00Z = 1 709 251 200 000 ms = 19 783 days × 86 400 000.
    expect(M.daysFromCivil('2024-03-01')).toBe(19_783);
  });

  it('rejects text that is not a real date', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-1-01', '', '2024-01-01T00:00']) expect(M.daysFromCivil(bad), bad).toBeNull();
  });
});
