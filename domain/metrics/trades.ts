import type { TradeRow } from './rows.ts';
import { mean } from './stats.ts';

/**
 * Truth metrics over closed trades (predecessor §11 #1–10, #22–26, #29). Each is pure, reads
 * only its argument, and returns the predecessor's value for empty input.
 */

/** #1 Number of closed trades. */
export function tradeCount(trades: readonly TradeRow[]): number {
  return trades.length;
}

/** #2 Closed trades with pnl > 0. */
export function winCount(trades: readonly TradeRow[]): number {
  return trades.filter((t) => t.pnl > 0).length;
}

/** #3 Closed trades with pnl < 0 (a zero-P&L trade is neither a win nor a loss). */
export function lossCount(trades: readonly TradeRow[]): number {
  return trades.filter((t) => t.pnl < 0).length;
}

/** #4 winCount / tradeCount, a fraction; 0 when there are no trades. */
export function winRate(trades: readonly TradeRow[]): number {
  return trades.length === 0 ? 0 : winCount(trades) / trades.length;
}

/** #5 Σ pnl, quote currency; 0 when there are no trades. */
export function netPnl(trades: readonly TradeRow[]): number {
  return trades.reduce((total, t) => total + t.pnl, 0);
}

/** #6 Σ fees, quote currency; 0 when there are no trades. */
export function totalFees(trades: readonly TradeRow[]): number {
  return trades.reduce((total, t) => total + t.fees, 0);
}

/** #7 Mean pnl of winners, quote currency; 0 when there are none. */
export function avgWin(trades: readonly TradeRow[]): number {
  return mean(trades.filter((t) => t.pnl > 0).map((t) => t.pnl));
}

/** #8 Mean pnl of losers, quote currency (negative); 0 when there are none. */
export function avgLoss(trades: readonly TradeRow[]): number {
  return mean(trades.filter((t) => t.pnl < 0).map((t) => t.pnl));
}

/**
 * #9 Expectancy per trade, quote currency: winRate × avgWin + (lossCount / tradeCount) × avgLoss.
 * Zero-P&L trades count in the denominator only. 0 when there are no trades.
 */
export function expectancy(trades: readonly TradeRow[]): number {
  if (trades.length === 0) return 0;
  return winRate(trades) * avgWin(trades) + (lossCount(trades) / trades.length) * avgLoss(trades);
}

/** How many recent closes `consecutiveLosses` looks at (the predecessor's LIMIT 50). */
export const CONSECUTIVE_LOSSES_WINDOW = 50;

/**
 * #10 Current losing streak: among the 50 most recent closes (by `closedAtMs`; on an exact tie
 * the later row counts as more recent), how many of the newest in a row have pnl < 0. A win or
 * a zero-P&L close ends the streak. Capped at 50, as the predecessor's was.
 */
export function consecutiveLosses(trades: readonly TradeRow[]): number {
  const recent = trades
    .map((t, index) => ({ t, index }))
    .sort((a, b) => b.t.closedAtMs - a.t.closedAtMs || b.index - a.index)
    .slice(0, CONSECUTIVE_LOSSES_WINDOW);
  let streak = 0;
  for (const { t } of recent) {
    if (!(t.pnl < 0)) break;
    streak++;
  }
  return streak;
}

/**
 * #22 Profit factor: Σ winning pnl / Σ |losing pnl|. Infinity when there are wins but no losses;
 * 0 when there are neither. (JSON has no Infinity: serialisers must render it explicitly, e.g.
 * Prometheus `+Inf`; `JSON.stringify` would silently write null.)
 */
export function profitFactor(trades: readonly TradeRow[]): number {
  let grossWins = 0;
  let grossLosses = 0;
  for (const t of trades) {
    if (t.pnl > 0) grossWins += t.pnl;
    else if (t.pnl < 0) grossLosses += -t.pnl;
  }
  if (grossLosses > 0) return grossWins / grossLosses;
  return grossWins > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * #23 Closed trades per close reason, keys sorted; a missing or empty reason counts as
 * "unknown" (merged with any literal "unknown" reason, not overwriting it).
 */
export function closeReasonBreakdown(trades: readonly TradeRow[]): Readonly<Record<string, number>> {
  return countBy(trades, (t) => (t.closeReason === null || t.closeReason === '' ? 'unknown' : t.closeReason));
}

/** #24 Mean holding time (closedAtMs − openedAtMs) in hours; 0 when there are no trades. */
export function avgTradeDurationHours(trades: readonly TradeRow[]): number {
  return mean(trades.map((t) => (t.closedAtMs - t.openedAtMs) / 3_600_000));
}

/** #25 Highest pnlPct (a fraction); 0 when there are no trades. */
export function bestTradePnlPct(trades: readonly TradeRow[]): number {
  return trades.length === 0 ? 0 : trades.reduce((best, t) => Math.max(best, t.pnlPct), Number.NEGATIVE_INFINITY);
}

/** #26 Lowest pnlPct (a fraction); 0 when there are no trades. */
export function worstTradePnlPct(trades: readonly TradeRow[]): number {
  return trades.length === 0 ? 0 : trades.reduce((worst, t) => Math.min(worst, t.pnlPct), Number.POSITIVE_INFINITY);
}

/** #29 Closed trades per symbol, keys sorted. */
export function tradesBySymbol(trades: readonly TradeRow[]): Readonly<Record<string, number>> {
  return countBy(trades, (t) => t.symbol);
}

function countBy<T>(rows: readonly T[], keyOf: (row: T) => string): Readonly<Record<string, number>> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
