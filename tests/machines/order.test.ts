/**
 * The order machine equals the domain's order table: its (state, event, guard) → target edges,
 * extracted from the machine definition, are exactly `ORDER_TRANSITIONS`; terminal states are
 * final; its context follows `applyOrderEvent`; and every state and edge is reachable.
 */
import fc from 'fast-check';
import { type AnyStateMachine, type AnyStateNode, type AnyTransitionDefinition, createActor, createMachine, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import * as F from '../../domain/money/index.ts';
import {
  ORDER_GUARDS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  TERMINAL_STATES,
  applyOrderEvent,
  evaluateOrderGuard,
  isTerminal,
  type Order,
  type OrderEvent,
  type OrderTransition,
} from '../../domain/orders/index.ts';
import {
  ORDER_REFUSAL_GUARD,
  describeOrderError,
  explainOrderRefusal,
  orderMachine,
  orderSnapshotFor,
} from '../../machines/order.ts';
import { MACHINES } from '../../machines/index.ts';
import { ev, newOrder, orderIn, witness } from '../domain/orders/fixtures.ts';
import { runs } from '../support/runs.ts';
import { measureCoverage, type SampleFactory } from './support/coverage.ts';
import { createPureStepper } from './support/pure.ts';

/** One extracted edge in the table's shape. */
type Edge = { from: string; event: string; guard?: string; to: string };

function guardName(t: AnyTransitionDefinition): string | undefined {
  const g = t.guard as unknown;
  if (g === undefined) return undefined;
  if (typeof g === 'string') return g;
  if (g && typeof g === 'object' && 'type' in g && typeof (g as { type: unknown }).type === 'string') return (g as { type: string }).type;
  return 'inline';
}

/** Every targeted transition of a flat machine as (from, event, guard, to), in definition order. */
function edgesOf(machine: AnyStateMachine): Edge[] {
  const out: Edge[] = [];
  for (const node of Object.values(machine.root.states) as AnyStateNode[]) {
    for (const [event, list] of node.transitions) {
      for (const t of list as AnyTransitionDefinition[]) {
        if (!t.target || t.target.length === 0) continue;
        const guard = guardName(t);
        out.push({ from: node.key, event, ...(guard === undefined ? {} : { guard }), to: t.target[0]!.key });
      }
    }
  }
  return out;
}

/** Every targetless transition (the domain-refusal blockers). */
function blockersOf(machine: AnyStateMachine): { from: string; event: string; guard?: string; index: number; actions: number }[] {
  const out: { from: string; event: string; guard?: string; index: number; actions: number }[] = [];
  for (const node of Object.values(machine.root.states) as AnyStateNode[]) {
    for (const [event, list] of node.transitions) {
      (list as AnyTransitionDefinition[]).forEach((t, index) => {
        if (t.target && t.target.length > 0) return;
        const guard = guardName(t);
        out.push({ from: node.key, event, ...(guard === undefined ? {} : { guard }), index, actions: t.actions.length });
      });
    }
  }
  return out;
}

const key = (e: Edge | OrderTransition) => `${e.from} ── ${e.event}${e.guard ? ` [${e.guard}]` : ''} ──▶ ${e.to}`;
const tableEdges = (): Edge[] => ORDER_TRANSITIONS.map((t) => ({ from: t.from, event: t.event, ...(t.guard ? { guard: t.guard } : {}), to: t.to }));

/** Differences between a machine's edges and the table (empty when equal, order within a pair included). */
function diffAgainstTable(machine: AnyStateMachine): string[] {
  const mine = edgesOf(machine).map(key);
  const table = tableEdges().map(key);
  const problems = [
    ...table.filter((k) => !mine.includes(k)).map((k) => `missing in the machine: ${k}`),
    ...mine.filter((k) => !table.includes(k)).map((k) => `not in the table: ${k}`),
  ];
  if (mine.length !== table.length) problems.push(`edge count ${mine.length} ≠ table ${table.length}`);
  // Guard priority: within one (from, event) the alternatives keep the table's order.
  for (const from of ORDER_STATES) {
    const pairs = new Set(tableEdges().filter((e) => e.from === from).map((e) => e.event));
    for (const event of pairs) {
      const a = edgesOf(machine).filter((e) => e.from === from && e.event === event).map(key);
      const b = tableEdges().filter((e) => e.from === from && e.event === event).map(key);
      if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`order differs for ${from} + ${event}`);
    }
  }
  return problems;
}

