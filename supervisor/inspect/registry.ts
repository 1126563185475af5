/**
 * The live actors of the inspected systems, in creation order (a parent always before its
 * children), so a client that connects late can be shown every actor that exists now.
 *
 * An actor leaves when a snapshot with a final status (done, error, stopped) is seen, or when a
 * sweep finds its current snapshot no longer active (an actor that errored while transitioning
 * reports no snapshot). Sweeps run as the registry grows (each time it doubles), so finished
 * actors do not accumulate; past `maxActors` the oldest non-root actors are evicted.
 */
import type { InspectedActorRef } from './frames.ts';

/** One registered actor. */
export interface ActorEntry {
  readonly ref: InspectedActorRef;
  readonly rootId: string;
}

/** The snapshot of `ref` now, or undefined when reading it fails. */
export function currentSnapshot(ref: InspectedActorRef): unknown {
  try {
    return ref.getSnapshot();
  } catch {
    return undefined;
  }
}

/** Status of a snapshot (`active`, `done`, `error`, `stopped`), undefined when unreadable. */
export function statusOf(snapshot: unknown): string | undefined {
  if (snapshot === null || typeof snapshot !== 'object') return undefined;
  try {
    const status = (snapshot as { status?: unknown }).status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

const FIRST_SWEEP_AT = 64;

/** Registry of live actors (see the module comment). Not safe against re-entrancy; never throws. */
export class ActorRegistry {
  private readonly entries = new Map<string, ActorEntry>();
  private nextSweepAt = FIRST_SWEEP_AT;
  private evictedCount = 0;

  constructor(private readonly maxActors: number) {}

  /** Actors currently registered. */
  get size(): number {
    return this.entries.size;
  }

  /** Actors evicted because the registry was full (0 in a healthy fund). */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Registers an actor (at creation: its snapshot does not exist yet). */
  add(ref: InspectedActorRef, rootId: string): void {
    this.entries.set(ref.sessionId, { ref, rootId });
    if (this.entries.size >= this.nextSweepAt) {
      this.sweep();
      this.nextSweepAt = Math.max(FIRST_SWEEP_AT, this.entries.size * 2);
    }
    if (this.entries.size > this.maxActors) this.evictOldest();
  }

  /** Unregisters an actor (it reached a final status). */
  remove(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  /** True when the actor is registered. */
  has(sessionId: string): boolean {
    return this.entries.has(sessionId);
  }

  /** Drops actors whose current snapshot exists and is no longer active. */
  sweep(): void {
    for (const [sessionId, entry] of this.entries) {
      const status = statusOf(currentSnapshot(entry.ref));
      if (status !== undefined && status !== 'active') this.entries.delete(sessionId);
    }
  }

  /** Every live actor with its snapshot now, in creation order (sweeps first). */
  live(): { entry: ActorEntry; snapshot: unknown }[] {
    const out: { entry: ActorEntry; snapshot: unknown }[] = [];
    for (const [sessionId, entry] of this.entries) {
      const snapshot = currentSnapshot(entry.ref);
      const status = statusOf(snapshot);
      if (status === undefined) continue; // not initialised (yet) or unreadable
      if (status !== 'active') {
        this.entries.delete(sessionId);
        continue;
      }
      out.push({ entry, snapshot });
    }
    return out;
  }

  /** Removes everything. */
  clear(): void {
    this.entries.clear();
  }

  private evictOldest(): void {
    for (const [sessionId, entry] of this.entries) {
      if (this.entries.size <= this.maxActors) return;
      if (entry.rootId === sessionId) continue; // roots stay: they anchor their systems
      this.entries.delete(sessionId);
      this.evictedCount++;
    }
  }
}
