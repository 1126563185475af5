/**
 * Nonces for private REST calls: strictly increasing per API key, across restarts and clock
 * steps (reference/kraken.md §3.3). The durable part is a port; the libsql
 * `systemMeta.nextNonce(scope, candidate, nowMs)` backs it in production.
 */

/**
 * Reserves nonces. `next` returns max(candidate, last + 1) for `scope` and remembers it before
 * returning, so a nonce is never reused even if the process dies right after.
 */
export interface NonceStore {
  next(scope: string, candidate: bigint): bigint;
}

/** Largest nonce Kraken accepts (unsigned 64-bit). */
export const MAX_NONCE = 2n ** 64n - 1n;

/**
 * Nonce candidates are wall-clock **microseconds** (ms × 1000): larger than any millisecond nonce
 * the predecessor used with the same key (switching to a larger format is allowed, going back is
 * not), with room for 1000 calls per ms before the store's `last + 1` takes over.
 */
export const NONCE_UNITS_PER_MS = 1000n;

/** The candidate for wall-clock `nowMs`: floor(nowMs) × 1000. Pure. */
export function nonceCandidate(nowMs: number): bigint {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError(`clock returned ${nowMs}; expected ms since epoch`);
  return BigInt(Math.floor(nowMs)) * NONCE_UNITS_PER_MS;
}

/** An in-memory `NonceStore` (tests, and tools without a database). `seed` preloads scopes. */
export function createMemoryNonceStore(seed: Iterable<readonly [string, bigint]> = []): NonceStore & { last(scope: string): bigint | undefined } {
  const last = new Map<string, bigint>(seed);
  return {
    next(scope, candidate) {
      const prev = last.get(scope);
      const next = prev !== undefined && prev >= candidate ? prev + 1n : candidate;
      if (next > MAX_NONCE) throw new RangeError(`nonce for ${JSON.stringify(scope)} would exceed 2^64 - 1`);
      last.set(scope, next);
      return next;
    },
    last(scope) {
      return last.get(scope);
    },
  };
}

/**
 * Adapts the libsql repository (`nextNonce(scope, candidate, nowMs)`) to the port, passing the
 * injected clock for its `updated_at` column.
 */
export function nonceStoreFrom(repo: { nextNonce(scope: string, candidate: bigint, nowMs: number): bigint }, now: () => number): NonceStore {
  return { next: (scope, candidate) => repo.nextNonce(scope, candidate, Math.floor(now())) };
}
