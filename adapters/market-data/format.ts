/**
 * The two candle file formats the importer reads, and the one the exporter writes:
 * - `ohlcv-csv`: /work/shared/data's format — header `time,open,high,low,close,volume`, `time` =
 *   unix seconds (UTC) of the candle open, volume in the base asset; gzip'd or plain.
 * - `kraken-ohlcvt`: Kraken's downloadable OHLCVT archive — no header, seven columns
 *   `time,open,high,low,close,volume,trades` (unix seconds, trade count); the trade count is
 *   checked and dropped (the store has no column for it).
 */

/** A candle file format. */
export type CandleFileFormat = 'ohlcv-csv' | 'kraken-ohlcvt';

/** The header line of `ohlcv-csv` files. */
export const OHLCV_CSV_HEADER = 'time,open,high,low,close,volume';

/** Column names per format, in file order. */
export const FORMAT_COLUMNS: Readonly<Record<CandleFileFormat, readonly string[]>> = Object.freeze({
  'ohlcv-csv': Object.freeze(['time', 'open', 'high', 'low', 'close', 'volume']),
  'kraken-ohlcvt': Object.freeze(['time', 'open', 'high', 'low', 'close', 'volume', 'trades']),
});

/** Where a problem in a candle file is: file path and 1-based line (absent for whole-file problems), column and raw value. */
export interface FileProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly value?: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** One line of text for a problem: `file:line: column time = "x": message`. */
export function formatProblem(p: FileProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const what = p.column === undefined ? '' : ` column ${p.column}${p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`}:`;
  return `${where}:${what} ${p.message}`;
}
