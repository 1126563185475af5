/**
 * Exponential moving average, seeded with the simple average of the first `period` values
 * (StockCharts ChartSchool and TA-Lib convention):
 *
 *   EMA[period-1] = mean(x[0..period-1])
 *   EMA[t]        = EMA[t-1] + k · (x[t] − EMA[t-1]),   k = 2 / (period + 1)
 *
 * Warm-up: `period` values. Pure float64 arithmetic.
 */
import { checkPeriod, notFinite, outputArray, type Indicator } from './indicator.ts';

/** Streaming EMA over plain numbers (e.g. closes). See the module doc for the formula. */
export class Ema implements Indicator<number, number> {
  readonly warmUp: number;
  readonly period: number;
  private readonly k: number;
  private count = 0;
  private sum = 0;
  private ema = Number.NaN;

  /** Throws `IndicatorError` unless `period` is an integer ≥ 1. */
  constructor(period: number) {
    this.period = checkPeriod('Ema', 'period', period);
    this.warmUp = period;
    this.k = 2 / (period + 1);
  }

  /** Adds one value; throws `IndicatorError` on NaN/±Infinity without changing state. */
  update(x: number): void {
    if (x - x !== 0) notFinite('Ema', 'value', x);
    if (this.count >= this.period) {
      this.ema += this.k * (x - this.ema);
      return;
    }
    this.sum += x;
    this.count++;
    if (this.count === this.period) this.ema = this.sum / this.period;
  }

  /** The current EMA, NaN before `warmUp` values. */
  value(): number {
    return this.ema;
  }

  isReady(): boolean {
    return this.count >= this.period;
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.ema = Number.NaN;
  }
}

/**
 * EMA of every prefix of `values`: element i is the EMA after values[0..i], NaN for i < period−1.
 * Writes into `out` when given (same length), else allocates. Throws `IndicatorError` on a bad
 * period or on any NaN/±Infinity input (naming its index). Pure apart from writing `out`.
 */
export function emaSeries(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('emaSeries', 'period', period);
  const result = outputArray('emaSeries', values.length, out);
  emaInto('emaSeries', values, 0, period, result);
  return result;
}

/**
 * Internal: EMA over values[start..] into out[start..] (NaN for the warm-up slots), identical
 * arithmetic to `Ema`. Validates every value it reads.
 */
export function emaInto(where: string, values: Float64Array, start: number, period: number, out: Float64Array): void {
  const n = values.length;
  const seedEnd = Math.min(n, start + period);
  let sum = 0;
  for (let i = start; i < seedEnd; i++) {
    const x = values[i]!;
    if (x - x !== 0) notFinite(where, 'value', x, i);
    sum += x;
    out[i] = Number.NaN;
  }
  if (seedEnd - start < period) return;
  let ema = sum / period;
  out[seedEnd - 1] = ema;
  const k = 2 / (period + 1);
  for (let i = seedEnd; i < n; i++) {
    const x = values[i]!;
    if (x - x !== 0) notFinite(where, 'value', x, i);
    ema += k * (x - ema);
    out[i] = ema;
  }
}
