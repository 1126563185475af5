/**
 * Market data, pure: candles and their timeframes (5m/1h/1d on UTC bucket boundaries),
 * aggregation into coarser tiers, gap detection, data-quality reports and tier retention.
 */
export * from './candle.ts';
export { TIMEFRAMES, assertFiner, bucketStart, candlesPerBucket, formatUtc, isAligned, isTimeframe, timeframeOfLength } from './timeframe.ts';
export { aggregate, aggregateCandles, type AggregateOptions, type Aggregation, type Bucket } from './aggregate.ts';
export { findGaps, findGapsInTimestamps, largestGaps, missingCount, type Gap, type GapBounds } from './gaps.ts';
export {
  QUALITY_ISSUE_KINDS,
  inspectCandles,
  type CandleField,
  type QualityIssue,
  type QualityIssueKind,
  type QualityReport,
} from './quality.ts';
export { planRollup, retentionCutoffs, type CandleRetention, type RetentionCutoffs, type RollupPlan } from './rollup.ts';
