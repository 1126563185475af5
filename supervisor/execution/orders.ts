/**
 * Order submission and tracking, persist-then-act (DESIGN.md §3):
 *
 * 1. a fresh client order id is reserved (persisted sequence), the order is checked and put on
 *    the pair's grids, and its row is written with status `submitted` BEFORE the venue is called;
 * 2. the venue is called once. `accepted` / `rejected` are applied through domain/orders
 *    `applyOrderEvent`; `unknown` (timeout, 5xx, network) is never resent: the order goes to
 *    `unknown` and is resolved by the venue's executions poll (which looks it up by client order
 *    id) and, failing that, by `lookupOrder` — missing after the grace period → `rejected`;
 * 3. venue executions (WebSocket `executions` where the venue has them, `pollExecutions` — REST
 *    QueryOrders — as the fallback) are applied as they arrive: each fill row is recorded in the
 *    same transaction as the order update; partial fills are ordinary fills.
 *
 * One service per venue instance. It subscribes to the venue at creation (before any submit).
 */
import type { OrderPurpose, OrderRow } from '../../adapters/libsql/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import { type Order, type OrderEvent, type OrderSide, type OrderType, createOrder, isTerminal } from '../../domain/orders/index.ts';
import type { VenueError, VenueExecution, VenueOrderRequest, VenueOrderSnapshot } from '../../domain/ports/index.ts';
import { type ClientOrderIds, createClientOrderIds } from './client-order-id.ts';
import { applyAndStore, loadOrder, newOrderRow } from './order-store.ts';
import { type PairRulesCache, createPairRulesCache, onGrid } from './pair-rules.ts';
import { DEFAULT_READ_RETRY, lookupError, resultError, retryRead } from './retry.ts';
import { type SettledFact, settleFromSnapshot, snapshotMatches } from './settle.ts';
import type { ExecutionDeps } from './types.ts';

/** What the runtime asks for. Quantities base units, prices quote per base (exact). */
export interface OrderIntent {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Rounded DOWN to the pair's lot grid before sending. */
  readonly quantity: Fixed;
  /** `limit` only; rounded onto the tick grid away from aggressiveness (buy down, sell up). */
  readonly limitPrice?: Fixed;
  /** `stop-loss` / `take-profit` only; rounded onto the tick grid so that it triggers no later than asked. */
  readonly triggerPrice?: Fixed;
  readonly postOnly?: boolean;
  readonly purpose: OrderPurpose;
  /** Position tag (null for an untagged FIFO exit). */
  readonly tag: string | null;
  readonly signalId?: number | null;
  /** Mark used for the cost minimum of a market order (skipped when absent: the venue checks). */
  readonly referencePrice?: Fixed;
}

/** Outcome of `submitOrder`. `order` is the stored record after everything applied so far. */
export type SubmitOutcome =
  /** The venue holds (or held) the order; it may already be filled. */
  | { readonly kind: 'accepted'; readonly clientOrderId: string; readonly order: Order }
  /** Definitely not placed (refused locally, by the venue, or never found after an unknown submit). */
  | { readonly kind: 'rejected'; readonly clientOrderId: string; readonly order: Order; readonly error: VenueError }
  /** Still unknown (the lookups failed): left in status `unknown` for `resolveUnknown` / reconciliation. Never resend it. */
  | { readonly kind: 'unresolved'; readonly clientOrderId: string; readonly order: Order; readonly error: VenueError }
  /** The intent itself is malformed (no row written); `reason` names the problem. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** An execution that could not be applied (unknown order, illegal after a lookup settled it, replay). */
export interface DroppedExecution {
  readonly execution: VenueExecution;
  readonly reason: string;
}

/** Options of `createOrderService`. */
export interface OrderServiceOptions {
  /** Short id of this fund instance in client order ids (`tb-<run>-<seq>`), 1–6 of [a-z0-9]. */
  readonly runId: string;
  /** Lookups of an unknown order before it is declared missing (default 3). */
  readonly lookupAttempts?: number;
  /** Wait between those lookups, ms (default 2000): the venue's books settle. */
  readonly lookupDelayMs?: number;
  /** Pair rules shared with the protection service (default: a cache of its own). */
  readonly pairRules?: PairRulesCache;
}

