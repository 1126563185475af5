import { type Fixed, ONE, fromString, mul, toString } from '../money/index.ts';
import { type FeeRatesPct, feeFor, feeRatePct } from './fees.ts';
import { type PairRules, type PreparedOrder, roundPrice } from './pair-rules.ts';
import type { ModelFill, Side } from './types.ts';

/** Default slippage as a fraction of price: 0.0005 = 0.05 % (predecessor `default_slippage_factor`). */
export const DEFAULT_SLIPPAGE: Fixed = fromString('0.0005');

/** A reference quote: `mid` in quote per base, `spread` as a fraction of mid ((ask − bid) / mid). */
export interface Quote {
  readonly mid: Fixed;
  readonly spread: Fixed;
}

/**
 * The price a market order of `side` gets: buy `mid × (1 + spread/2 + slippage)`, sell
 * `mid × (1 − spread/2 − slippage)`, then rounded onto the tick grid against us (buy up, sell down).
 * Pure; throws on mid ≤ 0, negative spread/slippage, or a sell so costly its price is ≤ 0.
 */
export function marketPrice(side: Side, quote: Quote, slippage: Fixed, rules: PairRules): Fixed {
  if (quote.mid <= 0n) throw new RangeError(`mid price must be > 0, got ${toString(quote.mid)}`);
  if (quote.spread < 0n) throw new RangeError(`spread must be ≥ 0, got ${toString(quote.spread)}`);
  if (slippage < 0n) throw new RangeError(`slippage must be ≥ 0, got ${toString(slippage)}`);
  const adverse = quote.spread / 2n + slippage;
  if (side === 'buy') return roundPrice(mul(quote.mid, ONE + adverse, 'ceil'), rules, 'ceil');
  const price = roundPrice(mul(quote.mid, ONE - adverse, 'floor'), rules, 'floor');
  if (price <= 0n) throw new RangeError(`sell price at mid ${toString(quote.mid)} with spread/2 + slippage ${toString(adverse)} is not positive`);
  return price;
}

/**
 * Fills a MARKET order completely at `marketPrice` with the TAKER fee. Slippage is the order's
 * override, else `defaultSlippage` (default 0.0005). Depth, queue and partial fills are not
 * modelled. Pure; throws if `order` is not a MARKET order.
 */
export function fillMarketOrder(
  order: PreparedOrder,
  quote: Quote,
  fees: FeeRatesPct,
  rules: PairRules,
  defaultSlippage: Fixed = DEFAULT_SLIPPAGE,
): ModelFill {
  if (order.type !== 'MARKET') throw new RangeError(`fillMarketOrder needs a MARKET order, got ${order.type}`);
  const price = marketPrice(order.side, quote, order.slippage ?? defaultSlippage, rules);
  return takerFill(order.side, order.qty, price, fees, false);
}

/** A taker fill of `qty` at `price`. Internal helper shared by market, marketable-limit and exit fills. */
export function takerFill(side: Side, qty: Fixed, price: Fixed, fees: FeeRatesPct, gapped: boolean): ModelFill {
  const notional = mul(qty, price);
  const rate = feeRatePct('taker', fees);
  return { side, qty, price, notional, fee: feeFor(notional, rate), feeRatePct: rate, liquidity: 'taker', gapped };
}
