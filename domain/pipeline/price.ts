/**
 * Conversions between candle prices (float64) and exact money (`Fixed`) on the per-candle hot
 * path. Pure.
 */
import { type Fixed, fromNumber } from '../money/index.ts';

const UNITS_PER_1E8 = 10_000_000_000n; // 1e-8 in 1e-18 units
/** Below 2^25 a float64's spacing is < 1e-8, so at most one 8-decimal number maps to each double. */
const FAST_LIMIT = 33_554_432;

/**
 * The exact `Fixed` of a candle price: always equal to `fromNumber(x)` (the shortest round-trip
 * decimal of `x`), computed without string parsing when `x` has at most 8 decimals and is below
 * 2^25 — every Kraken price. Why that is exact: `k / 1e8` is correctly rounded, so
 * `k / 1e8 === x` says the decimal k·10⁻⁸ round-trips to `x`; below 2^25 no other decimal with ≤ 8
 * places does, and the shortest round-trip decimal has no more places than k·10⁻⁸, so it is that
 * one (property-tested against `fromNumber`). Throws `FixedError` on a non-finite `x`.
 */
export function priceFixed(x: number): Fixed {
  if (x > 0 && x < FAST_LIMIT) {
    const k = Math.round(x * 1e8);
    if (k / 1e8 === x) return BigInt(k) * UNITS_PER_1E8;
  }
  return fromNumber(x);
}

/**
 * A float64 close to `x` (relative error ≤ 2⁻⁵²): for views handed to strategies and for
 * pre-screens that decide when an exact computation is needed. Never booked. Pure.
 */
export function approx(x: Fixed): number {
  return Number(x) / 1e18;
}
