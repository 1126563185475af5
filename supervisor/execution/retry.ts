/**
 * Retries for venue READS (lookups, open orders, balances, executions polls): a transient error
 * is retried with capped exponential backoff and equal jitter, never sooner than the venue's
 * `retryAfterMs`, a bounded number of times. Order placement is never retried here (an unknown
 * submit is resolved by lookup, see orders.ts).
 */
import type { VenueError, VenueLookupResult, VenueResult } from '../../domain/ports/index.ts';

/** How reads are retried. Delays in ms. */
export interface ReadRetryPolicy {
  /** Total tries, ≥ 1 (default 4). */
  readonly attempts: number;
  /** First backoff ceiling (default 500). */
  readonly baseDelayMs: number;
  /** Backoff cap; a required wait above it (e.g. a 15-minute lockout) ends the retries (default 10 000). */
  readonly maxDelayMs: number;
}

/** Default read policy: 4 tries, 500 ms → 10 s. */
export const DEFAULT_READ_RETRY: ReadRetryPolicy = Object.freeze({ attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 });

/** Sleep and randomness, injected (tests make sleep instant and record it). */
export interface RetryRuntime {
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

/** Equal-jitter delay of try `attempt` (1-based): half the capped exponential plus a random half. Pure given `random`. */
export function jitteredDelay(attempt: number, policy: ReadRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Runs `call` until it succeeds, fails permanently, or `policy.attempts` tries are spent;
 * `errorOf` extracts the error of a failed result (null = success or a final answer). Returns the
 * last result; never throws (an aborted sleep returns the last result). `onRetry` sees each wait.
 */
export async function retryRead<R>(
  call: () => Promise<R>,
  errorOf: (result: R) => VenueError | null,
  runtime: RetryRuntime,
  policy: ReadRetryPolicy = DEFAULT_READ_RETRY,
  options: { readonly signal?: AbortSignal; readonly onRetry?: (error: VenueError, delayMs: number, attempt: number) => void } = {},
): Promise<R> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    const error = errorOf(result);
    if (error === null || error.class !== 'transient' || attempt >= attempts) return result;
    const delay = Math.max(jitteredDelay(attempt, policy, () => runtime.random()), error.retryAfterMs ?? 0);
    if (delay > policy.maxDelayMs) return result;
    options.onRetry?.(error, delay, attempt);
    try {
      await runtime.sleep(delay, options.signal);
    } catch {
      return result;
    }
  }
}

/** The error of a `VenueResult` (null on success). Pure. */
export function resultError<T>(r: VenueResult<T>): VenueError | null {
  return r.ok ? null : r.error;
}

/** The error of a failed lookup (null for `found` / `missing`). Pure. */
export function lookupError(r: VenueLookupResult): VenueError | null {
  return r.kind === 'failed' ? r.error : null;
}
