/**
 * The order service (supervisor/execution/orders.ts) on the sim venue: persist-then-act, client
 * order ids, pair grids and minimums, executions applied through domain/orders, and an unknown
 * submit resolved by lookup — never resent. SOL/USD marked at 100, spread 0.1 %, no slippage:
 * a market buy fills at the ask 100.05 with a 0.40 % taker fee of 0.4002.
 */
import { describe, expect, it } from 'vitest';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import { CLIENT_ORDER_SEQ_KEY, createClientOrderIds, createOrderService } from '../../../supervisor/execution/index.ts';
import { SYMBOL, candle, feed, simWorld, transient } from './support.ts';

const marketBuy = (qty: string) => ({ symbol: SYMBOL, side: 'buy' as const, type: 'market' as const, quantity: f(qty), purpose: 'entry' as const, tag: 'T1' });

describe('submitOrder: persist, then act', () => {
  it('writes the row (status submitted, with its client order id) before the venue sees the order, then applies the fill', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const seenAtSend: string[] = [];
    w.beforeSend.push((req) => seenAtSend.push(`${req.clientOrderId}:${w.repos.orders.byClientOrderId(req.clientOrderId)?.status}`));
    const r = await orders.submitOrder(marketBuy('1'));
    expect(seenAtSend).toEqual(['tb-t1-1:submitted']);
    expect(r.kind).toBe('accepted');
    const row = w.repos.orders.byClientOrderId('tb-t1-1')!;
    expect([row.status, toString(row.filledQuantity), toString(row.avgFillPrice!), toString(row.feeTotal), row.purpose, row.tag, row.venueOrderId]).toEqual([
      'filled',
      '1',
      '100.05',
      '0.4002',
      'entry',
      'T1',
      'SIM-O000001',
    ]);
    expect(w.repos.fills.byOrder('tb-t1-1').map((x) => [x.tradeId, toString(x.price), x.liquidity])).toEqual([['SIM-T000001', '100.05', 'taker']]);
  });

  it('hands out ids from a persisted sequence: a restarted service continues, never repeats', async () => {
    const w = simWorld();
    const a = createOrderService(w.deps, { runId: 't1' });
    await a.submitOrder(marketBuy('1'));
    await a.submitOrder(marketBuy('1'));
    a.close();
    const b = createOrderService(w.deps, { runId: 't1' });
    const r = await b.submitOrder(marketBuy('1'));
    expect(r.kind === 'accepted' && r.clientOrderId).toBe('tb-t1-3');
    expect(w.repos.systemMeta.get(CLIENT_ORDER_SEQ_KEY)).toBe('3');
  });

  it('puts quantity and price on the pair grids (lots down, a buy limit down) before sending', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const r = await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1.123456789'), limitPrice: f('90.019'), purpose: 'entry', tag: 'T1' });
    expect(r.kind).toBe('accepted');
    expect(w.sent.map((s) => [toString(s.quantity), toString(s.limitPrice!)])).toEqual([['1.12345678', '90.01']]);
  });

  it('refuses below the pair minimum locally: stored as rejected, nothing sent', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const r = await orders.submitOrder({ ...marketBuy('0.05'), referencePrice: f('100') });
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') expect([r.error.kind, r.error.message]).toEqual(['belowMinimum', expect.stringContaining('ordermin 0.06')]);
    expect(w.calls.submitOrder ?? 0).toBe(0);
    expect(w.repos.orders.byClientOrderId('tb-t1-1')!.status).toBe('rejected');
  });

  it('reports a malformed intent without writing anything', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const r = await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), purpose: 'entry', tag: null });
    expect(r).toEqual({ kind: 'invalid', reason: 'a limit order needs limitPrice > 0' });
    expect(w.repos.orders.list()).toEqual([]);
  });

  it('refuses a bad run id with a message naming what is allowed', () => {
    const w = simWorld();
    expect(() => createClientOrderIds(w.repos.systemMeta, 'Fund-1')).toThrow(/1–6 characters of \[a-z0-9\], got "Fund-1"/);
  });
});

