import type { Candle } from '../market/index.ts';
import { type Fixed, fromNumber, max, min, mul } from '../money/index.ts';
import { compareCandlePrice } from './candle-price.ts';
import { type FeeRatesPct, feeFor, feeRatePct } from './fees.ts';
import { DEFAULT_SLIPPAGE, type Quote, marketPrice, takerFill } from './market-fill.ts';
import { type PairRules, type PreparedOrder, roundPrice } from './pair-rules.ts';
import type { ModelFill } from './types.ts';

/**
 * When a resting LIMIT counts as filled by a candle.
 * - `through` (default): the market must trade strictly beyond the limit (buy: low < limit;
 *   sell: high > limit). A mere touch proves only that someone traded AT our price, not that the
 *   queue in front of us was consumed, so it does not fill.
 * - `touch`: low ≤ limit (buy) / high ≥ limit (sell) — the predecessor backtester's optimistic rule.
 */
export type LimitFillRule = 'through' | 'touch';

/** Outcome of placing a LIMIT against the current quote. */
export type LimitSubmission = { readonly status: 'filled'; readonly fill: ModelFill } | { readonly status: 'resting' };

/**
 * Places a LIMIT order against the current quote. If it is marketable (buy: ask = mid·(1 + spread/2)
 * ≤ limit; sell: bid ≥ limit) it executes at once as a TAKER at the market price (with slippage)
 * capped at the limit; otherwise it rests and only `matchLimitOrder` can fill it — never instantly
 * at the limit (predecessor §20.3 bug). Pure; throws if `order` is not a LIMIT.
 */
export function submitLimitOrder(
  order: PreparedOrder,
  quote: Quote,
  fees: FeeRatesPct,
  rules: PairRules,
  defaultSlippage: Fixed = DEFAULT_SLIPPAGE,
): LimitSubmission {
  const limit = limitOf(order);
  const touchSide = marketPrice(order.side, quote, 0n, rules); // the ask (buy) or bid (sell) on the tick grid
  const marketable = order.side === 'buy' ? touchSide <= limit : touchSide >= limit;
  if (!marketable) return { status: 'resting' };
  const aggressive = marketPrice(order.side, quote, order.slippage ?? defaultSlippage, rules);
  const price = order.side === 'buy' ? min(aggressive, limit) : max(aggressive, limit);
  return { status: 'filled', fill: takerFill(order.side, order.qty, price, fees, false) };
}

/**
 * Matches a RESTING LIMIT order against one candle that started after it was placed. Fills the
 * whole qty with the MAKER fee at the limit price when the candle trades through (or touches, per
 * `rule`) the limit; if the candle OPENS beyond the limit (a gap in our favour) the fill is at the
 * open, rounded onto the tick grid against us and never worse than the limit. Returns `null` when
 * the candle does not reach the order. Pure; throws if `order` is not a LIMIT or the candle has a
 * non-finite price.
 */
export function matchLimitOrder(
  order: PreparedOrder,
  candle: Candle,
  fees: FeeRatesPct,
  rules: PairRules,
  rule: LimitFillRule = 'through',
): ModelFill | null {
  const limit = limitOf(order);
  let price: Fixed;
  let gapped = false;
  if (order.side === 'buy') {
    if (compareCandlePrice(candle.open, limit) < 0) {
      price = min(limit, roundPrice(fromNumber(candle.open), rules, 'ceil'));
      gapped = true;
    } else {
      const c = compareCandlePrice(candle.low, limit);
      if (c > 0 || (c === 0 && rule === 'through')) return null;
      price = limit;
    }
  } else {
    if (compareCandlePrice(candle.open, limit) > 0) {
      price = max(limit, roundPrice(fromNumber(candle.open), rules, 'floor'));
      gapped = true;
    } else {
      const c = compareCandlePrice(candle.high, limit);
      if (c < 0 || (c === 0 && rule === 'through')) return null;
      price = limit;
    }
  }
  const notional = mul(order.qty, price);
  const rate = feeRatePct('maker', fees);
  return { side: order.side, qty: order.qty, price, notional, fee: feeFor(notional, rate), feeRatePct: rate, liquidity: 'maker', gapped };
}

function limitOf(order: PreparedOrder): Fixed {
  if (order.type !== 'LIMIT' || order.limitPrice === null) {
    throw new RangeError(`a LIMIT order with a limit price is required, got ${order.type} at ${order.limitPrice ?? 'no price'}`);
  }
  return order.limitPrice;
}
