import {
  type ExitContext,
  type ExitTrigger,
  type LimitFillRule,
  type ModelFill,
  type PreparedOrder,
  type Quote,
  fillExit,
  fillMarketOrder,
  findExitTrigger,
  marketPrice,
  matchLimitOrder,
  submitLimitOrder,
} from '../../domain/execution/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import type { MarketState } from './market.ts';
import { type SimOrder, remainingOf } from './orders.ts';

/**
 * How the sim venue executes, entirely through `domain/execution` (the backtest's fill model):
 * - market: `fillMarketOrder` at mark × (1 ± spread/2 ± slippage) on the tick grid, taker fee;
 * - limit: `submitLimitOrder` on arrival (marketable → taker at the market price capped at the
 *   limit; else it rests), then `matchLimitOrder` per later candle (maker fee at the limit when a
 *   candle trades through it; a gap in our favour fills at the open);
 * - stop-loss / take-profit (sell): already beyond the trigger on arrival → at once from the mark;
 *   else `findExitTrigger` + `fillExit` per later candle (touch-triggered; a gap fills from the
 *   open; both fire as taker market sells).
 * Pure functions of the order, the market and the candle.
 */

/** What placing an order does right now. */
export type Placement =
  | { readonly kind: 'fill'; readonly fill: ModelFill }
  | { readonly kind: 'rest' }
  /** A post-only limit that would take liquidity. */
  | { readonly kind: 'postOnlyCross' };

/** The order in `domain/execution`'s terms (limit orders only need `limitPrice`). */
function prepared(order: SimOrder, type: 'MARKET' | 'LIMIT'): PreparedOrder {
  return { side: order.side, type, qty: remainingOf(order), limitPrice: type === 'LIMIT' ? order.limitPrice : null, slippage: null };
}

function exitContext(market: MarketState, slippage: Fixed): ExitContext {
  return { spread: market.spread, slippage, fees: market.fees, rules: market.rules };
}

/** The price a market order of `side` would get now (for the funds check). Requires a mark. */
export function marketFillPrice(side: 'buy' | 'sell', market: MarketState, slippage: Fixed): Fixed {
  return marketPrice(side, quoteOf(market), slippage, market.rules);
}

/** Placing `order` against the current mark. Requires a mark (callers check). Pure. */
export function placeOrder(order: SimOrder, market: MarketState, slippage: Fixed): Placement {
  const quote = quoteOf(market);
  switch (order.type) {
    case 'market':
      return { kind: 'fill', fill: fillMarketOrder(prepared(order, 'MARKET'), quote, market.fees, market.rules, slippage) };
    case 'limit': {
      if (order.postOnly) {
        const touch = marketPrice(order.side, quote, 0n, market.rules);
        const crosses = order.side === 'buy' ? touch <= order.limitPrice! : touch >= order.limitPrice!;
        if (crosses) return { kind: 'postOnlyCross' };
      }
      const placed = submitLimitOrder(prepared(order, 'LIMIT'), quote, market.fees, market.rules, slippage);
      return placed.status === 'filled' ? { kind: 'fill', fill: placed.fill } : { kind: 'rest' };
    }
    case 'stop-loss':
    case 'take-profit': {
      const trigger = order.triggerPrice!;
      const mark = market.mark!;
      const stop = order.type === 'stop-loss';
      const beyond = stop ? mark <= trigger : mark >= trigger;
      if (!beyond) return { kind: 'rest' };
      const fired: ExitTrigger = { kind: stop ? 'stopLoss' : 'takeProfit', level: trigger, basePrice: mark, gapped: mark !== trigger };
      return { kind: 'fill', fill: fillExit(fired, remainingOf(order), exitContext(market, slippage)) };
    }
  }
}

/** Matches a RESTING order against one later candle of its symbol; null when the candle does not reach it. Pure. */
export function matchOrder(order: SimOrder, candle: Candle, market: MarketState, slippage: Fixed, rule: LimitFillRule): ModelFill | null {
  switch (order.type) {
    case 'limit':
      return matchLimitOrder(prepared(order, 'LIMIT'), candle, market.fees, market.rules, rule);
    case 'stop-loss':
    case 'take-profit': {
      const levels = order.type === 'stop-loss' ? { stopLoss: order.triggerPrice, takeProfit: null } : { stopLoss: null, takeProfit: order.triggerPrice };
      const fired = findExitTrigger(levels, candle);
      return fired === null ? null : fillExit(fired, remainingOf(order), exitContext(market, slippage));
    }
    case 'market':
      return null; // market orders never rest
  }
}

function quoteOf(market: MarketState): Quote {
  if (market.mark === null) throw new RangeError(`${market.symbol}: no mark price yet (feed a candle first)`);
  return { mid: market.mark, spread: market.spread };
}
