/**
 * A client-side model of Kraken's REST call counter (reference/kraken.md §8.1), used to DELAY
 * calls so that Kraken never answers `EAPI:Rate limit exceeded`.
 *
 * Model: a counter that decays continuously at `decayPerSec` toward 0; a call of cost k may
 * start when `level + k ≤ max`. A call that does not fit waits exactly
 * `(level + k − max) / decayPerSec` seconds. Reservations are made at `acquire` time, so
 * concurrent callers queue deterministically without a lock. Clock and sleep are injected.
 */

/** Kraken's verification tiers (kraken.md §8.1). */
export type KrakenTier = 'starter' | 'intermediate' | 'pro';

/** Counter parameters: ceiling and decay per second. */
export interface CounterLimits {
  readonly max: number;
  readonly decayPerSec: number;
}

/** Private-call counter per tier, as documented on docs.kraken.com (kraken.md §8.1). */
export const KRAKEN_TIER_LIMITS: Readonly<Record<KrakenTier, CounterLimits>> = Object.freeze({
  starter: { max: 15, decayPerSec: 0.33 },
  intermediate: { max: 20, decayPerSec: 0.5 },
  pro: { max: 20, decayPerSec: 1 },
});

/**
 * Public endpoints are limited per IP; "roughly 1 request per second is safe" (kraken.md §8.1).
 * Modelled as a counter of max 1 decaying 1/s, i.e. at most one call per second.
 */
export const KRAKEN_PUBLIC_LIMITS: CounterLimits = Object.freeze({ max: 1, decayPerSec: 1 });

/**
 * Cost of each private endpoint on the call counter. Ledger/trade-history calls cost 2 (a newer
 * docs mirror says 4 — override via `costs`); trading calls (AddOrder, CancelOrder, …) use the
 * matching engine's per-pair limiter instead and cost 0 here; every other private call costs 1.
 */
export const KRAKEN_PRIVATE_COSTS: Readonly<Record<string, number>> = Object.freeze({
  Ledgers: 2,
  QueryLedgers: 2,
  TradesHistory: 2,
  QueryTrades: 2,
  AddOrder: 0,
  AddOrderBatch: 0,
  AmendOrder: 0,
  EditOrder: 0,
  CancelOrder: 0,
  CancelAll: 0,
  CancelAllOrdersAfter: 0,
  CancelOrderBatch: 0,
});

/** Cost of a private endpoint (`KRAKEN_PRIVATE_COSTS`, default 1). Pure. */
export function privateCallCost(endpoint: string, costs: Readonly<Record<string, number>> = KRAKEN_PRIVATE_COSTS): number {
  return Object.hasOwn(costs, endpoint) ? costs[endpoint]! : 1;
}

/** Sleeps `ms` on the injected clock; rejects or resolves early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The counter model. */
export interface CallCounter {
  /**
   * Reserves `cost` units and waits (via the injected `sleep`) until the call may start.
   * Resolves to the wait in ms (0 when the call fits now). If `signal` aborts while waiting, the
   * promise settles as the `sleep` does and the reservation is kept (conservative).
   */
  acquire(cost: number, signal?: AbortSignal): Promise<number>;
  /** The modelled counter level at `nowMs` (after decay, before pending reservations start). */
  level(nowMs: number): number;
  /** Kraken said `Rate limit exceeded`: our model was behind; assume the counter is full now. */
  penalise(nowMs: number): void;
  readonly limits: CounterLimits;
}

/** Creates a counter model with the given limits, clock and sleep. */
export function createCallCounter(limits: CounterLimits, now: () => number, sleep: Sleep): CallCounter {
  if (!(limits.max > 0) || !(limits.decayPerSec > 0)) {
    throw new RangeError(`rate limits need max > 0 and decayPerSec > 0, got max ${limits.max}, decayPerSec ${limits.decayPerSec}`);
  }
  // `value` is the counter at instant `at`; reservations may push it above `max` (they start later).
  let value = 0;
  let at = now();
  const decayed = (t: number): number => Math.max(0, value - (limits.decayPerSec * Math.max(0, t - at)) / 1000);
  return {
    limits,
    level: (t) => decayed(t),
    async acquire(cost, signal) {
      if (!(cost >= 0)) throw new RangeError(`call cost must be ≥ 0, got ${cost}`);
      if (cost === 0) return 0;
      if (cost > limits.max) throw new RangeError(`call cost ${cost} exceeds the counter max ${limits.max}`);
      const t = now();
      const current = decayed(t);
      const excess = current + cost - limits.max;
      const waitMs = excess > 1e-9 ? Math.ceil((excess / limits.decayPerSec) * 1000) : 0;
      value = current + cost;
      at = t;
      if (waitMs > 0) await sleep(waitMs, signal);
      return waitMs;
    },
    penalise(t) {
      value = Math.max(decayed(t), limits.max);
      at = t;
    },
  };
}
