import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TimeZoneError,
  addDays,
  isValidTimeZone,
  localDayKey,
  localParts,
  nextLocalMidnight,
  nextLocalTime,
  parseDayKey,
  startOfDayKey,
  startOfLocalDay,
  utcOffsetMs,
  weekKey,
} from '../../../domain/time/index.ts';
import { runs } from '../../support/runs.ts';

const at = (iso: string): number => Date.parse(iso);
const H = 3_600_000;

// DST dates from the published rules: US/Canada (Ontario) switch on the 2nd Sunday of March and
// the 1st Sunday of November at 02:00 local (2024: Mar 10, Nov 3); the EU/UK on the last Sunday of
// March and October at 01:00 UTC (2024: Mar 31, Oct 27). Toronto is UTC−5 (EST) / UTC−4 (EDT);
// London UTC+0 (GMT) / UTC+1 (BST).
describe('local day boundaries across DST', () => {
  const cases: { zone: string; noon: string; start: string; next: string; hours: number }[] = [
    { zone: 'America/Toronto', noon: '2024-03-10T16:00:00Z', start: '2024-03-10T05:00:00Z', next: '2024-03-11T04:00:00Z', hours: 23 },
    { zone: 'America/Toronto', noon: '2024-11-03T17:00:00Z', start: '2024-11-03T04:00:00Z', next: '2024-11-04T05:00:00Z', hours: 25 },
    { zone: 'America/Toronto', noon: '2024-07-01T16:00:00Z', start: '2024-07-01T04:00:00Z', next: '2024-07-02T04:00:00Z', hours: 24 },
    { zone: 'Europe/London', noon: '2024-03-31T11:00:00Z', start: '2024-03-31T00:00:00Z', next: '2024-03-31T23:00:00Z', hours: 23 },
    { zone: 'Europe/London', noon: '2024-10-27T12:00:00Z', start: '2024-10-26T23:00:00Z', next: '2024-10-28T00:00:00Z', hours: 25 },
    { zone: 'Europe/London', noon: '2024-01-15T12:00:00Z', start: '2024-01-15T00:00:00Z', next: '2024-01-16T00:00:00Z', hours: 24 },
  ];
  for (const c of cases) {
    it(`${c.zone} ${c.start.slice(0, 10)} lasts ${c.hours} h`, () => {
      const t = at(c.noon);
      expect(new Date(startOfLocalDay(t, c.zone)).toISOString()).toBe(new Date(at(c.start)).toISOString());
      expect(new Date(nextLocalMidnight(t, c.zone)).toISOString()).toBe(new Date(at(c.next)).toISOString());
      expect((nextLocalMidnight(t, c.zone) - startOfLocalDay(t, c.zone)) / H).toBe(c.hours);
    });
  }

  it('puts the day key change exactly at local midnight', () => {
    // Toronto 2024-03-10 00:00 EST = 05:00Z.
    expect(localDayKey(at('2024-03-10T04:59:59.999Z'), 'America/Toronto')).toBe('2024-03-09');
    expect(localDayKey(at('2024-03-10T05:00:00.000Z'), 'America/Toronto')).toBe('2024-03-10');
    // The repeated hour 01:00–02:00 on 2024-11-03 (05:00Z–06:00Z is its second pass, EST) is still Nov 3.
    expect(localDayKey(at('2024-11-03T05:30:00Z'), 'America/Toronto')).toBe('2024-11-03');
    expect(localDayKey(at('2024-11-03T06:30:00Z'), 'America/Toronto')).toBe('2024-11-03');
    // UTC and a positive zone: 2024-01-01T20:00Z is Jan 2, 05:00 in Tokyo (UTC+9).
    expect(localDayKey(at('2024-01-01T20:00:00Z'), 'UTC')).toBe('2024-01-01');
    expect(localDayKey(at('2024-01-01T20:00:00Z'), 'Asia/Tokyo')).toBe('2024-01-02');
  });

  it('starts a day whose midnight was skipped at the first instant that exists', () => {
    // Brazil began DST at 00:00 on 2018-11-04 (clocks 00:00 → 01:00, UTC−3 → UTC−2), so that day
    // starts at 01:00 local = 03:00Z; it ended at 00:00 on 2019-02-17 (→ 23:00 on the 16th), so
    // 2019-02-16 has two local midnights-to-be: the day runs 02:00Z (00:00 −02) to 03:00Z next day.
    const sp = 'America/Sao_Paulo';
    const s = startOfLocalDay(at('2018-11-04T15:00:00Z'), sp);
    expect(new Date(s).toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(localParts(s, sp)).toMatchObject({ year: 2018, month: 11, day: 4, hour: 1, minute: 0, second: 0 });
    expect(localDayKey(s - 1, sp)).toBe('2018-11-03');
    const inRepeatedHour = at('2019-02-17T02:30:00Z'); // 23:30 −03 on the 16th, after the first 00:00 of the 17th
    expect(localDayKey(inRepeatedHour, sp)).toBe('2019-02-16');
    expect(new Date(startOfLocalDay(inRepeatedHour, sp)).toISOString()).toBe('2019-02-16T02:00:00.000Z');
    expect(new Date(nextLocalMidnight(inRepeatedHour, sp)).toISOString()).toBe('2019-02-17T03:00:00.000Z');
  });

  it('skips a calendar day the zone skipped', () => {
    // Samoa moved across the date line: 2011-12-29 23:59:59 (UTC−10) was followed by 2011-12-31 00:00 (UTC+14).
    const next = nextLocalMidnight(at('2011-12-29T12:00:00Z'), 'Pacific/Apia');
    expect(new Date(next).toISOString()).toBe('2011-12-30T10:00:00.000Z');
    expect(localDayKey(next, 'Pacific/Apia')).toBe('2011-12-31');
    expect(startOfDayKey('2011-12-30', 'Pacific/Apia')).toBe(next);
  });

  it('reports UTC offsets in ms', () => {
    expect(utcOffsetMs(at('2024-07-01T12:00:00Z'), 'America/Toronto')).toBe(-4 * H);
    expect(utcOffsetMs(at('2024-01-01T12:00:00Z'), 'America/Toronto')).toBe(-5 * H);
    expect(utcOffsetMs(at('2024-01-01T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * H);
  });
});

describe('week keys (ISO 8601)', () => {
  it('numbers weeks from the week holding the first Thursday', () => {
    // 2021-01-03 is a Sunday in ISO week 53 of 2020 (2020 began on a Wednesday and is a leap year).
    expect(weekKey(at('2021-01-03T12:00:00Z'), 'UTC')).toBe('2020-W53');
    expect(weekKey(at('2021-01-04T12:00:00Z'), 'UTC')).toBe('2021-W01');
    // 2024-12-30 is a Monday; the Thursday of its week is 2025-01-02, so it is 2025-W01.
    expect(weekKey(at('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
    // 03:00Z on 2024-12-30 is still Sunday 22:00 on the 29th in Toronto: week 52 of 2024.
    expect(weekKey(at('2024-12-30T03:00:00Z'), 'America/Toronto')).toBe('2024-W52');
    expect(weekKey(at('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
  });
});

describe('next local wall time (scheduler)', () => {
  const tz = 'America/Toronto';
  it('finds the next 23:59 and 03:30', () => {
    expect(new Date(nextLocalTime(at('2024-07-01T12:00:00Z'), tz, 23, 59)).toISOString()).toBe('2024-07-02T03:59:00.000Z');
    expect(new Date(nextLocalTime(at('2024-07-02T03:59:00Z'), tz, 23, 59)).toISOString()).toBe('2024-07-03T03:59:00.000Z');
    expect(new Date(nextLocalTime(at('2024-07-01T12:00:00Z'), tz, 3, 30)).toISOString()).toBe('2024-07-02T07:30:00.000Z');
  });
  it('runs a skipped time right after the gap and a repeated time once', () => {
    // 02:30 does not exist on 2024-03-10 in Toronto (02:00 EST → 03:00 EDT = 07:00Z).
    expect(new Date(nextLocalTime(at('2024-03-10T05:00:00Z'), tz, 2, 30)).toISOString()).toBe('2024-03-10T07:00:00.000Z');
    // 01:30 happens twice on 2024-11-03 (05:30Z EDT, 06:30Z EST): fire at the first, then next day.
    const first = nextLocalTime(at('2024-11-03T04:00:00Z'), tz, 1, 30);
    expect(new Date(first).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(new Date(nextLocalTime(first, tz, 1, 30)).toISOString()).toBe('2024-11-04T06:30:00.000Z');
  });
  it('rejects impossible wall times', () => {
    expect(() => nextLocalTime(0, tz, 24, 0)).toThrow(/hour 0..23/);
  });
});

describe('calendar helpers and bad input', () => {
  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
  });
  it('refuses malformed day keys, timestamps and zones', () => {
    expect(() => parseDayKey('2023-02-29')).toThrow(/calendar date/);
    expect(() => parseDayKey('2023-2-1')).toThrow(/calendar date/);
    expect(() => localDayKey(1.5, 'UTC')).toThrow(TimeZoneError);
    expect(() => localDayKey(Number.NaN, 'UTC')).toThrow(/integer/);
    expect(() => localDayKey(0, 'Mars/Olympus')).toThrow(/unknown IANA time zone "Mars\/Olympus"/);
    expect(isValidTimeZone('America/Toronto')).toBe(true);
    expect(isValidTimeZone('EST5EDT')).toBe(true);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
  });
});

describe('day boundary properties', () => {
  const zones = [
    'UTC',
    'America/Toronto',
    'Europe/London',
    'America/Sao_Paulo',
    'Australia/Lord_Howe', // 30-minute DST shift: 23.5 h and 24.5 h days
    'Asia/Kolkata',
    'Pacific/Chatham',
    'America/St_Johns',
    'Pacific/Apia',
  ];
  const instant = fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') });

  it('every instant lies in [startOfLocalDay, nextLocalMidnight), a day of 23–25 h, keys consistent', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (t, zone) => {
        const key = localDayKey(t, zone);
        const start = startOfLocalDay(t, zone);
        const next = nextLocalMidnight(t, zone);
        expect(start).toBeLessThanOrEqual(t);
        expect(next).toBeGreaterThan(t);
        expect(localDayKey(start, zone)).toBe(key);
        expect(localDayKey(start - 1, zone) < key).toBe(true);
        expect(localDayKey(next, zone) > key).toBe(true);
        expect(startOfLocalDay(next, zone)).toBe(next);
        const hours = (next - start) / H;
        expect(hours >= 23 && hours <= 25).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('nextLocalTime is later, shows the wall time (or follows a gap), within two days', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (t, zone, h, m) => {
        const n = nextLocalTime(t, zone, h, m);
        expect(n).toBeGreaterThan(t);
        expect(n - t).toBeLessThanOrEqual(50 * H);
        const p = localParts(n, zone);
        const exact = p.hour === h && p.minute === m && p.second === 0;
        // Not exact only right after a DST gap: one second earlier the wall clock was before h:m.
        if (!exact) {
          const before = localParts(n - 1000, zone);
          expect(before.hour * 60 + before.minute < h * 60 + m || localDayKey(n - 1000, zone) < localDayKey(n, zone)).toBe(true);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
