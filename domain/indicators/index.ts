/**
 * Technical indicators, each in two forms with identical arithmetic:
 * - an incremental class implementing `Indicator<In, Out>` (allocation-free O(1) `update`), for
 *   live scans and event-driven backtests;
 * - a batch `…Series` function over `Float64Array` columns (NaN before the indicator is
 *   defined), for hot loops and optimisation sweeps.
 * Definitions, warm-ups and the published examples they are checked against:
 * docs/domain-indicators.md. Pure: no I/O, no clock. Corrupt input throws `IndicatorError`.
 */
export {
  IndicatorError,
  MAX_PERIOD,
  type HlcBar,
  type HlcvBar,
  type Indicator,
} from './indicator.ts';
export { Ema, emaSeries } from './ema.ts';
export { Sma, smaSeries } from './sma.ts';
export { Rsi, rsiSeries } from './rsi.ts';
export { Atr, atrSeries } from './atr.ts';
export {
  MACD_DEFAULTS,
  Macd,
  macdSeries,
  type MacdParams,
  type MacdSeries,
  type MacdValue,
} from './macd.ts';
export {
  BOLLINGER_DEFAULTS,
  Bollinger,
  bollingerSeries,
  type BollingerParams,
  type BollingerSeries,
  type BollingerValue,
} from './bollinger.ts';
export { Vwap, vwapSeries, type VwapAnchor, type VwapBar, type VwapParams } from './vwap.ts';
export { VolumeRatio, volumeRatioSeries } from './volume-ratio.ts';
