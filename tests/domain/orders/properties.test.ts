import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../../../domain/money/index.ts';
import {
  ORDER_STATES,
  ORDER_TRANSITIONS,
  applyOrderEvent,
  isTerminal,
  type Order,
  type OrderEvent,
} from '../../../domain/orders/index.ts';
import { runs } from '../../support/runs.ts';
import { newOrder, orderIn } from './fixtures.ts';

const CENT = 10n ** 16n; // 0.01 base, as a Fixed
const PRICE_UNIT = 10n ** 14n; // 0.0001 quote, as a Fixed

const tradeId = fc.constantFrom('t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9');
const venueId = fc.constantFrom('O1', 'O2');
const ts = fc.integer({ min: 0, max: 2_000_000_000_000 });
const price = fc.bigInt({ min: 1n, max: 2_000_000n }).map((p) => p * PRICE_UNIT);

/**
 * Any event for an order of `units` × 0.01 base, weighted so that sequences reach every status:
 * fills of 1–3 units (so they complete the order now and then, and overfill sometimes), lookups
 * reporting 0 … units + 1 filled with any venue status, terminal facts rarer than the rest.
 */
function anyEvent(units: bigint): fc.Arbitrary<OrderEvent> {
  const fillQty = fc.bigInt({ min: 1n, max: 3n }).map((q) => q * CENT);
  return fc.oneof(
    { weight: 3, arbitrary: ts.map((t) => ({ type: 'order.submitted', tsEvent: t }) as const) },
    { weight: 3, arbitrary: fc.tuple(venueId, ts).map(([v, t]) => ({ type: 'order.accepted', venueOrderId: v, tsEvent: t }) as const) },
    { weight: 1, arbitrary: ts.map((t) => ({ type: 'order.rejected', reason: 'EOrder:Insufficient funds', tsEvent: t }) as const) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(tradeId, fillQty, price, fc.bigInt({ min: 0n, max: 10n ** 16n }), ts)
        .map(([id, q, p, fee, t]) => ({ type: 'order.filled', tradeId: id, quantity: q, price: p, fee, tsEvent: t }) as const),
    },
    { weight: 2, arbitrary: ts.map((t) => ({ type: 'order.cancelRequested', tsEvent: t }) as const) },
    { weight: 2, arbitrary: ts.map((t) => ({ type: 'order.cancelRejected', reason: 'EOrder:Unknown order', tsEvent: t }) as const) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.option(fc.constant('User requested')), ts).map(([r, t]) => ({ type: 'order.canceled', reason: r, tsEvent: t }) as const),
    },
    { weight: 1, arbitrary: ts.map((t) => ({ type: 'order.expired', tsEvent: t }) as const) },
    { weight: 2, arbitrary: ts.map((t) => ({ type: 'order.submitTimedOut', tsEvent: t }) as const) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          venueId,
          fc.constantFrom('open', 'open', 'filled', 'canceled', 'expired', 'rejected'),
          fc.oneof(fc.constant(0n), fc.constant(units), fc.bigInt({ min: 0n, max: units + 1n })),
          price,
          ts,
        )
        .map(
          ([v, status, q, p, t]) =>
            ({
              type: 'order.lookupFound',
              venueOrderId: v,
              venueStatus: status,
              filledQuantity: q * CENT,
              avgFillPrice: q === 0n ? null : p,
              fee: 0n,
              tsEvent: t,
            }) as const,
        ),
    },
    { weight: 1, arbitrary: ts.map((t) => ({ type: 'order.lookupMissing', tsEvent: t }) as const) },
  );
}

/** An order of 0.01–0.06 base and up to 25 events for it, usually opening with its submission. */
const sequence = fc.bigInt({ min: 1n, max: 6n }).chain((units) =>
  fc.tuple(
    fc.constant(F.toString(units * CENT)),
    fc
      .tuple(fc.boolean(), fc.array(anyEvent(units), { minLength: 1, maxLength: 24 }))
      .map(([skipSubmit, rest]): OrderEvent[] => (skipSubmit && rest.length % 4 === 0 ? rest : [{ type: 'order.submitted', tsEvent: 0 }, ...rest])),
  ),
);

