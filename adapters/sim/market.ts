import type { FeeRatesPct, PairRules } from '../../domain/execution/index.ts';
import { tickOf } from '../../domain/execution/index.ts';
import { type Fixed, ZERO, toString } from '../../domain/money/index.ts';

/** One symbol the sim venue lists, configured like the venue it stands in for. */
export interface SimMarket {
  /** Canonical `BASE/QUOTE` (`BTC/USD`); the base and quote codes are the balance assets. */
  readonly symbol: string;
  /** The pair's grids and minimums (Kraken AssetPairs via `pairRulesOf`, or config). */
  readonly rules: PairRules;
  /** The account's fee rates for the pair, percent units (Kraken TradeVolume tier). */
  readonly fees: FeeRatesPct;
  /** Quoted spread as a fraction of mid ((ask − bid) / mid): 0.001 = 10 bp. */
  readonly spread: Fixed;
}

/** A listed market with its live state. */
export interface MarketState {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly rules: PairRules;
  readonly fees: FeeRatesPct;
  spread: Fixed;
  /** Last price (the close of the last candle fed), null before the first one. */
  mark: Fixed | null;
  /** `tsOpen` of the last candle fed, null before the first one. */
  lastCandleTs: number | null;
}

/**
 * Validates a market's configuration and builds its state. Throws `RangeError` naming the
 * symbol and the bad value (configuration errors are programmer errors here: config is
 * validated at the edge).
 */
export function createMarketState(market: SimMarket): MarketState {
  const parts = market.symbol.split('/');
  if (parts.length !== 2 || !/^[A-Z0-9]{1,12}$/.test(parts[0]!) || !/^[A-Z0-9]{1,12}$/.test(parts[1]!)) {
    throw new RangeError(`sim market symbol must be BASE/QUOTE in capitals (BTC/USD), got ${JSON.stringify(market.symbol)}`);
  }
  const { rules, fees } = market;
  if (!Number.isInteger(rules.lotDecimals) || rules.lotDecimals < 0 || rules.lotDecimals > 18) {
    throw new RangeError(`${market.symbol}: lotDecimals must be an integer in 0..18, got ${rules.lotDecimals}`);
  }
  tickOf(rules); // throws on a bad pairDecimals / tickSize
  if (rules.orderMin < ZERO || rules.costMin < ZERO) {
    throw new RangeError(`${market.symbol}: orderMin and costMin must be ≥ 0, got ${toString(rules.orderMin)} and ${toString(rules.costMin)}`);
  }
  if (fees.makerPct < ZERO || fees.takerPct < ZERO) {
    throw new RangeError(`${market.symbol}: fee rates must be ≥ 0 %, got maker ${toString(fees.makerPct)}, taker ${toString(fees.takerPct)}`);
  }
  if (market.spread < ZERO) throw new RangeError(`${market.symbol}: spread must be ≥ 0, got ${toString(market.spread)}`);
  return { symbol: market.symbol, base: parts[0]!, quote: parts[1]!, rules, fees, spread: market.spread, mark: null, lastCandleTs: null };
}
