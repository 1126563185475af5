/**
 * Model-based checker for the ledger's conservation properties (used by ledger.property.test.ts).
 */
import fc from 'fast-check';
import { type Fixed, ONE, ZERO, div, mul } from '../../../domain/money/index.ts';
import {
  type CapitalEvent,
  type ClosedTrade,
  type Ledger,
  type LedgerMode,
  applyBuy,
  applyCapitalEvent,
  applyModify,
  applySell,
  closeQuantity,
  createLedger,
  markToMarket,
  positionsOf,
  reconcileCash,
} from '../../../domain/portfolio/index.ts';

const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'] as const;
/** Fill attempts per generated sequence. */
export const FILLS_PER_SEQUENCE = 100;
const DAY_MS = 86_400_000;
/** 25 steps per calendar day: sequences cross day boundaries, so day totals roll over. */
const DAY_KEYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];

// Raw 1e-18 units, so quantities, prices and fees carry up to 18 decimals and every pro-rata
// split rounds: conservation must still hold to the unit.
const qtyArb = fc.bigInt({ min: 1n, max: 5n * ONE }); // up to 5 base units
const priceArb = fc.bigInt({ min: ONE / 10_000n, max: 100_000n * ONE }); // 0.0001 … 100000
const feeRateArb = fc.bigInt({ min: 0n, max: ONE / 100n }); // 0 … 1 % as a fraction
const amountArb = fc.bigInt({ min: 1n, max: 50_000n * ONE });

const buyArb = fc.record({
  kind: fc.constant('buy' as const),
  symbol: fc.nat(SYMBOLS.length - 1),
  tagMode: fc.constantFrom('auto', 'existing', 'named'),
  pick: fc.nat(),
  qty: qtyArb,
  price: priceArb,
  feeRate: feeRateArb,
});

const sellArb = fc.record({
  kind: fc.constant('sell' as const),
  symbol: fc.nat(SYMBOLS.length - 1),
  tagged: fc.boolean(),
  pick: fc.nat(),
  perMille: fc.integer({ min: 1, max: 1100 }), // > 1000 oversells and must be refused
  price: priceArb,
  feeRate: feeRateArb,
});

const closeArb = fc.record({
  kind: fc.constant('close' as const),
  symbol: fc.nat(SYMBOLS.length - 1),
  tagged: fc.boolean(),
  pick: fc.nat(),
  price: priceArb,
  feeRate: feeRateArb,
});

// Weighted so positions accumulate (buys 3 : sells 2 : closes 1) and FIFO sells span several.
const fillArb = fc.oneof({ weight: 3, arbitrary: buyArb }, { weight: 2, arbitrary: sellArb }, { weight: 1, arbitrary: closeArb });

const extraArb = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('deposit' as const), amount: amountArb }),
    fc.record({ kind: fc.constant('withdrawal' as const), amount: amountArb }),
    fc.record({ kind: fc.constant('adjustment' as const), amount: fc.bigInt({ min: -1000n * ONE, max: 1000n * ONE }).filter((a) => a !== 0n) }),
    fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), level: fc.option(priceArb) }),
    fc.record({ kind: fc.constant('mark' as const), symbol: fc.nat(SYMBOLS.length - 1), price: priceArb, dipPerMille: fc.integer({ min: 0, max: 500 }) }),
  ),
  { freq: 2 },
);

/** One random history: starting capital, 100 fill attempts each with an optional extra operation, final prices. */
/** Random sequences of exactly `fills` fill attempts, then closing everything at final prices. */
export function sequenceArbOf(fills: number) {
  return fc.record({
    capital: fc.bigInt({ min: 0n, max: 1_000_000n * ONE }),
    steps: fc.array(fc.record({ fill: fillArb, extra: extraArb }), { minLength: fills, maxLength: fills }),
    finalPrices: fc.tuple(priceArb, priceArb, priceArb),
  });
}

export const sequenceArb = sequenceArbOf(FILLS_PER_SEQUENCE);

export type Sequence = typeof sequenceArb extends fc.Arbitrary<infer T> ? T : never;

/** An independent model of what the ledger must have done, built only from accepted inputs. */
interface Model {
  cash: Fixed;
  capital: Fixed;
  buyNotional: Fixed;
  buyFees: Fixed;
  sellProceeds: Fixed;
  sellFees: Fixed;
  held: Map<string, Fixed>;
  events: CapitalEvent[];
  trades: ClosedTrade[];
  /** Running sums over `trades`, maintained as trades arrive. */
  closed: { cost: Fixed; entryFee: Fixed; exitFee: Fixed; proceeds: Fixed; pnl: Fixed };
}

/**
 * Plain assertion: `expect` costs microseconds and this runs millions of times per suite. `what`
 * is a constant label; fast-check reports the shrunk sequence that broke it.
 */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`invariant broken: ${what}`);
}

