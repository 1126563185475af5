/**
 * Pair rules for order building: fetched from the venue once per symbol (a retried read) and
 * cached; quantities and prices are put on the pair's grids and checked against its minimums
 * (domain/execution) before anything is sent.
 */
import { type PairRules, roundPrice, roundQty } from '../../domain/execution/index.ts';
import { type Fixed, mul, toString } from '../../domain/money/index.ts';
import type { Venue, VenueError } from '../../domain/ports/index.ts';
import { DEFAULT_READ_RETRY, type ReadRetryPolicy, type RetryRuntime, resultError, retryRead } from './retry.ts';

/** A cache of the venue's pair rules. */
export interface PairRulesCache {
  /** Rules of every listed symbol (fetched once, with read retries); the venue's error when a fetch fails. */
  get(symbols: readonly string[], signal?: AbortSignal): Promise<{ ok: true; value: ReadonlyMap<string, PairRules> } | { ok: false; error: VenueError }>;
}

/** Creates the cache over `venue.pairRules`. */
export function createPairRulesCache(venue: Venue, runtime: RetryRuntime, policy: ReadRetryPolicy = DEFAULT_READ_RETRY): PairRulesCache {
  const known = new Map<string, PairRules>();
  return {
    async get(symbols, signal) {
      const missing = [...new Set(symbols)].filter((s) => !known.has(s));
      if (missing.length > 0) {
        const r = await retryRead(() => venue.pairRules(missing, signal), resultError, runtime, policy, signal ? { signal } : {});
        if (!r.ok) return r;
        for (const e of r.value) known.set(e.symbol, e.rules);
      }
      return { ok: true, value: new Map(symbols.map((s) => [s, known.get(s)!] as const)) };
    },
  };
}

/** Why an order cannot be built on the pair's grids. */
export interface GridProblem {
  readonly kind: 'belowMinimum' | 'invalidOrder';
  readonly message: string;
}

/**
 * Puts an order on the pair's grids — quantity rounded DOWN to the lot grid, `price` rounded with
 * `mode` onto the tick grid — then checks `orderMin` and `costMin` (cost at `price`, or at
 * `referencePrice` for market orders; skipped when neither is known). Pure.
 */
export function onGrid(
  quantity: Fixed,
  price: { value: Fixed; mode: 'floor' | 'ceil' } | null,
  rules: PairRules,
  referencePrice: Fixed | null,
): { ok: true; quantity: Fixed; price: Fixed | null } | { ok: false; problem: GridProblem } {
  const q = roundQty(quantity, rules);
  const p = price === null ? null : roundPrice(price.value, rules, price.mode);
  if (p !== null && p <= 0n) return { ok: false, problem: { kind: 'invalidOrder', message: `price ${toString(price!.value)} rounds to 0 on the tick grid` } };
  if (q <= 0n || q < rules.orderMin) {
    return { ok: false, problem: { kind: 'belowMinimum', message: `volume ${toString(q)} (from ${toString(quantity)}, ${rules.lotDecimals} lot decimals) is below the pair minimum ordermin ${toString(rules.orderMin)}` } };
  }
  const costPrice = p ?? referencePrice;
  if (costPrice !== null && mul(q, costPrice) < rules.costMin) {
    return { ok: false, problem: { kind: 'belowMinimum', message: `order cost ${toString(mul(q, costPrice))} (volume ${toString(q)} × price ${toString(costPrice)}) is below the pair minimum costmin ${toString(rules.costMin)}` } };
  }
  return { ok: true, quantity: q, price: p };
}
