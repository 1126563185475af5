import { type Fixed, ZERO, div, max, min, mul, round } from '../../domain/money/index.ts';
import { type CandleSeries, candleAt } from './candles.ts';
import type { PairSpec } from './pairs.ts';

/**
 * Replay of one pair's candles on the simulated clock.
 *
 * Each source candle of length I becomes four trades ("ticks") at open + 0, I/4, 2I/4 and 3I/4:
 * open, then the nearer-to-direction extreme, then the other extreme, then close — a bullish (or
 * flat) candle goes O → L → H → C, a bearish one O → H → L → C. The candle's volume is split
 * evenly over the four ticks (remainder on the close, on the 1e-8 lot grid); trade counts come
 * from the OHLCVT `trades` column when known, else one per tick. Every candle of every interval
 * (REST OHLC, WS ohlc, ticker statistics) is an aggregation of these ticks, so all views agree.
 * Series are shifted in time by `offsetMs` so several files replay side by side. Pure given the
 * inputs: every query is a function of the simulated time passed in.
 */

/** One simulated trade. */
export interface Tick {
  /** Simulated time, ms. */
  readonly atMs: number;
  readonly price: Fixed;
  /** Base volume of this trade. */
  readonly volume: Fixed;
  readonly count: number;
  /** Index of the source candle and position 0..3 inside it (0 = the open, a possible gap). */
  readonly candle: number;
  readonly k: number;
}

/** Aggregated trades over a time range (a candle of any interval, or ticker statistics). */
export interface Aggregate {
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly volume: Fixed;
  /** Σ price × volume, to derive the VWAP. */
  readonly pv: Fixed;
  readonly count: number;
  /** Time of the first and last trade included. */
  readonly firstMs: number;
  readonly lastMs: number;
}

/** A candle row: `startMs` is the bucket start; gap-filled rows have count 0 and volume 0. */
export interface Bar {
  readonly startMs: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  /** VWAP rounded to the pair's price decimals; 0 when the bar has no volume. */
  readonly vwap: Fixed;
  readonly volume: Fixed;
  readonly count: number;
}

/** Kraken's OHLC intervals in minutes (REST and WS v2). */
export const OHLC_INTERVALS_MIN: readonly number[] = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];

/** Replay state of one pair. */
export class MarketReplay {
  /** Source candle interval, ms. */
  readonly intervalMs: number;
  /** Spacing of the four ticks inside a candle, ms. */
  readonly tickStepMs: number;
  /** Sim time = data time + offsetMs. */
  readonly offsetMs: number;
  /** Index of the first candle that is replayed (earlier ones are history at start). */
  readonly replayStartIndex: number;
  private readonly simOpen: Float64Array;
  private readonly summaries = new Map<number, Aggregate>();
  private recent: { j: number; prices: Fixed[]; volume: Fixed; trades: number | null } | null = null;

  /**
   * `startMs` is the simulated time at which candle `historyCandles` (clamped to the data) opens;
   * earlier candles are history. Throws `RangeError` if `startMs` is off the candle grid.
   */
  constructor(
    readonly pair: PairSpec,
    private readonly candles: CandleSeries,
    intervalMs: number,
    startMs: number,
    historyCandles: number,
  ) {
    if (candles.length === 0) throw new RangeError(`${pair.symbol}: no candles to replay`);
    if (startMs % intervalMs !== 0) {
      throw new RangeError(`${pair.symbol}: startMs ${startMs} is not on the ${intervalMs / 60_000}m candle grid`);
    }
    this.intervalMs = intervalMs;
    this.tickStepMs = intervalMs / 4;
    this.replayStartIndex = Math.min(Math.max(0, Math.floor(historyCandles)), candles.length - 1);
    this.offsetMs = startMs - candles.tsOpenMs[this.replayStartIndex]!;
    this.simOpen = candles.tsOpenMs.map((t) => t + this.offsetMs);
  }

  /** Number of source candles. */
  get length(): number {
    return this.candles.length;
  }

  /** Tick `k` (0..3) of candle `j`. */
  tick(j: number, k: number): Tick {
    if (this.recent === null || this.recent.j !== j) {
      const c = candleAt(this.candles, j);
      const prices = c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
      this.recent = { j, prices, volume: c.volume, trades: c.trades };
    }
    const { prices, volume: total, trades } = this.recent;
    const quarter = round(div(total, 4n * 10n ** 18n), this.pair.lotDecimals, 'floor');
    const volume = k < 3 ? quarter : total - 3n * quarter;
    const count = trades === null ? 1 : Math.floor((trades * (k + 1)) / 4) - Math.floor((trades * k) / 4);
    return { atMs: this.simOpen[j]! + k * this.tickStepMs, price: prices[k]!, volume, count, candle: j, k };
  }

  /** The latest tick at or before `t`, or null before the data starts. */
  tickAtOrBefore(t: number): Tick | null {
    const j = this.lastCandleAtOrBefore(t);
    if (j < 0) return null;
    const k = Math.min(3, Math.floor((t - this.simOpen[j]!) / this.tickStepMs));
    return this.tick(j, k);
  }

