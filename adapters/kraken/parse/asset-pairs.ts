/** Parser for AssetPairs results (kraken.md §4 AssetPairs). Pure. */
import type { Json } from '../json.ts';
import { normaliseAsset } from '../pairs.ts';
import type { AssetPairInfo, FeeTier } from '../types.ts';
import { arr, at, count, field, fail, keysOf, nonNegative, obj, opt, str, text } from './read.ts';

/** Reads a fee schedule `[[volume, percent], …]`; volumes must ascend. */
export function parseFeeSchedule(value: Json | undefined, path: string): FeeTier[] {
  if (value === undefined) return [];
  const tiers = arr(value, path).map((row, i) => {
    const p = at(path, i);
    const pair = arr(row, p, 2);
    return { volumeUsd: nonNegative(pair[0], at(p, 0)), pct: nonNegative(pair[1], at(p, 1)) };
  });
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]!.volumeUsd <= tiers[i - 1]!.volumeUsd) fail(at(path, i), 'fee tier volumes must be strictly ascending');
  }
  return tiers;
}

function decimals(o: Record<string, Json>, key: string, path: string): number {
  const n = count(field(o, key, path), at(path, key));
  if (n > 18) fail(at(path, key), `decimals must be 0..18, got ${n}`);
  return n;
}

/** One AssetPairs entry under its canonical key. */
export function parseAssetPair(key: string, value: Json, path: string): AssetPairInfo {
  const o = obj(value, path);
  const baseId = text(field(o, 'base', path), at(path, 'base'), 32);
  const quoteId = text(field(o, 'quote', path), at(path, 'quote'), 32);
  const ws = opt(o, 'wsname');
  const optDecimal = (k: string) => {
    const v = opt(o, k);
    return v === undefined ? null : nonNegative(v, at(path, k));
  };
  return {
    key,
    altname: text(field(o, 'altname', path), at(path, 'altname'), 64),
    wsname: ws === undefined ? null : text(ws, at(path, 'wsname'), 64),
    symbol: `${normaliseAsset(baseId).code}/${normaliseAsset(quoteId).code}`,
    baseId,
    quoteId,
    pairDecimals: decimals(o, 'pair_decimals', path),
    costDecimals: decimals(o, 'cost_decimals', path),
    lotDecimals: decimals(o, 'lot_decimals', path),
    orderMin: optDecimal('ordermin'),
    costMin: optDecimal('costmin'),
    tickSize: optDecimal('tick_size'),
    status: opt(o, 'status') === undefined ? null : str(o['status'], at(path, 'status')),
    takerFees: parseFeeSchedule(opt(o, 'fees'), at(path, 'fees')),
    makerFees: parseFeeSchedule(opt(o, 'fees_maker'), at(path, 'fees_maker')),
  };
}

/** The AssetPairs result object → entries in document order. */
export function parseAssetPairs(result: Json, path: string): AssetPairInfo[] {
  const o = obj(result, path);
  return keysOf(o).map((key) => parseAssetPair(key, o[key]!, at(path, key)));
}
