/**
 * Bollinger Bands (John Bollinger; StockCharts ChartSchool "Bollinger Bands"):
 *
 *   middle = SMA(period) of x
 *   σ      = POPULATION standard deviation of the same `period` values (divide by period, not
 *            period − 1; StockCharts and TradingView both use the population form)
 *   upper  = middle + k · σ,   lower = middle − k · σ
 *
 * Defaults period 20, k 2. Warm-up: `period` values. Always upper ≥ middle ≥ lower.
 *
 * Numerics: running sums of (x − shift) and (x − shift)² over a ring buffer, where `shift` is
 * re-set to a value of the window and both sums are recomputed from the buffer every `period`
 * updates. Shifting avoids the cancellation of the textbook Σx² − (Σx)²/n at large prices with
 * small spread; the refresh stops rounding error from accumulating beyond one window; and when
 * the variance has become tiny next to the terms it was computed from (a window gone flat after
 * a move), it is recomputed two-pass from the window, so σ stays accurate to ~1e-9 of itself.
 */
import { IndicatorError, checkPeriod, notFinite, outputArray, type Indicator } from './indicator.ts';

/** Bollinger parameters: window length in values, and band width in standard deviations. */
export interface BollingerParams {
  readonly period: number;
  readonly k: number;
}

/** The classic 20 / 2. */
export const BOLLINGER_DEFAULTS: BollingerParams = Object.freeze({ period: 20, k: 2 });

/** One Bollinger reading; all NaN during warm-up. */
export interface BollingerValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/** Bollinger output columns, each as long as the input; NaN for i < period−1. */
export interface BollingerSeries {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Streaming Bollinger Bands over plain numbers. See the module doc for the formulas. */
export class Bollinger implements Indicator<number, BollingerValue> {
  readonly warmUp: number;
  readonly params: BollingerParams;
  private readonly ring: Float64Array;
  /** Next slot to write; once full, also the oldest value's slot. */
  private slot = 0;
  private count = 0;
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  /** Σ of every squared term added to or removed from s2 since the last refresh (error scale). */
  private mag = 0;

  /** Throws `IndicatorError` unless period is an integer ≥ 1 and k is finite and ≥ 0. */
  constructor(params: Partial<BollingerParams> = {}) {
    const p = checkBollingerParams('Bollinger', params);
    this.params = p;
    this.warmUp = p.period;
    this.ring = new Float64Array(p.period);
  }

  /** Adds one value; throws `IndicatorError` on NaN/±Infinity without changing state. */
  update(x: number): void {
    if (x - x !== 0) notFinite('Bollinger', 'value', x);
    const period = this.params.period;
    const ring = this.ring;
    const slot = this.slot;
    if (this.count === 0) this.shift = x;
    const d = x - this.shift;
    if (this.count < period) {
      this.count++;
      this.s1 += d;
      this.s2 += d * d;
      this.mag += d * d;
    } else {
      const old = ring[slot]! - this.shift;
      this.s1 += d - old;
      this.s2 += d * d - old * old;
      this.mag += d * d + old * old;
    }
    ring[slot] = x;
    if (slot + 1 === period) {
      // Re-centre on the newest value (an exact window member, so a constant window gives
      // exactly zero sums) and recompute both sums from the window.
      this.slot = 0;
      const shift = x;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < period; j++) {
        const e = ring[j]! - shift;
        s1 += e;
        s2 += e * e;
      }
      this.shift = shift;
      this.s1 = s1;
      this.s2 = s2;
      this.mag = s2;
    } else {
      this.slot = slot + 1;
    }
  }

  /** The current bands (a new small object per call; `update` itself allocates nothing). */
  value(): BollingerValue {
    const { period, k } = this.params;
    if (this.count < period) return { upper: Number.NaN, middle: Number.NaN, lower: Number.NaN };
    let middle: number;
    let variance: number;
    const m2 = this.s2 - (this.s1 * this.s1) / period;
    if (m2 < this.mag * period * GUARD) {
      // The running sums may have lost the variance to cancellation: recompute exactly, oldest
      // value first (the order the batch function uses).
      const ring = this.ring;
      const oldest = this.slot;
      let sum = 0;
      for (let j = oldest; j < period; j++) sum += ring[j]!;
      for (let j = 0; j < oldest; j++) sum += ring[j]!;
      middle = sum / period;
      let sq = 0;
      for (let j = oldest; j < period; j++) sq += (ring[j]! - middle) ** 2;
      for (let j = 0; j < oldest; j++) sq += (ring[j]! - middle) ** 2;
      variance = sq / period;
    } else {
      middle = this.shift + this.s1 / period;
      variance = m2 / period;
    }
    const width = k * (variance > 0 ? Math.sqrt(variance) : 0);
    return { upper: middle + width, middle, lower: middle - width };
  }

