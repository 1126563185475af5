/**
 * The scheduler machine: one actor that turns the injected clock into "job due" facts.
 *
 * It is parallel, one region per job, each a single `waiting` state with an absolute deadline in
 * context and a delayed transition that fires at it. Firing emits the job's event
 * (`actor.on('schedule.scanDue', …)`; listeners must not throw, statelyai/xstate#5318), moves
 * the deadline to the next occurrence and re-enters `waiting`. Jobs:
 *
 * | region           | emits                                             | next deadline                         |
 * |------------------|---------------------------------------------------|---------------------------------------|
 * | scan             | schedule.scanDue (5m candle closed)               | next wall-clock boundary + scanDelayMs |
 * | monitor          | schedule.monitorDue (stop/take-profit watch)      | now + monitorIntervalMs               |
 * | feeCheck         | schedule.feeCheckDue                              | now + feeCheckIntervalMs              |
 * | daily            | schedule.dailySnapshotDue, schedule.dailyResetDue | calendar.nextLocalMidnight(now)       |
 * | weekly           | schedule.weeklyReportDue                          | calendar.nextWeeklyReport(now)        |
 * | orchestration    | schedule.orchestrationDue                         | calendar.nextOrchestrationWindow(now) |
 * | dataMaintenance  | schedule.dataMaintenanceDue                       | calendar.nextDataMaintenance(now)     |
 *
 * Data maintenance has its own region: it runs whether or not the night's orchestration
 * succeeds (the predecessor ran it only after a completed cycle, §20.3).
 *
 * Time: "now" is the `nowMs` of the last event, or the deadline that just fired. Deadlines
 * survive a snapshot restore; `system.restored { nowMs }` re-arms every region, and jobs whose
 * deadline passed while the process was down fire once immediately (missed runs coalesce;
 * `lateByMs` says by how much). Local-time jobs use a {@link SchedulerCalendar} of pure
 * functions given to {@link createSchedulerMachine}; the default machine uses UTC.
 */
import { assign, emit, setup } from 'xstate';
import { nowAfter, remainingMs } from './common.ts';

/** 24 h in ms. */
export const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 (day 0 of the epoch) was a Thursday: weekday 4 (Sunday = 0). */
const EPOCH_WEEKDAY = 4;

/**
 * Pure local-time functions for the calendar jobs. Each returns an absolute time in ms since
 * epoch strictly after `nowMs`. The supervisor builds them from `domain/time` and the
 * configured time zone (DST-aware); {@link createFixedOffsetCalendar} is the DST-unaware
 * stand-in used by the default machine.
 */
export interface SchedulerCalendar {
  nextLocalMidnight(nowMs: number): number;
  nextWeeklyReport(nowMs: number): number;
  nextOrchestrationWindow(nowMs: number): number;
  nextDataMaintenance(nowMs: number): number;
}

/** Times of the calendar jobs, minutes after local midnight (0 … 1439). */
export interface FixedOffsetCalendarOptions {
  /** Local time minus UTC, minutes (e.g. -300 for UTC−5). Constant: no DST. */
  readonly utcOffsetMinutes: number;
  /** Weekly report: weekday (0 = Sunday … 6 = Saturday) and minute of that day. */
  readonly weeklyReport: { readonly weekday: number; readonly minuteOfDay: number };
  /** Start of the nightly orchestration window, minute of day. */
  readonly orchestrationMinuteOfDay: number;
  /** Data maintenance, minute of day. */
  readonly dataMaintenanceMinuteOfDay: number;
}

/** Defaults of the predecessor (§17.2): Sunday 20:00 report, 03:30 window; maintenance 06:00 (after the window). */
export const DEFAULT_CALENDAR_OPTIONS: FixedOffsetCalendarOptions = Object.freeze({
  utcOffsetMinutes: 0,
  weeklyReport: Object.freeze({ weekday: 0, minuteOfDay: 20 * 60 }),
  orchestrationMinuteOfDay: 3 * 60 + 30,
  dataMaintenanceMinuteOfDay: 6 * 60,
});

