/**
 * The portfolio ledger (DESIGN.md §1 `domain/portfolio`): positions by tag, fills, fees, P&L,
 * MAE, capital events, and cash reconciled from first principles. Immutable and pure: every
 * operation returns a new `Ledger`; refusals are values (`{ ok: false, reason }`).
 */
export type {
  BuyBooked,
  BuyFill,
  CapitalEvent,
  CloseReason,
  ClosedTrade,
  DayTotals,
  FillInput,
  Intent,
  Ledger,
  LedgerMode,
  LedgerRejection,
  LedgerResult,
  ModifyInput,
  Position,
  SellBooked,
  SellFill,
} from './types.ts';
export {
  type LedgerOptions,
  applyBuy,
  applyFill,
  applyModify,
  applySell,
  avgEntry,
  closeQuantity,
  createLedger,
  findPosition,
  nextAutoTag,
  positionsOf,
  sellQuantity,
} from './ledger.ts';
export { applyCapitalEvent, capitalDelta } from './capital.ts';
export {
  type PriceMark,
  dailyPnl,
  feesOnDay,
  markFromCandle,
  markToMarket,
  openCost,
  positionUnrealizedPnl,
  positionValue,
  realizedOnDay,
  totalPnl,
  totalValue,
  unrealizedPnl,
} from './valuation.ts';
export { type CashCheck, type RestoreInput, reconcileCash, restoreLedger, verifyCash } from './reconcile.ts';
export { adverseExcursion } from './mae.ts';
export { formatAutoTag, parseAutoTag, tagSymbol } from './tags.ts';