/** Order submission and tracking over one venue. */
export interface OrderService {
  /** Reserves an id, writes the row, sends once, resolves an unknown outcome by lookup. Never rejects (store failures aside). */
  submitOrder(intent: OrderIntent, signal?: AbortSignal): Promise<SubmitOutcome>;
  /** Resolves a stored order in status `unknown` (or `submitted` after a crash) by poll and lookup; never resends. */
  resolveUnknown(clientOrderId: string, signal?: AbortSignal): Promise<SubmitOutcome>;
  /**
   * Cancels an open order: `order.cancelRequested` is stored first, then the venue is asked (a
   * transient failure is retried like a read: cancels are idempotent). `notFound` means the
   * order already finished; the executions poll then brings its last fills.
   */
  cancelOrder(clientOrderId: string, signal?: AbortSignal): Promise<{ kind: 'canceled' | 'pending' | 'notFound' | 'alreadyFinal'; order: Order } | { kind: 'failed'; error: VenueError }>;
  /**
   * Settles a stored, non-final order from a venue snapshot when the venue reports it FINAL (or the
   * order is `submitted`/`unknown` and the venue holds it unfilled): the fills the stream never delivered (an order of an earlier
   * process, a feed outage) as one aggregate fill, then the cancel/expiry. An open snapshot changes
   * nothing (its fills may still arrive on the stream; applying them twice must be impossible).
   * Listeners are notified. Returns the facts applied.
   */
  settleFromVenue(clientOrderId: string, snapshot: VenueOrderSnapshot): readonly SettledFact[];
  /**
   * The REST fallback for every stored non-final order: polls executions, lists the venue's open
   * orders, and settles each stored order the venue no longer lists (looked up by client order id,
   * `unknown` ones resolved). Run it periodically and after an outage; after a restart it is how
   * the fills of orders placed by the previous process (protective stops) reach the store.
   */
  syncStoredOrders(signal?: AbortSignal): Promise<{ ok: true; settled: readonly { clientOrderId: string; facts: readonly SettledFact[] }[] } | { ok: false; error: VenueError }>;
  /** Asks the venue for executions it has not delivered (REST fallback), with read retries; returns how many were applied. */
  pollFills(signal?: AbortSignal): Promise<{ ok: true; applied: number } | { ok: false; applied: number; error: VenueError }>;
  /** Applies one venue execution to the stored order (the venue listener calls this; exposed for reconciliation). */
  applyExecution(execution: VenueExecution): boolean;
  /** Subscribes to stored order changes (after each successful apply); returns the unsubscribe function. */
  onOrderChange(listener: (order: Order, row: OrderRow) => void): () => void;
  /** Executions that could not be applied since creation (audit; the runtime logs them). */
  dropped(): readonly DroppedExecution[];
  /** The id source (shared with the protection service). */
  readonly ids: ClientOrderIds;
  readonly pairRules: PairRulesCache;
  /** Unsubscribes from the venue. Cancels nothing: resting and protective orders stay at the venue. */
  close(): void;
}

