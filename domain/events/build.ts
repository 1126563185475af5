/**
 * Building and validating notifier events. Producers call {@link notifierEvent} with typed data;
 * the bus re-validates whatever it is given with {@link parseNotifierEvent} (events may come
 * from JSON). Both return values, never throw. Pure.
 */
import { formatIssues } from '../contract/index.ts';
import {
  EVENT_DATA_SCHEMAS,
  NOTIFIER_EVENT_TYPES,
  type NotifierEvent,
  type NotifierEventInput,
  type NotifierEventType,
  type TypedNotifierEvent,
  notifierEventSchema,
} from './schemas.ts';

/** A validated event, or why the input is not one. */
export type NotifierEventResult<E = NotifierEvent> = { readonly ok: true; readonly event: E } | { readonly ok: false; readonly reason: string };

/**
 * Builds an event of type `type` at `tsEvent` (ms since epoch, UTC) from `data`: validated
 * against the type's strict schema, long text clipped. The reason names every bad field and
 * what is allowed. Pure.
 */
export function notifierEvent<T extends NotifierEventType>(
  type: T,
  tsEvent: number,
  data: NotifierEventInput<T>,
): NotifierEventResult<TypedNotifierEvent<T>> {
  if (!Number.isSafeInteger(tsEvent)) return { ok: false, reason: `${type}: tsEvent must be integer ms since epoch, got ${String(tsEvent)}` };
  const schema = EVENT_DATA_SCHEMAS[type];
  if (!schema) return unknownType(type);
  const r = schema.safeParse(data, { reportInput: true });
  if (!r.success) return { ok: false, reason: formatIssues(r.error.issues, { subject: type }) };
  return { ok: true, event: { type, tsEvent, data: r.data } as TypedNotifierEvent<T> };
}

/** Validates an event from anywhere (JSON included); unknown types and fields are refused. Pure. */
export function parseNotifierEvent(raw: unknown): NotifierEventResult {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(NOTIFIER_EVENT_TYPES as readonly string[]).includes(type)) return unknownType(type);
  const r = notifierEventSchema.safeParse(raw, { reportInput: true });
  if (!r.success) return { ok: false, reason: formatIssues(r.error.issues, { subject: type }) };
  return { ok: true, event: r.data as unknown as NotifierEvent };
}

function unknownType(type: unknown): { ok: false; reason: string } {
  return {
    ok: false,
    reason: `type: must be one of ${NOTIFIER_EVENT_TYPES.join(', ')}; got ${typeof type === 'string' ? JSON.stringify(type) : String(type)}`,
  };
}
