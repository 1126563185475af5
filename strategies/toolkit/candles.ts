/**
 * Candle helpers for strategies. Pure, no clock, no I/O: this file is bundled into the sandbox
 * as part of `'trading-brain/toolkit'`. Candle arrays are oldest first (`SymbolData.candles5m`…).
 */
import type { Candle } from '../../domain/market/candle.ts';

type Field = 'open' | 'high' | 'low' | 'close' | 'volume';

function column(candles: readonly Candle[], field: Field, out?: Float64Array): Float64Array {
  const n = candles.length;
  const result = out !== undefined && out.length === n ? out : new Float64Array(n);
  for (let i = 0; i < n; i++) result[i] = candles[i]![field];
  return result;
}

/** Close prices as a Float64Array (for the `…Series` indicator functions). Reuses `out` when it has the right length. */
export function closes(candles: readonly Candle[], out?: Float64Array): Float64Array {
  return column(candles, 'close', out);
}

/** Open prices as a Float64Array. */
export function opens(candles: readonly Candle[], out?: Float64Array): Float64Array {
  return column(candles, 'open', out);
}

/** High prices as a Float64Array. */
export function highs(candles: readonly Candle[], out?: Float64Array): Float64Array {
  return column(candles, 'high', out);
}

/** Low prices as a Float64Array. */
export function lows(candles: readonly Candle[], out?: Float64Array): Float64Array {
  return column(candles, 'low', out);
}

/** Volumes (base currency) as a Float64Array. */
export function volumes(candles: readonly Candle[], out?: Float64Array): Float64Array {
  return column(candles, 'volume', out);
}

/** The newest candle, or undefined for an empty array. */
export function lastCandle(candles: readonly Candle[]): Candle | undefined {
  return candles.length === 0 ? undefined : candles[candles.length - 1];
}

/**
 * Index of the first candle opened after `tsOpen` (ms), scanning back from the newest: O(number of
 * newer candles). With `-Infinity` (or no candle seen yet) it is 0. The idiom for incremental
 * indicators: `for (let i = indexAfter(c, seen); i < c.length; i++) ema.update(c[i].close)`.
 */
export function indexAfter(candles: readonly Candle[], tsOpen: number): number {
  let i = candles.length;
  while (i > 0 && candles[i - 1]!.tsOpen > tsOpen) i--;
  return i;
}

/** True when `fast` crossed above `slow` between the previous and the current value (prevFast ≤ prevSlow, fast > slow). NaN gives false. */
export function crossedAbove(prevFast: number, prevSlow: number, fast: number, slow: number): boolean {
  return prevFast <= prevSlow && fast > slow;
}

/** True when `fast` crossed below `slow` (prevFast ≥ prevSlow, fast < slow). NaN gives false. */
export function crossedBelow(prevFast: number, prevSlow: number, fast: number, slow: number): boolean {
  return prevFast >= prevSlow && fast < slow;
}
