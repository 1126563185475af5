/**
 * Decimal text ↔ float64 for candle files. Strict on input (no hex, no 'Infinity', no empty
 * cells, which `Number()` would accept), plain on output (shortest round-trip digits, never
 * scientific notation), so exporting what was imported reproduces the source text.
 */

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_RE = /^\d+$/;
const EXPONENT_RE = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/;

/** The value of a decimal text such as '46216.93', '-0.5', '1e-8'; undefined when it is not one or is out of float64 range. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL_RE.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The value of a non-negative integer text ('1640995200'); undefined when it is not one or exceeds 2^53 − 1. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER_RE.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * `value` as a plain decimal: the shortest digits that read back to the same float64 (what
 * `String` gives), with any exponent expanded ('1e-8' → '0.00000001'). Throws `RangeError` on a
 * non-finite value (corrupt data).
 */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write non-finite number ${value}`);
  const text = String(value);
  const m = EXPONENT_RE.exec(text);
  if (!m) return text;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
