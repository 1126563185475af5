/**
 * JSON output with hand-formatted numbers.
 *
 * Kraken's WebSocket v2 sends numbers that carry the engine's precision (`"qty": 0.10000000`), and
 * `JSON.stringify` would drop those trailing zeros; `connection_id` also exceeds 2^53. A
 * `RawNumber` is written verbatim as a JSON number. Pure.
 */

/** A JSON number written exactly as `text` (trailing zeros and big integers preserved). */
export class RawNumber {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal number literal: ${JSON.stringify(text)}`);
  }
}

/** Shorthand for `new RawNumber(text)`. */
export function raw(text: string): RawNumber {
  return new RawNumber(text);
}

/**
 * Serialises plain data to JSON text. Supports null, booleans, finite numbers, strings, bigint
 * (as an integer literal), `RawNumber`, arrays and plain objects; object keys whose value is
 * `undefined` are skipped. Throws `TypeError` on anything else (a programming error).
 */
export function stringify(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot serialise non-finite number ${value}`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value instanceof RawNumber) return value.text;
      if (Array.isArray(value)) return `[${value.map((v) => stringify(v)).join(',')}]`;
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${stringify(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot serialise a ${typeof value}`);
  }
}