/** Independent bookkeeping of what the fills applied so far add up to. */
interface Model {
  sumQ: bigint;
  sumQP: bigint;
  minP: bigint | null;
  maxP: bigint | null;
  lookedUp: boolean;
}

describe('order lifecycle properties', () => {
  it('random event sequences never leave the table, never overfill, and keep every invariant', () => {
    fc.assert(
      fc.property(sequence, ([qty, events]) => {
        let order: Order = newOrder(qty);
        const model: Model = { sumQ: 0n, sumQP: 0n, minP: null, maxP: null, lookedUp: false };
        for (const event of events) {
          const before = order;
          const result = applyOrderEvent(before, event);
          if (!result.ok) {
            if (result.error.kind === 'illegalTransition') {
              expect(ORDER_TRANSITIONS.some((t) => t.from === before.status && t.event === event.type)).toBe(false);
            }
            continue;
          }
          order = result.order;
          // Every accepted step is an edge of the table; every reached state is a known state.
          expect(ORDER_STATES).toContain(order.status);
          expect(ORDER_TRANSITIONS.some((t) => t.from === before.status && t.event === event.type && t.to === order.status)).toBe(true);
          // Terminal states are absorbing, and nothing about the fills changes in them.
          if (isTerminal(before.status)) {
            expect(order.status).toBe(before.status);
            expect(order.filledQuantity).toBe(before.filledQuantity);
            expect(order.feeTotal).toBe(before.feeTotal);
          }
          if (event.type === 'order.filled') {
            model.sumQ += event.quantity;
            model.sumQP += F.mul(event.quantity, event.price); // exact: 2 + 4 decimals
            model.minP = model.minP === null || event.price < model.minP ? event.price : model.minP;
            model.maxP = model.maxP === null || event.price > model.maxP ? event.price : model.maxP;
          }
          if (event.type === 'order.lookupFound') {
            model.sumQ = event.filledQuantity;
            model.sumQP = event.avgFillPrice === null ? 0n : F.mul(event.filledQuantity, event.avgFillPrice);
            model.lookedUp = true;
          }
          checkInvariants(order, model);
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('the guards of one (status, event) pair never both hold: applying never throws, whatever the record', () => {
    const arbitraryOrder = fc
      .tuple(fc.constantFrom(...ORDER_STATES), fc.bigInt({ min: 1n, max: 6n }), fc.bigInt({ min: 0n, max: 6n }))
      .map(([status, q, f]) => orderIn(status, F.toString((f > q ? q : f) * CENT), F.toString(q * CENT)));
    fc.assert(
      fc.property(arbitraryOrder, anyEvent(6n), (order, event) => {
        const result = applyOrderEvent(order, event);
        if (result.ok) {
          expect(result.order.filledQuantity <= result.order.quantity).toBe(true);
          expect(ORDER_TRANSITIONS.some((t) => t.from === order.status && t.event === event.type && t.to === result.order.status)).toBe(true);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});

function checkInvariants(order: Order, model: Model): void {
  expect(order.filledQuantity >= 0n && order.filledQuantity <= order.quantity).toBe(true);
  expect(order.filledQuantity).toBe(model.sumQ);
  if (order.status === 'filled') expect(order.filledQuantity).toBe(order.quantity);
  if (order.status === 'partiallyFilled') expect(order.filledQuantity > 0n && order.filledQuantity < order.quantity).toBe(true);
  if (['new', 'submitted', 'accepted', 'unknown', 'rejected'].includes(order.status)) expect(order.filledQuantity).toBe(0n);
  // The average is the quantity-weighted mean of the fills: Σ q·p / Σ q, half-even at 18 decimals…
  expect(order.avgFillPrice).toBe(model.sumQ === 0n ? null : F.div(model.sumQP, model.sumQ));
  // …which therefore lies between the lowest and highest fill price (when only fills set it).
  if (!model.lookedUp && order.avgFillPrice !== null) {
    expect(order.avgFillPrice >= model.minP! && order.avgFillPrice <= model.maxP!).toBe(true);
  }
  expect(new Set(order.tradeIds).size).toBe(order.tradeIds.length);
}
