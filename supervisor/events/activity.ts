/**
 * Notifier events → activity-log rows (`activity_log`): time, category, severity, the one-line
 * summary, and the typed event as JSON detail (so the API can return it decoded). Pure.
 */
import type { ActivityRow, NewRow } from '../../adapters/libsql/index.ts';
import { type NotifierEvent, severityOf, specOf, summarizeEvent } from '../../domain/events/index.ts';

/** The activity row of `event` (without its id). `ts` is the event's own time. Pure. */
export function activityRowFor(event: NotifierEvent, summary: string = summarizeEvent(event)): NewRow<ActivityRow> {
  return {
    ts: event.tsEvent,
    category: specOf(event).category,
    severity: severityOf(event),
    summary,
    detail: JSON.stringify({ type: event.type, data: event.data }),
  };
}
