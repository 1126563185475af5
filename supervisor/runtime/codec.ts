/**
 * JSON for the runtime's checkpoints: the decision pipeline's state holds exact money as `bigint`
 * (domain/money `Fixed`) and a few non-finite floats (a mark's `low` is +Infinity before the first
 * candle), which plain JSON cannot carry. Encoded as `{"$big":"<digits>"}` and `{"$num":"Infinity"}`;
 * everything else is plain JSON. `decodeJson(encodeJson(x))` is deep-equal to `x` for plain data
 * (objects, arrays, strings, finite and non-finite numbers, booleans, null, bigint).
 */

/** Encodes `value` (plain data with bigints) as JSON text. Throws on functions, symbols and cycles. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, _key: string, v: unknown) {
    if (typeof v === 'bigint') return { $big: v.toString() };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    if (typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`cannot encode a ${typeof v} in a checkpoint`);
    return v;
  });
}

/** Decodes {@link encodeJson} text. Throws `SyntaxError` on malformed JSON or a malformed tagged value. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$big === 'string') {
      if (!/^-?\d+$/.test(o.$big)) throw new SyntaxError(`checkpoint: malformed $big ${JSON.stringify(o.$big)}`);
      return BigInt(o.$big);
    }
    if (typeof o.$num === 'string') {
      if (o.$num !== 'Infinity' && o.$num !== '-Infinity' && o.$num !== 'NaN') throw new SyntaxError(`checkpoint: malformed $num ${JSON.stringify(o.$num)}`);
      return Number(o.$num);
    }
    return v;
  });
}
