import { describe, expect, it } from 'vitest';
import * as M from '../../../domain/metrics/index.ts';
import { HOUR, T0, trade } from './fixtures.ts';

describe('signal, scan and strategy-version metrics (predecessor §11 #14–21)', () => {
  const signals: M.SignalRow[] = [{ actedOn: true }, { actedOn: false }, { actedOn: false }, { actedOn: true }, { actedOn: false }];

  it('counts signals and the share acted on', () => {
    expect(M.totalSignals(signals)).toBe(5);
    expect(M.actedSignals(signals)).toBe(2);
    expect(M.signalActRate(signals)).toBeCloseTo(0.4, 15); // 2 / 5
    expect([M.totalSignals([]), M.actedSignals([]), M.signalActRate([])]).toEqual([0, 0, 0]);
  });

  it('counts scans and finds the first and last', () => {
    const scans = [{ createdAtMs: 3_000 }, { createdAtMs: 1_000 }, { createdAtMs: 2_000 }];
    expect(M.totalScans(scans)).toBe(3);
    expect(M.firstScanAt(scans)).toBe(1_000);
    expect(M.lastScanAt(scans)).toBe(3_000);
    expect([M.totalScans([]), M.firstScanAt([]), M.lastScanAt([])]).toEqual([0, null, null]);
  });

  it('names the most recently deployed version and counts all versions', () => {
    const versions: M.StrategyVersionRow[] = [
      { version: 'v001', deployedAtMs: 1_000 },
      { version: 'v003', deployedAtMs: null }, // a candidate never deployed
      { version: 'v002', deployedAtMs: 5_000 },
      { version: 'v001b', deployedAtMs: 2_000 },
    ];
    expect(M.currentStrategyVersion(versions)).toBe('v002');
    expect(M.strategyVersionCount(versions)).toBe(4);
    // Equal deployment times: the later row wins.
    expect(M.currentStrategyVersion([{ version: 'a', deployedAtMs: 7 }, { version: 'b', deployedAtMs: 7 }])).toBe('b');
    expect(M.currentStrategyVersion([{ version: 'c', deployedAtMs: null }])).toBeNull();
    expect(M.strategyVersionCount([])).toBe(0);
  });
});

describe('exposureTime', () => {
  const start = T0;
  const now = T0 + 100 * HOUR;

  it('is the union of open intervals over the period (hand-computed)', () => {
    // Trades [10h, 20h] and [15h, 30h] overlap into [10h, 30h] = 20 h; a position opened at 90h
    // and still open covers [90h, 100h] = 10 h. 30 h of 100 h → 0.3.
    const trades = [trade('A', 1, 0, 0, 10, 20, null), trade('B', 1, 0, 0, 15, 30, null)];
    expect(M.exposureTime(trades, [{ openedAtMs: T0 + 90 * HOUR }], start, now)).toBeCloseTo(0.3, 15);
  });

  it('counts a position once across its partial closes and clips to the period', () => {
    // One position opened at −10h (before the period): partial close at 40h, rest still open.
    // [−10h, 40h] ∪ [−10h, 100h] clipped to [0, 100h] = 100 h → 1.
    const partial = trade('A', 1, 0, 0, -10, 40, null);
    expect(M.exposureTime([partial], [{ openedAtMs: T0 - 10 * HOUR }], start, now)).toBe(1);
    // Touching intervals [0, 50h] and [50h, 60h] make 60 h; an interval wholly before the period adds nothing.
    const touching = [trade('A', 1, 0, 0, 0, 50, null), trade('B', 1, 0, 0, 50, 60, null), trade('C', 1, 0, 0, -30, -20, null)];
    expect(M.exposureTime(touching, [], start, now)).toBeCloseTo(0.6, 15);
  });

  it('is 0 with nothing open and null for an empty period', () => {
    expect(M.exposureTime([], [], start, now)).toBe(0);
    expect(M.exposureTime([], [], now, now)).toBeNull();
  });
});
