import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCandleRow, formatDecimal, parseDecimal, parseInteger } from '../../../adapters/market-data/index.ts';
import { PROPERTY_TIMEOUT } from '../../domain/market/arbitraries.ts';
import { runs } from '../../support/runs.ts';

describe('decimals', () => {
  it('parses decimal text strictly', () => {
    expect(parseDecimal('46216.93')).toBe(46216.93);
    expect(parseDecimal('3500.0')).toBe(3500);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('-0.5')).toBe(-0.5);
    expect(parseDecimal('1e-8')).toBe(1e-8);
    for (const bad of ['', ' ', '0x10', 'Infinity', 'NaN', '1,5', '1.2.3', '1e', 'e5', '1e999']) expect(parseDecimal(bad)).toBeUndefined();
    expect(parseInteger('1640995200')).toBe(1640995200);
    for (const bad of ['', '-1', '1.0', '9007199254740993', '1e3']) expect(parseInteger(bad)).toBeUndefined();
  });

  it('writes plain decimals without exponents', () => {
    expect(formatDecimal(1e-8)).toBe('0.00000001');
    expect(formatDecimal(1.5e-7)).toBe('0.00000015');
    expect(formatDecimal(-2.5e-9)).toBe('-0.0000000025');
    expect(formatDecimal(1e21)).toBe('1000000000000000000000');
    expect(formatDecimal(1.234e22)).toBe('12340000000000000000000');
    expect(formatDecimal(46216.93)).toBe('46216.93');
    expect(formatDecimal(0)).toBe('0');
    expect(() => formatDecimal(Number.NaN)).toThrow(/non-finite/);
  });

  it('property: formatDecimal round-trips every finite double through parseDecimal, with no exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatDecimal(x);
        expect(text).not.toMatch(/e/i);
        expect(parseDecimal(text)).toBe(x === 0 ? 0 : x); // -0 is written as "0"
      }),
      { numRuns: runs(1000) },
    );
  }, PROPERTY_TIMEOUT);

  it('formats a candle row in unix seconds and refuses sub-second times', () => {
    expect(formatCandleRow({ tsOpen: 1640995200_000, open: 46216.93, high: 46391.49, low: 46208.37, close: 46321.34, volume: 1e-8 })).toBe(
      '1640995200,46216.93,46391.49,46208.37,46321.34,0.00000001',
    );
    expect(() => formatCandleRow({ tsOpen: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 })).toThrow(/whole second/);
  });
});
