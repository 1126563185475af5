/**
 * Startup reconciliation (supervisor/execution/reconcile.ts) on the sim venue: fills while the fund
 * was down (entries too) applied through domain/orders, unsent and never-arrived orders settled,
 * foreign and orphaned orders, missing protection and balance mismatches reported, and a refusal
 * to trade when the venue cannot be read. SOL/USD marked at 100.
 */
import { describe, expect, it } from 'vitest';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import { createOrderService, createProtectionService, differenceActivity, reconcile } from '../../../supervisor/execution/index.ts';
import { SYMBOL, addPosition, candle, feed, simWorld, transient } from './support.ts';

const run = (w: ReturnType<typeof simWorld>, extra: { takeProfit?: 'venue' | 'fund' } = {}) => reconcile({ venue: w.venue, repos: w.repos, nowMs: w.sim.clock.t, runtime: w.runtime, ...extra });

describe('reconcile', () => {
  it('applies an entry that filled while the fund was down, and reports what the positions lack', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 'r1' });
    await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('2'), limitPrice: f('98'), purpose: 'entry', tag: 'E' });
    orders.close(); // the fund goes down
    feed(w.sim, candle(1, 100, 100, 97, 99)); // the entry fills: 2 @ 98, maker fee 0.49
    const r = await run(w);
    expect(r.ok).toBe(true);
    expect(r.differences).toEqual([
      { kind: 'filledWhileDown', clientOrderId: 'tb-r1-1', purpose: 'entry', tag: 'E', symbol: SYMBOL, side: 'buy', quantity: f('2'), price: f('98'), fee: f('0.49'), venueStatus: 'filled', applied: true },
      { kind: 'balanceMismatch', asset: 'SOL', venueTotal: f('2'), positionsTotal: 0n, difference: f('2'), applied: false },
    ]);
    const row = w.repos.orders.byClientOrderId('tb-r1-1')!;
    expect([row.status, toString(row.filledQuantity), toString(row.avgFillPrice!), toString(row.feeTotal)]).toEqual(['filled', '2', '98', '0.49']);
    expect(w.repos.fills.byOrder('tb-r1-1').map((x) => x.tradeId)).toEqual(['reconciled:SIM-O000001:2']);
    // The runtime books the position and protects it; then nothing differs — and a rerun applies nothing twice.
    addPosition(w.repos, 'E', '2', '98', '90', null);
    const o2 = createOrderService(w.deps, { runId: 'r1' });
    expect((await createProtectionService(w.deps, o2).ensureProtected()).ok).toBe(true);
    expect(await run(w)).toEqual({ ok: true, differences: [] });
  });

  it('settles orders left unsent or unknown by a crash, and flags orders the store does not know', async () => {
    const w = simWorld();
    // Crash after the row, before sending: status new.
    const base = { venueOrderId: null, signalId: null, tag: 'X', symbol: SYMBOL, side: 'buy' as const, type: 'market' as const, purpose: 'entry' as const, quantity: f('1'), limitPrice: null, triggerPrice: null, filledQuantity: 0n, filledNotional: 0n, avgFillPrice: null, feeTotal: 0n, reason: null, venueResponse: null, tsInit: w.sim.clock.t, tsEvent: null, updatedAt: w.sim.clock.t };
    w.repos.orders.insert({ ...base, clientOrderId: 'tb-r1-a', status: 'new' });
    // Crash with the request in flight: status submitted; one arrived, one did not.
    w.repos.orders.insert({ ...base, clientOrderId: 'tb-r1-b', status: 'submitted' });
    w.repos.orders.insert({ ...base, clientOrderId: 'tb-r1-c', status: 'submitted' });
    await w.sim.venue.submitOrder({ clientOrderId: 'tb-r1-b', symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1') });
    // Placed by hand on the exchange.
    await w.sim.venue.submitOrder({ clientOrderId: 'manual-1', symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('50') });
    const r = await run(w);
    expect(r.differences.map((d) => [d.kind, 'clientOrderId' in d ? d.clientOrderId : null, d.applied])).toEqual([
      ['neverPlaced', 'tb-r1-a', true],
      ['unknownOrderFound', 'tb-r1-b', true],
      ['neverPlaced', 'tb-r1-c', true],
      ['foreignOrder', 'manual-1', false],
      ['balanceMismatch', null, false],
    ]);
    expect(['tb-r1-a', 'tb-r1-b', 'tb-r1-c'].map((id) => w.repos.orders.byClientOrderId(id)!.status)).toEqual(['canceled', 'filled', 'rejected']);
  });

  it('reports missing protection and protective orders nothing owns', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 'r1' });
    await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('2'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100', '90', '120', 1);
    addPosition(w.repos, 'B', '1', '100', '90', '120', 2);
    const protection = createProtectionService(w.deps, orders);
    await protection.ensureProtected([w.repos.positions.byTag('A')!]);
    await orders.submitOrder({ symbol: SYMBOL, side: 'sell', type: 'stop-loss', quantity: f('1'), triggerPrice: f('80'), purpose: 'stopLoss', tag: 'gone' });
    const r = await run(w, { takeProfit: 'venue' });
    expect(r.differences.filter((d) => d.kind !== 'balanceMismatch')).toEqual([
      { kind: 'orphanedProtectiveOrder', clientOrderId: 'tb-r1-3', tag: 'gone', applied: false },
      { kind: 'protectionMissing', tag: 'A', leg: 'takeProfit', applied: false },
      { kind: 'protectionMissing', tag: 'B', leg: 'stopLoss', applied: false },
      { kind: 'protectionMissing', tag: 'B', leg: 'takeProfit', applied: false },
    ]);
    const activity = differenceActivity(r.differences[0]!, 123);
    expect(activity).toMatchObject({ ts: 123, category: 'trade', severity: 'warning', summary: 'reconciliation: protective order tb-r1-3 of gone rests with no open position owning it' });
    expect(JSON.parse(activity.detail!)).toEqual({ type: 'reconciliation.difference', data: { kind: 'orphanedProtectiveOrder', clientOrderId: 'tb-r1-3', tag: 'gone', applied: false } });
  });

  it('refuses to trade when a read keeps failing (bounded retries), changing nothing', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 'r1' });
    await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('98'), purpose: 'entry', tag: 'E' });
    w.faults.failReads.push({ method: 'lookupOrder', error: transient('network'), count: 100 });
    const r = await run(w);
    expect(r).toEqual({ ok: false, differences: [], haltReason: 'reconciliation could not complete: looking up order tb-r1-1 failed (network, transient): injected network' });
    expect(w.calls.lookupOrder).toBe(4);
    expect(w.repos.orders.byClientOrderId('tb-r1-1')!.status).toBe('accepted');
  });
});
