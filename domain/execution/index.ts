/**
 * The fill model and matching (DESIGN.md §1 `domain/execution`): Kraken pair rules, fees, spread
 * estimates, market fills, LIMIT matching and stop-loss/take-profit triggers. Pure and
 * deterministic; money is `Fixed`, candles are float64 and converted at the fill.
 */
export type { Liquidity, ModelFill, OrderType, Side } from './types.ts';
export { type FeeRatesPct, KRAKEN_BASE_FEES_PCT, feeFor, feeForLiquidity, feeRatePct, liquidityOf } from './fees.ts';
export {
  type OrderRejection,
  type OrderRequest,
  type PairRules,
  type PreparedOrder,
  type PrepareResult,
  exitQty,
  prepareOrder,
  qtyForNotional,
  roundPrice,
  roundQty,
  tickOf,
} from './pair-rules.ts';
export {
  type SpreadBook,
  type SpreadBookOptions,
  FALLBACK_SPREAD,
  candleRangeSpread,
  createSpreadBook,
  observeQuote,
  spreadFor,
} from './spread.ts';
export { DEFAULT_SLIPPAGE, type Quote, fillMarketOrder, marketPrice } from './market-fill.ts';
export { type LimitFillRule, type LimitSubmission, matchLimitOrder, submitLimitOrder } from './limit-fill.ts';
export { type ExitContext, type ExitFill, type ExitLevels, type ExitTrigger, fillExit, findExitTrigger, matchExit } from './exit-triggers.ts';
export { compareCandlePrice } from './candle-price.ts';
