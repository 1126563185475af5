/**
 * The sim venue (adapters/sim) on its own: the domain fill model's rules where they go beyond the
 * conformance flows (slippage, a gap in our favour on a limit, the `touch` rule, a stop already
 * beyond its trigger), the reservation rule, refusals, the candle feed's guards, ids and listener
 * isolation. Numbers are hand-computed on a SOL/USD-like market (support.ts): mark 100, spread
 * 0.1 %, default slippage 0.05 %, fees 0.25 % maker / 0.40 % taker, tick 0.01.
 */
import { describe, expect, it } from 'vitest';
import { createSimVenue } from '../../../adapters/sim/index.ts';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import type { VenueOrderRequest } from '../../../domain/ports/index.ts';
import { FEES, MIN5, RULES, SPREAD, SYMBOL, T0, candle, feed, simVenue, text } from './support.ts';

const order = (id: string, extra: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({ clientOrderId: id, symbol: SYMBOL, side: 'buy', type: 'market', quantity: f('1'), ...extra });
const flat = (i: number, p: number) => candle(i, p, p, p, p);

async function balancesText(v: ReturnType<typeof simVenue>) {
  const r = await v.venue.balances();
  if (!r.ok) throw new Error(r.error.message);
  return Object.fromEntries(r.value.map((b) => [b.asset, `${toString(b.total)} (hold ${toString(b.hold)})`]));
}

describe('sim venue fills (domain/execution rules)', () => {
  it('market orders pay half the spread plus slippage, on the tick grid, with the taker fee', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    // buy 2: 100 × (1 + 0.0005 + 0.0005) = 100.10; notional 200.2; fee 0.4 % = 0.8008
    expect((await v.venue.submitOrder(order('b', { quantity: f('2') }))).kind).toBe('accepted');
    // sell 2: 100 × (1 − 0.001) = 99.90; notional 199.8; fee 0.7992
    await v.venue.submitOrder(order('s', { side: 'sell', quantity: f('2') }));
    expect(v.executions.map(text)).toEqual(['b accepted', 'b filled 2 @ 100.1 fee 0.8008 taker', 's accepted', 's filled 2 @ 99.9 fee 0.7992 taker']);
    // 10000 − 200.2 − 0.8008 + 199.8 − 0.7992 = 9998
    expect(await balancesText(v)).toEqual({ SOL: '0 (hold 0)', USD: '9998 (hold 0)' });
  });

  it('setSpread changes what the next market order pays', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    v.venue.setSpread(SYMBOL, f('0.01'));
    // 100 × (1 + 0.005 + 0.0005) = 100.55
    await v.venue.submitOrder(order('b'));
    expect(v.executions.map(text)).toContain('b filled 1 @ 100.55 fee 0.4022 taker');
  });

  it('a resting limit gapped through in our favour fills at the open as a maker (the domain rule)', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    await v.venue.submitOrder(order('l', { type: 'limit', limitPrice: f('99') }));
    // holds 99 × 1.004 = 99.396 USD
    expect(await balancesText(v)).toEqual({ SOL: '0 (hold 0)', USD: '10000 (hold 99.396)' });
    const produced = feed(v, candle(1, 98, 99.5, 97, 99));
    // opens at 98 below the 99 limit: filled at 98, maker fee 0.25 % = 0.245
    expect(produced.map(text)).toEqual(['l filled 1 @ 98 fee 0.245 maker']);
    expect(produced[0]!.event.tsEvent).toBe(T0 + 2 * MIN5);
    expect(await balancesText(v)).toEqual({ SOL: '1 (hold 0)', USD: '9901.755 (hold 0)' });
  });

  it('a touch fills a resting limit only under the `touch` rule', async () => {
    for (const [rule, expected] of [
      ['through', ['l accepted']],
      ['touch', ['l accepted', 'l filled 1 @ 99 fee 0.2475 maker']],
    ] as const) {
      const v = simVenue({ limitFillRule: rule });
      feed(v, flat(0, 100));
      await v.venue.submitOrder(order('l', { type: 'limit', limitPrice: f('99') }));
      feed(v, candle(1, 100, 100.5, 99, 100));
      expect(v.executions.map(text), rule).toEqual(expected);
    }
  });

  it('a stop gapped through sells from the open with slippage; one already beyond its trigger sells at once', async () => {
    const v = simVenue({ balances: { USD: f('0'), SOL: f('2') } });
    feed(v, flat(0, 100));
    await v.venue.submitOrder(order('sl', { side: 'sell', type: 'stop-loss', triggerPrice: f('95') }));
    // a take-profit below the mark is beyond its trigger: sells now at 100 × 0.999 = 99.90, fee 0.3996
    await v.venue.submitOrder(order('tp', { side: 'sell', type: 'take-profit', triggerPrice: f('99') }));
    expect(await balancesText(v)).toEqual({ SOL: '1 (hold 1)', USD: '99.5004 (hold 0)' });
    // opens at 94, below the 95 stop: 94 × 0.999 = 93.906 → 93.90 (down to the tick), fee 0.4 % = 0.3756
    feed(v, candle(1, 94, 96, 93, 95));
    expect(v.executions.map(text)).toEqual(['sl accepted', 'tp accepted', 'tp filled 1 @ 99.9 fee 0.3996 taker', 'sl filled 1 @ 93.9 fee 0.3756 taker']);
    expect(await balancesText(v)).toEqual({ SOL: '0 (hold 0)', USD: '193.0248 (hold 0)' });
  });

  it('an order is not matched against the candle during which it was placed', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    v.clock.t = T0 + 2 * MIN5 - 60_000; // a minute before candle 1 closes (it opened at T0 + 5 min)
    await v.venue.submitOrder(order('l', { type: 'limit', limitPrice: f('99') }));
    v.clock.t = T0 + 2 * MIN5;
    expect(v.venue.onCandle(SYMBOL, candle(1, 100, 100, 90, 95))).toEqual([]); // it opened before the order existed
    expect(feed(v, candle(2, 95, 96, 94, 95)).map(text)).toEqual(['l filled 1 @ 95 fee 0.2375 maker']); // gap: at the open 95
  });
});

