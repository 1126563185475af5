/**
 * The event bus over a real migrated libSQL store: persist first, then fan out; failures of a
 * subscriber (sync, async, filter) never reach the publisher or the other subscribers; Telegram
 * gets exactly the events whose switch is on; recent events are bounded.
 */
import { describe, expect, it } from 'vitest';
import { createRepositories, type ActivityRow, type NewRow, type Repositories } from '../../../adapters/libsql/index.ts';
import { NOTIFIER_EVENT_TYPES, type NotifierEvent } from '../../../domain/events/index.ts';
import type { PublishedEvent } from '../../../domain/ports/index.ts';
import { defaultConfig } from '../../../supervisor/config/index.ts';
import { type BusFailure, activityRowFor, createEventBus, logBusFailures, telegramFilter } from '../../../supervisor/events/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { SAMPLE_DATA, T, sample } from '../../domain/events/samples.ts';

function setup(recentCapacity?: number) {
  const repos: Repositories = createRepositories(freshStore().db);
  const failures: BusFailure[] = [];
  const bus = createEventBus({ activityLog: repos.activityLog, onError: (f) => void failures.push(f), ...(recentCapacity ? { recentCapacity } : {}) });
  return { repos, bus, failures };
}

/** Every sample event, one per type, one second apart. */
const everyEvent = (): NotifierEvent[] => NOTIFIER_EVENT_TYPES.map((type, i) => sample(type, T + i * 1000));

describe('persist, then fan out', () => {
  it('the activity row exists before any subscriber sees the event', () => {
    const { repos, bus } = setup();
    const seen: { published: PublishedEvent; rowAtDelivery: ActivityRow | undefined }[] = [];
    bus.subscribe({
      name: 'probe',
      deliver: (published) => void seen.push({ published, rowAtDelivery: repos.activityLog.list({ limit: 1 })[0] }),
    });
    const receipt = bus.publish(sample('risk.halted'));
    expect(receipt.ok).toBe(true);
    expect(seen).toHaveLength(1);
    const { published, rowAtDelivery } = seen[0]!;
    expect(rowAtDelivery?.id).toBe(published.activityId);
    expect(rowAtDelivery).toMatchObject({
      ts: T,
      category: 'risk',
      severity: 'error',
      summary: 'trading HALTED (risk): drawdown 16% exceeds max_drawdown_pct 15%',
    });
    expect(JSON.parse(rowAtDelivery!.detail!)).toEqual({ type: 'risk.halted', data: SAMPLE_DATA['risk.halted'] });
  });

  it('records every event type with its catalogue category and severity', () => {
    const { repos, bus } = setup();
    for (const event of everyEvent()) expect(bus.publish(event).ok).toBe(true);
    const rows = repos.activityLog.list({ limit: 100 }).reverse();
    expect(rows).toHaveLength(NOTIFIER_EVENT_TYPES.length);
    rows.forEach((row, i) => {
      const expected: NewRow<ActivityRow> = activityRowFor(everyEvent()[i]!);
      expect(row).toMatchObject(expected);
    });
  });

  it('numbers events, and does not log a scan without signals (it is still delivered)', () => {
    const { repos, bus } = setup();
    const got: PublishedEvent[] = [];
    bus.subscribe({ name: 'all', deliver: (p) => void got.push(p) });
    const quiet = bus.publish({ type: 'scan.completed', tsEvent: T, data: { symbolCount: 3, signalCount: 0 } });
    const loud = bus.publish({ type: 'scan.completed', tsEvent: T + 1, data: { symbolCount: 3, signalCount: 2 } });
    expect(quiet).toMatchObject({ ok: true, published: { seq: 1, activityId: null }, deliveredTo: ['all'] });
    expect(loud).toMatchObject({ ok: true, published: { seq: 2 } });
    expect(repos.activityLog.list()).toHaveLength(1);
    expect(got.map((p) => p.seq)).toEqual([1, 2]);
  });

  it('drops an invalid event: not recorded, not delivered, reported, never thrown', () => {
    const { repos, bus, failures } = setup();
    let delivered = 0;
    bus.subscribe({ name: 'x', deliver: () => void delivered++ });
    const receipt = bus.publish({ type: 'system.errorOccurred', tsEvent: T, data: { source: '', message: 'boom' } } as NotifierEvent);
    expect(receipt.ok).toBe(false);
    expect((receipt as { reason: string }).reason).toBe('data.source: must not be empty, got ""');
    expect(repos.activityLog.list()).toEqual([]);
    expect(delivered).toBe(0);
    expect(failures.map((f) => f.kind)).toEqual(['invalidEvent']);
  });

  it('still delivers (without an activity id) when the activity log write fails', () => {
    const failures: BusFailure[] = [];
    const bus = createEventBus({
      activityLog: {
        insert: () => {
          throw new Error('SQLITE_FULL: database or disk is full');
        },
      },
      onError: (f) => void failures.push(f),
    });
    const got: PublishedEvent[] = [];
    bus.subscribe({ name: 'telegram', deliver: (p) => void got.push(p) });
    expect(bus.publish(sample('system.errorOccurred'))).toMatchObject({ ok: true, published: { activityId: null }, deliveredTo: ['telegram'] });
    expect(got).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'activityWriteFailed', event: { type: 'system.errorOccurred' } });
  });
});

