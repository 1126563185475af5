/**
 * What the strategy sees of the fund: the contract's `Portfolio`, a plain-number view of the
 * exact books at the latest closes. Pure.
 */
import type { OpenPosition, Portfolio } from '../contract/index.ts';
import { ZERO } from '../money/index.ts';
import { feesOnDay } from '../portfolio/index.ts';
import { approx } from './price.ts';
import type { PipelineState } from './types.ts';

/**
 * The `Portfolio` handed to `analyze()`: cash, total value and open positions (oldest first) at
 * the latest close of each market, the 100 most recent closes (newest first), today's P&L
 * against the start-of-day equity, total P&L against starting capital plus net capital flows,
 * and fees charged today. Float64 (the strategy's view; money stays exact in the ledger). Pure.
 */
export function portfolioView(state: PipelineState): Portfolio {
  const { ledger, risk, marks } = state;
  let totalValue = state.gauge.cash;
  const positions: OpenPosition[] = [];
  const shadows = state.shadows;
  for (let i = 0; i < shadows.length; i++) {
    const s = shadows[i]!;
    const p = ledger.positions[i]!;
    const mark = marks[s.symbolIndex];
    const price = mark ? mark.close : approx(p.lastPrice);
    const value = s.qty * price;
    totalValue += value;
    const unrealizedPnl = value - s.costBasis;
    positions.push({
      tag: s.tag,
      symbol: p.symbol,
      side: 'long',
      qty: s.qty,
      avgEntry: s.avgEntry,
      currentPrice: price,
      unrealizedPnl,
      unrealizedPnlPct: s.costBasis > 0 ? unrealizedPnl / s.costBasis : 0,
      intent: p.intent,
      stopLoss: Number.isNaN(s.stopLoss) ? null : s.stopLoss,
      takeProfit: Number.isNaN(s.takeProfit) ? null : s.takeProfit,
      openedAt: p.openedAt,
    });
  }
  const startOfDay = risk.startOfDayEquity > ZERO ? approx(risk.startOfDayEquity) : totalValue;
  return {
    cash: state.gauge.cash,
    totalValue,
    positions,
    recentTrades: state.recentTrades,
    dailyPnl: totalValue - startOfDay,
    totalPnl: totalValue - approx(ledger.startingCapital + ledger.capitalNet),
    feesToday: approx(feesOnDay(ledger, risk.dayKey)),
  };
}