  /** The first tick strictly after `t`, or null when the data is exhausted. */
  tickAfter(t: number): Tick | null {
    const j = this.lastCandleAtOrBefore(t);
    if (j < 0) return this.tick(0, 0);
    const k = Math.floor((t - this.simOpen[j]!) / this.tickStepMs);
    if (k < 3) return this.tick(j, k + 1);
    return j + 1 < this.candles.length ? this.tick(j + 1, 0) : null;
  }

  /** Last traded price at `t`, or null before the data starts. */
  lastPrice(t: number): Fixed | null {
    return this.tickAtOrBefore(t)?.price ?? null;
  }

  /** Aggregates every tick with `fromMs ≤ atMs ≤ toMs`; null when there is none. */
  aggregate(fromMs: number, toMs: number): Aggregate | null {
    if (toMs < fromMs) return null;
    let j = Math.max(0, this.lastCandleAtOrBefore(fromMs));
    let acc: Aggregate | null = null;
    for (; j < this.candles.length && this.simOpen[j]! <= toMs; j++) {
      const open = this.simOpen[j]!;
      if (open >= fromMs && open + 3 * this.tickStepMs <= toMs) {
        acc = merge(acc, this.summary(j));
        continue;
      }
      for (let k = 0; k < 4; k++) {
        const at = open + k * this.tickStepMs;
        if (at < fromMs || at > toMs) continue;
        acc = merge(acc, ofTick(this.tick(j, k)));
      }
    }
    return acc;
  }

  /** The running candle of `intervalMs` for bucket `startMs`, as of `nowMs`; null when no trades. */
  bar(intervalMs: number, startMs: number, nowMs: number): Bar | null {
    const agg = this.aggregate(startMs, Math.min(startMs + intervalMs - 1, nowMs));
    return agg === null ? null : this.toBar(startMs, agg);
  }

  /**
   * REST OHLC rows as of `nowMs`: at most `maxRows` most recent buckets (the last one still
   * forming), empty buckets filled with the previous close and zero volume, rows with start time
   * ≤ `sinceSec` dropped. `last` is the start (unix s) of the newest committed bucket.
   */
  ohlcRows(intervalMs: number, nowMs: number, maxRows: number, sinceSec: number | null): { rows: Bar[]; last: number } {
    const current = bucketOf(nowMs, intervalMs);
    const first = Math.max(bucketOf(this.simOpen[0]!, intervalMs), current - (maxRows - 1) * intervalMs);
    const rows: Bar[] = [];
    let prevClose = this.tickAtOrBefore(first - 1)?.price ?? null;
    for (let b = first; b <= current; b += intervalMs) {
      const bar = this.bar(intervalMs, b, nowMs);
      if (bar !== null) {
        rows.push(bar);
        prevClose = bar.close;
      } else if (prevClose !== null) {
        rows.push({ startMs: b, open: prevClose, high: prevClose, low: prevClose, close: prevClose, vwap: ZERO, volume: ZERO, count: 0 });
      }
    }
    const last = (current - intervalMs) / 1000;
    return { rows: sinceSec === null ? rows : rows.filter((r) => r.startMs / 1000 > sinceSec), last };
  }

  /** Up to `n` most recent buckets that had trades (oldest first), for the WS ohlc snapshot. */
  recentBars(intervalMs: number, nowMs: number, n: number): Bar[] {
    const out: Bar[] = [];
    const firstBucket = bucketOf(this.simOpen[0]!, intervalMs);
    for (let b = bucketOf(nowMs, intervalMs); b >= firstBucket && out.length < n; b -= intervalMs) {
      const bar = this.bar(intervalMs, b, nowMs);
      if (bar !== null) out.push(bar);
    }
    return out.reverse();
  }

  /** VWAP of an aggregate on the pair's price grid (0 when it has no volume). */
  vwapOf(agg: Aggregate): Fixed {
    return agg.volume === ZERO ? ZERO : round(div(agg.pv, agg.volume), this.pair.pairDecimals);
  }

  private toBar(startMs: number, agg: Aggregate): Bar {
    return { startMs, open: agg.open, high: agg.high, low: agg.low, close: agg.close, vwap: this.vwapOf(agg), volume: agg.volume, count: agg.count };
  }

  private summary(j: number): Aggregate {
    let s = this.summaries.get(j);
    if (s === undefined) {
      let acc: Aggregate | null = null;
      for (let k = 0; k < 4; k++) acc = merge(acc, ofTick(this.tick(j, k)));
      s = acc!;
      this.summaries.set(j, s);
    }
    return s;
  }

  /** Index of the last candle whose simulated open is ≤ t, or −1. */
  private lastCandleAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.simOpen.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.simOpen[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}

/** Start of the epoch-aligned bucket of `intervalMs` containing `t`. */
export function bucketOf(t: number, intervalMs: number): number {
  return Math.floor(t / intervalMs) * intervalMs;
}

function ofTick(t: Tick): Aggregate {
  return { open: t.price, high: t.price, low: t.price, close: t.price, volume: t.volume, pv: mul(t.price, t.volume), count: t.count, firstMs: t.atMs, lastMs: t.atMs };
}

function merge(a: Aggregate | null, b: Aggregate): Aggregate {
  if (a === null) return b;
  return {
    open: a.open,
    high: max(a.high, b.high),
    low: min(a.low, b.low),
    close: b.close,
    volume: a.volume + b.volume,
    pv: a.pv + b.pv,
    count: a.count + b.count,
    firstMs: a.firstMs,
    lastMs: b.lastMs,
  };
}
