/**
 * A lossless JSON decoder for Kraken messages.
 *
 * Kraken's WebSocket v2 sends decimals as JSON numbers that carry the engine's precision
 * (`"qty": 0.10000000`) and ids larger than 2^53 (`connection_id`); `JSON.parse` would drop the
 * trailing zeros and round the ids. This decoder keeps every number as its source text
 * (`JsonNumber`), builds objects without a prototype (so hostile keys such as `__proto__` or
 * `constructor` are plain data), caps nesting depth, and never throws: malformed input comes
 * back as a typed `malformed` error naming the offset. Pure.
 */

/** A JSON number kept as its exact source text (e.g. `"0.10000000"`, `"13837388398563500000"`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A decoded JSON object: own keys only, no prototype. */
export interface JsonObject {
  readonly [key: string]: Json;
}

/** A decoded JSON value; numbers stay text (`JsonNumber`). */
export type Json = null | boolean | string | JsonNumber | readonly Json[] | JsonObject;

/** Why a message could not be turned into a value: where (`path`) and what was wrong. */
export interface Malformed {
  readonly kind: 'malformed';
  /** Where the problem is: `$` for the document, `$.result.XXBTZUSD[3][1]` for a field. */
  readonly path: string;
  readonly detail: string;
}

/** The outcome of every decoder and parser in this adapter: a value or a `Malformed` error. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Malformed };

/** Deepest nesting accepted; Kraken messages nest at most ~6 levels. */
export const MAX_JSON_DEPTH = 64;
/** Largest message accepted, in UTF-16 code units (a 1000-level book snapshot is ~100 kB). */
export const MAX_JSON_LENGTH = 8 * 1024 * 1024;

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** True when `value` is a decoded JSON object (not an array, number or null). */
export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/**
 * Decodes JSON text. Returns `{ ok: false, error: { kind: 'malformed', path: '$', detail } }` for
 * empty, truncated, oversized, too deeply nested or otherwise invalid text. Never throws.
 */
export function decodeJson(text: string): Parsed<Json> {
  if (typeof text !== 'string') return bad('input is not a string');
  if (text.length > MAX_JSON_LENGTH) return bad(`message of ${text.length} characters exceeds the ${MAX_JSON_LENGTH} limit`);
  const p = new Decoder(text);
  const value = p.value(0);
  if (p.error !== null) return bad(p.error);
  p.ws();
  if (p.i !== text.length) return bad(`unexpected ${describe(text, p.i)} after the JSON value`);
  return { ok: true, value: value as Json };
}

function bad(detail: string): Parsed<never> {
  return { ok: false, error: { kind: 'malformed', path: '$', detail } };
}

function describe(text: string, i: number): string {
  if (i >= text.length) return 'end of input';
  return `${JSON.stringify(text.slice(i, i + 12))} at offset ${i}`;
}

class Decoder {
  i = 0;
  error: string | null = null;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  fail(what: string): undefined {
    if (this.error === null) this.error = `${what}, found ${describe(this.s, this.i)}`;
    return undefined;
  }

  value(depth: number): Json | undefined {
    if (depth > MAX_JSON_DEPTH) return this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.ws();
    const s = this.s;
    const c = s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail('expected a JSON value');
    }
  }

  literal(word: string, value: Json): Json | undefined {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return value;
    }
    return this.fail(`expected ${word}`);
  }

  number(): Json | undefined {
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(this.s);
    if (m === null) return this.fail('expected a number');
    this.i += m[0].length;
    return new JsonNumber(m[0]);
  }

  string(): string | undefined {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let start = this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) return this.fail('unescaped control character in a string');
      if (c === 0x5c) {
        out += s.slice(start, this.i);
        const e = s[this.i + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = s.slice(this.i + 2, this.i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            return this.fail('invalid escape in a string');
        }
        this.i += 2;
        start = this.i;
        continue;
      }
      this.i++;
    }
    return this.fail('unterminated string');
  }

  array(depth: number): Json[] | undefined {
    this.i++; // [
    const out: Json[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return out;
      }
      return this.fail("expected ',' or ']' in an array");
    }
  }

  object(depth: number): JsonObject | undefined {
    this.i++; // {
    const out = Object.create(null) as Record<string, Json>;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') return this.fail('expected a string key in an object');
      const key = this.string();
      if (key === undefined) return undefined;
      this.ws();
      if (this.s[this.i] !== ':') return this.fail("expected ':' after an object key");
      this.i++;
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      out[key] = v; // null prototype: '__proto__' is an ordinary key here
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return out;
      }
      return this.fail("expected ',' or '}' in an object");
    }
  }
}
