/**
 * Local-day boundaries in an IANA time zone: the one day boundary the whole fund uses (risk
 * counters, daily snapshot, fees today, token budget, reports). Pure: `Intl` computation only.
 *
 * DST-correct: a local day is 23, 24 or 25 hours long; where a zone skips local midnight (the
 * clocks jump from 23:59:59 to 01:00) the day starts at the first instant that exists.
 */
import { assertTimestamp, isUtcZone, localParts, mod, utcFromFields, utcOffsetMs } from './zone.ts';

/** A local calendar date 'YYYY-MM-DD' (4-digit year). Sorting the strings sorts the dates. */
export type DayKey = string;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Every real UTC offset lies within ±15 h, so local wall time w is reached within [w − 15 h, w + 15 h]. */
const SPAN_MS = 15 * HOUR_MS;
const DAY_KEY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local calendar date of `tsMs` (ms since epoch, UTC) in `timeZone`, as 'YYYY-MM-DD'. Pure. */
export function localDayKey(tsMs: number, timeZone: string): DayKey {
  return daySpan(tsMs, timeZone).key;
}

/** Formats a calendar date as a `DayKey`. */
export function formatDayKey(year: number, month: number, day: number): DayKey {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Parses a `DayKey`; throws `RangeError` when it is not a real 'YYYY-MM-DD' date. */
export function parseDayKey(key: DayKey): { year: number; month: number; day: number } {
  const m = DAY_KEY_RE.exec(key);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const back = new Date(utcFromFields(year, month, day));
    if (back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${JSON.stringify(key)}`);
}

/** The calendar date `days` after (or before, if negative) `key`. Pure calendar arithmetic. */
export function addDays(key: DayKey, days: number): DayKey {
  const { year, month, day } = parseDayKey(key);
  const d = new Date(utcFromFields(year, month, day + days));
  return formatDayKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * The first instant (ms since epoch) of the local day containing `tsMs`: local midnight, or the
 * first existing instant when the zone skips midnight. Always ≤ `tsMs`. Pure.
 */
export function startOfLocalDay(tsMs: number, timeZone: string): number {
  return daySpan(tsMs, timeZone).start;
}

/**
 * The first instant (ms since epoch) of the next local day after the one containing `tsMs`;
 * always > `tsMs`. `[startOfLocalDay(t), nextLocalMidnight(t))` is the local day of `t`,
 * 23, 24 or 25 hours long around DST changes. Pure.
 */
export function nextLocalMidnight(tsMs: number, timeZone: string): number {
  return daySpan(tsMs, timeZone).next;
}

interface DaySpan {
  readonly key: DayKey;
  readonly start: number;
  readonly next: number;
}

/** Bound on the remembered spans per zone (UTC-day slots); the memo starts over beyond it. */
const MEMO_SLOTS = 4096;

/**
 * Memo of the local days computed per zone, filed under every UTC day (floor(ms / 24 h)) each one
 * overlaps: a lookup is one map read and a comparison or two, whichever order the instants come
 * in (a backtest's clock moving forward, a report going back over its trades' close times). The
 * answer depends only on the arguments, so the memo changes speed, never results.
 */
const spans = new Map<string, Map<number, DaySpan[]>>();

function daySpan(tsMs: number, timeZone: string): DaySpan {
  assertTimestamp(tsMs);
  const slot = Math.floor(tsMs / DAY_MS);
  let memo = spans.get(timeZone);
  if (memo !== undefined) {
    const list = memo.get(slot);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const span = list[i]!;
        if (tsMs >= span.start && tsMs < span.next) return span;
      }
    }
  }
  const span = isUtcZone(timeZone) ? utcSpan(slot) : computeSpan(tsMs, timeZone);
  if (memo === undefined || memo.size >= MEMO_SLOTS) {
    memo = new Map();
    spans.set(timeZone, memo);
  }
  for (let k = Math.floor(span.start / DAY_MS); k * DAY_MS < span.next; k++) {
    const list = memo.get(k);
    if (list === undefined) memo.set(k, [span]);
    else list.push(span);
  }
  return span;
}

/** The UTC day `slot` (days since 1970-01-01): exactly what `computeSpan` finds for a UTC zone, without `Intl`. */
function utcSpan(slot: number): DaySpan {
  const start = slot * DAY_MS;
  const d = new Date(start);
  return { key: formatDayKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), start, next: start + DAY_MS };
}

function computeSpan(tsMs: number, timeZone: string): DaySpan {
  const p = localParts(tsMs, timeZone);
  const key = formatDayKey(p.year, p.month, p.day);
  const start = wallInstants(key, 0, 0, timeZone).find((t) => t <= tsMs) ?? firstInstantAtOrAfterWall(key, 0, 0, timeZone);
  const nextKey = addDays(key, 1);
  const next = wallInstants(nextKey, 0, 0, timeZone).find((t) => t > tsMs) ?? firstInstantAtOrAfterWall(nextKey, 0, 0, timeZone);
  return { key, start, next };
}

/** The first instant of local date `key` in `timeZone` (local midnight, or the first instant after a skipped one). Pure. */
export function startOfDayKey(key: DayKey, timeZone: string): number {
  return wallInstants(key, 0, 0, timeZone)[0] ?? firstInstantAtOrAfterWall(key, 0, 0, timeZone);
}

/**
 * ISO-8601 week of the local date of `tsMs`, as 'YYYY-Www' (weeks start on Monday; week 1 holds
 * the year's first Thursday, so early-January days may belong to the previous ISO year). Pure.
 */
export function weekKey(tsMs: number, timeZone: string): string {
  const p = localParts(tsMs, timeZone);
  const dayNumber = Math.round(utcFromFields(p.year, p.month, p.day) / DAY_MS); // days since epoch
  const thursday = new Date((dayNumber + 4 - p.weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const jan1 = Math.round(utcFromFields(isoYear, 1, 1) / DAY_MS);
  const week = Math.floor((dayNumber + 4 - p.weekday - jan1) / 7) + 1;
  return `${String(isoYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * The earliest instant after `tsMs` at which the local wall clock shows `hour:minute:00`,
 * at most once per local date (on a fall-back day a repeated time fires only at its first
 * occurrence). If that time does not exist on a date (spring-forward gap), the first instant
 * after the gap is used. For schedules like "23:59 daily snapshot" or "03:30 orchestration". Pure.
 */
export function nextLocalTime(tsMs: number, timeZone: string, hour: number, minute: number): number {
  assertTimestamp(tsMs);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`local time must be hour 0..23 and minute 0..59, got ${hour}:${minute}`);
  }
  let key = addDays(localDayKey(tsMs, timeZone), -1);
  for (let i = 0; i < 4; i++) {
    const at = wallInstants(key, hour, minute, timeZone)[0] ?? firstInstantAtOrAfterWall(key, hour, minute, timeZone);
    if (at > tsMs) return at;
    key = addDays(key, 1);
  }
  // Unreachable for real zones (a local date recurs at most a day apart); keep the failure loud.
  throw new RangeError(`no local ${hour}:${minute} found within 3 days after ${tsMs} in ${timeZone}`);
}

/** Every instant (ascending) whose local wall clock in `timeZone` reads `key hour:minute:00` exactly. */
function wallInstants(key: DayKey, hour: number, minute: number, timeZone: string): number[] {
  const { year, month, day } = parseDayKey(key);
  const wall = utcFromFields(year, month, day, hour, minute, 0);
  const found: number[] = [];
  const tried = new Set<number>();
  for (const probe of [wall - SPAN_MS, wall, wall + SPAN_MS]) {
    // Fixed-point refinement: t = wall − offset(t) converges in ≤ 2 steps for real tz rules.
    let t = wall - utcOffsetMs(probe, timeZone);
    for (let step = 0; step < 3 && !tried.has(t); step++) {
      tried.add(t);
      const p = localParts(t, timeZone);
      if (p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute && p.second === 0) {
        found.push(t);
      }
      t = wall - utcOffsetMs(t, timeZone);
    }
  }
  return [...new Set(found)].sort((a, b) => a - b);
}

/**
 * The first instant (whole second) whose local wall clock reads at or after `key hour:minute`,
 * by bisection over [wall − 15 h, wall + 15 h]; used only when the wall time does not exist.
 */
function firstInstantAtOrAfterWall(key: DayKey, hour: number, minute: number, timeZone: string): number {
  const { year, month, day } = parseDayKey(key);
  const wall = utcFromFields(year, month, day, hour, minute, 0);
  const target = `${key}T${pad2(hour)}:${pad2(minute)}:00`;
  const reached = (t: number): boolean => wallText(t, timeZone) >= target;
  let lo = (wall - SPAN_MS) / 1000; // seconds; wall time there is before the target
  let hi = (wall + SPAN_MS) / 1000; // wall time there is at or after the target
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid * 1000)) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

function wallText(tsMs: number, timeZone: string): string {
  const p = localParts(tsMs - mod(tsMs, 1000), timeZone);
  return `${formatDayKey(p.year, p.month, p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
