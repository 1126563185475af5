import { SimulatedClock, createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CALENDAR_OPTIONS,
  type SchedulerEmitted,
  createFixedOffsetCalendar,
  createSchedulerMachine,
  nextBoundaryMs,
  schedulerMachine,
  utcCalendar,
} from '../../machines/scheduler.ts';
import { DAY, HOUR, MINUTE, SECOND, T0, schedulerInput } from './support/fixtures.ts';

// T0 = Monday 2026-01-05 12:00:00 UTC (2026-01-01 was a Thursday).
const utc = (m: number, d: number, h = 0, min = 0) => Date.UTC(2026, m - 1, d, h, min);

describe('nextBoundaryMs', () => {
  it('is the next epoch-aligned boundary strictly after now', () => {
    expect(nextBoundaryMs(T0, 5 * MINUTE)).toBe(T0 + 5 * MINUTE); // 12:00:00 exactly → 12:05
    expect(nextBoundaryMs(T0 + 1, 5 * MINUTE)).toBe(T0 + 5 * MINUTE);
    expect(nextBoundaryMs(T0 + 5 * MINUTE - 1, 5 * MINUTE)).toBe(T0 + 5 * MINUTE);
    expect(() => nextBoundaryMs(T0, 0)).toThrow(/intervalMs must be > 0/);
  });
});

describe('fixed-offset calendar', () => {
  it('UTC defaults: midnight, Sunday 20:00 report, 03:30 window, 06:00 maintenance', () => {
    expect(utcCalendar.nextLocalMidnight(T0)).toBe(utc(1, 6));
    expect(utcCalendar.nextWeeklyReport(T0)).toBe(utc(1, 11, 20)); // Sunday 11 January
    expect(utcCalendar.nextOrchestrationWindow(T0)).toBe(utc(1, 6, 3, 30));
    expect(utcCalendar.nextDataMaintenance(T0)).toBe(utc(1, 6, 6));
  });

  it('is strictly after now at the exact instant', () => {
    expect(utcCalendar.nextLocalMidnight(utc(1, 6))).toBe(utc(1, 7));
    expect(utcCalendar.nextWeeklyReport(utc(1, 11, 20))).toBe(utc(1, 18, 20));
    expect(utcCalendar.nextOrchestrationWindow(utc(1, 6, 3, 30))).toBe(utc(1, 7, 3, 30));
    // earlier on the report day: today
    expect(utcCalendar.nextWeeklyReport(utc(1, 11, 19, 59))).toBe(utc(1, 11, 20));
  });

  it('UTC−5 (New York winter): local midnight is 05:00 UTC', () => {
    const ny = createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, utcOffsetMinutes: -300 });
    // T0 is 07:00 local on Monday 5 January
    expect(ny.nextLocalMidnight(T0)).toBe(utc(1, 6, 5));
    expect(ny.nextOrchestrationWindow(T0)).toBe(utc(1, 6, 8, 30)); // 03:30 local
    expect(ny.nextDataMaintenance(T0)).toBe(utc(1, 6, 11)); // 06:00 local
    expect(ny.nextWeeklyReport(T0)).toBe(utc(1, 12, 1)); // Sunday 20:00 local = Monday 01:00 UTC
    // 23:00 local Sunday 11 Jan (= 04:00 UTC Monday) is after the report: next week
    expect(ny.nextWeeklyReport(utc(1, 12, 4))).toBe(utc(1, 19, 1));
  });

  it('UTC+9 (Tokyo): the local day starts at 15:00 UTC the day before', () => {
    const tokyo = createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, utcOffsetMinutes: 540 });
    // T0 is 21:00 local Monday 5 January → next local midnight is 6 Jan 00:00 local = 5 Jan 15:00 UTC
    expect(tokyo.nextLocalMidnight(T0)).toBe(utc(1, 5, 15));
    // next Sunday 20:00 local = Sunday 11 Jan 11:00 UTC
    expect(tokyo.nextWeeklyReport(T0)).toBe(utc(1, 11, 11));
  });

  it('rejects out-of-range options, naming them', () => {
    expect(() => createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, orchestrationMinuteOfDay: 1440 })).toThrow(
      'orchestrationMinuteOfDay must be an integer minute in 0..1439, got 1440',
    );
    expect(() => createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, weeklyReport: { weekday: 7, minuteOfDay: 0 } })).toThrow(/weekday/);
    expect(() => createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, utcOffsetMinutes: 900 })).toThrow(/utcOffsetMinutes/);
  });
});

