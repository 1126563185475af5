/**
 * Kraken-only cases of the venue (adapters/kraken/venue.ts) against the fake exchange's fault
 * injection: an AddOrder whose reply never comes, 5xx bursts, rate limiting, fills racing a
 * cancel, partial fills, a duplicate client order id sent by a venue with no memory of the first,
 * and the WebSocket executions feed. The invariant everywhere: AddOrder is sent once per order
 * and the exchange never holds a duplicate (checked with the fake's request log and order book).
 * Prices and fees are the hand-computed ones of script.ts (market buy of 1 BTC at mark 20000:
 * ask 20010, taker fee 40.02).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKrakenWsClient } from '../../adapters/kraken/index.ts';
import { KRAKEN_VENUE_ERROR_KINDS, createKrakenVenue, venueErrorOf } from '../../adapters/kraken/venue.ts';
import { fromString as f, toString } from '../../domain/money/index.ts';
import { type Order, applyOrderEvent, createOrder } from '../../domain/orders/index.ts';
import type { VenueExecution, VenueOrderRequest } from '../../domain/ports/index.ts';
import { type KrakenSetup, type KrakenSetupOptions, krakenSetup, waitFor } from './harness.ts';
import { SCRIPT, SYMBOL } from './script.ts';

let setup: (KrakenSetup & { harness: { close(): Promise<void>; nextCandle(): Promise<unknown> } }) | null = null;
afterEach(async () => {
  await setup?.harness.close();
  setup = null;
});

async function start(options: KrakenSetupOptions = {}) {
  setup = await krakenSetup(SCRIPT, options);
  const executions: VenueExecution[] = [];
  setup.venue.onExecution((e) => executions.push(e));
  return { ...setup, executions };
}

const buy = (id: string): VenueOrderRequest => ({ clientOrderId: id, symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1') });
const limitBuy = (id: string, price: string): VenueOrderRequest => ({ clientOrderId: id, symbol: SYMBOL, side: 'buy', type: 'limit', quantity: f('1'), limitPrice: f(price) });

/** The executions of one order as text. */
function shapes(executions: readonly VenueExecution[], id: string): string[] {
  return executions
    .filter((e) => e.clientOrderId === id)
    .map((e) => (e.event.type === 'order.filled' ? `filled ${toString(e.event.quantity)} @ ${toString(e.event.price)} fee ${toString(e.event.fee)} ${e.event.liquidity}` : e.event.type.slice(6)));
}

/** Applies `events` to a fresh order of `request` after `local` local events; returns the final order or throws on an illegal one. */
function replay(request: VenueOrderRequest, local: ('order.submitted' | 'order.submitTimedOut' | 'order.cancelRequested')[], executions: readonly VenueExecution[]): Order {
  const created = createOrder({ ...request, tsInit: 0 });
  if (!created.ok) throw new Error(created.error.reason);
  let order = created.order;
  const apply = (event: Parameters<typeof applyOrderEvent>[1]) => {
    const r = applyOrderEvent(order, event);
    if (!r.ok) throw new Error(`${event.type} refused from ${order.status}: ${r.error.kind}`);
    order = r.order;
  };
  for (const type of local.filter((t) => t !== 'order.cancelRequested')) apply({ type, tsEvent: 0 });
  for (const e of executions.filter((x) => x.clientOrderId === request.clientOrderId)) {
    if (e.event.type === 'order.filled' && local.includes('order.cancelRequested') && order.status === 'accepted') apply({ type: 'order.cancelRequested', tsEvent: 0 });
    apply(e.event);
  }
  return order;
}

