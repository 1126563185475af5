import { afterEach, describe, expect, it } from 'vitest';
import type { Candle } from '../../domain/market/index.ts';
import { type Fixed, fromString as f, toString } from '../../domain/money/index.ts';
import { type Order, type OrderStatus, applyOrderEvent, createOrder } from '../../domain/orders/index.ts';
import type {
  Venue,
  VenueErrorKind,
  VenueExecution,
  VenueLookupResult,
  VenueOrderRequest,
  VenueOrderSnapshot,
  VenueSubmitResult,
} from '../../domain/ports/index.ts';
import { type ConformanceScript, FEES, RULES, SCRIPT, SYMBOL } from './script.ts';

/**
 * The venue conformance suite (DESIGN.md §4): one set of scripted order flows that every `Venue`
 * must pass with the same fills, fees, states and balances — the sim venue in-process and the
 * Kraken venue over HTTP against the fake exchange. Every expected number is hand-computed in
 * script.ts. Every execution is also applied to a `domain/orders` order with `applyOrderEvent`,
 * so the stream must be legal for the order table, in order, without duplicates.
 */

/** A venue set up for `SCRIPT`, with the opening candle consumed (the mark is 20000). */
export interface ConformanceHarness {
  readonly venue: Venue;
  /** Replays the next candle of the script at the venue (resting orders are matched against it); returns it. */
  nextCandle(): Promise<Candle>;
  /** Releases everything (servers, sockets). */
  close(): Promise<void>;
}

/** Builds a fresh harness (fresh account, no orders) for the script. */
export type MakeHarness = (script: ConformanceScript) => Promise<ConformanceHarness>;

/** An execution reduced to what must agree across venues (ids and times differ by venue). */
type Shape =
  | { readonly type: 'order.accepted' }
  | { readonly type: 'order.filled'; readonly quantity: string; readonly price: string; readonly fee: string; readonly liquidity: string | null }
  | { readonly type: 'order.canceled' }
  | { readonly type: 'order.expired' };

const ACCEPTED: Shape = { type: 'order.accepted' };
const CANCELED: Shape = { type: 'order.canceled' };
const filled = (price: string, fee: string, liquidity: 'maker' | 'taker'): Shape => ({ type: 'order.filled', quantity: '1', price, fee, liquidity });

/** One flow's bookkeeping: executions per order, applied to domain orders, checked as they come. */
class Session {
  readonly executions: VenueExecution[] = [];
  private readonly orders = new Map<string, Order>();
  private readonly acceptedIds = new Map<string, string>();
  private readonly tradeIds = new Set<string>();
  private index = 0;
  private window: readonly [number, number];
  readonly problems: string[] = [];

  constructor(
    readonly harness: ConformanceHarness,
    private readonly script: ConformanceScript,
  ) {
    const first = script.candles[0]!;
    this.window = [first.tsOpen, first.tsOpen + script.intervalMs];
    harness.venue.onExecution((e) => this.record(e));
  }

  get venue(): Venue {
    return this.harness.venue;
  }

