import type { Candle } from '../../../domain/market/index.ts';
import { type Fixed, fromString } from '../../../domain/money/index.ts';
import type { PairRules } from '../../../domain/execution/index.ts';

/** Decimal text → Fixed, for readable expectations. */
export const d = (text: string): Fixed => fromString(text);

/**
 * Illustrative pair rules shaped like Kraken's XBT/USD AssetPairs entry (price to 1 decimal,
 * volume to 8); the minimums are chosen for the examples, not quoted from Kraken.
 */
export const BTC_RULES: PairRules = { lotDecimals: 8, pairDecimals: 1, orderMin: d('0.0001'), costMin: d('0.5') };

/** Rules with 2 price decimals, for cents-level arithmetic. */
export const CENT_RULES: PairRules = { lotDecimals: 8, pairDecimals: 2, orderMin: d('0.01'), costMin: d('1') };

/** A 5m candle with the given OHLC (ts and volume irrelevant to fills). */
export function candle(open: number, high: number, low: number, close: number): Candle {
  return { tsOpen: 0, open, high, low, close, volume: 1 };
}
