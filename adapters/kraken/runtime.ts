/**
 * The injected effects the clients use for time: a clock, timers, sleep and randomness. The
 * supervisor passes `systemRuntime`; tests pass fakes so timing-dependent logic runs instantly.
 */
import type { Sleep } from './rate-limit.ts';

/** An opaque timer handle. */
export type TimerHandle = unknown;

/** Time, timers and randomness, injected. */
export interface Runtime {
  /** Wall clock, ms since epoch (UTC). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Sleeps `ms`; settles early with an `AbortError` rejection when `signal` aborts. */
  sleep: Sleep;
  /** Uniform in [0, 1): jitter. */
  random(): number;
}

/** Rejection used when a sleep or call is aborted by the caller's signal. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** A `sleep` built on the runtime's timers. */
export function sleepWith(setT: (fn: () => void, ms: number) => TimerHandle, clearT: (h: TimerHandle) => void): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearT(handle);
        reject(abortReason(signal!));
      };
      const handle = setT(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/** The real runtime: `Date.now`, global timers, `Math.random`. */
export const systemRuntime: Runtime = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: TimerHandle) => clearTimeout(h as ReturnType<typeof setTimeout>),
  sleep: sleepWith(
    (fn, ms) => setTimeout(fn, ms),
    (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  ),
  random: () => Math.random(),
});

/**
 * Capped exponential backoff with "equal jitter": attempt n (1-based) waits
 * `d/2 + random·d/2` where `d = min(capMs, baseMs·2^(n−1))`, so it is never 0 and never above the
 * cap, and concurrent clients spread out. Pure given `random`.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  const d = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(d / 2 + random() * (d / 2));
}
