import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumber, decodeJson, type Json } from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';

/** Converts decoded JSON back to plain values (numbers via Number) for comparison. */
function plain(v: Json): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x as Json)]));
  return v;
}

describe('lossless JSON decoding', () => {
  it('keeps numbers as their exact text (trailing zeros, ids above 2^53)', () => {
    const r = decodeJson('{"qty":0.10000000,"id":13837388398563500000,"n":-1.5e-7}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const o = r.value as Record<string, JsonNumber>;
    expect(o['qty']!.text).toBe('0.10000000');
    expect(o['id']!.text).toBe('13837388398563500000');
    expect(o['n']!.text).toBe('-1.5e-7');
  });

  it('treats __proto__ and constructor as plain keys (no prototype pollution)', () => {
    const r = decodeJson('{"__proto__":{"polluted":true},"constructor":1}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.value)).toBeNull();
    expect(Object.keys(r.value as object)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['', /expected a JSON value/],
    ['{"a":1', /expected ',' or '}'/],
    ['[1,2', /expected ',' or ']'/],
    ['{"a":01}', /expected ',' or '}'/],
    ['{"a":NaN}', /expected a JSON value/],
    ['{"a":Infinity}', /expected a JSON value/],
    ['{"a":.5}', /expected a JSON value/],
    ['"\\x"', /invalid escape/],
    ['"abc', /unterminated string/],
    ['{"a":1} x', /after the JSON value/],
    ['{a:1}', /string key/],
    ['"\u0001"', /control character/],
  ])('rejects %j with a typed error', (text, detail) => {
    const r = decodeJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('malformed');
    expect(r.error.path).toBe('$');
    expect(r.error.detail).toMatch(detail);
  });

  it('caps nesting depth instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = decodeJson(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.detail).toMatch(/nesting deeper than 64/);
    expect(decodeJson('['.repeat(60) + ']'.repeat(60)).ok).toBe(true);
  });

  it('property: decodes whatever JSON.stringify produces, to the same structure', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const r = decodeJson(JSON.stringify(value));
        expect(r.ok).toBe(true);
        if (r.ok) expect(plain(r.value)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('property: agrees with JSON.parse on validity and never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const r = decodeJson(text);
        expect(r.ok).toBe(valid);
      }),
      { numRuns: runs(1000) },
    );
  });
});
