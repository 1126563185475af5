/**
 * A small typed event emitter: `on(type, handler)` returns an unsubscribe function. A throwing
 * handler does not stop the others; its error is passed to `onHandlerError`.
 */

/** A union of `{ type: … }` events. */
export interface TypedEvent {
  readonly type: string;
}

/** The emitter surface the clients expose. */
export interface EventSource<E extends TypedEvent> {
  /** Calls `handler` for each event of `type`; returns a function that removes it. */
  on<T extends E['type']>(type: T, handler: (event: Extract<E, { type: T }>) => void): () => void;
  /** Calls `handler` for every event; returns a function that removes it. */
  onAny(handler: (event: E) => void): () => void;
}

/** Emitter with an `emit` for the owner. */
export interface Emitter<E extends TypedEvent> extends EventSource<E> {
  emit(event: E): void;
}

/** Creates an emitter. */
export function createEmitter<E extends TypedEvent>(onHandlerError: (error: unknown, event: E) => void = () => {}): Emitter<E> {
  const byType = new Map<string, Set<(event: E) => void>>();
  const any = new Set<(event: E) => void>();
  const call = (h: (event: E) => void, event: E) => {
    try {
      h(event);
    } catch (error) {
      onHandlerError(error, event);
    }
  };
  return {
    on(type, handler) {
      const set = byType.get(type) ?? new Set();
      byType.set(type, set);
      const h = handler as (event: E) => void;
      set.add(h);
      return () => set.delete(h);
    },
    onAny(handler) {
      any.add(handler);
      return () => any.delete(handler);
    },
    emit(event) {
      for (const h of [...(byType.get(event.type) ?? [])]) call(h, event);
      for (const h of [...any]) call(h, event);
    },
  };
}
