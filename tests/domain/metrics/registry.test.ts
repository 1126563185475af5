import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { EMPTY, HOUR, SNAPSHOTS, T0, TRADES } from './fixtures.ts';

/** reference/predecessor.md §11, keys #1–29 in order. */
const PREDECESSOR_KEYS = [
  'trade_count', 'win_count', 'loss_count', 'win_rate', 'net_pnl', 'total_fees', 'avg_win', 'avg_loss', 'expectancy',
  'consecutive_losses', 'portfolio_value', 'portfolio_cash', 'max_drawdown_pct', 'total_signals', 'acted_signals',
  'signal_act_rate', 'total_scans', 'first_scan_at', 'last_scan_at', 'current_strategy_version', 'strategy_version_count',
  'profit_factor', 'close_reason_breakdown', 'avg_trade_duration_hours', 'best_trade_pnl_pct', 'worst_trade_pnl_pct',
  'sharpe_ratio', 'sortino_ratio', 'trades_by_symbol',
];

describe('TRUTH_METRICS and computeTruthMetrics', () => {
  it('lists all 29 predecessor benchmarks in order, then Calmar, exposure and PSR', () => {
    expect(M.TRUTH_METRICS.slice(0, 29).map((m) => m.predecessorKey)).toEqual(PREDECESSOR_KEYS);
    expect(M.TRUTH_METRICS.slice(29).map((m) => [m.key, m.predecessorKey])).toEqual([
      ['calmarRatio', null],
      ['exposureTime', null],
      ['probabilisticSharpeRatio', null],
    ]);
    const keys = M.TRUTH_METRICS.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of M.TRUTH_METRICS) {
      expect(m.description.length, m.key).toBeGreaterThan(10);
      // Each name is the predecessor key in camelCase.
      if (m.predecessorKey !== null) expect(m.key).toBe(m.predecessorKey.replace(/_(\w)/g, (_s, c: string) => c.toUpperCase()));
    }
  });

  it('gives every metric its documented value on empty input', () => {
    expect(M.computeTruthMetrics(EMPTY)).toEqual({
      tradeCount: 0, winCount: 0, lossCount: 0, winRate: 0, netPnl: 0, totalFees: 0, avgWin: 0, avgLoss: 0, expectancy: 0,
      consecutiveLosses: 0, portfolioValue: null, portfolioCash: null, maxDrawdownPct: 0, totalSignals: 0, actedSignals: 0,
      signalActRate: 0, totalScans: 0, firstScanAt: null, lastScanAt: null, currentStrategyVersion: null, strategyVersionCount: 0,
      profitFactor: 0, closeReasonBreakdown: {}, avgTradeDurationHours: 0, bestTradePnlPct: 0, worstTradePnlPct: 0,
      sharpeRatio: 0, sortinoRatio: 0, tradesBySymbol: {}, calmarRatio: null, exposureTime: 0, probabilisticSharpeRatio: null,
    });
  });

  it('computes each metric with its own function over the full fixture', () => {
    const input: M.TruthMetricsInput = {
      ...EMPTY,
      trades: TRADES,
      snapshots: SNAPSHOTS,
      signals: [{ actedOn: true }, { actedOn: false }],
      scans: [{ createdAtMs: T0 }, { createdAtMs: T0 + HOUR }],
      strategyVersions: [{ version: 'v001', deployedAtMs: T0 }],
      openPositions: [{ openedAtMs: T0 + 90 * HOUR }],
    };
    const all = M.computeTruthMetrics(input);
    expect(Object.keys(all)).toEqual(M.TRUTH_METRICS.map((m) => m.key));
    expect(all.netPnl).toBeCloseTo(9, 12);
    expect(all.consecutiveLosses).toBe(2);
    expect(all.signalActRate).toBe(0.5);
    expect(all.currentStrategyVersion).toBe('v001');
    expect(all.sharpeRatio).toBeCloseTo(4.5123797, 6);
    expect(all.calmarRatio).not.toBeNull();
    // Trades cover [0h, 14h] (union of the six intervals) + the open position [90h, 100h] = 24 h of 100 h.
    expect(all.exposureTime).toBeCloseTo(0.24, 15);
    expect(all.probabilisticSharpeRatio).toBeCloseTo(0.6670284, 6);
  });

  it('refuses corrupt rows, listing every problem', () => {
    const bad: M.TruthMetricsInput = {
      ...EMPTY,
      trades: [{ ...TRADES[0]!, pnl: Number.NaN }, { ...TRADES[1]!, closedAtMs: TRADES[1]!.openedAtMs - 1 }],
      snapshots: [SNAPSHOTS[0]!, SNAPSHOTS[0]!, { date: '2024-02-30', portfolioValue: 1, cash: 1 }],
      scans: [{ createdAtMs: 1.5 }],
    };
    expect(() => M.computeTruthMetrics(bad)).toThrow(M.MetricsInputError);
    try {
      M.computeTruthMetrics(bad);
    } catch (err) {
      expect((err as M.MetricsInputError).problems).toEqual([
        'trades[0].pnl must be a finite number, got NaN',
        `trades[1] closes (${TRADES[1]!.openedAtMs - 1}) before it opens (${TRADES[1]!.openedAtMs})`,
        'snapshots[1].date 2024-03-03 appears twice (one snapshot per date)',
        'snapshots[2].date must be a YYYY-MM-DD calendar date, got "2024-02-30"',
        'scans[0].createdAtMs must be integer ms since epoch, got 1.5',
      ]);
    }
  });
});
