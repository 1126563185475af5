/**
 * Data maintenance: roll finer candle tiers up into coarser ones past their retention, prune the
 * daily tier, and prune the other tables per the predecessor's retention table (predecessor.md
 * §7). Independent of orchestration (the predecessor only ran it after a successful AI cycle,
 * §20.3): the scheduler calls `runMaintenance` on its own schedule, and `brain data maintain`
 * runs it by hand.
 *
 * No loss at the boundary: each roll-up step works on whole buckets below a cutoff aligned to the
 * coarser tier, and writes the coarser candles before deleting the finer rows, in one
 * transaction per chunk (a crash leaves either both or neither). Chunks are at most
 * `CHUNK_DAYS` long so no single transaction holds the write lock for long, and the event loop
 * is given back between chunks.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import {
  TIMEFRAME_MS,
  bucketStart,
  formatUtc,
  planRollup,
  retentionCutoffs,
  type CandleRetention,
  type RetentionCutoffs,
  type Timeframe,
} from '../../domain/market/index.ts';
import { importLabel, importRecords } from './import.ts';

const DAY_MS = TIMEFRAME_MS['1d'];

/** Days each non-candle table keeps (predecessor.md §7); observations use `orchestrator.reflection_interval_days`. */
export const TABLE_RETENTION_DAYS = Object.freeze({
  tokenUsage: 90,
  feeSchedule: 90,
  signals: 180,
  scanResults: 30,
  orchestratorLog: 365,
  activityLog: 90,
  thoughts: 30,
  /** Counted from grading; ungraded predictions stay. */
  predictionsAfterGrading: 30,
  /** Candidate signals and daily snapshots, counted from the candidate's resolution; running candidates keep theirs. */
  candidateDetailAfterResolution: 30,
});

/** A roll-up chunk spans at most this many days (8,640 5m rows per symbol). */
export const CHUNK_DAYS = 30;

/** system_meta key holding the last maintenance report (JSON). */
export const LAST_MAINTENANCE_KEY = 'last_data_maintenance';

/**
 * system_meta key prefix of roll-up provenance: `data_rollup:<symbol>:<timeframe>` → JSON
 * `RollupRecord`, so a coarser tier built from imported candles still names their sources (and a
 * USDT→USD mapping) after the finer rows are gone.
 */
export const ROLLUP_KEY_PREFIX = 'data_rollup:';

/** Provenance of candles a roll-up wrote into `timeframe`. */
export interface RollupRecord {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Import labels ('binance (USDT→USD)') of the finer candles rolled up so far, sorted; empty when they had no import record (live feed). */
  readonly sources: readonly string[];
  /** Finer rows rolled up into this tier, over all runs. */
  readonly rows: number;
  readonly lastRunAt: number;
}

