import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../../adapters/libsql/index.ts';
import { formatUtc, type Candle } from '../../../domain/market/index.ts';
import { IMPORT_KEY_PREFIX, importCandleFiles, importRecords, type ImportOutcome, type ImportReport, type ImportRequest } from '../../../supervisor/data/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { fixture, tempDir, tempFile } from '../../adapters/market-data/support.ts';

const NOW = Date.UTC(2024, 0, 3); // shortly after the fixtures' 2023-2024 data
const repos = (): Repositories => createRepositories(freshStore().db);
const run = (r: Repositories, request: ImportRequest, nowMs = NOW) => importCandleFiles(r, request, nowMs);

function ok(outcome: ImportOutcome): ImportReport {
  if (!outcome.ok) throw new Error(`expected ok: ${outcome.problems.join('\n')}`);
  return outcome.report;
}
function problems(outcome: ImportOutcome): readonly string[] {
  if (outcome.ok) throw new Error('expected problems, got ok');
  return outcome.problems;
}
const HEADER = 'time,open,high,low,close,volume\n';
const row = (s: number, o = 10, h = 12, l = 9, c = 11, v = 1): string => `${s},${o},${h},${l},${c},${v}\n`;
const T = 1704067200; // 2024-01-01 00:00 UTC in unix seconds

describe('importCandleFiles: real fixtures', () => {
  it('imports the Binance BTC slice as BTC/USD: all rows, the known 16-candle gap, a recorded USDT→USD mapping and a warning', async () => {
    const r = repos();
    const file = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');
    const report = ok(await run(r, { files: [file], symbol: 'BTC/USD' }, Date.UTC(2023, 2, 26)));
    expect(report).toMatchObject({ symbol: 'BTC/USD', timeframe: '5m', source: 'binance', written: 272, replaced: 0, quoteMapping: 'USDT→USD', missing: 16 });
    expect(report.gaps.map((g) => [formatUtc(g.fromMs), formatUtc(g.toMs), g.missing])).toEqual([['2023-03-24 12:40 UTC', '2023-03-24 14:00 UTC', 16]]);
    expect(report.files[0]).toMatchObject({ rows: 272, gaps: 1, missing: 16, zeroVolume: expect.any(Number), format: 'ohlcv-csv' });
    expect(report.warnings).toEqual([expect.stringMatching(/^prices quoted in USDT are stored as BTC\/USD \(USDT→USD\): a deliberate mapping, recorded/)]);
    expect(r.candles.count('BTC/USD', '5m')).toBe(272);
    expect(importRecords(r)).toEqual([
      {
        symbol: 'BTC/USD', timeframe: '5m', source: 'binance', file: resolve(file), sha256: report.files[0]!.sha256, format: 'ohlcv-csv',
        rows: 272, firstTsOpen: 1679616000_000, lastTsOpen: 1679702100_000, fileQuote: 'USDT', quoteMapping: 'USDT→USD', importedAt: Date.UTC(2023, 2, 26),
      },
    ]);
    expect(r.systemMeta.get(`${IMPORT_KEY_PREFIX}BTC/USD:5m:binance_BTCUSDT_5m_2023-03-24.csv.gz`)).toBeDefined();
  });

  it("imports Kraken's OHLCVT file as ETH/USD: timeframe from the name (ETHUSD_5), source kraken, no mapping", async () => {
    const r = repos();
    const report = ok(await run(r, { files: [fixture('ETHUSD_5.csv')], symbol: 'ETH/USD' }, Date.UTC(2024, 6, 2)));
    expect(report).toMatchObject({ timeframe: '5m', source: 'kraken', written: 96, quoteMapping: null, warnings: [], gaps: [] });
    expect(r.candles.range('ETH/USD', '5m', 0, Number.MAX_SAFE_INTEGER)[28]).toEqual({ tsOpen: 1719800400_000, open: 3500, high: 3501.59, low: 3494.62, close: 3494.62, volume: 84.66260289 });
  });

  it('imports two days from two yearly SOL files and reports the 2023-12-31 gap between them', async () => {
    const r = repos();
    const files = [fixture('binance_SOLUSDT_5m_2024-01-01.csv.gz'), fixture('binance_SOLUSDT_5m_2023-12-30.csv.gz')];
    const report = ok(await run(r, { files, symbol: 'SOL/USD', timeframe: '5m', source: 'binance' }));
    expect(report.written).toBe(576);
    expect(report.gaps).toEqual([{ fromMs: Date.UTC(2023, 11, 31), toMs: Date.UTC(2024, 0, 1), missing: 288 }]);
    expect(importRecords(r, 'SOL/USD')).toHaveLength(2);
  });

  it('finds exactly the missing days of the sparse 2014 Kraken daily slice', async () => {
    const r = repos();
    const report = ok(await run(r, { files: [fixture('kraken_BTCUSD_1d_2014-09.csv.gz')], symbol: 'BTC/USD' }, Date.UTC(2014, 9, 2)));
    expect(report.timeframe).toBe('1d');
    expect(report.gaps.map((g) => `${formatUtc(g.fromMs).slice(0, 10)}+${g.missing}`)).toEqual(['2014-09-03+1', '2014-09-05+1', '2014-09-12+1', '2014-09-26+2']);
  });

  it('re-importing counts replaced rows; overlapping identical files are written once', async () => {
    const r = repos();
    const file = fixture('binance_SOLUSDT_5m_2023-12-30.csv.gz');
    ok(await run(r, { files: [file], symbol: 'SOL/USD' }));
    const dir = tempDir();
    const copy = join(dir, 'binance_SOLUSDT_5m_copy.csv.gz');
    copyFileSync(file, copy);
    const again = ok(await run(r, { files: [file, copy], symbol: 'SOL/USD' }));
    expect(again).toMatchObject({ written: 288, replaced: 288, repeatedAcrossFiles: 288 });
    expect(r.candles.count('SOL/USD', '5m')).toBe(288);
  });

  it('warns when the candles are older than their tier keeps', async () => {
    const r = repos();
    const report = ok(await run(r, { files: [fixture('ETHUSD_5.csv')], symbol: 'ETH/USD', retention: { candle5mRetentionDays: 30, candle1hRetentionDays: 365, candle1dRetentionYears: 7 } }, Date.UTC(2024, 8, 1)));
    expect(report.warnings).toEqual([
      expect.stringMatching(/^96 of 96 imported 5m candles open before 2024-08-02 00:00 UTC, beyond data\.candle_5m_retention_days \(30 days\): the next data maintenance rolls them up into 1h/),
    ]);
  });
});

