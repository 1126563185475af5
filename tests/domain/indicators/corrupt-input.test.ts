/**
 * Corrupt data (NaN, ±Infinity, high < low, negative volume, bad session times) throws a clear
 * `IndicatorError` and never poisons state: after the throw, the indicator continues exactly as
 * if the bad input had never been offered. Invalid parameters throw at construction.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Atr,
  Bollinger,
  Ema,
  IndicatorError,
  MAX_PERIOD,
  Macd,
  Rsi,
  Sma,
  VolumeRatio,
  Vwap,
  atrSeries,
  bollingerSeries,
  emaSeries,
  macdSeries,
  rsiSeries,
  smaSeries,
  volumeRatioSeries,
  vwapSeries,
  type Indicator,
} from '../../../domain/indicators/index.ts';
import { runs } from '../../support/runs.ts';
import { propertyTimeout } from './harness.ts';
import { barSeries, columns, firstDifference, pricePath, type Bar } from './reference.ts';

const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** Expects `fn` to throw an input-kind IndicatorError whose message matches `pattern`. */
function expectInputError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(IndicatorError);
  expect((caught as IndicatorError).kind).toBe('input');
  expect((caught as IndicatorError).message).toMatch(pattern);
}

/** Readings flattened to numbers, so object outputs compare bit for bit too. */
const flat = (v: unknown): number[] =>
  typeof v === 'number' ? [v] : Object.values(v as Record<string, number>);

/**
 * Feeds `clean`, offering `bad` before index k; checks that the bad input throws, and that every
 * reading (and readiness) equals a run that never saw it.
 */
function checkNotPoisoned<In>(
  make: () => Indicator<In, unknown>,
  clean: readonly In[],
  k: number,
  bad: In,
  pattern: RegExp,
): void {
  const reference = make();
  const expected = clean.map((x) => {
    reference.update(x);
    return [...flat(reference.value()), reference.isReady() ? 1 : 0];
  });
  const subject = make();
  const actual: number[][] = [];
  clean.forEach((x, i) => {
    if (i === k) expectInputError(() => subject.update(bad), pattern);
    subject.update(x);
    actual.push([...flat(subject.value()), subject.isReady() ? 1 : 0]);
  });
  if (k >= clean.length) expectInputError(() => subject.update(bad), pattern);
  expect(firstDifference(actual.flat(), expected.flat())).toBe(-1);
}

const numberIndicators: ReadonlyArray<readonly [string, () => Indicator<number, unknown>]> = [
  ['Ema', () => new Ema(5)],
  ['Sma', () => new Sma(5)],
  ['Rsi', () => new Rsi(5)],
  ['Macd', () => new Macd({ fast: 3, slow: 6, signal: 4 })],
  ['Bollinger', () => new Bollinger({ period: 5, k: 2 })],
  ['VolumeRatio', () => new VolumeRatio(5)],
];

describe('non-finite values throw and do not poison state', () => {
  for (const [name, make] of numberIndicators) {
    it(name, { timeout: propertyTimeout }, () => {
      fc.assert(
        fc.property(pricePath(40), fc.nat(), nonFinite, (xs, at, bad) => {
          const k = at % (xs.length + 1);
          checkNotPoisoned(make, xs, k, bad, new RegExp(`^${name}: (value|volume) must be a finite number, got (NaN|-?Infinity)`));
        }),
        { numRuns: runs(1000) },
      );
    });
  }

  const fields = fc.constantFrom('high', 'low', 'close', 'volume');
  const barIndicators: ReadonlyArray<readonly [string, string, () => Indicator<Bar, unknown>]> = [
    ['Atr', 'Atr', () => new Atr(5)],
    ['Vwap (cumulative)', 'Vwap', () => new Vwap()],
    ['Vwap (hourly sessions)', 'Vwap', () => new Vwap({ sessionMs: 3_600_000 })],
  ];
  for (const [label, name, make] of barIndicators) {
    it(label, { timeout: propertyTimeout }, () => {
      fc.assert(
        fc.property(barSeries(40), fc.nat(), fields, nonFinite, (bars, at, field, bad) => {
          if (name === 'Atr' && field === 'volume') return; // ATR does not read volume
          const k = at % (bars.length + 1);
          const template = bars[Math.min(k, bars.length - 1)]!;
          const corrupt = { ...template, [field]: bad };
          checkNotPoisoned(make, bars, k, corrupt, new RegExp(`^${name}: ${field} must be a finite number`));
        }),
        { numRuns: runs(1000) },
      );
    });
  }
});

