/**
 * Relative Strength Index with Wilder's smoothing (J. Welles Wilder, "New Concepts in Technical
 * Trading Systems", 1978; StockCharts ChartSchool "Relative Strength Index (RSI)"):
 *
 *   change[t] = x[t] − x[t−1];  gain = max(change, 0);  loss = max(−change, 0)
 *   first averages (after `period` changes) = simple means of the first `period` gains/losses
 *   then avgGain = (avgGain · (period − 1) + gain) / period   (same for loss),
 *        computed as avgGain + (gain − avgGain) · (1/period): the same value up to rounding, with
 *        a multiply instead of a divide on the loop-carried chain (≈ 2× faster)
 *   RSI = 100 − 100 / (1 + avgGain/avgLoss) = 100 · avgGain / (avgGain + avgLoss)
 *
 * When both averages are 0 (a flat series) RSI is 50 by this module's convention (libraries
 * differ: TA-Lib gives 0, TradingView 100). The value is always in [0, 100].
 * Warm-up: `period + 1` values (`period` changes).
 */
import { IndicatorError, checkPeriod, notFinite, outputArray, type Indicator } from './indicator.ts';

/** Streaming Wilder RSI over plain numbers (e.g. closes). See the module doc for the formula. */
export class Rsi implements Indicator<number, number> {
  readonly warmUp: number;
  readonly period: number;
  private readonly inv: number;
  private count = 0;
  private prev = 0;
  private sumGain = 0;
  private sumLoss = 0;
  private avgGain = 0;
  private avgLoss = 0;

  /** Throws `IndicatorError` unless `period` is an integer ≥ 1. */
  constructor(period: number) {
    this.period = checkPeriod('Rsi', 'period', period);
    this.warmUp = period + 1;
    this.inv = 1 / period;
  }

  /** Adds one value; throws `IndicatorError` on NaN/±Infinity without changing state. */
  update(x: number): void {
    if (this.count === 0) {
      if (x - x !== 0) notFinite('Rsi', 'value', x);
      this.prev = x;
      this.count = 1;
      return;
    }
    const change = x - this.prev;
    const size = Math.abs(change);
    const twice = size + size;
    if (twice - twice !== 0) badChange('Rsi', x, this.prev);
    const gain = (size + change) * 0.5;
    const loss = (size - change) * 0.5;
    const period = this.period;
    if (this.count > period) {
      this.avgGain += (gain - this.avgGain) * this.inv;
      this.avgLoss += (loss - this.avgLoss) * this.inv;
    } else {
      this.sumGain += gain;
      this.sumLoss += loss;
      if (this.count === period) {
        this.avgGain = this.sumGain / period;
        this.avgLoss = this.sumLoss / period;
      }
    }
    this.count++;
    this.prev = x;
  }

  /** The current RSI in [0, 100], NaN before `warmUp` values. */
  value(): number {
    return this.count > this.period ? rsiFrom(this.avgGain, this.avgLoss) : Number.NaN;
  }

  isReady(): boolean {
    return this.count > this.period;
  }

  reset(): void {
    this.count = 0;
    this.prev = 0;
    this.sumGain = 0;
    this.sumLoss = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
  }
}

/**
 * Wilder RSI of every prefix of `values` (NaN for i < period), arithmetic identical to `Rsi`.
 * Writes into `out` when given (same length), else allocates. Throws `IndicatorError` on a bad
 * period or on any NaN/±Infinity input (naming its index).
 */
export function rsiSeries(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('rsiSeries', 'period', period);
  const n = values.length;
  const result = outputArray('rsiSeries', n, out);
  if (n === 0) return result;
  let prev = values[0]!;
  if (prev - prev !== 0) notFinite('rsiSeries', 'value', prev, 0);
  result[0] = Number.NaN;
  let sumGain = 0;
  let sumLoss = 0;
  const seedEnd = Math.min(n, period + 1);
  for (let i = 1; i < seedEnd; i++) {
    const x = values[i]!;
    const change = x - prev;
    const size = Math.abs(change);
    const twice = size + size;
    if (twice - twice !== 0) badChange('rsiSeries', x, prev, i);
    sumGain += (size + change) * 0.5;
    sumLoss += (size - change) * 0.5;
    prev = x;
    result[i] = Number.NaN;
  }
  if (n <= period) return result;
  let avgGain = sumGain / period;
  let avgLoss = sumLoss / period;
  result[period] = rsiFrom(avgGain, avgLoss);
  const inv = 1 / period;
  for (let i = period + 1; i < n; i++) {
    const x = values[i]!;
    const change = x - prev;
    const size = Math.abs(change);
    const twice = size + size;
    if (twice - twice !== 0) badChange('rsiSeries', x, prev, i);
    const gain = (size + change) * 0.5;
    const loss = (size - change) * 0.5;
    avgGain += (gain - avgGain) * inv;
    avgLoss += (loss - avgLoss) * inv;
    result[i] = rsiFrom(avgGain, avgLoss);
    prev = x;
  }
  return result;
}

/**
 * 100 · (g / (g + l)), or 50 when both are 0. Dividing first keeps the result in [0, 100] under
 * rounding: g ≤ fl(g + l) so g / fl(g + l) ≤ 1, whereas fl(100·g) / g can exceed 100 by an ulp.
 */
function rsiFrom(avgGain: number, avgLoss: number): number {
  const total = avgGain + avgLoss;
  return total === 0 ? 50 : 100 * (avgGain / total);
}

/**
 * Input error for a value that is not finite, or whose change from `prev` is too large to double
 * in float64 (|change| ≥ 2¹⁰²³ ≈ 9e307; gain and loss are computed as (|change| ± change) / 2,
 * which is exact and branch-free below that).
 */
function badChange(where: string, x: number, prev: number, index?: number): never {
  if (x - x !== 0) notFinite(where, 'value', x, index);
  const at = index === undefined ? '' : ` at index ${index}`;
  throw new IndicatorError(
    'input',
    `${where}: value${at} (${x}) minus the previous value (${prev}) overflows float64 (corrupt data)`,
  );
}