/**
 * A calendar for a constant UTC offset (pure integer arithmetic, no Date). Not DST-aware: it is
 * the placeholder until the supervisor supplies a time-zone calendar. Throws a RangeError for
 * out-of-range options.
 */
export function createFixedOffsetCalendar(options: FixedOffsetCalendarOptions): SchedulerCalendar {
  const minute = (name: string, m: number) => {
    if (!(Number.isInteger(m) && m >= 0 && m < 1440)) throw new RangeError(`${name} must be an integer minute in 0..1439, got ${m}`);
    return m * 60_000;
  };
  const offsetMs = options.utcOffsetMinutes * 60_000;
  if (!(Number.isInteger(options.utcOffsetMinutes) && Math.abs(options.utcOffsetMinutes) <= 14 * 60)) {
    throw new RangeError(`utcOffsetMinutes must be an integer in -840..840, got ${options.utcOffsetMinutes}`);
  }
  const weekday = options.weeklyReport.weekday;
  if (!(Number.isInteger(weekday) && weekday >= 0 && weekday <= 6)) {
    throw new RangeError(`weeklyReport.weekday must be an integer 0 (Sunday) .. 6, got ${weekday}`);
  }
  const weeklyAt = minute('weeklyReport.minuteOfDay', options.weeklyReport.minuteOfDay);
  const orchestrationAt = minute('orchestrationMinuteOfDay', options.orchestrationMinuteOfDay);
  const maintenanceAt = minute('dataMaintenanceMinuteOfDay', options.dataMaintenanceMinuteOfDay);

  /** UTC ms of local midnight starting the local day that contains nowMs. */
  const localDayStart = (nowMs: number) => Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  /** Next time strictly after nowMs at `atMs` past local midnight. */
  const nextDaily = (nowMs: number, atMs: number) => {
    const today = localDayStart(nowMs) + atMs;
    return today > nowMs ? today : today + DAY_MS;
  };
  return {
    nextLocalMidnight: (nowMs) => localDayStart(nowMs) + DAY_MS,
    nextOrchestrationWindow: (nowMs) => nextDaily(nowMs, orchestrationAt),
    nextDataMaintenance: (nowMs) => nextDaily(nowMs, maintenanceAt),
    nextWeeklyReport: (nowMs) => {
      const dayStart = localDayStart(nowMs);
      const dayIndex = Math.round((dayStart + offsetMs) / DAY_MS);
      const todayWeekday = (((dayIndex + EPOCH_WEEKDAY) % 7) + 7) % 7;
      const candidate = dayStart + ((weekday - todayWeekday + 7) % 7) * DAY_MS + weeklyAt;
      return candidate > nowMs ? candidate : candidate + WEEK_MS;
    },
  };
}

/** UTC calendar with the default job times: the default machine's placeholder. */
export const utcCalendar: SchedulerCalendar = createFixedOffsetCalendar(DEFAULT_CALENDAR_OPTIONS);

/**
 * The next wall-clock boundary of `intervalMs` strictly after `nowMs` (epoch-aligned, so 5m
 * boundaries are :00, :05, …). Pure. Throws a RangeError for a non-positive interval.
 */
