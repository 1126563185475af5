/** A timeframe of the tiered candle store. */
export type Timeframe = '5m' | '1h' | '1d';

/** Length of each timeframe in ms. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = Object.freeze({
  '5m': 5 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
});

/**
 * One OHLCV candle. `tsOpen` is the bucket start in ms since epoch (UTC); the candle is closed
 * at `tsOpen + TIMEFRAME_MS[tf]`. Prices and volume are float64: candles feed indicators and
 * fill triggers; money that changes hands is converted to exact `Fixed` at the fill.
 */
export interface Candle {
  readonly tsOpen: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}
