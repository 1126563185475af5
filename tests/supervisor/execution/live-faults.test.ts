/**
 * Live mode against the fake Kraken exchange with injected faults (issue #5 acceptance): the
 * execution services (supervisor/execution) over the Kraken venue over real HTTP + WebSocket.
 *
 * Faults: an AddOrder executed at once but answered after the client's timeout (delayed ack),
 * the executions WebSocket dropped (and refused) while an entry works, a 502 burst on an AddOrder
 * that was executed anyway, 503 bursts on the reads, and `EAPI:Rate limit exceeded` on the reads —
 * plus a crash: the fund goes away with orders resting and comes back to a fill it missed.
 *
 * Asserted: no duplicate order at the exchange (one AddOrder per client order id, one exchange
 * order per client order id); every position protected by exactly one live stop-loss after ONE
 * `ensureProtected` call after recovery; positions equal exchange balances (reconcile reports no
 * differences). Prices: the conformance script (tests/venue-conformance/script.ts) — market buy of
 * 1 BTC at mark 20000 fills at the ask 20010, fee 40.02; a 19900 limit fills as maker in c3; a
 * 19600 limit fills at its price when c4 gaps down to 19500.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type PositionRow, createRepositories } from '../../../adapters/libsql/index.ts';
import { createKrakenWsClient } from '../../../adapters/kraken/index.ts';
import { createKrakenVenue } from '../../../adapters/kraken/venue.ts';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import {
  type ExecutionDeps,
  type Difference,
  type SubmitOutcome,
  createOrderService,
  createProtectionService,
  reconcile,
} from '../../../supervisor/execution/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { type KrakenSetup, krakenSetup, waitFor } from '../../venue-conformance/harness.ts';
import { SCRIPT } from '../../venue-conformance/script.ts';

let setup: (KrakenSetup & { harness: { close(): Promise<void> } }) | null = null;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await setup?.harness.close();
  setup = null;
});

/** The outcome of a submit that must have been accepted. */
function accepted(r: SubmitOutcome): Extract<SubmitOutcome, { kind: 'accepted' }> {
  if (r.kind !== 'accepted') throw new Error(`expected accepted, got ${r.kind}: ${'error' in r ? r.error.message : ''}`);
  return r;
}

/** Books an entry fill as the runtime's position actor would: one position per filled entry order. */
function openPosition(repos: ReturnType<typeof createRepositories>, tag: string, clientOrderId: string, stop: string, takeProfit: string, seq: number): PositionRow {
  const o = repos.orders.byClientOrderId(clientOrderId)!;
  expect(o.status).toBe('filled');
  repos.positions.insert({
    tag,
    symbol: o.symbol,
    side: 'long',
    qty: o.filledQuantity,
    costBasis: o.filledNotional,
    entryFees: o.feeTotal,
    lastPrice: o.avgFillPrice!,
    stopLoss: f(stop),
    takeProfit: f(takeProfit),
    intent: 'SWING',
    mae: 0n,
    seq,
    strategyVersion: null,
    strategyRegime: null,
    openedAt: o.tsInit,
    updatedAt: o.tsInit,
  });
  return repos.positions.byTag(tag)!;
}

