/**
 * Properties of the bar/volume indicators (ATR, VWAP, volume ratio), each over 1000 random bar
 * series and parameters: incremental bit-identical to batch, both within 1e-9 relative of a
 * naive from-scratch reference, readiness exactly as documented, reset replays, ranges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Atr,
  VolumeRatio,
  Vwap,
  atrSeries,
  volumeRatioSeries,
  vwapSeries,
} from '../../../domain/indicators/index.ts';
import { runs } from '../../support/runs.ts';
import { propertyTimeout, stream } from './harness.ts';
import {
  barSeries,
  columns,
  firstDifference,
  firstMismatch,
  maxAbs,
  naiveAtr,
  naiveVolumeRatio,
  naiveVwap,
  volumeSeries,
} from './reference.ts';

const period = fc.integer({ min: 1, max: 30 });

describe('ATR (Wilder)', () => {
  it('incremental ≡ batch ≈ naive; ≥ 0; ready exactly after `period` bars', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(), period, (bars, p) => {
        const c = columns(bars);
        const batch = atrSeries(c.high, c.low, c.close, p);
        const { outputs, readinessMismatch } = stream(new Atr(p), bars);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveAtr(bars, p))).toBe(-1);
        outputs.forEach((v, i) => {
          if (i + 1 < p) expect(v).toBeNaN();
          else expect(v).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(40), barSeries(), period, (before, bars, p) => {
        const used = new Atr(p);
        stream(used, before);
        used.reset();
        expect(firstDifference(stream(used, bars).outputs, stream(new Atr(p), bars).outputs)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('VWAP', () => {
  const sessionMs = fc.constantFrom(undefined, 3_600_000, 86_400_000);

  it('incremental ≡ batch ≈ naive, cumulative or per UTC session; within [min low, max high]', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(), sessionMs, (bars, session) => {
        const c = columns(bars);
        const anchor = session === undefined ? undefined : { tsOpen: c.tsOpen, sessionMs: session };
        const batch = vwapSeries(c.high, c.low, c.close, c.volume, anchor);
        const vwap = new Vwap(session === undefined ? {} : { sessionMs: session });
        // Ready exactly when the current anchor has seen positive volume.
        const { outputs, readinessMismatch } = stream(vwap, bars, (i) => !Number.isNaN(batch[i]!));
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveVwap(bars, session), maxAbs(bars.map((b) => b.high)))).toBe(-1);
        const naive = naiveVwap(bars, session);
        outputs.forEach((v, i) => expect(Number.isNaN(v)).toBe(Number.isNaN(naive[i]!)));
        // A volume-weighted mean of typical prices lies inside the anchor's price range.
        const lo = Math.min(...bars.map((b) => b.low));
        const hi = Math.max(...bars.map((b) => b.high));
        outputs.forEach((v) => {
          if (!Number.isNaN(v)) expect(v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)).toBe(true);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('with positive volume everywhere it is ready after exactly 1 bar', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(), (bars) => {
        const positive = bars.map((b) => ({ ...b, volume: b.volume + 1 }));
        const vwap = new Vwap();
        expect(vwap.warmUp).toBe(1);
        expect(stream(vwap, positive).readinessMismatch).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(40), barSeries(), (before, bars) => {
        const used = new Vwap({ sessionMs: 3_600_000 });
        stream(used, before);
        used.reset();
        const fresh = stream(new Vwap({ sessionMs: 3_600_000 }), bars).outputs;
        expect(firstDifference(stream(used, bars).outputs, fresh)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('volume ratio', () => {
  it('incremental ≡ batch ≈ naive; ≥ 0 and never NaN once ready; ready after period + 1', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(volumeSeries(), period, (volumes, p) => {
        const batch = volumeRatioSeries(Float64Array.from(volumes), p);
        const { outputs, readinessMismatch } = stream(new VolumeRatio(p), volumes);
        expect(readinessMismatch).toBe(-1);
        expect(firstDifference(outputs, batch)).toBe(-1);
        expect(firstMismatch(batch, naiveVolumeRatio(volumes, p))).toBe(-1);
        outputs.forEach((v, i) => {
          if (i < p) expect(v).toBeNaN();
          else expect(v).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('reset() replays like a fresh indicator', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(volumeSeries(40), volumeSeries(), period, (before, volumes, p) => {
        const used = new VolumeRatio(p);
        stream(used, before);
        used.reset();
        expect(firstDifference(stream(used, volumes).outputs, stream(new VolumeRatio(p), volumes).outputs)).toBe(-1);
      }),
      { numRuns: runs(1000) },
    );
  });
});
