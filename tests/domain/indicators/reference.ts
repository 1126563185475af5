/**
 * Naive reference implementations for the indicator tests: every output is recomputed from
 * scratch from the textbook definition (no running sums, no ring buffers, no shared code with
 * domain/indicators), so agreement with the fast implementations is evidence, not tautology.
 * Also: comparison helpers and fast-check generators of realistic series.
 */
import fc from 'fast-check';

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** SMA of the window ending at each index; NaN before the first full window. */
export function naiveSma(xs: readonly number[], period: number): number[] {
  return xs.map((_, i) => (i + 1 < period ? NaN : mean(xs.slice(i + 1 - period, i + 1))));
}

/** EMA of each prefix, recomputed from the start each time: SMA seed, then k = 2/(period+1). */
export function naiveEma(xs: readonly number[], period: number): number[] {
  return xs.map((_, i) => {
    if (i + 1 < period) return NaN;
    let ema = mean(xs.slice(0, period));
    for (let t = period; t <= i; t++) ema = (xs[t]! - ema) * (2 / (period + 1)) + ema;
    return ema;
  });
}

/** Wilder RSI of each prefix, recomputed from scratch with RSI = 100 − 100 / (1 + RS). */
export function naiveRsi(xs: readonly number[], period: number): number[] {
  return xs.map((_, i) => {
    if (i < period) return NaN;
    const changes = xs.slice(1, i + 1).map((x, t) => x - xs[t]!);
    const gains = changes.map((c) => Math.max(c, 0));
    const losses = changes.map((c) => Math.max(-c, 0));
    let avgGain = mean(gains.slice(0, period));
    let avgLoss = mean(losses.slice(0, period));
    for (let t = period; t < changes.length; t++) {
      avgGain = (avgGain * (period - 1) + gains[t]!) / period;
      avgLoss = (avgLoss * (period - 1) + losses[t]!) / period;
    }
    if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
    return 100 - 100 / (1 + avgGain / avgLoss);
  });
}

export interface Bar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly tsOpen: number;
}

/** Wilder ATR of each prefix, recomputed from scratch (first TR = high − low). */
export function naiveAtr(bars: readonly Bar[], period: number): number[] {
  return bars.map((_, i) => {
    if (i + 1 < period) return NaN;
    const tr = bars.slice(0, i + 1).map((b, t) =>
      t === 0
        ? b.high - b.low
        : Math.max(b.high - b.low, Math.abs(b.high - bars[t - 1]!.close), Math.abs(b.low - bars[t - 1]!.close)),
    );
    let atr = mean(tr.slice(0, period));
    for (let t = period; t < tr.length; t++) atr = (atr * (period - 1) + tr[t]!) / period;
    return atr;
  });
}

/** MACD from naive EMAs: line = EMA(fast) − EMA(slow); signal = EMA(signal) of the defined line. */
export function naiveMacd(
  xs: readonly number[],
  fast: number,
  slow: number,
  signal: number,
): { line: number[]; signal: number[]; histogram: number[] } {
  const f = naiveEma(xs, fast);
  const s = naiveEma(xs, slow);
  const line = xs.map((_, i) => (i + 1 < slow ? NaN : f[i]! - s[i]!));
  const defined = line.slice(slow - 1);
  const sig = [...new Array<number>(Math.min(slow - 1, xs.length)).fill(NaN), ...naiveEma(defined, signal)];
  return { line, signal: sig, histogram: line.map((l, i) => l - sig[i]!) };
}

/** Bollinger bands with a two-pass population standard deviation per window. */
export function naiveBollinger(
  xs: readonly number[],
  period: number,
  k: number,
): { upper: number[]; middle: number[]; lower: number[] } {
  const upper: number[] = [];
  const middle: number[] = [];
  const lower: number[] = [];
  xs.forEach((_, i) => {
    if (i + 1 < period) {
      upper.push(NaN);
      middle.push(NaN);
      lower.push(NaN);
      return;
    }
    const w = xs.slice(i + 1 - period, i + 1);
    const m = mean(w);
    const sd = Math.sqrt(mean(w.map((x) => (x - m) ** 2)));
    upper.push(m + k * sd);
    middle.push(m);
    lower.push(m - k * sd);
  });
  return { upper, middle, lower };
}

/**
 * VWAP at each bar: Σ tp·v / Σ v over the bars since the anchor (bar 0, or the first bar of the
 * same UTC session when `sessionMs` is given); NaN while that volume is 0.
 */
