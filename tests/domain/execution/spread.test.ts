import { describe, expect, it } from 'vitest';
import { FALLBACK_SPREAD, candleRangeSpread, createSpreadBook, observeQuote, spreadFor } from '../../../domain/execution/index.ts';
import { candle, d } from './helpers.ts';

describe('spread estimates', () => {
  it('uses the 0.001 fallback until enough quotes arrive, then the rolling median', () => {
    let book = createSpreadBook({ window: 3, minSamples: 2 });
    expect(spreadFor(book, 'BTC/USD')).toBe(FALLBACK_SPREAD);
    expect(FALLBACK_SPREAD).toBe(d('0.001'));
    // bid 99.95 / ask 100.05: (0.1) / 100 = 0.001
    book = observeQuote(book, 'BTC/USD', d('99.95'), d('100.05'));
    expect(spreadFor(book, 'BTC/USD')).toBe(FALLBACK_SPREAD); // 1 sample < minSamples 2
    // bid 99 / ask 101: 2 / 100 = 0.02; median of {0.001, 0.02} = 0.0105
    book = observeQuote(book, 'BTC/USD', d('99'), d('101'));
    expect(spreadFor(book, 'BTC/USD')).toBe(d('0.0105'));
    // bid 100 / ask 100.02: 0.02 / 100.01 = 0.00019998000199980002 (18 dp, half-even)
    book = observeQuote(book, 'BTC/USD', d('100'), d('100.02'));
    expect(spreadFor(book, 'BTC/USD')).toBe(d('0.001')); // median of three
    // window 3: the first sample (0.001) drops out → {0.02, 0.00019998…, 0.0004} → median 0.0004
    book = observeQuote(book, 'BTC/USD', d('99.98'), d('100.02'));
    expect(spreadFor(book, 'BTC/USD')).toBe(d('0.0004'));
    // symbols are independent
    expect(spreadFor(book, 'ETH/USD')).toBe(FALLBACK_SPREAD);
  });

  it('ignores crossed quotes and rejects corrupt ones', () => {
    const book = createSpreadBook();
    expect(observeQuote(book, 'BTC/USD', d('101'), d('100'))).toBe(book);
    expect(() => observeQuote(book, 'BTC/USD', 0n, d('1'))).toThrow(/bid must be > 0/);
    expect(() => createSpreadBook({ window: 5, minSamples: 6 })).toThrow(/minSamples/);
  });

  it('reproduces the predecessor SymbolData range proxy: median (high − low)/close', () => {
    // ranges/close: 2/100 = 0.02, 1/100 = 0.01, 4/100 = 0.04 → median 0.02
    const cs = [candle(100, 101, 99, 100), candle(100, 100.5, 99.5, 100), candle(100, 102, 98, 100)];
    expect(candleRangeSpread(cs, { minSamples: 3 })).toBe(d('0.02'));
    expect(candleRangeSpread(cs)).toBe(FALLBACK_SPREAD); // default needs 10 candles
    // window 2 keeps the last two: {0.01, 0.04} → 0.025
    expect(candleRangeSpread(cs, { window: 2, minSamples: 2 })).toBe(d('0.025'));
  });
});
