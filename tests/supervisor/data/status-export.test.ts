import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../../adapters/libsql/index.ts';
import { dataStatus, exportCandles, formatDataStatus, importCandleFiles, parseDateArg, rollupRecord, runMaintenance } from '../../../supervisor/data/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { fixture, tempDir } from '../../adapters/market-data/support.ts';

const NOW = Date.UTC(2024, 0, 3);
async function seeded(): Promise<Repositories> {
  const r = createRepositories(freshStore().db);
  for (const [files, symbol] of [
    [[fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz')], 'BTC/USD'],
    [[fixture('binance_SOLUSDT_5m_2023-12-30.csv.gz'), fixture('binance_SOLUSDT_5m_2024-01-01.csv.gz')], 'SOL/USD'],
    [[fixture('ETHUSD_5.csv')], 'ETH/USD'],
  ] as const) {
    const outcome = await importCandleFiles(r, { files, symbol }, NOW);
    if (!outcome.ok) throw new Error(outcome.problems.join('\n'));
  }
  return r;
}

describe('dataStatus', () => {
  it('reports coverage, gaps and sources per series', async () => {
    const r = await seeded();
    const status = dataStatus(r);
    expect(status.series.map((s) => [s.symbol, s.timeframe, s.count, s.slots, s.gaps, s.missing, s.sources])).toEqual([
      ['BTC/USD', '5m', 272, 288, 1, 16, ['binance (USDT→USD)']],
      ['ETH/USD', '5m', 96, 96, 0, 0, ['kraken']],
      ['SOL/USD', '5m', 576, 864, 1, 288, ['binance (USDT→USD)']],
    ]);
    expect(status.series[2]!.largestGaps).toEqual([{ fromMs: Date.UTC(2023, 11, 31), toMs: Date.UTC(2024, 0, 1), missing: 288 }]);
    expect(status.lastMaintenanceAt).toBeUndefined();
    const lines = formatDataStatus(status);
    expect(lines[0]).toMatch(/^symbol\s+tier\s+first candle \(UTC\)\s+last candle \(UTC\)\s+candles\s+coverage\s+gaps\s+missing\s+sources$/);
    expect(lines[1]).toMatch(/^BTC\/USD\s+5m\s+2023-03-24 00:00\s+2023-03-24 23:55\s+272\s+94\.44%\s+1\s+16\s+binance \(USDT→USD\)$/); // 272 / 288
    expect(lines[2]).toBe('  largest gaps: 2023-03-24 12:40 .. 2023-03-24 13:55 (16 missing)');
    expect(lines).toContain('  largest gaps: 2023-12-31 00:00 .. 2023-12-31 23:55 (288 missing)');
    expect(lines[lines.length - 1]).toBe('maintenance: never run');
  });

  it('filters by symbol, limits the gap list, and shows roll-up provenance and the last maintenance', async () => {
    const r = await seeded();
    expect(dataStatus(r, { symbol: 'SOL/USD', largest: 0 }).series).toMatchObject([{ symbol: 'SOL/USD', gaps: 1, largestGaps: [] }]);
    await runMaintenance(r, { data: { candle5mRetentionDays: 30, candle1hRetentionDays: 365, candle1dRetentionYears: 7 }, orchestrator: { reflectionIntervalDays: 7 } }, Date.UTC(2023, 5, 1), { pause: async () => {} });
    const status = dataStatus(r, { symbol: 'BTC/USD' });
    expect(status.series).toMatchObject([{ timeframe: '1h', count: 23, gaps: 1, missing: 1, sources: ['binance (USDT→USD) [rolled up]'] }]);
    expect(status.lastMaintenanceAt).toBe(Date.UTC(2023, 5, 1));
    expect(formatDataStatus(status)).toContain('  largest gaps: 2023-03-24 13:00 (1 missing)');
    // A year later the hours roll into a day; the day still names the imported source and its quote mapping.
    await runMaintenance(r, { data: { candle5mRetentionDays: 30, candle1hRetentionDays: 365, candle1dRetentionYears: 7 }, orchestrator: { reflectionIntervalDays: 7 } }, Date.UTC(2024, 5, 1), { pause: async () => {} });
    expect(dataStatus(r, { symbol: 'BTC/USD' }).series).toMatchObject([{ timeframe: '1d', count: 1, sources: ['binance (USDT→USD) [rolled up]'] }]);
    expect(rollupRecord(r, 'BTC/USD', '1d')).toEqual({ symbol: 'BTC/USD', timeframe: '1d', sources: ['binance (USDT→USD)'], rows: 23, lastRunAt: Date.UTC(2024, 5, 1) });
  });

  it('says how to start when the store is empty', () => {
    expect(formatDataStatus(dataStatus(createRepositories(freshStore().db)))).toEqual(['no candles stored (import some with: brain data import FILE... --symbol SYM)']);
  });
});

describe('exportCandles', () => {
  it('writes back the imported file byte for byte (lines and .gz file)', async () => {
    const r = await seeded();
    const original = gunzipSync(readFileSync(fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz'))).toString('utf8');
    const lines: string[] = [];
    const outcome = await exportCandles(r, { symbol: 'BTC/USD', timeframe: '5m', batchRows: 50 }, { kind: 'lines', write: (l) => lines.push(l) });
    expect(outcome).toEqual({ ok: true, rows: 272, firstTsOpen: 1679616000_000, lastTsOpen: 1679702100_000 });
    expect(lines.join('\n') + '\n').toBe(original);
    const path = join(tempDir(), 'btc.csv.gz');
    expect(await exportCandles(r, { symbol: 'BTC/USD', timeframe: '5m' }, { kind: 'file', path })).toMatchObject({ ok: true, rows: 272 });
    expect(gunzipSync(readFileSync(path)).toString('utf8')).toBe(original);
    expect(await exportCandles(r, { symbol: 'BTC/USD', timeframe: '5m' }, { kind: 'file', path })).toEqual({
      ok: false,
      badInput: true,
      reason: `${path} already exists; choose a new file name (exports never overwrite)`,
    });
  });

  it('exports [from, to) only; an empty range gives the header alone', async () => {
    const r = await seeded();
    const lines: string[] = [];
    const from = Date.UTC(2023, 11, 30, 23, 50);
    const to = Date.UTC(2024, 0, 1, 0, 10);
    const outcome = await exportCandles(r, { symbol: 'SOL/USD', timeframe: '5m', fromMs: from, toMs: to }, { kind: 'lines', write: (l) => lines.push(l) });
    // 23:50 and 23:55 on 2023-12-30, then (2023-12-31 missing) 00:00 and 00:05 on 2024-01-01; 00:10 is the exclusive end.
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]) * 1000)).toEqual([from, from + 300_000, Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 5)]);
    expect(outcome).toMatchObject({ ok: true, rows: 4 });
    const none: string[] = [];
    expect(await exportCandles(r, { symbol: 'SOL/USD', timeframe: '5m', fromMs: Date.UTC(2023, 11, 31), toMs: Date.UTC(2024, 0, 1) }, { kind: 'lines', write: (l) => none.push(l) })).toEqual({
      ok: true,
      rows: 0,
      firstTsOpen: undefined,
      lastTsOpen: undefined,
    });
    expect(none).toEqual(['time,open,high,low,close,volume']);
  });

  it('refuses a series that is not stored and an empty or reversed range', async () => {
    const r = await seeded();
    const sink = { kind: 'lines' as const, write: () => {} };
    expect(await exportCandles(r, { symbol: 'DOGE/USD', timeframe: '5m' }, sink)).toEqual({
      ok: false,
      badInput: true,
      reason: 'no DOGE/USD 5m candles are stored; stored series: BTC/USD 5m, ETH/USD 5m, SOL/USD 5m',
    });
    expect(await exportCandles(r, { symbol: 'BTC/USD', timeframe: '5m', fromMs: NOW, toMs: NOW }, sink)).toMatchObject({ ok: false, badInput: true, reason: expect.stringMatching(/is not before --to/) });
  });
});