describe('sim venue refusals', () => {
  it('before the first candle there is no price (transient)', async () => {
    const v = simVenue();
    const r = await v.venue.submitOrder(order('a'));
    expect(r.kind === 'rejected' && [r.error.kind, r.error.class]).toEqual(['noPrice', 'transient']);
  });

  it('refuses buy-side stops, unknown symbols, bad shapes and reused ids (also of finished orders)', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    const kinds = async (req: VenueOrderRequest) => {
      const r = await v.venue.submitOrder(req);
      return r.kind === 'rejected' ? `${r.error.kind}/${r.error.class}` : r.kind;
    };
    expect(await kinds(order('s', { type: 'stop-loss', triggerPrice: f('110') }))).toBe('unsupportedOrder/permanent');
    expect(await kinds(order('x', { symbol: 'BTC/USD' }))).toBe('unknownSymbol/permanent');
    expect(await kinds(order(' padded'))).toBe('invalidOrder/permanent');
    expect(await kinds(order('p', { postOnly: true }))).toBe('invalidOrder/permanent');
    expect(await kinds(order('q', { quantity: f('-1') }))).toBe('invalidOrder/permanent');
    expect(await kinds(order('t', { triggerPrice: f('90') }))).toBe('invalidOrder/permanent');
    expect(await kinds(order('done'))).toBe('accepted');
    expect(await kinds(order('done'))).toBe('duplicateClientOrderId/permanent');
    expect(v.executions.map(text)).toEqual(['done accepted', 'done filled 1 @ 100.1 fee 0.4004 taker']);
  });

  it('post-only that would take is refused under `reject`, and its id stays free', async () => {
    const v = simVenue({ postOnlyCross: 'reject' });
    feed(v, flat(0, 100));
    // ask without slippage 100 × 1.0005 = 100.05 ≤ 101: it would take
    const r = await v.venue.submitOrder(order('po', { type: 'limit', limitPrice: f('101'), postOnly: true }));
    expect(r.kind === 'rejected' && r.error.kind).toBe('postOnlyWouldTake');
    expect(v.executions).toEqual([]);
    // as a plain limit it is marketable: taker at min(100.10, 101) = 100.10
    await v.venue.submitOrder(order('po', { type: 'limit', limitPrice: f('101') }));
    expect(v.executions.map(text)).toEqual(['po accepted', 'po filled 1 @ 100.1 fee 0.4004 taker']);
  });

  it('funds held by open orders are not available to new ones', async () => {
    const v = simVenue({ balances: { USD: f('200'), SOL: f('0') } });
    feed(v, flat(0, 100));
    // holds 99 × 1.004 = 99.396, leaving 100.604
    await v.venue.submitOrder(order('l1', { type: 'limit', limitPrice: f('99') }));
    // a second limit at 99.9 holds 99.9 × 1.004 = 100.2996 ≤ 100.604: fits, leaving 0.3044
    expect((await v.venue.submitOrder(order('l2', { type: 'limit', limitPrice: f('99.9') }))).kind).toBe('accepted');
    // a third at 50 would hold 50.2 > 0.3044; after canceling l1, 99.7004 is free again
    const r = await v.venue.submitOrder(order('l3', { type: 'limit', limitPrice: f('50') }));
    expect(r.kind === 'rejected' && r.error.kind).toBe('insufficientFunds');
    expect(await v.venue.cancelOrder('l1')).toEqual({ kind: 'canceled', clientOrderId: 'l1' });
    expect((await v.venue.submitOrder(order('l3', { type: 'limit', limitPrice: f('50') }))).kind).toBe('accepted');
  });

  it('cancel of an unknown or finished order is notFound; pairRules/feeRates name unknown symbols', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    await v.venue.submitOrder(order('m'));
    for (const id of ['nope', 'm']) {
      const r = await v.venue.cancelOrder(id);
      expect(r.kind === 'notFound' && r.error.kind).toBe('unknownOrder');
    }
    expect(await v.venue.pairRules([SYMBOL])).toEqual({ ok: true, value: [{ symbol: SYMBOL, rules: RULES }] });
    expect(await v.venue.feeRates([SYMBOL])).toEqual({ ok: true, value: [{ symbol: SYMBOL, rates: FEES }] });
    const bad = await v.venue.pairRules(['DOGE/USD']);
    expect(!bad.ok && bad.error.kind).toBe('unknownSymbol');
    expect(await v.venue.pollExecutions()).toEqual({ ok: true, value: [] });
  });

  it('an aborted signal refuses before anything happens', async () => {
    const v = simVenue();
    feed(v, flat(0, 100));
    const ac = new AbortController();
    ac.abort();
    const r = await v.venue.submitOrder(order('a'), ac.signal);
    expect(r.kind === 'rejected' && r.error.kind).toBe('aborted');
    expect(v.executions).toEqual([]);
  });
});

