/**
 * Wall-clock fields of an instant in an IANA time zone, computed with `Intl.DateTimeFormat`
 * (pure computation over the tz database bundled with Node; no clock, no I/O).
 */

/** The local calendar and wall-clock fields of one instant. `weekday` is ISO: 1 = Monday … 7 = Sunday. */
export interface LocalParts {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
  readonly hour: number; // 0..23
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

/** Thrown for a non-integer timestamp or an unknown time zone: programmer error or corrupt config. */
export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Earliest / latest supported instants: years 1000..9999 UTC, so day keys keep 4-digit years. */
const MIN_TS = -30_610_224_000_000;
const MAX_TS = 253_402_300_799_999;
const DAY_MS = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      // `format()` is ~8× faster than `formatToParts()`; the six numbers are read back in order.
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TimeZoneError(`unknown IANA time zone ${JSON.stringify(timeZone)} (expected e.g. "America/Toronto", "UTC")`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` names a zone this runtime knows (e.g. "America/Toronto", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Asserts an integer ms-since-epoch timestamp within years 1000..9999; throws `TimeZoneError` otherwise. */
export function assertTimestamp(tsMs: number): void {
  if (!Number.isSafeInteger(tsMs) || tsMs < MIN_TS || tsMs > MAX_TS) {
    throw new TimeZoneError(`timestamp must be an integer of ms since epoch within years 1000..9999, got ${tsMs}`);
  }
}

const DIGITS = /\d+/g;

/** Zone names that are UTC at every instant: their fields come from `Date`'s UTC getters, no `Intl` call. */
const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'Etc/GMT', 'GMT', 'Universal', 'Zulu', 'UCT']);

/** True when `timeZone` is one of the names of UTC itself (offset 0 at every instant). */
export function isUtcZone(timeZone: string): boolean {
  return UTC_ZONES.has(timeZone);
}

/** Local calendar/wall-clock fields of `tsMs` (ms since epoch, UTC) in `timeZone`. Pure; throws `TimeZoneError` on bad input. */
export function localParts(tsMs: number, timeZone: string): LocalParts {
  assertTimestamp(tsMs);
  if (UTC_ZONES.has(timeZone)) {
    const d = new Date(tsMs);
    const days = Math.floor(tsMs / DAY_MS); // 1970-01-01 (day 0) was a Thursday
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: mod(days + 3, 7) + 1 };
  }
  const text = formatter(timeZone).format(tsMs); // "11/14/2023, 17:13:20"
  const n = text.match(DIGITS);
  if (n === null || n.length !== 6) throw new TimeZoneError(`unexpected Intl output ${JSON.stringify(text)} for ${timeZone}`);
  const year = Number(n[2]);
  const month = Number(n[0]);
  const day = Number(n[1]);
  const days = Math.round(utcFromFields(year, month, day) / DAY_MS); // 1970-01-01 (day 0) was a Thursday
  return { year, month, day, hour: Number(n[3]), minute: Number(n[4]), second: Number(n[5]), weekday: mod(days + 3, 7) + 1 };
}

/**
 * The zone's UTC offset at `tsMs` in ms (local wall time − UTC; e.g. −4 h = −14,400,000 for
 * Toronto in summer). Pure; throws `TimeZoneError` on bad input.
 */
export function utcOffsetMs(tsMs: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  const wallAsUtc = utcFromFields(p.year, p.month, p.day, p.hour, p.minute, p.second);
  const wholeSecond = tsMs - mod(tsMs, 1000);
  return wallAsUtc - wholeSecond;
}

/** ms since epoch of the given fields read as UTC (also right for years 0..99, which `Date.UTC` maps to 19xx). */
export function utcFromFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Mathematical modulo (always ≥ 0 for positive m). */
export function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
