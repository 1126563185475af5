import { describe, expect, it } from 'vitest';
import {
  applyTriggers,
  evaluateStartupHalt,
  evaluateTriggers,
  haltTrading,
  onClose,
  resetIfNewDay,
  resume,
} from '../../../domain/risk/index.ts';
import { $, LIMITS, NOW, TZ, stateOf } from './support.ts';

const UNREALIZED = { ...LIMITS, dailyLossIncludesUnrealized: true };

// Start of day 10,000 unless stated. Limits: daily loss 10 %, drawdown 40 %, rollback drop 15 %, 5 losses.
describe('halt triggers stop entries and revert nothing', () => {
  it('daily loss beyond 10 %: 10,000 → 8,900 is a 1,100 loss (day-scoped halt)', () => {
    const s = stateOf('10000', { equity: $('8900') });
    expect(evaluateTriggers(s, UNREALIZED)).toEqual({
      halt: { kind: 'dailyLoss', reason: 'daily loss 1100.00 is beyond maxDailyLossPct 10% of start-of-day equity 10000.00 (limit 1000.00)' },
    });
    // Realized-only configuration: the same equity drop is not a daily loss (nothing realized).
    expect(evaluateTriggers(s, LIMITS)).toEqual({});
  });

  it('drawdown beyond 40 %: peak 20,000 → 11,000 is 45 % (sticky halt)', () => {
    const s = stateOf('11000', { peakEquity: $('20000') });
    expect(evaluateTriggers(s, LIMITS)).toEqual({
      halt: { kind: 'drawdown', reason: 'drawdown 45% from peak 20000.00 to 11000.00 is beyond maxDrawdownPct 40%' },
    });
    const { state } = applyTriggers(s, LIMITS, NOW);
    expect(state.halt).toEqual({ kind: 'drawdown', reason: 'drawdown 45% from peak 20000.00 to 11000.00 is beyond maxDrawdownPct 40%', sinceMs: NOW });
    expect(resetIfNewDay(state, NOW + 86_400_000, TZ).halt).toEqual(state.halt);
  });

  it('does not fire again while an equal or stronger halt holds', () => {
    const { state } = applyTriggers(stateOf('11000', { peakEquity: $('20000') }), LIMITS, NOW);
    expect(evaluateTriggers(state, LIMITS)).toEqual({});
  });
});

