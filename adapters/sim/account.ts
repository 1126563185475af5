import { type Fixed, ONE, ZERO, div, mul, toString } from '../../domain/money/index.ts';
import type { VenueBalance } from '../../domain/ports/index.ts';
import { type SimOrder, remainingOf } from './orders.ts';

/**
 * The sim venue's account: one exact balance per asset and the amounts open orders hold, with
 * the same reservation rule as Kraken's BalanceEx `hold_trade` (and the fake exchange): a sell
 * holds its remaining base quantity; a buy holds its remaining quantity × its price × (1 + taker
 * fee), rounded up.
 */
export interface SimAccount {
  /** Exact balance of `asset` (0 when never held). */
  total(asset: string): Fixed;
  /** Adds `delta` (may be negative) to `asset`. Throws `RangeError` if the balance would go negative (a sim bug). */
  move(asset: string, delta: Fixed): void;
  /** Every asset ever held, with holds from `open` orders, sorted by asset code. */
  list(open: readonly SimOrder[], holdOf: (order: SimOrder, asset: string) => Fixed): VenueBalance[];
}

/** Creates an account with starting balances (canonical asset codes). Throws on a negative balance. */
export function createAccount(initial: Readonly<Record<string, Fixed>>): SimAccount {
  const balances = new Map<string, Fixed>();
  for (const [asset, amount] of Object.entries(initial)) {
    if (amount < ZERO) throw new RangeError(`starting balance of ${asset} must be ≥ 0, got ${toString(amount)}`);
    balances.set(asset, amount);
  }
  return {
    total: (asset) => balances.get(asset) ?? ZERO,
    move(asset, delta) {
      const next = (balances.get(asset) ?? ZERO) + delta;
      if (next < ZERO) throw new RangeError(`sim account: ${asset} would go negative (${toString(next)}); the funds check must have prevented this`);
      balances.set(asset, next);
    },
    list(open, holdOf) {
      return [...balances.keys()].sort().map((asset) => {
        const total = balances.get(asset)!;
        let hold = ZERO;
        for (const o of open) hold += holdOf(o, asset);
        return { asset, total, hold, available: total - hold };
      });
    },
  };
}

/** What a buy of `qty` at `price` reserves: `qty × price` rounded up, plus the taker fee on it rounded up. Pure. */
export function buyReservation(qty: Fixed, price: Fixed, takerPct: Fixed): Fixed {
  const notional = mul(qty, price, 'ceil');
  return notional + div(mul(notional, takerPct), 100n * ONE, 'ceil');
}

/** Base units a sell order holds (its remaining quantity). Pure. */
export function sellReservation(order: SimOrder): Fixed {
  return remainingOf(order);
}