describe('subscriber failures are isolated', () => {
  it('a throwing, a rejecting and a filter-throwing subscriber affect neither the publisher nor the others', async () => {
    const { bus, failures } = setup();
    const ok: number[] = [];
    bus.subscribe({ name: 'first', deliver: (p) => void ok.push(p.seq) });
    bus.subscribe({
      name: 'throws',
      deliver: () => {
        throw new Error('sync failure');
      },
    });
    bus.subscribe({ name: 'rejects', deliver: async () => Promise.reject(new Error('429 Too Many Requests')) });
    bus.subscribe({
      name: 'bad-filter',
      accepts: () => {
        throw new Error('filter bug');
      },
      deliver: () => void ok.push(-1),
    });
    bus.subscribe({ name: 'last', deliver: async (p) => void ok.push(p.seq * 10) });

    const receipt = bus.publish(sample('trade.executed'));
    expect(receipt).toMatchObject({ ok: true, deliveredTo: ['first', 'throws', 'rejects', 'last'] });
    await bus.idle();
    expect(ok).toEqual([1, 10]);
    expect(failures.map((f) => [f.kind, 'subscriber' in f ? f.subscriber : null])).toEqual([
      ['deliveryFailed', 'throws'],
      ['filterFailed', 'bad-filter'],
      ['deliveryFailed', 'rejects'],
    ]);
  });

  it('a throwing error sink is swallowed too', () => {
    const repos = createRepositories(freshStore().db);
    const bus = createEventBus({
      activityLog: repos.activityLog,
      onError: () => {
        throw new Error('logger down');
      },
    });
    bus.subscribe({
      name: 'throws',
      deliver: () => {
        throw new Error('x');
      },
    });
    expect(() => bus.publish(sample('system.online'))).not.toThrow();
  });

  it('idle() waits for slow deliveries; unsubscribe stops deliveries; names are unique', async () => {
    const { bus } = setup();
    const done: number[] = [];
    const off = bus.subscribe({
      name: 'slow',
      deliver: (p) => new Promise<void>((resolve) => setTimeout(() => (done.push(p.seq), resolve()), 20)),
    });
    bus.publish(sample('feed.lost'));
    expect(done).toEqual([]);
    await bus.idle();
    expect(done).toEqual([1]);
    expect(() => bus.subscribe({ name: 'slow', deliver: () => {} })).toThrow(/a subscriber named 'slow' is already subscribed/);
    off();
    expect(bus.publish(sample('feed.restored'))).toMatchObject({ deliveredTo: [] });
  });
});

