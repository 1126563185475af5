/**
 * Exchange-native protection (DESIGN.md §2 `position.open`: protected). For every open position a
 * stop-loss order rests on the venue, and a take-profit — on the venue too, or held by the fund:
 *
 * Kraken spot reserves the base quantity of EVERY open sell order (BalanceEx `hold_trade`; the
 * fake exchange and the sim venue model the same rule), and offers no OCO (reference/kraken.md
 * §11 OTO: "only one conditional order type per primary"). A stop-loss and a take-profit for the
 * whole position therefore cannot rest together: the second is refused `EOrder:Insufficient funds`.
 * `takeProfit: 'fund'` (the default) keeps the stop-loss on the exchange — the protection that
 * matters while the fund is down — and reports the take-profit as fund-managed (the position
 * actor sells when the mark reaches it, after `unprotect`). `takeProfit: 'venue'` places both legs
 * (for accounts or venues that do not double-reserve), and cancels the sibling when one fills.
 *
 * `ensureProtected` is idempotent: it compares what should rest (quantity = the position's, on
 * the lot grid; trigger prices on the tick grid, triggering no later than asked) with the venue's
 * open orders and the `conditional_orders` row, then cancels what is stale, orphaned or doubled and
 * places what is missing. Protective orders are never cancelled on shutdown (`close()` only
 * unsubscribes).
 */
import type { ConditionalOrderRow, OrderRow, PositionRow } from '../../adapters/libsql/index.ts';
import type { PairRules } from '../../domain/execution/index.ts';
import { type Fixed, toString } from '../../domain/money/index.ts';
import { type Order, isTerminal } from '../../domain/orders/index.ts';
import type { VenueError, VenueOrderSnapshot } from '../../domain/ports/index.ts';
import type { OrderService } from './orders.ts';
import { triggerMode } from './orders.ts';
import { onGrid } from './pair-rules.ts';
import { DEFAULT_READ_RETRY, lookupError, resultError, retryRead } from './retry.ts';
import type { ExecutionDeps } from './types.ts';

/** A protective leg. */
export type Leg = 'stopLoss' | 'takeProfit';

/** Why a protective order was (re)placed. */
export type PlaceReason = 'missing' | 'notLive' | 'quantityChanged' | 'priceChanged';

/** What `ensureProtected` did or found, one entry per decision. */
export type ProtectionAction =
  | { readonly kind: 'kept'; readonly tag: string; readonly leg: Leg; readonly clientOrderId: string }
  | { readonly kind: 'placed'; readonly tag: string; readonly leg: Leg; readonly clientOrderId: string; readonly quantity: Fixed; readonly triggerPrice: Fixed; readonly reason: PlaceReason; readonly replaced: string | null; readonly outcome: 'accepted' | 'unresolved' }
  | { readonly kind: 'canceled'; readonly tag: string | null; readonly clientOrderId: string; readonly reason: 'stale' | 'orphan' | 'duplicate' | 'sibling' | 'released' }
  /** A leg filled: the sibling was cancelled and the pair closed; the position is being closed by its fill. */
  | { readonly kind: 'legFilled'; readonly tag: string; readonly leg: Leg; readonly clientOrderId: string }
  /** The take-profit is watched by the fund (`takeProfit: 'fund'`). */
  | { readonly kind: 'fundManaged'; readonly tag: string; readonly leg: 'takeProfit'; readonly triggerPrice: Fixed }
  | { readonly kind: 'skipped'; readonly tag: string; readonly leg: Leg; readonly reason: string }
  | { readonly kind: 'failed'; readonly tag: string | null; readonly leg: Leg | null; readonly clientOrderId: string | null; readonly error: VenueError };

/** Result of one `ensureProtected` scan. `ok` is false when any action failed or the venue could not be read. */
export interface ProtectionReport {
  readonly ok: boolean;
  readonly actions: readonly ProtectionAction[];
  /** Set when the scan could not start (open orders or pair rules unreadable): nothing was changed. */
  readonly error?: VenueError;
}

