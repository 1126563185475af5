import { describe, expect, it } from 'vitest';
import { canonicalSymbol, createPairRegistry, normaliseAsset, restPairName } from '../../../adapters/kraken/index.ts';

describe('pair and asset names (kraken.md §1)', () => {
  it.each([
    ['BTC/USD', 'BTC/USD'],
    ['XBT/USD', 'BTC/USD'],
    ['XBTUSD', 'BTC/USD'],
    ['XXBTZUSD', 'BTC/USD'],
    ['XDGUSD', 'DOGE/USD'],
    ['XDG/USD', 'DOGE/USD'],
    ['XETHZUSD', 'ETH/USD'],
    ['XETHXXBT', 'ETH/BTC'],
    ['ETHXBT', 'ETH/BTC'],
    ['XXRPZUSD', 'XRP/USD'],
    ['SOLUSD', 'SOL/USD'],
    ['ADAUSD', 'ADA/USD'],
    ['USDTZUSD', 'USDT/USD'],
    ['XTZUSD', 'XTZ/USD'],
    ['DOTUSDT', 'DOT/USDT'],
    ['xbtusd', 'BTC/USD'],
  ])('%s → %s', (name, symbol) => {
    expect(canonicalSymbol(name)).toBe(symbol);
  });

  it('returns null for names it cannot split', () => {
    expect(canonicalSymbol('')).toBeNull();
    expect(canonicalSymbol('A/B/C')).toBeNull();
    expect(canonicalSymbol('FOOBAR')).toBeNull();
    expect(canonicalSymbol('last')).toBeNull();
  });

  it('REST request names use the altname tickers', () => {
    expect(restPairName('BTC/USD')).toBe('XBTUSD');
    expect(restPairName('DOGE/USD')).toBe('XDGUSD');
    expect(restPairName('SOL/USD')).toBe('SOLUSD');
    expect(() => restPairName('BTCUSD')).toThrow(RangeError);
  });

  it('normalises asset codes and keeps read-only balance suffixes apart', () => {
    expect(normaliseAsset('XXBT')).toEqual({ code: 'BTC', suffix: null });
    expect(normaliseAsset('ZUSD')).toEqual({ code: 'USD', suffix: null });
    expect(normaliseAsset('XXDG')).toEqual({ code: 'DOGE', suffix: null });
    expect(normaliseAsset('ETH2.S')).toEqual({ code: 'ETH2', suffix: '.S' });
    expect(normaliseAsset('USD.M')).toEqual({ code: 'USD', suffix: '.M' });
    expect(normaliseAsset('XBT.F')).toEqual({ code: 'BTC', suffix: '.F' });
    expect(normaliseAsset('ZEUS')).toEqual({ code: 'ZEUS', suffix: null }); // not a legacy id: kept
  });

  it('a registry built from AssetPairs maps every dialect and prefers the canonical key', () => {
    const reg = createPairRegistry([{ key: 'XXBTZUSD', altname: 'XBTUSD', wsname: 'XBT/USD', base: 'XXBT', quote: 'ZUSD' }]);
    for (const n of ['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD']) expect(reg.symbolOf(n)).toBe('BTC/USD');
    expect(reg.restName('BTC/USD')).toBe('XXBTZUSD');
    expect(reg.restName('ETH/USD')).toBe('ETHUSD');
    expect(reg.namesOf('BTC/USD')?.wsname).toBe('XBT/USD');
    expect(reg.symbolOf('SOLUSD')).toBe('SOL/USD'); // fallback rules
  });
});