describe('live execution against the fake exchange with injected faults', () => {
  it('never duplicates an order, protects every position in one scan after recovery, and ends with positions = balances', async () => {
    const k = await krakenSetup(SCRIPT, {
      rest: { timeoutMs: 300 },
      client: { lookup: { attempts: 0, delayMs: 0 } }, // the services resolve unknown submits themselves
      ws: (fake, client) => {
        const ws = createKrakenWsClient({ url: fake.wsAuthUrl, getToken: (signal) => client.rest.getWebSocketsToken(signal), reconnect: { baseDelayMs: 50, maxDelayMs: 200 } });
        ws.subscribeExecutions({ snapOrders: true, snapTrades: false });
        ws.start();
        return ws;
      },
    });
    setup = k;
    const { fake } = k;
    const repos = createRepositories(freshStore().db);
    const deps1: ExecutionDeps = { venue: k.venue, repos, now: () => fake.control.now(), runtime: k.runtime };
    const orders1 = createOrderService(deps1, { runId: 'lf', lookupDelayMs: 0 });
    const protect1 = createProtectionService(deps1, orders1);
    await waitFor(() => fake.control.requests({ endpoint: 'ws:subscribe' }).length === 1, 'the executions subscription');
    const path = new Map<string, string[]>();
    orders1.onOrderChange((o) => path.set(o.clientOrderId, [...(path.get(o.clientOrderId) ?? []), o.status]));

    // 1. Timeout after AddOrder: executed at once, reply held beyond the client's 300 ms timeout.
    // The executions socket is stalled too, so nothing reveals the order but a lookup by client order id.
    fake.control.stallWs({ target: 'all' });
    fake.control.delayReplies({ delayMs: 1_500 });
    const a = await orders1.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: f('1'), purpose: 'entry', tag: 'A' });
    expect(a.kind).toBe('accepted');
    if (a.kind !== 'accepted') return;
    expect(fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    await waitFor(() => repos.orders.byClientOrderId(a.clientOrderId)!.status === 'filled', 'entry A filled');
    const rowA = repos.orders.byClientOrderId(a.clientOrderId)!;
    expect([toString(rowA.filledQuantity), toString(rowA.avgFillPrice!), toString(rowA.feeTotal)]).toEqual(['1', '20010', '40.02']);
    expect(repos.fills.byOrder(a.clientOrderId)).toHaveLength(1);
    expect(path.get(a.clientOrderId)).toEqual(['submitted', 'unknown', 'accepted', 'filled']);
    fake.control.resumeWs({ target: 'all' });
    openPosition(repos, 'A', a.clientOrderId, '19000', '21000', 1);
    const first = await protect1.ensureProtected();
    expect(first.ok).toBe(true);
    expect(first.actions.map((x) => [x.kind, 'leg' in x ? x.leg : null])).toEqual([
      ['placed', 'stopLoss'],
      ['fundManaged', 'takeProfit'],
    ]);

    // 2. Socket dropped (and refused for a while) while entry B rests; B fills during the outage.
    const b = accepted(await orders1.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('19900'), purpose: 'entry', tag: 'B' }));
    fake.control.refuseWsConnections(3);
    fake.control.dropWs({ target: 'all' });
    for (let i = 0; i < 3; i++) await k.harness.nextCandle(); // c3 trades through 19900
    // The venue polls REST on feed.restored; the services' own poll is the fallback. Either way, once.
    await waitFor(() => repos.orders.byClientOrderId(b.clientOrderId)!.status === 'filled' || (void orders1.pollFills(), false), 'entry B filled after the outage', 10_000);
    await waitFor(() => repos.orders.byClientOrderId(b.clientOrderId)!.status === 'filled', 'entry B filled');
    expect(repos.fills.byOrder(b.clientOrderId).map((x) => [toString(x.quantity), toString(x.price), toString(x.fee), x.liquidity])).toEqual([['1', '19900', '19.9', 'maker']]);
    openPosition(repos, 'B', b.clientOrderId, '19000', '21000', 2);
    expect((await protect1.ensureProtected()).ok).toBe(true);

    // 3. Entry C rests at 19600; then the fund crashes (nothing is cancelled on the way out).
    const c = accepted(await orders1.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('19600'), purpose: 'entry', tag: 'C' }));
    protect1.close();
    orders1.close();
    k.venue.close();
    const liveStops = () => fake.control.orders().filter((o) => o.status === 'open' && o.ordertype === 'stop-loss');
    expect(liveStops()).toHaveLength(2); // protective orders survive the shutdown

    // While the fund is down, c4 gaps to 19500: C fills at its limit.
    await k.harness.nextCandle();
    expect(fake.control.orders().find((o) => o.clOrdId === c.clientOrderId)?.status).toBe('closed');

    // 4. Restart: a fresh venue (no memory, no WebSocket yet), the same store. Reads hit 503 bursts and the rate limit.
    const venue2 = createKrakenVenue(k.client, null, { runtime: k.runtime, now: () => fake.control.now() });
    cleanups.push(() => venue2.close());
    const deps2: ExecutionDeps = { venue: venue2, repos, now: () => fake.control.now(), runtime: k.runtime };
    const orders2 = createOrderService(deps2, { runId: 'lf', lookupDelayMs: 0 });
    const protect2 = createProtectionService(deps2, orders2);
    orders2.onOrderChange((o) => path.set(o.clientOrderId, [...(path.get(o.clientOrderId) ?? []), o.status]));
    fake.control.httpErrorNext(2, 503, { methods: ['OpenOrders'] });
    fake.control.rateLimitNext(2, { methods: ['ClosedOrders', 'BalanceEx'] });
    const rec = await reconcile({ venue: venue2, repos, nowMs: fake.control.now(), runtime: k.runtime });
    expect(rec.ok).toBe(true);
    const kinds = rec.differences.map((d) => d.kind);
    expect(kinds).toEqual(['filledWhileDown', 'balanceMismatch']);
    const missed = rec.differences[0] as Extract<Difference, { kind: 'filledWhileDown' }>;
    expect([missed.clientOrderId, missed.purpose, missed.tag, toString(missed.quantity), toString(missed.price), toString(missed.fee)]).toEqual([c.clientOrderId, 'entry', 'C', '1', '19600', '19.6']);
    expect(rec.differences[1]).toMatchObject({ kind: 'balanceMismatch', asset: 'BTC', venueTotal: f('3'), positionsTotal: f('2') });
    openPosition(repos, 'C', c.clientOrderId, '19000', '21000', 3); // the runtime books the entry found by reconciliation

    // 5. ONE protection scan after recovery, with a rate-limited read and a 502 on an AddOrder that was executed anyway.
    fake.control.rateLimitNext(1, { methods: ['OpenOrders'] });
    fake.control.failRest({ kind: 'http', status: 502, methods: ['AddOrder'], processed: true });
    const scan = await protect2.ensureProtected();
    expect(scan.ok).toBe(true);
    const placed = scan.actions.filter((x) => x.kind === 'placed');
    expect(placed.map((x) => [x.tag, x.leg, x.reason, x.outcome])).toEqual([['C', 'stopLoss', 'missing', 'accepted']]);
    expect(path.get(placed[0]!.clientOrderId)).toEqual(['submitted', 'unknown', 'accepted']); // the 502 was resolved by lookup, not by resending
    expect(scan.actions.filter((x) => x.kind === 'kept').map((x) => 'tag' in x && x.tag)).toEqual(['A', 'B']);
    for (const p of repos.positions.list()) {
      const pair = repos.conditionalOrders.activeByTag(p.tag)!;
      const mine = liveStops().filter((o) => o.clOrdId === pair.stopClientOrderId);
      expect(mine.map((o) => [o.vol, o.price])).toEqual([['1', '19000']]);
    }
    expect(liveStops()).toHaveLength(3);

    // 6. After recovery the books agree: no differences.
    expect(await reconcile({ venue: venue2, repos, nowMs: fake.control.now(), runtime: k.runtime })).toEqual({ ok: true, differences: [] });
    const balances = await venue2.balances();
    expect(balances.ok && balances.value.find((x) => x.asset === 'BTC')!.total).toBe(repos.positions.list().reduce((s, p) => s + p.qty, 0n));

    // No duplicates anywhere: one AddOrder per client order id, one exchange order per client order id.
    const sent = fake.control.requests({ endpoint: 'AddOrder' }).map((r) => r.params.cl_ord_id);
    expect(new Set(sent).size).toBe(sent.length);
    const atExchange = fake.control.orders().map((o) => o.clOrdId);
    expect(new Set(atExchange).size).toBe(atExchange.length);
    expect([...atExchange].sort()).toEqual([...sent].sort());
    expect(sent).toHaveLength(6); // A, SL(A), B, SL(B), C, SL(C)
    // The faults really happened.
    expect(fake.control.requests({ endpoint: 'OpenOrders' }).some((r) => r.httpStatus === 503)).toBe(true);
    expect(fake.control.requests().some((r) => (r.errors ?? []).includes('EAPI:Rate limit exceeded'))).toBe(true);
    expect(fake.control.requests({ endpoint: 'AddOrder' }).some((r) => r.httpStatus === 502)).toBe(true);
    orders2.close();
    protect2.close();
  }, 30_000);

  it('tracks partial fills by polling (no WebSocket): each piece recorded once, the order ends filled', async () => {
    const k = await krakenSetup(SCRIPT);
    setup = k;
    const repos = createRepositories(freshStore().db);
    const orders = createOrderService({ venue: k.venue, repos, now: () => k.fake.control.now(), runtime: k.runtime }, { runId: 'pf' });
    const path: string[] = [];
    orders.onOrderChange((o) => path.push(o.status));
    k.fake.control.partialFills({ pieces: 3 });
    const r = await orders.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('19900'), purpose: 'entry', tag: 'P' });
    expect(r.kind).toBe('accepted');
    for (let i = 0; i < 3; i++) {
      await k.harness.nextCandle();
      expect((await orders.pollFills()).ok).toBe(true);
    }
    await k.harness.nextCandle();
    await orders.pollFills();
    const fills = repos.fills.byOrder('tb-pf-1');
    expect(fills.length).toBe(3);
    expect(toString(fills.reduce((s, x) => s + x.quantity, 0n))).toBe('1');
    expect(path).toEqual(['submitted', 'accepted', 'partiallyFilled', 'partiallyFilled', 'filled']);
    expect(repos.orders.byClientOrderId('tb-pf-1')).toMatchObject({ status: 'filled', avgFillPrice: f('19900') });
    expect(await orders.pollFills()).toEqual({ ok: true, applied: 0 });
    orders.close();
  });

  it('a client order id reused after restoring an old store: Kraken refuses the duplicate, the other order is never adopted', async () => {
    const k = await krakenSetup(SCRIPT, { client: { lookup: { attempts: 0, delayMs: 0 } } });
    setup = k;
    const now = () => k.fake.control.now();
    const first = createOrderService({ venue: k.venue, repos: createRepositories(freshStore().db), now, runtime: k.runtime }, { runId: 'dp' });
    expect((await first.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f('19000'), purpose: 'entry', tag: 'X' })).kind).toBe('accepted');
    first.close();
    // An old backup restored: the id sequence starts again, and the venue instance is new.
    const restored = createRepositories(freshStore().db);
    const venue2 = createKrakenVenue(k.client, null, { runtime: k.runtime, now });
    cleanups.push(() => venue2.close());
    const second = createOrderService({ venue: venue2, repos: restored, now, runtime: k.runtime }, { runId: 'dp', lookupDelayMs: 0 });
    const r = await second.submitOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('0.5'), limitPrice: f('18000'), purpose: 'entry', tag: 'Y' });
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') expect([r.clientOrderId, r.error.kind]).toEqual(['tb-dp-1', 'duplicateClientOrderId']);
    expect(restored.orders.byClientOrderId('tb-dp-1')).toMatchObject({ status: 'rejected', venueOrderId: null, tag: 'Y' });
    expect(k.fake.control.requests({ endpoint: 'AddOrder' }).map((x) => x.errors)).toEqual([null, ['EOrder:Duplicate order']]);
    expect(k.fake.control.orders().map((o) => [o.clOrdId, o.vol, o.price])).toEqual([['tb-dp-1', '1', '19000']]);
    const rec = await reconcile({ venue: venue2, repos: restored, nowMs: now(), runtime: k.runtime });
    expect(rec.differences.map((d) => d.kind)).toEqual(['clientOrderIdClash']);
    second.close();
  });

  it('refuses to trade when the venue stays unreachable through every retry', async () => {
    const k = await krakenSetup(SCRIPT);
    setup = k;
    const repos = createRepositories(freshStore().db);
    k.fake.control.httpErrorNext(50, 503, { methods: ['OpenOrders'] });
    const r = await reconcile({ venue: k.venue, repos, nowMs: k.fake.control.now(), runtime: k.runtime, readRetry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    expect(r.ok).toBe(false);
    expect(r.haltReason).toMatch(/reading open orders failed \(unavailable, transient\)/);
    // Bounded: the venue's own 4 tries under each of the 3 service tries.
    expect(k.fake.control.requests({ endpoint: 'OpenOrders' }).length).toBeLessThanOrEqual(12);
  });
});
