/**
 * The risk measures, each defined once and shared by the pre-trade checks, the triggers and the
 * startup evaluation (so a check and its trigger can never disagree on a boundary). Exact
 * `Fixed` arithmetic; limits are fractions converted with `fromNumber`. "Beyond" a limit is
 * strictly greater, as in the predecessor. Pure.
 */
import type { RiskLimits } from '../contract/index.ts';
import { type Fixed, ZERO, div, fromNumber, mul, toFixed, toNumber } from '../money/index.ts';
import type { RiskState } from './state.ts';

/** A 0..1 limit as an exact `Fixed` (0.1 → exactly 0.1). */
export function fraction(value: number): Fixed {
  return fromNumber(value);
}

/** Baseline of the daily measures: start-of-day equity, or current equity when that is not positive (predecessor fallback). */
export function dayBase(state: RiskState): Fixed {
  return state.startOfDayEquity > ZERO ? state.startOfDayEquity : state.equity;
}

/**
 * Today's P&L as the daily-loss limit sees it: with `dailyLossIncludesUnrealized`, the equity
 * change since the start of the local day (realized + unrealized, fees included); otherwise the
 * realized P&L of today's closes only (the predecessor's measure).
 */
export function dailyPnl(state: RiskState, limits: RiskLimits): Fixed {
  return limits.dailyLossIncludesUnrealized ? state.equity - dayBase(state) : state.realizedPnlToday;
}

/** Largest daily loss allowed: base × maxDailyLossPct. */
export function dailyLossLimit(state: RiskState, limits: RiskLimits): Fixed {
  return mul(dayBase(state), fraction(limits.maxDailyLossPct));
}

/** Today's loss is beyond `maxDailyLossPct` of the day base. */
export function dailyLossBreached(state: RiskState, limits: RiskLimits): boolean {
  return -dailyPnl(state, limits) > dailyLossLimit(state, limits);
}

/** Peak-to-current drawdown beyond `maxDrawdownPct` of the peak. */
export function drawdownBreached(state: RiskState, limits: RiskLimits): boolean {
  return state.peakEquity > ZERO && state.peakEquity - state.equity > mul(state.peakEquity, fraction(limits.maxDrawdownPct));
}

/** Start-of-day-to-current equity drop beyond `rollbackDailyLossPct` of the day base. */
export function dailyDropBreached(state: RiskState, limits: RiskLimits): boolean {
  const base = dayBase(state);
  return base > ZERO && base - state.equity > mul(base, fraction(limits.rollbackDailyLossPct));
}

/** The losing streak has reached `rollbackConsecutiveLosses`. */
export function lossStreakBreached(state: RiskState, limits: RiskLimits): boolean {
  return state.consecutiveLosses >= limits.rollbackConsecutiveLosses;
}

/** Money for reasons: two decimals ("1234.50"). */
export function money(value: Fixed): string {
  return toFixed(value, 2);
}

/** A 0..1 fraction for reasons ("10%", "2.5%"). */
export function percent(value: number): string {
  return `${Number((value * 100).toPrecision(6))}%`;
}

/** part / whole as a percentage text for reasons; "n/a" when whole is not positive. */
export function ratio(part: Fixed, whole: Fixed): string {
  return whole > ZERO ? percent(toNumber(div(part, whole))) : 'n/a';
}
