/**
 * Tier retention: where each tier's cutoff lies, and which coarser candles to write before the
 * finer rows below a cutoff are deleted. Pure; the supervisor's maintenance job does the I/O.
 */
import { TIMEFRAME_MS, type Candle, type Timeframe } from './candle.ts';
import { aggregate } from './aggregate.ts';
import { bucketStart, formatUtc, isAligned } from './timeframe.ts';

const DAY_MS = TIMEFRAME_MS['1d'];

/** Retention of the candle tiers (the `[data]` section of brain.toml, camelCased). */
export interface CandleRetention {
  /** Days of 5m candles kept before they are rolled up into 1h. */
  readonly candle5mRetentionDays: number;
  /** Days of 1h candles kept before they are rolled up into 1d. */
  readonly candle1hRetentionDays: number;
  /** Years (of 365 days) of 1d candles kept before they are deleted. */
  readonly candle1dRetentionYears: number;
}

/** Per tier, the instant (ms, UTC) before which candles leave that tier. */
export type RetentionCutoffs = Readonly<Record<Timeframe, number>>;

/**
 * Cutoffs at `nowMs` (ms, UTC): 5m candles opening before `cutoffs['5m']` are rolled up into 1h,
 * 1h before `cutoffs['1h']` into 1d, and 1d before `cutoffs['1d']` are deleted. Each cutoff is
 * `nowMs` minus the retention, snapped DOWN to the next tier's bucket boundary (5m to the hour,
 * 1h and 1d to the UTC day), so a bucket is never split across runs and rows are kept slightly
 * longer rather than shorter than configured. Throws `RangeError` on a non-positive retention.
 */
export function retentionCutoffs(nowMs: number, retention: CandleRetention): RetentionCutoffs {
  if (!Number.isSafeInteger(nowMs)) throw new RangeError(`nowMs must be an integer ms timestamp, got ${nowMs}`);
  for (const [key, value] of Object.entries(retention)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`retention ${key} must be a positive integer, got ${value}`);
  }
  return Object.freeze({
    '5m': bucketStart(nowMs - retention.candle5mRetentionDays * DAY_MS, '1h'),
    '1h': bucketStart(nowMs - retention.candle1hRetentionDays * DAY_MS, '1d'),
    '1d': bucketStart(nowMs - retention.candle1dRetentionYears * 365 * DAY_MS, '1d'),
  });
}

/** What to write into the coarser tier for one series before its finer rows below the cutoff are deleted. */
export interface RollupPlan {
  /** Coarser candles to upsert, oldest first. */
  readonly write: readonly Candle[];
  /** Buckets the source rows fall into. */
  readonly buckets: number;
  /** Buckets whose source rows were incomplete and where the coarser tier's own candle was kept instead. */
  readonly keptExisting: number;
  /** Buckets written from fewer source candles than a gap-free bucket has (nothing better was stored). */
  readonly partialWritten: number;
  /** Source candles covered (all of them: every source row is below the cutoff). */
  readonly sourceCount: number;
}

/**
 * Plans the roll-up of `sources` (`source` timeframe, sorted, every `tsOpen` < `cutoffMs`) into
 * `target`, given the `existing` target candles over the same span. `cutoffMs` must be aligned to
 * `target`, so every bucket lies wholly before it and is complete. Per bucket:
 * - all source candles present → the aggregate is written (it is as good as any stored candle);
 * - some missing and the target tier has its own candle for the bucket → that candle is kept
 *   (an exchange candle, or an earlier complete roll-up, knows more than a partial one);
 * - some missing and nothing stored → the partial aggregate is written (never lose the data).
 * Throws `RangeError` on a misaligned cutoff, a source at or after it, or corrupt sources.
 */
export function planRollup(
  sources: readonly Candle[],
  existing: readonly Candle[],
  source: Timeframe,
  target: Timeframe,
  cutoffMs: number,
): RollupPlan {
  if (!isAligned(cutoffMs, target)) throw new RangeError(`roll-up cutoff ${cutoffMs} (${formatUtc(cutoffMs)}) is not aligned to the ${target} grid`);
  const last = sources[sources.length - 1];
  if (last && last.tsOpen >= cutoffMs) {
    throw new RangeError(`roll-up source ${formatUtc(last.tsOpen)} is not before the cutoff ${formatUtc(cutoffMs)}`);
  }
  const stored = new Set(existing.map((c) => bucketStart(c.tsOpen, target)));
  const { buckets } = aggregate(sources, source, target, { closedAtMs: cutoffMs });
  const write: Candle[] = [];
  let keptExisting = 0;
  let partialWritten = 0;
  for (const b of buckets) {
    if (b.sources === b.expected) {
      write.push(b.candle);
    } else if (stored.has(b.candle.tsOpen)) {
      keptExisting += 1;
    } else {
      write.push(b.candle);
      partialWritten += 1;
    }
  }
  return { write, buckets: buckets.length, keptExisting, partialWritten, sourceCount: sources.length };
}
