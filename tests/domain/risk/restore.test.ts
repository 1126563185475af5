import { describe, expect, it } from 'vitest';
import { type RiskRestoreInput, restoreRiskState } from '../../../domain/risk/index.ts';
import { $, TZ } from './support.ts';

const at = (iso: string): number => Date.parse(iso);

// Restart at 2024-03-10 12:00 EDT (16:00Z) in Toronto, on the 23-hour spring-forward day. Local
// midnight was 05:00Z (00:00 EST); yesterday (03-09) began at 2024-03-09T05:00Z.
const base: RiskRestoreInput = {
  nowMs: at('2024-03-10T16:00:00Z'),
  timeZone: TZ,
  equity: $('10400'),
  closedTrades: [
    { closedAtMs: at('2024-03-10T04:30:00Z'), pnl: $('-50') }, // 23:30 EST on the 9th: yesterday (same UTC date!)
    { closedAtMs: at('2024-03-10T05:30:00Z'), pnl: $('-20') }, // 00:30 today
    { closedAtMs: at('2024-03-10T15:00:00Z'), pnl: $('5') },
    { closedAtMs: at('2024-03-10T15:45:00Z'), pnl: $('-12') }, // given out of order on purpose
    { closedAtMs: at('2024-03-10T15:30:00Z'), pnl: $('-10') },
  ],
  entryTimesMs: [at('2024-03-10T04:59:59.999Z'), at('2024-03-10T05:00:00Z'), at('2024-03-10T15:10:00Z')],
  dailySnapshots: [
    { tsMs: at('2024-02-01T04:59:00Z'), equity: $('12000') },
    { tsMs: at('2024-03-09T04:59:00Z'), equity: $('9000') }, // 23:59 on the 8th
    { tsMs: at('2024-03-10T04:59:00Z'), equity: $('10000') }, // 23:59 on the 9th: yesterday's close
  ],
  capitalFlows: [{ tsMs: at('2024-03-10T10:00:00Z'), amount: $('500') }],
};

describe('restoreRiskState (predecessor §4.3 and L2, one local-day boundary)', () => {
  it('rebuilds counters of the local day, the streak, start of day and peak', () => {
    expect(restoreRiskState(base)).toEqual({
      dayKey: '2024-03-10',
      entriesToday: 2, // 05:00Z and 15:10Z; 04:59:59.999Z was yesterday
      realizedPnlToday: $('-37'), // −20 + 5 − 10 − 12; the −50 at 04:30Z is yesterday's
      startOfDayEquity: $('10500'), // yesterday's 23:59 snapshot 10,000 + today's deposit 500
      equity: $('10400'),
      peakEquity: $('12500'), // Feb snapshot 12,000 shifted by the later deposit of 500
      consecutiveLosses: 2, // −12, −10, then the +5 win
      halt: null,
      killSwitch: false,
      rolledBackToday: false,
      rolledBackThisStreak: false,
    });
  });

  it('counts the streak only after the last operator resume', () => {
    expect(restoreRiskState({ ...base, lastResumeMs: at('2024-03-10T15:35:00Z') }).consecutiveLosses).toBe(1);
  });

  it('uses current equity as start of day when yesterday has no snapshot, and a persisted intraday peak', () => {
    const s = restoreRiskState({
      ...base,
      dailySnapshots: [{ tsMs: at('2024-03-01T04:59:00Z'), equity: $('9000') }],
      peak: { tsMs: at('2024-03-10T12:00:00Z'), equity: $('13000') },
    });
    expect(s.startOfDayEquity).toBe($('10400'));
    expect(s.peakEquity).toBe($('13000')); // the deposit at 10:00Z came before that peak
  });

  it('keeps sticky halts, drops a day-scoped halt set before local midnight', () => {
    const drawdown = { kind: 'drawdown' as const, reason: 'dd', sinceMs: at('2024-03-09T20:00:00Z') };
    expect(restoreRiskState({ ...base, halt: drawdown, killSwitch: true })).toMatchObject({ halt: drawdown, killSwitch: true });
    const yesterdayLoss = { kind: 'dailyLoss' as const, reason: 'loss', sinceMs: at('2024-03-10T04:59:00Z') };
    expect(restoreRiskState({ ...base, halt: yesterdayLoss }).halt).toBeNull();
    const todayLoss = { ...yesterdayLoss, sinceMs: at('2024-03-10T05:00:00Z') };
    expect(restoreRiskState({ ...base, halt: todayLoss }).halt).toEqual(todayLoss);
  });

  it('remembers rollbacks already performed so a restart never reverts twice', () => {
    const s = restoreRiskState({
      ...base,
      rollbacks: [
        { kind: 'dailyDrop', tsMs: at('2024-03-10T06:00:00Z') },
        { kind: 'consecutiveLosses', tsMs: at('2024-03-10T15:50:00Z') }, // after the +5 win at 15:00Z: this streak
      ],
    });
    expect(s).toMatchObject({ rolledBackToday: true, rolledBackThisStreak: true });
    const older = restoreRiskState({
      ...base,
      rollbacks: [
        { kind: 'dailyDrop', tsMs: at('2024-03-10T04:00:00Z') }, // yesterday (local)
        { kind: 'consecutiveLosses', tsMs: at('2024-03-10T14:00:00Z') }, // an earlier streak
      ],
    });
    expect(older).toMatchObject({ rolledBackToday: false, rolledBackThisStreak: false });
  });
});
