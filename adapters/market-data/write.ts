/**
 * Writer of `ohlcv-csv` files (the /work/shared/data format): header, one row per candle, time in
 * unix seconds, values as plain shortest round-trip decimals. Streams through node:zlib when the
 * target name ends in `.gz`. Never overwrites: the file is created exclusively, and removed again
 * if writing fails half-way.
 */
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Candle } from '../../domain/market/index.ts';
import { formatDecimal } from './decimal.ts';
import { OHLCV_CSV_HEADER } from './format.ts';

/** One `ohlcv-csv` data row (no newline). `tsOpen` must be whole seconds; throws `RangeError` otherwise (corrupt data). */
export function formatCandleRow(c: Candle): string {
  if (!Number.isSafeInteger(c.tsOpen) || c.tsOpen % 1000 !== 0) throw new RangeError(`candle tsOpen ${c.tsOpen} is not a whole second`);
  return `${c.tsOpen / 1000},${formatDecimal(c.open)},${formatDecimal(c.high)},${formatDecimal(c.low)},${formatDecimal(c.close)},${formatDecimal(c.volume)}`;
}

/** Outcome of `writeCandleFile`. */
export type WriteOutcome = { readonly ok: true; readonly rows: number; readonly gzip: boolean } | { readonly ok: false; readonly reason: string };

/**
 * Writes the header and every candle of `batches` (oldest first) to a new file at `path`
 * (gzip'd when it ends in `.gz`). Returns `{ ok: false }` when the file exists or cannot be
 * created or written; a partly written file is removed.
 */
export async function writeCandleFile(path: string, batches: Iterable<readonly Candle[]>): Promise<WriteOutcome> {
  const gzip = /\.gz$/i.test(path);
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, reason: e.code === 'EEXIST' ? `${path} already exists; choose a new file name (exports never overwrite)` : `cannot create ${path}: ${e.message}` };
  }
  let rows = 0;
  function* text(): Generator<string> {
    yield `${OHLCV_CSV_HEADER}\n`;
    for (const batch of batches) {
      if (batch.length === 0) continue;
      let chunk = '';
      for (const c of batch) chunk += `${formatCandleRow(c)}\n`;
      rows += batch.length;
      yield chunk;
    }
  }
  try {
    const source = Readable.from(text());
    const target = createWriteStream(path, { fd: handle });
    if (gzip) await pipeline(source, createGzip(), target);
    else await pipeline(source, target);
    return { ok: true, rows, gzip };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    return { ok: false, reason: `writing ${path} failed after ${rows} rows: ${(err as Error).message}` };
  }
}
