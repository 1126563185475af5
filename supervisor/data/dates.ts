/**
 * Dates given on the command line (`--from`, `--to`). Never naive: a bare date is a UTC day
 * (`2024-01-01` = 2024-01-01 00:00 UTC), and a date-time must carry `Z` or an offset — the
 * predecessor compared naive and zoned timestamps and lost a day of data (predecessor.md §20.1).
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses `text` to ms since the epoch (UTC); the reason names the value and the accepted forms. Pure. */
export function parseDateArg(text: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const forms = 'use YYYY-MM-DD (a UTC day) or YYYY-MM-DDTHH:MM[:SS]Z / ±HH:MM';
  const day = DATE_RE.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return { ok: false, reason: `${JSON.stringify(text)} is not a calendar date` };
    return { ok: true, ms };
  }
  const dt = DATE_TIME_RE.exec(text);
  if (!dt) return { ok: false, reason: `${JSON.stringify(text)} is not a date; ${forms}` };
  if (dt[8] === undefined) return { ok: false, reason: `${JSON.stringify(text)} has no time zone; add Z (UTC) or an offset such as +02:00 — times are never naive` };
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return { ok: false, reason: `${JSON.stringify(text)} is not a valid date-time; ${forms}` };
  const [y, m, d, h, min, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(dt[i] ?? 0)) as [number, number, number, number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || min > 59 || s > 59 || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) {
    return { ok: false, reason: `${JSON.stringify(text)} is not a valid date-time; ${forms}` };
  }
  return { ok: true, ms };
}
