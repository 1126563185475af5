/**
 * Parser for TradeVolume results (kraken.md §5): `fees` = taker, `fees_maker` = maker, percent
 * units; `nextfee`/`nextvolume` are null at the best tier. Field names have no underscores in
 * real responses; the `min_fee` spelling of one schema block is accepted too. Pure.
 */
import type { Json, JsonObject } from '../json.ts';
import { canonicalSymbol } from '../pairs.ts';
import type { PairFeeInfo, TradeVolumeInfo } from '../types.ts';
import { at, field, keysOf, nonNegative, obj, opt, text } from './read.ts';

function optFee(o: JsonObject, keys: readonly string[], path: string) {
  for (const k of keys) {
    const v = opt(o, k);
    if (v !== undefined) return nonNegative(v, at(path, k));
  }
  return null;
}

function feeTable(value: Json | undefined, path: string): PairFeeInfo[] {
  if (value === undefined) return [];
  const o = obj(value, path);
  return keysOf(o).map((key) => {
    const p = at(path, key);
    const e = obj(o[key], p);
    return {
      key,
      symbol: canonicalSymbol(key),
      fee: nonNegative(field(e, 'fee', p), at(p, 'fee')),
      minFee: optFee(e, ['minfee', 'min_fee'], p),
      maxFee: optFee(e, ['maxfee', 'max_fee'], p),
      nextFee: optFee(e, ['nextfee', 'next_fee'], p),
      nextVolume: optFee(e, ['nextvolume', 'next_volume'], p),
      tierVolume: optFee(e, ['tiervolume', 'tier_volume'], p),
    };
  });
}

/** The TradeVolume result → TradeVolumeInfo. */
export function parseTradeVolume(result: Json, path: string): TradeVolumeInfo {
  const o = obj(result, path);
  return {
    currency: text(field(o, 'currency', path), at(path, 'currency'), 16),
    volume: nonNegative(field(o, 'volume', path), at(path, 'volume')),
    takerFees: feeTable(opt(o, 'fees'), at(path, 'fees')),
    makerFees: feeTable(opt(o, 'fees_maker'), at(path, 'fees_maker')),
  };
}
