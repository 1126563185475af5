import type { FeeRatesPct, PairRules } from '../../domain/execution/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { fromString as f } from '../../domain/money/index.ts';

/**
 * The market every conformance flow trades in, and the numbers it must produce — computed by hand
 * below, never by the code under test.
 *
 * BTC/USD, 5-minute candles from 2023-03-09 00:00 UTC (prices chosen round so that every figure
 * is exact at Kraken's precisions: cost/fee to 5 decimals, USD balances to 4; see the check under
 * "Why these numbers").
 *
 *   c0  O 20000  H 20010  L 19990  C 20000   the opening candle: the mark is 20000 when flows start
 *   c1  O 20000  H 20100  L 19900  C 20050   low exactly 19900: TOUCHES a 19900 limit, does not trade through
 *   c2  O 20050  H 20300  L 20040  C 20250   rises through 20200 (take-profit)
 *   c3  O 20250  H 20260  L 19700  C 19750   falls through 19900 (limit) and 19800 (stop), opens above both
 *   c4  O 19500  H 19600  L 19400  C 19550   gaps DOWN from c3's close 19750 to 19500, through a 19600 stop
 *
 * Venue conditions (the same for every venue under test):
 * - spread 10 bp (0.001): bid = floor(mid × 0.9995), ask = ceil(mid × 1.0005), on the 0.1 tick;
 *   no slippage beyond the spread (the fake exchange models none, so the sim is set to 0);
 * - Kraken's fee tier for 250,000 USD of 30-day volume: taker 0.20 %, maker 0.10 %
 *   (reference/kraken.md §9; the fake exchange's schedule in adapters/fake-kraken/pairs.ts); the
 *   flows trade < 100,000 USD each, so the tier never changes within a flow;
 * - BTC/USD rules as Kraken's AssetPairs lists them (fake exchange, 2026 captures): 8 lot
 *   decimals, 1 price decimal, tick 0.1, ordermin 0.00005 BTC, costmin 0.5 USD;
 * - resting limits fill only when the market trades THROUGH them (a touch is not enough);
 * - a post-only limit that would take is accepted then canceled;
 * - starting balances 100,000 USD and 0 BTC.
 *
 * Hand-computed fills (quantity 1 BTC each):
 * - market buy at mark 20000: ask = 20000 × 1.0005 = 20010.0; taker fee 20010 × 0.002 = 40.02;
 *   USD 100000 − 20010 − 40.02 = 79949.98.
 * - market sell at mark 20050 (after c1): bid = 20050 × 0.9995 = 20039.975 → floor 20039.9;
 *   fee 20039.9 × 0.002 = 40.0798; USD 79949.98 + 20039.9 − 40.0798 = 99949.8002.
 * - limit buy at 19900 rests (ask 20010 > 19900); it holds 19900 × 1.002 = 19939.8 USD
 *   (Kraken's hold: quantity × limit × (1 + taker fee)); c1 only touches 19900; c3 trades through:
 *   maker fill at 19900, fee 19900 × 0.001 = 19.9; USD 100000 − 19900 − 19.9 = 80080.1.
 * - limit buy at 19000 never reached (lowest low 19400 in c4); holds 19000 × 1.002 = 19038.
 * - stop-loss sell at 19800 after the market buy: c3 (open 20250) falls through it → sells from the
 *   trigger: bid(19800) = 19800 × 0.9995 = 19790.1; fee 39.5802; USD 79949.98 + 19790.1 − 39.5802 = 99700.4998.
 * - take-profit sell at 20200 after the market buy: c2 rises through it → bid(20200) = 20189.9;
 *   fee 40.3798; USD 79949.98 + 20189.9 − 40.3798 = 100099.5002.
 * - stop-loss sell at 19600 after the market buy: untouched by c1–c3 (lowest 19700); c4 OPENS at
 *   19500, below it → sells from the open: bid(19500) = 19490.25 → floor 19490.2; fee 38.9804;
 *   USD 79949.98 + 19490.2 − 38.9804 = 99401.1996.
 * - limit buy at 20100 (not post-only) is marketable on arrival (ask 20010 ≤ 20100): taker fill at
 *   the ask 20010, fee 40.02 — never at its own limit.
 *
 * Why these numbers: Kraken (and the fake exchange) round cost and fee to the pair's 5 cost
 * decimals and move USD in 4 decimals; the sim keeps them exact. With 1 BTC at a 0.1-tick price the
 * cost has ≤ 1 decimal, a 0.20 % or 0.10 % fee adds ≤ 3, so every figure above is exact at 4
 * decimals and both venues must agree to the last digit (docs/venues.md, "deliberate differences").
 */
export const SYMBOL = 'BTC/USD';
export const INTERVAL_MS = 5 * 60_000;
export const T0 = Date.UTC(2023, 2, 9, 0, 0);

const candle = (i: number, open: number, high: number, low: number, close: number): Candle => ({ tsOpen: T0 + i * INTERVAL_MS, open, high, low, close, volume: 10 });

export const CANDLES: readonly Candle[] = Object.freeze([
  candle(0, 20000, 20010, 19990, 20000),
  candle(1, 20000, 20100, 19900, 20050),
  candle(2, 20050, 20300, 20040, 20250),
  candle(3, 20250, 20260, 19700, 19750),
  candle(4, 19500, 19600, 19400, 19550),
]);

/** Spread in basis points (the fake's `spreadBps`) and as the sim's fraction. */
export const SPREAD_BPS = 10;
export const SPREAD = f('0.001');

/** The fee tier both venues must report and charge. */
export const FEES: FeeRatesPct = Object.freeze({ makerPct: f('0.10'), takerPct: f('0.20') });
/** 30-day volume that selects that tier on the fake exchange. */
export const VOLUME_30D_USD = '250000';

/** BTC/USD order rules as Kraken lists them. */
export const RULES: PairRules = Object.freeze({ lotDecimals: 8, pairDecimals: 1, orderMin: f('0.00005'), costMin: f('0.5'), tickSize: f('0.1') });

/** Starting balances, canonical asset codes. */
export const START_BALANCES: Readonly<Record<'USD' | 'BTC', string>> = Object.freeze({ USD: '100000', BTC: '0' });

/** Everything a harness needs to set a venue up for the flows. */
export interface ConformanceScript {
  readonly symbol: string;
  readonly intervalMs: number;
  /** `candles[0]` is consumed at setup (it sets the mark); flows step through the rest with `nextCandle`. */
  readonly candles: readonly Candle[];
  readonly spreadBps: number;
  readonly spread: typeof SPREAD;
  readonly fees: FeeRatesPct;
  readonly volume30dUsd: string;
  readonly rules: PairRules;
  readonly balances: Readonly<Record<'USD' | 'BTC', string>>;
}

export const SCRIPT: ConformanceScript = Object.freeze({
  symbol: SYMBOL,
  intervalMs: INTERVAL_MS,
  candles: CANDLES,
  spreadBps: SPREAD_BPS,
  spread: SPREAD,
  fees: FEES,
  volume30dUsd: VOLUME_30D_USD,
  rules: RULES,
  balances: START_BALANCES,
});
