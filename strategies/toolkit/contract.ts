/**
 * What a strategy sees as `'trading-brain/contract'`: the contract's types (erased when
 * TypeScript is compiled) and its constants. Inside the sandbox the module is generated from the
 * same constants (`strategies/sandbox/assets.ts`); this file is its TypeScript face, for editors
 * and for type-checking strategies kept in the repository (map the specifier to this file).
 */
export type {
  Action,
  BuySignal,
  ClosedTrade,
  CloseSignal,
  Intent,
  ModifySignal,
  OpenPosition,
  OrderType,
  Portfolio,
  RiskLimits,
  SellSignal,
  Signal,
  SymbolData,
} from '../../domain/contract/index.ts';
export type { Candle, Timeframe } from '../../domain/market/candle.ts';
export {
  ACTIONS,
  DEFAULT_CONFIDENCE,
  INTENTS,
  MAX_REASONING_CHARS,
  MAX_REGIME_CHARS,
  MAX_SIGNALS_PER_CALL,
  MAX_SLIPPAGE_TOLERANCE,
  ORDER_TYPES,
  RECENT_TRADES_LIMIT,
  SYMBOL_RE,
  TAG_RE,
} from '../../domain/contract/index.ts';
