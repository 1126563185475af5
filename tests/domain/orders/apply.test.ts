import { describe, expect, it } from 'vitest';
import * as F from '../../../domain/money/index.ts';
import { applyOrderEvent, createOrder, type Order, type OrderEvent } from '../../../domain/orders/index.ts';
import { ev, newOrder, orderIn } from './fixtures.ts';

/** Applies events in order; fails the test on the first refusal. */
function run(order: Order, ...events: OrderEvent[]): Order {
  let current = order;
  for (const event of events) {
    const result = applyOrderEvent(current, event);
    if (!result.ok) throw new Error(`${event.type} refused: ${JSON.stringify(result.error, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
    current = result.order;
  }
  return current;
}

describe('applyOrderEvent', () => {
  it('walks a limit buy to filled with exact cumulative quantity, notional, fee and average', () => {
    const order = run(
      newOrder('1'),
      ev.submitted(2_000),
      ev.accepted('OABC-1', 3_000),
      ev.filled('t-1', '0.4', '100', '0.16', 4_000),
      ev.filled('t-2', '0.6', '110', '0.264', 4_500),
    );
    // 0.4 × 100 + 0.6 × 110 = 40 + 66 = 106 quote; 106 / 1 = 106; fees 0.16 + 0.264 = 0.424.
    expect(order.status).toBe('filled');
    expect(F.toString(order.filledQuantity)).toBe('1');
    expect(F.toString(order.filledNotional)).toBe('106');
    expect(order.avgFillPrice !== null && F.toString(order.avgFillPrice)).toBe('106');
    expect(F.toString(order.feeTotal)).toBe('0.424');
    expect(order.venueOrderId).toBe('OABC-1');
    expect(order.tradeIds).toEqual(['t-1', 't-2']);
    expect(order.tsInit).toBe(1_000);
    expect(order.tsEvent).toBe(4_500);
  });

  it('rounds the average half-even at 18 decimals from exact totals', () => {
    const order = run(newOrder('3'), ev.submitted(), ev.accepted(), ev.filled('a', '1', '1'), ev.filled('b', '1', '1'), ev.filled('c', '1', '2'));
    // (1 + 1 + 2) / 3 = 1.333…; 18 decimals, the 19th digit 3 rounds down.
    expect(F.toString(order.avgFillPrice!)).toBe('1.333333333333333333');
    expect(F.toString(order.filledNotional)).toBe('4');
  });

  it('lets the venue fill after a cancel request (partially, then the rest is canceled)', () => {
    const pending = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.cancelRequested());
    expect(pending.status).toBe('pendingCancel');
    const partly = run(pending, ev.filled('t-1', '0.25', '100'));
    expect(partly.status).toBe('partiallyFilled');
    const canceled = run(partly, ev.canceled('User requested'));
    expect(canceled.status).toBe('canceled');
    expect(F.toString(canceled.filledQuantity)).toBe('0.25');
    expect(canceled.reason).toBe('User requested');
  });

  it('lets a complete fill win the race against a cancel', () => {
    const order = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.cancelRequested(), ev.filled('t-1', '1', '99'));
    expect(order.status).toBe('filled');
  });

  it('returns a refused cancel to where the order was', () => {
    const unfilled = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.cancelRequested(), ev.cancelRejected('EGeneral:Internal error'));
    expect(unfilled.status).toBe('accepted');
    expect(unfilled.reason).toBe('EGeneral:Internal error');
    const partly = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.filled('t', '0.5', '100'), ev.cancelRequested(), ev.cancelRejected());
    expect(partly.status).toBe('partiallyFilled');
  });

  it('resolves a timed-out submit by lookup, taking the venue cumulative figures', () => {
    const unknown = run(newOrder('1'), ev.submitted(), ev.submitTimedOut());
    expect(unknown.status).toBe('unknown');
    const found = run(unknown, ev.lookupFound('open', '0.3', '101.5', '0.12', 'OXYZ-9'));
    // 0.3 × 101.5 = 30.45 notional; 30.45 / 0.3 = 101.5.
    expect(found.status).toBe('partiallyFilled');
    expect(found.venueOrderId).toBe('OXYZ-9');
    expect(F.toString(found.filledNotional)).toBe('30.45');
    expect(F.toString(found.avgFillPrice!)).toBe('101.5');
    expect(F.toString(found.feeTotal)).toBe('0.12');
    // …after which ordinary fills continue on top.
    const done = run(found, ev.filled('t-9', '0.7', '102'));
    // 30.45 + 0.7 × 102 = 30.45 + 71.4 = 101.85 over 1.
    expect(done.status).toBe('filled');
    expect(F.toString(done.avgFillPrice!)).toBe('101.85');
  });

  it('settles an order the venue never saw as rejected; it is never resubmitted', () => {
    const unknown = run(newOrder(), ev.submitted(), ev.submitTimedOut());
    expect(applyOrderEvent(unknown, ev.submitted())).toEqual({
      ok: false,
      error: { kind: 'illegalTransition', from: 'unknown', event: 'order.submitted' },
    });
    const missing = run(unknown, ev.lookupMissing());
    expect(missing.status).toBe('rejected');
    expect(missing.reason).toBe('not found at the venue by client order id');
  });

  it('accepts a fill reported before the REST ack, then records the late ack', () => {
    const partly = run(newOrder('1'), ev.submitted(), ev.filled('t-1', '0.5', '100'));
    expect(partly.status).toBe('partiallyFilled');
    expect(partly.venueOrderId).toBeNull();
    const acked = run(partly, ev.accepted('OLATE-1'));
    expect(acked.status).toBe('partiallyFilled');
    expect(acked.venueOrderId).toBe('OLATE-1');
    const filled = run(newOrder('1'), ev.submitted(), ev.filled('t-1', '1', '100'), ev.accepted('OLATE-2'));
    expect(filled.status).toBe('filled');
    expect(filled.venueOrderId).toBe('OLATE-2');
  });

  it('refuses an overfill with the figures involved', () => {
    const partly = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.filled('t-1', '0.7', '100'));
    expect(applyOrderEvent(partly, ev.filled('t-2', '0.4', '100'))).toEqual({
      ok: false,
      error: { kind: 'overfill', quantity: F.from('1'), filledQuantity: F.from('0.7'), fillQuantity: F.from('0.4') },
    });
    expect(applyOrderEvent(orderIn('unknown'), ev.lookupFound('open', '1.5', '100'))).toMatchObject({
      ok: false,
      error: { kind: 'overfill', fillQuantity: F.from('1.5') },
    });
  });

  it('refuses a replayed fill as duplicateFill', () => {
    const partly = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.filled('t-1', '0.2', '100'));
    expect(applyOrderEvent(partly, ev.filled('t-1', '0.2', '100'))).toEqual({ ok: false, error: { kind: 'duplicateFill', tradeId: 't-1' } });
  });

  it('refuses malformed or contradictory events as invalidEvent, naming the problem', () => {
    const accepted = run(newOrder('1'), ev.submitted(), ev.accepted('OABC-1'));
    const cases: Array<[Order, OrderEvent, RegExp]> = [
      [accepted, ev.filled('t', '0', '100'), /fill quantity must be > 0/],
      [accepted, ev.filled('t', '0.1', '-1'), /fill price must be > 0/],
      [accepted, ev.filled('t', '0.1', '100', '-0.01'), /fee must be ≥ 0/],
      [accepted, ev.filled('', '0.1', '100'), /tradeId must be non-empty/],
      [accepted, { type: 'order.expired', tsEvent: 1.5 }, /tsEvent must be integer ms/],
      [orderIn('submitted'), ev.rejected(''), /reason must be non-empty/],
      [run(accepted, ev.filled('t', '1', '100')), ev.accepted('OTHER'), /contradicts the known OABC-1/],
      [orderIn('unknown'), ev.lookupFound('open', '1', '100'), /no edge from unknown accepts it: venueStatus open/],
      [orderIn('unknown'), ev.lookupFound('filled', '0.5', '100'), /no edge from unknown accepts it: venueStatus filled/],
      [orderIn('unknown'), ev.lookupFound('open', '0', '100'), /avgFillPrice must be null when nothing filled/],
      [orderIn('unknown'), ev.lookupFound('canceled', '0.2', null), /avgFillPrice must be > 0/],
    ];
    for (const [order, event, message] of cases) {
      const result = applyOrderEvent(order, event);
      expect(result.ok, event.type).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe('invalidEvent');
        if (result.error.kind === 'invalidEvent') expect(result.error.reason).toMatch(message);
      }
    }
  });

  it('keeps terminal orders terminal', () => {
    const filled = run(newOrder('1'), ev.submitted(), ev.accepted(), ev.filled('t', '1', '100'));
    for (const event of [ev.filled('t2', '0.1', '100'), ev.canceled(), ev.cancelRequested(), ev.expired(), ev.rejected()]) {
      expect(applyOrderEvent(filled, event)).toMatchObject({ ok: false, error: { kind: 'illegalTransition', from: 'filled' } });
    }
  });
});

describe('createOrder', () => {
  const base = { clientOrderId: 'c-1', symbol: 'BTC/USD', side: 'buy', quantity: F.from('0.5'), tsInit: 0 } as const;

  it('builds a new order with nothing filled', () => {
    const made = createOrder({ ...base, type: 'stop-loss', triggerPrice: F.from('95') });
    expect(made).toMatchObject({
      ok: true,
      order: { status: 'new', filledQuantity: 0n, avgFillPrice: null, triggerPrice: F.from('95'), limitPrice: null, tsEvent: null },
    });
  });

  it('refuses inconsistent parameters with a reason', () => {
    const cases: Array<[Parameters<typeof createOrder>[0], RegExp]> = [
      [{ ...base, type: 'limit' }, /limit order needs limitPrice > 0/],
      [{ ...base, type: 'market', limitPrice: F.from('1') }, /market order takes neither/],
      [{ ...base, type: 'take-profit' }, /take-profit order needs triggerPrice > 0/],
      [{ ...base, type: 'stop-loss', triggerPrice: F.from('1'), limitPrice: F.from('1') }, /takes no limitPrice/],
      [{ ...base, type: 'market', quantity: 0n }, /quantity must be > 0/],
      [{ ...base, type: 'market', clientOrderId: ' ' }, /clientOrderId must be a non-empty string/],
      [{ ...base, type: 'market', tsInit: Number.NaN }, /tsInit must be integer ms/],
    ];
    for (const [params, message] of cases) {
      const made = createOrder(params);
      expect(made.ok).toBe(false);
      if (!made.ok) expect(made.error.reason).toMatch(message);
    }
  });
});