export function naiveVwap(bars: readonly Bar[], sessionMs?: number): number[] {
  return bars.map((b, i) => {
    let start = 0;
    if (sessionMs !== undefined) {
      const session = Math.floor(b.tsOpen / sessionMs);
      start = bars.findIndex((x) => Math.floor(x.tsOpen / sessionMs) === session);
    }
    const window = bars.slice(start, i + 1);
    const pv = window.reduce((a, x) => a + ((x.high + x.low + x.close) / 3) * x.volume, 0);
    const v = window.reduce((a, x) => a + x.volume, 0);
    return v > 0 ? pv / v : NaN;
  });
}

/** volume[i] / mean(volume[i−period … i−1]); zero baseline ⇒ +Infinity, or 1 if volume is 0 too. */
export function naiveVolumeRatio(volumes: readonly number[], period: number): number[] {
  return volumes.map((v, i) => {
    if (i < period) return NaN;
    const baseline = mean(volumes.slice(i - period, i));
    if (baseline === 0) return v > 0 ? Infinity : 1;
    return v / baseline;
  });
}

/**
 * True when a and b agree within 1e-9 relative to max(|a|, |b|, scale). `scale` is the size of
 * the quantities the value was computed from (e.g. the price level for a MACD line, which is a
 * small difference of large numbers; 100 for RSI). NaN matches only NaN; ±Infinity only itself.
 */
export function closeTo(a: number, b: number, scale = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), scale);
}

/** Index of the first pair that is not `closeTo`, or −1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, scale = 0): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (!closeTo(actual[i]!, expected[i]!, scale)) return i;
  return -1;
}

/** Index of the first pair that is not bit-identical (NaN equals NaN), or −1. */
export function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return i;
  return -1;
}

export const maxAbs = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * A price path: a log-uniform start in [1e-4, 1e6] and steps of up to ±10 % in log space, a
 * fifth of them exactly 0 (flat runs exercise RSI = 50 and zero-width Bollinger bands).
 */
export const pricePath = (maxLength = 150): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.double({ min: -4, max: 6, noNaN: true }),
      fc.array(
        fc.oneof(
          { weight: 1, arbitrary: fc.constant(0) },
          { weight: 4, arbitrary: fc.double({ min: -0.1, max: 0.1, noNaN: true }) },
        ),
        { maxLength },
      ),
    )
    .map(([exp, steps]) => {
      let logP = exp * Math.LN10;
      const out = [Math.exp(logP)];
      for (const s of steps) {
        logP += s;
        out.push(Math.exp(logP));
      }
      return out;
    });

/**
 * Arbitrary values of either sign in [−1e6, 1e6] (MACD/EMA/SMA also serve spreads and
 * oscillators). Magnitudes below 1e-9 become exactly 0: fast-check likes subnormals such as
 * 5e-324, which exercise IEEE underflow (where any two formulas legitimately disagree, e.g. an
 * RSI flipping between 0 and 50 on a 5e-324 loss) rather than the indicators.
 */
export const signedSeries = (maxLength = 150): fc.Arbitrary<number[]> =>
  fc.array(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => (Math.abs(x) < 1e-9 ? 0 : x)),
    { maxLength },
  );

/**
 * One volume: a quarter exactly 0, the rest log-uniform in [1e-8, 1e6] (Kraken volumes have 8
 * decimals; the 14 orders of magnitude put dust bars right after spikes).
 */
export const volumeValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.double({ min: -8, max: 6, noNaN: true }).map((e) => 10 ** e) },
);

/** A volume column. */
export const volumeSeries = (maxLength = 150): fc.Arbitrary<number[]> => fc.array(volumeValue, { maxLength });

/**
 * OHLCV bars around a price path: high/low spread up to 5 % beyond the close, volume as in
 * `volumeSeries`, `tsOpen` increasing by 5 minutes to 8 hours (so sessions of 1 h or 1 d are
 * sometimes skipped, sometimes shared).
 */
export const barSeries = (maxLength = 150): fc.Arbitrary<Bar[]> =>
  pricePath(maxLength).chain((closes) =>
    fc
      .tuple(
        fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { minLength: closes.length, maxLength: closes.length }),
        fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { minLength: closes.length, maxLength: closes.length }),
        fc.array(volumeValue, { minLength: closes.length, maxLength: closes.length }),
        fc.array(fc.integer({ min: 1, max: 96 }), { minLength: closes.length, maxLength: closes.length }),
        fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
      )
      .map(([up, down, volumes, gaps, t0]) => {
        let ts = t0 - (t0 % 300_000);
        return closes.map((close, i) => {
          ts += gaps[i]! * 300_000;
          return { high: close * (1 + up[i]!), low: close * (1 - down[i]!), close, volume: volumes[i]!, tsOpen: ts };
        });
      }),
  );

/** Splits bars into the parallel Float64Array columns the batch functions take. */
export function columns(bars: readonly Bar[]): {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  tsOpen: Float64Array;
} {
  return {
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume),
    tsOpen: Float64Array.from(bars, (b) => b.tsOpen),
  };
}
