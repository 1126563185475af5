/** The candle repository methods added for market-data maintenance, import and status. */
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../../../adapters/libsql/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { freshStore } from './support.ts';

const T0 = Date.UTC(2024, 0, 1);
const M5 = 300_000;
const c = (k: number, close = 100): Candle => ({ tsOpen: T0 + k * M5, open: close, high: close + 1, low: close - 1, close, volume: 2 });

function seeded() {
  const repos = createRepositories(freshStore().db);
  repos.candles.upsertMany('BTC/USD', '5m', [0, 1, 2, 5, 6].map((k) => c(k)));
  repos.candles.upsertMany('ETH/USD', '5m', [0, 1, 2].map((k) => c(k, 3000)));
  repos.candles.upsertMany('BTC/USD', '1h', [c(0, 50)]);
  return repos;
}

describe('candles: range helpers', () => {
  it('timestamps lists tsOpen in [from, to) of one series, oldest first', () => {
    const { candles } = seeded();
    expect(candles.timestamps('BTC/USD', '5m', T0, T0 + 100 * M5)).toEqual([0, 1, 2, 5, 6].map((k) => T0 + k * M5));
    expect(candles.timestamps('BTC/USD', '5m', T0 + M5, T0 + 5 * M5)).toEqual([T0 + M5, T0 + 2 * M5]); // end exclusive
    expect(candles.timestamps('SOL/USD', '5m', 0, T0 * 2)).toEqual([]);
    expect(candles.timestamps('BTC/USD', '1h', 0, T0 * 2)).toEqual([T0]);
  });

  it('countRange counts one series in [from, to)', () => {
    const { candles } = seeded();
    expect(candles.countRange('BTC/USD', '5m', T0, T0 + 6 * M5)).toBe(4);
    expect(candles.countRange('BTC/USD', '5m', T0 + 6 * M5, T0 + 7 * M5)).toBe(1);
    expect(candles.countRange('ETH/USD', '5m', T0, T0 + 6 * M5)).toBe(3);
    expect(candles.countRange('ETH/USD', '1d', T0, T0 + 6 * M5)).toBe(0);
  });

  it('deleteRange deletes one series in [from, to) and leaves other symbols and tiers alone', () => {
    const { candles } = seeded();
    expect(candles.deleteRange('BTC/USD', '5m', T0, T0 + 5 * M5)).toBe(3);
    expect(candles.timestamps('BTC/USD', '5m', 0, T0 * 2)).toEqual([T0 + 5 * M5, T0 + 6 * M5]);
    expect(candles.count('ETH/USD', '5m')).toBe(3);
    expect(candles.count('BTC/USD', '1h')).toBe(1);
    expect(candles.deleteRange('BTC/USD', '5m', T0, T0 + 5 * M5)).toBe(0);
  });

  it('refuses non-integer bounds', () => {
    const { candles } = seeded();
    expect(() => candles.timestamps('BTC/USD', '5m', 0.5, 1)).toThrow(/fromMs/);
    expect(() => candles.countRange('BTC/USD', '5m', 0, Number.NaN)).toThrow(/toMs/);
    expect(() => candles.deleteRange('BTC/USD', '5m', 0, 1.5)).toThrow(/toMs/);
  });
});

describe('candles: upsertMany in bulk (multi-row statements of 250, then row by row)', () => {
  const many = (n: number, offset = 0): Candle[] =>
    Array.from({ length: n }, (_, k) => {
      // Awkward doubles (not short decimals) to check REAL round-trips bit-exactly through the bulk path.
      const close = 100 + (k + offset) / 7;
      return { tsOpen: T0 + k * M5, open: close, high: close + Math.PI, low: close / 3, close, volume: (k + 1) / 9 };
    });

  it('writes 601 candles (two bulk statements and a tail) exactly, and overwrites on a second pass', () => {
    const repos = createRepositories(freshStore().db);
    expect(repos.candles.upsertMany('BTC/USD', '5m', many(601))).toBe(601);
    expect(repos.candles.range('BTC/USD', '5m', 0, T0 * 2)).toEqual(many(601));
    expect(repos.candles.upsertMany('BTC/USD', '5m', many(601, 5))).toBe(601);
    expect(repos.candles.range('BTC/USD', '5m', 0, T0 * 2)).toEqual(many(601, 5));
  });

  it('writes nothing when a candle in a bulk statement or in the tail is impossible or non-finite', () => {
    const repos = createRepositories(freshStore().db);
    const bulkBad = many(600);
    bulkBad[300] = { ...bulkBad[300]!, low: bulkBad[300]!.high + 1 }; // low > high: refused by the CHECK
    expect(() => repos.candles.upsertMany('BTC/USD', '5m', bulkBad)).toThrow(/CHECK constraint failed/);
    const tailBad = many(600);
    tailBad[590] = { ...tailBad[590]!, volume: Number.NaN };
    expect(() => repos.candles.upsertMany('BTC/USD', '5m', tailBad)).toThrow(/non-finite value/);
    const bulkNaN = many(600);
    bulkNaN[10] = { ...bulkNaN[10]!, open: Number.POSITIVE_INFINITY };
    expect(() => repos.candles.upsertMany('BTC/USD', '5m', bulkNaN)).toThrow(/non-finite value/);
    expect(repos.candles.count('BTC/USD', '5m')).toBe(0);
  });
});