/** Creates the order service and subscribes it to the venue's executions. Throws `RangeError` for a bad `runId`. */
export function createOrderService(deps: ExecutionDeps, options: OrderServiceOptions): OrderService {
  const { venue, repos, now, runtime } = deps;
  const policy = deps.readRetry ?? DEFAULT_READ_RETRY;
  const ids = createClientOrderIds(repos.systemMeta, options.runId);
  const pairRules = options.pairRules ?? createPairRulesCache(venue, runtime, policy);
  const lookupAttempts = options.lookupAttempts ?? 3;
  const lookupDelayMs = options.lookupDelayMs ?? 2_000;
  const listeners = new Set<(order: Order, row: OrderRow) => void>();
  const droppedList: DroppedExecution[] = [];
  let applied = 0;

  function notify(order: Order, row: OrderRow): void {
    for (const l of [...listeners]) {
      try {
        l(order, row);
      } catch {
        // a listener must not stop the others or the venue feed
      }
    }
  }

  /** Applies a local or venue event to the stored order; null when the order is unknown to the store. */
  function apply(clientOrderId: string, event: OrderEvent) {
    const loaded = loadOrder(repos, clientOrderId);
    if (loaded === undefined) return null;
    const r = applyAndStore(repos, loaded, event, now());
    if (r.ok) {
      applied++;
      notify(r.order, r.row);
    }
    return r;
  }

  function applyExecution(x: VenueExecution): boolean {
    const loaded = loadOrder(repos, x.clientOrderId);
    if (loaded === undefined) {
      droppedList.push({ execution: x, reason: 'no stored order with this client order id' });
      return false;
    }
    const e = x.event;
    // A repeated acknowledgement (the submit reply and the feed both report it) changes nothing.
    if (e.type === 'order.accepted' && loaded.order.venueOrderId === e.venueOrderId && loaded.order.status !== 'unknown' && loaded.order.status !== 'submitted') return true;
    const event: OrderEvent = e.type === 'order.filled' ? { type: 'order.filled', tradeId: e.tradeId, quantity: e.quantity, price: e.price, fee: e.fee, tsEvent: e.tsEvent } : e;
    const r = applyAndStore(repos, loaded, event, now(), { liquidity: e.type === 'order.filled' ? e.liquidity : null });
    if (!r.ok) {
      droppedList.push({ execution: x, reason: `${r.error.kind} from ${loaded.order.status}` });
      return false;
    }
    applied++;
    notify(r.order, r.row);
    return true;
  }

  const unsubscribe = venue.onExecution(applyExecution);

  function current(clientOrderId: string): Order {
    return loadOrder(repos, clientOrderId)!.order;
  }

  function outcomeOf(clientOrderId: string, error: VenueError | null): SubmitOutcome {
    const order = current(clientOrderId);
    if (order.status === 'unknown' || order.status === 'submitted') {
      return { kind: 'unresolved', clientOrderId, order, error: error ?? localError('venueError', 'the order is still unresolved', 'transient') };
    }
    if (order.status === 'rejected') return { kind: 'rejected', clientOrderId, order, error: error ?? localError('venueError', order.reason ?? 'rejected', 'permanent') };
    return { kind: 'accepted', clientOrderId, order };
  }

  async function resolveUnknown(clientOrderId: string, signal?: AbortSignal): Promise<SubmitOutcome> {
    const loaded = loadOrder(repos, clientOrderId);
    if (loaded === undefined) return { kind: 'invalid', reason: `no stored order with client order id ${JSON.stringify(clientOrderId)}` };
    if (loaded.order.status === 'submitted') apply(clientOrderId, { type: 'order.submitTimedOut', tsEvent: now() });
    let lastError: VenueError | null = null;
    for (let attempt = 1; attempt <= Math.max(1, lookupAttempts); attempt++) {
      if (current(clientOrderId).status !== 'unknown') return outcomeOf(clientOrderId, null);
      // The poll looks unknown orders up by client order id and delivers what it finds as executions.
      const polled = await retryRead(() => venue.pollExecutions(signal), resultError, runtime, policy, signal ? { signal } : {});
      if (!polled.ok) lastError = polled.error;
      if (current(clientOrderId).status !== 'unknown') return outcomeOf(clientOrderId, null);
      const l = await retryRead(() => venue.lookupOrder(clientOrderId, signal), lookupError, runtime, policy, signal ? { signal } : {});
      if (l.kind === 'failed') return outcomeOf(clientOrderId, l.error);
      if (l.kind === 'found') {
        if (!snapshotMatches(current(clientOrderId), l.order)) {
          // Another order holds this client order id: ours was refused as a duplicate, never placed.
          apply(clientOrderId, { type: 'order.lookupMissing', tsEvent: now() });
          return outcomeOf(clientOrderId, localError('duplicateClientOrderId', `the venue's order ${l.order.venueOrderId} with client order id ${clientOrderId} is a different order: ours was not placed`, 'permanent'));
        }
        if (l.order.venueStatus === 'open' && l.order.filledQuantity > 0n) {
          // Working and partly filled: its fills must come one by one from the executions (a
          // lookup's cumulative figures plus the same fills from the stream would count twice).
          return outcomeOf(clientOrderId, localError('venueError', `order ${clientOrderId} is working at the venue with fills not yet delivered: settled by the next executions poll`, 'transient'));
        }
        if (current(clientOrderId).status === 'unknown') {
          const s = l.order;
          apply(clientOrderId, { type: 'order.lookupFound', venueOrderId: s.venueOrderId, venueStatus: s.venueStatus, filledQuantity: s.filledQuantity, avgFillPrice: s.avgFillPrice, fee: s.fee, tsEvent: s.tsClosed ?? s.tsOpened });
        }
        return outcomeOf(clientOrderId, null);
      }
      if (attempt < lookupAttempts) {
        try {
          await runtime.sleep(lookupDelayMs, signal);
        } catch {
          return outcomeOf(clientOrderId, lastError ?? localError('aborted', 'aborted while resolving an unknown order', 'permanent'));
        }
      }
    }
    if (current(clientOrderId).status === 'unknown') apply(clientOrderId, { type: 'order.lookupMissing', tsEvent: now() });
    return outcomeOf(clientOrderId, localError('unknownOrder', `the venue has no order with client order id ${clientOrderId} after ${lookupAttempts} lookups: it was never placed`, 'permanent'));
  }

  function settleFromVenue(clientOrderId: string, snapshot: VenueOrderSnapshot): readonly SettledFact[] {
    const loaded = loadOrder(repos, clientOrderId);
    if (loaded === undefined || isTerminal(loaded.order.status)) return [];
    // Open orders are left to the executions stream, except an unsettled one with nothing filled yet.
    const unsettled = loaded.order.status === 'submitted' || loaded.order.status === 'unknown';
    if (snapshot.venueStatus === 'open' && !(unsettled && snapshot.filledQuantity === 0n)) return [];
    const { facts, order } = settleFromSnapshot(repos, clientOrderId, snapshot, now());
    if (facts.length > 0) {
      applied += facts.length;
      notify(order, repos.orders.byClientOrderId(clientOrderId)!);
    }
    return facts;
  }

  return {
    ids,
    pairRules,
    applyExecution,
    resolveUnknown,
    settleFromVenue,

    async syncStoredOrders(signal) {
      const opts = signal ? { signal } : {};
      await retryRead(() => venue.pollExecutions(signal), resultError, runtime, policy, opts);
      const open = await retryRead(() => venue.openOrders(signal), resultError, runtime, policy, opts);
      if (!open.ok) return open;
      const openIds = new Set(open.value.map((o) => o.clientOrderId));
      const settled: { clientOrderId: string; facts: readonly SettledFact[] }[] = [];
      for (const row of repos.orders.listOpen()) {
        if (row.status === 'new' || row.status === 'submitted' || openIds.has(row.clientOrderId)) continue; // new/submitted: a submit of this process in flight
        if (row.status === 'unknown') {
          await resolveUnknown(row.clientOrderId, signal);
          continue;
        }
        const l = await retryRead(() => venue.lookupOrder(row.clientOrderId, signal), lookupError, runtime, policy, opts);
        if (l.kind === 'failed') return { ok: false, error: l.error };
        if (l.kind === 'missing') continue; // reconciliation reports it (missingAtVenue)
        const facts = settleFromVenue(row.clientOrderId, l.order);
        if (facts.length > 0) settled.push({ clientOrderId: row.clientOrderId, facts });
      }
      return { ok: true, settled };
    },
    dropped: () => droppedList,
    onOrderChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async submitOrder(intent, signal) {
      const nowMs = now();
      const base = { symbol: intent.symbol, side: intent.side, type: intent.type };
      const check = createOrder({ ...base, clientOrderId: 'check', quantity: intent.quantity, limitPrice: intent.limitPrice ?? null, triggerPrice: intent.triggerPrice ?? null, tsInit: nowMs });
      if (!check.ok) return { kind: 'invalid', reason: check.error.reason };
      if (intent.postOnly && intent.type !== 'limit') return { kind: 'invalid', reason: 'postOnly is allowed on limit orders only' };

      const rules = await pairRules.get([intent.symbol], signal);
      const clientOrderId = ids.next(nowMs);
      const meta = { purpose: intent.purpose, tag: intent.tag, signalId: intent.signalId ?? null };
      let quantity = intent.quantity;
      let limitPrice = intent.limitPrice;
      let triggerPrice = intent.triggerPrice;
      let refusal: VenueError | null = rules.ok ? null : rules.error;
      if (rules.ok) {
        const price =
          limitPrice !== undefined
            ? { value: limitPrice, mode: intent.side === 'buy' ? ('floor' as const) : ('ceil' as const) }
            : triggerPrice !== undefined
              ? { value: triggerPrice, mode: triggerMode(intent.side, intent.type) }
              : null;
        const g = onGrid(quantity, price, rules.value.get(intent.symbol)!, intent.referencePrice ?? null);
        if (!g.ok) refusal = localError(g.problem.kind, g.problem.message, 'permanent');
        else {
          quantity = g.quantity;
          if (limitPrice !== undefined) limitPrice = g.price!;
          if (triggerPrice !== undefined) triggerPrice = g.price!;
        }
      }
      const created = createOrder({ ...base, clientOrderId, quantity: quantity > 0n ? quantity : intent.quantity, limitPrice: limitPrice ?? null, triggerPrice: triggerPrice ?? null, tsInit: nowMs });
      if (!created.ok) return { kind: 'invalid', reason: created.error.reason };
      repos.orders.insert(newOrderRow(created.order, meta, nowMs));
      if (refusal !== null) {
        // Refused before sending (grids, minimums, or the rules could not be read): stored as rejected.
        apply(clientOrderId, { type: 'order.rejected', reason: refusal.message, tsEvent: nowMs });
        return { kind: 'rejected', clientOrderId, order: current(clientOrderId), error: refusal };
      }
      apply(clientOrderId, { type: 'order.submitted', tsEvent: nowMs });

      const request: VenueOrderRequest = {
        clientOrderId,
        symbol: intent.symbol,
        side: intent.side,
        type: intent.type,
        quantity,
        ...(limitPrice !== undefined ? { limitPrice } : {}),
        ...(triggerPrice !== undefined ? { triggerPrice } : {}),
        ...(intent.postOnly ? { postOnly: true } : {}),
      };
      const r = await venue.submitOrder(request, signal);
      switch (r.kind) {
        case 'accepted': {
          const o = current(clientOrderId);
          if (o.venueOrderId === null || o.status === 'submitted' || o.status === 'unknown') apply(clientOrderId, { type: 'order.accepted', venueOrderId: r.venueOrderId, tsEvent: now() });
          return outcomeOf(clientOrderId, null);
        }
        case 'rejected': {
          const o = current(clientOrderId);
          if (o.status === 'submitted') apply(clientOrderId, { type: 'order.rejected', reason: [r.error.message, ...r.error.venueCodes].join(' | '), tsEvent: now() });
          return { kind: 'rejected', clientOrderId, order: current(clientOrderId), error: r.error };
        }
        case 'unknown': {
          if (current(clientOrderId).status === 'submitted') apply(clientOrderId, { type: 'order.submitTimedOut', tsEvent: now() });
          const resolved = await resolveUnknown(clientOrderId, signal);
          return resolved.kind === 'unresolved' ? { ...resolved, error: resolved.error ?? r.error } : resolved;
        }
      }
    },

    async cancelOrder(clientOrderId, signal) {
      const loaded = loadOrder(repos, clientOrderId);
      if (loaded === undefined) return { kind: 'failed', error: localError('unknownOrder', `no stored order with client order id ${JSON.stringify(clientOrderId)}`, 'permanent') };
      if (isTerminal(loaded.order.status)) return { kind: 'alreadyFinal', order: loaded.order };
      if (['accepted', 'partiallyFilled', 'pendingCancel'].includes(loaded.order.status)) apply(clientOrderId, { type: 'order.cancelRequested', tsEvent: now() });
      const r = await retryRead(
        () => venue.cancelOrder(clientOrderId, signal),
        (x) => (x.kind === 'failed' ? x.error : null),
        runtime,
        policy,
        signal ? { signal } : {},
      );
      if (r.kind === 'failed') return { kind: 'failed', error: r.error };
      if (r.kind === 'notFound' || r.kind === 'pending') await retryRead(() => venue.pollExecutions(signal), resultError, runtime, policy, signal ? { signal } : {});
      if (r.kind === 'notFound' && !isTerminal(current(clientOrderId).status)) {
        // Finished at the venue without the executions reaching us (e.g. another venue instance placed it): settle from a lookup.
        const l = await retryRead(() => venue.lookupOrder(clientOrderId, signal), lookupError, runtime, policy, signal ? { signal } : {});
        if (l.kind === 'found') settleFromVenue(clientOrderId, l.order);
      }
      return { kind: r.kind, order: current(clientOrderId) };
    },

    async pollFills(signal) {
      const before = applied;
      const r = await retryRead(() => venue.pollExecutions(signal), resultError, runtime, policy, signal ? { signal } : {});
      return r.ok ? { ok: true, applied: applied - before } : { ok: false, applied: applied - before, error: r.error };
    },

    close() {
      unsubscribe();
    },
  };
}

/** Trigger rounding: a sell stop-loss up and a sell take-profit down (both trigger no later than asked); buys mirrored. Pure. */
export function triggerMode(side: OrderSide, type: OrderType): 'floor' | 'ceil' {
  const sellStop = type === 'stop-loss';
  return (side === 'sell') === sellStop ? 'ceil' : 'floor';
}

/** A locally made `VenueError` (no venue strings). Pure. */
export function localError(kind: VenueError['kind'], message: string, cls: VenueError['class']): VenueError {
  return { kind, class: cls, message, venueCodes: [] };
}

/** True for order rows the executions can still change. Pure. */
export function isLive(row: Pick<OrderRow, 'status'>): boolean {
  return !isTerminal(row.status);
}
