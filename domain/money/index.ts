/**
 * Exact decimal arithmetic for money and quantities.
 *
 * A `Fixed` is a bigint counting units of 10^-18, so every Kraken price (≤ 10 decimals),
 * volume (≤ 8 decimals) and fee is represented exactly, and sums never drift. Products and
 * quotients are rounded once, explicitly (half-even by default), to 18 decimals.
 * Pure: no I/O, no clock.
 */
export type Fixed = bigint;

/** Number of decimal places carried by a `Fixed`. */
export const SCALE = 18;
/** 1.0 as a `Fixed`. */
export const ONE: Fixed = 10n ** 18n;
/** 0 as a `Fixed`. */
export const ZERO: Fixed = 0n;

export type Rounding = 'halfEven' | 'floor' | 'ceil' | 'trunc';

const DECIMAL = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Thrown for malformed or non-finite input: corrupt data, never an expected outcome. */
export class FixedError extends Error {
  override readonly name = 'FixedError';
}

/**
 * Parses a decimal string ("123.4500", "-0.1", "1e-7"; Kraken sends all of these).
 * Digits beyond 18 decimals are rounded half-even. Throws `FixedError` on anything else.
 */
export function fromString(text: string): Fixed {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === undefined && (m[3] === undefined || m[3] === ''))) {
    throw new FixedError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const negative = m[1] === '-';
  const intDigits = m[2] ?? '0';
  const fracDigits = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new FixedError(`exponent out of range: ${JSON.stringify(text)}`);
  }
  // value = digits × 10^(exponent − fracDigits.length); rescale to 10^-SCALE.
  const digits = BigInt(intDigits + fracDigits);
  const shift = exponent - fracDigits.length + SCALE;
  let result: bigint;
  if (shift >= 0) {
    result = digits * 10n ** BigInt(shift);
  } else {
    result = divRound(digits, 10n ** BigInt(-shift), 'halfEven');
  }
  return negative ? -result : result;
}

/**
 * Converts a finite JS number using its shortest round-trip decimal form (so 0.1 becomes
 * exactly 0.1, not 0.1000000000000000055…). Throws `FixedError` on NaN or ±Infinity.
 */
export function fromNumber(value: number): Fixed {
  if (!Number.isFinite(value)) throw new FixedError(`not a finite number: ${value}`);
  return fromString(String(value));
}

/** Parses either representation (Kraken sends decimals as strings or numbers). */
export function from(value: string | number | bigint): Fixed {
  if (typeof value === 'bigint') return value * ONE;
  return typeof value === 'number' ? fromNumber(value) : fromString(value);
}

/** Canonical decimal text: no exponent, no trailing zeros ("1.5", "-0.000001", "42"). */
export function toString(value: Fixed): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / ONE;
  const frac = (abs % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Fixed-decimal text with exactly `decimals` places (rounded half-even), for display and orders. */
export function toFixed(value: Fixed, decimals: number): string {
  const rounded = round(value, decimals);
  const negative = rounded < 0n;
  const abs = negative ? -rounded : rounded;
  const int = abs / ONE;
  const frac = (abs % ONE).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${negative ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

/** Nearest JS number (lossy; for indicators, ratios and display only). */
export function toNumber(value: Fixed): number {
  return Number(toString(value));
}

/** a × b, rounded to 18 decimals. */
export function mul(a: Fixed, b: Fixed, mode: Rounding = 'halfEven'): Fixed {
  return divRound(a * b, ONE, mode);
}

/** a ÷ b, rounded to 18 decimals. Throws `FixedError` when b is zero. */
export function div(a: Fixed, b: Fixed, mode: Rounding = 'halfEven'): Fixed {
  if (b === 0n) throw new FixedError('division by zero');
  return divRound(a * ONE, b, mode);
}

/** Rounds to `decimals` places (0…18), e.g. a pair's `lot_decimals` or `pair_decimals`. */
export function round(value: Fixed, decimals: number, mode: Rounding = 'halfEven'): Fixed {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > SCALE) {
    throw new FixedError(`decimals must be an integer in 0..${SCALE}, got ${decimals}`);
  }
  const unit = 10n ** BigInt(SCALE - decimals);
  return divRound(value, unit, mode) * unit;
}

export function abs(value: Fixed): Fixed {
  return value < 0n ? -value : value;
}

export function min(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

export function max(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

export function sum(values: Iterable<Fixed>): Fixed {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** Integer division n ÷ d with the given rounding (d ≠ 0). */
function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  switch (mode) {
    case 'trunc':
      return q;
    case 'floor':
      return n < 0n ? q - 1n : q;
    case 'ceil':
      return n > 0n ? q + 1n : q;
    case 'halfEven': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = n < 0n ? q - 1n : q + 1n;
      if (twice > d) return away;
      if (twice < d) return q;
      return q % 2n === 0n ? q : away;
    }
  }
}
