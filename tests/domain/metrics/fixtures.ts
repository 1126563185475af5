import type { DailySnapshotRow, TradeRow, TruthMetricsInput } from '../../../domain/metrics/index.ts';

export const HOUR = 3_600_000;
/** 2024-03-01T00:00:00Z in ms, an arbitrary origin for the fixtures. */
export const T0 = 1_709_251_200_000;

export function trade(symbol: string, pnl: number, pnlPct: number, fees: number, openedH: number, closedH: number, closeReason: string | null): TradeRow {
  return { symbol, pnl, pnlPct, fees, openedAtMs: T0 + openedH * HOUR, closedAtMs: T0 + closedH * HOUR, closeReason };
}

/**
 * Six closed trades, listed out of close order on purpose. By close time (hours after T0):
 *   2h #1 +10 · 4h #3 0 · 5h #2 −4 · 10h #4 +6 · 12h #5 −2 · 14h #6 −1
 */
export const TRADES: readonly TradeRow[] = [
  trade('BTC/USD', 10, 0.1, 0.5, 0, 2, 'take_profit'), // #1
  trade('ETH/USD', -4, -0.04, 0.4, 1, 5, 'stop_loss'), // #2
  trade('BTC/USD', 0, 0, 0.2, 3, 4, null), // #3
  trade('SOL/USD', 6, 0.03, 0.3, 4, 10, 'signal'), // #4
  trade('ETH/USD', -2, -0.02, 0.1, 6, 12, 'stop_loss'), // #5
  trade('BTC/USD', -1, -0.005, 0.1, 8, 14, ''), // #6
];

/**
 * Five daily snapshots (given out of date order), values 100 → 110 → 104.5 → 106.59 → 105.5241,
 * i.e. daily returns +10 %, −5 %, +2 %, −1 %.
 */
export const SNAPSHOTS: readonly DailySnapshotRow[] = [
  { date: '2024-03-03', portfolioValue: 104.5, cash: 50 },
  { date: '2024-03-01', portfolioValue: 100, cash: 100 },
  { date: '2024-03-05', portfolioValue: 105.5241, cash: 70 },
  { date: '2024-03-02', portfolioValue: 110, cash: 50 },
  { date: '2024-03-04', portfolioValue: 106.59, cash: 60 },
];

export const EMPTY: TruthMetricsInput = {
  trades: [],
  snapshots: [],
  signals: [],
  scans: [],
  strategyVersions: [],
  openPositions: [],
  periodStartMs: T0,
  nowMs: T0 + 100 * HOUR,
};