/**
 * SimulatedClock.increment(ms) jumps in one step: a timer re-armed while firing starts from the
 * end of the jump. Real clocks fire near the deadline, so tests advance in steps no longer than
 * the shortest period under test.
 */
function advance(clock: SimulatedClock, totalMs: number, stepMs = 10 * SECOND): void {
  for (let done = 0; done < totalMs; done += stepMs) clock.increment(Math.min(stepMs, totalMs - done));
}

type ScanDue = Extract<SchedulerEmitted, { type: 'schedule.scanDue' }>;
const scansOf = (events: SchedulerEmitted[]) => events.filter((e): e is ScanDue => e.type === 'schedule.scanDue');
const scanCloses = (events: SchedulerEmitted[]) => scansOf(events).map((e) => e.candleCloseMs);

function startScheduler(clock: SimulatedClock, input = schedulerInput({ nowMs: clock.now() }), machine = schedulerMachine) {
  const emitted: SchedulerEmitted[] = [];
  const actor = createActor(machine, { input, clock });
  actor.on('*', (e) => void emitted.push(e as SchedulerEmitted));
  actor.start();
  return { actor, emitted, of: (type: SchedulerEmitted['type']) => emitted.filter((e) => e.type === type) };
}

describe('scheduler actor on a simulated clock', () => {
  it('scans on each 5m candle close + delay, aligned to the wall clock', () => {
    const clock = new SimulatedClock();
    clock.set(T0 + 2 * MINUTE + 7 * SECOND); // 12:02:07
    const { actor, of } = startScheduler(clock);
    clock.increment(3 * MINUTE + 3 * SECOND - 1); // 12:05:09.999
    expect(of('schedule.scanDue')).toEqual([]);
    clock.increment(1); // 12:05:10
    expect(of('schedule.scanDue')).toEqual([
      { type: 'schedule.scanDue', candleCloseMs: T0 + 5 * MINUTE, dueMs: T0 + 5 * MINUTE + 10 * SECOND, nowMs: T0 + 5 * MINUTE + 10 * SECOND, lateByMs: 0 },
    ]);
    advance(clock, HOUR);
    // 12:10:10 … 13:05:10: 12 more
    const scans = of('schedule.scanDue') as Extract<SchedulerEmitted, { type: 'schedule.scanDue' }>[];
    expect(scans).toHaveLength(13);
    expect(scans.map((s) => s.candleCloseMs - T0)).toEqual(Array.from({ length: 13 }, (_, i) => (i + 1) * 5 * MINUTE));
    actor.stop();
  });

  it('starting inside the delay window scans the candle that just closed', () => {
    const clock = new SimulatedClock();
    clock.set(T0 + 5 * MINUTE + 3 * SECOND); // 12:05:03, scan for 12:05 due at 12:05:10
    const { actor, of } = startScheduler(clock);
    clock.increment(7 * SECOND);
    expect(scanCloses(of('schedule.scanDue'))).toEqual([T0 + 5 * MINUTE]);
    actor.stop();
  });

  it('ticks the position monitor every 30 s and the fee check daily', () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const { actor, of } = startScheduler(clock);
    advance(clock, 5 * MINUTE);
    expect(of('schedule.monitorDue').map((e) => e.dueMs - T0)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 30 * SECOND));
    advance(clock, DAY - 5 * MINUTE, 5 * MINUTE);
    expect(of('schedule.feeCheckDue').map((e) => e.dueMs)).toEqual([T0 + DAY]);
    actor.stop();
  });

  it('at local midnight: the end-of-day snapshot, then the reset; weekly, window and maintenance on time', () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const { actor, emitted } = startScheduler(clock);
    advance(clock, 7 * DAY, 5 * MINUTE); // every calendar time is a multiple of 5 minutes
    const calendarEvents = emitted.filter((e) => !['schedule.scanDue', 'schedule.monitorDue', 'schedule.feeCheckDue'].includes(e.type));
    const firstDay = calendarEvents.filter((e) => e.dueMs <= utc(1, 6, 6)).map((e) => [e.type, e.dueMs]);
    expect(firstDay).toEqual([
      ['schedule.dailySnapshotDue', utc(1, 6)],
      ['schedule.dailyResetDue', utc(1, 6)],
      ['schedule.orchestrationDue', utc(1, 6, 3, 30)],
      ['schedule.dataMaintenanceDue', utc(1, 6, 6)],
    ]);
    expect(calendarEvents.filter((e) => e.type === 'schedule.dailyResetDue')).toHaveLength(7);
    expect(calendarEvents.filter((e) => e.type === 'schedule.weeklyReportDue').map((e) => e.dueMs)).toEqual([utc(1, 11, 20)]);
    expect(calendarEvents.filter((e) => e.type === 'schedule.dataMaintenanceDue')).toHaveLength(7);
    actor.stop();
  });

  it('uses the calendar it is built with (time zone supplied by the supervisor)', () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const ny = createSchedulerMachine(createFixedOffsetCalendar({ ...DEFAULT_CALENDAR_OPTIONS, utcOffsetMinutes: -300 }));
    const { actor, of } = startScheduler(clock, schedulerInput({ nowMs: T0 }), ny);
    advance(clock, DAY, 5 * MINUTE);
    expect(of('schedule.dailyResetDue').map((e) => e.dueMs)).toEqual([utc(1, 6, 5)]);
    actor.stop();
  });

  it('deadlines survive a restore: missed jobs fire once, late, then the schedule resumes', () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const first = startScheduler(clock);
    const persisted = JSON.parse(JSON.stringify(first.actor.getPersistedSnapshot()));
    first.actor.stop();

    // Down for 37 hours: two midnights and many scans are missed.
    const later = new SimulatedClock();
    const downUntil = T0 + 37 * HOUR; // Wednesday 7 January 01:00 UTC
    later.set(downUntil);
    const emitted: SchedulerEmitted[] = [];
    const restored = createActor(schedulerMachine, { snapshot: persisted, input: schedulerInput(), clock: later });
    restored.on('*', (e) => void emitted.push(e as SchedulerEmitted));
    restored.start();
    restored.send({ type: 'system.restored', nowMs: downUntil });
    later.increment(0);
    const of = (t: SchedulerEmitted['type']) => emitted.filter((e) => e.type === t);
    expect(of('schedule.dailyResetDue')).toEqual([
      { type: 'schedule.dailyResetDue', dayStartMs: utc(1, 6), dueMs: utc(1, 6), nowMs: downUntil, lateByMs: 25 * HOUR },
    ]);
    // One scan, for the newest closed candle whose scan is due (00:55; 01:00's is due at 01:00:10).
    // It was due for the 12:00 candle at 12:00:10 on Monday (the machine started at 12:00:00).
    expect(scansOf(of('schedule.scanDue')).map((e) => [e.candleCloseMs, e.dueMs, e.lateByMs])).toEqual([
      [downUntil - 5 * MINUTE, T0 + 10 * SECOND, downUntil - T0 - 10 * SECOND],
    ]);
    expect(restored.getSnapshot().context.deadlines.dailyMidnight).toBe(utc(1, 8));
    later.increment(10 * SECOND);
    expect(scanCloses(of('schedule.scanDue'))).toEqual([downUntil - 5 * MINUTE, downUntil]);
    restored.stop();
  });

  it('rejects bad inputs, naming the field', () => {
    let error: unknown;
    const a = createActor(schedulerMachine, { input: schedulerInput({ scanDelayMs: 5 * MINUTE }) });
    a.subscribe({ error: (e) => (error = e) });
    a.start();
    expect(String(error)).toMatch(/scanDelayMs = 300000 is invalid; allowed: 0 ≤ x < scanIntervalMs \(300000\)/);
  });
});
