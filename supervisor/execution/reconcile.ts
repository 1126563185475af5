/**
 * Startup reconciliation (the fund's `reconciling` state, DESIGN.md §2–3): the store's view of
 * orders, fills, positions and protective orders is compared with the venue's, after a restart or
 * a crash. Venue facts about our own orders are APPLIED to the store through domain/orders (fills
 * that happened while the fund was down — entries too —, cancels, unknown submits settled); every
 * other disagreement is reported. Each finding is a typed `Difference`, to become an event and an
 * activity-log entry (`differenceActivity`). If the venue cannot be read (after read retries) the
 * result is `ok: false` with `haltReason`: the fund must not trade.
 */
import type { ActivityRow, NewRow, OrderRow } from '../../adapters/libsql/index.ts';
import { type Fixed, ZERO, toString } from '../../domain/money/index.ts';
import { type OrderEvent, type VenueOrderStatus, isTerminal } from '../../domain/orders/index.ts';
import type { Venue, VenueError, VenueOrderSnapshot } from '../../domain/ports/index.ts';
import { isOurClientOrderId } from './client-order-id.ts';
import { applyAndStore, loadOrder } from './order-store.ts';
import { type SettledFact, settleFromSnapshot, snapshotMatches } from './settle.ts';
import { DEFAULT_READ_RETRY, type ReadRetryPolicy, type RetryRuntime, lookupError, resultError, retryRead } from './retry.ts';
import type { ExecutionRepos } from './types.ts';

/** Input of `reconcile`. */
export interface ReconcileInput {
  readonly venue: Venue;
  readonly repos: ExecutionRepos;
  /** Local clock, ms since epoch UTC (stamps local events and bounds "recent"). */
  readonly nowMs: number;
  /** Sleep and jitter for read retries (default: real timers, Math.random). */
  readonly runtime?: RetryRuntime;
  readonly readRetry?: ReadRetryPolicy;
  /** Finished orders younger than this (by `tsInit`) are re-checked too, ms (default 24 h). */
  readonly recentMs?: number;
  /** Where take-profits rest (as the protection service is configured; default `'fund'`: only stop-losses are expected on the venue). */
  readonly takeProfit?: 'venue' | 'fund';
  /**
   * Base assets whose venue balance must equal the positions' total, e.g. the configured markets'
   * (the positions' own assets and those of recent or open orders are always checked).
   */
  readonly assets?: readonly string[];
}

/** Severity of a difference (the activity-log severity). */
export type DifferenceSeverity = 'info' | 'warning' | 'error';

/**
 * One disagreement between store and venue. `applied` says whether reconciliation wrote the venue's
 * fact to the store (the difference is then history, not an open problem).
 */
export type Difference =
  /** An order of ours filled (more) while the fund was down; the fill is applied. `quantity`, `price`, `fee` describe what was added (base, quote per base, quote). */
  | { readonly kind: 'filledWhileDown'; readonly clientOrderId: string; readonly purpose: OrderRow['purpose']; readonly tag: string | null; readonly symbol: string; readonly side: OrderRow['side']; readonly quantity: Fixed; readonly price: Fixed; readonly fee: Fixed; readonly venueStatus: VenueOrderStatus; readonly applied: true }
  /** An order of ours was canceled or expired at the venue while the fund was down; applied. */
  | { readonly kind: 'finishedWhileDown'; readonly clientOrderId: string; readonly venueStatus: 'canceled' | 'expired'; readonly applied: true }
  /** An order whose submit outcome was unknown (or in flight at a crash) was found; applied via `order.lookupFound`. */
  | { readonly kind: 'unknownOrderFound'; readonly clientOrderId: string; readonly purpose: OrderRow['purpose']; readonly tag: string | null; readonly symbol: string; readonly side: OrderRow['side']; readonly venueStatus: VenueOrderStatus; readonly filledQuantity: Fixed; readonly avgFillPrice: Fixed | null; readonly fee: Fixed; readonly applied: true }
  /** An order that was written but never reached the venue (crash before sending, or not found by id); stored as canceled/rejected. */
  | { readonly kind: 'neverPlaced'; readonly clientOrderId: string; readonly storedStatus: OrderRow['status']; readonly applied: true }
  /** The venue acknowledged this order once, but no longer knows it (beyond its history window?). Not applied. */
  | { readonly kind: 'missingAtVenue'; readonly clientOrderId: string; readonly storedStatus: OrderRow['status']; readonly applied: false }
  /** A finished order of ours that the venue reports differently (a fill after the cancel, or an order declared missing that exists). Not applied. */
  | { readonly kind: 'finishedOrderDiffers'; readonly clientOrderId: string; readonly storedStatus: OrderRow['status']; readonly storedFilled: Fixed; readonly venueStatus: VenueOrderStatus; readonly venueFilled: Fixed; readonly applied: false }
  /** The venue's order with this client order id is a different order (ids reused, e.g. after restoring an old backup); nothing of it applied. */
  | { readonly kind: 'clientOrderIdClash'; readonly clientOrderId: string; readonly venueOrderId: string; readonly storedStatus: OrderRow['status']; readonly applied: false }
  /** An open venue order the store does not know (placed by hand, or by another instance); `ours` when its id has our scheme. */
  | { readonly kind: 'foreignOrder'; readonly clientOrderId: string | null; readonly venueOrderId: string; readonly symbol: string; readonly side: VenueOrderSnapshot['side']; readonly type: VenueOrderSnapshot['type']; readonly ours: boolean; readonly applied: false }
  /** A protective order of ours rests with no open position or pair owning it (ensureProtected cancels it). */
  | { readonly kind: 'orphanedProtectiveOrder'; readonly clientOrderId: string; readonly tag: string | null; readonly applied: false }
  /** An open position lacks its live protective leg on the venue (ensureProtected places it). */
  | { readonly kind: 'protectionMissing'; readonly tag: string; readonly leg: 'stopLoss' | 'takeProfit'; readonly applied: false }
  /** The venue's balance of a base asset differs from the open positions' total (`difference = venue − positions`). */
  | { readonly kind: 'balanceMismatch'; readonly asset: string; readonly venueTotal: Fixed; readonly positionsTotal: Fixed; readonly difference: Fixed; readonly applied: false };

