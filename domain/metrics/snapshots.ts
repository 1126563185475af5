import { daysFromCivil } from './dates.ts';
import { MetricsInputError } from './validate.ts';
import type { DailySnapshotRow } from './rows.ts';
import { mean, sampleVariance } from './stats.ts';

/**
 * Truth metrics over daily snapshots (predecessor §11 #11–13, #27–28, plus Calmar). Pure.
 * Snapshots are ordered by `date`; the caller's order does not matter.
 */

/** Days per year used to annualise daily figures: crypto trades every calendar day. */
export const DAYS_PER_YEAR = 365;

/** Snapshots sorted by date, oldest first. */
export function byDate(snapshots: readonly DailySnapshotRow[]): DailySnapshotRow[] {
  return [...snapshots].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function latest(snapshots: readonly DailySnapshotRow[]): DailySnapshotRow | null {
  return byDate(snapshots).at(-1) ?? null;
}

/** #11 Portfolio value of the latest snapshot, quote currency; null when there is none. */
export function portfolioValue(snapshots: readonly DailySnapshotRow[]): number | null {
  return latest(snapshots)?.portfolioValue ?? null;
}

/** #12 Cash of the latest snapshot, quote currency; null when there is none. */
export function portfolioCash(snapshots: readonly DailySnapshotRow[]): number | null {
  return latest(snapshots)?.cash ?? null;
}

/**
 * #13 Largest peak-to-trough fall of snapshot values, a fraction of the peak (0.25 = 25 %).
 * The running peak starts at 0, so values before the first positive one cannot set a drawdown.
 * 0 when there are no snapshots.
 */
export function maxDrawdownPct(snapshots: readonly DailySnapshotRow[]): number {
  let peak = 0;
  let worst = 0;
  for (const s of byDate(snapshots)) {
    if (s.portfolioValue > peak) peak = s.portfolioValue;
    if (peak > 0) worst = Math.max(worst, (peak - s.portfolioValue) / peak);
  }
  return worst;
}

/**
 * Simple day-over-day returns (vᵢ − vᵢ₋₁) / vᵢ₋₁ in date order, skipping a day whose previous
 * value is ≤ 0 (that value still serves as the next day's base). Gaps between dates are not
 * filled: one return per consecutive pair of snapshots.
 */
export function dailyReturns(snapshots: readonly DailySnapshotRow[]): number[] {
  const values = byDate(snapshots).map((s) => s.portfolioValue);
  const returns: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const previous = values[i - 1]!;
    if (previous > 0) returns.push((values[i]! - previous) / previous);
  }
  return returns;
}

/** Daily returns when the predecessor's Sharpe/Sortino preconditions hold (≥ 3 snapshots, ≥ 2 returns), else null. */
function returnsForRatios(snapshots: readonly DailySnapshotRow[]): number[] | null {
  if (snapshots.length < 3) return null;
  const returns = dailyReturns(snapshots);
  return returns.length >= 2 ? returns : null;
}

/**
 * #27 Annualised Sharpe ratio of daily snapshot returns: mean / sample standard deviation
 * (n − 1) × √365, with no risk-free rate. 0 with fewer than 3 snapshots or 2 returns, or when
 * the returns have no spread.
 */
export function sharpeRatio(snapshots: readonly DailySnapshotRow[]): number {
  const returns = returnsForRatios(snapshots);
  if (returns === null) return 0;
  const sd = Math.sqrt(sampleVariance(returns));
  return sd > 0 ? (mean(returns) / sd) * Math.sqrt(DAYS_PER_YEAR) : 0;
}

/**
 * #28 Annualised Sortino ratio: mean of all daily returns / downside deviation × √365, where the
 * downside deviation is √(Σ r² / (k − 1)) over the k negative returns (target 0). 0 with fewer
 * than 3 snapshots, 2 returns or 2 negative returns.
 */
export function sortinoRatio(snapshots: readonly DailySnapshotRow[]): number {
  const returns = returnsForRatios(snapshots);
  if (returns === null) return 0;
  const downside = returns.filter((r) => r < 0);
  if (downside.length < 2) return 0;
  const downsideDeviation = Math.sqrt(downside.reduce((total, r) => total + r * r, 0) / (downside.length - 1));
  return downsideDeviation > 0 ? (mean(returns) / downsideDeviation) * Math.sqrt(DAYS_PER_YEAR) : 0;
}

/**
 * Calmar ratio: compound annual growth rate / maxDrawdownPct. CAGR = (last / first)^(365 / d) − 1
 * over the d calendar days between the first and last snapshot dates. Infinity when there was
 * growth and no drawdown; 0 when neither. Null with fewer than 2 snapshots, a first value ≤ 0,
 * or d = 0. Annualising a few days' return gives huge numbers: read it over months, not days.
 */
export function calmarRatio(snapshots: readonly DailySnapshotRow[]): number | null {
  const sorted = byDate(snapshots);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined || sorted.length < 2 || !(first.portfolioValue > 0)) return null;
  const days = civilDay(last.date) - civilDay(first.date);
  if (days <= 0) return null;
  const cagr = (last.portfolioValue / first.portfolioValue) ** (DAYS_PER_YEAR / days) - 1;
  const drawdown = maxDrawdownPct(sorted);
  if (drawdown > 0) return cagr / drawdown;
  return cagr > 0 ? Number.POSITIVE_INFINITY : 0;
}

function civilDay(date: string): number {
  const day = daysFromCivil(date);
  if (day === null) throw new MetricsInputError([`snapshot date ${JSON.stringify(date)} is not a YYYY-MM-DD calendar date`]);
  return day;
}
