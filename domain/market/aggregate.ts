/**
 * OHLCV aggregation into a coarser timeframe (5m → 1h → 1d), snapped to UTC bucket boundaries.
 * Pure. One bucket = first open, max high, min low, last close, sum of volume of the source
 * candles whose `tsOpen` falls in [bucketStart, bucketStart + target length).
 *
 * Completeness: input candles are taken to be closed candles. A bucket is complete when its time
 * is over, judged by (a) a later input candle exists (the data moved past it: missing source
 * candles inside it are gaps, not pending), or (b) it holds its final source slot (the 10:55 5m
 * candle of the 10:00 hour), or (c) `closedAtMs` says so (bucket end ≤ closedAtMs). Only the last
 * bucket of the input can be incomplete; it is left out of `buckets` unless `includePartial`
 * is set, and is always reported as `partial`, so callers can keep its source rows for later.
 */
import { TIMEFRAME_MS, type Candle, type Timeframe } from './candle.ts';
import { assertFiner, bucketStart, candlesPerBucket, formatUtc } from './timeframe.ts';

/** One aggregated bucket. */
export interface Bucket {
  /** The aggregated candle; `tsOpen` is the bucket start (ms, UTC). */
  readonly candle: Candle;
  /** How many source candles went into it (1..expected). */
  readonly sources: number;
  /** How many source candles a gap-free bucket has (12 for 5m→1h, 24 for 1h→1d, 288 for 5m→1d). */
  readonly expected: number;
  /** Whether the bucket's time is over (see the module comment); false only for a trailing bucket. */
  readonly complete: boolean;
}

/** Options of `aggregate`. */
export interface AggregateOptions {
  /** An instant (ms, UTC) up to which all candles are known to be closed: buckets ending at or before it are complete. */
  readonly closedAtMs?: number;
  /** Also return the trailing incomplete bucket in `buckets` (flagged `complete: false`). Default false. */
  readonly includePartial?: boolean;
}

/** Result of `aggregate`. */
export interface Aggregation {
  /** Aggregated buckets, oldest first: the complete ones, plus the partial one if `includePartial`. */
  readonly buckets: readonly Bucket[];
  /** The trailing incomplete bucket, if any (whether or not it is in `buckets`). */
  readonly partial: Bucket | undefined;
}

/**
 * Aggregates `candles` of timeframe `source` into `target` (strictly coarser). Input must be
 * sorted by `tsOpen`, strictly increasing, aligned to `source`, with finite values; otherwise
 * this throws `RangeError` (corrupt input: run `inspectCandles` first on untrusted data).
 */
export function aggregate(candles: readonly Candle[], source: Timeframe, target: Timeframe, options: AggregateOptions = {}): Aggregation {
  assertFiner(source, target);
  const sourceMs = TIMEFRAME_MS[source];
  const targetMs = TIMEFRAME_MS[target];
  const expected = candlesPerBucket(source, target);
  const buckets: Bucket[] = [];
  let partial: Bucket | undefined;

  let start = Number.NaN;
  let open = 0;
  let high = 0;
  let low = 0;
  let close = 0;
  let volume = 0;
  let sources = 0;
  let lastTs = Number.NEGATIVE_INFINITY;

  const flush = (last: boolean): void => {
    const end = start + targetMs;
    const complete = !last || lastTs === end - sourceMs || (options.closedAtMs !== undefined && end <= options.closedAtMs);
    const bucket: Bucket = { candle: { tsOpen: start, open, high, low, close, volume }, sources, expected, complete };
    if (!complete) partial = bucket;
    if (complete || options.includePartial) buckets.push(bucket);
  };

  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    checkSourceCandle(c, i, lastTs, source, sourceMs);
    const b = bucketStart(c.tsOpen, target);
    if (b !== start) {
      if (sources > 0) flush(false);
      start = b;
      open = c.open;
      high = c.high;
      low = c.low;
      volume = 0;
      sources = 0;
    }
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    close = c.close;
    volume += c.volume;
    sources += 1;
    lastTs = c.tsOpen;
  }
  if (sources > 0) flush(true);
  return { buckets, partial };
}

/** The candles of the complete buckets of `aggregate(candles, source, target, options)`, oldest first. */
export function aggregateCandles(
  candles: readonly Candle[],
  source: Timeframe,
  target: Timeframe,
  options: Omit<AggregateOptions, 'includePartial'> = {},
): Candle[] {
  return aggregate(candles, source, target, options).buckets.map((b) => b.candle);
}

function checkSourceCandle(c: Candle, i: number, lastTs: number, source: Timeframe, sourceMs: number): void {
  if (!Number.isSafeInteger(c.tsOpen) || c.tsOpen % sourceMs !== 0) {
    throw new RangeError(`candle #${i} tsOpen ${c.tsOpen} (${formatUtc(c.tsOpen)}) is not aligned to the ${source} grid`);
  }
  if (c.tsOpen <= lastTs) {
    throw new RangeError(
      `candle #${i} tsOpen ${c.tsOpen} (${formatUtc(c.tsOpen)}) is not after the previous one (${formatUtc(lastTs)}): input must be strictly increasing`,
    );
  }
  if (!Number.isFinite(c.open) || !Number.isFinite(c.high) || !Number.isFinite(c.low) || !Number.isFinite(c.close) || !Number.isFinite(c.volume)) {
    throw new RangeError(`candle #${i} at ${formatUtc(c.tsOpen)} has a non-finite value: ${JSON.stringify(c)}`);
  }
}
