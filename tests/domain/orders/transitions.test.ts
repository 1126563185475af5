import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ORDER_EVENT_TYPES,
  ORDER_GUARDS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  TERMINAL_STATES,
  applyOrderEvent,
  isTerminal,
  type OrderEventType,
  type OrderStatus,
} from '../../../domain/orders/index.ts';
import { orderIn, witness, ev } from './fixtures.ts';

describe('ORDER_TRANSITIONS (the lifecycle table)', () => {
  it('lists every event type of the union', () => {
    expectTypeOf<Exclude<OrderEventType, (typeof ORDER_EVENT_TYPES)[number]>>().toEqualTypeOf<never>();
  });

  it('uses only known states, events and guards, and each of them at least once', () => {
    for (const t of ORDER_TRANSITIONS) {
      expect(ORDER_STATES).toContain(t.from);
      expect(ORDER_STATES).toContain(t.to);
      expect(ORDER_EVENT_TYPES).toContain(t.event);
      if (t.guard !== undefined) expect(ORDER_GUARDS).toContain(t.guard);
    }
    expect(new Set(ORDER_TRANSITIONS.map((t) => t.event))).toEqual(new Set(ORDER_EVENT_TYPES));
    expect(new Set(ORDER_TRANSITIONS.flatMap((t) => (t.guard ? [t.guard] : [])))).toEqual(new Set(ORDER_GUARDS));
    expect(new Set(ORDER_TRANSITIONS.flatMap((t) => [t.from, t.to]))).toEqual(new Set(ORDER_STATES));
  });

  it('has no duplicate edge, and a pair with several targets guards every one of them', () => {
    const keys = ORDER_TRANSITIONS.map((t) => `${t.from}|${t.event}|${t.guard ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const byPair = new Map<string, number>();
    for (const t of ORDER_TRANSITIONS) byPair.set(`${t.from}|${t.event}`, (byPair.get(`${t.from}|${t.event}`) ?? 0) + 1);
    for (const t of ORDER_TRANSITIONS) {
      if (byPair.get(`${t.from}|${t.event}`)! > 1) expect(t.guard, `${t.from} --${t.event}--> ${t.to}`).toBeDefined();
    }
  });

  it('makes terminal states absorbing: their only edges are self-loops', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['canceled', 'expired', 'filled', 'rejected']);
    for (const t of ORDER_TRANSITIONS.filter((e) => isTerminal(e.from))) expect(t.to).toBe(t.from);
  });

  it('never resubmits: submitted is entered only from new, and unknown only from submitted', () => {
    expect(ORDER_TRANSITIONS.filter((t) => t.to === 'submitted').map((t) => t.from)).toEqual(['new']);
    expect(ORDER_TRANSITIONS.filter((t) => t.to === 'unknown').map((t) => `${t.from} ${t.event}`)).toEqual([
      'submitted order.submitTimedOut',
    ]);
    expect(ORDER_TRANSITIONS.some((t) => t.from === 'unknown' && t.event === 'order.submitted')).toBe(false);
  });

  it('reaches every state from new, and a terminal state from every state', () => {
    const reach = (start: OrderStatus, forward: boolean): Set<OrderStatus> => {
      const seen = new Set<OrderStatus>([start]);
      const queue = [start];
      while (queue.length > 0) {
        const s = queue.shift()!;
        for (const t of ORDER_TRANSITIONS) {
          const [a, b] = forward ? [t.from, t.to] : [t.to, t.from];
          if (a === s && !seen.has(b)) {
            seen.add(b);
            queue.push(b);
          }
        }
      }
      return seen;
    };
    expect(reach('new', true)).toEqual(new Set(ORDER_STATES));
    for (const s of ORDER_STATES) {
      const forward = reach(s, true);
      expect(TERMINAL_STATES.some((t) => forward.has(t)), s).toBe(true);
    }
  });

  it('applyOrderEvent follows every edge of the table', () => {
    for (const edge of ORDER_TRANSITIONS) {
      const { order, event } = witness(edge);
      const result = applyOrderEvent(order, event);
      expect(result, `${edge.from} --${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}--> ${edge.to}`).toMatchObject({
        ok: true,
        order: { status: edge.to },
      });
    }
  });

  it('refuses every (state, event) pair that is not in the table as illegalTransition', () => {
    let refused = 0;
    for (const from of ORDER_STATES) {
      for (const type of ORDER_EVENT_TYPES) {
        if (ORDER_TRANSITIONS.some((t) => t.from === from && t.event === type)) continue;
        const { event } = witness({ from, event: type, to: from, ...(type === 'order.lookupFound' ? { guard: 'isFoundOpenUnfilled' as const } : {}) });
        const result = applyOrderEvent(orderIn(from), event);
        expect(result).toEqual({ ok: false, error: { kind: 'illegalTransition', from, event: type } });
        refused++;
      }
    }
    // 10 states × 11 events = 110 pairs, minus the distinct (from, event) pairs of the table.
    const pairs = new Set(ORDER_TRANSITIONS.map((t) => `${t.from}|${t.event}`)).size;
    expect(refused).toBe(110 - pairs);
    expect(applyOrderEvent(orderIn('unknown'), ev.submitted())).toMatchObject({ ok: false, error: { kind: 'illegalTransition' } });
  });
});
