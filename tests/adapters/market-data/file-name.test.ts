import { describe, expect, it } from 'vitest';
import { fileNameHints } from '../../../adapters/market-data/index.ts';

describe('fileNameHints', () => {
  it('reads the /work/shared/data naming', () => {
    expect(fileNameHints('/work/shared/data/binance_BTCUSDT_5m_2022.csv.gz')).toEqual({
      venue: 'binance',
      pairToken: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      timeframe: '5m',
      timeframeToken: '5m',
    });
    expect(fileNameHints('kraken_ETHUSD_1h_2015-2023.csv.gz')).toMatchObject({ venue: 'kraken', base: 'ETH', quote: 'USD', timeframe: '1h' });
    expect(fileNameHints('binance_SOLUSDT_1d_2020-2022.csv')).toMatchObject({ base: 'SOL', quote: 'USDT', timeframe: '1d' });
  });

  it("reads Kraken's OHLCVT archive naming (interval in minutes, XBT/XDG aliases)", () => {
    expect(fileNameHints('XBTUSD_5.csv')).toEqual({ pairToken: 'XBTUSD', base: 'BTC', quote: 'USD', timeframe: '5m', timeframeToken: '5' });
    expect(fileNameHints('data/ETHUSD_60.csv')).toMatchObject({ base: 'ETH', quote: 'USD', timeframe: '1h' });
    expect(fileNameHints('XDGUSD_1440.csv')).toMatchObject({ base: 'DOGE', quote: 'USD', timeframe: '1d' });
    expect(fileNameHints('XXBTZUSD_5.csv')).toMatchObject({ base: 'BTC', quote: 'USD' });
    expect(fileNameHints('XBTUSDT_5.csv')).toMatchObject({ base: 'BTC', quote: 'USDT' });
  });

  it('keeps timeframes the store does not hold as a token only, and says nothing when the name is silent', () => {
    expect(fileNameHints('XBTUSD_15.csv')).toEqual({ pairToken: 'XBTUSD', base: 'BTC', quote: 'USD', timeframeToken: '15' });
    expect(fileNameHints('binance_BTCUSDT_15m.csv')).toMatchObject({ timeframeToken: '15m' });
    expect(fileNameHints('binance_BTCUSDT_15m.csv').timeframe).toBeUndefined();
    expect(fileNameHints('candles.csv')).toEqual({});
    expect(fileNameHints('2024.csv.gz')).toEqual({});
  });
});