/** Options of `createProtectionService`. */
export interface ProtectionOptions {
  /** Where the take-profit rests (see the file comment). Default `'fund'`. */
  readonly takeProfit?: 'venue' | 'fund';
}

/** The protection service over one order service. */
export interface ProtectionService {
  /** Makes every position of `positions` (default: all stored open positions) protected; idempotent. Never rejects (store failures aside). */
  ensureProtected(positions?: readonly PositionRow[], signal?: AbortSignal): Promise<ProtectionReport>;
  /** Cancels the protective orders of `tag` (before the fund sells part or all of it: Kraken holds the stop's quantity) and closes its pair. */
  unprotect(tag: string, signal?: AbortSignal): Promise<ProtectionReport>;
  /** Resolves when the sibling cancels started by fills have finished. */
  idle(): Promise<void>;
  /** Unsubscribes. Cancels nothing: protective orders stay on the exchange across restarts. */
  close(): void;
}

const PROTECTIVE_TYPE: Readonly<Record<Leg, 'stop-loss' | 'take-profit'>> = { stopLoss: 'stop-loss', takeProfit: 'take-profit' };

/** Creates the protection service; it cancels the sibling leg as soon as the order service applies a leg's complete fill. */
export function createProtectionService(deps: ExecutionDeps, orders: OrderService, options: ProtectionOptions = {}): ProtectionService {
  const { venue, repos, now, runtime } = deps;
  const policy = deps.readRetry ?? DEFAULT_READ_RETRY;
  const tpMode = options.takeProfit ?? 'fund';
  const inFlight = new Set<Promise<unknown>>();

  const legsOf = (c: ConditionalOrderRow): [Leg, string | null][] => [
    ['stopLoss', c.stopClientOrderId],
    ['takeProfit', c.takeProfitClientOrderId],
  ];

  /** Cancels the other leg of `row`'s pair and closes the pair as filled by `leg`. */
  async function onLegFilled(c: ConditionalOrderRow, leg: Leg, signal?: AbortSignal): Promise<ProtectionAction[]> {
    const actions: ProtectionAction[] = [];
    const sibling = leg === 'stopLoss' ? c.takeProfitClientOrderId : c.stopClientOrderId;
    if (sibling !== null) {
      const r = await orders.cancelOrder(sibling, signal);
      if (r.kind === 'failed') actions.push({ kind: 'failed', tag: c.tag, leg: leg === 'stopLoss' ? 'takeProfit' : 'stopLoss', clientOrderId: sibling, error: r.error });
      else if (r.kind !== 'alreadyFinal') actions.push({ kind: 'canceled', tag: c.tag, clientOrderId: sibling, reason: 'sibling' });
    }
    repos.conditionalOrders.update(c.id, { status: leg === 'stopLoss' ? 'filledStopLoss' : 'filledTakeProfit', updatedAt: now() });
    actions.push({ kind: 'legFilled', tag: c.tag, leg, clientOrderId: (leg === 'stopLoss' ? c.stopClientOrderId : c.takeProfitClientOrderId)! });
    return actions;
  }

  const unsubscribe = orders.onOrderChange((order: Order, row: OrderRow) => {
    if (order.status !== 'filled' || row.tag === null || (row.purpose !== 'stopLoss' && row.purpose !== 'takeProfit')) return;
    const c = repos.conditionalOrders.activeByTag(row.tag);
    if (c === undefined) return;
    const leg: Leg = row.purpose;
    if ((leg === 'stopLoss' ? c.stopClientOrderId : c.takeProfitClientOrderId) !== order.clientOrderId) return;
    const p = onLegFilled(c, leg).catch(() => undefined);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });

  async function readOpen(signal?: AbortSignal) {
    return retryRead(() => venue.openOrders(signal), resultError, runtime, policy, signal ? { signal } : {});
  }

  /** Is the stored leg still resting, finished by a fill, or gone? Consults the venue when the store and the open list disagree. */
  async function legState(id: string, open: ReadonlyMap<string, VenueOrderSnapshot>, signal?: AbortSignal): Promise<{ state: 'live'; snapshot: VenueOrderSnapshot } | { state: 'filled' } | { state: 'gone' } | { state: 'pending' } | { state: 'error'; error: VenueError }> {
    const live = open.get(id);
    if (live !== undefined) return { state: 'live', snapshot: live };
    const row = repos.orders.byClientOrderId(id);
    if (row?.status === 'filled') return { state: 'filled' };
    if (row === undefined || isTerminal(row.status)) return { state: 'gone' };
    if (row.status === 'unknown' || row.status === 'submitted') {
      const r = await orders.resolveUnknown(id, signal);
      if (r.kind === 'unresolved') return { state: 'pending' };
    } else {
      // The store thinks it rests but the venue does not list it: bring its executions in.
      await orders.pollFills(signal);
    }
    const after = repos.orders.byClientOrderId(id)!;
    if (after.status === 'filled') return { state: 'filled' };
    if (isTerminal(after.status)) return { state: 'gone' };
    const l = await retryRead(() => venue.lookupOrder(id, signal), lookupError, runtime, policy, signal ? { signal } : {});
    if (l.kind === 'failed') return { state: 'error', error: l.error };
    if (l.kind === 'found' && l.order.venueStatus === 'open') return { state: 'live', snapshot: l.order };
    // Finished without its executions reaching this process (placed by an earlier one): record the facts first.
    if (l.kind === 'found') orders.settleFromVenue(id, l.order);
    if (l.kind === 'found' && l.order.venueStatus === 'filled') return { state: 'filled' };
    return { state: 'gone' };
  }

  async function scan(positions: readonly PositionRow[], signal?: AbortSignal): Promise<ProtectionReport> {
    const actions: ProtectionAction[] = [];
    const open = await readOpen(signal);
    if (!open.ok) return { ok: false, actions, error: open.error };
    const symbols = [...new Set(positions.map((p) => p.symbol))];
    const rules = await orders.pairRules.get(symbols, signal);
    if (!rules.ok) return { ok: false, actions, error: rules.error };
    const openById = new Map(open.value.filter((o) => o.clientOrderId !== null).map((o) => [o.clientOrderId!, o] as const));
    const keep = new Set<string>();

    for (const p of positions) {
      let c = repos.conditionalOrders.activeByTag(p.tag);
      const last = c === undefined ? repos.conditionalOrders.historyByTag(p.tag).at(-1) : undefined;
      if (last !== undefined && (last.status === 'filledStopLoss' || last.status === 'filledTakeProfit') && last.updatedAt >= p.updatedAt) {
        // A leg filled after the position's last change: the position is being closed by that fill, not re-protected.
        actions.push({ kind: 'skipped', tag: p.tag, leg: last.status === 'filledStopLoss' ? 'stopLoss' : 'takeProfit', reason: `position ${p.tag} is closing: its ${last.status === 'filledStopLoss' ? 'stop-loss' : 'take-profit'} filled` });
        continue;
      }
      const pairRules = rules.value.get(p.symbol)!;
      const done: Partial<Record<Leg, string | null>> = {};
      let closedByFill = false;
      for (const leg of ['stopLoss', 'takeProfit'] as const) {
        if (closedByFill) break;
        const level = leg === 'stopLoss' ? p.stopLoss : p.takeProfit;
        const currentId = c === undefined ? null : leg === 'stopLoss' ? c.stopClientOrderId : c.takeProfitClientOrderId;
        const onVenue = leg === 'stopLoss' || tpMode === 'venue';
        if (!onVenue) {
          if (level !== null) actions.push({ kind: 'fundManaged', tag: p.tag, leg: 'takeProfit', triggerPrice: level });
          if (currentId !== null) {
            const st = await legState(currentId, openById, signal);
            if (st.state === 'live') await cancel(currentId, p.tag, 'stale', actions, signal);
          }
          done[leg] = null;
          continue;
        }
        if (level === null) {
          actions.push({ kind: 'skipped', tag: p.tag, leg, reason: `position ${p.tag} has no ${leg === 'stopLoss' ? 'stop-loss' : 'take-profit'} level` });
          if (currentId !== null) keep.add(currentId);
          done[leg] = currentId;
          continue;
        }
        const want = desired(p.qty, level, leg, pairRules);
        if (!want.ok) {
          actions.push({ kind: 'skipped', tag: p.tag, leg, reason: want.reason });
          done[leg] = currentId;
          if (currentId !== null) keep.add(currentId);
          continue;
        }
        let reason: PlaceReason = 'missing';
        let replaced: string | null = null;
        if (currentId !== null) {
          const st = await legState(currentId, openById, signal);
          if (st.state === 'error') {
            actions.push({ kind: 'failed', tag: p.tag, leg, clientOrderId: currentId, error: st.error });
            keep.add(currentId);
            done[leg] = currentId;
            continue;
          }
          if (st.state === 'pending') {
            keep.add(currentId);
            done[leg] = currentId;
            actions.push({ kind: 'skipped', tag: p.tag, leg, reason: `protective order ${currentId} is still unresolved at the venue: not placing another` });
            continue;
          }
          if (st.state === 'filled') {
            actions.push(...(await onLegFilled(c!, leg, signal)));
            closedByFill = true;
            c = undefined;
            continue;
          }
          if (st.state === 'live') {
            const s = st.snapshot;
            const remaining = s.quantity - s.filledQuantity;
            if (remaining === want.quantity && s.triggerPrice === want.price) {
              keep.add(currentId);
              done[leg] = currentId;
              actions.push({ kind: 'kept', tag: p.tag, leg, clientOrderId: currentId });
              continue;
            }
            reason = remaining !== want.quantity ? 'quantityChanged' : 'priceChanged';
            // Cancel first: the old order holds the quantity the new one needs.
            if (!(await cancel(currentId, p.tag, 'stale', actions, signal))) {
              keep.add(currentId);
              done[leg] = currentId;
              continue;
            }
          } else reason = 'notLive';
          replaced = currentId;
        }
        const placed = await orders.submitOrder({ symbol: p.symbol, side: 'sell', type: PROTECTIVE_TYPE[leg], quantity: want.quantity, triggerPrice: want.price, purpose: leg, tag: p.tag }, signal);
        if (placed.kind === 'accepted' || placed.kind === 'unresolved') {
          keep.add(placed.clientOrderId);
          done[leg] = placed.clientOrderId;
          actions.push({ kind: 'placed', tag: p.tag, leg, clientOrderId: placed.clientOrderId, quantity: want.quantity, triggerPrice: want.price, reason, replaced, outcome: placed.kind });
        } else {
          done[leg] = null;
          actions.push({ kind: 'failed', tag: p.tag, leg, clientOrderId: placed.kind === 'rejected' ? placed.clientOrderId : null, error: placed.kind === 'rejected' ? placed.error : { kind: 'invalidOrder', class: 'permanent', message: placed.reason, venueCodes: [] } });
        }
      }
      if (closedByFill) continue;
      writePair(p, c, done.stopLoss ?? null, done.takeProfit ?? null);
    }

    // Protective orders of ours that no current pair owns: positions closed, doubles, leftovers.
    const tags = new Set(positions.map((p) => p.tag));
    for (const o of open.value) {
      if (o.clientOrderId === null || keep.has(o.clientOrderId) || !orders.ids.isOurs(o.clientOrderId)) continue;
      if (o.side !== 'sell' || (o.type !== 'stop-loss' && o.type !== 'take-profit')) continue;
      const row = repos.orders.byClientOrderId(o.clientOrderId);
      const tag = row?.tag ?? null;
      if (tag !== null && !tags.has(tag) && repos.positions.byTag(tag) !== undefined) continue; // another scan's position
      await cancel(o.clientOrderId, tag, tag !== null && tags.has(tag) ? 'duplicate' : 'orphan', actions, signal);
    }
    for (const c of repos.conditionalOrders.listActive()) {
      if (repos.positions.byTag(c.tag) === undefined) repos.conditionalOrders.update(c.id, { status: 'canceled', updatedAt: now() });
    }
    return { ok: actions.every((a) => a.kind !== 'failed'), actions };
  }

  /** Cancels one protective order; true when it no longer rests. */
  async function cancel(id: string, tag: string | null, reason: 'stale' | 'orphan' | 'duplicate' | 'released', actions: ProtectionAction[], signal?: AbortSignal): Promise<boolean> {
    const r = repos.orders.byClientOrderId(id) !== undefined ? await orders.cancelOrder(id, signal) : await rawCancel(id, signal);
    if (r.kind === 'failed') {
      actions.push({ kind: 'failed', tag, leg: null, clientOrderId: id, error: r.error });
      return false;
    }
    if (r.kind !== 'alreadyFinal') actions.push({ kind: 'canceled', tag, clientOrderId: id, reason });
    return true;
  }

  async function rawCancel(id: string, signal?: AbortSignal): Promise<{ kind: 'canceled' } | { kind: 'failed'; error: VenueError }> {
    const r = await retryRead(() => venue.cancelOrder(id, signal), (x) => (x.kind === 'failed' ? x.error : null), runtime, policy, signal ? { signal } : {});
    return r.kind === 'failed' ? { kind: 'failed', error: r.error } : { kind: 'canceled' };
  }

  /** Stores the pair as it now rests: updates the active row, or closes it and opens a new one. */
  function writePair(p: PositionRow, c: ConditionalOrderRow | undefined, stopId: string | null, tpId: string | null): void {
    const stopPrice = stopId === null ? null : (repos.orders.byClientOrderId(stopId)?.triggerPrice ?? null);
    const tpPrice = tpId === null ? null : (repos.orders.byClientOrderId(tpId)?.triggerPrice ?? null);
    const nowMs = now();
    if (c !== undefined && c.stopClientOrderId === stopId && c.takeProfitClientOrderId === tpId && c.quantity === p.qty) return;
    repos.transaction(() => {
      if (c !== undefined) {
        if (stopId === null && tpId === null) repos.conditionalOrders.update(c.id, { status: 'canceled', updatedAt: nowMs });
        else repos.conditionalOrders.update(c.id, { quantity: p.qty, stopClientOrderId: stopId, stopPrice, takeProfitClientOrderId: tpId, takeProfitPrice: tpPrice, updatedAt: nowMs });
      } else if (stopId !== null || tpId !== null) {
        repos.conditionalOrders.insert({ tag: p.tag, symbol: p.symbol, quantity: p.qty, entryClientOrderId: null, stopClientOrderId: stopId, takeProfitClientOrderId: tpId, stopPrice, takeProfitPrice: tpPrice, status: 'active', createdAt: nowMs, updatedAt: nowMs });
      }
    });
  }

  /** Scans and releases run one at a time: two overlapping scans could each place the missing stop. */
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    ensureProtected: (positions, signal) => serial(() => scan(positions ?? repos.positions.list(), signal)),

    unprotect: (tag, signal) => serial(() => release(tag, signal)),

    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    close() {
      unsubscribe();
    },
  };

  /** Cancels the legs of `tag` and closes its pair (when every cancel succeeded). */
  async function release(tag: string, signal?: AbortSignal): Promise<ProtectionReport> {
    const actions: ProtectionAction[] = [];
    const c = repos.conditionalOrders.activeByTag(tag);
    if (c === undefined) return { ok: true, actions };
    let ok = true;
    for (const [, id] of legsOf(c)) if (id !== null) ok = (await cancel(id, tag, 'released', actions, signal)) && ok;
    if (ok) repos.conditionalOrders.update(c.id, { status: 'canceled', updatedAt: now() });
    return { ok, actions };
  }
}

/** The protective order a position needs: its quantity on the lot grid, the trigger on the tick grid (stop up, take-profit down), minimums checked. Pure. */
export function desired(qty: Fixed, level: Fixed, leg: Leg, rules: PairRules): { ok: true; quantity: Fixed; price: Fixed } | { ok: false; reason: string } {
  const g = onGrid(qty, { value: level, mode: triggerMode('sell', PROTECTIVE_TYPE[leg]) }, rules, null);
  if (!g.ok) return { ok: false, reason: `cannot protect ${toString(qty)} at ${toString(level)}: ${g.problem.message}` };
  return { ok: true, quantity: g.quantity, price: g.price! };
}
