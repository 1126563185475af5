import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectCandles, QUALITY_ISSUE_KINDS, TIMEFRAME_MS, type Candle, type QualityIssueKind } from '../../../domain/market/index.ts';
import { runs } from '../../support/runs.ts';
import { candleAt, JAN_1_2024, seriesArb, PROPERTY_TIMEOUT } from './arbitraries.ts';

const M5 = TIMEFRAME_MS['5m'];
const good = (k: number): Candle => ({ tsOpen: JAN_1_2024 + k * M5, open: 10, high: 12, low: 9, close: 11, volume: 3 });

describe('inspectCandles: examples', () => {
  it('a clean series with a gap and a zero-volume candle is ok; the gap and zero volume are reported as facts', () => {
    const candles = [good(0), good(1), { ...good(4), volume: 0 }];
    const report = inspectCandles(candles, '5m');
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.gaps).toEqual([{ fromMs: JAN_1_2024 + 2 * M5, toMs: JAN_1_2024 + 4 * M5, missing: 2 }]);
    expect(report.missing).toBe(2);
    expect(report.zeroVolume).toBe(1);
    expect([report.count, report.firstTsOpen, report.lastTsOpen]).toEqual([3, JAN_1_2024, JAN_1_2024 + 4 * M5]);
  });

  it('names each value problem with its field', () => {
    const candles: Candle[] = [
      { ...good(0), high: 10.5 }, // high below close 11
      { ...good(1), low: 10.5 }, // low above open 10
      { ...good(2), high: 8 }, // high below low 9, and below open and close
      { ...good(3), open: 0, low: 0 }, // zero prices
      { ...good(4), close: -1, low: -2 }, // negative prices
      { ...good(5), volume: -0.5 },
      { ...good(6), close: Number.NaN },
      { ...good(7), volume: Number.POSITIVE_INFINITY },
    ];
    const report = inspectCandles(candles, '5m');
    const summary = report.issues.map((i) => [i.index, i.kind, i.field, i.value]);
    expect(summary).toEqual([
      [0, 'highBelowOpenClose', 'high', 10.5],
      [1, 'lowAboveOpenClose', 'low', 10.5],
      [2, 'highBelowLow', 'high', 8],
      [2, 'highBelowOpenClose', 'high', 8],
      [3, 'nonPositivePrice', 'open', 0],
      [3, 'nonPositivePrice', 'low', 0],
      [4, 'nonPositivePrice', 'low', -2],
      [4, 'nonPositivePrice', 'close', -1],
      [5, 'negativeVolume', 'volume', -0.5],
      [6, 'nonFinite', 'close', Number.NaN],
      [7, 'nonFinite', 'volume', Number.POSITIVE_INFINITY],
    ]);
    expect(report.issues[0]!.message).toBe('high 10.5 is below close 11 (must be high ≥ open and high ≥ close)');
    expect(report.issues[1]!.message).toBe('low 10.5 is above open 10 (must be low ≤ open and low ≤ close)');
    expect(report.issues[8]!.message).toBe('volume -0.5 is negative (must be ≥ 0)');
    expect(report.ok).toBe(false);
    expect(report.counts.nonPositivePrice).toBe(4);
  });

  it('finds duplicates, out-of-order and misaligned times', () => {
    const candles = [good(0), good(2), good(2), good(1), { ...good(3), tsOpen: good(3).tsOpen + 1000 }, good(4)];
    const report = inspectCandles(candles, '5m');
    expect(report.issues.map((i) => [i.index, i.kind, i.otherIndex])).toEqual([
      [2, 'duplicate', 1],
      [3, 'nonMonotonic', 1],
      [4, 'misaligned', undefined],
    ]);
    expect(report.issues[1]!.message).toBe(
      'time 2024-01-01 00:05 UTC goes back before an earlier candle\'s 2024-01-01 00:10 UTC; candles must be sorted by time, strictly increasing',
    );
    expect(report.issues[2]!.message).toBe('time 2024-01-01 00:15:01 UTC is not on the 5m grid (a multiple of 300 s since the epoch)');
    // Gaps are computed on the distinct aligned times 0, 1, 2, 4: one candle (3) missing.
    expect(report.gaps).toEqual([{ fromMs: JAN_1_2024 + 3 * M5, toMs: JAN_1_2024 + 4 * M5, missing: 1 }]);
  });

  it('an empty series is ok and has no extent', () => {
    const report = inspectCandles([], '1d');
    expect(report).toMatchObject({ ok: true, count: 0, firstTsOpen: undefined, lastTsOpen: undefined, gaps: [], missing: 0 });
  });
});

describe('inspectCandles: properties', () => {
  it('valid generated series are ok, with gaps = the grid slots left out', () => {
    fc.assert(
      fc.property(seriesArb('5m', { maxSlots: 400, keep: 0.8 }), (candles) => {
        const report = inspectCandles(candles, '5m');
        expect(report.issues).toEqual([]);
        const span = candles.length === 0 ? 0 : (candles[candles.length - 1]!.tsOpen - candles[0]!.tsOpen) / M5 + 1;
        expect(report.missing).toBe(candles.length === 0 ? 0 : span - candles.length);
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  const defects: readonly [QualityIssueKind, (c: Candle, prev: Candle | undefined) => Candle][] = [
    ['misaligned', (c) => ({ ...c, tsOpen: c.tsOpen + 60_000 })],
    ['duplicate', (c, prev) => ({ ...c, tsOpen: prev!.tsOpen })],
    ['nonMonotonic', (c, prev) => ({ ...c, tsOpen: prev!.tsOpen - M5 })],
    ['nonFinite', (c) => ({ ...c, open: Number.NaN })],
    ['nonPositivePrice', (c) => ({ ...c, low: 0 })],
    ['highBelowLow', (c) => ({ ...c, high: c.low / 2 })],
    ['highBelowOpenClose', (c) => ({ ...c, high: Math.max(c.open, c.close) * 0.5 })],
    ['lowAboveOpenClose', (c) => ({ ...c, low: Math.min(c.open, c.close) * 2 })],
    ['negativeVolume', (c) => ({ ...c, volume: -1 })],
  ];

  it('one injected defect is found at its index with its kind', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 1_000_000 }), { minLength: 3, maxLength: 60 }),
        fc.nat(),
        fc.constantFrom(...defects),
        (prices, at, [kind, inject]) => {
          const candles = prices.map((p, k) => candleAt(JAN_1_2024 + 2 * k * M5, { open: p, close: p + 7, up: 5, down: 5, volume: 1 }));
          const i = 1 + (at % (candles.length - 1));
          candles[i] = inject(candles[i]!, candles[i - 1]);
          const report = inspectCandles(candles, '5m');
          expect(report.issues.some((x) => x.kind === kind && x.index === i)).toBe(true);
          expect(report.issues.every((x) => x.index === i)).toBe(true);
          expect(QUALITY_ISSUE_KINDS).toContain(kind);
        },
      ),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);
});
