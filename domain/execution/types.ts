import type { Fixed } from '../money/index.ts';

/** Order side. The fund is long-only spot: a `buy` opens or adds, a `sell` reduces or closes. */
export type Side = 'buy' | 'sell';

/** Order type as the strategy contract names it (predecessor §3). */
export type OrderType = 'MARKET' | 'LIMIT';

/** Who supplied liquidity: a resting order is `maker`, an order that crosses the book is `taker`. */
export type Liquidity = 'maker' | 'taker';

/**
 * A simulated execution produced by the fill model. `qty` is base units, `price` quote per base,
 * `notional = qty × price` and `fee` are quote units, `feeRatePct` is the percent rate applied
 * (0.4 = 0.40 %). Everything is exact `Fixed`.
 */
export interface ModelFill {
  readonly side: Side;
  readonly qty: Fixed;
  readonly price: Fixed;
  readonly notional: Fixed;
  readonly fee: Fixed;
  readonly feeRatePct: Fixed;
  readonly liquidity: Liquidity;
  /** True when the candle opened beyond the order's price and the fill took the open instead. */
  readonly gapped: boolean;
}
