import type { NotifierEvent } from '../events/index.ts';

/**
 * The notifier port: how the fund announces what happened (predecessor §14, "dual dispatch").
 * An implementation records each event in the activity log *first* (persist, then act) and then
 * hands it to every subscriber whose filter accepts it — Telegram (per-event switches), the
 * WebSocket stream, tests. A subscriber that throws or rejects never affects the publisher or
 * the other subscribers; the failure is reported to the implementation's error sink.
 */
export interface Notifier {
  /**
   * Validates, records and fans out one event. Never throws and never waits for subscribers:
   * deliveries run in the background (await `idle()` to wait for them). Returns what happened.
   */
  publish(event: NotifierEvent): PublishReceipt;
  /** Adds a subscriber (names must be unique); returns a function that removes it. */
  subscribe(subscriber: NotifierSubscriber): () => void;
  /** The last published events, oldest first, at most `limit` (default: all kept) — WS backfill. */
  recent(limit?: number): readonly PublishedEvent[];
  /** Resolves when every delivery started so far has settled (graceful shutdown, tests). */
  idle(): Promise<void>;
}

/** An event as subscribers receive it: validated, numbered and tied to its activity-log row. */
export interface PublishedEvent {
  /** Publication number, strictly increasing from 1 within one process (for de-duplication). */
  readonly seq: number;
  /** Id of its `activity_log` row; null when the event is not logged or the write failed. */
  readonly activityId: number | null;
  /** One-line summary (as stored in the activity log). */
  readonly summary: string;
  readonly event: NotifierEvent;
}

/** A consumer of published events (Telegram, the WebSocket stream, ...). */
export interface NotifierSubscriber {
  /** Unique name, used in error reports ('telegram', 'ws'). */
  readonly name: string;
  /** Which events it wants; absent = all. Must be cheap and must not throw (a throw counts as a refusal). */
  accepts?(event: NotifierEvent): boolean;
  /** Receives one event; may be async. Errors are isolated and reported, never rethrown. */
  deliver(published: PublishedEvent): void | Promise<void>;
}

/** What `publish` did with one event. */
export type PublishReceipt =
  | {
      readonly ok: true;
      readonly published: PublishedEvent;
      /** Subscribers the event was handed to, in subscription order. */
      readonly deliveredTo: readonly string[];
    }
  /** The event was invalid (a programmer error, reported): nothing was recorded or delivered. */
  | { readonly ok: false; readonly reason: string };