describe('the order machine equals the domain order table', () => {
  it('has exactly the table edges: (state, event, guard) → target, in table order per pair', () => {
    expect(diffAgainstTable(orderMachine)).toEqual([]);
    expect(edgesOf(orderMachine).map(key).sort()).toEqual(tableEdges().map(key).sort());
  });

  it('the comparison is not vacuous: a machine with one edge dropped, retargeted or added fails it', () => {
    const config = orderMachine.config as { states: Record<string, { on?: Record<string, unknown[]> }> };
    const clone = () => JSON.parse(JSON.stringify(config)) as typeof config & Record<string, unknown>;
    const build = (c: typeof config) => createMachine({ ...(c as object), context: undefined } as never);

    const dropped = clone();
    dropped.states['pendingCancel']!.on!['order.filled']!.pop(); // the fill that wins the race
    expect(diffAgainstTable(build(dropped))).toContain('missing in the machine: pendingCancel ── order.filled [isCompleteFill] ──▶ filled');

    const retargeted = clone();
    (retargeted.states['unknown']!.on!['order.lookupMissing']![1] as { target: string }).target = 'submitted'; // a blind resubmission
    expect(diffAgainstTable(build(retargeted))).toContain('not in the table: unknown ── order.lookupMissing ──▶ submitted');

    const added = clone();
    added.states['filled']!.on!['order.canceled'] = [{ target: 'canceled' }]; // leaving a terminal state
    expect(diffAgainstTable(build(added))).toContain('not in the table: filled ── order.canceled ──▶ canceled');

    const swapped = clone();
    swapped.states['pendingCancel']!.on!['order.cancelRejected']!.reverse();
    expect(diffAgainstTable(build(swapped))).toContain('order differs for pendingCancel + order.cancelRejected');
  });

  it('has one state per order status and is registered for diagram export', () => {
    expect(Object.keys(orderMachine.root.states)).toEqual([...ORDER_STATES]);
    expect(orderMachine.root.initial?.target?.[0]?.key).toBe('new');
    expect(MACHINES.order).toBe(orderMachine);
  });

  it('terminal states are final and only they are', () => {
    for (const status of ORDER_STATES) {
      const node = orderMachine.root.states[status] as AnyStateNode;
      expect(node.type === 'final', status).toBe(TERMINAL_STATES.includes(status));
    }
    // The only edges out of a terminal state are the table's self-loops (late acknowledgements).
    for (const e of edgesOf(orderMachine).filter((x) => isTerminal(x.from as Order['status']))) expect(e.to).toBe(e.from);
  });

  it('guards are the table guard names, each implemented by evaluateOrderGuard', () => {
    const used = new Set(edgesOf(orderMachine).flatMap((e) => (e.guard ? [e.guard] : [])));
    expect([...used].sort()).toEqual([...ORDER_GUARDS].sort());
    const impls = orderMachine.implementations.guards as Record<string, (args: { context: { order: Order }; event: OrderEvent }) => boolean>;
    for (const edge of ORDER_TRANSITIONS) {
      const { order, event } = witness(edge);
      for (const g of ORDER_GUARDS) {
        expect(impls[g]!({ context: { order }, event }), `${g} on ${edge.from} + ${edge.event}`).toBe(evaluateOrderGuard(g, order, event));
      }
    }
  });

  it('each (state, event) pair starts with one actionless domain-refusal blocker and has no other targetless edge', () => {
    const blockers = blockersOf(orderMachine);
    const pairs = new Set(ORDER_TRANSITIONS.map((t) => `${t.from} ${t.event}`));
    expect(blockers).toHaveLength(pairs.size);
    for (const b of blockers) {
      expect(b.guard).toBe(ORDER_REFUSAL_GUARD);
      expect(b.index).toBe(0);
      expect(b.actions).toBe(0);
      expect(pairs.has(`${b.from} ${b.event}`)).toBe(true);
    }
  });
});