  /** Every venue fact must be legal for the order table and stamped inside the step it happened in. */
  private record(e: VenueExecution): void {
    this.executions.push(e);
    const order = this.orders.get(e.clientOrderId);
    if (order === undefined) {
      this.problems.push(`execution for an order never submitted: ${e.clientOrderId} ${e.event.type}`);
      return;
    }
    if (e.symbol !== order.symbol) this.problems.push(`${e.clientOrderId}: execution symbol ${e.symbol}, order symbol ${order.symbol}`);
    const [lo, hi] = this.window;
    if (!Number.isSafeInteger(e.event.tsEvent) || e.event.tsEvent < lo || e.event.tsEvent > hi) {
      this.problems.push(`${e.clientOrderId} ${e.event.type}: tsEvent ${e.event.tsEvent} outside the step's window [${lo}, ${hi}]`);
    }
    if (e.event.type === 'order.filled') {
      if (this.tradeIds.has(e.event.tradeId)) this.problems.push(`trade id ${e.event.tradeId} reported twice`);
      this.tradeIds.add(e.event.tradeId);
    }
    const known = this.acceptedIds.get(e.clientOrderId);
    if (known !== undefined && known !== e.venueOrderId) this.problems.push(`${e.clientOrderId}: venue order id ${e.venueOrderId}, accepted as ${known}`);
    const applied = applyOrderEvent(order, e.event);
    if (!applied.ok) {
      this.problems.push(`${e.clientOrderId}: ${e.event.type} refused by the order table: ${JSON.stringify(applied.error, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
      return;
    }
    this.orders.set(e.clientOrderId, applied.order);
  }

  /** Submits like the order actor does: the domain order exists and is `submitted` before the request leaves. */
  async submit(request: VenueOrderRequest): Promise<VenueSubmitResult> {
    const created = createOrder({
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity: request.quantity,
      limitPrice: request.limitPrice ?? null,
      triggerPrice: request.triggerPrice ?? null,
      tsInit: this.window[0],
    });
    // A request the domain itself refuses (wrong fields for its type) goes out only to prove the venue refuses it too.
    if (!created.ok) return this.venue.submitOrder(request);
    const submitted = applyOrderEvent(created.order, { type: 'order.submitted', tsEvent: this.window[0] });
    if (!submitted.ok) throw new Error('order.submitted refused');
    // A duplicate keeps the first order's record: the first one is the order that exists.
    if (!this.orders.has(request.clientOrderId)) this.orders.set(request.clientOrderId, submitted.order);
    const result = await this.venue.submitOrder(request);
    if (result.kind === 'accepted') this.acceptedIds.set(request.clientOrderId, result.venueOrderId);
    if (result.kind === 'rejected' && this.orders.get(request.clientOrderId) === submitted.order) this.orders.delete(request.clientOrderId);
    await this.settle();
    return result;
  }

  /** Lets the venue report what happened (REST reconciliation for Kraken; nothing pending for the sim). */
  async settle(): Promise<void> {
    const r = await this.venue.pollExecutions();
    if (!r.ok) throw new Error(`pollExecutions failed: ${r.error.kind}: ${r.error.message}`);
  }

  /** Replays the next candle and settles. */
  async step(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      const c = this.script.candles[++this.index];
      if (c === undefined) throw new Error('the script has no more candles');
      this.window = [c.tsOpen, c.tsOpen + this.script.intervalMs];
      const got = await this.harness.nextCandle();
      expect(got.tsOpen).toBe(c.tsOpen);
      await this.settle();
    }
  }

  /** Executions of one order, reduced to what must agree across venues. */
  shapes(clientOrderId: string): Shape[] {
    return this.executions.filter((e) => e.clientOrderId === clientOrderId).map((e) => shapeOf(e));
  }

  /** The domain order's status after every execution so far. */
  status(clientOrderId: string): OrderStatus | undefined {
    return this.orders.get(clientOrderId)?.status;
  }

  async balances(): Promise<Record<string, { total: string; hold: string; available: string }>> {
    const r = await this.venue.balances();
    if (!r.ok) throw new Error(`balances failed: ${r.error.message}`);
    const out: Record<string, { total: string; hold: string; available: string }> = {};
    for (const b of r.value) {
      expect(b.available).toBe(b.total - b.hold);
      out[b.asset] = { total: toString(b.total), hold: toString(b.hold), available: toString(b.available) };
    }
    return out;
  }

  async lookup(clientOrderId: string): Promise<VenueLookupResult> {
    return this.venue.lookupOrder(clientOrderId);
  }

  async openIds(): Promise<(string | null)[]> {
    const r = await this.venue.openOrders();
    if (!r.ok) throw new Error(`openOrders failed: ${r.error.message}`);
    return r.value.map((o) => o.clientOrderId);
  }

  close(): Promise<void> {
    return this.harness.close();
  }
}

function shapeOf(e: VenueExecution): Shape {
  const ev = e.event;
  switch (ev.type) {
    case 'order.filled':
      return { type: ev.type, quantity: toString(ev.quantity), price: toString(ev.price), fee: toString(ev.fee), liquidity: ev.liquidity };
    default:
      return { type: ev.type };
  }
}

/** USD and BTC balances as text: `hold` defaults to 0, `available` = total − hold. */
function money(usd: string, btc: string, holds: { usd?: string; btc?: string } = {}) {
  const row = (total: string, hold = '0') => ({ total, hold, available: toString(f(total) - f(hold)) });
  return { BTC: row(btc, holds.btc), USD: row(usd, holds.usd) };
}

/** The fields of a snapshot that must agree across venues. */
function view(s: VenueOrderSnapshot) {
  const t = (v: Fixed | null) => (v === null ? null : toString(v));
  return {
    clientOrderId: s.clientOrderId,
    symbol: s.symbol,
    side: s.side,
    type: s.type,
    quantity: toString(s.quantity),
    limitPrice: t(s.limitPrice),
    triggerPrice: t(s.triggerPrice),
    venueStatus: s.venueStatus,
    filledQuantity: toString(s.filledQuantity),
    avgFillPrice: t(s.avgFillPrice),
    fee: toString(s.fee),
  };
}

const ONE_BTC = f('1');
const marketBuy = (id: string, quantity: Fixed = ONE_BTC): VenueOrderRequest => ({ clientOrderId: id, symbol: SYMBOL, side: 'buy', type: 'market', quantity });
const marketSell = (id: string): VenueOrderRequest => ({ clientOrderId: id, symbol: SYMBOL, side: 'sell', type: 'market', quantity: ONE_BTC });
const limitBuy = (id: string, price: string, extra: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({
  clientOrderId: id,
  symbol: SYMBOL,
  side: 'buy',
  type: 'limit',
  quantity: ONE_BTC,
  limitPrice: f(price),
  ...extra,
});
const trigger = (id: string, type: 'stop-loss' | 'take-profit', price: string): VenueOrderRequest => ({
  clientOrderId: id,
  symbol: SYMBOL,
  side: 'sell',
  type,
  quantity: ONE_BTC,
  triggerPrice: f(price),
});

/** Registers the conformance flows for one venue under `describe('venue conformance: <name>')`. */
export function runVenueConformance(name: string, makeHarness: MakeHarness): void {
  describe(`venue conformance: ${name}`, () => {
    let session: Session | null = null;
    afterEach(async () => {
      const s = session;
      session = null;
      await s?.close();
      expect(s?.problems ?? []).toEqual([]);
    });

    async function start(): Promise<Session> {
      session = new Session(await makeHarness(SCRIPT), SCRIPT);
      return session;
    }

    it('reports the pair rules, fee tier and starting balances the flows assume', async () => {
      const s = await start();
      expect(await s.venue.pairRules([SYMBOL])).toEqual({ ok: true, value: [{ symbol: SYMBOL, rules: RULES }] });
      expect(await s.venue.feeRates([SYMBOL])).toEqual({ ok: true, value: [{ symbol: SYMBOL, rates: FEES }] });
      expect(await s.balances()).toEqual(money('100000', '0'));
      expect(await s.openIds()).toEqual([]);
    });

    it('market buy then market sell: taker fills at the ask and the bid, fees and balances', async () => {
      const s = await start();
      expect((await s.submit(marketBuy('buy-1'))).kind).toBe('accepted');
      expect(s.shapes('buy-1')).toEqual([ACCEPTED, filled('20010', '40.02', 'taker')]);
      expect(s.status('buy-1')).toBe('filled');
      expect(await s.balances()).toEqual(money('79949.98', '1'));
      await s.step(); // c1 closes at 20050
      expect((await s.submit(marketSell('sell-1'))).kind).toBe('accepted');
      expect(s.shapes('sell-1')).toEqual([ACCEPTED, filled('20039.9', '40.0798', 'taker')]);
      expect(s.status('sell-1')).toBe('filled');
      expect(await s.balances()).toEqual(money('99949.8002', '0'));
      const found = await s.lookup('buy-1');
      expect(found.kind).toBe('found');
      if (found.kind === 'found') {
        expect(view(found.order)).toEqual({
          clientOrderId: 'buy-1',
          symbol: SYMBOL,
          side: 'buy',
          type: 'market',
          quantity: '1',
          limitPrice: null,
          triggerPrice: null,
          venueStatus: 'filled',
          filledQuantity: '1',
          avgFillPrice: '20010',
          fee: '40.02',
        });
      }
    });

    it('limit buy rests (holding funds), is not filled by a touch, then fills as maker at its price when traded through', async () => {
      const s = await start();
      expect((await s.submit(limitBuy('lim-1', '19900'))).kind).toBe('accepted');
      expect(s.shapes('lim-1')).toEqual([ACCEPTED]);
      expect(s.status('lim-1')).toBe('accepted');
      expect(await s.balances()).toEqual(money('100000', '0', { usd: '19939.8' }));
      expect(await s.openIds()).toEqual(['lim-1']);
      const resting = await s.lookup('lim-1');
      expect(resting.kind === 'found' && view(resting.order)).toEqual({
        clientOrderId: 'lim-1',
        symbol: SYMBOL,
        side: 'buy',
        type: 'limit',
        quantity: '1',
        limitPrice: '19900',
        triggerPrice: null,
        venueStatus: 'open',
        filledQuantity: '0',
        avgFillPrice: null,
        fee: '0',
      });
      await s.step(); // c1: low exactly 19900 — a touch
      expect(s.shapes('lim-1')).toEqual([ACCEPTED]);
      await s.step(); // c2: low 20040
      expect(s.shapes('lim-1')).toEqual([ACCEPTED]);
      await s.step(); // c3: low 19700, through the limit
      expect(s.shapes('lim-1')).toEqual([ACCEPTED, filled('19900', '19.9', 'maker')]);
      expect(s.status('lim-1')).toBe('filled');
      expect(await s.balances()).toEqual(money('80080.1', '1'));
      expect(await s.openIds()).toEqual([]);
    });

    it('limit buy never reached is canceled; its hold is released and nothing filled', async () => {
      const s = await start();
      expect((await s.submit(limitBuy('lim-2', '19000'))).kind).toBe('accepted');
      expect(await s.balances()).toEqual(money('100000', '0', { usd: '19038' }));
      await s.step(4); // c1..c4: lowest low 19400
      expect(s.shapes('lim-2')).toEqual([ACCEPTED]);
      expect(await s.venue.cancelOrder('lim-2')).toEqual({ kind: 'canceled', clientOrderId: 'lim-2' });
      await s.settle();
      expect(s.shapes('lim-2')).toEqual([ACCEPTED, CANCELED]);
      expect(s.status('lim-2')).toBe('canceled');
      expect(await s.balances()).toEqual(money('100000', '0'));
      const found = await s.lookup('lim-2');
      expect(found.kind === 'found' && [found.order.venueStatus, toString(found.order.filledQuantity)]).toEqual(['canceled', '0']);
      expect(await s.openIds()).toEqual([]);
    });

    it('stop-loss sell fires when a candle falls through its trigger and sells from the trigger', async () => {
      const s = await start();
      await s.submit(marketBuy('buy-2'));
      expect((await s.submit(trigger('sl-1', 'stop-loss', '19800'))).kind).toBe('accepted');
      expect(await s.balances()).toEqual(money('79949.98', '1', { btc: '1' }));
      const resting = await s.lookup('sl-1');
      expect(resting.kind === 'found' && view(resting.order)).toMatchObject({ type: 'stop-loss', triggerPrice: '19800', limitPrice: null, venueStatus: 'open' });
      await s.step(2); // c1 low 19900, c2 low 20040: above the trigger
      expect(s.shapes('sl-1')).toEqual([ACCEPTED]);
      await s.step(); // c3: opens 20250, falls to 19700
      expect(s.shapes('sl-1')).toEqual([ACCEPTED, filled('19790.1', '39.5802', 'taker')]);
      expect(s.status('sl-1')).toBe('filled');
      expect(await s.balances()).toEqual(money('99700.4998', '0'));
    });

    it('take-profit sell fires when a candle rises through its trigger', async () => {
      const s = await start();
      await s.submit(marketBuy('buy-3'));
      await s.submit(trigger('tp-1', 'take-profit', '20200'));
      await s.step(); // c1 high 20100
      expect(s.shapes('tp-1')).toEqual([ACCEPTED]);
      await s.step(); // c2 high 20300
      expect(s.shapes('tp-1')).toEqual([ACCEPTED, filled('20189.9', '40.3798', 'taker')]);
      expect(s.status('tp-1')).toBe('filled');
      expect(await s.balances()).toEqual(money('100099.5002', '0'));
    });

    it('a gap through a stop fills from the open, not from the trigger', async () => {
      const s = await start();
      await s.submit(marketBuy('buy-4'));
      await s.submit(trigger('sl-2', 'stop-loss', '19600'));
      await s.step(3); // c1..c3: lowest 19700
      expect(s.shapes('sl-2')).toEqual([ACCEPTED]);
      await s.step(); // c4 opens at 19500
      expect(s.shapes('sl-2')).toEqual([ACCEPTED, filled('19490.2', '38.9804', 'taker')]);
      expect(await s.balances()).toEqual(money('99401.1996', '0'));
    });

    it('a marketable limit fills at once as a taker at the touch, not at its limit', async () => {
      const s = await start();
      await s.submit(limitBuy('lim-3', '20100'));
      expect(s.shapes('lim-3')).toEqual([ACCEPTED, filled('20010', '40.02', 'taker')]);
      expect(await s.balances()).toEqual(money('79949.98', '1'));
    });

    it('a post-only limit that would take is accepted then canceled, with nothing filled or held', async () => {
      const s = await start();
      expect((await s.submit(limitBuy('po-1', '20100', { postOnly: true }))).kind).toBe('accepted');
      expect(s.shapes('po-1')).toEqual([ACCEPTED, CANCELED]);
      expect(s.status('po-1')).toBe('canceled');
      expect(await s.balances()).toEqual(money('100000', '0'));
      // A post-only limit below the market rests like any limit.
      await s.submit(limitBuy('po-2', '19900', { postOnly: true }));
      expect(s.shapes('po-2')).toEqual([ACCEPTED]);
      expect(await s.openIds()).toEqual(['po-2']);
    });

    it('refuses a duplicate client order id while the first order works, and leaves the first one alone', async () => {
      const s = await start();
      await s.submit(limitBuy('dup-1', '19000'));
      const again = await s.submit(limitBuy('dup-1', '18000'));
      expectRejected(again, 'duplicateClientOrderId');
      expect(s.shapes('dup-1')).toEqual([ACCEPTED]);
      expect(await s.openIds()).toEqual(['dup-1']);
      expect(await s.balances()).toEqual(money('100000', '0', { usd: '19038' }));
      const found = await s.lookup('dup-1');
      expect(found.kind === 'found' && toString(found.order.limitPrice!)).toBe('19000');
    });

    it('cancel of an unknown id or of a finished order is notFound; lookup of an unknown id is missing', async () => {
      const s = await start();
      const unknown = await s.venue.cancelOrder('no-such-order');
      expect(unknown.kind).toBe('notFound');
      if (unknown.kind === 'notFound') expect([unknown.error.kind, unknown.error.class]).toEqual(['unknownOrder', 'permanent']);
      await s.submit(marketBuy('buy-5'));
      const late = await s.venue.cancelOrder('buy-5');
      expect(late.kind).toBe('notFound');
      await s.settle();
      expect(s.shapes('buy-5')).toEqual([ACCEPTED, filled('20010', '40.02', 'taker')]);
      expect(await s.lookup('no-such-order')).toEqual({ kind: 'missing', clientOrderId: 'no-such-order' });
    });

    it('refuses what the venue cannot place — each permanently, with nothing placed, held or reported', async () => {
      const s = await start();
      const cases: [VenueOrderRequest, VenueErrorKind][] = [
        [marketBuy('min-vol', f('0.00001')), 'belowMinimum'], // < ordermin 0.00005
        [{ ...limitBuy('min-cost', '5000'), quantity: f('0.00005') }, 'belowMinimum'], // cost 0.25 < costmin 0.5
        [limitBuy('off-tick', '19900.05'), 'invalidOrder'], // tick 0.1
        [marketBuy('off-lot', f('0.123456789')), 'invalidOrder'], // 9 decimals > 8
        [{ ...marketBuy('no-price'), type: 'limit' }, 'invalidOrder'], // a limit without limitPrice
        [{ ...marketBuy('bad-pair'), symbol: 'DOGE/USD' }, 'unknownSymbol'],
        [marketBuy('too-big', f('5')), 'insufficientFunds'], // 5 × 20010 × 1.002 = 100250.1 > 100000
        [marketSell('no-btc'), 'insufficientFunds'], // 0 BTC
      ];
      for (const [request, kind] of cases) {
        const r = await s.submit(request);
        expectRejected(r, kind, request.clientOrderId);
        expect(s.shapes(request.clientOrderId)).toEqual([]);
      }
      expect(await s.openIds()).toEqual([]);
      expect(await s.balances()).toEqual(money('100000', '0'));
    });
  });
}

function expectRejected(r: VenueSubmitResult, kind: VenueErrorKind, label = r.clientOrderId): void {
  expect(r.kind, label).toBe('rejected');
  if (r.kind === 'rejected') expect([label, r.error.kind, r.error.class]).toEqual([label, kind, 'permanent']);
}
