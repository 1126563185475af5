/**
 * The inspection hub: the observer XState calls for every inspection event, the registry of live
 * actors, and the fan-out of sanitized frames to clients. Transport-free: the WebSocket server
 * (`server.ts`) and any other host (the dashboard's HTTP server) hand it sockets.
 *
 * Cost on the actor system: the observer runs inside XState's transition loop, so it does O(1)
 * work and never throws — it updates the registry and, only while clients are connected, queues
 * a reference to the event. Serialization happens later (setImmediate, in batches), exactly as
 * `@statelyai/inspect` defers its own conversion; like it, an `@xstate.actor` frame carries the
 * actor's snapshot at conversion time. With no client connected nothing is serialized at all.
 */
import type { AnyActorRef, InspectionEvent, Subscription } from 'xstate';
import { Channel, type ChannelLimits, type ChannelStats, DEFAULT_CHANNEL_LIMITS, type FrameSink } from './channel.ts';
import {
  type DefinitionCache,
  type InspectedActorRef,
  buildActorFrame,
  buildEventFrame,
  buildSnapshotFrame,
  frameText,
} from './frames.ts';
import { type ActorEntry, ActorRegistry, statusOf } from './registry.ts';
import { DEFAULT_SANITIZE_LIMITS, type Sanitizer, createSanitizer } from './sanitize.ts';

/** Options of {@link createInspectionHub}. Sizes are UTF-16 code units of JSON text (≈ bytes). */
export interface InspectionHubOptions {
  /** Secret values to scrub from every frame (config `secretValues(...)`); short/blank ones are ignored. */
  readonly secrets?: readonly (string | undefined)[];
  /** JSON budget of one context/event/output payload. Default 65 536. */
  readonly maxContextBytes?: number;
  /** Longest string kept whole. Default 4096. */
  readonly maxStringLength?: number;
  /** Live actors remembered for late clients. Default 10 000. */
  readonly maxActors?: number;
  /** Inspection events waiting for serialization (oldest dropped beyond). Default 10 000. */
  readonly maxPendingEvents?: number;
  /** Per-client queue bounds. */
  readonly channel?: Partial<ChannelLimits>;
  /** Wall clock for `createdAt` (ms since epoch). Default `Date.now`. */
  readonly now?: () => number;
  /** Told about every contained failure, with a secret-free message. Must not throw (ignored if it does). */
  readonly onError?: (message: string, where: string) => void;
}

/** A point-in-time view of the hub. */
export interface InspectionStats {
  /** Live actors in the registry. */
  readonly actors: number;
  readonly clients: readonly ChannelStats[];
  /** Inspection events waiting for serialization. */
  readonly pendingEvents: number;
  /** Frames serialized so far (live frames, not replays). */
  readonly framesBuilt: number;
  /** Inspection events dropped because the pending queue was full. */
  readonly lostEvents: number;
  /** Actors evicted from a full registry. */
  readonly evictedActors: number;
  /** Contained failures (hostile data, socket errors, bad events). */
  readonly errors: number;
  readonly lastError: string | null;
}

/** One connected client of the hub. */
export interface HubClient {
  readonly id: number;
  /** Detaches the client (call when its socket closes). */
  close(): void;
  stats(): ChannelStats;
}

/** The hub (see the module comment). */
export interface InspectionHub {
  /**
   * The inspection observer: pass it as `createActor(root, { inspect })` (only the root's is
   * used; it sees the whole system). Never throws; a no-op after {@link close}.
   */
  readonly inspect: (event: InspectionEvent) => void;
  /**
   * Inspects an already running system: registers the root and its descendants as they are now
   * and subscribes to the system's future inspection events. Do not also pass `inspect` to that
   * root's `createActor`, or every frame is sent twice.
   */
  attach(root: AnyActorRef): Subscription;
  /** Connects a client: it is sent every live actor (a replay), then live frames. */
  connect(sink: FrameSink): HubClient;
  stats(): InspectionStats;
  /** Detaches every client and stops observing. Idempotent. */
  close(): void;
}

type Pending =
  | { readonly kind: 'actor'; readonly seq: number; readonly at: number; readonly ref: InspectedActorRef; readonly rootId: string }
  | {
      readonly kind: 'event';
      readonly seq: number;
      readonly at: number;
      readonly ref: InspectedActorRef;
      readonly rootId: string;
      readonly event: unknown;
      readonly source: { readonly sessionId: string } | undefined;
    }
  | {
      readonly kind: 'snapshot';
      readonly seq: number;
      readonly at: number;
      readonly ref: InspectedActorRef;
      readonly rootId: string;
      readonly event: unknown;
      readonly snapshot: unknown;
    };

interface ReplayItem {
  readonly entry: ActorEntry;
  readonly snapshot: unknown;
}

