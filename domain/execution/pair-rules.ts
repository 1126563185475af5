import { type Fixed, type Rounding, ONE, ZERO, div, mul, round, toString } from '../money/index.ts';
import type { OrderType, Side } from './types.ts';

/**
 * A Kraken pair's order rules (AssetPairs, reference/kraken.md §AssetPairs):
 * `lotDecimals` — volume decimals; `pairDecimals` — price decimals; `orderMin` — minimum volume
 * in BASE units; `costMin` — minimum cost (volume × price) in QUOTE units; `tickSize` — minimum
 * price increment when it is coarser than 10^-pairDecimals (optional; defaults to that).
 */
export interface PairRules {
  readonly lotDecimals: number;
  readonly pairDecimals: number;
  readonly orderMin: Fixed;
  readonly costMin: Fixed;
  readonly tickSize?: Fixed;
}

/** An order as a strategy/sizer asks for it, before the pair's rules are applied. */
export interface OrderRequest {
  readonly side: Side;
  readonly type: OrderType;
  /** Base units, > 0 (rounded DOWN to `lotDecimals` by `prepareOrder`). */
  readonly qty: Fixed;
  /** Required for LIMIT, ignored for MARKET. Quote per base. */
  readonly limitPrice?: Fixed;
  /** Per-order slippage override as a fraction (0.0005 = 0.05 %); the model default otherwise. */
  readonly slippage?: Fixed;
}

/** An order that satisfies the pair's rules: qty on the lot grid, limit price on the tick grid. */
export interface PreparedOrder {
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: Fixed;
  readonly limitPrice: Fixed | null;
  readonly slippage: Fixed | null;
}

/** Why `prepareOrder` refused an order; `message` names the value and the allowed minimum. */
export type OrderRejection =
  | { readonly code: 'belowOrderMin'; readonly message: string; readonly qty: Fixed; readonly orderMin: Fixed }
  | { readonly code: 'belowCostMin'; readonly message: string; readonly cost: Fixed; readonly costMin: Fixed };

/** Outcome of `prepareOrder`: the order on the pair's grids, or why it cannot be placed. */
export type PrepareResult = { readonly ok: true; readonly order: PreparedOrder } | { readonly ok: false; readonly reason: OrderRejection };

/** Volume rounded DOWN to the pair's `lotDecimals` (never more than asked for or held). Pure. */
export function roundQty(qty: Fixed, rules: PairRules): Fixed {
  return round(qty, rules.lotDecimals, 'floor');
}

/**
 * Price rounded onto the pair's tick grid (`tickSize` if given, else 10^-pairDecimals) with an
 * explicit direction. Callers pick the direction that is never better for us than reality. Pure.
 */
export function roundPrice(price: Fixed, rules: PairRules, mode: Rounding): Fixed {
  const tick = tickOf(rules);
  return divToInteger(price, tick, mode) * tick;
}

/** The pair's price increment as a `Fixed`. Throws on a non-positive `tickSize` (corrupt config). */
export function tickOf(rules: PairRules): Fixed {
  if (rules.tickSize !== undefined) {
    if (rules.tickSize <= 0n) throw new RangeError(`tickSize must be > 0, got ${toString(rules.tickSize)}`);
    return rules.tickSize;
  }
  if (!Number.isInteger(rules.pairDecimals) || rules.pairDecimals < 0 || rules.pairDecimals > 18) {
    throw new RangeError(`pairDecimals must be an integer in 0..18, got ${rules.pairDecimals}`);
  }
  return ONE / 10n ** BigInt(rules.pairDecimals);
}

/**
 * Applies the pair's rules in Kraken's validation order (kraken.md §15.6: ordermin → costmin →
 * tick/decimals): qty rounded DOWN to lots; a LIMIT price rounded to the tick AWAY from
 * aggressiveness (buy down, sell up), so the venue never pays more or receives less than the
 * strategy asked. Cost for the minimum check is qty × limit price, or qty × `referencePrice` for
 * MARKET. Returns a typed rejection naming the value and the minimum; throws only on corrupt
 * input (qty ≤ 0, missing LIMIT price, non-positive prices).
 */
