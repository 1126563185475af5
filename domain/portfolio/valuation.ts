import type { Candle } from '../market/index.ts';
import { type Fixed, ZERO, fromNumber, max, mul, toString } from '../money/index.ts';
import { avgEntry } from './ledger.ts';
import { adverseExcursion } from './mae.ts';
import type { Ledger, Position } from './types.ts';

/** A price observation for one symbol: `price` becomes the mark, `low` (default price) feeds MAE. */
export interface PriceMark {
  readonly price: Fixed;
  readonly low?: Fixed;
}

/** A mark from a candle: price = close, low = low (float64 converted exactly via shortest decimal). Pure. */
export function markFromCandle(candle: Candle): PriceMark {
  return { price: fromNumber(candle.close), low: fromNumber(candle.low) };
}

/**
 * Marks every open position of each symbol in `marks` to its price and raises its MAE with
 * (avgEntry − low) / avgEntry. Symbols without a mark are untouched. Returns the same ledger when
 * nothing changes. Pure; throws on a non-positive price or low.
 */
export function markToMarket(ledger: Ledger, marks: Readonly<Record<string, PriceMark>>): Ledger {
  let changed = false;
  const positions = ledger.positions.map((p) => {
    const mark = marks[p.symbol];
    if (!mark) return p;
    const low = mark.low ?? mark.price;
    if (mark.price <= 0n || low <= 0n) throw new RangeError(`${p.symbol}: mark price and low must be > 0, got ${toString(mark.price)} / ${toString(low)}`);
    const mae = max(p.mae, adverseExcursion(avgEntry(p), low < mark.price ? low : mark.price));
    if (mae === p.mae && mark.price === p.lastPrice) return p;
    changed = true;
    return { ...p, lastPrice: mark.price, mae };
  });
  return changed ? { ...ledger, positions } : ledger;
}

/** Market value of a position at its mark: qty × lastPrice (quote). Pure. */
export function positionValue(position: Position): Fixed {
  return mul(position.qty, position.lastPrice);
}

/** Unrealized P&L of a position: value − cost basis (entry fees already left cash; exit fee not yet due). Pure. */
export function positionUnrealizedPnl(position: Position): Fixed {
  return positionValue(position) - position.costBasis;
}

/** Total portfolio value: cash + Σ qty × mark (quote). Pure. */
export function totalValue(ledger: Ledger): Fixed {
  let total = ledger.cash;
  for (const p of ledger.positions) total += positionValue(p);
  return total;
}

/** Σ unrealized P&L of open positions (quote). Pure. */
export function unrealizedPnl(ledger: Ledger): Fixed {
  let total = ZERO;
  for (const p of ledger.positions) total += positionUnrealizedPnl(p);
  return total;
}

/** Σ (cost basis + remaining entry fees) of open positions: the cash they tied up (quote). Pure. */
export function openCost(ledger: Ledger): Fixed {
  let total = ZERO;
  for (const p of ledger.positions) total += p.costBasis + p.entryFees;
  return total;
}

/** Fees charged on fills booked on `dayKey` (0 when the ledger's current day is another). Pure. */
export function feesOnDay(ledger: Ledger, dayKey: string): Fixed {
  return ledger.today?.dayKey === dayKey ? ledger.today.fees : ZERO;
}

/** Net realized P&L booked on `dayKey` (0 when the ledger's current day is another). Pure. */
export function realizedOnDay(ledger: Ledger, dayKey: string): Fixed {
  return ledger.today?.dayKey === dayKey ? ledger.today.realizedPnl : ZERO;
}

/**
 * Daily P&L: total value − start-of-day value − capital moved in on `dayKey` (a deposit is not
 * profit). `startOfDayValue` comes from the day's opening snapshot. Pure.
 */
export function dailyPnl(ledger: Ledger, dayKey: string, startOfDayValue: Fixed): Fixed {
  const capital = ledger.today?.dayKey === dayKey ? ledger.today.capitalNet : ZERO;
  return totalValue(ledger) - startOfDayValue - capital;
}

/** Total P&L since inception: total value − starting capital − net capital events. Pure. */
export function totalPnl(ledger: Ledger): Fixed {
  return totalValue(ledger) - ledger.startingCapital - ledger.capitalNet;
}