const feeOf = (qty: Fixed, price: Fixed, rate: Fixed): Fixed => mul(mul(qty, price), rate);

/**
 * All invariants. `reconcile` re-derives cash from the full history with `reconcileCash`; that is
 * O(history), so the sequence runner asks for it on every 4th step and at the end (the cheaper
 * model-cash and conservation checks run on every step).
 */
function checkInvariants(ledger: Ledger, model: Model, start: Fixed, mode: LedgerMode, reconcile: boolean): void {
  let openCost = ZERO;
  let openFees = ZERO;
  for (const p of ledger.positions) {
    check(p.qty > 0n && p.costBasis >= 0n && p.entryFees >= 0n && p.mae >= 0n, 'position with a negative or zero field');
    openCost += p.costBasis;
    openFees += p.entryFees;
  }
  const { closed } = model;
  const feesPaid = model.buyFees + model.sellFees;
  // running cash equals the model's cash flows and the first-principles reconciliation
  check(ledger.cash === model.cash, 'running cash ≠ model cash');
  if (reconcile) {
    const reconciled = reconcileCash(start, model.events, model.trades, ledger.positions);
    check(ledger.cash === reconciled, 'running cash ≠ reconcileCash');
  }
  // conservation: cash + open cost + Σ fees paid − Σ gross realized − capital = starting capital
  check(ledger.cash + openCost + feesPaid - (closed.proceeds - closed.cost) - model.capital === start, 'gross conservation');
  check(ledger.cash + openCost + openFees - closed.pnl - model.capital === start, 'net conservation');
  // every unit of cost and fee is either still open or on exactly one closed trade
  check(openCost + closed.cost === model.buyNotional, 'buy cost not conserved');
  check(openFees + closed.entryFee === model.buyFees, 'entry fees not conserved');
  check(closed.exitFee === model.sellFees, 'exit fees not conserved');
  check(closed.proceeds === model.sellProceeds, 'proceeds not conserved');
  check(ledger.feesPaid === feesPaid && ledger.realizedPnl === closed.pnl && ledger.capitalNet === model.capital, 'ledger totals');
  if (mode === 'paper') check(ledger.cash >= 0n, 'paper cash negative');
  for (const symbol of SYMBOLS) {
    let qty = ZERO;
    for (const p of ledger.positions) if (p.symbol === symbol) qty += p.qty;
    check(qty === (model.held.get(symbol) ?? ZERO), 'symbol qty ≠ model qty');
  }
}

/**
 * Replays one sequence through the ledger next to an independent model of the cash flows, checking
 * every invariant after every step, then closes everything. Throws on the first broken invariant.
 */