export function prepareOrder(request: OrderRequest, rules: PairRules, referencePrice: Fixed): PrepareResult {
  if (request.qty <= 0n) throw new RangeError(`order qty must be > 0, got ${toString(request.qty)}`);
  if (referencePrice <= 0n) throw new RangeError(`reference price must be > 0, got ${toString(referencePrice)}`);
  if (request.slippage !== undefined && request.slippage < 0n) {
    throw new RangeError(`slippage must be ≥ 0, got ${toString(request.slippage)}`);
  }
  let limitPrice: Fixed | null = null;
  if (request.type === 'LIMIT') {
    if (request.limitPrice === undefined || request.limitPrice <= 0n) {
      throw new RangeError(`LIMIT order needs a limit price > 0, got ${request.limitPrice === undefined ? 'none' : toString(request.limitPrice)}`);
    }
    limitPrice = roundPrice(request.limitPrice, rules, request.side === 'buy' ? 'floor' : 'ceil');
    if (limitPrice <= 0n) throw new RangeError(`LIMIT price ${toString(request.limitPrice)} rounds to 0 on the tick grid`);
  }
  const qty = roundQty(request.qty, rules);
  if (qty < rules.orderMin || qty === ZERO) {
    return {
      ok: false,
      reason: {
        code: 'belowOrderMin',
        qty,
        orderMin: rules.orderMin,
        message: `order volume ${toString(qty)} (requested ${toString(request.qty)}, rounded down to ${rules.lotDecimals} lot decimals) is below the pair minimum ordermin ${toString(rules.orderMin)}`,
      },
    };
  }
  const cost = mul(qty, limitPrice ?? referencePrice);
  if (cost < rules.costMin) {
    return {
      ok: false,
      reason: {
        code: 'belowCostMin',
        cost,
        costMin: rules.costMin,
        message: `order cost ${toString(cost)} (volume ${toString(qty)} × price ${toString(limitPrice ?? referencePrice)}) is below the pair minimum costmin ${toString(rules.costMin)}`,
      },
    };
  }
  return { ok: true, order: { side: request.side, type: request.type, qty, limitPrice, slippage: request.slippage ?? null } };
}

/**
 * Quantity to buy for a quote budget at `price`: `notional / price` rounded DOWN to lots, so the
 * spend never exceeds the budget. Pure; throws on price ≤ 0.
 */
export function qtyForNotional(notional: Fixed, price: Fixed, rules: PairRules): Fixed {
  if (price <= 0n) throw new RangeError(`price must be > 0, got ${toString(price)}`);
  if (notional <= 0n) return ZERO;
  return roundQty(div(notional, price, 'floor'), rules);
}

/**
 * Quantity to sell when `requested` of a `held` position is asked for: the lot-rounded request,
 * or the whole holding when the request covers it or would leave a remainder below `orderMin`
 * (dust that could never be sold on Kraken). Pure; throws on negative input.
 */
export function exitQty(requested: Fixed, held: Fixed, rules: PairRules): Fixed {
  if (requested < 0n || held < 0n) throw new RangeError(`quantities must be ≥ 0, got requested ${toString(requested)}, held ${toString(held)}`);
  if (requested >= held) return held;
  const qty = roundQty(requested, rules);
  return held - qty < rules.orderMin ? held : qty;
}

/** n ÷ d rounded to an integer with `mode` (d > 0). */
function divToInteger(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  switch (mode) {
    case 'trunc':
      return q;
    case 'floor':
      return n < 0n ? q - 1n : q;
    case 'ceil':
      return n > 0n ? q + 1n : q;
    case 'halfEven': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = n < 0n ? q - 1n : q + 1n;
      if (twice !== d) return twice > d ? away : q;
      return q % 2n === 0n ? q : away;
    }
  }
}