describe('importCandleFiles: all or nothing', () => {
  it('a bad row at the very end of the last file leaves the store exactly as it was', async () => {
    const r = repos();
    const existing: Candle = { tsOpen: T * 1000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 };
    r.candles.upsertMany('BTC/USD', '5m', [existing]);
    const good = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');
    const badText = HEADER + Array.from({ length: 200 }, (_, k) => row(T + k * 300)).join('') + row(T + 200 * 300, 10, 8, 9, 11); // high 8 < low 9
    const bad = tempFile('binance_BTCUSDT_5m_bad.csv', badText);
    const outcome = await run(r, { files: [good, bad], symbol: 'BTC/USD' });
    expect(problems(outcome)).toEqual([
      `${bad}:202: column high = "8": high 8 is below low 9 (must be high ≥ low)`,
      `${bad}:202: column high = "8": high 8 is below close 11 (must be high ≥ open and high ≥ close)`,
    ]);
    expect(r.candles.series()).toEqual([{ symbol: 'BTC/USD', timeframe: '5m', count: 1, firstTsOpen: T * 1000, lastTsOpen: T * 1000 }]);
    expect(r.candles.range('BTC/USD', '5m', 0, Number.MAX_SAFE_INTEGER)).toEqual([existing]);
    expect(importRecords(r)).toEqual([]);
  });

  it('names file, line, column and value for every kind of bad row', async () => {
    const r = repos();
    const text =
      HEADER +
      row(T) +
      row(T + 300, 0, 12, 0, 11) + // zero open and low
      row(T + 600, 10, 12, 9, 11, -1) + // negative volume
      row(T + 900, 10, 12, 10.5, 11) + // low above open
      row(T + 900) + // duplicate time
      row(T + 600) + // back in time
      row(T + 1000); // off the 5m grid
    const path = tempFile('binance_BTCUSDT_5m_mixed.csv', text);
    expect(problems(await run(r, { files: [path], symbol: 'BTC/USD' }))).toEqual([
      `${path}:3: column open = "0": open 0 is not a positive price (must be > 0)`,
      `${path}:3: column low = "0": low 0 is not a positive price (must be > 0)`,
      `${path}:4: column volume = "-1": volume -1 is negative (must be ≥ 0)`,
      `${path}:5: column low = "10.5": low 10.5 is above open 10 (must be low ≤ open and low ≤ close)`,
      `${path}:6: column time = "1704068100": time 2024-01-01 00:15 UTC repeats the previous candle's time; each time may appear once (line 5)`,
      `${path}:7: column time = "1704067800": time 2024-01-01 00:10 UTC goes back before an earlier candle's 2024-01-01 00:15 UTC; candles must be sorted by time, strictly increasing (line 5)`,
      `${path}:8: column time = "1704068200": time 2024-01-01 00:16:40 UTC is not on the 5m grid (a multiple of 300 s since the epoch)`,
    ]);
    expect(r.candles.series()).toEqual([]);
  });

  it('lists at most maxProblemsPerFile row problems per file, then how many more, and counts them all', async () => {
    const r = repos();
    const text = HEADER + Array.from({ length: 60 }, (_, k) => row(T + k * 300, 10, 12, 9, 11, -1)).join('');
    const path = tempFile('binance_BTCUSDT_5m_negative.csv', text);
    const outcome = await importCandleFiles(r, { files: [path], symbol: 'BTC/USD' }, NOW, { maxProblemsPerFile: 5 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problemCount).toBe(60);
    expect(outcome.problems).toHaveLength(6);
    expect(outcome.problems[5]).toBe(`${path}: … and 55 more row problems`);
  });

  it('syntax problems of several files are all listed, and nothing is written', async () => {
    const r = repos();
    const dir = tempDir();
    const a = tempFile('binance_BTCUSDT_5m_a.csv', HEADER + row(T) + `${T + 300},x,12,9,11,1\n`, dir);
    const b = tempFile('binance_BTCUSDT_5m_b.csv', HEADER + `${T + 600},10,12,9,11\n`, dir);
    const c = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');
    const outcome = await run(r, { files: [a, b, c], symbol: 'BTC/USD' });
    expect(problems(outcome)).toEqual([
      `${a}:3: column open = "x": not a decimal number (digits with an optional sign, point and exponent)`,
      `${b}:2: expected 6 columns (time,open,high,low,close,volume), got 5`,
    ]);
    expect(r.candles.series()).toEqual([]);
  });
});

describe('importCandleFiles: timeframe, symbol and source', () => {
  const fiveMin = HEADER + Array.from({ length: 30 }, (_, k) => row(T + k * 300)).join('');

  it('infers the timeframe from the rows when the name is silent, and verifies a given one', async () => {
    const r = repos();
    const plain = tempFile('candles.csv', fiveMin);
    expect(ok(await run(r, { files: [plain], symbol: 'BTC/USD', source: 'test' })).timeframe).toBe('5m');
    expect(problems(await run(r, { files: [plain], symbol: 'BTC/USD', source: 'test', timeframe: '1h' }))).toEqual([
      `${plain}: rows are mostly 5 minutes apart (29 of 29 steps), which does not match the timeframe 1h (1 hour)`,
    ]);
  });

  it('refuses a name that contradicts --timeframe, a timeframe the store does not hold, odd spacing and a lone row', async () => {
    const r = repos();
    const dir = tempDir();
    const named1h = tempFile('binance_BTCUSDT_1h_x.csv', fiveMin, dir);
    expect(problems(await run(r, { files: [named1h], symbol: 'BTC/USD', timeframe: '5m' }))).toEqual([`${named1h}: the file name says 1h but --timeframe is 5m`]);
    const named15 = tempFile('XBTUSD_15.csv', '1704067200,1,2,0.5,1,1,3\n', dir);
    expect(problems(await run(r, { files: [named15], symbol: 'BTC/USD' }))).toEqual([
      `${named15}: the file name gives the timeframe "15", but the store holds 5m, 1h and 1d candles only`,
    ]);
    const odd = tempFile('odd.csv', HEADER + row(T) + row(T + 900) + row(T + 1800), dir);
    expect(problems(await run(r, { files: [odd], symbol: 'BTC/USD', source: 'x' }))).toEqual([
      `${odd}: rows are mostly 15 minutes apart, which is not a timeframe of the store (5m, 1h, 1d)`,
    ]);
    const lone = tempFile('lone.csv', HEADER + row(T), dir);
    expect(problems(await run(r, { files: [lone], symbol: 'BTC/USD', source: 'x' }))).toEqual([`${lone}: cannot tell the timeframe of a one-row file: pass --timeframe 5m|1h|1d`]);
    expect(ok(await run(r, { files: [lone], symbol: 'BTC/USD', source: 'x', timeframe: '1d' })).written).toBe(1);
  });

  it('refuses files of another base or quote; maps only USD stablecoins onto USD', async () => {
    const r = repos();
    const dir = tempDir();
    const eth = tempFile('binance_ETHUSDT_5m.csv', fiveMin, dir);
    expect(problems(await run(r, { files: [eth], symbol: 'BTC/USD' }))).toEqual([
      `${eth}: the file name says ETH/USDT (ETHUSDT) but --symbol is BTC/USD; rename the file if its name is wrong`,
    ]);
    const eur = tempFile('kraken_BTCEUR_5m.csv', fiveMin, dir);
    expect(problems(await run(r, { files: [eur], symbol: 'BTC/USD' }))).toEqual([`${eur}: the file name says the prices are quoted in EUR but --symbol BTC/USD is quoted in USD`]);
    const usdc = tempFile('binance_BTCUSDC_5m.csv', fiveMin, dir);
    expect(ok(await run(r, { files: [usdc], symbol: 'BTC/USD' })).quoteMapping).toBe('USDC→USD');
    const usdt = tempFile('binance_BTCUSDT_5m.csv', fiveMin, dir);
    expect(ok(await run(r, { files: [usdt], symbol: 'BTC/USDT' }))).toMatchObject({ quoteMapping: null, warnings: [] });
  });

  it('needs a source it can name, one per import; validates the options', async () => {
    const r = repos();
    const dir = tempDir();
    const anon = tempFile('candles.csv', fiveMin, dir);
    expect(problems(await run(r, { files: [anon], symbol: 'BTC/USD' }))).toEqual([`cannot tell the source of ${anon}: pass --source NAME (e.g. --source binance)`]);
    const kraken = tempFile('kraken_BTCUSD_5m_x.csv', HEADER + row(T + 9000) + row(T + 9300), dir);
    const binance = tempFile('binance_BTCUSDT_5m_x.csv', fiveMin, dir);
    expect(problems(await run(r, { files: [kraken, binance], symbol: 'BTC/USD' }))).toEqual([
      'the files come from different sources (kraken, binance); import them separately or pass --source NAME',
    ]);
    expect(ok(await run(r, { files: [kraken, binance], symbol: 'BTC/USD', source: 'mixed' })).source).toBe('mixed');
    expect(problems(await run(r, { files: [anon], symbol: 'btc-usd', source: 'Bad Name' }))).toEqual([
      '--symbol "btc-usd" must be a pair like "BTC/USD" (A-Z, 0-9, one "/")',
      '--source "Bad Name" must be 1-40 lower-case letters, digits, \'.\', \'_\' or \'-\', starting with a letter or digit (e.g. "binance")',
    ]);
    expect(problems(await run(r, { files: [], symbol: 'BTC/USD' }))).toEqual(['no files given']);
  });

  it('refuses overlapping files that disagree, naming both lines', async () => {
    const r = repos();
    const dir = tempDir();
    const a = tempFile('binance_BTCUSDT_5m_a.csv', HEADER + row(T) + row(T + 300), dir);
    const b = tempFile('binance_BTCUSDT_5m_b.csv', HEADER + row(T + 300, 10, 12, 9, 11.5) + row(T + 600), dir);
    expect(problems(await run(r, { files: [a, b], symbol: 'BTC/USD' }))).toEqual([
      `${a}:3 and ${b}:2 give different candles for 2024-01-01 00:05 UTC; overlapping files must agree (import one of them)`,
    ]);
    expect(r.candles.series()).toEqual([]);
  });

  it('a gzip file and its plain copy import the same candles', async () => {
    const r = repos();
    const text = gunzipSync(readFileSync(fixture('kraken_BTCUSD_1d_2014-09.csv.gz'))).toString('utf8');
    const plain = tempFile('kraken_BTCUSD_1d_plain.csv', text);
    const a = ok(await run(r, { files: [plain], symbol: 'BTC/USD' }, Date.UTC(2014, 9, 2)));
    const b = ok(await run(r, { files: [fixture('kraken_BTCUSD_1d_2014-09.csv.gz')], symbol: 'BTC/USD' }, Date.UTC(2014, 9, 2)));
    expect(b).toMatchObject({ written: a.written, replaced: a.written, gaps: a.gaps });
  });
});
