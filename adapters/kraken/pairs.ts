/**
 * Pair and asset names (reference/kraken.md §1). Kraken speaks three dialects: REST keys with
 * legacy X/Z prefixes (`XXBTZUSD`), prefix-free altnames (`XBTUSD`), WS v1 names (`XBT/USD`),
 * and WS v2 names (`BTC/USD`). Our canonical form is the WS v2 form: `BASE/QUOTE` with BTC (not
 * XBT) and DOGE (not XDG). Everything here is explicit tables plus a registry built from
 * AssetPairs; nothing is guessed from string shape beyond the documented prefix rules. Pure.
 */

/**
 * Legacy asset ids with an X (crypto) or Z (fiat) prefix, and the old tickers Kraken still uses
 * in altnames, mapped to our canonical codes. Explicit: a 4-letter code that merely starts with
 * X or Z (e.g. a new token) is NOT stripped.
 */
export const LEGACY_ASSETS: Readonly<Record<string, string>> = Object.freeze({
  XXBT: 'BTC',
  XBT: 'BTC',
  XXDG: 'DOGE',
  XDG: 'DOGE',
  XETH: 'ETH',
  XETC: 'ETC',
  XLTC: 'LTC',
  XXRP: 'XRP',
  XXLM: 'XLM',
  XXMR: 'XMR',
  XZEC: 'ZEC',
  XREP: 'REP',
  XMLN: 'MLN',
  XICN: 'ICN',
  XNMC: 'NMC',
  XXVN: 'XVN',
  ZUSD: 'USD',
  ZEUR: 'EUR',
  ZGBP: 'GBP',
  ZCAD: 'CAD',
  ZJPY: 'JPY',
  ZAUD: 'AUD',
  ZCHF: 'CHF',
  ZKRW: 'KRW',
});

/** Canonical codes back to Kraken's altname tickers where they differ (BTC → XBT, DOGE → XDG). */
export const ALTNAME_ASSETS: Readonly<Record<string, string>> = Object.freeze({ BTC: 'XBT', DOGE: 'XDG' });

/** Quote currencies recognised at the end of an altname, longest first. */
const QUOTES = ['USDT', 'USDC', 'PYUSD', 'USD', 'EUR', 'GBP', 'CAD', 'JPY', 'CHF', 'AUD', 'XBT', 'ETH', 'DAI', 'DOT', 'BTC'] as const;

/** Balance suffixes of read-only mirror balances (kraken.md §1): staked, rewards, yield, auto-earn, tokenized. */
export const BALANCE_SUFFIXES = ['.S', '.M', '.B', '.F', '.T'] as const;

/** An asset code split into its canonical base and Kraken's balance suffix (if any). */
export interface AssetCode {
  /** Canonical code: `BTC`, `USD`, `ETH2`. */
  readonly code: string;
  /** `.S`, `.M`, `.B`, `.F`, `.T`, or null for a tradable balance. */
  readonly suffix: string | null;
}

/** `XXBT` → BTC, `ZUSD` → USD, `XDG` → DOGE, `ETH2.S` → {ETH2, .S}, `SOL` → SOL. Pure. */
export function normaliseAsset(raw: string): AssetCode {
  const upper = raw.trim().toUpperCase();
  const suffix = BALANCE_SUFFIXES.find((s) => upper.endsWith(s)) ?? null;
  const base = suffix === null ? upper : upper.slice(0, -suffix.length);
  return { code: Object.hasOwn(LEGACY_ASSETS, base) ? LEGACY_ASSETS[base]! : base, suffix };
}

/** A pair's names in every dialect. */
export interface PairNames {
  /** Canonical and WS v2 name: `BTC/USD`. */
  readonly symbol: string;
  /** REST result key: `XXBTZUSD` (or `SOLUSD` for newer pairs). */
  readonly key: string;
  /** Prefix-free REST name: `XBTUSD`. */
  readonly altname: string;
  /** WS v1 name: `XBT/USD` (null when AssetPairs did not give one). */
  readonly wsname: string | null;
  readonly base: string;
  readonly quote: string;
}

/**
 * Canonical symbol for any Kraken pair spelling, without a registry: `BTC/USD`, `XBT/USD`,
 * `XBTUSD`, `XXBTZUSD`, `XDGUSD`, `XETHXXBT`, `SOLUSD`. Returns null when the name cannot be
 * split with the documented rules (use a `PairRegistry` built from AssetPairs for those). Pure.
 */
