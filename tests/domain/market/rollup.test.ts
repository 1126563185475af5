import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, formatUtc, planRollup, retentionCutoffs, TIMEFRAME_MS, type Candle } from '../../../domain/market/index.ts';
import { runs } from '../../support/runs.ts';
import { candleAt, JAN_1_2024, seriesArb, PROPERTY_TIMEOUT } from './arbitraries.ts';

const M5 = TIMEFRAME_MS['5m'];
const H1 = TIMEFRAME_MS['1h'];
const D1 = TIMEFRAME_MS['1d'];
const DEFAULTS = { candle5mRetentionDays: 30, candle1hRetentionDays: 365, candle1dRetentionYears: 7 };
const flat = (ts: number, price = 100): Candle => candleAt(ts, { open: price, close: price, up: 0, down: 0, volume: 1 });

describe('retentionCutoffs', () => {
  it('subtracts the retention and snaps down to the next tier boundary (hour for 5m, UTC day for 1h and 1d)', () => {
    const now = Date.UTC(2024, 5, 15, 13, 47, 12, 345); // 2024-06-15 13:47:12.345 UTC
    const cutoffs = retentionCutoffs(now, DEFAULTS);
    // 30 days before: 2024-05-16 13:47:12 → hour 13:00.
    expect(formatUtc(cutoffs['5m'])).toBe('2024-05-16 13:00 UTC');
    // 365 days before: 2023-06-16 13:47 (2024 is a leap year: Feb 29 in between) → day start.
    expect(formatUtc(cutoffs['1h'])).toBe('2023-06-16 00:00 UTC');
    // 7 × 365 = 2555 days before: 2017-06-17 (leap days 2020-02-29 and 2024-02-29 in between) → day start.
    expect(formatUtc(cutoffs['1d'])).toBe('2017-06-17 00:00 UTC');
  });

  it('on an exact boundary the cutoff is the boundary itself', () => {
    const now = Date.UTC(2024, 5, 15, 13, 0);
    expect(retentionCutoffs(now, DEFAULTS)['5m']).toBe(Date.UTC(2024, 4, 16, 13, 0));
  });

  it('refuses a non-integer clock or a non-positive retention', () => {
    expect(() => retentionCutoffs(1.5, DEFAULTS)).toThrow(/nowMs/);
    expect(() => retentionCutoffs(0, { ...DEFAULTS, candle5mRetentionDays: 0 })).toThrow(/candle5mRetentionDays must be a positive integer, got 0/);
  });
});

describe('planRollup', () => {
  const cutoff = JAN_1_2024 + 3 * H1;
  const hourOf = (h: number, skip: readonly number[] = []) =>
    Array.from({ length: 12 }, (_, k) => k)
      .filter((k) => !skip.includes(k))
      .map((k) => flat(JAN_1_2024 + h * H1 + k * M5, 100 + h));

  it('writes complete buckets over stored ones, keeps stored ones over partial aggregates, writes partial ones where nothing is stored', () => {
    const sources = [...hourOf(0), ...hourOf(1, [3]), ...hourOf(2, [11])];
    const existing = [flat(JAN_1_2024, 1), flat(JAN_1_2024 + H1, 2)]; // stored 1h candles for hours 0 and 1
    const plan = planRollup(sources, existing, '5m', '1h', cutoff);
    expect(plan.buckets).toBe(3);
    expect(plan.sourceCount).toBe(12 + 11 + 11);
    expect(plan.keptExisting).toBe(1); // hour 1: partial sources, stored candle kept
    expect(plan.partialWritten).toBe(1); // hour 2: partial sources, nothing stored
    expect(plan.write.map((c) => [formatUtc(c.tsOpen), c.open, c.volume])).toEqual([
      ['2024-01-01 00:00 UTC', 1, 12],
      ['2024-01-01 02:00 UTC', 1.02, 11],
    ]);
  });

  it('the hour just before the cutoff is rolled up even without its last candle (its time is over)', () => {
    const plan = planRollup(hourOf(2, [11]), [], '5m', '1h', cutoff);
    expect(plan.write.map((c) => c.tsOpen)).toEqual([JAN_1_2024 + 2 * H1]);
  });

  it('refuses a misaligned cutoff or a source at or after it', () => {
    expect(() => planRollup(hourOf(0), [], '5m', '1h', cutoff + M5)).toThrow(/not aligned to the 1h grid/);
    expect(() => planRollup([flat(cutoff)], [], '5m', '1h', cutoff)).toThrow(/not before the cutoff/);
  });

  it('property: every bucket is written or kept; complete buckets are always written as their aggregate', () => {
    fc.assert(
      fc.property(
        seriesArb('1h', { maxSlots: 24 * 20, keep: 0.9 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }),
        (raw, storedDays) => {
          if (raw.length === 0) return;
          const cutoffMs = Math.ceil((raw[raw.length - 1]!.tsOpen + H1) / D1) * D1;
          const existing = [...new Set(storedDays)].sort((a, b) => a - b).map((d) => flat(JAN_1_2024 + d * D1, 5));
          const plan = planRollup(raw, existing, '1h', '1d', cutoffMs);
          const all = aggregate(raw, '1h', '1d', { closedAtMs: cutoffMs }).buckets;
          expect(plan.buckets).toBe(all.length);
          expect(plan.write.length + plan.keptExisting).toBe(all.length);
          const stored = new Set(existing.map((c) => c.tsOpen));
          const written = new Map(plan.write.map((c) => [c.tsOpen, c]));
          for (const b of all) {
            if (b.sources === 24 || !stored.has(b.candle.tsOpen)) expect(written.get(b.candle.tsOpen)).toEqual(b.candle);
            else expect(written.has(b.candle.tsOpen)).toBe(false);
          }
        },
      ),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);
});
