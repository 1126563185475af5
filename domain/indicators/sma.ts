/**
 * Simple moving average: SMA[t] = (x[t−period+1] + … + x[t]) / period.
 *
 * Warm-up: `period` values. Kept as a running sum over a ring buffer; every `period` updates the
 * sum is recomputed from the buffer, so rounding error never accumulates beyond one window.
 */
import { checkPeriod, notFinite, outputArray, type Indicator } from './indicator.ts';

/** Streaming SMA over plain numbers. See the module doc for the formula. */
export class Sma implements Indicator<number, number> {
  readonly warmUp: number;
  readonly period: number;
  private readonly ring: Float64Array;
  private slot = 0;
  private count = 0;
  private sum = 0;

  /** Throws `IndicatorError` unless `period` is an integer ≥ 1. */
  constructor(period: number) {
    this.period = checkPeriod('Sma', 'period', period);
    this.warmUp = period;
    this.ring = new Float64Array(period);
  }

  /** Adds one value; throws `IndicatorError` on NaN/±Infinity without changing state. */
  update(x: number): void {
    if (x - x !== 0) notFinite('Sma', 'value', x);
    const ring = this.ring;
    const slot = this.slot;
    if (this.count < this.period) this.count++;
    else this.sum -= ring[slot]!;
    ring[slot] = x;
    this.sum += x;
    if (slot + 1 === this.period) {
      this.slot = 0;
      this.sum = windowSum(ring, 0, this.period);
    } else {
      this.slot = slot + 1;
    }
  }

  /** The current SMA, NaN before `warmUp` values. */
  value(): number {
    return this.count === this.period ? this.sum / this.period : Number.NaN;
  }

  isReady(): boolean {
    return this.count === this.period;
  }

  reset(): void {
    this.slot = 0;
    this.count = 0;
    this.sum = 0;
  }
}

/**
 * SMA of every prefix of `values` (NaN for i < period−1), arithmetic identical to `Sma`.
 * Writes into `out` when given (same length), else allocates. Throws `IndicatorError` on a bad
 * period or on any NaN/±Infinity input (naming its index).
 */
export function smaSeries(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('smaSeries', 'period', period);
  const n = values.length;
  const result = outputArray('smaSeries', n, out);
  let sum = 0;
  // The ring buffer of `Sma` wraps after every `period` values; refresh at the same points.
  let refreshAt = period;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x - x !== 0) notFinite('smaSeries', 'value', x, i);
    if (i >= period) sum -= values[i - period]!;
    sum += x;
    if (i + 1 === refreshAt) {
      sum = windowSum(values, refreshAt - period, refreshAt);
      refreshAt += period;
    }
    result[i] = i + 1 >= period ? sum / period : Number.NaN;
  }
  return result;
}

/** Internal: values[from] + … + values[to−1], summed left to right. */
export function windowSum(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum;
}
