import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { runs } from '../../support/runs.ts';
import { SNAPSHOTS } from './fixtures.ts';

describe('normalCdf and normalQuantile', () => {
  it('matches published table values', () => {
    // Abramowitz & Stegun, Handbook of Mathematical Functions, Table 26.1 (P(x) to 15 decimals).
    expect(M.normalCdf(0)).toBe(0.5);
    expect(M.normalCdf(1)).toBeCloseTo(0.841344746068543, 14);
    expect(M.normalCdf(2)).toBeCloseTo(0.977249868051821, 14);
    expect(M.normalCdf(3)).toBeCloseTo(0.99865010196837, 14);
    expect(M.normalCdf(-1)).toBeCloseTo(1 - 0.841344746068543, 14);
    // The 97.5th percentile point 1.959963984540054 (e.g. Wikipedia "97.5th percentile point").
    expect(M.normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(M.normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(M.normalQuantile(0.5)).toBe(0);
  });

  it('keeps relative precision in the lower tail', () => {
    // Reference values computed for this test with mpmath 1.3 at 30 digits, `ncdf(-5)` and `ncdf(-10)`:
    // 2.86651571879193911…e-7 and 7.61985302416052606…e-24.
    expect(M.normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(M.normalCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 12);
  });

  it('handles the edges explicitly', () => {
    expect(M.normalCdf(-40)).toBe(0);
    expect(M.normalCdf(40)).toBe(1);
    expect(M.normalCdf(Number.NaN)).toBeNaN();
    expect(M.normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(M.normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(M.normalQuantile(1.5)).toBeNaN();
  });

  it('is symmetric and monotone, and the quantile inverts the CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (x, y) => {
        expect(Math.abs(M.normalCdf(x) + M.normalCdf(-x) - 1)).toBeLessThan(1e-15);
        // Monotone up to the documented absolute error (5e-16 each side).
        if (x < y) expect(M.normalCdf(x)).toBeLessThanOrEqual(M.normalCdf(y) + 1e-15);
      }),
      { numRuns: runs(1000) },
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (p) => {
        expect(Math.abs(M.normalCdf(M.normalQuantile(p)) - p)).toBeLessThan(1e-14);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('probabilisticSharpe', () => {
  it('reproduces the Deflated Sharpe Ratio worked example of Bailey & López de Prado (2014)', () => {
    // "The Deflated Sharpe Ratio", J. Portfolio Management 40(5), numerical example: N = 100 trials,
    // V[SR_n] = 1/2 annualised (1/2 / 250 daily), T = 1250 daily returns, annualised ŜR = 2.5
    // (250 days a year), γ₃ = −3, γ₄ = 10. Published: SR₀ ≈ 0.1132 (daily) and DSR ≈ 0.9004.
    const benchmark = M.expectedMaxSharpe(100, 0.5 / 250);
    expect(benchmark).toBeCloseTo(0.1132, 4);
    const dsr = M.probabilisticSharpe({ sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 }, benchmark);
    expect(dsr).toBeCloseTo(0.9004, 4);
  });

  it('reduces to the normal-returns case with γ₃ = 0, γ₄ = 3 (hand-computed)', () => {
    // ŜR = 0.1, T = 101: z = 0.1 × √100 / √(1 + 2/4 × 0.01) = 1 / √1.005 = 0.9975093;
    // Φ(0.9975093) = 0.8407412 (Φ(1) = 0.8413447 minus φ(≈1) × 0.0024907 = 0.2420 × 0.0024907 = 0.0006028).
    const psr = M.probabilisticSharpe({ sharpe: 0.1, observations: 101, skewness: 0, kurtosis: 3 });
    expect(psr).toBeCloseTo(0.84074, 5);
    // ŜR equal to the benchmark gives exactly one half.
    expect(M.probabilisticSharpe({ sharpe: 0.2, observations: 50, skewness: 0.5, kurtosis: 5 }, 0.2)).toBe(0.5);
  });

  it('is null when undefined', () => {
    expect(M.probabilisticSharpe({ sharpe: 0.1, observations: 1, skewness: 0, kurtosis: 3 })).toBeNull();
    // Two-valued returns reach the bound γ₄ = 1 + γ₃²; with γ₃ = 2, γ₄ = 5 and ŜR = 1 the root is 1 − 2 + 1 = 0.
    expect(M.probabilisticSharpe({ sharpe: 1, observations: 10, skewness: 2, kurtosis: 5 })).toBeNull();
    expect(M.expectedMaxSharpe(1, 0.5)).toBe(0);
  });

  it('computes PSR(0) of the snapshot fixture by hand', () => {
    // Returns 0.10, −0.05, 0.02, −0.01 (T = 4); mean 0.015; deviations 0.085, −0.065, 0.005, −0.025.
    // m2 = 0.0121 / 4 = 0.003025 (√ = 0.055 exactly); m3 = (0.000614125 − 0.000274625 + 0.000000125 − 0.000015625) / 4 = 0.000081;
    // m4 = (0.000052200625 + 0.000017850625 + 0.000000000625 + 0.000000390625) / 4 = 0.000017610625.
    // γ₃ = 0.000081 / 0.055³ = 0.000081 / 0.000166375 = 0.4868520; γ₄ = 0.000017610625 / 0.003025² = 1.9245270.
    // ŜR = 0.015 / √(0.0121 / 3) = 0.2361887 (daily); ŜR·√(T − 1) = 0.015·√3·√3 / 0.11 = 0.045 / 0.11 = 0.4090909.
    // root: 1 − 0.4868520 × 0.2361887 + (0.9245270 / 4) × 0.0557851 = 1 − 0.1149884 + 0.0128932 = 0.8979048, √ = 0.9475784.
    // z = 0.4090909 / 0.9475784 = 0.4317225; Φ(0.4317225) = 0.6670284.
    const sample = M.sharpeSample(SNAPSHOTS)!;
    expect(sample.observations).toBe(4);
    expect(sample.sharpe).toBeCloseTo(0.2361887, 7);
    expect(sample.skewness).toBeCloseTo(0.486852, 6);
    expect(sample.kurtosis).toBeCloseTo(1.924527, 6);
    expect(M.probabilisticSharpeRatio(SNAPSHOTS)).toBeCloseTo(0.6670284, 6);
    // Against the fixture's own ŜR as the benchmark it is exactly a coin flip.
    expect(M.probabilisticSharpeRatio(SNAPSHOTS, sample.sharpe)).toBe(0.5);
  });

  it('is null below the Sharpe preconditions or without spread', () => {
    expect(M.probabilisticSharpeRatio([])).toBeNull();
    expect(M.probabilisticSharpeRatio(SNAPSHOTS.slice(0, 2))).toBeNull();
    const flat = ['2024-01-01', '2024-01-02', '2024-01-03'].map((date) => ({ date, portfolioValue: 100, cash: 0 }));
    expect(M.probabilisticSharpeRatio(flat)).toBeNull();
  });

  it('rises with the Sharpe estimate and the track record, falls with the benchmark', () => {
    const sample = fc.record({
      sharpe: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      observations: fc.integer({ min: 2, max: 5000 }),
      skewness: fc.double({ min: -1, max: 1, noNaN: true }),
      kurtosis: fc.double({ min: 3, max: 10, noNaN: true }),
    });
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 0.2, noNaN: true }), (s, step) => {
        const psr = M.probabilisticSharpe(s);
        if (psr === null) return;
        expect(psr).toBeGreaterThanOrEqual(0);
        expect(psr).toBeLessThanOrEqual(1);
        const stricter = M.probabilisticSharpe(s, step);
        if (stricter !== null) expect(stricter).toBeLessThanOrEqual(psr);
        const longer = M.probabilisticSharpe({ ...s, observations: s.observations * 2 });
        if (longer !== null && s.sharpe > 0) expect(longer).toBeGreaterThanOrEqual(psr);
      }),
      { numRuns: runs(1000) },
    );
  });
});
