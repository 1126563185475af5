/**
 * `brain data status`: coverage of the candle store per symbol and tier — first and last candle,
 * row count, gap count, missing candles and the largest gaps — plus the recorded import sources
 * and the last maintenance run.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { TIMEFRAME_MS, findGapsInTimestamps, formatUtc, largestGaps, missingCount, type Gap, type Timeframe } from '../../domain/market/index.ts';
import { LAST_MAINTENANCE_KEY, rollupRecord, seriesSources } from './maintenance.ts';

/** Coverage of one stored series. */
export interface SeriesStatus {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly count: number;
  /** First and last candle open (ms, UTC). */
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
  /** Grid slots from the first to the last candle inclusive (count + missing). */
  readonly slots: number;
  /** Number of gaps and total missing candles between the first and last candle. */
  readonly gaps: number;
  readonly missing: number;
  /** The largest gaps, largest first. */
  readonly largestGaps: readonly Gap[];
  /**
   * Import labels of the candles in this series ('binance (USDT→USD)'), sorted; ' [rolled up]' is
   * added when (also) brought in by a roll-up from a finer tier. Live-feed candles have no record.
   */
  readonly sources: readonly string[];
}

/** The whole status. */
export interface DataStatus {
  readonly series: readonly SeriesStatus[];
  /** When maintenance last ran (ms, UTC), if ever. */
  readonly lastMaintenanceAt: number | undefined;
}

/** Reads the status (optionally of one symbol), listing `largest` (default 3) largest gaps per series. Read-only. */
export function dataStatus(repos: Repositories, options: { symbol?: string; largest?: number } = {}): DataStatus {
  const largest = options.largest ?? 3;
  const series = repos.candles
    .series()
    .filter((s) => options.symbol === undefined || s.symbol === options.symbol)
    .map((s): SeriesStatus => {
      const len = TIMEFRAME_MS[s.timeframe];
      const gaps = findGapsInTimestamps(repos.candles.timestamps(s.symbol, s.timeframe, s.firstTsOpen, s.lastTsOpen + len), s.timeframe);
      const rolled = new Set(rollupRecord(repos, s.symbol, s.timeframe)?.sources ?? []);
      const sources = seriesSources(repos, s.symbol, s.timeframe).map((label) => (rolled.has(label) ? `${label} [rolled up]` : label));
      return {
        symbol: s.symbol,
        timeframe: s.timeframe,
        count: s.count,
        firstTsOpen: s.firstTsOpen,
        lastTsOpen: s.lastTsOpen,
        slots: (s.lastTsOpen - s.firstTsOpen) / len + 1,
        gaps: gaps.length,
        missing: missingCount(gaps),
        largestGaps: largestGaps(gaps, largest),
        sources,
      };
    });
  const last = repos.systemMeta.all().find((r) => r.key === LAST_MAINTENANCE_KEY);
  return { series, lastMaintenanceAt: last?.updatedAt };
}

/** The status as aligned text lines: one table row per series, then its largest gaps. */
export function formatDataStatus(status: DataStatus): string[] {
  if (status.series.length === 0) return ['no candles stored (import some with: brain data import FILE... --symbol SYM)'];
  const header = ['symbol', 'tier', 'first candle (UTC)', 'last candle (UTC)', 'candles', 'coverage', 'gaps', 'missing', 'sources'];
  const rows = status.series.map((s) => [
    s.symbol,
    s.timeframe,
    shortUtc(s.firstTsOpen),
    shortUtc(s.lastTsOpen),
    s.count.toLocaleString('en-US'),
    `${((100 * s.count) / s.slots).toFixed(2)}%`,
    String(s.gaps),
    s.missing.toLocaleString('en-US'),
    s.sources.join(', ') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 4 || i === 5 || i === 6 || i === 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header)];
  status.series.forEach((s, i) => {
    out.push(line(rows[i]!));
    if (s.largestGaps.length > 0) {
      const len = TIMEFRAME_MS[s.timeframe];
      const span = (g: Gap): string => (g.missing === 1 ? shortUtc(g.fromMs) : `${shortUtc(g.fromMs)} .. ${shortUtc(g.toMs - len)}`);
      out.push(`  largest gaps: ${s.largestGaps.map((g) => `${span(g)} (${g.missing.toLocaleString('en-US')} missing)`).join('; ')}`);
    }
  });
  out.push(status.lastMaintenanceAt === undefined ? 'maintenance: never run' : `maintenance: last run ${formatUtc(status.lastMaintenanceAt)}`);
  return out;
}

function shortUtc(ms: number): string {
  return formatUtc(ms).replace(/ UTC$/, '');
}
