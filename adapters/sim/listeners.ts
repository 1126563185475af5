import type { VenueExecution, VenueExecutionListener } from '../../domain/ports/index.ts';

/** The execution listeners of one venue: `add` returns the unsubscribe function; `emit` isolates throwing listeners. */
export interface ListenerSet {
  add(listener: VenueExecutionListener): () => void;
  emit(execution: VenueExecution): void;
}

/**
 * Creates a listener set. A listener that throws does not stop the others; its error goes to
 * `onError` (default: rethrown on a microtask, so a programmer error is loud but the venue's own
 * state stays consistent).
 */
export function createListenerSet(onError?: (error: unknown, execution: VenueExecution) => void): ListenerSet {
  const listeners = new Set<VenueExecutionListener>();
  const report =
    onError ??
    ((error: unknown) => {
      queueMicrotask(() => {
        throw error;
      });
    });
  return {
    add(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(execution) {
      for (const l of [...listeners]) {
        try {
          l(execution);
        } catch (error) {
          report(error, execution);
        }
      }
    },
  };
}
