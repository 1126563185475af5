/**
 * Store rows → operator views, and the small exact computations the views share (marking
 * positions, trade statistics, ratios). Pure.
 */
import type { DailyPerformanceRow, PositionRow, TradeRow } from '../../adapters/libsql/index.ts';
import { type TradeRow as MetricTradeRow, expectancy } from '../../domain/metrics/index.ts';
import { type Fixed, ZERO, div, round, toNumber, toString } from '../../domain/money/index.ts';
import { positionUnrealizedPnl, positionValue } from '../../domain/portfolio/index.ts';
import type { DailySnapshotView, PositionView, TradeStats, TradeView } from './views.ts';

/** Decimals of the ratios the views show (fractions such as 0.012345 = 1.2345 %). */
export const RATIO_DECIMALS = 6;

/** part / whole rounded half-even to 6 decimals, as text; null when whole ≤ 0. Pure. */
export function ratioText(part: Fixed, whole: Fixed): string | null {
  return whole > ZERO ? toString(round(div(part, whole), RATIO_DECIMALS)) : null;
}

/** An open position marked at its latest price. Pure. */
export function positionView(p: PositionRow): PositionView {
  const unrealized = positionUnrealizedPnl(p);
  return {
    symbol: p.symbol,
    tag: p.tag,
    intent: p.intent,
    quantity: toString(p.qty),
    entryPrice: toString(div(p.costBasis, p.qty)),
    lastPrice: toString(p.lastPrice),
    value: toString(positionValue(p)),
    unrealizedPnl: toString(unrealized),
    unrealizedFraction: ratioText(unrealized, p.costBasis) ?? '0',
    stopLoss: p.stopLoss === null ? null : toString(p.stopLoss),
    takeProfit: p.takeProfit === null ? null : toString(p.takeProfit),
    openedAtMs: p.openedAt,
    strategyVersion: p.strategyVersion,
  };
}

/** A closed trade. Pure. */
export function tradeView(t: Pick<TradeRow, 'symbol' | 'tag' | 'qty' | 'entryPrice' | 'exitPrice' | 'pnl' | 'pnlFraction' | 'fees' | 'closeReason' | 'openedAt' | 'closedAt' | 'strategyVersion'>): TradeView {
  return {
    symbol: t.symbol,
    tag: t.tag,
    quantity: toString(t.qty),
    entryPrice: toString(t.entryPrice),
    exitPrice: toString(t.exitPrice),
    pnl: toString(t.pnl),
    pnlFraction: toString(t.pnlFraction),
    fees: toString(t.fees),
    closeReason: t.closeReason,
    openedAtMs: t.openedAt,
    closedAtMs: t.closedAt,
    strategyVersion: t.strategyVersion,
  };
}

/** A stored trade as the truth metrics read it (float64 statistics). Pure. */
export function metricTrade(t: Pick<TradeRow, 'symbol' | 'pnl' | 'pnlFraction' | 'fees' | 'openedAt' | 'closedAt' | 'closeReason'>): MetricTradeRow {
  return {
    symbol: t.symbol,
    pnl: toNumber(t.pnl),
    pnlPct: toNumber(t.pnlFraction),
    fees: toNumber(t.fees),
    openedAtMs: t.openedAt,
    closedAtMs: t.closedAt,
    closeReason: t.closeReason,
  };
}

/** Counts and exact sums over closes, with win rate and expectancy as statistics. Pure. */
export function tradeStats(trades: readonly Pick<TradeRow, 'symbol' | 'pnl' | 'pnlFraction' | 'fees' | 'openedAt' | 'closedAt' | 'closeReason'>[]): TradeStats {
  let wins = 0;
  let losses = 0;
  let net = ZERO;
  let fees = ZERO;
  for (const t of trades) {
    if (t.pnl > ZERO) wins += 1;
    else if (t.pnl < ZERO) losses += 1;
    net += t.pnl;
    fees += t.fees;
  }
  return {
    total: trades.length,
    wins,
    losses,
    winRate: trades.length === 0 ? null : wins / trades.length,
    expectancy: trades.length === 0 ? null : expectancy(trades.map(metricTrade)),
    netPnl: toString(net),
    fees: toString(fees),
  };
}

/** A stored daily snapshot. Pure. */
export function snapshotView(r: DailyPerformanceRow): DailySnapshotView {
  return {
    date: r.date,
    portfolioValue: toString(r.portfolioValue),
    cash: toString(r.cash),
    totalTrades: r.totalTrades,
    wins: r.wins,
    losses: r.losses,
    netPnl: toString(r.netPnl),
    feesTotal: toString(r.feesTotal),
    winRate: r.winRate,
    maxDrawdownPct: toString(r.maxDrawdownPct),
    sharpe: r.sharpe,
    strategyVersion: r.strategyVersion,
  };
}

/** Clamps a list limit to 1..max (the predecessor's fix for SQLite's LIMIT -1); default when absent or not finite. Pure. */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}
