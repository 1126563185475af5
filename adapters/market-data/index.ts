/**
 * Candle files: streaming import readers (/work/shared/data's `ohlcv-csv` and Kraken's
 * downloadable OHLCVT archive, gzip'd or plain), the export writer, and what a file name says
 * about venue, pair and timeframe. File I/O only; validation rules live in `domain/market`.
 */
export { FORMAT_COLUMNS, OHLCV_CSV_HEADER, formatProblem, type CandleFileFormat, type FileProblem } from './format.ts';
export { readCandleFile, type CandleFile, type ReadOutcome } from './read.ts';
export { formatCandleRow, writeCandleFile, type WriteOutcome } from './write.ts';
export { fileNameHints, type FileNameHints } from './file-name.ts';
export { formatDecimal, parseDecimal, parseInteger } from './decimal.ts';