describe('sim venue feed, ids and listeners', () => {
  it('refuses candles out of order, for unknown symbols, or with impossible prices', () => {
    const v = simVenue();
    feed(v, flat(1, 100));
    expect(() => v.venue.onCandle(SYMBOL, flat(1, 100))).toThrow(/time order/);
    expect(() => v.venue.onCandle(SYMBOL, flat(0, 100))).toThrow(/time order/);
    expect(() => v.venue.onCandle('BTC/USD', flat(2, 100))).toThrow(/does not list/);
    expect(() => v.venue.onCandle(SYMBOL, candle(2, 100, 99, 98, 100))).toThrow(/inconsistent/);
    expect(() => v.venue.onCandle(SYMBOL, candle(2, Number.NaN, 100, 99, 100))).toThrow(/non-finite/);
    expect(v.venue.markOf(SYMBOL)).toBe(f('100'));
  });

  it('refuses invalid options', () => {
    const base = { balances: {}, now: () => 0 };
    const m = { symbol: SYMBOL, rules: RULES, fees: FEES, spread: SPREAD };
    expect(() => createSimVenue({ ...base, markets: [] })).toThrow(/at least one market/);
    expect(() => createSimVenue({ ...base, markets: [{ ...m, symbol: 'SOLUSD' }] })).toThrow(/BASE\/QUOTE/);
    expect(() => createSimVenue({ ...base, markets: [m, m] })).toThrow(/twice/);
    expect(() => createSimVenue({ ...base, markets: [{ ...m, spread: -1n }] })).toThrow(/spread/);
    expect(() => createSimVenue({ ...base, markets: [m], slippage: -1n })).toThrow(/slippage/);
    expect(() => createSimVenue({ ...base, markets: [m], balances: { USD: -1n } })).toThrow(/≥ 0/);
  });

  it('numbers orders and trades deterministically, with the configured prefix', async () => {
    const v = simVenue({ idPrefix: 'PAPER' });
    feed(v, flat(0, 100));
    const r = await v.venue.submitOrder(order('a'));
    expect(r).toEqual({ kind: 'accepted', clientOrderId: 'a', venueOrderId: 'PAPER-O000001' });
    const fill = v.executions[1]!.event;
    expect(fill.type === 'order.filled' && fill.tradeId).toBe('PAPER-T000001');
    expect(v.executions.every((e) => e.venueOrderId === 'PAPER-O000001' && e.event.tsEvent === T0 + MIN5)).toBe(true);
  });

  it('a throwing listener does not stop the others, and its error is reported', async () => {
    const errors: unknown[] = [];
    const v = simVenue({ onListenerError: (e) => errors.push(e) });
    const off = v.venue.onExecution(() => {
      throw new Error('listener bug');
    });
    feed(v, flat(0, 100));
    await v.venue.submitOrder(order('a'));
    expect(v.executions).toHaveLength(2);
    expect(errors).toHaveLength(2);
    off();
    await v.venue.submitOrder(order('b'));
    expect(errors).toHaveLength(2);
  });

  it('a clock that is not integer ms is a programmer error', async () => {
    const v = simVenue({ now: () => 1.5 });
    expect(() => v.venue.onCandle(SYMBOL, flat(0, 100))).toThrow(/integer ms/);
  });
});
