/**
 * Streaming reader of candle files (`ohlcv-csv` or `kraken-ohlcvt`, gzip'd or plain; gzip is
 * recognised by its magic bytes, not the name). Reads line by line through node:zlib and
 * node:readline, so a 100k-row file never sits in memory as text. Checks every cell's syntax and
 * returns the candles with their line numbers; value rules (low ≤ open ≤ high, order, spacing)
 * are the importer's, through `domain/market` `inspectCandles`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Candle } from '../../domain/market/index.ts';
import { parseDecimal, parseInteger } from './decimal.ts';
import { FORMAT_COLUMNS, OHLCV_CSV_HEADER, type CandleFileFormat, type FileProblem } from './format.ts';

/** A candle file read without syntax errors. */
export interface CandleFile {
  /** The path as given. */
  readonly file: string;
  readonly format: CandleFileFormat;
  readonly gzip: boolean;
  /** Candles in file order (not yet checked for order, spacing or OHLC consistency). */
  readonly candles: readonly Candle[];
  /** 1-based line number of each candle, same order. */
  readonly lines: readonly number[];
  /** SHA-256 (hex) of the file's bytes as stored (compressed if gzip'd): identifies the file in the import record. */
  readonly sha256: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/** Outcome of `readCandleFile`: the file, or its problems (at most `maxProblems` listed, `problemCount` in total). */
export type ReadOutcome =
  | { readonly ok: true; readonly file: CandleFile }
  | { readonly ok: false; readonly problems: readonly FileProblem[]; readonly problemCount: number };

/** Times above this many seconds (year 5138) are taken for milliseconds written by mistake. */
const MAX_UNIX_SECONDS = 99_999_999_999;

/**
 * Reads and syntax-checks one candle file. Never throws for bad input: a missing or unreadable
 * file, a broken gzip stream, an unknown header, a wrong column count or a malformed cell each
 * become a problem naming the file, line, column and value. Keeps reading after a problem so one
 * run lists them all (up to `maxProblems`, default 50, plus the total count).
 */
export async function readCandleFile(path: string, options: { maxProblems?: number } = {}): Promise<ReadOutcome> {
  const maxProblems = options.maxProblems ?? 50;
  const problems: FileProblem[] = [];
  let problemCount = 0;
  const report = (p: Omit<FileProblem, 'file'>): void => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push({ file: path, ...p });
  };

  let gzip: boolean;
  try {
    gzip = await startsWithGzipMagic(path);
  } catch (err) {
    return { ok: false, problems: [{ file: path, message: `cannot read the file: ${(err as Error).message}` }], problemCount: 1 };
  }

  const raw = createReadStream(path);
  const hash = createHash('sha256');
  let bytes = 0;
  raw.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  });
  let text: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    text = raw.pipe(gunzip);
  }
  const lineReader = createInterface({ input: text, crlfDelay: Number.POSITIVE_INFINITY });

  let format: CandleFileFormat | undefined;
  let columns: readonly string[] = [];
  const candles: Candle[] = [];
  const lines: number[] = [];
  let lineNo = 0;
  try {
    for await (const rawLine of lineReader) {
      lineNo += 1;
      const line = (lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine).trim();
      if (line === '') continue;
      if (format === undefined) {
        if (/^[A-Za-z]/.test(line)) {
          const header = line.split(',').map((h) => h.trim().toLowerCase()).join(',');
          if (header !== OHLCV_CSV_HEADER) {
            report({
              line: lineNo,
              message: `unknown header ${JSON.stringify(line)}; expected ${JSON.stringify(OHLCV_CSV_HEADER)} (the /work/shared/data format), or no header for Kraken OHLCVT (time,open,high,low,close,volume,trades)`,
            });
            break;
          }
          format = 'ohlcv-csv';
          columns = FORMAT_COLUMNS[format];
          continue;
        }
        format = 'kraken-ohlcvt';
        columns = FORMAT_COLUMNS[format];
      }
      const candle = parseRow(line, columns, format, lineNo, report);
      if (candle) {
        candles.push(candle);
        lines.push(lineNo);
      }
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const what = e.code?.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid/i.test(e.message)
      ? `the gzip stream is corrupt after line ${lineNo} (${e.message})`
      : `cannot read the file after line ${lineNo}: ${e.message}`;
    report({ message: what });
  } finally {
    lineReader.close();
    raw.destroy();
  }
  if (problemCount === 0 && format === undefined) report({ message: 'the file has no rows' });
  if (problemCount > 0) return { ok: false, problems, problemCount };
  return { ok: true, file: { file: path, format: format!, gzip, candles, lines, sha256: hash.digest('hex'), bytes } };
}

/**
 * Parses one data line; reports every malformed cell (column and value) and returns undefined
 * if any. Times are unix seconds in the file and ms in the candle. Cells may be padded with
 * spaces. Bad rows take a slower path that names each bad cell.
 */
function parseRow(
  line: string,
  columns: readonly string[],
  format: CandleFileFormat,
  lineNo: number,
  report: (p: Omit<FileProblem, 'file'>) => void,
): Candle | undefined {
  const cells = line.split(',');
  if (cells.length !== columns.length) {
    const hint = format === 'kraken-ohlcvt' && cells.length === 6 ? ' (a file without the trade count needs the header line time,open,high,low,close,volume)' : '';
    report({ line: lineNo, message: `expected ${columns.length} columns (${columns.join(',')}), got ${cells.length}${hint}` });
    return undefined;
  }
  const candle = tryParse(cells, format);
  if (candle) return candle;
  const trimmed = cells.map((c) => c.trim());
  const retried = tryParse(trimmed, format);
  if (retried) return retried;
  const bad = (i: number, message: string): void => report({ line: lineNo, column: columns[i]!, value: trimmed[i]!, message });
  const seconds = parseInteger(trimmed[0]!);
  if (seconds === undefined) bad(0, 'not a unix time: expected whole seconds since 1970-01-01 UTC, e.g. 1640995200');
  else if (seconds > MAX_UNIX_SECONDS) bad(0, 'too large for unix seconds; this looks like milliseconds (the files hold seconds)');
  for (let i = 1; i <= 5; i++) {
    if (parseDecimal(trimmed[i]!) === undefined) bad(i, 'not a decimal number (digits with an optional sign, point and exponent)');
  }
  if (format === 'kraken-ohlcvt' && parseInteger(trimmed[6]!) === undefined) bad(6, 'not a trade count (a whole number ≥ 0)');
  return undefined;
}

/** The candle of a row whose cells are all well-formed, else undefined. */
function tryParse(cells: readonly string[], format: CandleFileFormat): Candle | undefined {
  const seconds = parseInteger(cells[0]!);
  const open = parseDecimal(cells[1]!);
  const high = parseDecimal(cells[2]!);
  const low = parseDecimal(cells[3]!);
  const close = parseDecimal(cells[4]!);
  const volume = parseDecimal(cells[5]!);
  if (
    seconds === undefined ||
    seconds > MAX_UNIX_SECONDS ||
    open === undefined ||
    high === undefined ||
    low === undefined ||
    close === undefined ||
    volume === undefined ||
    (format === 'kraken-ohlcvt' && parseInteger(cells[6]!) === undefined)
  ) {
    return undefined;
  }
  return { tsOpen: seconds * 1000, open, high, low, close, volume };
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
