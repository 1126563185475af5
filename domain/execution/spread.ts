import type { Candle } from '../market/index.ts';
import { type Fixed, div, fromNumber, fromString, toString } from '../money/index.ts';

/** The predecessor's fallback spread, 0.1 % of mid, as a fraction (predecessor §9, §21). */
export const FALLBACK_SPREAD: Fixed = fromString('0.001');

/**
 * Rolling per-symbol spread estimates from quoted bid/ask. Each sample is (ask − bid) / mid as a
 * fraction; the estimate is the median of the last `window` samples once there are at least
 * `minSamples`, else `fallback`. Immutable: `observeQuote` returns a new book.
 */
export interface SpreadBook {
  readonly window: number;
  readonly minSamples: number;
  readonly fallback: Fixed;
  readonly samples: Readonly<Record<string, readonly Fixed[]>>;
}

/** Tuning of a spread estimate; every field has the predecessor's default. */
export interface SpreadBookOptions {
  /** Samples kept per symbol (default 100, as the predecessor's backtest window). */
  readonly window?: number;
  /** Samples needed before the median is trusted (default 10, as the predecessor). */
  readonly minSamples?: number;
  /** Fraction used until then (default `FALLBACK_SPREAD`, 0.001). */
  readonly fallback?: Fixed;
}

/** An empty book. Throws `RangeError` on a window < 1, minSamples outside 1..window or a negative fallback. */
export function createSpreadBook(options: SpreadBookOptions = {}): SpreadBook {
  const window = options.window ?? 100;
  const minSamples = options.minSamples ?? 10;
  const fallback = options.fallback ?? FALLBACK_SPREAD;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`spread window must be an integer ≥ 1, got ${window}`);
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > window) {
    throw new RangeError(`spread minSamples must be an integer in 1..${window}, got ${minSamples}`);
  }
  if (fallback < 0n) throw new RangeError(`fallback spread must be ≥ 0, got ${toString(fallback)}`);
  return { window, minSamples, fallback, samples: {} };
}

/**
 * Records one quote for `symbol`. A crossed quote (ask < bid, a transient venue artefact) is
 * ignored and the same book returned. Throws on bid ≤ 0 (corrupt data).
 */
export function observeQuote(book: SpreadBook, symbol: string, bid: Fixed, ask: Fixed): SpreadBook {
  if (bid <= 0n) throw new RangeError(`${symbol}: bid must be > 0, got ${toString(bid)}`);
  if (ask < bid) return book;
  const mid = (bid + ask) / 2n;
  const sample = div(ask - bid, mid);
  const previous = book.samples[symbol] ?? [];
  const kept = previous.length >= book.window ? previous.slice(previous.length - book.window + 1) : previous;
  return { ...book, samples: { ...book.samples, [symbol]: [...kept, sample] } };
}

/** Current spread fraction for `symbol`: the rolling median, or the fallback while samples are few. Pure. */
export function spreadFor(book: SpreadBook, symbol: string): Fixed {
  const samples = book.samples[symbol];
  if (!samples || samples.length < book.minSamples) return book.fallback;
  return median(samples);
}

/**
 * The predecessor's SymbolData `spread` proxy (§9): median of (high − low) / close over the last
 * `window` candles (default 100), or `fallback` when fewer than `minSamples` (default 10). This is
 * a RANGE proxy, much wider than a real quoted spread; it is informational for strategies, not the
 * fill model's spread. Candles with close ≤ 0 are skipped. Pure.
 */
export function candleRangeSpread(candles: readonly Candle[], options: SpreadBookOptions = {}): Fixed {
  const window = options.window ?? 100;
  const minSamples = options.minSamples ?? 10;
  const fallback = options.fallback ?? FALLBACK_SPREAD;
  const samples: Fixed[] = [];
  for (let i = Math.max(0, candles.length - window); i < candles.length; i++) {
    const c = candles[i]!;
    if (c.close > 0) samples.push(div(fromNumber(c.high) - fromNumber(c.low), fromNumber(c.close)));
  }
  return samples.length < minSamples ? fallback : median(samples);
}

function median(values: readonly Fixed[]): Fixed {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid]!;
  const pair = sorted[mid - 1]! + sorted[mid]!;
  // Half of an odd count of 1e-18 units: round half-even like every other `Fixed` operation.
  const half = pair / 2n;
  return pair % 2n === 0n || half % 2n === 0n ? half : half + 1n;
}
