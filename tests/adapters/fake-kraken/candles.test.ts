import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CandleDataError, candleAt, loadCandleFile, parseCandleCsv, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { BTC_FILE, ETH_FILE, SOL_FILE, pub, readFixture } from './support.ts';

// Candle input: the /work/shared/data format (header, gzip) and Kraken's official OHLCVT CSV
// (headerless, 7th column = trade count), with validation of corrupt data.

const FIVE_MIN = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'fake-kraken-candles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fixture slices (tests/fixtures/candles/README.md)', () => {
  it.each([
    [BTC_FILE, '2023-03-09T00:00:00.000Z', '2023-03-13T23:55:00.000Z'],
    [ETH_FILE, '2024-08-02T00:00:00.000Z', '2024-08-06T23:55:00.000Z'],
    [SOL_FILE, '2024-08-02T00:00:00.000Z', '2024-08-06T23:55:00.000Z'],
  ])('%s holds five gap-free days of 5-minute candles', (file, first, last) => {
    const candles = loadCandleFile(file, FIVE_MIN);
    expect(candles.length).toBe(5 * 288);
    expect(new Date(candles.tsOpenMs[0]!).toISOString()).toBe(first);
    expect(new Date(candles.tsOpenMs[candles.length - 1]!).toISOString()).toBe(last);
    expect(candles.trades.every((t) => t === -1)).toBe(true); // no trade counts in this format
  });
});

describe('Kraken OHLCVT format', () => {
  it('reads headerless plain CSV with a trades column, and uses the trade counts in OHLC rows', async () => {
    const rows = readFixture(BTC_FILE).slice(0, 730);
    // The fixture has no trade counts; give each candle a distinct one to see it come back.
    const text = rows.map((r, i) => [r.time, r.open, r.high, r.low, r.close, r.volume, 100 + i].join(',')).join('\n');
    const path = join(dir, 'XBTUSD_5.csv');
    writeFileSync(path, text);
    const parsed = loadCandleFile(path, FIVE_MIN);
    expect(candleAt(parsed, 5).trades).toBe(105);
    expect(candleAt(parsed, 5).close).toBe(BigInt(Math.round(Number(rows[5]!.close) * 10)) * 10n ** 17n);
    const k = await startFakeKraken({ markets: [{ pair: 'XBTUSD', candles: path }] });
    try {
      const ohlc = (await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5 })).result.XXBTZUSD as unknown[][];
      const committed = ohlc.at(-2)!;
      expect(committed[0]).toBe(rows[719]!.time);
      expect(committed[7]).toBe(100 + 719);
    } finally {
      await k.close();
    }
  });
});

describe('validation', () => {
  const header = 'time,open,high,low,close,volume';
  it.each([
    [`${header}\n300,1,2,0.5,1.5,1\n0,1,2,0.5,1.5,1`, /not after the previous one/],
    [`${header}\n301,1,2,0.5,1.5,1`, /not on the 5m grid/],
    [`${header}\n300,1,2,1.5,1.5,1`, /low ≤ open, close ≤ high/],
    [`${header}\n300,1,2,0.5,1.5,-1`, /volume "-1" is not a plain non-negative decimal/],
    [`${header}\n300,1,2,0.5,1.5,100000000`, /below 90,000,000/],
    [`${header}\n300,0,2,0,1.5,1`, /open 0 must be > 0/],
    [`${header}\n300,1,2,0.5,1.5`, /expected 6 or 7 columns/],
    [`date,o,h,l,c,v\n300,1,2,0.5,1.5,1`, /unknown header/],
    [`${header}\n300,1,x,0.5,1.5,1`, /high "x" is not a plain/],
    [header, /no candles/],
  ])('rejects corrupt data: %#', (text, message) => {
    expect(() => parseCandleCsv(text, FIVE_MIN, 'test.csv')).toThrow(CandleDataError);
    expect(() => parseCandleCsv(text, FIVE_MIN, 'test.csv')).toThrow(message);
  });

  it('names the file and line', () => {
    expect(() => parseCandleCsv(`${header}\n300,1,2,0.5,1.5,1\n600,1,2,3,1.5,1`, FIVE_MIN, 'x.csv')).toThrow(/^x\.csv:3: /);
  });

  it('snaps prices with more decimals than the pair allows onto its grid (e.g. Binance data as BTC/USD)', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    const candles = [0, 1].map((i) => ({ tsOpenMs: t0 + i * FIVE_MIN, open: '20000.06', high: '20000.1500000001', low: '20000.05', close: '20000.06', volume: '1.1234567850' }));
    const k = await startFakeKraken({ markets: [{ pair: 'BTC/USD', candles }], historyCandles: 1 });
    try {
      const row = ((await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5 })).result.XXBTZUSD as unknown[][])[0]!;
      // To 1 decimal, half-even: 20000.06 → 20000.1, the tie 20000.05 → 20000.0 (0 is even), and
      // 20000.1500000001 (just above the tie) → 20000.2. Volume to 8 decimals: 1.1234567850 is a
      // tie → 1.12345678 (8 is even).
      expect(row.slice(1, 5)).toEqual(['20000.1', '20000.2', '20000.0', '20000.1']);
      expect(row[6]).toBe('1.12345678');
    } finally {
      await k.close();
    }
  });
});