describe('kraken venue: an AddOrder whose reply never comes', () => {
  it('is unknown (timeout, transient); lookup finds it; the poll delivers it; AddOrder was sent once', async () => {
    const k = await start({ manualTimers: true, client: { lookup: { attempts: 0, delayMs: 0 } } });
    k.fake.control.delayReplies({ delayMs: null });
    const pending = k.venue.submitOrder(buy('late-1'));
    await waitFor(() => k.fake.control.requests({ endpoint: 'AddOrder' }).length === 1, 'AddOrder to reach the exchange');
    expect(k.runtime.fireTimers()).toBe(1); // the HTTP timeout of AddOrder
    const result = await pending;
    expect(result.kind).toBe('unknown');
    if (result.kind === 'unknown') expect([result.error.kind, result.error.class]).toEqual(['timeout', 'transient']);
    expect(shapes(k.executions, 'late-1')).toEqual([]);

    const found = await k.venue.lookupOrder('late-1');
    expect(found.kind === 'found' && [found.order.venueStatus, toString(found.order.filledQuantity), toString(found.order.avgFillPrice!), toString(found.order.fee)]).toEqual([
      'filled',
      '1',
      '20010',
      '40.02',
    ]);
    const polled = await k.venue.pollExecutions();
    expect(polled.ok && polled.value.length).toBe(2);
    expect(shapes(k.executions, 'late-1')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
    expect(replay(buy('late-1'), ['order.submitted', 'order.submitTimedOut'], k.executions).status).toBe('filled');
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    expect(k.fake.control.orders()).toHaveLength(1);
    // Nothing is delivered twice.
    expect(await k.venue.pollExecutions()).toEqual({ ok: true, value: [] });
    expect(k.executions).toHaveLength(2);
  });

  it('with the client’s own lookups the submit resolves as accepted, still with a single AddOrder', async () => {
    const k = await start({ manualTimers: true });
    k.fake.control.delayReplies({ delayMs: null });
    const pending = k.venue.submitOrder(buy('late-2'));
    await waitFor(() => k.fake.control.requests({ endpoint: 'AddOrder' }).length === 1, 'AddOrder to reach the exchange');
    k.runtime.fireTimers();
    const result = await pending;
    expect(result.kind).toBe('accepted');
    await k.venue.pollExecutions();
    expect(shapes(k.executions, 'late-2')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    expect(k.fake.control.orders()).toHaveLength(1);
  });
});

describe('kraken venue: 5xx bursts', () => {
  it('a 502 on an AddOrder that was executed, then 503s on the lookups: found, accepted, no duplicate', async () => {
    const k = await start();
    k.fake.control.failRest({ kind: 'http', status: 502, methods: ['AddOrder'], processed: true });
    k.fake.control.httpErrorNext(2, 503, { methods: ['OpenOrders'] });
    const result = await k.venue.submitOrder(buy('burst-1'));
    expect(result.kind).toBe('accepted');
    expect(k.fake.control.requests({ endpoint: 'OpenOrders' }).map((r) => r.httpStatus)).toEqual([503, 503, 200]);
    await k.venue.pollExecutions();
    expect(shapes(k.executions, 'burst-1')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    expect(k.fake.control.orders()).toHaveLength(1);
  });

  it('a 502 on an AddOrder that never executed: unknown, lookup missing, nothing resent; a new id then trades', async () => {
    const k = await start();
    k.fake.control.httpErrorNext(1, 502, { methods: ['AddOrder'] });
    const result = await k.venue.submitOrder(buy('burst-2'));
    expect(result.kind).toBe('unknown');
    if (result.kind === 'unknown') expect([result.error.kind, result.error.class]).toEqual(['unavailable', 'transient']);
    expect(await k.venue.lookupOrder('burst-2')).toEqual({ kind: 'missing', clientOrderId: 'burst-2' });
    expect(await k.venue.pollExecutions()).toEqual({ ok: true, value: [] });
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    expect(k.fake.control.orders()).toHaveLength(0);
    expect((await k.venue.submitOrder(buy('burst-3'))).kind).toBe('accepted');
    expect(k.fake.control.orders().map((o) => o.clOrdId)).toEqual(['burst-3']);
  });

  it('5xx on the reconciliation reads are retried; the poll still delivers each fill once', async () => {
    const k = await start();
    await k.venue.submitOrder(buy('burst-4'));
    k.fake.control.httpErrorNext(2, 502, { methods: ['QueryOrders'] });
    k.fake.control.httpErrorNext(1, 520, { methods: ['TradesHistory'] });
    const polled = await k.venue.pollExecutions();
    expect(polled.ok).toBe(true);
    expect(shapes(k.executions, 'burst-4')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
    expect(k.fake.control.requests({ endpoint: 'QueryOrders' }).map((r) => r.httpStatus)).toEqual([502, 502, 200]);
    expect(k.fake.control.requests({ endpoint: 'TradesHistory' }).map((r) => r.httpStatus)).toEqual([520, 200]);
  });

  it('a burst longer than the retry policy fails the poll with a transient error; the next poll catches up', async () => {
    const k = await start();
    await k.venue.submitOrder(buy('burst-5'));
    k.fake.control.httpErrorNext(4, 503, { methods: ['QueryOrders'] });
    const failed = await k.venue.pollExecutions();
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect([failed.error.kind, failed.error.class]).toEqual(['unavailable', 'transient']);
    expect(shapes(k.executions, 'burst-5')).toEqual(['accepted']);
    expect((await k.venue.pollExecutions()).ok).toBe(true);
    expect(shapes(k.executions, 'burst-5')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
  });
});

describe('kraken venue: rate limiting', () => {
  it('a rate-limited AddOrder is rejected as transient (not placed); the same id can then be placed, once', async () => {
    const k = await start();
    k.fake.control.rateLimitNext(1, { methods: ['AddOrder'] });
    const refused = await k.venue.submitOrder(buy('rl-1'));
    expect(refused.kind).toBe('rejected');
    if (refused.kind === 'rejected') {
      expect([refused.error.kind, refused.error.class, refused.error.venueCodes]).toEqual(['rateLimited', 'transient', ['EAPI:Rate limit exceeded']]);
      expect(refused.error.retryAfterMs).toBeGreaterThanOrEqual(3_000);
    }
    expect(k.fake.control.orders()).toHaveLength(0);
    expect((await k.venue.submitOrder(buy('rl-1'))).kind).toBe('accepted');
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(2);
    expect(k.fake.control.orders().map((o) => o.clOrdId)).toEqual(['rl-1']);
    await k.venue.pollExecutions();
    expect(shapes(k.executions, 'rl-1')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
  });

  it('rate-limited reads wait at least Kraken’s decay before retrying', async () => {
    const k = await start();
    await k.venue.submitOrder(buy('rl-2'));
    k.fake.control.rateLimitNext(2, { methods: ['QueryOrders'] });
    expect((await k.venue.pollExecutions()).ok).toBe(true);
    expect(k.fake.control.requests({ endpoint: 'QueryOrders' })).toHaveLength(3);
    expect(k.runtime.sleeps.filter((ms) => ms >= 3_000)).toHaveLength(2);
    expect(shapes(k.executions, 'rl-2')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
  });
});

describe('kraken venue: races and partial fills', () => {
  it('a fill that wins the race with a cancel (Kraken replies pending) arrives as a fill, legal from pendingCancel', async () => {
    const k = await start();
    await k.venue.submitOrder(limitBuy('race-1', '19000'));
    k.fake.control.fillAfterCancel({ mode: 'pending' });
    expect(await k.venue.cancelOrder('race-1')).toEqual({ kind: 'pending', clientOrderId: 'race-1' });
    await k.venue.pollExecutions();
    // The fake fills a resting limit at its own price as a maker: 19000 × 0.10 % = 19.
    expect(shapes(k.executions, 'race-1')).toEqual(['accepted', 'filled 1 @ 19000 fee 19 maker']);
    expect(replay(limitBuy('race-1', '19000'), ['order.submitted', 'order.cancelRequested'], k.executions).status).toBe('filled');
  });

  it('a fill that beats the cancel (Kraken answers Unknown order): notFound, and the poll delivers the fill', async () => {
    const k = await start();
    await k.venue.submitOrder(limitBuy('race-2', '19000'));
    k.fake.control.fillAfterCancel({ mode: 'unknown' });
    const r = await k.venue.cancelOrder('race-2');
    expect(r.kind).toBe('notFound');
    await k.venue.pollExecutions();
    expect(shapes(k.executions, 'race-2')).toEqual(['accepted', 'filled 1 @ 19000 fee 19 maker']);
  });

  it('partial fills arrive one by one, in order, and complete the order', async () => {
    const k = await start();
    await k.venue.submitOrder(limitBuy('part-1', '19900'));
    k.fake.control.partialFills({ pieces: 2 });
    for (let i = 0; i < 3; i++) await k.harness.nextCandle(); // c3 trades through 19900, then closes at 19750
    await k.venue.pollExecutions();
    // 0.5 × 19900 = 9950; maker fee 0.10 % = 9.95, twice.
    expect(shapes(k.executions, 'part-1')).toEqual(['accepted', 'filled 0.5 @ 19900 fee 9.95 maker', 'filled 0.5 @ 19900 fee 9.95 maker']);
    expect(replay(limitBuy('part-1', '19900'), ['order.submitted'], k.executions).status).toBe('filled');
  });
});

describe('kraken venue: a duplicate client order id the venue does not remember', () => {
  it('a second venue instance (a restart) sending a used id with other parameters is told it is a duplicate', async () => {
    const k = await start();
    expect((await k.venue.submitOrder(limitBuy('dup-9', '19000'))).kind).toBe('accepted');
    const fresh = createKrakenVenue(k.client, null, { runtime: k.runtime });
    const r = await fresh.submitOrder(limitBuy('dup-9', '18000'));
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') expect([r.error.kind, r.error.class]).toEqual(['duplicateClientOrderId', 'permanent']);
    expect(k.fake.control.requests({ endpoint: 'AddOrder' })).toHaveLength(2);
    expect(k.fake.control.orders().map((o) => [o.clOrdId, o.price])).toEqual([['dup-9', '19000']]);
  });
});

describe('kraken venue: WebSocket executions feed', () => {
  it('delivers acceptance and fills from the feed, without REST polling, and a later poll repeats nothing', async () => {
    const k = await start({
      ws: (fake, client) => {
        const ws = createKrakenWsClient({ url: fake.wsAuthUrl, getToken: (signal) => client.rest.getWebSocketsToken(signal) });
        ws.subscribeExecutions({ snapOrders: true, snapTrades: false });
        ws.start();
        return ws;
      },
    });
    await waitFor(() => k.fake.control.requests({ endpoint: 'ws:subscribe' }).length === 1, 'the executions subscription');
    await k.venue.submitOrder(buy('ws-1'));
    await k.venue.submitOrder(limitBuy('ws-2', '19900'));
    await waitFor(() => shapes(k.executions, 'ws-1').length === 2 && shapes(k.executions, 'ws-2').length === 1, 'executions over the WebSocket');
    for (let i = 0; i < 3; i++) await k.harness.nextCandle(); // c3 trades through 19900
    await waitFor(() => shapes(k.executions, 'ws-2').length === 2, 'the limit fill over the WebSocket');
    expect(shapes(k.executions, 'ws-1')).toEqual(['accepted', 'filled 1 @ 20010 fee 40.02 taker']);
    expect(shapes(k.executions, 'ws-2')).toEqual(['accepted', 'filled 1 @ 19900 fee 19.9 maker']);
    expect(k.fake.control.requests({ endpoint: 'QueryOrders' })).toHaveLength(0);
    expect(k.fake.control.requests({ endpoint: 'TradesHistory' })).toHaveLength(0);
    expect(await k.venue.pollExecutions()).toEqual({ ok: true, value: [] });
    // WS and REST name a fill by the same trade txid.
    const trades = k.fake.control.trades().map((t) => t.txid).sort();
    const seen = k.executions.flatMap((e) => (e.event.type === 'order.filled' ? [e.event.tradeId] : [])).sort();
    expect(seen).toEqual(trades);
  });
});

describe('kraken venue: error mapping', () => {
  it('keeps Kraken’s class and strings and maps kinds through the table', () => {
    expect(venueErrorOf({ kind: 'orderMinimum', class: 'permanent', orderOutcome: 'notPlaced', message: 'm', krakenErrors: ['EOrder:Order minimum not met'] })).toEqual({
      kind: 'belowMinimum',
      class: 'permanent',
      message: 'm',
      venueCodes: ['EOrder:Order minimum not met'],
    });
    expect(venueErrorOf({ kind: 'http', class: 'permanent', orderOutcome: 'notPlaced', message: 'HTTP 404', krakenErrors: [], httpStatus: 404 }).kind).toBe('venueError');
    expect(venueErrorOf({ kind: 'http', class: 'transient', orderOutcome: 'unknown', message: 'HTTP 429', krakenErrors: [], httpStatus: 429 }).kind).toBe('rateLimited');
    expect(venueErrorOf({ kind: 'http', class: 'transient', orderOutcome: 'unknown', message: 'HTTP 502', krakenErrors: [], httpStatus: 502 }).kind).toBe('unavailable');
    expect(KRAKEN_VENUE_ERROR_KINDS.insufficientFunds).toBe('insufficientFunds');
    expect(KRAKEN_VENUE_ERROR_KINDS.postOnlyRejected).toBe('postOnlyWouldTake');
  });
});
