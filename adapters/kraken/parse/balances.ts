/** Parsers for Balance, BalanceEx and TradeBalance results (kraken.md §5). Pure. */
import type { Json } from '../json.ts';
import { normaliseAsset } from '../pairs.ts';
import type { BalanceEntry, ExtendedBalanceEntry, TradeBalanceInfo } from '../types.ts';
import { at, decimal, field, keysOf, nonNegative, obj, opt } from './read.ts';

/** `{ "ZUSD": "171288.6158", "ETH2.S": "198.39708", … }` → entries in document order. */
export function parseBalance(result: Json, path: string): BalanceEntry[] {
  const o = obj(result, path);
  return keysOf(o).map((assetId) => {
    const { code, suffix } = normaliseAsset(assetId);
    return { assetId, asset: code, suffix, amount: decimal(o[assetId], at(path, assetId)) };
  });
}

/**
 * `{ "ZUSD": { balance, hold_trade, credit?, credit_used? } }` (strings or numbers) → entries
 * with `available = balance + credit − credit_used − hold_trade`.
 */
export function parseBalanceEx(result: Json, path: string): ExtendedBalanceEntry[] {
  const o = obj(result, path);
  return keysOf(o).map((assetId) => {
    const p = at(path, assetId);
    const e = obj(o[assetId], p);
    const { code, suffix } = normaliseAsset(assetId);
    const balance = decimal(field(e, 'balance', p), at(p, 'balance'));
    const holdTrade = nonNegative(field(e, 'hold_trade', p), at(p, 'hold_trade'));
    const creditRaw = opt(e, 'credit');
    const usedRaw = opt(e, 'credit_used');
    const credit = creditRaw === undefined ? 0n : nonNegative(creditRaw, at(p, 'credit'));
    const creditUsed = usedRaw === undefined ? 0n : nonNegative(usedRaw, at(p, 'credit_used'));
    return { assetId, asset: code, suffix, balance, holdTrade, credit, creditUsed, available: balance + credit - creditUsed - holdTrade };
  });
}

/** `{eb, tb, m, n, c, v, e, mf, ml?, uv?}` → TradeBalanceInfo. */
export function parseTradeBalance(result: Json, path: string): TradeBalanceInfo {
  const o = obj(result, path);
  const req = (k: string) => decimal(field(o, k, path), at(path, k));
  const optional = (k: string) => {
    const v = opt(o, k);
    return v === undefined ? null : decimal(v, at(path, k));
  };
  return {
    equivalentBalance: req('eb'),
    tradeBalance: req('tb'),
    margin: req('m'),
    unrealisedPnl: req('n'),
    cost: req('c'),
    valuation: req('v'),
    equity: req('e'),
    freeMargin: req('mf'),
    marginLevel: optional('ml'),
    unexecutedValue: optional('uv'),
  };
}
