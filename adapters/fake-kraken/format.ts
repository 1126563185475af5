import { type Fixed, toFixed } from '../../domain/money/index.ts';
import { type RawNumber, raw } from './json.ts';

/**
 * Number and time formatting in Kraken's dialects. Pure.
 */

/** Fixed-decimal string with exactly `decimals` places, as REST sends decimals ("30384.10000"). */
export function dec(value: Fixed, decimals: number): string {
  return toFixed(value, decimals);
}

/** The same text as a JSON number literal, as WS v2 sends numbers (`0.10000000`). */
export function wsNum(value: Fixed, decimals: number): RawNumber {
  return raw(toFixed(value, decimals));
}

/**
 * Kraken's REST convention for optional prices on an order (`price`, `stopprice`, `limitprice`):
 * zero is rendered as "0.00000", anything else with the pair's price decimals.
 */
export function orderPrice(value: Fixed, pairDecimals: number): string {
  return value === 0n ? '0.00000' : toFixed(value, pairDecimals);
}

/** Unix seconds with a fractional part (REST `opentm`, `time`), from ms since epoch. */
export function unixSeconds(ms: number): number {
  return ms / 1000;
}

/** RFC 3339 UTC with `fractionDigits` (0, 6 or 9) fractional digits, e.g. `2023-09-25T07:49:37.708000Z`. */
export function rfc3339(ms: number, fractionDigits: 0 | 6 | 9 = 6): string {
  const iso = new Date(ms).toISOString(); // 2023-09-25T07:49:37.708Z
  const base = iso.slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  const millis = iso.slice(20, 23);
  return `${base}.${millis.padEnd(fractionDigits, '0')}Z`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `rfc1123` field of `/0/public/Time`: `Thu, 06 Jul 23 18:50:48 +0000` (two-digit year). */
export function rfc1123(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)} ${two(
    d.getUTCHours(),
  )}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
