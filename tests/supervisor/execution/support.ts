/**
 * Test support for the execution services: a migrated store, the sim venue on a manual clock
 * (SOL/USD, tests/adapters/sim/support.ts), a fault-injecting wrapper around any venue, and an
 * instant, recording retry runtime.
 */
import { type PositionRow, type Repositories, createRepositories } from '../../../adapters/libsql/index.ts';
import type { SimVenue } from '../../../adapters/sim/index.ts';
import { fromString as f, type Fixed } from '../../../domain/money/index.ts';
import type { Venue, VenueError, VenueExecutionListener, VenueOrderRequest, VenueSubmitResult } from '../../../domain/ports/index.ts';
import type { ExecutionDeps, RetryRuntime } from '../../../supervisor/execution/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { SYMBOL, candle, feed, simVenue } from '../../adapters/sim/support.ts';

export { SYMBOL, candle, feed };

/** A retry runtime whose sleeps return at once and are recorded. */
export function instantRuntime(): RetryRuntime & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    async sleep(ms, signal) {
      if (signal?.aborted) throw new Error('aborted');
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
}

/** Faults the wrapper injects; each is consumed as it fires. */
export interface Faults {
  /** Next submits answer `unknown`: `placed` = sent to the venue (executions muted), `lost` = never sent. */
  submit: ('placed' | 'lost')[];
  /** Next reads of these methods fail with this error. */
  failReads: { method: 'lookupOrder' | 'openOrders' | 'balances' | 'pollExecutions'; error: VenueError; count: number }[];
}

/** Wraps `inner`: counts calls per method, injects `faults`, and can mute executions. */
export function faulty(inner: Venue): { venue: Venue; faults: Faults; calls: Record<string, number>; sent: VenueOrderRequest[]; beforeSend: ((req: VenueOrderRequest) => void)[] } {
  const faults: Faults = { submit: [], failReads: [] };
  const calls: Record<string, number> = {};
  const sent: VenueOrderRequest[] = [];
  const beforeSend: ((req: VenueOrderRequest) => void)[] = [];
  let muted = false;
  const count = (m: string) => {
    calls[m] = (calls[m] ?? 0) + 1;
  };
  const failing = (m: Faults['failReads'][number]['method']): VenueError | null => {
    const f = faults.failReads.find((x) => x.method === m && x.count > 0);
    if (!f) return null;
    f.count--;
    return f.error;
  };
  const venue: Venue = {
    name: inner.name,
    simulated: inner.simulated,
    async submitOrder(req, signal): Promise<VenueSubmitResult> {
      count('submitOrder');
      for (const b of beforeSend) b(req);
      const fault = faults.submit.shift();
      if (fault === 'lost') return { kind: 'unknown', clientOrderId: req.clientOrderId, error: transient('timeout') };
      sent.push(req);
      if (fault === 'placed') {
        muted = true;
        try {
          await inner.submitOrder(req, signal);
        } finally {
          muted = false;
        }
        return { kind: 'unknown', clientOrderId: req.clientOrderId, error: transient('timeout') };
      }
      return inner.submitOrder(req, signal);
    },
    cancelOrder: (id, s) => (count('cancelOrder'), inner.cancelOrder(id, s)),
    async lookupOrder(id, s) {
      count('lookupOrder');
      const e = failing('lookupOrder');
      return e ? { kind: 'failed', clientOrderId: id, error: e } : inner.lookupOrder(id, s);
    },
    async openOrders(s) {
      count('openOrders');
      const e = failing('openOrders');
      return e ? { ok: false, error: e } : inner.openOrders(s);
    },
    async balances(s) {
      count('balances');
      const e = failing('balances');
      return e ? { ok: false, error: e } : inner.balances(s);
    },
    pairRules: (x, s) => (count('pairRules'), inner.pairRules(x, s)),
    feeRates: (x, s) => inner.feeRates(x, s),
    onExecution(listener: VenueExecutionListener) {
      return inner.onExecution((e) => {
        if (!muted) listener(e);
      });
    },
    async pollExecutions(s) {
      count('pollExecutions');
      const e = failing('pollExecutions');
      return e ? { ok: false, error: e } : inner.pollExecutions(s);
    },
  };
  return { venue, faults, calls, sent, beforeSend };
}

/** A transient transport error of `kind`. */
export function transient(kind: VenueError['kind'] = 'unavailable'): VenueError {
  return { kind, class: 'transient', message: `injected ${kind}`, venueCodes: [] };
}

/** Everything a sim-based execution test needs: SOL/USD marked at 100, 10,000 USD. */
export function simWorld(options: { solBalance?: string } = {}) {
  const sim = simVenue({ balances: { USD: f('10000'), SOL: f(options.solBalance ?? '0') }, slippage: 0n });
  feed(sim, candle(0, 100, 101, 99, 100));
  const wrapped = faulty(sim.venue);
  const { db } = freshStore();
  const repos: Repositories = createRepositories(db);
  const runtime = instantRuntime();
  const deps: ExecutionDeps = { venue: wrapped.venue, repos, now: () => sim.clock.t, runtime };
  return { sim: sim as { venue: SimVenue; clock: { t: number } }, ...wrapped, repos, runtime, deps };
}

/** Inserts an open long position `tag` of `qty` SOL at `price`, with the given levels. */
export function addPosition(repos: Repositories, tag: string, qty: string, price: string, stop: string | null, takeProfit: string | null, seq = 1): PositionRow {
  const q: Fixed = f(qty);
  repos.positions.insert({
    tag,
    symbol: SYMBOL,
    side: 'long',
    qty: q,
    costBasis: (q * f(price)) / 10n ** 18n,
    entryFees: 0n,
    lastPrice: f(price),
    stopLoss: stop === null ? null : f(stop),
    takeProfit: takeProfit === null ? null : f(takeProfit),
    intent: 'SWING',
    mae: 0n,
    seq,
    strategyVersion: null,
    strategyRegime: null,
    openedAt: 0,
    updatedAt: 0,
  });
  return repos.positions.byTag(tag)!;
}
