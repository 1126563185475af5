/**
 * The shapes of the decision pipeline: its settings, its state (replaced, never mutated, by every
 * call), and the typed events each call reports.
 */
import type { ClosedTrade as ContractClosedTrade, Intent, RiskLimits, Signal } from '../contract/index.ts';
import type { LimitFillRule, ModelFill, PairRules, PreparedOrder } from '../execution/index.ts';
import type { Fixed } from '../money/index.ts';
import type { ClosedTrade, Ledger, LedgerMode } from '../portfolio/index.ts';
import type { Halt, HaltRequest, RiskCheckName, RiskState, RollbackRequest } from '../risk/index.ts';
import type { FeeSchedule, FeeVolume } from './fees.ts';

/** One traded market: the pair's order rules and the spread the fill model crosses. */
export interface MarketSpec {
  /** Pair name, 'BASE/QUOTE'. */
  readonly symbol: string;
  readonly rules: PairRules;
  /** (ask − bid) / mid as a fraction: a market buy pays mid × (1 + spread/2 + slippage). */
  readonly spread: Fixed;
}

/** What the caller chooses (mode-independent); `createPipelineConfig` validates and derives the rest. */
export interface PipelineSettings {
  /** The traded markets; their order is the index order of `MarketStep.candles`. */
  readonly markets: readonly MarketSpec[];
  readonly limits: RiskLimits;
  /** IANA zone of the fund's day (risk counters, daily snapshot). */
  readonly timeZone: string;
  /** Fee rates by 30-day volume; `flatFeeSchedule` for one rate. */
  readonly fees: FeeSchedule;
  /** Default slippage fraction of MARKET orders and triggered exits (a signal's `slippageTolerance` overrides it). */
  readonly slippage: Fixed;
  /** When a resting LIMIT fills: `through` (default, strictly beyond the limit) or `touch`. */
  readonly limitFillRule?: LimitFillRule;
  /** How long an unfilled LIMIT rests before it expires, ms (default 1 h). */
  readonly limitOrderTtlMs?: number;
  /** Automatic tag prefix ("bt" in backtests, "auto" in paper/live, "c1" for candidate slot 1). */
  readonly tagPrefix?: string;
  /** Ledger mode (default `paper`: the ledger is the truth and refuses negative cash). */
  readonly ledgerMode?: LedgerMode;
}

/** Validated settings plus what the hot path needs precomputed. Build with `createPipelineConfig`. */
export interface PipelineConfig {
  readonly markets: readonly MarketSpec[];
  readonly symbols: readonly string[];
  readonly limits: RiskLimits;
  readonly timeZone: string;
  readonly fees: FeeSchedule;
  readonly slippage: Fixed;
  readonly limitFillRule: LimitFillRule;
  readonly limitOrderTtlMs: number;
  readonly tagPrefix: string;
  readonly ledgerMode: LedgerMode;
  /** Symbol → index into `markets`. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Spreads as float64, for the strategy's view. */
  readonly spreadNumbers: readonly number[];
}

/** Why an order rests: an entry (BUY), a partial reduction (SELL) or a full exit (CLOSE). */
export type OrderPurpose = 'entry' | 'reduce' | 'close';

/** A LIMIT order resting until a later candle trades through it, it expires, or it is canceled. */
export interface RestingOrder {
  /** 1, 2, 3… within one pipeline state. */
  readonly id: number;
  readonly symbol: string;
  readonly purpose: OrderPurpose;
  /** Side, quantity (base, on the lot grid) and limit (on the tick grid). A reduce/close re-sizes to the holding at fill time. */
  readonly order: PreparedOrder;
  /** Entry: the tag to open or average into (null = automatic). Exit: the tag to sell from (null = FIFO / every position). */
  readonly tag: string | null;
  /** Entry only: protective levels and intent given to the position when it fills. */
  readonly stopLoss: Fixed | null;
  readonly takeProfit: Fixed | null;
  readonly intent: Intent | null;
  /** ms since epoch (UTC). Only candles that open at or after `placedAtMs` can fill it. */
  readonly placedAtMs: number;
  /** The order is canceled as expired at the first step at or after this time. */
  readonly expiresAtMs: number;
  /** The signal that placed it. */
  readonly signal: Signal;
}

/** The latest closed candle of one symbol, as the hot path needs it. */
export interface SymbolMark {
  /** Close of the latest candle (the mid the fill model and valuations use). */
  readonly close: number;
  /** Lowest low seen since the last MAE flush into the ledger (+Infinity when none). */
  readonly low: number;
  /** Close time of the latest candle, ms since epoch. */
  readonly tsMs: number;
}

/** A float64 view of one ledger position (same order as `ledger.positions`), rebuilt when the ledger changes. */
export interface PositionShadow {
  readonly tag: string;
  readonly symbolIndex: number;
  readonly qty: number;
  readonly costBasis: number;
  readonly avgEntry: number;
  /** NaN when unset. */
  readonly stopLoss: number;
  readonly takeProfit: number;
  readonly openedAt: number;
}

