import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, aggregateCandles, bucketStart, formatUtc, TIMEFRAME_MS, type Candle } from '../../../domain/market/index.ts';
import { runs } from '../../support/runs.ts';
import { candleAt, JAN_1_2024, referenceCandle, referenceGroups, seriesArb, valuesArb, PROPERTY_TIMEOUT } from './arbitraries.ts';

const M5 = TIMEFRAME_MS['5m'];
const H1 = TIMEFRAME_MS['1h'];
const D1 = TIMEFRAME_MS['1d'];

/** Hand-made hour: candle k (k = 0..11) opens at 100 + k, high +2, low −1, close +1, volume k + 1. */
function hour(startMs: number, count = 12): Candle[] {
  return Array.from({ length: count }, (_, k) => ({
    tsOpen: startMs + k * M5,
    open: 100 + k,
    high: 102 + k,
    low: 99 + k,
    close: 101 + k,
    volume: k + 1,
  }));
}

describe('aggregate: examples', () => {
  it('one full hour of 5m: first open, max high, min low, last close, sum volume', () => {
    // open = 100 (k=0), high = 102 + 11 = 113, low = 99 (k=0), close = 101 + 11 = 112, volume = 1+…+12 = 78.
    const result = aggregate(hour(JAN_1_2024), '5m', '1h');
    expect(result.partial).toBeUndefined();
    expect(result.buckets).toEqual([
      { candle: { tsOpen: JAN_1_2024, open: 100, high: 113, low: 99, close: 112, volume: 78 }, sources: 12, expected: 12, complete: true },
    ]);
  });

  it('snaps to the bucket boundary: hh:55 belongs to hh:00, (hh+1):00 starts the next bucket', () => {
    const candles = hour(JAN_1_2024).concat(hour(JAN_1_2024 + H1, 1));
    const [first, second] = aggregate(candles, '5m', '1h', { includePartial: true }).buckets;
    expect(first!.candle.tsOpen).toBe(JAN_1_2024);
    expect(first!.sources).toBe(12);
    expect(second!.candle.tsOpen).toBe(JAN_1_2024 + H1);
    expect(second!.sources).toBe(1);
    expect(second!.complete).toBe(false);
  });

  it('a trailing bucket without its last slot is partial: left out, reported, or completed by closedAtMs', () => {
    const eleven = hour(JAN_1_2024, 11); // 00:00..00:50, the 00:55 candle is not there (yet)
    const plain = aggregate(eleven, '5m', '1h');
    expect(plain.buckets).toEqual([]);
    // open 100, high 102 + 10 = 112, low 99, close 101 + 10 = 111, volume 1+…+11 = 66.
    expect(plain.partial).toEqual({ candle: { tsOpen: JAN_1_2024, open: 100, high: 112, low: 99, close: 111, volume: 66 }, sources: 11, expected: 12, complete: false });
    expect(aggregate(eleven, '5m', '1h', { includePartial: true }).buckets).toEqual([plain.partial]);
    // The hour is over at 01:00: with the clock saying so, the missing 00:55 is a gap, and the bucket is complete.
    const closed = aggregate(eleven, '5m', '1h', { closedAtMs: JAN_1_2024 + H1 });
    expect(closed.partial).toBeUndefined();
    expect(closed.buckets.map((b) => [b.sources, b.complete])).toEqual([[11, true]]);
    expect(aggregate(eleven, '5m', '1h', { closedAtMs: JAN_1_2024 + H1 - 1 }).buckets).toEqual([]);
  });

  it('an interior bucket with missing candles is complete (the data moved past it)', () => {
    const gappy = hour(JAN_1_2024).filter((_, k) => k !== 5 && k !== 11).concat(hour(JAN_1_2024 + H1));
    const { buckets, partial } = aggregate(gappy, '5m', '1h');
    expect(partial).toBeUndefined();
    expect(buckets.map((b) => [formatUtc(b.candle.tsOpen), b.sources, b.complete])).toEqual([
      ['2024-01-01 00:00 UTC', 10, true],
      ['2024-01-01 01:00 UTC', 12, true],
    ]);
    // Without k = 11 the close is candle k = 10's: 101 + 10 = 111; volume 78 − 6 − 12 = 60.
    expect(buckets[0]!.candle.close).toBe(111);
    expect(buckets[0]!.candle.volume).toBe(60);
  });

  it('days are UTC days, including a US DST change day (2024-03-10)', () => {
    const dayStart = Date.UTC(2024, 2, 10);
    const hours = Array.from({ length: 24 }, (_, h) => candleAt(dayStart + h * H1, { open: 100, close: 100, up: 0, down: 0, volume: 1 }));
    const [day] = aggregateCandles(hours, '1h', '1d');
    expect(day).toEqual({ tsOpen: dayStart, open: 1, high: 1, low: 1, close: 1, volume: 24 });
    expect(formatUtc(day!.tsOpen)).toBe('2024-03-10 00:00 UTC');
  });

  it('empty input gives nothing', () => {
    expect(aggregate([], '5m', '1d')).toEqual({ buckets: [], partial: undefined });
  });

  it('refuses corrupt input and a non-coarser target (programmer error)', () => {
    const [a, b] = hour(JAN_1_2024, 2) as [Candle, Candle];
    expect(() => aggregate([b, a], '5m', '1h')).toThrow(/not after the previous one.*strictly increasing/);
    expect(() => aggregate([a, a], '5m', '1h')).toThrow(/strictly increasing/);
    expect(() => aggregate([{ ...a, tsOpen: a.tsOpen + 60_000 }], '5m', '1h')).toThrow(/00:01 UTC\) is not aligned to the 5m grid/);
    expect(() => aggregate([{ ...a, close: Number.NaN }], '5m', '1h')).toThrow(/non-finite/);
    expect(() => aggregate([a], '1h', '1h')).toThrow(/must be a coarser timeframe/);
    expect(() => aggregate([a], '1d', '1h')).toThrow(/cannot aggregate 1d into 1h/);
  });
});