export function nextBoundaryMs(nowMs: number, intervalMs: number): number {
  if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${intervalMs}`);
  return (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
}

/** Input of the scheduler actor. */
export interface SchedulerInput {
  readonly nowMs: number;
  /** Candle timeframe the scan follows, ms (5 minutes). */
  readonly scanIntervalMs: number;
  /** How long after a boundary the scan fires (lets the venue publish the candle), ms, 0 ≤ x < scanIntervalMs. */
  readonly scanDelayMs: number;
  /** Position-monitor tick, ms (30 s in the predecessor). */
  readonly monitorIntervalMs: number;
  /** Fee-schedule refresh, ms (24 h). */
  readonly feeCheckIntervalMs: number;
}

/** The absolute deadlines of every job, ms since epoch. */
export interface SchedulerDeadlines {
  /** Candle close the next scan is for (the scan fires at `scanCandleCloseMs + scanDelayMs`). */
  readonly scanCandleCloseMs: number;
  readonly monitor: number;
  readonly feeCheck: number;
  readonly dailyMidnight: number;
  readonly weeklyReport: number;
  readonly orchestration: number;
  readonly dataMaintenance: number;
}

/** Context of the scheduler actor (JSON-safe). */
export interface SchedulerContext {
  readonly scanIntervalMs: number;
  readonly scanDelayMs: number;
  readonly monitorIntervalMs: number;
  readonly feeCheckIntervalMs: number;
  readonly deadlines: SchedulerDeadlines;
  readonly nowMs: number;
}

/** Events the scheduler accepts. */
export type SchedulerEvent = { type: 'system.restored'; nowMs: number };

/** Fields of every emitted job event: when it was due, when it fired, and the difference. */
interface Due {
  readonly dueMs: number;
  readonly nowMs: number;
  readonly lateByMs: number;
}

/** Events the scheduler emits (listen with `actor.on(type, handler)`). */
export type SchedulerEmitted =
  | ({ type: 'schedule.scanDue'; candleCloseMs: number } & Due)
  | ({ type: 'schedule.monitorDue' } & Due)
  | ({ type: 'schedule.feeCheckDue' } & Due)
  | ({ type: 'schedule.dailySnapshotDue'; dayEndMs: number } & Due)
  | ({ type: 'schedule.dailyResetDue'; dayStartMs: number } & Due)
  | ({ type: 'schedule.weeklyReportDue' } & Due)
  | ({ type: 'schedule.orchestrationDue'; windowStartMs: number } & Due)
  | ({ type: 'schedule.dataMaintenanceDue' } & Due);

/** The scheduler has no effectful placeholders: its effects are emitted events. */
export const SCHEDULER_PLACEHOLDERS = { actors: [], actions: [], guards: [] } as const;

type DeadlineKey = Exclude<keyof SchedulerDeadlines, 'scanCandleCloseMs'>;

/** Now at the firing of a deadline: the deadline itself, or later after a restore. */
function firedAt(context: SchedulerContext, dueMs: number): number {
  return Math.max(context.nowMs, dueMs);
}

function due(context: SchedulerContext, dueMs: number): Due {
  const nowMs = firedAt(context, dueMs);
  return { dueMs, nowMs, lateByMs: nowMs - dueMs };
}

/**
 * Builds the scheduler machine around a calendar (pure functions; the machine stays pure and
 * JSON-persistable because only the computed deadlines live in context).
 */
export function createSchedulerMachine(calendar: SchedulerCalendar) {
  const nextDeadline: Record<DeadlineKey, (ctx: SchedulerContext, nowMs: number) => number> = {
    monitor: (ctx, nowMs) => nowMs + ctx.monitorIntervalMs,
    feeCheck: (ctx, nowMs) => nowMs + ctx.feeCheckIntervalMs,
    dailyMidnight: (_ctx, nowMs) => calendar.nextLocalMidnight(nowMs),
    weeklyReport: (_ctx, nowMs) => calendar.nextWeeklyReport(nowMs),
    orchestration: (_ctx, nowMs) => calendar.nextOrchestrationWindow(nowMs),
    dataMaintenance: (_ctx, nowMs) => calendar.nextDataMaintenance(nowMs),
  };
  const advance =
    (key: DeadlineKey) =>
    ({ context }: { context: SchedulerContext }): Partial<SchedulerContext> => {
      const nowMs = firedAt(context, context.deadlines[key]);
      return { nowMs, deadlines: { ...context.deadlines, [key]: nextDeadline[key](context, nowMs) } };
    };
  const scanDueMs = (ctx: SchedulerContext) => ctx.deadlines.scanCandleCloseMs + ctx.scanDelayMs;
  /** The newest candle whose scan is due at firing: the scheduled one, or a later one after a restore. */
  const latestClosedCandle = (ctx: SchedulerContext) => {
    const nowMs = firedAt(ctx, scanDueMs(ctx));
    const latest = Math.floor((nowMs - ctx.scanDelayMs) / ctx.scanIntervalMs) * ctx.scanIntervalMs;
    return Math.max(ctx.deadlines.scanCandleCloseMs, latest);
  };
  const until =
    (pick: (ctx: SchedulerContext) => number) =>
    ({ context, event }: { context: SchedulerContext; event: SchedulerEvent }) =>
      remainingMs(pick(context), nowAfter(context.nowMs, event));
  return setup({
    types: {} as {
      context: SchedulerContext;
      events: SchedulerEvent;
      input: SchedulerInput;
      emitted: SchedulerEmitted;
    },
    actions: {
      trackTime: assign({ nowMs: ({ context, event }) => nowAfter(context.nowMs, event) }),
      emitScanDue: emit(({ context }) => ({
        type: 'schedule.scanDue' as const,
        candleCloseMs: latestClosedCandle(context),
        ...due(context, scanDueMs(context)),
      })),
      advanceScan: assign(({ context }) => {
        const nowMs = firedAt(context, scanDueMs(context));
        // The next candle that closes after the one just scanned and whose scan is not yet due.
        const next = nextBoundaryMs(nowMs - context.scanDelayMs, context.scanIntervalMs);
        return { nowMs, deadlines: { ...context.deadlines, scanCandleCloseMs: next } };
      }),
      emitMonitorDue: emit(({ context }) => ({ type: 'schedule.monitorDue' as const, ...due(context, context.deadlines.monitor) })),
      advanceMonitor: assign(advance('monitor')),
      emitFeeCheckDue: emit(({ context }) => ({ type: 'schedule.feeCheckDue' as const, ...due(context, context.deadlines.feeCheck) })),
      advanceFeeCheck: assign(advance('feeCheck')),
      emitDailySnapshotDue: emit(({ context }) => ({
        type: 'schedule.dailySnapshotDue' as const,
        dayEndMs: context.deadlines.dailyMidnight,
        ...due(context, context.deadlines.dailyMidnight),
      })),
      emitDailyResetDue: emit(({ context }) => ({
        type: 'schedule.dailyResetDue' as const,
        dayStartMs: context.deadlines.dailyMidnight,
        ...due(context, context.deadlines.dailyMidnight),
      })),
      advanceDaily: assign(advance('dailyMidnight')),
      emitWeeklyReportDue: emit(({ context }) => ({
        type: 'schedule.weeklyReportDue' as const,
        ...due(context, context.deadlines.weeklyReport),
      })),
      advanceWeekly: assign(advance('weeklyReport')),
      emitOrchestrationDue: emit(({ context }) => ({
        type: 'schedule.orchestrationDue' as const,
        windowStartMs: context.deadlines.orchestration,
        ...due(context, context.deadlines.orchestration),
      })),
      advanceOrchestration: assign(advance('orchestration')),
      emitDataMaintenanceDue: emit(({ context }) => ({
        type: 'schedule.dataMaintenanceDue' as const,
        ...due(context, context.deadlines.dataMaintenance),
      })),
      advanceDataMaintenance: assign(advance('dataMaintenance')),
    },
    delays: {
      untilScan: until(scanDueMs),
      untilMonitor: until((c) => c.deadlines.monitor),
      untilFeeCheck: until((c) => c.deadlines.feeCheck),
      untilLocalMidnight: until((c) => c.deadlines.dailyMidnight),
      untilWeeklyReport: until((c) => c.deadlines.weeklyReport),
      untilOrchestrationWindow: until((c) => c.deadlines.orchestration),
      untilDataMaintenance: until((c) => c.deadlines.dataMaintenance),
    },
  }).createMachine({
    id: 'scheduler',
    context: ({ input }) => {
      const bad = (field: string, value: number, allowed: string) => {
        throw new RangeError(`scheduler: ${field} = ${value} is invalid; allowed: ${allowed}`);
      };
      if (!(input.scanIntervalMs > 0)) bad('scanIntervalMs', input.scanIntervalMs, '> 0');
      if (!(input.scanDelayMs >= 0 && input.scanDelayMs < input.scanIntervalMs)) {
        bad('scanDelayMs', input.scanDelayMs, `0 ≤ x < scanIntervalMs (${input.scanIntervalMs})`);
      }
      if (!(input.monitorIntervalMs > 0)) bad('monitorIntervalMs', input.monitorIntervalMs, '> 0');
      if (!(input.feeCheckIntervalMs > 0)) bad('feeCheckIntervalMs', input.feeCheckIntervalMs, '> 0');
      const nowMs = input.nowMs;
      return {
        scanIntervalMs: input.scanIntervalMs,
        scanDelayMs: input.scanDelayMs,
        monitorIntervalMs: input.monitorIntervalMs,
        feeCheckIntervalMs: input.feeCheckIntervalMs,
        nowMs,
        deadlines: {
          scanCandleCloseMs: nextBoundaryMs(nowMs - input.scanDelayMs, input.scanIntervalMs),
          monitor: nowMs + input.monitorIntervalMs,
          feeCheck: nowMs + input.feeCheckIntervalMs,
          dailyMidnight: calendar.nextLocalMidnight(nowMs),
          weeklyReport: calendar.nextWeeklyReport(nowMs),
          orchestration: calendar.nextOrchestrationWindow(nowMs),
          dataMaintenance: calendar.nextDataMaintenance(nowMs),
        },
      };
    },
    type: 'parallel',
    states: {
      scan: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for the next 5m candle close (+ scanDelayMs).',
            after: { untilScan: { target: 'waiting', reenter: true, actions: ['emitScanDue', 'advanceScan'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      monitor: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for the next position-monitor tick.',
            after: { untilMonitor: { target: 'waiting', reenter: true, actions: ['emitMonitorDue', 'advanceMonitor'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      feeCheck: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for the next fee-schedule refresh.',
            after: { untilFeeCheck: { target: 'waiting', reenter: true, actions: ['emitFeeCheckDue', 'advanceFeeCheck'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      daily: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for local midnight: end-of-day snapshot, then the daily reset.',
            after: { untilLocalMidnight: { target: 'waiting', reenter: true, actions: ['emitDailySnapshotDue', 'emitDailyResetDue', 'advanceDaily'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      weekly: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for the weekly report time.',
            after: { untilWeeklyReport: { target: 'waiting', reenter: true, actions: ['emitWeeklyReportDue', 'advanceWeekly'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      orchestration: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for the nightly orchestration window.',
            after: { untilOrchestrationWindow: { target: 'waiting', reenter: true, actions: ['emitOrchestrationDue', 'advanceOrchestration'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
      dataMaintenance: {
        initial: 'waiting',
        states: {
          waiting: {
            description: 'Waiting for data maintenance (independent of orchestration).',
            after: { untilDataMaintenance: { target: 'waiting', reenter: true, actions: ['emitDataMaintenanceDue', 'advanceDataMaintenance'] } },
            on: { 'system.restored': { target: 'waiting', reenter: true, actions: 'trackTime' } },
          },
        },
      },
    },
  });
}

/** The scheduler on the UTC placeholder calendar (the supervisor provides a time-zone one). */
export const schedulerMachine = createSchedulerMachine(utcCalendar);

/** The scheduler machine type (same for every calendar). */
export type SchedulerMachine = typeof schedulerMachine;