describe('parseDateArg', () => {
  it('reads a bare date as a UTC day and a zoned date-time exactly', () => {
    expect(parseDateArg('2024-01-01')).toEqual({ ok: true, ms: Date.UTC(2024, 0, 1) });
    expect(parseDateArg('2024-02-29')).toEqual({ ok: true, ms: Date.UTC(2024, 1, 29) });
    expect(parseDateArg('2024-01-01T12:30Z')).toEqual({ ok: true, ms: Date.UTC(2024, 0, 1, 12, 30) });
    expect(parseDateArg('2024-01-01T12:30:15.250+02:00')).toEqual({ ok: true, ms: Date.UTC(2024, 0, 1, 10, 30, 15, 250) });
  });

  it('refuses naive date-times, impossible dates and other text, saying what is accepted', () => {
    expect(parseDateArg('2024-01-01T12:30')).toEqual({ ok: false, reason: '"2024-01-01T12:30" has no time zone; add Z (UTC) or an offset such as +02:00 — times are never naive' });
    expect(parseDateArg('2023-02-29')).toEqual({ ok: false, reason: '"2023-02-29" is not a calendar date' });
    expect(parseDateArg('2024-02-30T00:00Z')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid date-time/) });
    expect(parseDateArg('yesterday')).toEqual({ ok: false, reason: '"yesterday" is not a date; use YYYY-MM-DD (a UTC day) or YYYY-MM-DDTHH:MM[:SS]Z / ±HH:MM' });
  });
});
