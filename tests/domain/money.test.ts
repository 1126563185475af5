import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../../domain/money/index.ts';
import { runs } from '../support/runs.ts';

describe('money (Fixed)', () => {
  it('parses the decimal forms Kraken sends', () => {
    expect(F.toString(F.fromString('123.4500'))).toBe('123.45');
    expect(F.toString(F.fromString('-0.1'))).toBe('-0.1');
    expect(F.toString(F.fromString('1e-7'))).toBe('0.0000001');
    expect(F.toString(F.fromString('.5'))).toBe('0.5');
    expect(F.toString(F.fromString('30000'))).toBe('30000');
    expect(F.toString(F.fromNumber(0.1))).toBe('0.1');
    expect(F.fromNumber(0.1) + F.fromNumber(0.2)).toBe(F.fromString('0.3'));
  });

  it('rejects malformed and non-finite input with a reason', () => {
    for (const bad of ['', 'abc', '1.2.3', '--1', 'NaN', '1e', '.']) {
      expect(() => F.fromString(bad), bad).toThrow(F.FixedError);
    }
    expect(() => F.fromNumber(Number.NaN)).toThrow(/finite/);
    expect(() => F.div(F.ONE, 0n)).toThrow(/division by zero/);
  });

  it('rounds half-even and by explicit mode', () => {
    expect(F.toFixed(F.fromString('2.345'), 2)).toBe('2.34');
    expect(F.toFixed(F.fromString('2.355'), 2)).toBe('2.36');
    expect(F.toString(F.round(F.fromString('0.123456789'), 8, 'floor'))).toBe('0.12345678');
    expect(F.toString(F.round(F.fromString('-1.5'), 0, 'floor'))).toBe('-2');
    expect(F.toString(F.round(F.fromString('1.1'), 0, 'ceil'))).toBe('2');
    expect(F.toString(F.mul(F.fromString('0.5'), F.fromString('30000.1')))).toBe('15000.05');
    expect(F.toString(F.div(F.ONE, F.fromString('3')))).toBe('0.333333333333333333');
  });

  it('round-trips through its canonical text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (v) => F.fromString(F.toString(v)) === v),
      { numRuns: runs(1000) },
    );
  });

  it('keeps sums exact where floats drift', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 200 }), (cents) => {
        const total = F.sum(cents.map((c) => F.fromString(`${c}e-2`)));
        return F.toString(total) === F.toString(F.fromString(`${cents.reduce((a, b) => a + b, 0)}e-2`));
      }),
      { numRuns: runs(1000) },
    );
  });
});
