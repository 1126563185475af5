import type { Fixed } from '../money/index.ts';

/** Holding intent; informational metadata the shell does not enforce (predecessor §3). */
export type Intent = 'DAY' | 'SWING' | 'POSITION';

/** Why a (partial) position was closed; the predecessor's stored values (§5.5). */
export type CloseReason = 'signal' | 'stop_loss' | 'take_profit' | 'emergency' | 'reconciliation' | 'promotion';

/**
 * `paper`: the ledger is the only truth, so a fill or capital change that would make cash negative
 * is refused. `live`: fills are facts reported by the venue and are always booked (cash may go
 * negative, the caller alerts); withdrawals still cannot exceed cash.
 */
export type LedgerMode = 'paper' | 'live';

/**
 * One open long position. Exact bookkeeping: `costBasis` is the quote actually paid for the open
 * `qty` (Σ qty·price of entry fills, less the pro-rata share of what was sold), so the average
 * entry is derived (`avgEntry`) instead of stored, and cash is conserved to the last 1e-18 unit.
 */
export interface Position {
  readonly tag: string;
  /** Pair as configured, e.g. "BTC/USD". */
  readonly symbol: string;
  /** Base units, always > 0 (a position at 0 is removed). */
  readonly qty: Fixed;
  /** Quote units paid for `qty`, excluding fees. */
  readonly costBasis: Fixed;
  /** Quote units of entry fees still attributed to `qty`. */
  readonly entryFees: Fixed;
  /** ms since epoch (UTC) of the first entry fill. */
  readonly openedAt: number;
  /** Ledger-wide opening sequence; FIFO order is (openedAt, seq). */
  readonly seq: number;
  readonly stopLoss: Fixed | null;
  readonly takeProfit: Fixed | null;
  readonly intent: Intent;
  /** Latest mark (quote per base): the last fill or `markToMarket` price. */
  readonly lastPrice: Fixed;
  /** Max adverse excursion as a fraction of average entry, ≥ 0 (0.03 = price was 3 % below entry). */
  readonly mae: Fixed;
}

/** A (partial) close: one record per position touched by a sell. */
export interface ClosedTrade {
  readonly symbol: string;
  readonly tag: string;
  readonly intent: Intent;
  /** Base units closed. */
  readonly qty: Fixed;
  /** Average entry of the closed qty = costBasis / qty (rounded; display). */
  readonly entryPrice: Fixed;
  readonly exitPrice: Fixed;
  /** Quote cost of the closed qty (exact pro-rata share of the position's cost basis). */
  readonly costBasis: Fixed;
  /** Quote received for the closed qty before fees. */
  readonly proceeds: Fixed;
  /** Pro-rata share of the position's entry fees. */
  readonly entryFee: Fixed;
  /** Share of the exit fill's fee. */
  readonly exitFee: Fixed;
  /** entryFee + exitFee. */
  readonly fees: Fixed;
  /** Net realized P&L, quote: proceeds − costBasis − entryFee − exitFee. */
  readonly pnl: Fixed;
  /** pnl / costBasis as a FRACTION (0.05 = +5 %); the predecessor's `pnl_pct`. */
  readonly pnlFraction: Fixed;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly closeReason: CloseReason;
  /** MAE of the position up to and including this exit, fraction ≥ 0. */
  readonly mae: Fixed;
}

/**
 * A movement of capital. `amount` is quote units: > 0 for deposit and withdrawal (the kind gives
 * the sign), signed and ≠ 0 for adjustment (fee rebates, corrections).
 */
export interface CapitalEvent {
  readonly kind: 'deposit' | 'withdrawal' | 'adjustment';
  readonly amount: Fixed;
  /** ms since epoch (UTC). */
  readonly tsEvent: number;
  /** Calendar day in the fund's time zone, "YYYY-MM-DD" (computed by the caller). */
  readonly dayKey: string;
  readonly note?: string;
}

/** Running totals of one calendar day (fund time zone). */
export interface DayTotals {
  readonly dayKey: string;
  /** Fees charged on fills booked this day (entry and exit). */
  readonly fees: Fixed;
  /** Net realized P&L of closes booked this day. */
  readonly realizedPnl: Fixed;
  /** Net capital events booked this day (signed). */
  readonly capitalNet: Fixed;
  readonly fills: number;
}

