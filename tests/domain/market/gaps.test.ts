import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findGaps, findGapsInTimestamps, largestGaps, missingCount, TIMEFRAME_MS, type Timeframe } from '../../../domain/market/index.ts';
import { runs } from '../../support/runs.ts';
import { candleAt, JAN_1_2024, PROPERTY_TIMEOUT } from './arbitraries.ts';

const M5 = TIMEFRAME_MS['5m'];
const flat = { open: 100, close: 100, up: 0, down: 0, volume: 1 };

describe('findGaps: examples', () => {
  it('reports a run of missing candles as [first missing, next present) with its count', () => {
    // Present: 00:00, 00:05, 00:25, 00:30 → missing 00:10, 00:15, 00:20 (3 candles).
    const ts = [0, 1, 5, 6].map((k) => JAN_1_2024 + k * M5);
    expect(findGaps(ts.map((t) => candleAt(t, flat)), '5m')).toEqual([{ fromMs: JAN_1_2024 + 2 * M5, toMs: JAN_1_2024 + 5 * M5, missing: 3 }]);
  });

  it('the shared BTC 2023 file gap: 2023-03-24 12:40 .. 13:55 UTC is 16 candles (data/README.md)', () => {
    const before = Date.UTC(2023, 2, 24, 12, 35);
    const after = Date.UTC(2023, 2, 24, 14, 0);
    const [gap] = findGapsInTimestamps([before, after], '5m');
    expect(gap).toEqual({ fromMs: Date.UTC(2023, 2, 24, 12, 40), toMs: after, missing: 16 });
  });

  it('no gaps in a contiguous or single-candle series; bounds add leading and trailing gaps', () => {
    expect(findGapsInTimestamps([JAN_1_2024, JAN_1_2024 + M5], '5m')).toEqual([]);
    expect(findGapsInTimestamps([JAN_1_2024], '5m')).toEqual([]);
    expect(findGapsInTimestamps([], '1h')).toEqual([]);
    const H1 = TIMEFRAME_MS['1h'];
    expect(findGapsInTimestamps([JAN_1_2024 + 2 * H1], '1h', { fromMs: JAN_1_2024, toMs: JAN_1_2024 + 5 * H1 })).toEqual([
      { fromMs: JAN_1_2024, toMs: JAN_1_2024 + 2 * H1, missing: 2 },
      { fromMs: JAN_1_2024 + 3 * H1, toMs: JAN_1_2024 + 5 * H1, missing: 2 },
    ]);
    expect(findGapsInTimestamps([], '1h', { fromMs: JAN_1_2024, toMs: JAN_1_2024 + 3 * H1 })).toEqual([{ fromMs: JAN_1_2024, toMs: JAN_1_2024 + 3 * H1, missing: 3 }]);
  });

  it('refuses unsorted, duplicate, misaligned input and misaligned or violated bounds', () => {
    expect(() => findGapsInTimestamps([JAN_1_2024 + M5, JAN_1_2024], '5m')).toThrow(/strictly increasing/);
    expect(() => findGapsInTimestamps([JAN_1_2024, JAN_1_2024], '5m')).toThrow(/strictly increasing/);
    expect(() => findGapsInTimestamps([JAN_1_2024 + 1], '5m')).toThrow(/not aligned to the 5m grid/);
    expect(() => findGapsInTimestamps([JAN_1_2024], '5m', { fromMs: JAN_1_2024 + 1 })).toThrow(/fromMs .* not aligned/);
    expect(() => findGapsInTimestamps([JAN_1_2024], '5m', { fromMs: JAN_1_2024 + M5 })).toThrow(/before fromMs/);
    expect(() => findGapsInTimestamps([JAN_1_2024], '5m', { toMs: JAN_1_2024 })).toThrow(/at or after toMs/);
  });

  it('largestGaps orders by size then age; missingCount sums', () => {
    const gaps = [
      { fromMs: 0, toMs: 2 * M5, missing: 2 },
      { fromMs: 10 * M5, toMs: 15 * M5, missing: 5 },
      { fromMs: 20 * M5, toMs: 22 * M5, missing: 2 },
    ];
    expect(largestGaps(gaps, 2)).toEqual([gaps[1], gaps[0]]);
    expect(largestGaps(gaps, 0)).toEqual([]);
    expect(missingCount(gaps)).toBe(9);
  });
});

describe('findGaps: properties', () => {
  const removal = (tf: Timeframe) =>
    fc.record({
      start: fc.integer({ min: -1000, max: 1000 }),
      n: fc.integer({ min: 2, max: 500 }),
      removed: fc.uniqueArray(fc.integer({ min: 0, max: 499 }), { maxLength: 200 }),
      tf: fc.constant(tf),
    });

  it('finds exactly the removed interior candles', () => {
    fc.assert(
      fc.property(fc.oneof(removal('5m'), removal('1h'), removal('1d')), ({ start, n, removed, tf }) => {
        const len = TIMEFRAME_MS[tf];
        const grid = Array.from({ length: n }, (_, i) => JAN_1_2024 + (start + i) * len);
        const gone = new Set(removed.filter((i) => i > 0 && i < n - 1)); // interior only: ends define the span
        const kept = grid.filter((_, i) => !gone.has(i));
        const gaps = findGaps(kept.map((t) => candleAt(t, flat)), tf);
        const found = gaps.flatMap((g) => Array.from({ length: g.missing }, (_, k) => g.fromMs + k * len));
        expect(found).toEqual(grid.filter((_, i) => gone.has(i)));
        expect(missingCount(gaps)).toBe(gone.size);
        for (const g of gaps) expect(g.toMs - g.fromMs).toBe(g.missing * len);
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('with bounds, finds exactly the removed candles anywhere, ends included', () => {
    fc.assert(
      fc.property(removal('5m'), ({ start, n, removed }) => {
        const grid = Array.from({ length: n }, (_, i) => JAN_1_2024 + (start + i) * M5);
        const gone = new Set(removed.filter((i) => i < n));
        const kept = grid.filter((_, i) => !gone.has(i));
        const gaps = findGapsInTimestamps(kept, '5m', { fromMs: grid[0]!, toMs: grid[n - 1]! + M5 });
        const found = gaps.flatMap((g) => Array.from({ length: g.missing }, (_, k) => g.fromMs + k * M5));
        expect(found).toEqual(grid.filter((_, i) => gone.has(i)));
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);
});