describe('other corrupt bars throw and do not poison state', () => {
  it('high < low (ATR, VWAP)', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(40), fc.nat(), (bars, at) => {
        const k = at % (bars.length + 1);
        const bad = { high: 1, low: 2, close: 1.5, volume: 1, tsOpen: bars[bars.length - 1]!.tsOpen };
        checkNotPoisoned<Bar>(() => new Atr(4), bars, k, bad, /^Atr: high \(1\) is below low \(2\)/);
        checkNotPoisoned<Bar>(() => new Vwap(), bars, k, bad, /^Vwap: high \(1\) is below low \(2\)/);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('negative volume (VWAP, volume ratio)', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(40), fc.nat(), fc.double({ min: -1e6, max: -1e-12, noNaN: true }), (bars, at, v) => {
        const k = at % (bars.length + 1);
        checkNotPoisoned<Bar>(() => new Vwap(), bars, k, { ...bars[0]!, volume: v }, /^Vwap: volume must be >= 0/);
        const volumes = bars.map((b) => b.volume);
        checkNotPoisoned(() => new VolumeRatio(3), volumes, k, v, /^VolumeRatio: volume must be >= 0/);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('session VWAP: missing, fractional or backwards tsOpen', () => {
    const bar = { high: 2, low: 1, close: 1.5, volume: 10 };
    const vwap = new Vwap({ sessionMs: 3_600_000 });
    expectInputError(() => vwap.update(bar), /^Vwap: tsOpen must be an integer ms timestamp when sessionMs is set, got undefined/);
    expectInputError(() => vwap.update({ ...bar, tsOpen: 1.5 }), /got 1\.5/);
    vwap.update({ ...bar, tsOpen: 7_500_000 }); // session floor(7.5e6 / 3.6e6) = 2
    expectInputError(() => vwap.update({ ...bar, tsOpen: 3_599_999 }), /earlier session than the previous bar/);
    // Same session 2, earlier time: allowed (only the session order matters to the anchor).
    vwap.update({ ...bar, high: 4, low: 4, close: 4, tsOpen: 7_300_000 });
    // Σ tp·v / Σ v = (1.5·10 + 4·10) / 20 = 2.75: the rejected bars left no trace.
    expect(vwap.value()).toBe(2.75);
  });

  it('RSI: a change that overflows float64 is rejected', () => {
    const rsi = new Rsi(2);
    rsi.update(1.7e308);
    expectInputError(() => rsi.update(-1.7e308), /overflows float64/);
  });
});

describe('batch functions name the index of the corrupt value', () => {
  it('single-series functions', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(pricePath(40), fc.nat(), nonFinite, (xs, at, bad) => {
        const k = at % xs.length;
        const values = Float64Array.from(xs);
        values[k] = bad;
        const atIndexK = new RegExp(`value at index ${k} must be a finite number`);
        expectInputError(() => emaSeries(values, 3), atIndexK);
        expectInputError(() => smaSeries(values, 3), atIndexK);
        expectInputError(() => macdSeries(values, { fast: 2, slow: 3, signal: 2 }), atIndexK);
        expectInputError(() => bollingerSeries(values, { period: 3 }), atIndexK);
        // RSI checks each change, so a bad value is still reported at its own index.
        expectInputError(() => rsiSeries(values, 3), atIndexK);
        expectInputError(() => volumeRatioSeries(values, 3), new RegExp(`volume at index ${k} must be a finite number`));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('bar functions', { timeout: propertyTimeout }, () => {
    fc.assert(
      fc.property(barSeries(40), fc.nat(), nonFinite, fc.constantFrom('high', 'low', 'close', 'volume'), (bars, at, bad, field) => {
        const k = at % bars.length;
        const c = columns(bars);
        c[field][k] = bad;
        const pattern = new RegExp(`${field} at index ${k} must be a finite number`);
        if (field !== 'volume') expectInputError(() => atrSeries(c.high, c.low, c.close, 3), pattern);
        expectInputError(() => vwapSeries(c.high, c.low, c.close, c.volume), pattern);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('bar functions reject high < low, negative volume and backwards sessions', () => {
    const c = columns(
      [0, 1, 2].map((i) => ({ high: 2, low: 1, close: 1.5, volume: 1, tsOpen: i * 3_600_000 })),
    );
    c.low[1] = 3;
    expectInputError(() => atrSeries(c.high, c.low, c.close, 2), /high at index 1 \(2\) is below low \(3\)/);
    expectInputError(() => vwapSeries(c.high, c.low, c.close, c.volume), /high at index 1 \(2\) is below low \(3\)/);
    c.low[1] = 1;
    c.volume[2] = -5;
    expectInputError(() => vwapSeries(c.high, c.low, c.close, c.volume), /volume at index 2 must be >= 0, got -5/);
    c.volume[2] = 1;
    c.tsOpen[2] = 0;
    expectInputError(
      () => vwapSeries(c.high, c.low, c.close, c.volume, { tsOpen: c.tsOpen, sessionMs: 3_600_000 }),
      /tsOpen at index 2 \(0\) belongs to an earlier session/,
    );
  });
});

describe('invalid parameters throw at construction', () => {
  /** Expects a parameter-kind IndicatorError whose message matches `pattern`. */
  function expectParameterError(fn: () => unknown, pattern: RegExp): void {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IndicatorError);
    expect((caught as IndicatorError).kind).toBe('parameter');
    expect((caught as IndicatorError).message).toMatch(pattern);
  }

  it('periods must be integers in [1, MAX_PERIOD]', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_PERIOD + 1]) {
      const pattern = new RegExp(`period must be an integer in \\[1, ${MAX_PERIOD}\\], got ${String(bad)}`);
      expectParameterError(() => new Ema(bad), pattern);
      expectParameterError(() => new Sma(bad), pattern);
      expectParameterError(() => new Rsi(bad), pattern);
      expectParameterError(() => new Atr(bad), pattern);
      expectParameterError(() => new VolumeRatio(bad), pattern);
      expectParameterError(() => new Bollinger({ period: bad }), pattern);
      expectParameterError(() => emaSeries(new Float64Array(3), bad), pattern);
      expectParameterError(() => smaSeries(new Float64Array(3), bad), pattern);
      expectParameterError(() => rsiSeries(new Float64Array(3), bad), pattern);
      expectParameterError(() => volumeRatioSeries(new Float64Array(3), bad), pattern);
    }
  });

  it('MACD needs fast < slow', () => {
    expectParameterError(() => new Macd({ fast: 26, slow: 12 }), /^Macd: fast \(26\) must be smaller than slow \(12\)$/);
    expectParameterError(() => macdSeries(new Float64Array(3), { fast: 5, slow: 5 }), /fast \(5\) must be smaller than slow \(5\)/);
    expectParameterError(() => new Macd({ signal: 0 }), /^Macd: signal must be an integer/);
  });

  it('Bollinger k must be finite and ≥ 0', () => {
    for (const k of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectParameterError(() => new Bollinger({ k }), new RegExp(`^Bollinger: k must be a finite number >= 0, got ${String(k)}$`));
    }
  });

  it('VWAP sessionMs must be a positive integer', () => {
    for (const sessionMs of [0, -60_000, 1.5, Number.NaN]) {
      expectParameterError(() => new Vwap({ sessionMs }), /^Vwap: sessionMs must be a positive integer number of ms/);
    }
  });

  it('batch columns and `out` must have matching lengths', () => {
    const a = new Float64Array(3);
    expectParameterError(() => atrSeries(a, a, new Float64Array(2), 2), /close has length 2 but high has length 3/);
    expectParameterError(() => emaSeries(a, 2, new Float64Array(4)), /out has length 4 but the input has length 3/);
    expectParameterError(
      () => vwapSeries(a, a, a, a, { tsOpen: new Float64Array(1), sessionMs: 60_000 }),
      /tsOpen has length 1 but high has length 3/,
    );
    const b = new Float64Array(3);
    expectParameterError(
      () => macdSeries(a, {}, { line: a, signal: a, histogram: b }),
      /out\.line, out\.signal and out\.histogram must be distinct arrays/,
    );
    expectParameterError(
      () => bollingerSeries(a, {}, { upper: a, middle: b, lower: new Float64Array(2) }),
      /out has length 2 but the input has length 3/,
    );
  });
});
