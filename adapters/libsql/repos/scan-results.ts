/** The per-scan audit trail (`scan_results`). */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, selectRows, updateWhere, where, type NewRow, type Statements } from './codec.ts';
import type { SignalAction } from './enums.ts';

/**
 * One symbol's scan: price (quote per base; null when unknown) and spread (fraction), and the
 * strategy's signal for it if any. `scannedAt`: ms UTC.
 */
export interface ScanResultRow {
  readonly id: number;
  readonly scannedAt: number;
  readonly symbol: string;
  readonly price: Fixed | null;
  readonly spread: Fixed | null;
  readonly signalGenerated: boolean;
  readonly signalAction: SignalAction | null;
  readonly signalConfidence: number | null;
}

/** Extent of the trail: row count and first/last scan times (truth metrics, uptime). */
export interface ScanStats {
  readonly count: number;
  readonly firstAt: number | null;
  readonly lastAt: number | null;
}

const table = defineTable<ScanResultRow>('scan_results', {
  id: 'int',
  scannedAt: 'int',
  symbol: 'text',
  price: 'fixed?',
  spread: 'fixed?',
  signalGenerated: 'bool',
  signalAction: 'text?',
  signalConfidence: 'real?',
});

/** Repository for `scan_results`. */
export interface ScanResultRepo {
  insert(row: NewRow<ScanResultRow>): number;
  /** Marks scan `id` as having produced a signal; false when there is no such row. */
  markSignal(id: number, action: SignalAction, confidence: number): boolean;
  /** Newest first; optional symbol and time bounds (ms, `untilMs` exclusive), default limit 500. */
  list(query?: { readonly symbol?: string; readonly sinceMs?: number; readonly untilMs?: number; readonly limit?: number }): ScanResultRow[];
  stats(): ScanStats;
  /** Scans with sinceMs <= scannedAt (drought info: scans in the last 24 h). */
  countSince(sinceMs: number): number;
  /** Retention: deletes scans before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `scan_results` repository. */
export function createScanResultRepo(st: Statements): ScanResultRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    markSignal: (id, action, confidence) =>
      updateWhere(st, table, { id }, { signalGenerated: true, signalAction: action, signalConfidence: confidence }) > 0,
    list(query = {}) {
      const w = where([
        ['symbol = ?', query.symbol],
        ['scanned_at >= ?', query.sinceMs],
        ['scanned_at < ?', query.untilMs],
      ]);
      return selectRows(st, table, `${w.sql} ORDER BY scanned_at DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 500)]);
    },
    stats() {
      const [count, firstAt, lastAt] = st.arrays('SELECT COUNT(*), MIN(scanned_at), MAX(scanned_at) FROM scan_results').get() as [
        number,
        number | null,
        number | null,
      ];
      return { count, firstAt, lastAt };
    },
    countSince: (sinceMs) =>
      (st.arrays('SELECT COUNT(*) FROM scan_results WHERE scanned_at >= ?').get(intParam('sinceMs', sinceMs)) as [number])[0],
    deleteBefore: (beforeMs) => st.rows('DELETE FROM scan_results WHERE scanned_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
