/**
 * The event bus: the supervisor's implementation of the notifier port (domain/ports/notifier).
 *
 * `publish(event)`:
 * 1. validates the event (`parseNotifierEvent`: strict schema, long text clipped); an invalid
 *    event is a programmer error — reported, not recorded, not delivered, never thrown;
 * 2. **persists first**: writes the activity-log row (unless the catalogue says the event is
 *    not logged, e.g. a scan without signals). If that write fails the failure is reported and
 *    the event is still delivered (with `activityId: null`): an alert about a broken database
 *    must still reach the operator;
 * 3. numbers it, keeps it in a bounded recent buffer (WebSocket backfill);
 * 4. fans it out, in subscription order, to every subscriber whose filter accepts it. Each
 *    filter call and delivery is isolated: a throw or a rejected promise is reported to
 *    `onError` and affects neither the publisher nor the other subscribers. Deliveries are not
 *    awaited (`idle()` waits for them).
 */
import type { ActivityLogRepo } from '../../adapters/libsql/index.ts';
import { type NotifierEvent, parseNotifierEvent, recordsActivity, summarizeEvent } from '../../domain/events/index.ts';
import type { Notifier, NotifierSubscriber, PublishReceipt, PublishedEvent } from '../../domain/ports/index.ts';
import { activityRowFor } from './activity.ts';
import { RecentBuffer } from './recent.ts';

/** Default number of events kept for backfill (the predecessor sent the last 20 on connect). */
export const DEFAULT_RECENT_CAPACITY = 200;

/** A failure the bus isolated. `event` is what was published (possibly invalid). */
export type BusFailure =
  | { readonly kind: 'invalidEvent'; readonly reason: string; readonly event: unknown }
  | { readonly kind: 'activityWriteFailed'; readonly error: unknown; readonly event: NotifierEvent }
  | { readonly kind: 'filterFailed'; readonly subscriber: string; readonly error: unknown; readonly event: NotifierEvent }
  | { readonly kind: 'deliveryFailed'; readonly subscriber: string; readonly error: unknown; readonly event: NotifierEvent };

/** What the bus needs. */
export interface EventBusOptions {
  /** Where events are recorded before anything else happens. */
  readonly activityLog: Pick<ActivityLogRepo, 'insert'>;
  /** Receives every isolated failure (log it; see {@link logBusFailures}). Its own throws are swallowed. */
  readonly onError: (failure: BusFailure) => void;
  /** Events kept for backfill (integer ≥ 1; default {@link DEFAULT_RECENT_CAPACITY}). */
  readonly recentCapacity?: number;
}

/** Creates the event bus (a `Notifier`). */
export function createEventBus(options: EventBusOptions): Notifier {
  const recent = new RecentBuffer<PublishedEvent>(options.recentCapacity ?? DEFAULT_RECENT_CAPACITY);
  const subscribers: NotifierSubscriber[] = [];
  const inFlight = new Set<Promise<void>>();
  let seq = 0;

  const report = (failure: BusFailure) => {
    try {
      options.onError(failure);
    } catch {
      // The error sink itself failed: nothing safer to do than to carry on.
    }
  };

  const deliver = (subscriber: NotifierSubscriber, published: PublishedEvent): boolean => {
    const event = published.event;
    try {
      if (subscriber.accepts && !subscriber.accepts(event)) return false;
    } catch (error) {
      report({ kind: 'filterFailed', subscriber: subscriber.name, error, event });
      return false;
    }
    try {
      const result = subscriber.deliver(published);
      if (result && typeof (result as Promise<void>).then === 'function') {
        const tracked = Promise.resolve(result)
          .catch((error: unknown) => report({ kind: 'deliveryFailed', subscriber: subscriber.name, error, event }))
          .finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
    } catch (error) {
      report({ kind: 'deliveryFailed', subscriber: subscriber.name, error, event });
    }
    return true;
  };

  return {
    publish(raw: NotifierEvent): PublishReceipt {
      const parsed = parseNotifierEvent(raw);
      if (!parsed.ok) {
        report({ kind: 'invalidEvent', reason: parsed.reason, event: raw });
        return { ok: false, reason: parsed.reason };
      }
      const event = parsed.event;
      const summary = summarizeEvent(event);
      let activityId: number | null = null;
      if (recordsActivity(event)) {
        try {
          activityId = options.activityLog.insert(activityRowFor(event, summary));
        } catch (error) {
          report({ kind: 'activityWriteFailed', error, event });
        }
      }
      seq += 1;
      const published: PublishedEvent = Object.freeze({ seq, activityId, summary, event });
      recent.push(published);
      const deliveredTo: string[] = [];
      for (const subscriber of [...subscribers]) if (deliver(subscriber, published)) deliveredTo.push(subscriber.name);
      return { ok: true, published, deliveredTo };
    },

    subscribe(subscriber: NotifierSubscriber): () => void {
      if (subscribers.some((s) => s.name === subscriber.name)) {
        throw new Error(`event bus: a subscriber named '${subscriber.name}' is already subscribed; names must be unique`);
      }
      subscribers.push(subscriber);
      return () => {
        const i = subscribers.indexOf(subscriber);
        if (i >= 0) subscribers.splice(i, 1);
      };
    },

    recent: (limit?: number) => recent.last(limit),

    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The minimal logger the bus reports to (pino's `Logger` fits). */
export interface BusLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * An `onError` that logs each failure as one structured line: errors as `{ err }`, the event by
 * type (never its whole data: it may be large). Invalid events and database failures are
 * errors; a failing subscriber is a warning (the others and the log still have the event).
 */
export function logBusFailures(logger: BusLogger): (failure: BusFailure) => void {
  return (failure) => {
    switch (failure.kind) {
      case 'invalidEvent': {
        const type = typeof failure.event === 'object' && failure.event !== null ? (failure.event as { type?: unknown }).type : undefined;
        logger.error({ eventType: type, reason: failure.reason }, 'invalid notifier event dropped');
        return;
      }
      case 'activityWriteFailed':
        logger.error({ err: failure.error, eventType: failure.event.type }, 'activity log write failed; event delivered anyway');
        return;
      case 'filterFailed':
        logger.warn({ err: failure.error, subscriber: failure.subscriber, eventType: failure.event.type }, 'notifier subscriber filter threw; event not delivered to it');
        return;
      case 'deliveryFailed':
        logger.warn({ err: failure.error, subscriber: failure.subscriber, eventType: failure.event.type }, 'notifier subscriber failed to deliver');
        return;
    }
  };
}