/**
 * The whole ledger: immutable; every operation returns a new value. Invariant (checked by
 * property tests): cash = startingCapital + capitalNet + realizedPnl − Σ(costBasis + entryFees).
 */
export interface Ledger {
  readonly mode: LedgerMode;
  /** Prefix of automatic tags: "auto" (live/paper), "bt" (backtest), "c1" (candidate slot 1). */
  readonly tagPrefix: string;
  /** Quote units; stored once, never re-derived from config (L1). */
  readonly startingCapital: Fixed;
  readonly cash: Fixed;
  /** Open positions in FIFO order (openedAt, seq). */
  readonly positions: readonly Position[];
  readonly nextSeq: number;
  /** Last automatic tag number used per symbol-without-slash ("BTCUSD" → 3). Never reused. */
  readonly tagCounters: Readonly<Record<string, number>>;
  /** Σ net realized P&L since inception, quote. */
  readonly realizedPnl: Fixed;
  /** Σ every fee ever paid (entries and exits), quote. */
  readonly feesPaid: Fixed;
  /** Σ signed capital events, quote. */
  readonly capitalNet: Fixed;
  /** Totals of the latest day seen, or null before the first booking. */
  readonly today: DayTotals | null;
}

/** Why the ledger refused an operation. `message` says what was wrong and what is allowed. */
export type LedgerRejection =
  | { readonly code: 'insufficientCash'; readonly message: string; readonly required: Fixed; readonly available: Fixed }
  | { readonly code: 'unknownTag'; readonly message: string; readonly tag: string }
  | { readonly code: 'tagSymbolMismatch'; readonly message: string; readonly tag: string; readonly symbol: string; readonly positionSymbol: string }
  | { readonly code: 'noPosition'; readonly message: string; readonly symbol: string }
  | { readonly code: 'insufficientQuantity'; readonly message: string; readonly requested: Fixed; readonly available: Fixed }
  | { readonly code: 'noChange'; readonly message: string; readonly tag: string }
  | { readonly code: 'withdrawalExceedsCash'; readonly message: string; readonly amount: Fixed; readonly cash: Fixed };

/** A BUY execution to book (paper model fill or venue fill). Quote per base, base and quote units. */
export interface BuyFill {
  readonly side: 'buy';
  readonly symbol: string;
  /** Existing tag → average in; new tag → new position; absent → automatic tag. */
  readonly tag?: string;
  readonly qty: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly tsEvent: number;
  readonly dayKey: string;
  /** Absent = keep (average-in) / none (new); null = clear. */
  readonly stopLoss?: Fixed | null;
  readonly takeProfit?: Fixed | null;
  /** Absent = keep (average-in) / DAY (new). */
  readonly intent?: Intent;
}

/** A SELL execution to book: by tag, or FIFO across the symbol's positions when untagged. */
export interface SellFill {
  readonly side: 'sell';
  readonly symbol: string;
  readonly tag?: string;
  readonly qty: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  readonly tsEvent: number;
  readonly dayKey: string;
  /** Default 'signal'. */
  readonly reason?: CloseReason;
}

/** Either side of an execution. */
export type FillInput = BuyFill | SellFill;

/** A MODIFY: SL/TP/intent changes on one tag; no fee, no trade record. Absent = keep; null = clear. */
export interface ModifyInput {
  readonly tag: string;
  readonly stopLoss?: Fixed | null;
  readonly takeProfit?: Fixed | null;
  readonly intent?: Intent;
}

/** Result of any ledger operation. */
export type LedgerResult<Extra = object> =
  | ({ readonly ok: true; readonly ledger: Ledger } & Extra)
  | { readonly ok: false; readonly reason: LedgerRejection };

/** Extra result fields of a booked buy. */
export interface BuyBooked {
  readonly tag: string;
  /** True when a new position was opened, false for an average-in. */
  readonly opened: boolean;
}

/** Extra result fields of a booked sell: one record per position touched, FIFO order. */
export interface SellBooked {
  readonly closedTrades: readonly ClosedTrade[];
  /** Tags whose position reached zero and was removed. */
  readonly closedTags: readonly string[];
}
