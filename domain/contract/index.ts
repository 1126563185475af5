/**
 * The strategy IO contract (predecessor §3): what crosses between the fund and a strategy, as
 * types and zod schemas. Strategy output is untrusted and parsed here; inputs are built by the
 * host and validated at the sandbox boundary. Pure; nothing here throws on bad data.
 */
export {
  ACTIONS,
  type Action,
  INTENTS,
  type Intent,
  ORDER_TYPES,
  type OrderType,
  SYMBOL_RE,
  TAG_RE,
  actionSchema,
  intentSchema,
  isExitAction,
  orderTypeSchema,
  symbolSchema,
  tagSchema,
} from './enums.ts';
export { type IssueWording, describeValue, formatIssues, formatPath } from './issues.ts';
export {
  type BuySignal,
  type CloseSignal,
  DEFAULT_CONFIDENCE,
  MAX_REASONING_CHARS,
  MAX_REGIME_CHARS,
  MAX_SIGNALS_PER_CALL,
  MAX_SLIPPAGE_TOLERANCE,
  type ModifySignal,
  type SellSignal,
  type Signal,
  type SignalContext,
  type SignalParseResult,
  parseSignal,
  parseSignals,
  parseStrategyOutput,
  signalSchema,
} from './signal.ts';
export { MAX_FEE_PCT, type SymbolData, candleSchema, candleSeriesSchema, parseSymbolData, symbolDataSchema } from './market.ts';
export {
  type ClosedTrade,
  type OpenPosition,
  type Portfolio,
  RECENT_TRADES_LIMIT,
  closedTradeSchema,
  openPositionSchema,
  parsePortfolio,
  portfolioSchema,
} from './portfolio.ts';
export { RISK_LIMIT_KEYS, type RiskLimits, parseRiskLimits, riskLimitsSchema } from './limits.ts';
