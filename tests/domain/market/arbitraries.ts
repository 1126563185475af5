/** fast-check generators of candle series for the market-data properties. */
import fc from 'fast-check';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../domain/market/index.ts';
import { deep } from '../../support/runs.ts';

/** 2024-01-01 00:00 UTC in ms (Date.UTC(2024, 0, 1)). */
export const JAN_1_2024 = Date.UTC(2024, 0, 1);

/** A valid candle at `tsOpen` from integer cents and an integer or fractional volume. */
export const candleAt = (tsOpen: number, v: { open: number; close: number; up: number; down: number; volume: number }): Candle => {
  const open = v.open / 100;
  const close = v.close / 100;
  const high = Math.max(open, close) + v.up / 100;
  const low = Math.max(0.01, Math.min(open, close) - v.down / 100);
  return { tsOpen, open, high, low: Math.min(low, open, close), close, volume: v.volume };
};

/** Values of one candle; `volume` integer when `integerVolume`, else a fraction with up to 8 decimals. */
export const valuesArb = (integerVolume: boolean) =>
  fc.record({
    open: fc.integer({ min: 1, max: 10_000_000 }),
    close: fc.integer({ min: 1, max: 10_000_000 }),
    up: fc.integer({ min: 0, max: 100_000 }),
    down: fc.integer({ min: 0, max: 100_000 }),
    volume: integerVolume ? fc.integer({ min: 0, max: 1_000_000 }) : fc.integer({ min: 0, max: 1e12 }).map((n) => n / 1e8),
  });

/**
 * A sorted, aligned, duplicate-free `timeframe` series: a start up to `maxStartBuckets` buckets
 * after 2024-01-01 (so series begin mid-hour and mid-day), `slots` grid slots, each present with
 * probability about `keep`.
 */
export function seriesArb(
  timeframe: Timeframe,
  options: { maxSlots: number; keep?: number; integerVolume?: boolean; maxStartBuckets?: number },
): fc.Arbitrary<Candle[]> {
  const len = TIMEFRAME_MS[timeframe];
  const keepPercent = Math.round((options.keep ?? 0.9) * 100);
  return fc
    .record({
      start: fc.integer({ min: 0, max: options.maxStartBuckets ?? 400 }),
      slots: fc.array(fc.record({ roll: fc.integer({ min: 0, max: 99 }), values: valuesArb(options.integerVolume ?? false) }), {
        minLength: 0,
        maxLength: options.maxSlots,
      }),
    })
    .map(({ start, slots }) =>
      slots.flatMap((s, i) => (s.roll < keepPercent ? [candleAt(JAN_1_2024 + (start + i) * len, s.values)] : [])),
    );
}

/** Reference aggregation: group by floor(tsOpen / length) with plain array operations. */
export function referenceGroups(candles: readonly Candle[], target: Timeframe): Map<number, Candle[]> {
  const len = TIMEFRAME_MS[target];
  const groups = new Map<number, Candle[]>();
  for (const c of candles) {
    const key = Math.floor(c.tsOpen / len) * len;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return groups;
}

/** Reference OHLCV of one group (first open, max high, min low, last close, sum volume). */
export function referenceCandle(tsOpen: number, group: readonly Candle[]): Candle {
  return {
    tsOpen,
    open: group[0]!.open,
    high: Math.max(...group.map((c) => c.high)),
    low: Math.min(...group.map((c) => c.low)),
    close: group[group.length - 1]!.close,
    volume: group.reduce((s, c) => s + c.volume, 0),
  };
}

/** Per-test timeout for property tests: deep mode (`npm run test:deep`) runs 100× as many cases. */
export const PROPERTY_TIMEOUT = deep ? 30 * 60_000 : 60_000;