/** Result of `reconcile`. `ok: false` → the fund refuses to trade (`haltReason` says why). */
export interface ReconcileResult {
  readonly ok: boolean;
  readonly differences: readonly Difference[];
  readonly haltReason?: string;
}

const fallbackRuntime: RetryRuntime = {
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('aborted'));
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      });
    }),
  random: Math.random,
};

/**
 * Reconciles the store with the venue. Reads: open orders, one lookup per non-final order (and per
 * recently finished one), balances. Writes: only venue facts about our own orders, through
 * `applyOrderEvent`. Never throws for venue trouble (store failures throw). Idempotent: a second
 * run right after the first reports only what is still open (foreign orders, mismatches,
 * missing protection).
 */
export async function reconcile(input: ReconcileInput, signal?: AbortSignal): Promise<ReconcileResult> {
  const { venue, repos, nowMs } = input;
  const runtime = input.runtime ?? fallbackRuntime;
  const policy = input.readRetry ?? DEFAULT_READ_RETRY;
  const recentMs = input.recentMs ?? 24 * 3_600_000;
  const opts = signal ? { signal } : {};
  const differences: Difference[] = [];
  const halt = (what: string, e: VenueError): ReconcileResult => ({ ok: false, differences, haltReason: `reconciliation could not complete: ${what} failed (${e.kind}, ${e.class}): ${e.message}` });

  const open = await retryRead(() => venue.openOrders(signal), resultError, runtime, policy, opts);
  if (!open.ok) return halt('reading open orders', open.error);

  // 1. Our non-final orders, oldest first.
  for (const row of repos.orders.listOpen()) {
    if (row.status === 'new') {
      // Written but never sent (the `submitted` write precedes every send).
      apply(row, { type: 'order.canceled', reason: 'never sent (found unsent at startup)', tsEvent: nowMs });
      differences.push({ kind: 'neverPlaced', clientOrderId: row.clientOrderId, storedStatus: 'new', applied: true });
      continue;
    }
    const l = await retryRead(() => venue.lookupOrder(row.clientOrderId, signal), lookupError, runtime, policy, opts);
    if (l.kind === 'failed') return halt(`looking up order ${row.clientOrderId}`, l.error);
    if (l.kind === 'missing') {
      if (row.status === 'submitted' || row.status === 'unknown') {
        if (row.status === 'submitted') apply(row, { type: 'order.submitTimedOut', tsEvent: nowMs });
        apply(row, { type: 'order.lookupMissing', tsEvent: nowMs });
        differences.push({ kind: 'neverPlaced', clientOrderId: row.clientOrderId, storedStatus: row.status, applied: true });
      } else differences.push({ kind: 'missingAtVenue', clientOrderId: row.clientOrderId, storedStatus: row.status, applied: false });
      continue;
    }
    settle(row, l.order);
  }

  // 2. Recently finished orders: a fill after the cancel, or a "missing" order that exists after all.
  for (const row of repos.orders.listByStatus(['canceled', 'expired', 'rejected'])) {
    if (row.tsInit < nowMs - recentMs || (row.venueOrderId === null && row.status !== 'rejected')) continue;
    if (row.status === 'rejected' && row.reason !== 'not found at the venue by client order id') continue; // refused outright: nothing to find
    const l = await retryRead(() => venue.lookupOrder(row.clientOrderId, signal), lookupError, runtime, policy, opts);
    if (l.kind === 'failed') return halt(`looking up order ${row.clientOrderId}`, l.error);
    if (l.kind === 'missing') continue;
    const s = l.order;
    if (!snapshotMatches(loadOrder(repos, row.clientOrderId)!.order, s)) {
      differences.push({ kind: 'clientOrderIdClash', clientOrderId: row.clientOrderId, venueOrderId: s.venueOrderId, storedStatus: row.status, applied: false });
    } else if (s.filledQuantity !== row.filledQuantity || (row.status === 'rejected' && s.venueStatus !== 'rejected')) {
      differences.push({ kind: 'finishedOrderDiffers', clientOrderId: row.clientOrderId, storedStatus: row.status, storedFilled: row.filledQuantity, venueStatus: s.venueStatus, venueFilled: s.filledQuantity, applied: false });
    }
  }

  // 3. Venue orders the store does not own, and protective orders nothing owns.
  const positions = repos.positions.list();
  const legs = new Map<string, string>();
  for (const c of repos.conditionalOrders.listActive()) {
    if (repos.positions.byTag(c.tag) === undefined) continue;
    for (const id of [c.stopClientOrderId, c.takeProfitClientOrderId]) if (id !== null) legs.set(id, c.tag);
  }
  const openIds = new Set<string>();
  for (const o of open.value) {
    if (o.clientOrderId !== null) openIds.add(o.clientOrderId);
    const row = o.clientOrderId === null ? undefined : repos.orders.byClientOrderId(o.clientOrderId);
    if (row === undefined) {
      differences.push({ kind: 'foreignOrder', clientOrderId: o.clientOrderId, venueOrderId: o.venueOrderId, symbol: o.symbol, side: o.side, type: o.type, ours: isOurClientOrderId(o.clientOrderId), applied: false });
      continue;
    }
    if (isTerminal(row.status) && !differences.some((d) => (d.kind === 'finishedOrderDiffers' || d.kind === 'clientOrderIdClash') && d.clientOrderId === row.clientOrderId)) {
      // Finished here, still working there (e.g. declared missing long ago, then it arrived).
      differences.push({ kind: 'finishedOrderDiffers', clientOrderId: row.clientOrderId, storedStatus: row.status, storedFilled: row.filledQuantity, venueStatus: o.venueStatus, venueFilled: o.filledQuantity, applied: false });
      continue;
    }
    if ((row.purpose === 'stopLoss' || row.purpose === 'takeProfit') && !legs.has(row.clientOrderId)) {
      differences.push({ kind: 'orphanedProtectiveOrder', clientOrderId: row.clientOrderId, tag: row.tag, applied: false });
    }
  }

  // 4. Every position protected on the venue.
  for (const p of positions) {
    const c = repos.conditionalOrders.activeByTag(p.tag);
    const wanted: ('stopLoss' | 'takeProfit')[] = input.takeProfit === 'venue' ? ['stopLoss', 'takeProfit'] : ['stopLoss'];
    for (const leg of wanted) {
      const id = c === undefined ? null : leg === 'stopLoss' ? c.stopClientOrderId : c.takeProfitClientOrderId;
      if (id === null || !openIds.has(id)) differences.push({ kind: 'protectionMissing', tag: p.tag, leg, applied: false });
    }
  }

  // 5. Balances vs positions, per base asset.
  const balances = await retryRead(() => venue.balances(signal), resultError, runtime, policy, opts);
  if (!balances.ok) return halt('reading balances', balances.error);
  const totals = new Map<string, Fixed>();
  for (const a of input.assets ?? []) totals.set(a, ZERO);
  // Assets the fund traded lately count too: a missed entry with no position yet is a mismatch.
  for (const o of [...repos.orders.listOpen(), ...repos.orders.list({ sinceMs: nowMs - recentMs })]) {
    if (o.filledQuantity > ZERO || !isTerminal(o.status)) totals.set(o.symbol.split('/')[0]!, ZERO);
  }
  for (const p of positions) {
    const base = p.symbol.split('/')[0]!;
    totals.set(base, (totals.get(base) ?? ZERO) + p.qty);
  }
  for (const [asset, positionsTotal] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const venueTotal = balances.value.find((b) => b.asset === asset)?.total ?? ZERO;
    if (venueTotal !== positionsTotal) differences.push({ kind: 'balanceMismatch', asset, venueTotal, positionsTotal, difference: venueTotal - positionsTotal, applied: false });
  }
  return { ok: true, differences };

  function apply(row: OrderRow, event: OrderEvent): boolean {
    const loaded = loadOrder(repos, row.clientOrderId)!;
    return applyAndStore(repos, loaded, event, nowMs).ok;
  }

  /** Brings a non-final stored order up to the venue's snapshot of it, recording what was applied. */
  function settle(row: OrderRow, s: VenueOrderSnapshot): void {
    const who = { purpose: row.purpose, tag: row.tag, symbol: row.symbol, side: row.side };
    for (const fact of settleFromSnapshot(repos, row.clientOrderId, s, nowMs).facts) {
      if (fact.kind === 'found') differences.push({ kind: 'unknownOrderFound', clientOrderId: row.clientOrderId, ...who, ...pick(fact), applied: true });
      else if (fact.kind === 'clash') differences.push({ kind: 'clientOrderIdClash', clientOrderId: row.clientOrderId, venueOrderId: fact.venueOrderId, storedStatus: row.status, applied: false });
      else if (fact.kind === 'filled') differences.push({ kind: 'filledWhileDown', clientOrderId: row.clientOrderId, ...who, quantity: fact.quantity, price: fact.price, fee: fact.fee, venueStatus: fact.venueStatus, applied: true });
      else differences.push({ kind: 'finishedWhileDown', clientOrderId: row.clientOrderId, venueStatus: fact.venueStatus, applied: true });
    }
  }
}

