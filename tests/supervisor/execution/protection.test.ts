/**
 * Exchange-native protection (supervisor/execution/protection.ts) on the sim venue: one live
 * stop-loss per position, idempotent scans, re-placement after average-in / partial exit / MODIFY,
 * orphans cancelled, pair-grid rounding and minimums, the take-profit on the venue with the sibling
 * cancelled on a fill, and nothing cancelled on shutdown. SOL/USD: tick 0.01, ordermin 0.06.
 */
import { describe, expect, it } from 'vitest';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import type { VenueOrderSnapshot } from '../../../domain/ports/index.ts';
import { createOrderService, createProtectionService } from '../../../supervisor/execution/index.ts';
import { SYMBOL, addPosition, candle, feed, simWorld, transient } from './support.ts';

async function openAtVenue(w: ReturnType<typeof simWorld>): Promise<VenueOrderSnapshot[]> {
  const r = await w.sim.venue.openOrders();
  if (!r.ok) throw new Error(r.error.message);
  return [...r.value];
}

/** Buys `qty` SOL at market through the service (so the venue holds it) and books the position. */
async function world(options: { takeProfit?: 'venue' | 'fund'; solBalance?: string } = {}) {
  const w = simWorld(options.solBalance ? { solBalance: options.solBalance } : {});
  const orders = createOrderService(w.deps, { runId: 'p1' });
  const protection = createProtectionService(w.deps, orders, options.takeProfit ? { takeProfit: options.takeProfit } : {});
  return { ...w, orders, protection };
}