describe('aggregate: properties', () => {
  it('matches a reference group-by on every complete bucket (closedAtMs past the data)', () => {
    fc.assert(
      fc.property(seriesArb('5m', { maxSlots: 600, keep: 0.8 }), fc.constantFrom('1h' as const, '1d' as const), (candles, target) => {
        const result = aggregate(candles, '5m', target, { closedAtMs: Number.MAX_SAFE_INTEGER });
        const groups = referenceGroups(candles, target);
        expect(result.partial).toBeUndefined();
        expect(result.buckets.map((b) => b.candle)).toEqual([...groups].map(([ts, g]) => referenceCandle(ts, g)));
        expect(result.buckets.map((b) => b.sources)).toEqual([...groups.values()].map((g) => g.length));
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('re-aggregating is consistent: 5m → 1h → 1d equals 5m → 1d (exact with integer volumes)', () => {
    fc.assert(
      fc.property(
        seriesArb('5m', { maxSlots: 700, keep: 0.85, integerVolume: true }),
        fc.option(fc.integer({ min: 0, max: 700 * M5 }), { nil: undefined }),
        (candles, closedOffset) => {
          const closedAtMs = closedOffset === undefined || candles.length === 0 ? undefined : candles[0]!.tsOpen + closedOffset;
          const options = closedAtMs === undefined ? {} : { closedAtMs };
          const direct = aggregateCandles(candles, '5m', '1d', options);
          const twoStep = aggregateCandles(aggregateCandles(candles, '5m', '1h', options), '1h', '1d', options);
          expect(twoStep).toEqual(direct);
        },
      ),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('re-aggregating with fractional volumes agrees up to float summation order (relative 1e-12)', () => {
    fc.assert(
      fc.property(seriesArb('5m', { maxSlots: 700, keep: 0.85 }), (candles) => {
        const direct = aggregateCandles(candles, '5m', '1d');
        const twoStep = aggregateCandles(aggregateCandles(candles, '5m', '1h'), '1h', '1d');
        expect(twoStep.map(({ volume: _, ...rest }) => rest)).toEqual(direct.map(({ volume: _, ...rest }) => rest));
        twoStep.forEach((c, i) => {
          const d = direct[i]!.volume;
          expect(Math.abs(c.volume - d)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(d)));
        });
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('a complete UTC day of 5m equals the 1d aggregate of its 24 1h aggregates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        fc.array(valuesArb(true), { minLength: 288, maxLength: 288 }),
        (dayIndex, values) => {
          const dayStart = JAN_1_2024 + dayIndex * D1;
          const day = values.map((v, k) => candleAt(dayStart + k * M5, v));
          const hours = aggregate(day, '5m', '1h');
          expect(hours.buckets).toHaveLength(24);
          expect(hours.buckets.every((b) => b.sources === 12 && b.complete)).toBe(true);
          const fromHours = aggregateCandles(hours.buckets.map((b) => b.candle), '1h', '1d');
          const direct = aggregate(day, '5m', '1d');
          expect(direct.buckets).toHaveLength(1);
          expect(direct.buckets[0]!.sources).toBe(288);
          expect(fromHours).toEqual([direct.buckets[0]!.candle]);
          expect(direct.buckets[0]!.candle).toEqual(referenceCandle(dayStart, day));
        },
      ),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('every source candle lands in exactly one bucket, snapped to the target grid; only the last can be partial', () => {
    fc.assert(
      fc.property(seriesArb('5m', { maxSlots: 400, keep: 0.7 }), (candles) => {
        const { buckets, partial } = aggregate(candles, '5m', '1h', { includePartial: true });
        expect(buckets.reduce((n, b) => n + b.sources, 0)).toBe(candles.length);
        for (const b of buckets) expect(bucketStart(b.candle.tsOpen, '1h')).toBe(b.candle.tsOpen);
        expect(buckets.slice(0, -1).every((b) => b.complete)).toBe(true);
        const last = candles[candles.length - 1];
        if (partial) {
          expect(buckets[buckets.length - 1]).toBe(partial);
          expect(last!.tsOpen % H1).not.toBe(H1 - M5);
        } else if (last) {
          expect(last.tsOpen % H1).toBe(H1 - M5);
        }
        for (const b of buckets) {
          expect(b.candle.low).toBeLessThanOrEqual(Math.min(b.candle.open, b.candle.close));
          expect(b.candle.high).toBeGreaterThanOrEqual(Math.max(b.candle.open, b.candle.close));
        }
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);
});
