/**
 * Volume ratio: how the current bar's volume compares with the mean volume of the `period` bars
 * BEFORE it.
 *
 *   ratio[t] = volume[t] / mean(volume[t−period] … volume[t−1])
 *
 * The current bar is deliberately excluded from its own baseline: a spike should be measured
 * against normal volume, not against an average it has already inflated (with the bar
 * included, a bar at 2× the baseline reads only 1.90 at period 20, and no bar can ever read more
 * than `period`). The seed strategy's "volume above 1.2× its 20-bar mean" is `ratio > 1.2` with
 * period 20.
 *
 * A zero baseline (the previous `period` bars traded nothing) gives +Infinity when the current
 * volume is positive, and 1 when it is also zero (equal to its baseline). The ratio is never
 * NaN once ready. Warm-up: `period + 1` volumes.
 *
 * Numerics: volumes span many orders of magnitude (a dust bar after a spike), so the rolling
 * baseline sum is compensated (Neumaier): when a large volume leaves the window the small ones
 * that remain are still known to ~1e-16 of themselves, not of the departed spike. The sum is
 * also recomputed from the window every `period` bars, and an all-zero window is detected
 * exactly by counting non-zero volumes.
 */
import { checkPeriod, negativeVolume, notFinite, outputArray, type Indicator } from './indicator.ts';

/** Streaming volume ratio over volumes (≥ 0). See the module doc for the definition. */
export class VolumeRatio implements Indicator<number, number> {
  readonly warmUp: number;
  readonly period: number;
  private readonly ring: Float64Array;
  private slot = 0;
  private count = 0;
  /** Compensated sum of the ring: sum + comp. */
  private sum = 0;
  private comp = 0;
  /** Non-zero volumes in the ring: an all-zero window reads as exactly 0. */
  private nonZero = 0;
  private ratio = Number.NaN;

  /** Throws `IndicatorError` unless `period` is an integer ≥ 1. */
  constructor(period: number) {
    this.period = checkPeriod('VolumeRatio', 'period', period);
    this.warmUp = period + 1;
    this.ring = new Float64Array(period);
  }

  /** Adds one bar's volume; throws `IndicatorError` on NaN/±Infinity or < 0 without changing state. */
  update(volume: number): void {
    if (volume - volume !== 0) notFinite('VolumeRatio', 'volume', volume);
    if (volume < 0) negativeVolume('VolumeRatio', volume);
    const period = this.period;
    const ring = this.ring;
    const slot = this.slot;
    if (this.count >= period) {
      this.ratio = ratioOf(volume, this.nonZero === 0 ? 0 : (this.sum + this.comp) / period);
      const old = ring[slot]!;
      if (old !== 0) {
        this.nonZero--;
        const s = this.sum;
        const t = s - old;
        this.comp += compensation(s, -old, t);
        this.sum = t;
      }
    }
    this.count++;
    ring[slot] = volume;
    if (volume !== 0) {
      this.nonZero++;
      const s = this.sum;
      const t = s + volume;
      this.comp += compensation(s, volume, t);
      this.sum = t;
    }
    if (slot + 1 === period) {
      this.slot = 0;
      let sum = 0;
      let comp = 0;
      for (let j = 0; j < period; j++) {
        const x = ring[j]!;
        const t = sum + x;
        comp += compensation(sum, x, t);
        sum = t;
      }
      this.sum = sum;
      this.comp = comp;
    } else {
      this.slot = slot + 1;
    }
  }

  /** The current ratio (≥ 0, possibly +Infinity), NaN before `warmUp` volumes. */
  value(): number {
    return this.ratio;
  }

  isReady(): boolean {
    return this.count > this.period;
  }

  reset(): void {
    this.slot = 0;
    this.count = 0;
    this.sum = 0;
    this.comp = 0;
    this.nonZero = 0;
    this.ratio = Number.NaN;
  }
}

/**
 * Volume ratio at every bar (NaN for i < period), arithmetic identical to `VolumeRatio`.
 * Writes into `out` when given, else allocates. Throws `IndicatorError` on a bad period or any
 * NaN/±Infinity/negative volume (naming its index).
 */
export function volumeRatioSeries(volume: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('volumeRatioSeries', 'period', period);
  const n = volume.length;
  const result = outputArray('volumeRatioSeries', n, out);
  let sum = 0;
  let comp = 0;
  let nonZero = 0;
  let refreshAt = period;
  for (let i = 0; i < n; i++) {
    const v = volume[i]!;
    if (v - v !== 0) notFinite('volumeRatioSeries', 'volume', v, i);
    if (v < 0) negativeVolume('volumeRatioSeries', v, i);
    if (i >= period) {
      result[i] = ratioOf(v, nonZero === 0 ? 0 : (sum + comp) / period);
      const old = volume[i - period]!;
      if (old !== 0) {
        nonZero--;
        const t = sum - old;
        comp += compensation(sum, -old, t);
        sum = t;
      }
    } else {
      result[i] = Number.NaN;
    }
    if (v !== 0) {
      nonZero++;
      const t = sum + v;
      comp += compensation(sum, v, t);
      sum = t;
    }
    if (i + 1 === refreshAt) {
      sum = 0;
      comp = 0;
      for (let j = refreshAt - period; j < refreshAt; j++) {
        const x = volume[j]!;
        const t = sum + x;
        comp += compensation(sum, x, t);
        sum = t;
      }
      refreshAt += period;
    }
  }
  return result;
}

/** The rounding error of t = fl(s + x) (Neumaier's branch of TwoSum): s + x = t + error exactly. */
function compensation(s: number, x: number, t: number): number {
  return (s >= 0 ? s : -s) >= (x >= 0 ? x : -x) ? s - t + x : x - t + s;
}

/** volume / baseline, with the zero-baseline conventions of the module doc. */
function ratioOf(volume: number, baseline: number): number {
  if (baseline > 0) return volume / baseline;
  return volume > 0 ? Number.POSITIVE_INFINITY : 1;
}