/** The roll-up provenance of one series, if any roll-up wrote into it. Throws on a corrupt record. */
export function rollupRecord(repos: Repositories, symbol: string, timeframe: Timeframe): RollupRecord | undefined {
  const key = `${ROLLUP_KEY_PREFIX}${symbol}:${timeframe}`;
  const text = repos.systemMeta.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RollupRecord;
  } catch {
    throw new Error(`system_meta ${key} holds an unreadable roll-up record: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** Import labels of the candles in one series: its own import records plus what roll-ups brought in, sorted. */
export function seriesSources(repos: Repositories, symbol: string, timeframe: Timeframe): string[] {
  const own = importRecords(repos, symbol).filter((r) => r.timeframe === timeframe).map(importLabel);
  return [...new Set([...own, ...(rollupRecord(repos, symbol, timeframe)?.sources ?? [])])].sort();
}

/** The configuration maintenance reads: `[data]` retention and the reflection interval. `BrainConfig` satisfies it. */
export interface MaintenanceConfig {
  readonly data: CandleRetention;
  readonly orchestrator: { readonly reflectionIntervalDays: number };
}

/** One series' roll-up from `source` into `target`. */
export interface RollupReport {
  readonly symbol: string;
  readonly source: Timeframe;
  readonly target: Timeframe;
  /** Source rows opening before this (ms, UTC) were rolled up and deleted. */
  readonly cutoffMs: number;
  /** Source rows deleted (all of them went into a bucket). */
  readonly sourceRows: number;
  /** Coarser candles written. */
  readonly written: number;
  /** Buckets where the coarser tier's own candle was kept because the source rows were incomplete. */
  readonly keptExisting: number;
  /** Buckets written from incomplete source rows (nothing better was stored). */
  readonly partialWritten: number;
}

/** Rows deleted per table by the non-candle prunes. */
export interface PruneCounts {
  readonly tokenUsage: number;
  readonly feeSchedule: number;
  readonly signals: number;
  readonly scanResults: number;
  readonly orchestratorLog: number;
  readonly activityLog: number;
  readonly thoughts: number;
  readonly observations: number;
  readonly predictions: number;
  readonly candidateDetail: number;
}

/** What `runMaintenance` did. */
export interface MaintenanceReport {
  readonly nowMs: number;
  readonly cutoffs: RetentionCutoffs;
  /** One entry per series that had rows to roll up, 5m→1h first, then 1h→1d. */
  readonly rollups: readonly RollupReport[];
  /** Daily candles deleted (older than `data.candle_1d_retention_years`). */
  readonly dailyDeleted: number;
  readonly pruned: PruneCounts;
}

/** Options of `runMaintenance`. */
export interface MaintenanceOptions {
  /** Called between chunks to give the event loop back; default: wait for `setImmediate`. */
  readonly pause?: () => Promise<void>;
}

/**
 * Runs the whole maintenance at `nowMs` (ms, UTC): 5m → 1h roll-up below the 5m cutoff, then
 * 1h → 1d below the 1h cutoff, then deletes daily candles below the 1d cutoff (cutoffs from
 * `domain/market` `retentionCutoffs`), then prunes the other tables (`TABLE_RETENTION_DAYS`;
 * observations older than the reflection interval; strategy_state keeps its last 10 on every
 * save and strategy_doc_versions are never pruned). Stores the report under
 * `LAST_MAINTENANCE_KEY`. Idempotent: a second run at the same `nowMs` changes nothing.
 * Throws only on store failure or corrupt stored candles; a failed chunk is rolled back whole.
 */
export async function runMaintenance(
  repos: Repositories,
  config: MaintenanceConfig,
  nowMs: number,
  options: MaintenanceOptions = {},
): Promise<MaintenanceReport> {
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cutoffs = retentionCutoffs(nowMs, config.data);
  const rollups: RollupReport[] = [];
  for (const [source, target] of [['5m', '1h'], ['1h', '1d']] as const) {
    const due = repos.candles.series().filter((s) => s.timeframe === source && s.firstTsOpen < cutoffs[source]);
    for (const series of due) {
      rollups.push(await rollUpSeries(repos, series.symbol, source, target, series.firstTsOpen, cutoffs[source], nowMs, pause));
    }
  }
  const dailyDeleted = repos.candles.deleteBefore('1d', cutoffs['1d']);
  const pruned = pruneTables(repos, config, nowMs);
  const report: MaintenanceReport = { nowMs, cutoffs, rollups, dailyDeleted, pruned };
  repos.systemMeta.set(LAST_MAINTENANCE_KEY, JSON.stringify(report), nowMs);
  return report;
}

async function rollUpSeries(
  repos: Repositories,
  symbol: string,
  source: Timeframe,
  target: Timeframe,
  firstTsOpen: number,
  cutoffMs: number,
  nowMs: number,
  pause: () => Promise<void>,
): Promise<RollupReport> {
  let sourceRows = 0;
  let written = 0;
  let keptExisting = 0;
  let partialWritten = 0;
  // Chunk edges are UTC day boundaries (or the cutoff, aligned to `target`): never inside a bucket.
  for (let from = bucketStart(firstTsOpen, '1d'); from < cutoffMs; from += CHUNK_DAYS * DAY_MS) {
    const to = Math.min(from + CHUNK_DAYS * DAY_MS, cutoffMs);
    repos.transaction(() => {
      const sources = repos.candles.range(symbol, source, from, to);
      if (sources.length === 0) return;
      const existing = repos.candles.range(symbol, target, from, to);
      const plan = planRollup(sources, existing, source, target, to);
      repos.candles.upsertMany(symbol, target, plan.write);
      const deleted = repos.candles.deleteRange(symbol, source, from, to);
      if (deleted !== plan.sourceCount) {
        // Impossible inside one write transaction; if it ever happens, roll back rather than lose rows.
        throw new Error(`roll-up of ${symbol} ${source} ${formatUtc(from)}..${formatUtc(to)}: read ${plan.sourceCount} rows but would delete ${deleted}`);
      }
      recordRollup(repos, symbol, source, target, deleted, nowMs);
      sourceRows += deleted;
      written += plan.write.length;
      keptExisting += plan.keptExisting;
      partialWritten += plan.partialWritten;
    });
    await pause();
  }
  return { symbol, source, target, cutoffMs, sourceRows, written, keptExisting, partialWritten };
}

/** Adds the finer series' sources to the coarser series' roll-up record (inside the chunk's transaction). */
function recordRollup(repos: Repositories, symbol: string, source: Timeframe, target: Timeframe, rows: number, nowMs: number): void {
  const previous = rollupRecord(repos, symbol, target);
  const record: RollupRecord = {
    symbol,
    timeframe: target,
    sources: [...new Set([...(previous?.sources ?? []), ...seriesSources(repos, symbol, source)])].sort(),
    rows: (previous?.rows ?? 0) + rows,
    lastRunAt: nowMs,
  };
  repos.systemMeta.set(`${ROLLUP_KEY_PREFIX}${symbol}:${target}`, JSON.stringify(record), nowMs);
}

function pruneTables(repos: Repositories, config: MaintenanceConfig, nowMs: number): PruneCounts {
  const before = (days: number): number => nowMs - days * DAY_MS;
  const d = TABLE_RETENTION_DAYS;
  return {
    tokenUsage: repos.tokenUsage.deleteBefore(before(d.tokenUsage)),
    feeSchedule: repos.feeSchedule.deleteBefore(before(d.feeSchedule)),
    signals: repos.signals.deleteBefore(before(d.signals)),
    scanResults: repos.scanResults.deleteBefore(before(d.scanResults)),
    orchestratorLog: repos.orchestratorLog.deleteBefore(before(d.orchestratorLog)),
    activityLog: repos.activityLog.deleteBefore(before(d.activityLog)),
    thoughts: repos.thoughts.deleteBefore(before(d.thoughts)),
    observations: repos.observations.deleteBefore(before(config.orchestrator.reflectionIntervalDays)),
    predictions: repos.predictions.deleteGradedBefore(before(d.predictionsAfterGrading)),
    candidateDetail: repos.candidates.pruneResolvedDetail(before(d.candidateDetailAfterResolution)),
  };
}