describe('recent events for WebSocket backfill', () => {
  it('keeps the last N, oldest first', () => {
    const { bus } = setup(3);
    for (const event of everyEvent().slice(0, 5)) bus.publish(event);
    expect(bus.recent().map((p) => p.seq)).toEqual([3, 4, 5]);
    expect(bus.recent(2).map((p) => p.seq)).toEqual([4, 5]);
    expect(bus.recent(0)).toEqual([]);
    expect(bus.recent(99).map((p) => p.seq)).toEqual([3, 4, 5]);
    expect(() => createEventBus({ activityLog: { insert: () => 1 }, onError: () => {}, recentCapacity: 0 })).toThrow(/capacity must be an integer ≥ 1, got 0/);
  });
});

describe('Telegram switch filtering', () => {
  /** Predecessor §14 defaults ("Telegram default" column), plus on for websocket_feed_restored and off for paper_test_inconclusive. */
  const ON_BY_DEFAULT = [
    'trade.executed',
    'stop.triggered',
    'risk.halted',
    'risk.resumed',
    'strategy.rolledBack',
    'strategy.deployed',
    'report.dailyPublished',
    'report.weeklyPublished',
    'system.online',
    'system.shutdownStarted',
    'system.errorOccurred',
    'feed.lost',
    'feed.restored',
    'candidate.created',
    'candidate.canceled',
    'candidate.promoted',
    'candidate.tradeExecuted',
    'candidate.stopTriggered',
    'reflection.completed',
  ];

  it('with the default switches, Telegram gets exactly the events that are on; the stream gets all', () => {
    const { bus } = setup();
    const telegram: string[] = [];
    const ws: string[] = [];
    bus.subscribe({ name: 'telegram', accepts: telegramFilter(defaultConfig().telegram.notifications), deliver: (p) => void telegram.push(p.event.type) });
    bus.subscribe({ name: 'ws', deliver: (p) => void ws.push(p.event.type) });
    for (const event of everyEvent()) bus.publish(event);
    expect(telegram).toEqual(ON_BY_DEFAULT);
    expect(ws).toEqual(NOTIFIER_EVENT_TYPES);
  });

  it('follows a changed switch and refuses a configuration that lacks one', () => {
    const switches = { ...defaultConfig().telegram.notifications, tradeExecuted: false, signalRejected: true };
    const accepts = telegramFilter(switches);
    expect(accepts(sample('trade.executed'))).toBe(false);
    expect(accepts(sample('signal.rejected'))).toBe(true);
    expect(accepts(sample('operator.commanded'))).toBe(false);
    const { websocketFeedLost: _dropped, ...missing } = defaultConfig().telegram.notifications;
    expect(() => telegramFilter(missing as never)).toThrow('telegram notification switches missing from the configuration: websocket_feed_lost (expected under [telegram.notifications])');
  });
});

describe('logBusFailures', () => {
  it('maps failures to structured lines: database and invalid events as errors, subscribers as warnings', () => {
    const lines: [string, object, string][] = [];
    const log = logBusFailures({ error: (o, m) => void lines.push(['error', o, m]), warn: (o, m) => void lines.push(['warn', o, m]) });
    const err = new Error('x');
    log({ kind: 'invalidEvent', reason: 'r', event: { type: 'nope' } });
    log({ kind: 'activityWriteFailed', error: err, event: sample('system.errorOccurred') });
    log({ kind: 'deliveryFailed', subscriber: 'telegram', error: err, event: sample('trade.executed') });
    expect(lines.map(([level, obj]) => [level, obj])).toEqual([
      ['error', { eventType: 'nope', reason: 'r' }],
      ['error', { err, eventType: 'system.errorOccurred' }],
      ['warn', { err, subscriber: 'telegram', eventType: 'trade.executed' }],
    ]);
  });
});
