import { describe, expect, it } from 'vitest';
import {
  createRiskState,
  engageKillSwitch,
  haltTrading,
  onCapitalFlow,
  onClose,
  onEntry,
  onEquity,
  resetIfNewDay,
  resume,
  riskStateFromJson,
  riskStateToJson,
} from '../../../domain/risk/index.ts';
import { $, LIMITS, NOW, TZ, stateOf } from './support.ts';

describe('counters', () => {
  it('counts entries; closes feed realized P&L and the losing streak (zero ends it, as the predecessor)', () => {
    let s = onEntry(onEntry(stateOf()));
    expect(s.entriesToday).toBe(2);
    s = onClose(onClose(s, $('-12.5')), $('-0.5'));
    expect(s).toMatchObject({ entriesToday: 2, realizedPnlToday: $('-13'), consecutiveLosses: 2 });
    s = onClose(s, $('0'));
    expect(s).toMatchObject({ realizedPnlToday: $('-13'), consecutiveLosses: 0 });
    s = onClose(s, $('20.25'));
    expect(s.realizedPnlToday).toBe($('7.25'));
  });

  it('marks equity and raises the peak only upwards', () => {
    let s = onEquity(stateOf('1000'), $('1200'));
    expect(s).toMatchObject({ equity: $('1200'), peakEquity: $('1200') });
    s = onEquity(s, $('900'));
    expect(s).toMatchObject({ equity: $('900'), peakEquity: $('1200') });
    expect(onEquity(s, $('900'))).toBe(s);
  });

  it('capital flows shift equity, start of day and peak alike: a withdrawal is not a loss', () => {
    // Peak 1,200, start of day 1,000, now 900; withdraw 300 → 600 / 700 / 900.
    const s = onCapitalFlow({ ...stateOf('1000'), equity: $('900'), peakEquity: $('1200') }, $('-300'));
    expect(s).toMatchObject({ equity: $('600'), startOfDayEquity: $('700'), peakEquity: $('900') });
  });
});

describe('day reset at local midnight (one boundary, DST-correct)', () => {
  // Toronto, 2024-03-10 is the 23-hour spring-forward day: it ends at 2024-03-11 00:00 EDT = 04:00Z
  // (a UTC-offset-from-winter computation would put midnight at 05:00Z).
  const state = stateOf('1000', {
    dayKey: '2024-03-10',
    entriesToday: 7,
    realizedPnlToday: $('-50'),
    equity: $('940'),
    rolledBackToday: true,
    halt: { kind: 'dailyLoss', reason: 'x', sinceMs: Date.parse('2024-03-10T20:00:00Z') },
  });

  it('changes nothing before local midnight', () => {
    expect(resetIfNewDay(state, Date.parse('2024-03-11T03:59:59.999Z'), TZ)).toBe(state);
  });

  it('at local midnight zeroes the daily counters, re-bases the day and clears a day-scoped halt', () => {
    expect(resetIfNewDay(state, Date.parse('2024-03-11T04:00:00Z'), TZ)).toEqual({
      ...state,
      dayKey: '2024-03-11',
      entriesToday: 0,
      realizedPnlToday: 0n,
      startOfDayEquity: $('940'),
      rolledBackToday: false,
      halt: null,
    });
  });

  it('keeps sticky halts, the streak and the peak', () => {
    const sticky = { ...state, consecutiveLosses: 3, peakEquity: $('2000'), halt: { kind: 'drawdown' as const, reason: 'dd', sinceMs: 1 } };
    const next = resetIfNewDay(sticky, Date.parse('2024-03-12T12:00:00Z'), TZ);
    expect(next).toMatchObject({ dayKey: '2024-03-12', consecutiveLosses: 3, peakEquity: $('2000'), halt: sticky.halt });
  });

  it('never wipes counters when the clock steps back a day', () => {
    expect(resetIfNewDay(state, Date.parse('2024-03-09T12:00:00Z'), TZ)).toBe(state);
  });
});

describe('halts, kill switch and resume', () => {
  it('a sticky halt replaces a day-scoped one, never the reverse', () => {
    const day = haltTrading(stateOf(), { kind: 'dailyLoss', reason: 'loss' }, NOW);
    expect(day.halt).toEqual({ kind: 'dailyLoss', reason: 'loss', sinceMs: NOW });
    const sticky = haltTrading(day, { kind: 'drawdown', reason: 'dd' }, NOW + 1);
    expect(sticky.halt).toEqual({ kind: 'drawdown', reason: 'dd', sinceMs: NOW + 1 });
    expect(haltTrading(sticky, { kind: 'dailyDrop', reason: 'drop' }, NOW + 2)).toBe(sticky);
    expect(haltTrading(sticky, { kind: 'operator', reason: 'op' }, NOW + 2)).toBe(sticky);
  });

  it('resume clears halt, operator kill and streak; re-bases the peak only past the drawdown limit', () => {
    const s = engageKillSwitch(haltTrading({ ...stateOf('1000'), consecutiveLosses: 7, rolledBackThisStreak: true }, { kind: 'operator', reason: 'op' }, NOW));
    expect(resume(s, LIMITS)).toEqual({ ...s, halt: null, killSwitch: false, consecutiveLosses: 0, rolledBackThisStreak: false });
    // Peak 2,000, now 1,000: 50 % > 40 %, so the operator's resume accepts the loss and measures from 1,000.
    const deep = { ...stateOf('1000'), peakEquity: $('2000'), halt: { kind: 'drawdown' as const, reason: 'dd', sinceMs: NOW } };
    expect(resume(deep, LIMITS).peakEquity).toBe($('1000'));
    // Peak 1,500, now 1,000: 33 % is within 40 %, the peak stays.
    expect(resume({ ...deep, peakEquity: $('1500') }, LIMITS).peakEquity).toBe($('1500'));
  });
});

describe('persistence form', () => {
  it('round-trips through JSON text (bigint money as decimal strings)', () => {
    const s = haltTrading({ ...stateOf('10000.123456789'), realizedPnlToday: $('-0.000000000000000001') }, { kind: 'drawdown', reason: 'dd' }, NOW);
    const text = JSON.stringify(riskStateToJson(s));
    expect(JSON.parse(text)).toMatchObject({ version: 1, equity: '10000.123456789', realizedPnlToday: '-0.000000000000000001' });
    expect(riskStateFromJson(JSON.parse(text))).toEqual({ ok: true, state: s });
  });
  it('rejects a corrupt snapshot with a reason instead of guessing', () => {
    const json = { ...riskStateToJson(createRiskState($('1'), NOW, TZ)), equity: '1e5', entriesToday: -1 };
    expect(riskStateFromJson(json)).toEqual({
      ok: false,
      reason: 'entriesToday: must be ≥ 0, got -1; equity: must be a decimal string like "-12.5", got "1e5"',
    });
    expect(riskStateFromJson({ version: 2 })).toMatchObject({ ok: false });
  });
});