describe('submitOrder: an unknown outcome is looked up, never resent', () => {
  it('placed but unacknowledged (and its executions lost): found by lookup, settled filled', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const path: string[] = [];
    orders.onOrderChange((o) => path.push(o.status));
    w.faults.submit.push('placed');
    const r = await orders.submitOrder(marketBuy('1'));
    expect(r.kind).toBe('accepted');
    expect(path).toEqual(['submitted', 'unknown', 'filled']);
    const row = w.repos.orders.byClientOrderId('tb-t1-1')!;
    expect([toString(row.filledQuantity), toString(row.avgFillPrice!), toString(row.feeTotal), row.venueOrderId]).toEqual(['1', '100.05', '0.4002', 'SIM-O000001']);
    expect(w.calls.submitOrder).toBe(1);
    expect(w.sent).toHaveLength(1);
  });

  it('never arrived: missing after the lookup grace period → rejected; the venue received nothing', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1', lookupAttempts: 3, lookupDelayMs: 2_000 });
    w.faults.submit.push('lost');
    const r = await orders.submitOrder(marketBuy('1'));
    expect(r.kind).toBe('rejected');
    expect(w.repos.orders.byClientOrderId('tb-t1-1')!).toMatchObject({ status: 'rejected', reason: 'not found at the venue by client order id' });
    expect(w.calls.lookupOrder).toBe(3);
    expect(w.runtime.sleeps).toEqual([2_000, 2_000]);
    expect(w.calls.submitOrder).toBe(1);
    expect(await w.sim.venue.lookupOrder('tb-t1-1')).toEqual({ kind: 'missing', clientOrderId: 'tb-t1-1' });
    const usd = await w.sim.venue.balances();
    expect(usd.ok && toString(usd.value.find((b) => b.asset === 'USD')!.total)).toBe('10000');
  });

  it('lookups failing through every retry: left unknown (unresolved), nothing resent; resolved later', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1', lookupAttempts: 2 });
    w.faults.submit.push('placed');
    w.faults.failReads.push({ method: 'lookupOrder', error: transient('unavailable'), count: 4 });
    const r = await orders.submitOrder(marketBuy('1'));
    expect(r.kind).toBe('unresolved');
    expect(w.repos.orders.byClientOrderId('tb-t1-1')!.status).toBe('unknown');
    expect(w.calls.lookupOrder).toBe(4); // one read, retried: 4 tries
    expect(w.runtime.sleeps).toEqual([375, 750, 1500]); // equal jitter (random 0.5) on 500, 1000, 2000
    const later = await orders.resolveUnknown('tb-t1-1');
    expect(later.kind).toBe('accepted');
    expect(w.repos.orders.byClientOrderId('tb-t1-1')!.status).toBe('filled');
    expect(w.calls.submitOrder).toBe(1);
  });
});

describe('executions and cancels', () => {
  it('a resting limit fills from the venue feed; a second limit is canceled through pendingCancel', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    const path = new Map<string, string[]>();
    orders.onOrderChange((o) => path.set(o.clientOrderId, [...(path.get(o.clientOrderId) ?? []), o.status]));
    await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('98'), purpose: 'entry', tag: 'T1' });
    await orders.submitOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('90'), purpose: 'entry', tag: 'T2' });
    feed(w.sim, candle(1, 100, 100, 97, 99)); // trades through 98
    const c = await orders.cancelOrder('tb-t1-2');
    expect(c.kind).toBe('canceled');
    expect(path.get('tb-t1-1')).toEqual(['submitted', 'accepted', 'filled']);
    expect(path.get('tb-t1-2')).toEqual(['submitted', 'accepted', 'pendingCancel', 'canceled']);
    expect(w.repos.fills.byOrder('tb-t1-1').map((x) => [toString(x.price), toString(x.fee), x.liquidity])).toEqual([['98', '0.245', 'maker']]);
    expect((await orders.cancelOrder('tb-t1-1')).kind).toBe('alreadyFinal');
    expect(orders.dropped()).toEqual([]);
  });

  it('drops (and reports) executions of orders the store does not know', async () => {
    const w = simWorld();
    const orders = createOrderService(w.deps, { runId: 't1' });
    await w.venue.submitOrder({ clientOrderId: 'manual-1', symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1') });
    expect(orders.dropped().map((d) => [d.execution.clientOrderId, d.reason])).toEqual([
      ['manual-1', 'no stored order with this client order id'],
      ['manual-1', 'no stored order with this client order id'],
    ]);
  });
});
