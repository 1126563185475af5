import { type Fixed, fromString } from '../../../domain/money/index.ts';
import type { BuyFill, Ledger, LedgerResult, SellFill } from '../../../domain/portfolio/index.ts';

/** Decimal text → Fixed. */
export const d = (text: string): Fixed => fromString(text);

export const DAY = '2026-02-11';

/** A buy fill with defaults (BTC/USD, ts 1000, DAY). */
export function buy(qty: string, price: string, fee: string, extra: Partial<BuyFill> = {}): BuyFill {
  return { side: 'buy', symbol: 'BTC/USD', qty: d(qty), price: d(price), fee: d(fee), tsEvent: 1000, dayKey: DAY, ...extra };
}

/** A sell fill with defaults (BTC/USD, ts 2000, DAY). */
export function sell(qty: string, price: string, fee: string, extra: Partial<SellFill> = {}): SellFill {
  return { side: 'sell', symbol: 'BTC/USD', qty: d(qty), price: d(price), fee: d(fee), tsEvent: 2000, dayKey: DAY, ...extra };
}

/** Unwraps an ok result or fails the test with the refusal message. */
export function ok<E>(result: LedgerResult<E>): { ledger: Ledger } & E {
  if (!result.ok) throw new Error(`unexpected refusal: ${result.reason.message}`);
  return result as { ledger: Ledger } & E;
}