// ───────────────────────────── behaviour ─────────────────────────────

const CENT = 10n ** 16n; // 0.01 base
const tradeId = fc.constantFrom('t0', 't1', 't2', 't3', 't4', 't5');
const ts = fc.oneof(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.constant(1.5)); // 1.5: a malformed time
const price = fc.bigInt({ min: 1n, max: 2_000_000n }).map((p) => p * 10n ** 14n);

/** Any order event for an order of `units` × 0.01 base (valid, malformed, replayed, overfilling). */
function anyEvent(units: bigint): fc.Arbitrary<OrderEvent> {
  return fc.oneof(
    ts.map((t): OrderEvent => ({ type: 'order.submitted', tsEvent: t })),
    fc.tuple(fc.constantFrom('O1', 'O2', ''), ts).map(([v, t]): OrderEvent => ({ type: 'order.accepted', venueOrderId: v, tsEvent: t })),
    fc.tuple(fc.constantFrom('EOrder:Insufficient funds', ''), ts).map(([r, t]): OrderEvent => ({ type: 'order.rejected', reason: r, tsEvent: t })),
    {
      weight: 4,
      arbitrary: fc
        .tuple(tradeId, fc.bigInt({ min: 0n, max: 3n }), price, ts)
        .map(([id, q, p, t]): OrderEvent => ({ type: 'order.filled', tradeId: id, quantity: q * CENT, price: p, fee: 0n, tsEvent: t })),
    },
    ts.map((t): OrderEvent => ({ type: 'order.cancelRequested', tsEvent: t })),
    ts.map((t): OrderEvent => ({ type: 'order.cancelRejected', reason: 'EOrder:Unknown order', tsEvent: t })),
    ts.map((t): OrderEvent => ({ type: 'order.canceled', reason: null, tsEvent: t })),
    ts.map((t): OrderEvent => ({ type: 'order.expired', tsEvent: t })),
    ts.map((t): OrderEvent => ({ type: 'order.submitTimedOut', tsEvent: t })),
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('O1', 'O2'), fc.constantFrom('open', 'filled', 'canceled', 'expired', 'rejected'), fc.bigInt({ min: 0n, max: units + 1n }), price, ts)
        .map(
          ([v, status, q, p, t]): OrderEvent => ({
            type: 'order.lookupFound',
            venueOrderId: v,
            venueStatus: status,
            filledQuantity: q * CENT,
            avgFillPrice: q === 0n ? null : p,
            fee: 0n,
            tsEvent: t,
          }),
        ),
    },
    ts.map((t): OrderEvent => ({ type: 'order.lookupMissing', tsEvent: t })),
  );
}

const sequence = fc
  .bigInt({ min: 1n, max: 4n })
  .chain((units) => fc.tuple(fc.constant(units), fc.array(anyEvent(units), { minLength: 1, maxLength: 20 })));