describe('rollback triggers ask for a revert (and halt), once per breach', () => {
  it('daily drop beyond 15 %: 10,000 → 8,400 is 16 %', () => {
    const s = stateOf('10000', { equity: $('8400') });
    const drop = 'equity dropped 16% today, from 10000.00 to 8400.00, beyond rollbackDailyLossPct 15%';
    // With realized-only daily loss, the drop itself is the halt (day-scoped).
    expect(evaluateTriggers(s, LIMITS)).toEqual({ halt: { kind: 'dailyDrop', reason: drop }, rollback: { kinds: ['dailyDrop'], reason: drop } });
    // With unrealized counted, the daily-loss halt comes first; the rollback still fires.
    expect(evaluateTriggers(s, UNREALIZED)).toMatchObject({ halt: { kind: 'dailyLoss' }, rollback: { kinds: ['dailyDrop'] } });

    const first = applyTriggers(s, LIMITS, NOW);
    expect(first.fired.rollback).toBeDefined();
    expect(first.state).toMatchObject({ rolledBackToday: true, halt: { kind: 'dailyDrop', sinceMs: NOW } });
    // Same day, deeper drop: no second revert, no new halt.
    expect(applyTriggers({ ...first.state, equity: $('8000') }, LIMITS, NOW + 1).fired).toEqual({});
    // Next local day: flag and day-scoped halt cleared, start of day re-based to 8,400: nothing fires.
    const tomorrow = resetIfNewDay(first.state, NOW + 86_400_000, TZ);
    expect(tomorrow).toMatchObject({ rolledBackToday: false, halt: null, startOfDayEquity: $('8400') });
    expect(evaluateTriggers(tomorrow, LIMITS)).toEqual({});
  });

  it('five losses in a row: revert once per streak, sticky halt until resume', () => {
    let s = stateOf();
    for (let i = 0; i < 4; i++) s = onClose(s, $('-1'));
    expect(evaluateTriggers(s, LIMITS)).toEqual({});
    s = onClose(s, $('-1'));
    const reason = '5 losing closes in a row reach rollbackConsecutiveLosses 5';
    expect(evaluateTriggers(s, LIMITS)).toEqual({ halt: { kind: 'consecutiveLosses', reason }, rollback: { kinds: ['consecutiveLosses'], reason } });
    s = applyTriggers(s, LIMITS, NOW).state;
    expect(s).toMatchObject({ rolledBackThisStreak: true, halt: { kind: 'consecutiveLosses' } });
    // The streak goes on (an exit of an old position loses again): no second revert.
    s = onClose(s, $('-1'));
    expect(evaluateTriggers(s, LIMITS)).toEqual({});
    // A win ends the streak; a new streak of five asks again (the halt is still the sticky one).
    s = onClose(s, $('3'));
    for (let i = 0; i < 5; i++) s = onClose(s, $('-1'));
    expect(evaluateTriggers(s, LIMITS)).toEqual({ rollback: { kinds: ['consecutiveLosses'], reason } });
    // Operator resume zeroes the streak and lifts the halt: nothing fires.
    expect(evaluateTriggers(resume(applyTriggers(s, LIMITS, NOW).state, LIMITS), LIMITS)).toEqual({});
  });

  it('one revert covers both rollback conditions when they fire together', () => {
    let s = stateOf('10000', { equity: $('8000') });
    for (let i = 0; i < 5; i++) s = onClose(s, $('-1'));
    const { state, fired } = applyTriggers(s, LIMITS, NOW);
    expect(fired.rollback?.kinds).toEqual(['consecutiveLosses', 'dailyDrop']);
    expect(fired.halt?.kind).toBe('consecutiveLosses');
    expect(evaluateTriggers(state, LIMITS)).toEqual({});
  });
});

describe('startup halt evaluation (predecessor §4.4, L2)', () => {
  it('returns every breached condition under the current limits, most severe first', () => {
    // Peak 20,000, start of day 10,000, now 8,000 with 1,200 realized loss and 3 losses in a row.
    const s = stateOf('10000', { equity: $('8000'), peakEquity: $('20000'), realizedPnlToday: $('-1200'), consecutiveLosses: 3 });
    expect(evaluateStartupHalt(s, LIMITS).map((h) => h.kind)).toEqual(['drawdown', 'dailyLoss', 'dailyDrop']);
    // Limits tightened while the fund was down: 3 losses now reach the limit.
    expect(evaluateStartupHalt(s, { ...LIMITS, rollbackConsecutiveLosses: 3 }).map((h) => h.kind)).toEqual([
      'drawdown',
      'consecutiveLosses',
      'dailyLoss',
      'dailyDrop',
    ]);
    expect(evaluateStartupHalt(stateOf(), LIMITS)).toEqual([]);
  });

  it('a startup daily-loss halt clears at the next local midnight (predecessor §20.3 bug)', () => {
    const s = stateOf('10000', { realizedPnlToday: $('-1500') });
    const halts = evaluateStartupHalt(s, LIMITS);
    expect(halts).toEqual([
      { kind: 'dailyLoss', reason: 'daily loss 1500.00 is beyond maxDailyLossPct 10% of start-of-day equity 10000.00 (limit 1000.00)' },
    ]);
    const halted = halts.reduce((acc, h) => haltTrading(acc, h, NOW), s);
    expect(halted.halt?.kind).toBe('dailyLoss');
    // 2024-07-02 00:00 EDT = 04:00Z.
    expect(resetIfNewDay(halted, Date.parse('2024-07-02T04:00:00Z'), TZ).halt).toBeNull();
  });
});
