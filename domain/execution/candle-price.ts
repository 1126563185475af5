import { type Fixed, fromNumber } from '../money/index.ts';

/**
 * Compares a candle price (float64) with an exact `Fixed` level: negative when `x < level`, 0 when
 * equal, positive when `x > level`. Clear cases are decided on floats (this runs per candle per
 * resting order/position); values within 1e-12 relative (or a few 1e-18 units) are decided
 * exactly via `fromNumber` (the number's shortest decimal form), so a candle low of 95 "touches"
 * a stop of exactly 95.
 * Pure; throws `FixedError` if `x` is not finite.
 */
export function compareCandlePrice(x: number, level: Fixed): number {
  const approx = Number(level) / 1e18;
  // Relative margin for float error, plus a few 1e-18 units for values finer than `Fixed` resolution.
  const tolerance = 1e-12 * Math.abs(approx) + 4e-18;
  if (x < approx - tolerance) return -1;
  if (x > approx + tolerance) return 1;
  const exact = fromNumber(x);
  return exact < level ? -1 : exact > level ? 1 : 0;
}
