/**
 * Market specs for backtests: each pair's Kraken order rules and the spread the fill model
 * crosses. Live and paper modes get the rules from Kraken's AssetPairs; a backtest runs offline,
 * so it uses this table (values from live AssetPairs in 2026, as the fake exchange's catalogue)
 * and Kraken's generic USD-pair rules for pairs not listed.
 */
import { FALLBACK_SPREAD, type PairRules } from '../../domain/execution/index.ts';
import { type Fixed, fromString, toString } from '../../domain/money/index.ts';
import type { MarketSpec } from '../../domain/pipeline/index.ts';

const rules = (pairDecimals: number, orderMin: string, tickSize: string): PairRules =>
  Object.freeze({ lotDecimals: 8, pairDecimals, orderMin: fromString(orderMin), costMin: fromString('0.5'), tickSize: fromString(tickSize) });

/** Known pairs: XBTUSD 1 price decimal / ordermin 0.00005; ETHUSD 2 / 0.002; SOLUSD 2 / 0.06; all lot decimals 8, costmin 0.5 USD. */
export const KNOWN_PAIR_RULES: Readonly<Record<string, PairRules>> = Object.freeze({
  'BTC/USD': rules(1, '0.00005', '0.1'),
  'ETH/USD': rules(2, '0.002', '0.01'),
  'SOL/USD': rules(2, '0.06', '0.01'),
});

/**
 * Rules for a pair not in the table: 8 lot decimals, 5 price decimals, no minimum volume, the
 * 0.5 USD minimum cost Kraken applies to USD pairs. Permissive on purpose: an unknown pair's
 * minimums must not invent rejections.
 */
export const GENERIC_PAIR_RULES: PairRules = Object.freeze({ lotDecimals: 8, pairDecimals: 5, orderMin: 0n, costMin: fromString('0.5') });

/** The market specs for `symbols`: table rules (else generic) and `spreads[symbol]` (else the 0.1 % fallback). */
export function backtestMarkets(symbols: readonly string[], spreads: Readonly<Record<string, Fixed>> = {}): MarketSpec[] {
  return symbols.map((symbol) => ({ symbol, rules: KNOWN_PAIR_RULES[symbol] ?? GENERIC_PAIR_RULES, spread: spreads[symbol] ?? FALLBACK_SPREAD }));
}

/**
 * Parses `SYM=FRACTION,SYM=FRACTION` (e.g. "BTC/USD=0.0002,ETH/USD=0.0003"). Returns a reason
 * naming the bad entry; fractions must be in [0, 0.5).
 */
export function parseSpreads(text: string): { ok: true; spreads: Record<string, Fixed> } | { ok: false; reason: string } {
  const spreads: Record<string, Fixed> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([A-Z0-9]+\/[A-Z0-9]+)=(.+)$/.exec(part);
    if (!m) return { ok: false, reason: `--spread: expected SYMBOL=FRACTION (e.g. BTC/USD=0.0002), got ${JSON.stringify(part)}` };
    let value: Fixed;
    try {
      value = fromString(m[2]!);
    } catch {
      return { ok: false, reason: `--spread ${m[1]}: not a number: ${JSON.stringify(m[2])}` };
    }
    if (value < 0n || value >= fromString('0.5')) return { ok: false, reason: `--spread ${m[1]}: must be a fraction in [0, 0.5) (0.0002 = 2 bp), got ${toString(value)}` };
    spreads[m[1]!] = value;
  }
  return { ok: true, spreads };
}
