import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCandleFile, writeCandleFile } from '../../../adapters/market-data/index.ts';
import { fixture, tempDir } from './support.ts';

describe('writeCandleFile', () => {
  it('round-trips a shared-format file byte for byte (plain and gzip output)', async () => {
    const source = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');
    const original = gunzipSync(readFileSync(source)).toString('utf8');
    const read = await readCandleFile(source);
    if (!read.ok) throw new Error('fixture unreadable');
    const dir = tempDir();
    const candles = read.file.candles;
    const plain = await writeCandleFile(join(dir, 'out.csv'), [candles.slice(0, 100), [], candles.slice(100)]);
    expect(plain).toEqual({ ok: true, rows: 272, gzip: false });
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(original);
    const gz = await writeCandleFile(join(dir, 'out.csv.gz'), [candles]);
    expect(gz).toEqual({ ok: true, rows: 272, gzip: true });
    expect(gunzipSync(readFileSync(join(dir, 'out.csv.gz'))).toString('utf8')).toBe(original);
  });

  it('writes a header only for no candles', async () => {
    const path = join(tempDir(), 'empty.csv');
    expect(await writeCandleFile(path, [])).toEqual({ ok: true, rows: 0, gzip: false });
    expect(readFileSync(path, 'utf8')).toBe('time,open,high,low,close,volume\n');
  });

  it('never overwrites an existing file, and reports an uncreatable path', async () => {
    const dir = tempDir();
    const path = join(dir, 'exists.csv');
    writeFileSync(path, 'keep me');
    expect(await writeCandleFile(path, [])).toEqual({ ok: false, reason: `${path} already exists; choose a new file name (exports never overwrite)` });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    const nowhere = join(dir, 'no-such-dir', 'x.csv');
    const outcome = await writeCandleFile(nowhere, []);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/^cannot create .*x\.csv: ENOENT/);
  });

  it('removes a half-written file when a candle cannot be written', async () => {
    const path = join(tempDir(), 'broken.csv');
    const good = { tsOpen: 1640995200_000, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const outcome = await writeCandleFile(path, [[good], [{ ...good, tsOpen: good.tsOpen + 1 }]]);
    expect(outcome).toEqual({ ok: false, reason: `writing ${path} failed after 1 rows: candle tsOpen 1640995200001 is not a whole second` });
    expect(existsSync(path)).toBe(false);
  });
});
