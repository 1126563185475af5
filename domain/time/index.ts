/**
 * Local time for the fund: one day boundary (local midnight in the configured IANA zone) for
 * everything, DST-correct. Pure: `Intl.DateTimeFormat` computation only; time is an argument.
 */
export { type LocalParts, TimeZoneError, isValidTimeZone, localParts, utcOffsetMs } from './zone.ts';
export {
  type DayKey,
  addDays,
  formatDayKey,
  localDayKey,
  nextLocalMidnight,
  nextLocalTime,
  parseDayKey,
  startOfDayKey,
  startOfLocalDay,
  weekKey,
} from './day.ts';