  isReady(): boolean {
    return this.count >= this.params.period;
  }

  reset(): void {
    this.slot = 0;
    this.count = 0;
    this.shift = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.mag = 0;
  }
}

/**
 * When the running M2 falls below period · 2⁻²⁰ of the magnitude it was accumulated from, its
 * rounding error (≲ 4 · period · ε · magnitude) could exceed ~1e-9 of it, so the window is
 * recomputed two-pass instead. Rare in practice: a window that went flat after a move.
 */
const GUARD = 2 ** -20;

/**
 * Bollinger Bands of every prefix of `values`, arithmetic identical to `Bollinger`. Writes into
 * `out` when given (three distinct arrays of the input's length; `out` itself is returned), else
 * allocates three arrays. Throws `IndicatorError` on bad parameters, a bad `out`, or any
 * NaN/±Infinity input (naming its index).
 */
export function bollingerSeries(
  values: Float64Array,
  params: Partial<BollingerParams> = {},
  out?: BollingerSeries,
): BollingerSeries {
  const { period, k } = checkBollingerParams('bollingerSeries', params);
  const n = values.length;
  const upper = outputArray('bollingerSeries', n, out?.upper);
  const middle = outputArray('bollingerSeries', n, out?.middle);
  const lower = outputArray('bollingerSeries', n, out?.lower);
  if (upper === middle || upper === lower || middle === lower) {
    throw new IndicatorError(
      'parameter',
      'bollingerSeries: out.upper, out.middle and out.lower must be distinct arrays',
    );
  }
  let shift = n > 0 ? values[0]! : 0;
  let s1 = 0;
  let s2 = 0;
  let mag = 0;
  let refreshAt = period;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x - x !== 0) notFinite('bollingerSeries', 'value', x, i);
    const d = x - shift;
    if (i < period) {
      s1 += d;
      s2 += d * d;
      mag += d * d;
    } else {
      const old = values[i - period]! - shift;
      s1 += d - old;
      s2 += d * d - old * old;
      mag += d * d + old * old;
    }
    if (i + 1 === refreshAt) {
      shift = x;
      s1 = 0;
      s2 = 0;
      for (let j = refreshAt - period; j < refreshAt; j++) {
        const e = values[j]! - shift;
        s1 += e;
        s2 += e * e;
      }
      mag = s2;
      refreshAt += period;
    }
    if (i + 1 < period) {
      upper[i] = Number.NaN;
      middle[i] = Number.NaN;
      lower[i] = Number.NaN;
      continue;
    }
    let mid: number;
    let variance: number;
    const m2 = s2 - (s1 * s1) / period;
    if (m2 < mag * period * GUARD) {
      const from = i + 1 - period;
      let sum = 0;
      for (let j = from; j <= i; j++) sum += values[j]!;
      mid = sum / period;
      let sq = 0;
      for (let j = from; j <= i; j++) sq += (values[j]! - mid) ** 2;
      variance = sq / period;
    } else {
      mid = shift + s1 / period;
      variance = m2 / period;
    }
    const width = k * (variance > 0 ? Math.sqrt(variance) : 0);
    upper[i] = mid + width;
    middle[i] = mid;
    lower[i] = mid - width;
  }
  return out ?? { upper, middle, lower };
}

function checkBollingerParams(where: string, params: Partial<BollingerParams>): BollingerParams {
  const period = checkPeriod(where, 'period', params.period ?? BOLLINGER_DEFAULTS.period);
  const k = params.k ?? BOLLINGER_DEFAULTS.k;
  if (!Number.isFinite(k) || k < 0) {
    throw new IndicatorError('parameter', `${where}: k must be a finite number >= 0, got ${String(k)}`);
  }
  return Object.freeze({ period, k });
}
