/**
 * Gap detection on a candle series. Pure. A gap is a run of missing candles on the timeframe's
 * grid between two present ones (or between a present one and a given expected bound).
 */
import { TIMEFRAME_MS, type Candle, type Timeframe } from './candle.ts';
import { formatUtc } from './timeframe.ts';

/**
 * A run of missing candles: `fromMs` is the `tsOpen` of the first missing candle, `toMs` the
 * `tsOpen` of the next present one (exclusive end), `missing` = (toMs − fromMs) / timeframe
 * length. The last missing candle opens at `toMs − timeframe length`.
 */
export interface Gap {
  readonly fromMs: number;
  readonly toMs: number;
  readonly missing: number;
}

/** Options of `findGaps`: the range the series should cover, to report missing candles at either end too. */
export interface GapBounds {
  /** First expected `tsOpen` (ms, aligned); candles missing before the first present one count as a gap. */
  readonly fromMs?: number;
  /** Exclusive end (ms, aligned); candles missing after the last present one up to here count as a gap. */
  readonly toMs?: number;
}

/**
 * Gaps in `candles` (sorted by `tsOpen`, strictly increasing, aligned to `timeframe`), oldest
 * first. Without bounds only interior gaps are found. Throws `RangeError` on unsorted or
 * misaligned input (use `inspectCandles` for untrusted data).
 */
export function findGaps(candles: readonly Candle[], timeframe: Timeframe, bounds: GapBounds = {}): Gap[] {
  return findGapsInTimestamps(
    candles.map((c) => c.tsOpen),
    timeframe,
    bounds,
  );
}

/** `findGaps` over bare `tsOpen` values (ms), for callers that read only timestamps (status of a large series). */
export function findGapsInTimestamps(timestamps: readonly number[], timeframe: Timeframe, bounds: GapBounds = {}): Gap[] {
  const len = TIMEFRAME_MS[timeframe];
  for (const [name, value] of [['fromMs', bounds.fromMs], ['toMs', bounds.toMs]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value % len !== 0)) {
      throw new RangeError(`gap bound ${name} ${value} is not aligned to the ${timeframe} grid`);
    }
  }
  const gaps: Gap[] = [];
  const push = (fromMs: number, toMs: number): void => {
    if (toMs > fromMs) gaps.push({ fromMs, toMs, missing: (toMs - fromMs) / len });
  };
  let expectedNext = bounds.fromMs;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i]!;
    if (!Number.isSafeInteger(ts) || ts % len !== 0) {
      throw new RangeError(`timestamp #${i} ${ts} (${formatUtc(ts)}) is not aligned to the ${timeframe} grid`);
    }
    if (expectedNext !== undefined) {
      if (ts < expectedNext) {
        const what = i === 0 ? `before fromMs ${formatUtc(expectedNext)}` : `not after the previous one (${formatUtc(expectedNext - len)})`;
        throw new RangeError(`timestamp #${i} ${formatUtc(ts)} is ${what}: input must be strictly increasing and within bounds`);
      }
      push(expectedNext, ts);
    }
    expectedNext = ts + len;
  }
  if (bounds.toMs !== undefined) {
    if (expectedNext !== undefined && expectedNext > bounds.toMs) {
      throw new RangeError(`the last timestamp ${formatUtc(expectedNext - len)} is at or after toMs ${formatUtc(bounds.toMs)}`);
    }
    if (expectedNext !== undefined) push(expectedNext, bounds.toMs);
  }
  return gaps;
}

/** Total missing candles over `gaps`. */
export function missingCount(gaps: readonly Gap[]): number {
  let n = 0;
  for (const g of gaps) n += g.missing;
  return n;
}

/** The `n` largest gaps, largest first (ties: oldest first). */
export function largestGaps(gaps: readonly Gap[], n: number): Gap[] {
  return [...gaps].sort((a, b) => b.missing - a.missing || a.fromMs - b.fromMs).slice(0, Math.max(0, n));
}
