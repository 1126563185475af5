/**
 * The `@statelyai/inspect` wire format (version 0.7.2, `convertXStateEvent` + the WebSocket
 * adapter): one JSON text per WebSocket message, one of three frame types. Field for field
 * what the package sends for the same XState inspection event, except that every payload has
 * gone through the {@link Sanitizer} (the package sends raw data) and errors read
 * `{ name, message }` (the package sends `{}`). Keys whose value is undefined are absent, as in
 * the package's JSON.
 */
import type { Json, Sanitizer } from './sanitize.ts';

/** The `_version` the package stamps on every frame (the protocol the hosted inspector reads). */
export const STATELY_INSPECT_VERSION = '0.7.2';

interface FrameBase {
  /** Session id of the actor the frame is about (`x:N`, unique per process). */
  readonly sessionId: string;
  /** Session id of the root actor of its system. */
  readonly rootId: string;
  /** Wall-clock ms since epoch when the inspection event happened, as a decimal string. */
  readonly createdAt: string;
  /** Always null on this wire (the package's type says string; it sends null). */
  readonly id: null;
  readonly _version: string;
}

/** An actor was created (or is being replayed to a late client): its machine and snapshot. */
export interface ActorFrame extends FrameBase {
  readonly type: '@xstate.actor';
  /** The actor's id, or its machine's id when it has none of its own (root actors). */
  readonly name?: string;
  /** The machine config as JSON text; `{"id":name}` for non-machine logic. */
  readonly definition: string;
  readonly parentId?: string;
  readonly snapshot: Json;
}

/** An event was delivered to an actor. */
export interface EventFrame extends FrameBase {
  readonly type: '@xstate.event';
  readonly event: { type: string; [key: string]: Json };
  /** Session id of the sending actor (absent for events from outside the system). */
  readonly sourceId?: string;
}

/** An actor's snapshot after it processed `event`. */
export interface SnapshotFrame extends FrameBase {
  readonly type: '@xstate.snapshot';
  readonly event: { type: string; [key: string]: Json };
  readonly snapshot: Json;
}

/** Any frame on the inspection wire. */
export type InspectionFrame = ActorFrame | EventFrame | SnapshotFrame;

/** The parts of an XState actor ref the frames read (public API plus `_parent`, `logic`). */
export interface InspectedActorRef {
  readonly sessionId: string;
  readonly id: string;
  getSnapshot(): unknown;
  readonly _parent?: { readonly sessionId: string } | undefined;
  readonly logic?: { readonly config?: unknown } | undefined;
}

/**
 * Definition texts by actor logic: a machine's config is serialized once, however many actors
 * run it. Kept per sanitizer (the secrets decide the text).
 */
export type DefinitionCache = WeakMap<object, string>;

/** The `name` the package gives an actor: its id, or its machine's id when the id is the session id. */
export function actorName(ref: InspectedActorRef, config: unknown): string | undefined {
  const id = ref.id;
  if (id === ref.sessionId && config !== null && typeof config === 'object') {
    const machineId = (config as { id?: unknown }).id;
    return typeof machineId === 'string' ? machineId : undefined;
  }
  return id;
}

/** Builds an `@xstate.actor` frame for `ref` with `snapshot`. Never throws on hostile data. */
export function buildActorFrame(
  s: Sanitizer,
  cache: DefinitionCache,
  ref: InspectedActorRef,
  rootId: string,
  snapshot: unknown,
  createdAtMs: number,
): ActorFrame {
  const logic = ref.logic;
  const config = logic?.config;
  const rawName = actorName(ref, config);
  const name = rawName === undefined ? undefined : s.scrub(rawName);
  let definition: string;
  if (config !== null && typeof config === 'object' && logic) {
    const cached = cache.get(logic);
    definition = cached ?? s.definition(config);
    if (cached === undefined) cache.set(logic, definition);
  } else {
    definition = s.definition(name === undefined ? {} : { id: name });
  }
  const parentId = ref._parent?.sessionId;
  return {
    name,
    type: '@xstate.actor',
    definition,
    _version: STATELY_INSPECT_VERSION,
    createdAt: String(createdAtMs),
    id: null,
    rootId,
    ...(parentId === undefined ? {} : { parentId }),
    sessionId: ref.sessionId,
    snapshot: s.snapshot(snapshot),
  };
}

/** Builds an `@xstate.event` frame. */
export function buildEventFrame(
  s: Sanitizer,
  ref: InspectedActorRef,
  rootId: string,
  event: unknown,
  sourceRef: { readonly sessionId: string } | undefined,
  createdAtMs: number,
): EventFrame {
  const sourceId = sourceRef?.sessionId;
  return {
    type: '@xstate.event',
    event: s.event(event),
    ...(sourceId === undefined ? {} : { sourceId }),
    sessionId: ref.sessionId,
    _version: STATELY_INSPECT_VERSION,
    createdAt: String(createdAtMs),
    id: null,
    rootId,
  };
}

/** Builds an `@xstate.snapshot` frame. */
export function buildSnapshotFrame(
  s: Sanitizer,
  ref: InspectedActorRef,
  rootId: string,
  event: unknown,
  snapshot: unknown,
  createdAtMs: number,
): SnapshotFrame {
  return {
    type: '@xstate.snapshot',
    event: s.event(event),
    snapshot: s.snapshot(snapshot),
    sessionId: ref.sessionId,
    _version: STATELY_INSPECT_VERSION,
    createdAt: String(createdAtMs),
    id: null,
    rootId,
  };
}

/**
 * The frame as the text sent on the wire, after a last scrub of every secret form. The sanitizer
 * has already removed secrets from every string, key and number, so the scrub changes the text
 * only when a secret spans JSON structure; if the scrubbed text is then no longer JSON, the frame
 * is refused (undefined) rather than sent broken.
 */
export function frameText(s: Sanitizer, frame: InspectionFrame): string | undefined {
  const text = JSON.stringify(frame);
  const scrubbed = s.scrub(text);
  if (scrubbed === text) return text;
  try {
    JSON.parse(scrubbed);
    return scrubbed;
  } catch {
    return undefined;
  }
}