export function runSequence(seq: Sequence, mode: LedgerMode): void {
  let ledger = createLedger({ startingCapital: seq.capital, mode });
  const model: Model = {
    cash: seq.capital, capital: ZERO, buyNotional: ZERO, buyFees: ZERO, sellProceeds: ZERO, sellFees: ZERO,
    held: new Map(), events: [], trades: [], closed: { cost: ZERO, entryFee: ZERO, exitFee: ZERO, proceeds: ZERO, pnl: ZERO },
  };
  let named = 0;
  const dayOf = (i: number) => DAY_KEYS[Math.floor(i / 25)]!;

  const bookSell = (symbol: string, tag: string | undefined, qty: Fixed, price: Fixed, rate: Fixed, i: number) => {
    const fee = feeOf(qty, price, rate);
    const r = applySell(ledger, { side: 'sell', symbol, tag, qty, price, fee, tsEvent: (i * DAY_MS) / 25, dayKey: dayOf(i) });
    const held = tag === undefined ? (model.held.get(symbol) ?? ZERO) : (ledger.positions.find((p) => p.tag === tag)?.qty ?? ZERO);
    if (qty > held) {
      check(!r.ok && r.reason.code === 'insufficientQuantity', 'overselling was not refused');
      return;
    }
    if (!r.ok) throw new Error(`sell refused unexpectedly: ${r.reason.message}`);
    ledger = r.ledger;
    model.cash += mul(qty, price) - fee;
    model.sellProceeds += mul(qty, price);
    model.sellFees += fee;
    model.held.set(symbol, (model.held.get(symbol) ?? ZERO) - qty);
    let soldQty = ZERO;
    for (const t of r.closedTrades) {
      model.trades.push(t);
      model.closed.cost += t.costBasis;
      model.closed.entryFee += t.entryFee;
      model.closed.exitFee += t.exitFee;
      model.closed.proceeds += t.proceeds;
      model.closed.pnl += t.pnl;
      soldQty += t.qty;
      check(t.pnl === t.proceeds - t.costBasis - t.entryFee - t.exitFee && t.fees === t.entryFee + t.exitFee, 'trade P&L ≠ proceeds − cost − fees');
    }
    check(soldQty === qty, 'closed trades do not cover the sold qty');
  };

  seq.steps.forEach(({ fill, extra }, i) => {
    const symbol = SYMBOLS[fill.symbol]!;
    const open = positionsOf(ledger, symbol);
    const ts = (i * DAY_MS) / 25;
    if (fill.kind === 'buy') {
      const tag =
        fill.tagMode === 'auto' ? undefined : fill.tagMode === 'existing' && open.length > 0 ? open[fill.pick % open.length]!.tag : `n${named++}`;
      const fee = feeOf(fill.qty, fill.price, fill.feeRate);
      const cost = mul(fill.qty, fill.price) + fee;
      const r = applyBuy(ledger, { side: 'buy', symbol, tag, qty: fill.qty, price: fill.price, fee, tsEvent: ts, dayKey: dayOf(i) });
      if (mode === 'paper' && model.cash - cost < 0n) {
        check(!r.ok && r.reason.code === 'insufficientCash' && r.reason.required === cost && r.reason.available === model.cash, 'unaffordable paper BUY was not refused');
      } else {
        if (!r.ok) throw new Error(`buy refused unexpectedly: ${r.reason.message}`);
        ledger = r.ledger;
        model.cash -= cost;
        model.buyNotional += mul(fill.qty, fill.price);
        model.buyFees += fee;
        model.held.set(symbol, (model.held.get(symbol) ?? ZERO) + fill.qty);
      }
    } else if (open.length > 0) {
      const tag = fill.tagged ? open[fill.pick % open.length]!.tag : undefined;
      const target = closeQuantity(ledger, symbol, tag);
      if (!target.ok) throw new Error(target.reason.message);
      const qty =
        fill.kind === 'close' || fill.perMille === 1000 ? target.qty : div(target.qty * BigInt(fill.perMille), 1000n * ONE) || 1n;
      bookSell(symbol, tag, qty, fill.price, fill.feeRate, i);
    } else {
      const r = applySell(ledger, { side: 'sell', symbol, qty: ONE, price: fill.price, fee: ZERO, tsEvent: ts, dayKey: dayOf(i) });
      check(!r.ok && r.reason.code === 'noPosition', 'selling a symbol with no position was not refused');
    }

    if (extra === null) {
      // no extra operation this step
    } else if (extra.kind === 'deposit' || extra.kind === 'withdrawal' || extra.kind === 'adjustment') {
      const event: CapitalEvent = { kind: extra.kind, amount: extra.amount, tsEvent: ts, dayKey: dayOf(i) };
      const delta = extra.kind === 'withdrawal' ? -extra.amount : extra.amount;
      const r = applyCapitalEvent(ledger, event);
      const refused = model.cash + delta < 0n && (extra.kind === 'withdrawal' || mode === 'paper');
      check(r.ok === !refused, 'capital event refused/accepted wrongly');
      if (r.ok) {
        ledger = r.ledger;
        model.cash += delta;
        model.capital += delta;
        model.events.push(event);
      }
    } else if (extra.kind === 'modify') {
      if (ledger.positions.length > 0) {
        const p = ledger.positions[extra.pick % ledger.positions.length]!;
        const r = applyModify(ledger, { tag: p.tag, stopLoss: extra.level });
        if (r.ok) {
          check(r.ledger.cash === ledger.cash && r.ledger.feesPaid === ledger.feesPaid, 'MODIFY moved cash or fees');
          ledger = r.ledger;
        } else {
          check(r.reason.code === 'noChange' && p.stopLoss === extra.level, 'MODIFY refused for a reason other than noChange');
        }
      }
    } else {
      const dip = extra.price - (extra.price * BigInt(extra.dipPerMille)) / 1000n;
      ledger = markToMarket(ledger, { [SYMBOLS[extra.symbol]!]: { price: extra.price, low: dip > 0n ? dip : 1n } });
    }
    checkInvariants(ledger, model, seq.capital, mode, i % 4 === 3);
  });

  // Closing everything returns every position's cost: nothing stays open, and all buy cost and
  // entry fees are on closed trades.
  SYMBOLS.forEach((symbol, k) => {
    const all = closeQuantity(ledger, symbol);
    if (all.ok) bookSell(symbol, undefined, all.qty, seq.finalPrices[k]!, ZERO, seq.steps.length);
  });
  checkInvariants(ledger, model, seq.capital, mode, true);
  check(ledger.positions.length === 0, 'positions left after closing everything');
  check(model.closed.cost === model.buyNotional && model.closed.entryFee === model.buyFees, 'closed trades do not carry all buy cost and fees');
  check(ledger.cash === seq.capital + model.capital + model.closed.pnl, 'final cash ≠ capital + realized P&L');
}

