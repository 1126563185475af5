/**
 * The analysis modules' read-only port over libSQL (docs/analysis.md). It opens its OWN
 * connection with `openStore({ readonly: true })` — a `file:` URI with `mode=ro` plus
 * `PRAGMA query_only` — so any write through it fails inside SQLite (SQLITE_READONLY), whatever
 * SQL reached it; the fund's writer connection is never handed out. The methods are the whole
 * allow-list: each one is a fixed query of a repository, bounded by the caller's limits.
 */
import { type Db, createRepositories, openStore } from '../../adapters/libsql/index.ts';
import { toNumber } from '../../domain/money/index.ts';
import type { AnalysisReadPort } from '../../strategies/analysis/index.ts';

/** A read-only port with its connection; `close()` closes the connection (idempotent). */
export interface ReadonlyAnalysisStore {
  readonly port: AnalysisReadPort;
  /** The read-only connection itself (for checks and tests; never hand it to module code). */
  readonly db: Db;
  close(): void;
}

/**
 * Opens a separate read-only connection to the database file at `path` (which must exist and be
 * migrated) and returns the port over it. Throws `StoreError` when the file is missing, and
 * `SchemaVersionError` when its schema is newer than this code.
 */
export function openReadonlyAnalysisStore(path: string, options: { busyTimeoutMs?: number } = {}): ReadonlyAnalysisStore {
  const db = openStore({ path, readonly: true, ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }) });
  return {
    port: createAnalysisReadPort(db),
    db,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** The port over `db`. Pass a read-only connection (`openReadonlyAnalysisStore`); the port itself only reads. */
export function createAnalysisReadPort(db: Db): AnalysisReadPort {
  const repos = createRepositories(db);
  return {
    candleCoverage: () => repos.candles.series().map((s) => ({ symbol: s.symbol, timeframe: s.timeframe, rows: s.count, earliest: s.firstTsOpen, latest: s.lastTsOpen })),
    candles(symbol, timeframe, fromMs, toMs, limit) {
      if (limit <= 0) return [];
      // One row: the newest before toMs, without scanning the whole series.
      if (limit === 1) {
        const last = repos.candles.latest(symbol, timeframe, 1)[0];
        if (last !== undefined && last.tsOpen >= fromMs && last.tsOpen < toMs) return [{ ...last }];
      }
      const rows = repos.candles.range(symbol, timeframe, fromMs, toMs);
      return rows.slice(Math.max(0, rows.length - limit)).map((c) => ({ tsOpen: c.tsOpen, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
    },
    scanStats(nowMs) {
      const s = repos.scanResults.stats();
      return { total: s.count, firstAt: s.firstAt, lastAt: s.lastAt, lastHour: repos.scanResults.countSince(nowMs - 3_600_000) };
    },
    trades(nowMs, limit) {
      return repos.trades
        .list({ untilMs: nowMs + 1, limit })
        .reverse()
        .map((t) => ({
          symbol: t.symbol,
          intent: t.intent,
          costBasis: toNumber(t.costBasis),
          proceeds: toNumber(t.proceeds),
          fees: toNumber(t.fees),
          pnl: toNumber(t.pnl),
          pnlFraction: toNumber(t.pnlFraction),
          closeReason: t.closeReason,
          strategyVersion: t.strategyVersion,
          strategyRegime: t.strategyRegime,
          openedAt: t.openedAt,
          closedAt: t.closedAt,
        }));
    },
    signals(fromMs, nowMs, limit) {
      return repos.signals
        .list({ sinceMs: fromMs, untilMs: nowMs + 1, limit })
        .reverse()
        .map((s) => ({
          symbol: s.symbol,
          action: s.action,
          confidence: s.confidence,
          strategyVersion: s.strategyVersion,
          strategyRegime: s.strategyRegime,
          actedOn: s.actedOn,
          rejectedReason: s.rejectedReason,
          createdAt: s.createdAt,
        }));
    },
    openPositions: () =>
      repos.positions.list().map((p) => ({
        symbol: p.symbol,
        tag: p.tag,
        intent: p.intent,
        qty: toNumber(p.qty),
        costBasis: toNumber(p.costBasis),
        lastPrice: toNumber(p.lastPrice),
        strategyVersion: p.strategyVersion,
        openedAt: p.openedAt,
      })),
    // Stored as fractions; the port speaks percent units like the strategy contract's fee fields.
    latestFees: () => repos.feeSchedule.latestAll().map((f) => ({ symbol: f.symbol, makerPct: toNumber(f.makerFee) * 100, takerPct: toNumber(f.takerFee) * 100, checkedAt: f.checkedAt })),
  };
}