describe('order machine behaviour', () => {
  it('follows applyOrderEvent step by step: same record, state = status, can(event) ⇔ the domain accepts it', () => {
    const stepper = createPureStepper(orderMachine, { order: newOrder('0.01') });
    const sameOrder = (a: Order, b: Order) =>
      (Object.keys(b) as (keyof Order)[]).every((k) => (k === 'tradeIds' ? a.tradeIds.join() === b.tradeIds.join() : a[k] === b[k]));
    fc.assert(
      fc.property(sequence, ([units, events]) => {
        let order = newOrder(F.toString(units * CENT));
        let snap = stepper.initialFor({ order });
        for (const event of [{ type: 'order.submitted', tsEvent: 0 } as OrderEvent, ...events]) {
          const result = applyOrderEvent(order, event);
          if (snap.can(event) !== result.ok) throw new Error(`can(${event.type}) in ${String(snap.value)} ≠ domain ${result.ok}`);
          snap = stepper.step(snap, event);
          if (result.ok) order = result.order;
          if (!sameOrder(snap.context.order, order)) throw new Error(`context differs from applyOrderEvent after ${event.type}`);
          if (snap.value !== order.status) throw new Error(`state ${String(snap.value)} ≠ status ${order.status}`);
          if (snap.status !== (isTerminal(order.status) ? 'done' : 'active')) throw new Error(`actor status ${snap.status} in ${order.status}`);
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('a running actor finishes in a terminal state with the order record as its output', () => {
    const actor = createActor(orderMachine, { input: { order: newOrder('1') } }).start();
    actor.send(ev.submitted());
    actor.send(ev.accepted('OABC-1'));
    actor.send(ev.filled('t-1', '0.4', '100', '0.16'));
    expect(actor.getSnapshot().value).toBe('partiallyFilled');
    actor.send(ev.filled('t-1', '0.4', '100', '0.16')); // replayed: refused, nothing moves
    expect(actor.getSnapshot().context.order.filledQuantity).toBe(F.from('0.4'));
    actor.send(ev.filled('t-2', '0.6', '101', '0.2424'));
    const done = actor.getSnapshot();
    expect(done.status).toBe('done');
    expect(done.value).toBe('filled');
    // 0.4 × 100 + 0.6 × 101 = 100.6 notional; / 1 = 100.6 average; fees 0.16 + 0.2424 = 0.4024
    expect(done.output).toEqual(done.context.order);
    expect(done.output?.avgFillPrice).toBe(F.from('100.6'));
    expect(done.output?.feeTotal).toBe(F.from('0.4024'));
  });

  it('explains refusals with the domain reason', () => {
    const actor = createActor(orderMachine, { input: { order: newOrder('1') } }).start();
    actor.send(ev.submitted());
    actor.send(ev.filled('t-1', '0.4', '100'));
    const s = actor.getSnapshot();
    expect(explainOrderRefusal(s, ev.filled('t-1', '0.1', '100'))).toBe('fill with trade id t-1 was already applied');
    expect(explainOrderRefusal(s, ev.filled('t-2', '0.7', '100'))).toBe(
      `fill of ${F.from('0.7')} would take the filled quantity from ${F.from('0.4')} past the order quantity ${F.from('1')} (1e-18 units)`,
    );
    expect(explainOrderRefusal(s, ev.submitTimedOut())).toBe('order.submitTimedOut is not a legal event for an order in status partiallyFilled');
    expect(explainOrderRefusal(s, ev.cancelRequested())).toBeNull();
    expect(describeOrderError({ kind: 'invalidEvent', event: 'order.accepted', reason: 'venueOrderId must be non-empty' })).toBe(
      'order.accepted refused: venueOrderId must be non-empty',
    );
  });

  it('restores a mid-lifecycle order with orderSnapshotFor and continues from its status', () => {
    const accepted = { ...orderIn('accepted'), venueOrderId: 'OABC-1' };
    const actor = createActor(orderMachine, { snapshot: orderSnapshotFor(accepted), input: { order: accepted } }).start();
    expect(actor.getSnapshot().value).toBe('accepted');
    actor.send(ev.cancelRequested());
    actor.send(ev.filled('t-9', '1', '99')); // the fill won the race with the cancel
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output?.status).toBe('filled');

    const finished = orderSnapshotFor(orderIn('filled', '1'));
    expect(finished.status).toBe('done');
    expect(finished.output?.status).toBe('filled');
  });

  it('a late acknowledgement after a terminal status is applied by the pure step (the table self-loop)', () => {
    const stepper = createPureStepper(orderMachine, { order: newOrder('1') });
    const filled = orderSnapshotFor({ ...orderIn('filled', '1'), tsEvent: 4_000 });
    expect(filled.can(ev.accepted('OLATE-1'))).toBe(true);
    const after = stepper.step(filled, ev.accepted('OLATE-1', 5_000));
    expect(after.value).toBe('filled');
    expect(after.context.order.venueOrderId).toBe('OLATE-1');
    expect(after.context.order).toEqual((applyOrderEvent(filled.context.order, ev.accepted('OLATE-1', 5_000)) as { order: Order }).order);
  });

  it('refuses to start a new actor from an order that is not new (programmer error, names the fix)', () => {
    const message = /starts from status 'new', got 'accepted'; restore a later status with orderSnapshotFor/;
    const errors: unknown[] = [];
    const actor = createActor(orderMachine, { input: { order: orderIn('accepted') } });
    actor.subscribe({ error: (e) => void errors.push(e) });
    actor.start();
    expect(actor.getSnapshot().status).toBe('error');
    expect(String(errors[0])).toMatch(message);
  });

  it('needs no placeholders: nothing to provide, no timers', () => {
    const m = setup({}).createMachine({});
    expect(Object.keys(orderMachine.implementations.actors)).toEqual(Object.keys(m.implementations.actors));
    expect(Object.keys(orderMachine.implementations.delays)).toEqual([]);
    expect(Object.keys(orderMachine.implementations.actions)).toEqual(['applyEvent']);
  });
});

// ───────────────────────────── graph coverage ─────────────────────────────

describe('every order state and transition is reachable', () => {
  it('order', () => {
    type Snap = { context: { order: Order } };
    const order = (s: unknown) => (s as Snap).context.order;
    const quarter = F.from('0.25');
    const nextTrade = (o: Order) => `t-${o.tradeIds.length}`;
    const samples: Record<string, SampleFactory> = {
      'order.submitted': () => [ev.submitted(), { type: 'order.submitted', tsEvent: 1.5 }],
      'order.accepted': (s) => [ev.accepted(order(s).venueOrderId ?? 'OABC-1'), ev.accepted('')],
      'order.rejected': () => [ev.rejected(), ev.rejected('')],
      'order.filled': (s) => {
        const o = order(s);
        const left = o.quantity - o.filledQuantity;
        const out: OrderEvent[] = [ev.filled(nextTrade(o), F.toString(left), '100'), ev.filled(nextTrade(o), F.toString(left + quarter), '100')];
        if (left > quarter) out.push(ev.filled(nextTrade(o), '0.25', '100'));
        if (o.tradeIds.length > 0) out.push(ev.filled(o.tradeIds[0]!, '0.25', '100')); // replay (the second above overfills)
        return out;
      },
      'order.cancelRequested': () => [ev.cancelRequested(), { type: 'order.cancelRequested', tsEvent: 1.5 }],
      'order.cancelRejected': () => [ev.cancelRejected(), ev.cancelRejected('')],
      'order.canceled': () => [ev.canceled(), { type: 'order.canceled', reason: null, tsEvent: 1.5 }],
      'order.expired': () => [ev.expired(), { type: 'order.expired', tsEvent: 1.5 }],
      'order.submitTimedOut': () => [ev.submitTimedOut(), { type: 'order.submitTimedOut', tsEvent: 1.5 }],
      'order.lookupFound': () => [
        ev.lookupFound('open', '0', null),
        ev.lookupFound('open', '0.25', '99.5'),
        ev.lookupFound('filled', '1', '99.5'),
        ev.lookupFound('canceled', '0.25', '99.5'),
        ev.lookupFound('expired', '0', null),
        ev.lookupFound('rejected', '0', null),
        ev.lookupFound('rejected', '0.25', '99.5'), // contradicts itself: refused
      ],
      'order.lookupMissing': () => [ev.lookupMissing(), { type: 'order.lookupMissing', tsEvent: 1.5 }],
    };
    // The coverage engine keys events with JSON.stringify; order events carry exact bigint
    // amounts, so give BigInt a JSON form for the duration of the traversal only.
    const proto = BigInt.prototype as unknown as { toJSON?: () => string };
    proto.toJSON = function (this: bigint) {
      return `${this}n`;
    };
    let report: ReturnType<typeof measureCoverage>;
    try {
      report = measureCoverage({
      machine: orderMachine,
      input: { order: newOrder('1') },
      samples,
      key: (s) => {
        const o = order(s);
        return `${String(s.value)}|${o.filledQuantity}|${o.tradeIds.length}|${o.venueOrderId}`;
      },
      });
    } finally {
      delete proto.toJSON;
    }
    expect(report.missingStates, 'unreachable states').toEqual([]);
    expect(report.missingTransitions, 'untaken transitions').toEqual([]);
    expect(report.states).toHaveLength(ORDER_STATES.length + 1);
  });
});
