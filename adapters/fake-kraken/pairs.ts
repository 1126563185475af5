import { type Fixed, fromString } from '../../domain/money/index.ts';

/**
 * The instrument catalogue of the fake exchange: assets and pairs with Kraken's three naming
 * dialects (reference/kraken.md §1) and their precisions and minimums (values as the live
 * AssetPairs/Assets endpoints returned them in 2026 third-party captures). Pure data.
 */

/** One asset as `/0/public/Assets` describes it. */
export interface AssetSpec {
  /** Kraken asset id used as balance key (`XXBT`, `ZUSD`, `SOL`). */
  readonly id: string;
  /** Prefix-free REST name (`XBT`, `USD`). */
  readonly altname: string;
  /** WS v2 code (`BTC`, `USD`). */
  readonly wsCode: string;
  /** Ledger precision: balances move in these units. */
  readonly decimals: number;
  readonly displayDecimals: number;
}

/** A fee tier: from `volumeUsd` of 30-day volume on, `pct` percent (0.4 = 0.40 %). */
export interface FeeTier {
  readonly volumeUsd: number;
  readonly pct: Fixed;
}

/** One tradable pair. */
export interface PairSpec {
  /** Canonical REST id (`XXBTZUSD`, `SOLUSD`): the key of every REST result. */
  readonly key: string;
  /** Prefix-free name (`XBTUSD`). */
  readonly altname: string;
  /** WS v1 name (`XBT/USD`), as AssetPairs `wsname`. */
  readonly wsname: string;
  /** WS v2 symbol (`BTC/USD`). */
  readonly symbol: string;
  readonly base: AssetSpec;
  readonly quote: AssetSpec;
  /** Price decimals (also the book checksum price precision). */
  readonly pairDecimals: number;
  /** Cost (quote) decimals. */
  readonly costDecimals: number;
  /** Volume decimals (also the book checksum qty precision). */
  readonly lotDecimals: number;
  /** Minimum order volume, base units. */
  readonly ordermin: Fixed;
  /** Minimum order cost, quote units. */
  readonly costmin: Fixed;
  /** Minimum price increment. */
  readonly tickSize: Fixed;
  /** Taker schedule (AssetPairs `fees`). */
  readonly feesTaker: readonly FeeTier[];
  /** Maker schedule (AssetPairs `fees_maker`). */
  readonly feesMaker: readonly FeeTier[];
  readonly leverageBuy: readonly number[];
  readonly leverageSell: readonly number[];
  readonly longPositionLimit: number;
  readonly shortPositionLimit: number;
}

/** Assets known to the fake exchange (values from live `/0/public/Assets`). */
export const ASSETS: Readonly<Record<string, AssetSpec>> = Object.freeze({
  XXBT: { id: 'XXBT', altname: 'XBT', wsCode: 'BTC', decimals: 10, displayDecimals: 5 },
  XETH: { id: 'XETH', altname: 'ETH', wsCode: 'ETH', decimals: 10, displayDecimals: 5 },
  SOL: { id: 'SOL', altname: 'SOL', wsCode: 'SOL', decimals: 10, displayDecimals: 5 },
  ZUSD: { id: 'ZUSD', altname: 'USD', wsCode: 'USD', decimals: 4, displayDecimals: 2 },
});

function tiers(rows: ReadonlyArray<readonly [number, string]>): FeeTier[] {
  return rows.map(([volumeUsd, pct]) => ({ volumeUsd, pct: fromString(pct) }));
}

/** Kraken Pro crypto taker schedule, reference/kraken.md §9. */
export const KRAKEN_TAKER_TIERS: readonly FeeTier[] = tiers([
  [0, '0.40'],
  [10_000, '0.35'],
  [50_000, '0.24'],
  [100_000, '0.22'],
  [250_000, '0.20'],
  [500_000, '0.18'],
  [1_000_000, '0.16'],
  [2_500_000, '0.14'],
  [5_000_000, '0.12'],
  [10_000_000, '0.10'],
  [100_000_000, '0.08'],
  [500_000_000, '0.05'],
]);

