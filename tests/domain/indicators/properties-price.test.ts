/**
 * Properties of the single-series indicators (EMA, SMA, RSI, MACD, Bollinger), each over 1000
 * random series and parameters:
 * - incremental outputs are bit-identical to the batch function (same arithmetic by design);
 * - both agree with a naive from-scratch reference within 1e-9 relative (see `closeTo`);
 * - `isReady()` turns true exactly after `warmUp` inputs, and the value is NaN exactly before;
 * - `reset()` gives back a fresh indicator;
 * - range invariants: RSI ∈ [0, 100]; Bollinger upper ≥ middle ≥ lower.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Bollinger,
  Ema,
  Macd,
  Rsi,
  Sma,
  bollingerSeries,
  emaSeries,
  macdSeries,
  rsiSeries,
  smaSeries,
} from '../../../domain/indicators/index.ts';
import { runs } from '../../support/runs.ts';
import { propertyTimeout, stream } from './harness.ts';
import {
  firstDifference,
  firstMismatch,
  maxAbs,
  naiveBollinger,
  naiveEma,
  naiveMacd,
  naiveRsi,
  naiveSma,
  pricePath,
  signedSeries,
} from './reference.ts';

const period = fc.integer({ min: 1, max: 30 });
const anySeries = fc.oneof(pricePath(), signedSeries());

describe('EMA', () => {
  it('incremental ≡ batch ≈ naive; ready exactly after `period` values; NaN before', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, period, (xs, p) => {
        const batch = emaSeries(Float64Array.from(xs), p);
        const { outputs, readinessMismatch } = stream(new Ema(p), xs);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveEma(xs, p), maxAbs(xs))).toBe(-1);
        outputs.forEach((v, i) => expect(Number.isNaN(v)).toBe(i + 1 < p));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, anySeries, period, (before, xs, p) => {
        const used = new Ema(p);
        stream(used, before);
        used.reset();
        expect(firstDifference(stream(used, xs).outputs, stream(new Ema(p), xs).outputs)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('SMA', () => {
  it('incremental ≡ batch ≈ naive; ready exactly after `period` values; NaN before', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, period, (xs, p) => {
        const batch = smaSeries(Float64Array.from(xs), p);
        const { outputs, readinessMismatch } = stream(new Sma(p), xs);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveSma(xs, p), maxAbs(xs))).toBe(-1);
        outputs.forEach((v, i) => expect(Number.isNaN(v)).toBe(i + 1 < p));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, anySeries, period, (before, xs, p) => {
        const used = new Sma(p);
        stream(used, before);
        used.reset();
        expect(firstDifference(stream(used, xs).outputs, stream(new Sma(p), xs).outputs)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('RSI (Wilder)', () => {
  it('incremental ≡ batch ≈ naive; in [0, 100]; ready exactly after period + 1 values', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, period, (xs, p) => {
        const batch = rsiSeries(Float64Array.from(xs), p);
        const { outputs, readinessMismatch } = stream(new Rsi(p), xs);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveRsi(xs, p), 100)).toBe(-1);
        outputs.forEach((v, i) => {
          if (i < p) expect(v).toBeNaN();
          else expect(v >= 0 && v <= 100).toBe(true);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, anySeries, period, (before, xs, p) => {
        const used = new Rsi(p);
        stream(used, before);
        used.reset();
        expect(firstDifference(stream(used, xs).outputs, stream(new Rsi(p), xs).outputs)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

const macdParams = fc
  .tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 12 }))
  .map(([fast, extra, signal]) => ({ fast, slow: fast + extra, signal }));

describe('MACD', () => {
  it('incremental ≡ batch ≈ naive; ready exactly after slow + signal − 1 values', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, macdParams, (xs, params) => {
        const batch = macdSeries(Float64Array.from(xs), params);
        const n = xs.length;
        const into = { line: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
        expect(macdSeries(Float64Array.from(xs), params, into)).toBe(into);
        expect(firstDifference(into.histogram, batch.histogram)).toBe(-1);
        const { outputs, readinessMismatch } = stream(new Macd(params), xs);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.line), batch.line)).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.signal), batch.signal)).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.histogram), batch.histogram)).toBe(-1);
        const naive = naiveMacd(xs, params.fast, params.slow, params.signal);
        const scale = maxAbs(xs);
        expect(firstMismatch(batch.line, naive.line, scale)).toBe(-1);
        expect(firstMismatch(batch.signal, naive.signal, scale)).toBe(-1);
        expect(firstMismatch(batch.histogram, naive.histogram, scale)).toBe(-1);
        outputs.forEach((o, i) => {
          expect(Number.isNaN(o.line)).toBe(i + 1 < params.slow);
          expect(Number.isNaN(o.signal)).toBe(i + 1 < params.slow + params.signal - 1);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, anySeries, macdParams, (before, xs, params) => {
        const used = new Macd(params);
        stream(used, before);
        used.reset();
        const again = stream(used, xs).outputs.map((o) => o.histogram);
        expect(firstDifference(again, stream(new Macd(params), xs).outputs.map((o) => o.histogram))).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

const bollingerParams = fc.record({ period, k: fc.double({ min: 0, max: 4, noNaN: true }) });

describe('Bollinger Bands', () => {
  it('incremental ≡ batch ≈ naive (two-pass population σ); upper ≥ middle ≥ lower; ready after `period`', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, bollingerParams, (xs, params) => {
        const batch = bollingerSeries(Float64Array.from(xs), params);
        const n = xs.length;
        const into = { upper: new Float64Array(n), middle: new Float64Array(n), lower: new Float64Array(n) };
        expect(bollingerSeries(Float64Array.from(xs), params, into)).toBe(into);
        expect(firstDifference(into.lower, batch.lower)).toBe(-1);
        const { outputs, readinessMismatch } = stream(new Bollinger(params), xs);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.upper), batch.upper)).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.middle), batch.middle)).toBe(-1);
        expect(firstDifference(outputs.map((o) => o.lower), batch.lower)).toBe(-1);
        const naive = naiveBollinger(xs, params.period, params.k);
        const scale = maxAbs(xs);
        expect(firstMismatch(batch.upper, naive.upper, scale)).toBe(-1);
        expect(firstMismatch(batch.middle, naive.middle, scale)).toBe(-1);
        expect(firstMismatch(batch.lower, naive.lower, scale)).toBe(-1);
        outputs.forEach((o, i) => {
          if (i + 1 < params.period) expect([o.upper, o.middle, o.lower].every(Number.isNaN)).toBe(true);
          else expect(o.upper >= o.middle && o.middle >= o.lower).toBe(true);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('stays accurate at large prices with tiny spread (no Σx² − (Σx)²/n cancellation)', { timeout: propertyTimeout }, () => {
    // BTC-like level 60 000 with ±0.01 noise, so σ ≈ 0.006 and σ² ≈ 3e-5, while each x² ≈ 3.6e9
    // carries a rounding error of ≈ 4e-7 and a rolling Σx² of 20 terms ≈ 7e10 one of ≈ 8e-6 per
    // step. A rolling one-pass Σx² − (Σx)²/n implementation measured up to 63 % relative error
    // in σ on this input; the check below allows 1e-6.
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: 20, maxLength: 200 }), (noise) => {
        const xs = noise.map((e) => 60_000 + e);
        const batch = bollingerSeries(Float64Array.from(xs), { period: 20, k: 2 });
        const naive = naiveBollinger(xs, 20, 2);
        for (let i = 19; i < xs.length; i++) {
          const width = batch.upper[i]! - batch.middle[i]!;
          const naiveWidth = naive.upper[i]! - naive.middle[i]!;
          expect(Math.abs(width - naiveWidth)).toBeLessThanOrEqual(1e-6 * Math.max(naiveWidth, 1e-3));
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(anySeries, anySeries, bollingerParams, (before, xs, params) => {
        const used = new Bollinger(params);
        stream(used, before);
        used.reset();
        const again = stream(used, xs).outputs.map((o) => o.upper);
        expect(firstDifference(again, stream(new Bollinger(params), xs).outputs.map((o) => o.upper))).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});
