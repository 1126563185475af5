import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatProblem, readCandleFile, type CandleFile, type ReadOutcome } from '../../../adapters/market-data/index.ts';
import { fixture, tempDir, tempFile } from './support.ts';

function expectOk(outcome: ReadOutcome): CandleFile {
  if (!outcome.ok) throw new Error(`expected ok, got: ${outcome.problems.map(formatProblem).join('; ')}`);
  return outcome.file;
}
function expectProblems(outcome: ReadOutcome): string[] {
  if (outcome.ok) throw new Error('expected problems, got ok');
  return outcome.problems.map(formatProblem);
}

describe('readCandleFile: golden rows', () => {
  it('ohlcv-csv (gzip, header): the first, a zero-volume and the last row of the Binance BTC slice', async () => {
    const path = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');
    const file = expectOk(await readCandleFile(path));
    expect(file.format).toBe('ohlcv-csv');
    expect(file.gzip).toBe(true);
    expect(file.candles).toHaveLength(272);
    // Rows copied from the file (zcat | sed -n '2p;150p;$p').
    expect(file.candles[0]).toEqual({ tsOpen: 1679616000_000, open: 28295.42, high: 28331.07, low: 28292.24, close: 28292.35, volume: 287.41907 });
    expect(file.lines[0]).toBe(2);
    expect(file.candles[148]).toEqual({ tsOpen: 1679660400_000, open: 28080, high: 28080, low: 28080, close: 28080, volume: 0 });
    expect(file.lines[148]).toBe(150);
    expect(file.candles[271]).toEqual({ tsOpen: 1679702100_000, open: 27424.99, high: 27463.97, low: 27424.99, close: 27454.47, volume: 153.60344 });
    expect(file.bytes).toBe(readFileSync(path).length);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Kraken OHLCVT (plain, no header, trade count dropped)', async () => {
    const file = expectOk(await readCandleFile(fixture('ETHUSD_5.csv')));
    expect(file.format).toBe('kraken-ohlcvt');
    expect(file.gzip).toBe(false);
    expect(file.candles).toHaveLength(96);
    // 1719792000,3432.23,3433.28,3431.52,3431.82,4.45753564,24 and 1719800400,3500.0,3501.59,3494.62,3494.62,84.66260289,22
    expect(file.candles[0]).toEqual({ tsOpen: 1719792000_000, open: 3432.23, high: 3433.28, low: 3431.52, close: 3431.82, volume: 4.45753564 });
    expect(file.candles[28]).toEqual({ tsOpen: 1719800400_000, open: 3500, high: 3501.59, low: 3494.62, close: 3494.62, volume: 84.66260289 });
    expect(file.lines[28]).toBe(29);
  });

  it('reads the same candles from a gzip and a plain copy; tolerates CRLF, a BOM, blank lines and spaces around cells', async () => {
    const text = gunzipSync(readFileSync(fixture('kraken_BTCUSD_1d_2014-09.csv.gz'))).toString('utf8');
    const gz = expectOk(await readCandleFile(fixture('kraken_BTCUSD_1d_2014-09.csv.gz')));
    const messy = '\uFEFF' + text.replace(/\n/g, '\r\n').replace(/,/g, ' , ') + '\r\n\r\n';
    const plain = expectOk(await readCandleFile(tempFile('plain.csv', messy)));
    expect(plain.candles).toEqual(gz.candles);
    expect(gz.candles).toHaveLength(25);
  });
});

describe('readCandleFile: malformed input names file, line, column and value', () => {
  const header = 'time,open,high,low,close,volume\n';
  const good = '1640995200,46216.93,46391.49,46208.37,46321.34,185.67558\n';
  const cases: [string, string, RegExp][] = [
    ['time', '16409952OO,1,2,0.5,1,1', /:3: column time = "16409952OO": not a unix time/],
    ['time (ms)', '1640995500000,1,2,0.5,1,1', /:3: column time = "1640995500000": too large for unix seconds; this looks like milliseconds/],
    ['time (negative)', '-300,1,2,0.5,1,1', /:3: column time = "-300": not a unix time/],
    ['open', '1640995500,abc,2,0.5,1,1', /:3: column open = "abc": not a decimal number/],
    ['high', '1640995500,1,0x10,0.5,1,1', /:3: column high = "0x10": not a decimal number/],
    ['low', '1640995500,1,2,,1,1', /:3: column low = "": not a decimal number/],
    ['close', '1640995500,1,2,0.5,Infinity,1', /:3: column close = "Infinity": not a decimal number/],
    ['volume', '1640995500,1,2,0.5,1,1e999', /:3: column volume = "1e999": not a decimal number/],
    ['column count', '1640995500,1,2,0.5,1', /:3: expected 6 columns \(time,open,high,low,close,volume\), got 5/],
  ];
  for (const [name, row, pattern] of cases) {
    it(name, async () => {
      const path = tempFile('bad.csv', header + good + row + '\n' + good);
      const problems = expectProblems(await readCandleFile(path));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(pattern);
      expect(problems[0]!.startsWith(`${path}:3:`)).toBe(true);
    });
  }

  it('Kraken OHLCVT: a bad trade count, and a 6-column headerless row', async () => {
    const path = tempFile('XBTUSD_5.csv', '1640995200,1,2,0.5,1,1,12\n1640995500,1,2,0.5,1,1,1.5\n1640995800,1,2,0.5,1,1\n');
    expect(expectProblems(await readCandleFile(path))).toEqual([
      `${path}:2: column trades = "1.5": not a trade count (a whole number ≥ 0)`,
      `${path}:3: expected 7 columns (time,open,high,low,close,volume,trades), got 6 (a file without the trade count needs the header line time,open,high,low,close,volume)`,
    ]);
  });

  it('lists every bad cell of every row, capped, with the total', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${1640995200 + i * 300},x,y,0.5,1,1`).join('\n');
    const outcome = await readCandleFile(tempFile('many.csv', header + rows), { maxProblems: 5 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toHaveLength(5);
    expect(outcome.problemCount).toBe(60);
  });

  it('an unknown header, an empty file, a missing file, a corrupt gzip', async () => {
    const dir = tempDir();
    const unknown = tempFile('h.csv', 'date,o,h,l,c,v\n' + good, dir);
    expect(expectProblems(await readCandleFile(unknown))[0]).toMatch(/:1: unknown header "date,o,h,l,c,v"; expected "time,open,high,low,close,volume"/);
    const empty = tempFile('e.csv', '\n\n', dir);
    expect(expectProblems(await readCandleFile(empty))).toEqual([`${empty}: the file has no rows`]);
    const missing = join(dir, 'nope.csv.gz');
    expect(expectProblems(await readCandleFile(missing))[0]).toMatch(/nope\.csv\.gz: cannot read the file: ENOENT/);
    const gz = readFileSync(fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz'));
    const truncated = join(dir, 'truncated.csv.gz');
    writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length / 2)));
    expect(expectProblems(await readCandleFile(truncated))).toEqual([expect.stringMatching(/truncated\.csv\.gz: the gzip stream is corrupt after line \d+ \(unexpected end of file\)$/)]);
  });
});