/** Kraken Pro crypto maker schedule, reference/kraken.md §9. */
export const KRAKEN_MAKER_TIERS: readonly FeeTier[] = tiers([
  [0, '0.25'],
  [10_000, '0.20'],
  [50_000, '0.14'],
  [100_000, '0.12'],
  [250_000, '0.10'],
  [500_000, '0.08'],
  [1_000_000, '0.06'],
  [2_500_000, '0.04'],
  [5_000_000, '0.02'],
  [10_000_000, '0.00'],
]);

function pair(p: {
  key: string;
  altname: string;
  wsname: string;
  symbol: string;
  base: string;
  quote: string;
  pairDecimals: number;
  ordermin: string;
  tickSize: string;
  longPositionLimit: number;
  shortPositionLimit: number;
}): PairSpec {
  return Object.freeze({
    key: p.key,
    altname: p.altname,
    wsname: p.wsname,
    symbol: p.symbol,
    base: ASSETS[p.base]!,
    quote: ASSETS[p.quote]!,
    pairDecimals: p.pairDecimals,
    costDecimals: 5,
    lotDecimals: 8,
    ordermin: fromString(p.ordermin),
    costmin: fromString('0.5'),
    tickSize: fromString(p.tickSize),
    feesTaker: KRAKEN_TAKER_TIERS,
    feesMaker: KRAKEN_MAKER_TIERS,
    leverageBuy: [2, 3, 4, 5],
    leverageSell: [2, 3, 4, 5],
    longPositionLimit: p.longPositionLimit,
    shortPositionLimit: p.shortPositionLimit,
  });
}

/**
 * The pairs the fake exchange can list, keyed by WS v2 symbol. Precisions and minimums from live
 * AssetPairs captures (2026): XBTUSD 1 price decimal / ordermin 0.00005, ETHUSD 2 / 0.002,
 * SOLUSD 2 / 0.06; all cost_decimals 5, lot_decimals 8, costmin 0.5.
 */
export const KNOWN_PAIRS: Readonly<Record<string, PairSpec>> = Object.freeze({
  'BTC/USD': pair({
    key: 'XXBTZUSD',
    altname: 'XBTUSD',
    wsname: 'XBT/USD',
    symbol: 'BTC/USD',
    base: 'XXBT',
    quote: 'ZUSD',
    pairDecimals: 1,
    ordermin: '0.00005',
    tickSize: '0.1',
    longPositionLimit: 350,
    shortPositionLimit: 250,
  }),
  'ETH/USD': pair({
    key: 'XETHZUSD',
    altname: 'ETHUSD',
    wsname: 'ETH/USD',
    symbol: 'ETH/USD',
    base: 'XETH',
    quote: 'ZUSD',
    pairDecimals: 2,
    ordermin: '0.002',
    tickSize: '0.01',
    longPositionLimit: 4000,
    shortPositionLimit: 3000,
  }),
  'SOL/USD': pair({
    key: 'SOLUSD',
    altname: 'SOLUSD',
    wsname: 'SOL/USD',
    symbol: 'SOL/USD',
    base: 'SOL',
    quote: 'ZUSD',
    pairDecimals: 2,
    ordermin: '0.06',
    tickSize: '0.01',
    longPositionLimit: 37000,
    shortPositionLimit: 24000,
  }),
});

/**
 * Finds a pair by any REST spelling Kraken accepts: canonical id (`XXBTZUSD`), altname
 * (`XBTUSD`), v1 wsname (`XBT/USD`) or v2 symbol (`BTC/USD`); case-insensitive. Returns
 * `undefined` when none matches.
 */
export function findPairByRestName(pairs: readonly PairSpec[], name: string): PairSpec | undefined {
  const n = name.trim().toUpperCase();
  return pairs.find((p) => p.key === n || p.altname === n || p.wsname === n || p.symbol === n);
}

/** Finds a pair by its WS v2 symbol only (exact, as Kraken's v2 is: `XBT/USD` is refused). */
export function findPairBySymbol(pairs: readonly PairSpec[], symbol: string): PairSpec | undefined {
  return pairs.find((p) => p.symbol === symbol);
}

/** The tier in force for a 30-day USD volume: the last tier whose threshold is ≤ volume. */
export function tierFor(schedule: readonly FeeTier[], volumeUsd: Fixed): { index: number; tier: FeeTier } {
  let index = 0;
  for (let i = 0; i < schedule.length; i++) {
    if (fromString(String(schedule[i]!.volumeUsd)) <= volumeUsd) index = i;
  }
  return { index, tier: schedule[index]! };
}