/**
 * Everything the pipeline knows. Immutable: every call returns a new state (or the same object
 * when nothing changed). `ledger` and `risk` are the exact truth; `marks`, `shadows` and `gauge`
 * are float64 views derived from them for the per-candle hot path.
 */
export interface PipelineState {
  readonly ledger: Ledger;
  readonly risk: RiskState;
  /** Resting LIMIT orders in placement order. */
  readonly orders: readonly RestingOrder[];
  readonly nextOrderId: number;
  /** Fills of the last 30 days, which set the fee tier. */
  readonly feeVolume: FeeVolume;
  /** Per market index: the latest candle, or null before the first one. */
  readonly marks: readonly (SymbolMark | null)[];
  readonly shadows: readonly PositionShadow[];
  /** Float64 mirrors of ledger cash and of the risk peak, start-of-day equity and realized P&L today, for the pre-screens. */
  readonly gauge: { readonly cash: number; readonly peak: number; readonly startOfDay: number; readonly realizedToday: number };
  /** First instant of the next local day (ms): the day rolls at the first step at or after it. */
  readonly dayEndsAtMs: number;
  /** The latest `nowMs` the pipeline has processed. */
  readonly nowMs: number;
  /** Most recent closes as strategies see them, newest first, at most `RECENT_TRADES_LIMIT`. */
  readonly recentTrades: readonly ContractClosedTrade[];
}

/** Where a signal was turned down. */
export type RejectionStage =
  /** Structurally invalid output or signal (zod). */
  | 'parse'
  /** No price yet for the symbol. */
  | 'market'
  /** A pre-trade risk check (`check` names it). */
  | 'risk'
  /** Sizing or the pair's order rules (below ordermin/costmin, size rounds to 0). */
  | 'order'
  /** The ledger refused (insufficient cash, unknown tag, nothing to change…). */
  | 'ledger';

/** Why a fill happened. */
export type FillSource = 'signal' | 'limit' | 'stopLoss' | 'takeProfit';

/** Why a resting order was canceled. */
export type CancelReason =
  | 'expired'
  | 'halted'
  | 'noPosition'
  | 'insufficientCash'
  /** At fill time the daily entry limit or the position limit was reached (by other fills since placement). */
  | 'riskLimit';

/**
 * What one pipeline call did, in order. Facts, named `<noun>.<pastTense>`. Times are the call's
 * `nowMs`; money is exact `Fixed`.
 */
export type PipelineEvent =
  | { readonly type: 'signal.accepted'; readonly tsMs: number; readonly index: number; readonly signal: Signal; readonly regime: string | null }
  | {
      readonly type: 'signal.rejected';
      readonly tsMs: number;
      /** Position in the strategy's output; null when the whole output was unusable. */
      readonly index: number | null;
      readonly signal: Signal | null;
      readonly stage: RejectionStage;
      /** The risk check (stage `risk`) or the order/ledger rejection code. */
      readonly code: RiskCheckName | string | null;
      readonly reason: string;
      readonly regime: string | null;
    }
  | { readonly type: 'order.placed'; readonly tsMs: number; readonly order: RestingOrder }
  | { readonly type: 'order.canceled'; readonly tsMs: number; readonly order: RestingOrder; readonly reason: CancelReason; readonly detail: string }
  | {
      readonly type: 'order.filled';
      readonly tsMs: number;
      readonly symbol: string;
      /** The resting order's id; null for an immediate fill (MARKET, marketable LIMIT, triggered exit). */
      readonly orderId: number | null;
      /** The position bought into, or sold from (null: an untagged sell across the symbol's positions). */
      readonly tag: string | null;
      readonly orderType: 'MARKET' | 'LIMIT';
      readonly source: FillSource;
      readonly fill: ModelFill;
      /** The signal behind it (null for stop-loss / take-profit). */
      readonly signal: Signal | null;
    }
  | { readonly type: 'position.opened'; readonly tsMs: number; readonly tag: string; readonly symbol: string }
  | { readonly type: 'position.modified'; readonly tsMs: number; readonly tag: string; readonly symbol: string }
  | { readonly type: 'position.closed'; readonly tsMs: number; readonly trade: ClosedTrade; readonly fullyClosed: boolean }
  | { readonly type: 'risk.halted'; readonly tsMs: number; readonly halt: HaltRequest }
  | { readonly type: 'risk.haltCleared'; readonly tsMs: number; readonly halt: Halt }
  | { readonly type: 'strategy.rollbackRequested'; readonly tsMs: number; readonly rollback: RollbackRequest }
  /** The local day `dayKey` ended: its closing snapshot (equity marked at the last prices of the day). */
  | { readonly type: 'day.closed'; readonly tsMs: number; readonly dayKey: string; readonly equity: Fixed; readonly cash: Fixed };

/** Outcome of a pipeline call: the next state and what happened. */
export interface PipelineResult {
  readonly state: PipelineState;
  readonly events: readonly PipelineEvent[];
}
