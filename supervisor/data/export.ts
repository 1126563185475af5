/**
 * `brain data export`: one stored series (optionally a time range) as an `ohlcv-csv` file or
 * stream, read from the store in batches so a year of 5m candles never sits in memory at once.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { formatCandleRow, writeCandleFile } from '../../adapters/market-data/index.ts';
import { TIMEFRAME_MS, formatUtc, type Candle, type Timeframe } from '../../domain/market/index.ts';

/** What to export. */
export interface ExportRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** First candle open to include (ms, UTC); default: the series' first. */
  readonly fromMs?: number;
  /** Exclusive end (ms, UTC); default: after the series' last. */
  readonly toMs?: number;
  /** Candles per read (default 50,000). */
  readonly batchRows?: number;
}

/** Where to write: a new file (gzip'd if it ends in .gz), or line by line (header first). */
export type ExportTarget = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'lines'; readonly write: (line: string) => void };

/** Outcome: rows written, or why not (`badInput`: the request names nothing stored, or the file exists). */
export type ExportOutcome =
  | { readonly ok: true; readonly rows: number; readonly firstTsOpen: number | undefined; readonly lastTsOpen: number | undefined }
  | { readonly ok: false; readonly badInput: boolean; readonly reason: string };

/** Exports one series to `target`. Never throws for bad requests; throws only on store failure. */
export async function exportCandles(repos: Repositories, request: ExportRequest, target: ExportTarget): Promise<ExportOutcome> {
  const all = repos.candles.series();
  const series = all.find((s) => s.symbol === request.symbol && s.timeframe === request.timeframe);
  if (!series) {
    const stored = all.map((s) => `${s.symbol} ${s.timeframe}`).join(', ') || 'none';
    return { ok: false, badInput: true, reason: `no ${request.symbol} ${request.timeframe} candles are stored; stored series: ${stored}` };
  }
  if (request.fromMs !== undefined && request.toMs !== undefined && request.fromMs >= request.toMs) {
    return { ok: false, badInput: true, reason: `--from ${formatUtc(request.fromMs)} is not before --to ${formatUtc(request.toMs)} (--to is exclusive)` };
  }
  const len = TIMEFRAME_MS[request.timeframe];
  const from = Math.max(request.fromMs ?? series.firstTsOpen, series.firstTsOpen);
  const to = Math.min(request.toMs ?? Number.POSITIVE_INFINITY, series.lastTsOpen + len);
  let first: number | undefined;
  let last: number | undefined;
  let rows = 0;
  const batches = function* (): Generator<Candle[]> {
    const window = (request.batchRows ?? 50_000) * len;
    for (let cursor = from; cursor < to; cursor += window) {
      const batch = repos.candles.range(request.symbol, request.timeframe, cursor, Math.min(cursor + window, to));
      if (batch.length === 0) continue;
      first ??= batch[0]!.tsOpen;
      last = batch[batch.length - 1]!.tsOpen;
      rows += batch.length;
      yield batch;
    }
  };
  if (target.kind === 'file') {
    const written = await writeCandleFile(target.path, batches());
    if (!written.ok) return { ok: false, badInput: written.reason.includes('already exists'), reason: written.reason };
  } else {
    target.write('time,open,high,low,close,volume');
    for (const batch of batches()) for (const c of batch) target.write(formatCandleRow(c));
  }
  return { ok: true, rows, firstTsOpen: first, lastTsOpen: last };
}
