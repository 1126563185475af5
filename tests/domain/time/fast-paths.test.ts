import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeZoneError, localDayKey, localParts, nextLocalMidnight, startOfLocalDay, weekKey } from '../../../domain/time/index.ts';
import { runs } from '../../support/runs.ts';

// Instants in years 1000..9999 (the supported range) less two days at each end: the Intl day-span
// search probes ±15 h around a wall time, so it cannot answer right at the range's edges.
const instant = fc.integer({ min: -30_610_224_000_000 + 2 * 86_400_000, max: 253_402_300_799_999 - 2 * 86_400_000 });

describe('UTC fast path (no Intl call for the names of UTC)', () => {
  // 'Etc/GMT+0' is UTC too but not on the fast path: it goes through Intl, so it is the reference.
  it('gives the same fields, day key, day span and week as the Intl computation', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom('UTC', 'Etc/UTC', 'GMT', 'Zulu'), (t, zone) => {
        expect(localParts(t, zone)).toEqual(localParts(t, 'Etc/GMT+0'));
        expect(localDayKey(t, zone)).toBe(localDayKey(t, 'Etc/GMT+0'));
        expect(startOfLocalDay(t, zone)).toBe(startOfLocalDay(t, 'Etc/GMT+0'));
        expect(nextLocalMidnight(t, zone)).toBe(nextLocalMidnight(t, 'Etc/GMT+0'));
        expect(weekKey(t, zone)).toBe(weekKey(t, 'Etc/GMT+0'));
      }),
      { numRuns: runs(300) },
    );
  });

  it('still rejects a bad timestamp', () => {
    expect(() => localParts(Number.NaN, 'UTC')).toThrow(TimeZoneError);
    expect(() => localDayKey(1.5, 'UTC')).toThrow(TimeZoneError);
    expect(() => startOfLocalDay(Number.MAX_SAFE_INTEGER, 'UTC')).toThrow(TimeZoneError);
  });
});

describe('day-span memo', () => {
  it('answers the same in any order of instants as in a fresh order (DST zones included)', () => {
    const zones = ['America/Toronto', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    // Around the 2024 transitions, so spans of 23, 24, 25 (and 23.5/24.5 in Lord Howe) hours are hit.
    const near = fc.integer({ min: Date.UTC(2024, 2, 1), max: Date.UTC(2024, 11, 1) });
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.array(near, { minLength: 2, maxLength: 40 }), (zone, ts) => {
        const first = ts.map((t) => [localDayKey(t, zone), startOfLocalDay(t, zone), nextLocalMidnight(t, zone)] as const);
        const shuffled = ts.map((t, i) => [t, i] as const).reverse();
        for (const [t, i] of shuffled) {
          const [key, start, next] = first[i]!;
          expect(localDayKey(t, zone)).toBe(key);
          expect(startOfLocalDay(t, zone)).toBe(start);
          expect(nextLocalMidnight(t, zone)).toBe(next);
          expect(start).toBeLessThanOrEqual(t);
          expect(next).toBeGreaterThan(t);
          // The local date at the span's ends: the start is in the day, the next start is the next day.
          expect(localDayKey(start, zone)).toBe(key);
          expect(localDayKey(next, zone) > key).toBe(true);
        }
      }),
      { numRuns: runs(100) },
    );
  });
});
