/**
 * The decision pipeline shared by backtest, paper and live (DESIGN.md §4): the one place where a
 * strategy's raw output becomes fills, and where candles move the books. State in, state out;
 * no I/O, no clock (`nowMs` is an argument), deterministic.
 *
 * Per step: `advanceMarket` (day roll, stop-loss/take-profit exits, resting LIMIT fills, marks,
 * expiries, triggers) → `portfolioView` (what the strategy sees) → the strategy → `applyDecision`
 * (parse → risk → sizing → order → ledger → triggers). See docs/backtesting.md.
 */
export type {
  CancelReason,
  FillSource,
  MarketSpec,
  OrderPurpose,
  PipelineConfig,
  PipelineEvent,
  PipelineResult,
  PipelineSettings,
  PipelineState,
  PositionShadow,
  RejectionStage,
  RestingOrder,
  SymbolMark,
} from './types.ts';
export { DEFAULT_LIMIT_ORDER_TTL_MS, PipelineConfigError, createPipelineConfig } from './config.ts';
export { PipelineError } from './draft.ts';
export { type PipelineStart, createPipelineState } from './state.ts';
export { type MarketStep, advanceMarket, markEquity } from './market.ts';
export { type DecisionInput, type DecisionResult, applyDecision } from './decision.ts';
export { type BooksSnapshot, closeBooks } from './close.ts';
export { portfolioView } from './view.ts';
export {
  EMPTY_FEE_VOLUME,
  FEE_VOLUME_WINDOW_MS,
  type FeeFill,
  type FeeSchedule,
  type FeeTier,
  type FeeVolume,
  KRAKEN_PRO_FEE_SCHEDULE,
  addFeeVolume,
  feeRatesFor,
  feeScheduleProblem,
  feeVolumeFills,
  feeVolumeOf,
  flatFeeSchedule,
  rollFeeVolume,
} from './fees.ts';
export { approx, priceFixed } from './price.ts';
