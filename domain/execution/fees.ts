import { type Fixed, ONE, div, fromString } from '../money/index.ts';
import type { Liquidity, OrderType } from './types.ts';

/**
 * One pair's fee rates in PERCENT units, exactly as Kraken's AssetPairs `fees`/`fees_maker` and
 * TradeVolume report them: `takerPct = 0.4` means 0.40 % of the notional.
 */
export interface FeeRatesPct {
  readonly makerPct: Fixed;
  readonly takerPct: Fixed;
}

/** Kraken Pro's $0-volume crypto tier, 0.25 % maker / 0.40 % taker (reference/kraken.md §9). */
export const KRAKEN_BASE_FEES_PCT: FeeRatesPct = Object.freeze({
  makerPct: fromString('0.25'),
  takerPct: fromString('0.40'),
});

/**
 * The liquidity an order of this type is charged as when it rests and is then filled: LIMIT is
 * maker, MARKET is taker (predecessor §5.1). A LIMIT that is marketable on arrival is a taker;
 * `submitLimitOrder` handles that case itself.
 */
export function liquidityOf(orderType: OrderType): Liquidity {
  return orderType === 'LIMIT' ? 'maker' : 'taker';
}

/** The percent rate for a liquidity side. Pure. */
export function feeRatePct(liquidity: Liquidity, rates: FeeRatesPct): Fixed {
  return liquidity === 'maker' ? rates.makerPct : rates.takerPct;
}

/**
 * Fee in quote units: `notional × ratePct / 100`, rounded half-even to 18 decimals (one rounding).
 * Throws `RangeError` on a negative notional or rate (corrupt input).
 */
export function feeFor(notional: Fixed, ratePct: Fixed): Fixed {
  if (notional < 0n) throw new RangeError(`fee notional must be ≥ 0, got ${notional} (1e-18 units)`);
  if (ratePct < 0n) throw new RangeError(`fee rate must be ≥ 0 %, got ${ratePct} (1e-18 units)`);
  // (n·r)/(100·ONE·ONE) scaled back to 1e-18 units, rounded once by `div`.
  return div(notional * ratePct, 100n * ONE * ONE);
}

/** Convenience: fee for `notional` charged at the rate for `liquidity`. Pure. */
export function feeForLiquidity(notional: Fixed, liquidity: Liquidity, rates: FeeRatesPct): Fixed {
  return feeFor(notional, feeRatePct(liquidity, rates));
}
