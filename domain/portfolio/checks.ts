import { type Fixed, toString } from '../money/index.ts';

const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

/** Throws `RangeError` unless `value > 0` (corrupt input, never an expected outcome). */
export function assertPositive(name: string, value: Fixed): void {
  if (value <= 0n) throw new RangeError(`${name} must be > 0, got ${toString(value)}`);
}

/** Throws `RangeError` unless `value ≥ 0`. */
export function assertNonNegative(name: string, value: Fixed): void {
  if (value < 0n) throw new RangeError(`${name} must be ≥ 0, got ${toString(value)}`);
}

/** Throws `RangeError` unless `ms` is a non-negative integer timestamp. */
export function assertTimestamp(name: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`${name} must be integer ms since epoch ≥ 0, got ${ms}`);
}

/** Throws `RangeError` unless `dayKey` looks like "YYYY-MM-DD". */
export function assertDayKey(dayKey: string): void {
  if (!DAY_KEY.test(dayKey)) throw new RangeError(`dayKey must be "YYYY-MM-DD", got ${JSON.stringify(dayKey)}`);
}

/** Throws `RangeError` unless `symbol` is a non-empty pair name. */
export function assertSymbol(symbol: string): void {
  if (symbol.trim() === '') throw new RangeError('symbol must be a non-empty pair name such as "BTC/USD"');
}

/** Throws unless an optional protective level is absent, null, or > 0. */
export function assertLevel(name: string, value: Fixed | null | undefined): void {
  if (value !== undefined && value !== null) assertPositive(name, value);
}
