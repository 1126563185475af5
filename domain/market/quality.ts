/**
 * Data-quality report of a candle series. Pure; never throws on bad data — bad data is what it
 * reports. Used on untrusted input (imports) before anything is stored, and by `brain data status`.
 */
import { TIMEFRAME_MS, type Candle, type Timeframe } from './candle.ts';
import { findGapsInTimestamps, missingCount, type Gap } from './gaps.ts';
import { formatUtc } from './timeframe.ts';

/** What is wrong with one candle (or its place in the series). */
export type QualityIssueKind =
  | 'misaligned'
  | 'duplicate'
  | 'nonMonotonic'
  | 'nonFinite'
  | 'nonPositivePrice'
  | 'highBelowLow'
  | 'highBelowOpenClose'
  | 'lowAboveOpenClose'
  | 'negativeVolume';

/** Every issue kind, in report order. */
export const QUALITY_ISSUE_KINDS: readonly QualityIssueKind[] = Object.freeze([
  'misaligned',
  'duplicate',
  'nonMonotonic',
  'nonFinite',
  'nonPositivePrice',
  'highBelowLow',
  'highBelowOpenClose',
  'lowAboveOpenClose',
  'negativeVolume',
] as const);

/** A candle field, as named in `Candle`. */
export type CandleField = keyof Candle;

/** One problem found by `inspectCandles`. */
export interface QualityIssue {
  readonly kind: QualityIssueKind;
  /** Position of the candle in the input array. */
  readonly index: number;
  readonly tsOpen: number;
  /** The offending field. */
  readonly field: CandleField;
  /** Its value. */
  readonly value: number;
  /** Index of the earlier candle it conflicts with (duplicate, nonMonotonic). */
  readonly otherIndex?: number;
  /** What is wrong and what is allowed, without position (the caller adds file and line). */
  readonly message: string;
}

/** Result of `inspectCandles`. */
export interface QualityReport {
  readonly timeframe: Timeframe;
  /** Number of input candles. */
  readonly count: number;
  /** Earliest and latest aligned `tsOpen` (ms, UTC); undefined when there is none. */
  readonly firstTsOpen: number | undefined;
  readonly lastTsOpen: number | undefined;
  /** Interior gaps of the distinct aligned timestamps, oldest first. Gaps are facts, not issues. */
  readonly gaps: readonly Gap[];
  /** Total missing candles over `gaps`. */
  readonly missing: number;
  /** Candles with zero volume (legal: flat candles after outages, or no trades). Informational. */
  readonly zeroVolume: number;
  /** Every problem, in input order. */
  readonly issues: readonly QualityIssue[];
  /** Issue count per kind. */
  readonly counts: Readonly<Record<QualityIssueKind, number>>;
  /** True when there are no issues (gaps and zero volume are allowed). */
  readonly ok: boolean;
}

/**
 * Inspects `candles` (in the given order) as a `timeframe` series: alignment to the grid,
 * duplicates, order (strictly increasing `tsOpen`), finite positive prices, low ≤ open, close ≤
 * high, and volume ≥ 0; plus gaps. Pure; O(n log n) only if the input is unsorted.
 */
export function inspectCandles(candles: readonly Candle[], timeframe: Timeframe): QualityReport {
  const len = TIMEFRAME_MS[timeframe];
  const issues: QualityIssue[] = [];
  const counts = Object.fromEntries(QUALITY_ISSUE_KINDS.map((k) => [k, 0])) as Record<QualityIssueKind, number>;
  const add = (issue: QualityIssue): void => {
    issues.push(issue);
    counts[issue.kind] += 1;
  };
  const aligned: number[] = [];
  let sorted = true;
  let zeroVolume = 0;
  let prevIndex = -1;
  let maxIndex = -1;

  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    const ts = c.tsOpen;
    if (!Number.isSafeInteger(ts) || ts % len !== 0) {
      add({ kind: 'misaligned', index: i, tsOpen: ts, field: 'tsOpen', value: ts, message: `time ${describeTs(ts)} is not on the ${timeframe} grid (a multiple of ${len / 1000} s since the epoch)` });
    } else {
      aligned.push(ts);
      if (prevIndex >= 0) {
        const prev = candles[prevIndex]!.tsOpen;
        if (ts === prev) {
          add({ kind: 'duplicate', index: i, tsOpen: ts, field: 'tsOpen', value: ts, otherIndex: prevIndex, message: `time ${describeTs(ts)} repeats the previous candle's time; each time may appear once` });
        } else if (ts < candles[maxIndex]!.tsOpen) {
          sorted = false;
          add({
            kind: 'nonMonotonic',
            index: i,
            tsOpen: ts,
            field: 'tsOpen',
            value: ts,
            otherIndex: maxIndex,
            message: `time ${describeTs(ts)} goes back before an earlier candle's ${describeTs(candles[maxIndex]!.tsOpen)}; candles must be sorted by time, strictly increasing`,
          });
        }
      }
      if (maxIndex < 0 || ts > candles[maxIndex]!.tsOpen) maxIndex = i;
      prevIndex = i;
    }
    inspectValues(c, i, add);
    if (c.volume === 0) zeroVolume += 1;
  }

  let distinct = aligned;
  if (!sorted || counts.duplicate > 0) {
    distinct = [...new Set(aligned)].sort((a, b) => a - b);
  }
  const gaps = findGapsInTimestamps(distinct, timeframe);
  return {
    timeframe,
    count: candles.length,
    firstTsOpen: distinct[0],
    lastTsOpen: distinct[distinct.length - 1],
    gaps,
    missing: missingCount(gaps),
    zeroVolume,
    issues,
    counts,
    ok: issues.length === 0,
  };
}

function inspectValues(c: Candle, i: number, add: (issue: QualityIssue) => void): void {
  const base = { index: i, tsOpen: c.tsOpen };
  let finite = true;
  for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      finite = false;
      add({ ...base, kind: 'nonFinite', field, value: v, message: `${field} ${String(v)} is not a finite number` });
    }
  }
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    const v = c[field];
    if (Number.isFinite(v) && v <= 0) {
      add({ ...base, kind: 'nonPositivePrice', field, value: v, message: `${field} ${v} is not a positive price (must be > 0)` });
    }
  }
  if (Number.isFinite(c.volume) && c.volume < 0) {
    add({ ...base, kind: 'negativeVolume', field: 'volume', value: c.volume, message: `volume ${c.volume} is negative (must be ≥ 0)` });
  }
  if (!finite) return;
  if (c.high < c.low) {
    add({ ...base, kind: 'highBelowLow', field: 'high', value: c.high, message: `high ${c.high} is below low ${c.low} (must be high ≥ low)` });
  }
  if (c.high < Math.max(c.open, c.close)) {
    add({
      ...base,
      kind: 'highBelowOpenClose',
      field: 'high',
      value: c.high,
      message: `high ${c.high} is below ${c.open >= c.close ? `open ${c.open}` : `close ${c.close}`} (must be high ≥ open and high ≥ close)`,
    });
  }
  if (c.low > Math.min(c.open, c.close)) {
    add({
      ...base,
      kind: 'lowAboveOpenClose',
      field: 'low',
      value: c.low,
      message: `low ${c.low} is above ${c.open <= c.close ? `open ${c.open}` : `close ${c.close}`} (must be low ≤ open and low ≤ close)`,
    });
  }
}

function describeTs(ts: number): string {
  return Number.isSafeInteger(ts) ? formatUtc(ts) : String(ts);
}