describe('ensureProtected', () => {
  it('places one stop-loss on the tick grid (rounded up), reports the take-profit as fund-managed, and is idempotent', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('2'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '2', '100.05', '95.004', '110.009');
    const first = await w.protection.ensureProtected();
    expect(first.ok).toBe(true);
    expect(first.actions).toEqual([
      { kind: 'placed', tag: 'A', leg: 'stopLoss', clientOrderId: 'tb-p1-2', quantity: f('2'), triggerPrice: f('95.01'), reason: 'missing', replaced: null, outcome: 'accepted' },
      { kind: 'fundManaged', tag: 'A', leg: 'takeProfit', triggerPrice: f('110.009') },
    ]);
    expect((await openAtVenue(w)).map((o) => [o.clientOrderId, o.type, toString(o.quantity), toString(o.triggerPrice!)])).toEqual([['tb-p1-2', 'stop-loss', '2', '95.01']]);
    expect(w.repos.conditionalOrders.activeByTag('A')).toMatchObject({ stopClientOrderId: 'tb-p1-2', stopPrice: f('95.01'), takeProfitClientOrderId: null, quantity: f('2') });

    const submitsBefore = w.calls.submitOrder;
    const second = await w.protection.ensureProtected();
    expect(second.actions.map((a) => a.kind)).toEqual(['kept', 'fundManaged']);
    expect(w.calls.submitOrder).toBe(submitsBefore);
    expect(await openAtVenue(w)).toHaveLength(1);
  });

  it('re-places after an average-in, a partial exit and a MODIFY (cancel first, then place)', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('3'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '2', '100.05', '95', null);
    await w.protection.ensureProtected();
    // average-in: the position grows to 3
    w.repos.positions.update('A', { qty: f('3'), updatedAt: 1 });
    const grown = await w.protection.ensureProtected();
    expect(grown.actions.map((a) => [a.kind, 'reason' in a ? a.reason : null])).toEqual([
      ['canceled', 'stale'],
      ['placed', 'quantityChanged'],
    ]);
    // partial exit: down to 1.5 (the runtime releases the stop, sells, then asks again)
    await w.protection.unprotect('A');
    expect(await openAtVenue(w)).toEqual([]);
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'sell', type: 'market', quantity: f('1.5'), purpose: 'exit', tag: 'A' });
    w.repos.positions.update('A', { qty: f('1.5'), updatedAt: 2 });
    const shrunk = await w.protection.ensureProtected();
    expect(shrunk.actions[0]).toMatchObject({ kind: 'placed', reason: 'missing', quantity: f('1.5') });
    // MODIFY: the stop moves up
    w.repos.positions.update('A', { stopLoss: f('97'), updatedAt: 3 });
    const moved = await w.protection.ensureProtected();
    expect(moved.actions.map((a) => [a.kind, 'reason' in a ? a.reason : null]).slice(0, 2)).toEqual([
      ['canceled', 'stale'],
      ['placed', 'priceChanged'],
    ]);
    expect((await openAtVenue(w)).map((o) => [toString(o.quantity), toString(o.triggerPrice!)])).toEqual([['1.5', '97']]);
    expect(w.repos.conditionalOrders.historyByTag('A').map((c) => c.status)).toEqual(['canceled', 'active']);
  });

  it('cancels orphans (position closed) and doubles, and closes the pair', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('2'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100.05', '95', null);
    await w.protection.ensureProtected();
    // A stray second stop of ours for A (e.g. placed by a crashed instance).
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'sell', type: 'stop-loss', quantity: f('1'), triggerPrice: f('94'), purpose: 'stopLoss', tag: 'A' });
    const r = await w.protection.ensureProtected();
    expect(r.actions.filter((a) => a.kind === 'canceled')).toEqual([{ kind: 'canceled', tag: 'A', clientOrderId: 'tb-p1-3', reason: 'duplicate' }]);
    w.repos.positions.delete('A');
    const gone = await w.protection.ensureProtected();
    expect(gone.actions).toEqual([{ kind: 'canceled', tag: 'A', clientOrderId: 'tb-p1-2', reason: 'orphan' }]);
    expect(w.repos.conditionalOrders.activeByTag('A')).toBeUndefined();
    expect(await openAtVenue(w)).toEqual([]);
  });

  it('skips dust below the pair minimum and a position without a stop level, naming why', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'D', '0.05', '100', '95', null, 1);
    addPosition(w.repos, 'N', '0.5', '100', null, null, 2);
    const r = await w.protection.ensureProtected();
    expect(r.actions).toEqual([
      { kind: 'skipped', tag: 'D', leg: 'stopLoss', reason: expect.stringContaining('below the pair minimum ordermin 0.06') },
      { kind: 'skipped', tag: 'N', leg: 'stopLoss', reason: 'position N has no stop-loss level' },
    ]);
  });

  it('with the take-profit on the venue: both legs rest; a take-profit fill cancels the stop-loss sibling', async () => {
    const w = await world({ takeProfit: 'venue', solBalance: '1' }); // 1 SOL beyond the position, so both sells can be held
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100.05', '95', '105');
    const r = await w.protection.ensureProtected();
    expect(r.actions.map((a) => [a.kind, 'leg' in a ? a.leg : null])).toEqual([
      ['placed', 'stopLoss'],
      ['placed', 'takeProfit'],
    ]);
    feed(w.sim, candle(1, 100, 106, 99, 104)); // trades through 105
    await w.protection.idle();
    expect(w.repos.orders.byClientOrderId('tb-p1-3')!.status).toBe('filled');
    expect(w.repos.orders.byClientOrderId('tb-p1-2')!.status).toBe('canceled');
    expect(w.repos.conditionalOrders.historyByTag('A').map((c) => c.status)).toEqual(['filledTakeProfit']);
    expect(await openAtVenue(w)).toEqual([]);
  });

  it('a stop that fired while the service was away: the scan finds it filled and closes the pair instead of re-placing', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100.05', '95', null);
    await w.protection.ensureProtected();
    w.protection.close();
    w.orders.close(); // shutdown: nothing cancelled
    expect(await openAtVenue(w)).toHaveLength(1);
    feed(w.sim, candle(1, 100, 100, 90, 92)); // the stop fires while nobody listens
    const orders = createOrderService(w.deps, { runId: 'p1' });
    const protection = createProtectionService(w.deps, orders);
    const r = await protection.ensureProtected();
    expect(r.actions.map((a) => a.kind)).toEqual(['legFilled']);
    expect(w.repos.conditionalOrders.historyByTag('A').map((c) => c.status)).toEqual(['filledStopLoss']);
    // Until the runtime books the exit, later scans leave the closing position alone.
    expect((await protection.ensureProtected()).actions).toEqual([{ kind: 'skipped', tag: 'A', leg: 'stopLoss', reason: 'position A is closing: its stop-loss filled' }]);
    expect(w.calls.submitOrder).toBe(2);
  });

  it('does nothing when the venue cannot be read (no blind placement)', async () => {
    const w = await world();
    addPosition(w.repos, 'A', '1', '100', '95', null);
    w.faults.failReads.push({ method: 'openOrders', error: transient('unavailable'), count: 10 });
    const r = await w.protection.ensureProtected();
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('unavailable');
    expect(w.calls.submitOrder ?? 0).toBe(0);
    expect(w.calls.openOrders).toBe(4);
  });

  it('two overlapping scans place one stop, not two', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100.05', '95', null);
    const [a, b] = await Promise.all([w.protection.ensureProtected(), w.protection.ensureProtected()]);
    expect([a.actions.map((x) => x.kind), b.actions.map((x) => x.kind)]).toEqual([['placed'], ['kept']]);
    expect(await openAtVenue(w)).toHaveLength(1);
  });
});

describe('syncStoredOrders', () => {
  it('after a restart, records the fill of a stop placed by the previous process and closes its pair', async () => {
    const w = await world();
    await w.orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    addPosition(w.repos, 'A', '1', '100.05', '95', null);
    await w.protection.ensureProtected();
    w.protection.close();
    w.orders.close();
    feed(w.sim, candle(1, 100, 100, 90, 92)); // the stop fires while nobody listens: sells at bid(95) = 94.95
    const orders = createOrderService(w.deps, { runId: 'p1' });
    const protection = createProtectionService(w.deps, orders);
    const r = await orders.syncStoredOrders();
    expect(r.ok && r.settled.map((x) => [x.clientOrderId, x.facts.map((fact) => fact.kind)])).toEqual([['tb-p1-2', ['filled']]]);
    const stop = w.repos.orders.byClientOrderId('tb-p1-2')!;
    expect([stop.status, toString(stop.filledQuantity), toString(stop.avgFillPrice!)]).toEqual(['filled', '1', '94.95']);
    await protection.idle();
    expect(w.repos.conditionalOrders.historyByTag('A').map((c) => c.status)).toEqual(['filledStopLoss']);
    expect(await orders.syncStoredOrders()).toEqual({ ok: true, settled: [] });
  });
});