function pick(f: Extract<SettledFact, { kind: 'found' }>) {
  return { venueStatus: f.venueStatus, filledQuantity: f.filledQuantity, avgFillPrice: f.avgFillPrice, fee: f.fee };
}

/** Severity of a difference for the activity log. Pure. */
export function severityOf(d: Difference): DifferenceSeverity {
  switch (d.kind) {
    case 'filledWhileDown':
    case 'finishedWhileDown':
    case 'unknownOrderFound':
    case 'neverPlaced':
      return 'info';
    case 'foreignOrder':
    case 'orphanedProtectiveOrder':
    case 'protectionMissing':
      return 'warning';
    case 'missingAtVenue':
    case 'finishedOrderDiffers':
    case 'clientOrderIdClash':
    case 'balanceMismatch':
      return 'error';
  }
}

/** One line for humans. Pure. */
export function describeDifference(d: Difference): string {
  switch (d.kind) {
    case 'filledWhileDown':
      return `${d.purpose} order ${d.clientOrderId} (${d.side} ${d.symbol}${d.tag ? `, ${d.tag}` : ''}) filled ${toString(d.quantity)} at ${toString(d.price)} while the fund was down (fee ${toString(d.fee)})`;
    case 'finishedWhileDown':
      return `order ${d.clientOrderId} was ${d.venueStatus} at the venue while the fund was down`;
    case 'unknownOrderFound':
      return `order ${d.clientOrderId} with an unknown submit outcome was found: ${d.venueStatus}, ${toString(d.filledQuantity)} filled`;
    case 'neverPlaced':
      return `order ${d.clientOrderId} (${d.storedStatus}) never reached the venue`;
    case 'missingAtVenue':
      return `order ${d.clientOrderId} (${d.storedStatus}) is no longer known to the venue`;
    case 'finishedOrderDiffers':
      return `finished order ${d.clientOrderId} is ${d.storedStatus} with ${toString(d.storedFilled)} filled here but ${d.venueStatus} with ${toString(d.venueFilled)} filled at the venue`;
    case 'clientOrderIdClash':
      return `client order id ${d.clientOrderId} (${d.storedStatus} here) belongs to a different venue order ${d.venueOrderId}: ids were reused`;
    case 'foreignOrder':
      return `open venue order ${d.venueOrderId} (${d.clientOrderId ?? 'no client id'}, ${d.side} ${d.type} ${d.symbol}) is unknown to the fund${d.ours ? ' although its id has our scheme' : ''}`;
    case 'orphanedProtectiveOrder':
      return `protective order ${d.clientOrderId}${d.tag ? ` of ${d.tag}` : ''} rests with no open position owning it`;
    case 'protectionMissing':
      return `position ${d.tag} has no live ${d.leg === 'stopLoss' ? 'stop-loss' : 'take-profit'} on the venue`;
    case 'balanceMismatch':
      return `${d.asset}: venue holds ${toString(d.venueTotal)}, open positions total ${toString(d.positionsTotal)} (difference ${toString(d.difference)})`;
  }
}

/** The activity-log row of a difference (category `trade`, detail = the typed difference as JSON, Fixed as decimal text). Pure. */
export function differenceActivity(d: Difference, tsMs: number): NewRow<ActivityRow> {
  const detail = JSON.stringify({ type: 'reconciliation.difference', data: d }, (_k, v: unknown) => (typeof v === 'bigint' ? toString(v) : v));
  return { ts: tsMs, category: 'trade', severity: severityOf(d), summary: `reconciliation: ${describeDifference(d)}`, detail };
}
