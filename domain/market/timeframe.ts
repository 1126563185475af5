/**
 * Timeframe arithmetic on UTC bucket boundaries. Pure. Every bucket of a timeframe starts at a
 * multiple of its length since the epoch, which for 5m, 1h and 1d is exactly the UTC wall-clock
 * boundary (the epoch is a UTC midnight and UTC has no leap-second or DST offsets in ms time).
 */
import { TIMEFRAME_MS, type Timeframe } from './candle.ts';

/** Every timeframe of the store, finest first. */
export const TIMEFRAMES: readonly Timeframe[] = Object.freeze(['5m', '1h', '1d'] as const);

/** True when `value` names a timeframe of the store ('5m', '1h', '1d'). */
export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && (TIMEFRAMES as readonly string[]).includes(value);
}

/** Start (ms, UTC) of the `timeframe` bucket containing `tsMs`. Works for negative times too. */
export function bucketStart(tsMs: number, timeframe: Timeframe): number {
  const len = TIMEFRAME_MS[timeframe];
  return tsMs - (((tsMs % len) + len) % len);
}

/** True when `tsMs` is the start of a `timeframe` bucket. */
export function isAligned(tsMs: number, timeframe: Timeframe): boolean {
  return Number.isSafeInteger(tsMs) && bucketStart(tsMs, timeframe) === tsMs;
}

/** The timeframe whose length is exactly `ms`, or undefined (e.g. 15 minutes). */
export function timeframeOfLength(ms: number): Timeframe | undefined {
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms);
}

/** How many `source` candles make one `target` bucket (12 for 5m→1h, 24 for 1h→1d, 288 for 5m→1d). */
export function candlesPerBucket(source: Timeframe, target: Timeframe): number {
  return TIMEFRAME_MS[target] / TIMEFRAME_MS[source];
}

/**
 * Throws `RangeError` unless `source` is strictly finer than `target` (5m→1h, 5m→1d, 1h→1d):
 * aggregating into the same or a finer timeframe is a programmer error.
 */
export function assertFiner(source: Timeframe, target: Timeframe): void {
  if (TIMEFRAMES.indexOf(source) >= TIMEFRAMES.indexOf(target)) {
    throw new RangeError(`cannot aggregate ${source} into ${target}: the target must be a coarser timeframe (5m → 1h → 1d)`);
  }
}

/** `tsMs` as 'YYYY-MM-DD HH:MM UTC' (seconds shown only when not zero), for messages and reports. */
export function formatUtc(tsMs: number): string {
  if (!Number.isFinite(tsMs) || Math.abs(tsMs) > 8.64e15) return `${tsMs} ms (not a valid time)`;
  const iso = new Date(tsMs).toISOString();
  const seconds = iso.slice(17, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00.000' ? '' : `:${seconds.replace(/\.000$/, '')}`} UTC`;
}