/** Pending events serialized per macrotask (keeps each turn of the event loop short). */
const FLUSH_BATCH = 256;
const MAX_ERROR_TEXT = 500;

/** Defaults of the hub's own bounds. */
export const DEFAULT_HUB_LIMITS = Object.freeze({ maxActors: 10_000, maxPendingEvents: 10_000 });

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return String(err);
  } catch {
    return 'unprintable error';
  }
}

/** Creates an inspection hub. Throws only on invalid limits (programmer error). */
export function createInspectionHub(options: InspectionHubOptions = {}): InspectionHub {
  const limits: ChannelLimits = Object.freeze({ ...DEFAULT_CHANNEL_LIMITS, ...options.channel });
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`inspection hub: channel.${name} must be a positive integer, got ${value}`);
  }
  const maxActors = options.maxActors ?? DEFAULT_HUB_LIMITS.maxActors;
  const maxPending = options.maxPendingEvents ?? DEFAULT_HUB_LIMITS.maxPendingEvents;
  if (!Number.isInteger(maxActors) || maxActors < 1) throw new Error(`inspection hub: maxActors must be a positive integer, got ${maxActors}`);
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw new Error(`inspection hub: maxPendingEvents must be a positive integer, got ${maxPending}`);
  }
  const sanitizer: Sanitizer = createSanitizer(options.secrets ?? [], {
    maxContextBytes: options.maxContextBytes ?? DEFAULT_SANITIZE_LIMITS.maxContextBytes,
    maxStringLength: options.maxStringLength ?? DEFAULT_SANITIZE_LIMITS.maxStringLength,
  });
  const now = options.now ?? Date.now;
  const definitions: DefinitionCache = new WeakMap();
  const registry = new ActorRegistry(maxActors);
  const channels = new Set<Channel<ReplayItem>>();
  const attachments = new Set<Subscription>();

  let pending: Pending[] = [];
  let pendingHead = 0;
  let seq = 0;
  let nextClientId = 1;
  let flushHandle: NodeJS.Immediate | null = null;
  let closed = false;
  let framesBuilt = 0;
  let lostEvents = 0;
  let errors = 0;
  let lastError: string | null = null;

  const report = (err: unknown, where: string): void => {
    errors++;
    let message: string;
    try {
      message = sanitizer.scrub(describe(err)).slice(0, MAX_ERROR_TEXT);
    } catch {
      message = 'unprintable error';
    }
    lastError = `${where}: ${message}`;
    try {
      options.onError?.(message, where);
    } catch {
      // the reporter must not break the hub either
    }
  };

  const clock = (): number => {
    try {
      const t = now();
      return Number.isFinite(t) ? t : 0;
    } catch {
      return 0;
    }
  };

  const renderReplay = (item: ReplayItem): string | undefined => {
    try {
      const text = frameText(sanitizer, buildActorFrame(sanitizer, definitions, item.entry.ref, item.entry.rootId, item.snapshot, clock()));
      if (text === undefined) report(new Error(`replay of ${item.entry.ref.sessionId} refused: a secret spans its JSON structure`), 'replay');
      return text;
    } catch (err) {
      report(err, 'replay');
      return undefined;
    }
  };

  const captureReplay = (): ReplayItem[] => {
    try {
      return registry.live().map(({ entry, snapshot }) => ({ entry, snapshot }));
    } catch (err) {
      report(err, 'replay');
      return [];
    }
  };

  const render = (item: Pending): string | undefined => {
    switch (item.kind) {
      case 'actor': {
        let snapshot: unknown;
        try {
          snapshot = item.ref.getSnapshot();
        } catch {
          snapshot = undefined;
        }
        return frameText(sanitizer, buildActorFrame(sanitizer, definitions, item.ref, item.rootId, snapshot ?? { status: 'active' }, item.at));
      }
      case 'event':
        return frameText(sanitizer, buildEventFrame(sanitizer, item.ref, item.rootId, item.event, item.source, item.at));
      case 'snapshot':
        return frameText(sanitizer, buildSnapshotFrame(sanitizer, item.ref, item.rootId, item.event, item.snapshot, item.at));
    }
  };

  const flush = (): void => {
    flushHandle = null;
    if (closed) return;
    const end = Math.min(pending.length, pendingHead + FLUSH_BATCH);
    for (; pendingHead < end; pendingHead++) {
      const item = pending[pendingHead]!;
      pending[pendingHead] = undefined as unknown as Pending;
      let text: string | undefined;
      try {
        text = render(item);
      } catch (err) {
        report(err, 'serialize');
        continue;
      }
      if (text === undefined) {
        report(new Error(`${item.kind} frame of ${item.ref.sessionId} refused: a secret spans its JSON structure`), 'serialize');
        continue;
      }
      framesBuilt++;
      for (const channel of channels) if (item.seq >= channel.joinedAtSeq) channel.push(text);
    }
    if (pendingHead >= pending.length) {
      pending = [];
      pendingHead = 0;
    } else {
      if (pendingHead > 1024) {
        pending = pending.slice(pendingHead);
        pendingHead = 0;
      }
      schedule();
    }
    for (const channel of channels) channel.pump();
  };

  const schedule = (): void => {
    if (flushHandle === null && !closed) {
      flushHandle = setImmediate(() => {
        try {
          flush();
        } catch (err) {
          report(err, 'flush');
        }
      });
    }
  };

  const enqueue = (item: Pending): void => {
    pending.push(item);
    if (pending.length - pendingHead > maxPending) {
      pending[pendingHead] = undefined as unknown as Pending;
      pendingHead++;
      lostEvents++;
      for (const channel of channels) channel.markLost(1);
      if (pendingHead > 1024 && pendingHead * 2 > pending.length) {
        pending = pending.slice(pendingHead);
        pendingHead = 0;
      }
    }
    schedule();
  };

  const asRef = (value: unknown): InspectedActorRef | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    const sessionId = (value as { sessionId?: unknown }).sessionId;
    return typeof sessionId === 'string' ? (value as InspectedActorRef) : undefined;
  };

  const inspect = (event: InspectionEvent): void => {
    if (closed) return;
    try {
      const type = event.type;
      if (type !== '@xstate.actor' && type !== '@xstate.event' && type !== '@xstate.snapshot') return;
      const ref = asRef(event.actorRef);
      if (ref === undefined) throw new Error(`${type} without an actorRef`);
      const rootId = typeof event.rootId === 'string' ? event.rootId : ref.sessionId;
      const live = channels.size > 0;
      switch (event.type) {
        case '@xstate.actor':
          registry.add(ref, rootId);
          if (live) enqueue({ kind: 'actor', seq: seq++, at: clock(), ref, rootId });
          return;
        case '@xstate.event':
          if (live) enqueue({ kind: 'event', seq: seq++, at: clock(), ref, rootId, event: event.event, source: asRef(event.sourceRef) });
          return;
        case '@xstate.snapshot': {
          const status = statusOf(event.snapshot);
          if (status !== undefined && status !== 'active') registry.remove(ref.sessionId);
          if (live) enqueue({ kind: 'snapshot', seq: seq++, at: clock(), ref, rootId, event: event.event, snapshot: event.snapshot });
          return;
        }
      }
    } catch (err) {
      report(err, 'observer');
    }
  };

  const attach = (root: AnyActorRef): Subscription => {
    if (closed) return { unsubscribe: () => {} };
    const subscription = root.system.inspect(inspect);
    attachments.add(subscription);
    try {
      const rootRef = root as unknown as InspectedActorRef;
      const stack: InspectedActorRef[] = [rootRef];
      const seen = new Set<string>();
      while (stack.length > 0) {
        const ref = stack.shift()!;
        if (seen.has(ref.sessionId)) continue;
        seen.add(ref.sessionId);
        registry.add(ref, rootRef.sessionId);
        if (channels.size > 0) enqueue({ kind: 'actor', seq: seq++, at: clock(), ref, rootId: rootRef.sessionId });
        const children = (ref.getSnapshot() as { children?: Record<string, unknown> } | undefined)?.children;
        for (const child of Object.values(children ?? {})) {
          const childRef = asRef(child);
          if (childRef !== undefined) stack.push(childRef);
        }
      }
    } catch (err) {
      report(err, 'attach');
    }
    return {
      unsubscribe: () => {
        attachments.delete(subscription);
        subscription.unsubscribe();
      },
    };
  };

  const connect = (sink: FrameSink): HubClient => {
    const id = nextClientId++;
    const channel = new Channel<ReplayItem>(id, seq, sink, limits, renderReplay, captureReplay, (err) => report(err, `client ${id}`));
    if (closed) {
      channel.close();
    } else {
      channels.add(channel);
      channel.startReplay(captureReplay());
      channel.pump();
    }
    return {
      id,
      close: () => {
        channel.close();
        channels.delete(channel);
      },
      stats: () => channel.stats(),
    };
  };

  const stats = (): InspectionStats => ({
    actors: registry.size,
    clients: [...channels].map((c) => c.stats()),
    pendingEvents: pending.length - pendingHead,
    framesBuilt,
    lostEvents,
    evictedActors: registry.evicted,
    errors,
    lastError,
  });

  const close = (): void => {
    if (closed) return;
    closed = true;
    if (flushHandle !== null) clearImmediate(flushHandle);
    flushHandle = null;
    for (const subscription of attachments) subscription.unsubscribe();
    attachments.clear();
    for (const channel of channels) channel.close();
    channels.clear();
    pending = [];
    pendingHead = 0;
    registry.clear();
  };

  return { inspect, attach, connect, stats, close };
}