export function canonicalSymbol(name: string): string | null {
  const n = name.trim().toUpperCase();
  if (n.includes('/')) {
    const [b, q, extra] = n.split('/');
    if (extra !== undefined || !b || !q || !/^[A-Z0-9.]+$/.test(b) || !/^[A-Z0-9.]+$/.test(q)) return null;
    return `${normaliseAsset(b).code}/${normaliseAsset(q).code}`;
  }
  if (!/^[A-Z0-9]{4,20}$/.test(n)) return null;
  // Legacy 8-character keys: two prefixed 4-character ids (XXBTZUSD, XETHXXBT).
  if (n.length === 8) {
    const b = n.slice(0, 4);
    const q = n.slice(4);
    if (Object.hasOwn(LEGACY_ASSETS, b) && Object.hasOwn(LEGACY_ASSETS, q) && b.length === 4) {
      return `${LEGACY_ASSETS[b]}/${LEGACY_ASSETS[q]}`;
    }
  }
  for (const quote of QUOTES) {
    if (n.length > quote.length && n.endsWith(quote)) {
      let base = n.slice(0, -quote.length);
      // A Z-prefixed fiat quote after a legacy or 4+ character base: XXRPZUSD, USDTZUSD. A short
      // base that really ends in Z (XTZUSD = Tezos) is left alone.
      const stripped = base.slice(0, -1);
      if (base.endsWith('Z') && Object.hasOwn(LEGACY_ASSETS, `Z${quote}`) && (Object.hasOwn(LEGACY_ASSETS, stripped) || stripped.length >= 4)) {
        base = stripped;
      }
      return `${normaliseAsset(base).code}/${normaliseAsset(quote).code}`;
    }
  }
  return null;
}

/**
 * REST request name for a canonical symbol without a registry: the altname form Kraken accepts
 * (`BTC/USD` → `XBTUSD`, `DOGE/USD` → `XDGUSD`, `SOL/USD` → `SOLUSD`). Throws `RangeError` on a
 * symbol that is not `BASE/QUOTE` (programmer error: symbols are validated at config load).
 */
export function restPairName(symbol: string): string {
  const [b, q, extra] = symbol.split('/');
  if (extra !== undefined || !b || !q) throw new RangeError(`symbol must look like BASE/QUOTE, got ${JSON.stringify(symbol)}`);
  const alt = (code: string) => (Object.hasOwn(ALTNAME_ASSETS, code) ? ALTNAME_ASSETS[code]! : code);
  return `${alt(b.toUpperCase())}${alt(q.toUpperCase())}`;
}

/**
 * The explicit mapping table built from AssetPairs (`key`, `altname`, `wsname`, `base`, `quote`).
 * Lookups accept any dialect; misses fall back to the documented rules of `canonicalSymbol`.
 */
export interface PairRegistry {
  /** Canonical symbol for any spelling, or null when unknown and not derivable. */
  symbolOf(name: string): string | null;
  /** Names of a canonical symbol, or null when AssetPairs did not list it. */
  namesOf(symbol: string): PairNames | null;
  /** REST request name for a canonical symbol: the AssetPairs key when known, else the altname rule. */
  restName(symbol: string): string;
  /** Every registered pair. */
  all(): readonly PairNames[];
}

/** Builds a registry from AssetPairs entries (any later entry for the same symbol wins). Pure. */
export function createPairRegistry(entries: Iterable<{ key: string; altname: string; wsname: string | null; base: string; quote: string }>): PairRegistry {
  const bySymbol = new Map<string, PairNames>();
  const byName = new Map<string, string>();
  for (const e of entries) {
    const base = normaliseAsset(e.base).code;
    const quote = normaliseAsset(e.quote).code;
    const names: PairNames = { symbol: `${base}/${quote}`, key: e.key, altname: e.altname, wsname: e.wsname, base, quote };
    bySymbol.set(names.symbol, names);
    for (const n of [e.key, e.altname, e.wsname, names.symbol]) if (n) byName.set(n.toUpperCase(), names.symbol);
  }
  return {
    symbolOf(name) {
      return byName.get(name.trim().toUpperCase()) ?? canonicalSymbol(name);
    },
    namesOf(symbol) {
      return bySymbol.get(symbol) ?? null;
    },
    restName(symbol) {
      return bySymbol.get(symbol)?.key ?? restPairName(symbol);
    },
    all() {
      return [...bySymbol.values()];
    },
  };
}
