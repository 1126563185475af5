/**
 * What a candle file's name says about its contents: venue, pair (base and quote) and
 * timeframe. Names follow /work/shared/data (`binance_BTCUSDT_5m_2022.csv.gz`) or Kraken's
 * downloadable OHLCVT archive (`XBTUSD_5.csv`, interval in minutes). Pure string parsing; hints
 * only — the rows decide, and mismatches are reported by the importer.
 */
import { basename } from 'node:path';
import type { Timeframe } from '../../domain/market/index.ts';

/** Hints read from a file name; every field is absent when the name does not say. */
export interface FileNameHints {
  /** Lower-case venue name when the name starts with a known one ('binance', 'kraken'). */
  readonly venue?: string;
  /** The pair token as written ('BTCUSDT', 'XBTUSD'). */
  readonly pairToken?: string;
  /** Base asset in the fund's naming (Kraken's XBT → BTC, XDG → DOGE). */
  readonly base?: string;
  /** Quote asset ('USD', 'USDT', 'EUR', …). */
  readonly quote?: string;
  /** The timeframe, when the name gives one the store holds. */
  readonly timeframe?: Timeframe;
  /** The timeframe token as written ('5m', '15m', '60'), also when it is not one the store holds. */
  readonly timeframeToken?: string;
}

const VENUES = ['binance', 'kraken', 'coinbase', 'bitstamp', 'bitfinex', 'okx', 'bybit', 'gemini'];
/** Longest first, so 'USDT' wins over 'USD'. */
const QUOTES = ['PYUSD', 'USDT', 'USDC', 'DAI', 'USD', 'EUR', 'GBP', 'CAD', 'JPY', 'CHF', 'AUD'];
const ALIASES: Readonly<Record<string, string>> = { XBT: 'BTC', XXBT: 'BTC', XDG: 'DOGE', XXDG: 'DOGE', XETH: 'ETH' };
const SUFFIX_TF: Readonly<Record<string, Timeframe>> = { '5m': '5m', '60m': '1h', '1h': '1h', '1d': '1d', '24h': '1d' };
const MINUTES_TF: Readonly<Record<string, Timeframe>> = { '5': '5m', '60': '1h', '1440': '1d' };

/** Reads the hints from `path`'s file name (directories and `.csv`/`.gz` extensions ignored). */
export function fileNameHints(path: string): FileNameHints {
  const stem = basename(path).replace(/(\.gz)?$/i, '').replace(/\.(csv|txt)$/i, '');
  const tokens = stem.split(/[_\-. ]+/).filter((t) => t.length > 0);
  const hints: { -readonly [K in keyof FileNameHints]: FileNameHints[K] } = {};
  const first = tokens[0]?.toLowerCase();
  if (first && VENUES.includes(first)) hints.venue = first;

  let pairAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const split = splitPair(tokens[i]!);
    if (split) {
      hints.pairToken = tokens[i]!;
      hints.base = split.base;
      hints.quote = split.quote;
      pairAt = i;
      break;
    }
  }
  const tfToken = tokens.find((t) => /^\d+[mhdw]$/i.test(t));
  if (tfToken) {
    hints.timeframeToken = tfToken;
    const tf = SUFFIX_TF[tfToken.toLowerCase()];
    if (tf) hints.timeframe = tf;
  } else if (pairAt >= 0 && /^\d+$/.test(tokens[pairAt + 1] ?? '')) {
    const minutes = tokens[pairAt + 1]!;
    hints.timeframeToken = minutes;
    const tf = MINUTES_TF[minutes];
    if (tf) hints.timeframe = tf;
  }
  return hints;
}

/** Splits 'BTCUSDT' into base 'BTC' and quote 'USDT' (also Kraken's 'XXBTZUSD'); undefined when no known quote ends it. */
function splitPair(token: string): { base: string; quote: string } | undefined {
  if (!/^[A-Z0-9]{4,20}$/.test(token) || /^\d+$/.test(token)) return undefined;
  const legacy = /^X([A-Z]{3,4})Z([A-Z]{3})$/.exec(token);
  if (legacy && QUOTES.includes(legacy[2]!)) return { base: ALIASES[legacy[1]!] ?? legacy[1]!, quote: legacy[2]! };
  for (const quote of QUOTES) {
    if (token.endsWith(quote) && token.length > quote.length) {
      const base = token.slice(0, -quote.length);
      return { base: ALIASES[base] ?? base, quote };
    }
  }
  return undefined;
}
