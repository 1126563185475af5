/**
 * The risk counters and their pure reducers (predecessor §4.3, with its defects fixed):
 * entries, not closes, are counted against `maxDailyTrades`; one day boundary (local midnight in
 * the configured zone) for every daily counter; capital flows shift the baselines so a deposit or
 * withdrawal is never mistaken for profit or loss. Every reducer returns a new state (or the same
 * object when nothing changes); none reads a clock.
 */
import type { RiskLimits } from '../contract/index.ts';
import { type Fixed, ZERO, max } from '../money/index.ts';
import { type DayKey, localDayKey } from '../time/index.ts';
import { HALT_CLEARS_AT_NEW_DAY, type Halt, type HaltRequest, mergeHalt } from './halts.ts';
import { drawdownBreached } from './measures.ts';

/** Everything the pre-trade checks and the triggers need besides the signal. Money is quote currency. */
export interface RiskState {
  /** Local day ('YYYY-MM-DD' in the configured zone) the daily counters belong to. */
  readonly dayKey: DayKey;
  /** BUY executions (new positions and average-ins) this local day. */
  readonly entriesToday: number;
  /** Σ P&L of closes (full and partial) this local day, net of fees. */
  readonly realizedPnlToday: Fixed;
  /** Equity at the start of the local day, shifted by today's capital flows. */
  readonly startOfDayEquity: Fixed;
  /** Last marked total portfolio value (cash + positions at current prices). */
  readonly equity: Fixed;
  /** Highest marked equity, shifted by capital flows since. */
  readonly peakEquity: Fixed;
  /** Losing closes in a row (a close with P&L ≥ 0 ends the streak; so does an operator resume). */
  readonly consecutiveLosses: number;
  readonly halt: Halt | null;
  /** Operator kill switch (`/kill`); the config one is `RiskLimits.killSwitch`. Cleared by resume. */
  readonly killSwitch: boolean;
  /** A daily-drop rollback was already requested this local day (never revert twice for one day). */
  readonly rolledBackToday: boolean;
  /** A consecutive-loss rollback was already requested for the current losing streak. */
  readonly rolledBackThisStreak: boolean;
}

/** Thrown when a caller uses a risk state of an earlier day without `resetIfNewDay`: a programmer error. */
export class RiskStateError extends Error {
  override readonly name = 'RiskStateError';
}

/** A fresh state for a fund whose marked equity is `equity` at `nowMs` (first boot, or a backtest start). Pure. */
export function createRiskState(equity: Fixed, nowMs: number, timeZone: string): RiskState {
  return {
    dayKey: localDayKey(nowMs, timeZone),
    entriesToday: 0,
    realizedPnlToday: ZERO,
    startOfDayEquity: equity,
    equity,
    peakEquity: equity,
    consecutiveLosses: 0,
    halt: null,
    killSwitch: false,
    rolledBackToday: false,
    rolledBackThisStreak: false,
  };
}

/** Counts one executed entry (a BUY fill: new position or average-in). Call after `resetIfNewDay`. Pure. */
export function onEntry(state: RiskState): RiskState {
  return { ...state, entriesToday: state.entriesToday + 1 };
}

/**
 * Books one close (full or partial; `pnl` net of fees, quote currency): adds to today's realized
 * P&L; a loss extends the streak, anything else (zero included, as the predecessor) ends it.
 * Call after `resetIfNewDay`. Pure.
 */
export function onClose(state: RiskState, pnl: Fixed): RiskState {
  const loss = pnl < ZERO;
  return {
    ...state,
    realizedPnlToday: state.realizedPnlToday + pnl,
    consecutiveLosses: loss ? state.consecutiveLosses + 1 : 0,
    rolledBackThisStreak: loss ? state.rolledBackThisStreak : false,
  };
}

/** Marks the current total portfolio value and raises the peak. Call on every valuation (fills, ticks, startup). Pure. */
export function onEquity(state: RiskState, equity: Fixed): RiskState {
  if (equity === state.equity && equity <= state.peakEquity) return state;
  return { ...state, equity, peakEquity: max(state.peakEquity, equity) };
}

/**
 * A deposit (amount > 0) or withdrawal (amount < 0) of `amount` quote currency: shifts equity,
 * start-of-day equity and peak by the same amount, so daily loss and drawdown measure trading
 * only. Pure.
 */
export function onCapitalFlow(state: RiskState, amount: Fixed): RiskState {
  return {
    ...state,
    equity: state.equity + amount,
    startOfDayEquity: state.startOfDayEquity + amount,
    peakEquity: state.peakEquity + amount,
  };
}

/**
 * Rolls the daily counters when `nowMs` falls on a later local day than `state.dayKey`: entries
 * and realized P&L to zero, start-of-day equity := last marked equity, the daily rollback flag
 * off, and day-scoped halts (daily loss, daily drop) cleared; sticky halts stay. A `nowMs` on an
 * earlier day (clock stepped back) changes nothing: counters are never wiped early. Pure.
 */
export function resetIfNewDay(state: RiskState, nowMs: number, timeZone: string): RiskState {
  const today = localDayKey(nowMs, timeZone);
  if (today <= state.dayKey) return state;
  return {
    ...state,
    dayKey: today,
    entriesToday: 0,
    realizedPnlToday: ZERO,
    startOfDayEquity: state.equity,
    rolledBackToday: false,
    halt: state.halt !== null && HALT_CLEARS_AT_NEW_DAY[state.halt.kind] ? null : state.halt,
  };
}

/** Throws `RiskStateError` when `state` belongs to a day before the local day of `nowMs`. */
export function assertCurrentDay(state: RiskState, nowMs: number, timeZone: string): void {
  const today = localDayKey(nowMs, timeZone);
  if (today > state.dayKey) {
    throw new RiskStateError(`risk state is for ${state.dayKey} but it is now ${today} in ${timeZone}; call resetIfNewDay first`);
  }
}

/** Applies a halt at `nowMs` (a sticky halt replaces a day-scoped one; otherwise the current one stays). Pure. */
export function haltTrading(state: RiskState, request: HaltRequest, nowMs: number): RiskState {
  const halt = mergeHalt(state.halt, { kind: request.kind, reason: request.reason, sinceMs: nowMs });
  return halt === state.halt ? state : { ...state, halt };
}

/** Engages the operator kill switch: no entries until `resume`. Pure. */
export function engageKillSwitch(state: RiskState): RiskState {
  return state.killSwitch ? state : { ...state, killSwitch: true };
}

/**
 * Operator resume (`/resume`): clears the halt and the operator kill switch and ends the losing
 * streak (as the predecessor's `unhalt`). If the drawdown is still beyond `maxDrawdownPct`, the
 * peak is re-based to current equity: the operator accepts the loss, and drawdown is measured
 * from here (otherwise the drawdown trigger would halt again at once and resume could never
 * work). It cannot override the config kill switch, and the daily-loss check keeps denying
 * entries until the next local day if today's loss is still beyond the limit. Pure.
 */
export function resume(state: RiskState, limits: RiskLimits): RiskState {
  return {
    ...state,
    halt: null,
    killSwitch: false,
    consecutiveLosses: 0,
    rolledBackThisStreak: false,
    peakEquity: drawdownBreached(state, limits) ? state.equity : state.peakEquity,
  };
}
