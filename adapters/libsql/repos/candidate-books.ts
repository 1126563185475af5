/**
 * A candidate's paper books: `candidate_positions`, `candidate_trades`, `candidate_signals` and
 * `candidate_daily_performance`. Same rows as the fund's, plus `candidateId` (never the slot:
 * slots are reused, candidates are not).
 */
import { dailyPerformanceSpec, type DailyPerformanceRow, type DayRangeQuery } from './daily-performance.ts';
import {
  defineTable,
  insertRow,
  intParam,
  scalar,
  selectOne,
  selectRows,
  updateWhere,
  upsertRow,
  where,
  type NewRow,
  type Statements,
} from './codec.ts';
import { positionSpec, type PositionPatch, type PositionRow } from './positions.ts';
import { signalSpec, type SignalOutcome, type SignalQuery, type SignalRow } from './signals.ts';
import { tradeSpec, type TradeRow } from './trades.ts';

/** A candidate's open position (see `PositionRow`). */
export type CandidatePositionRow = PositionRow & { readonly candidateId: number };
/** A candidate's closed trade (see `TradeRow`; candidates have no exit order). */
export type CandidateTradeRow = Omit<TradeRow, 'exitClientOrderId'> & { readonly candidateId: number };
/** A candidate's signal (see `SignalRow`). */
export type CandidateSignalRow = SignalRow & { readonly candidateId: number };
/** A candidate's daily snapshot (see `DailyPerformanceRow`; same local day label as the fund). */
export type CandidateDailyPerformanceRow = DailyPerformanceRow & { readonly candidateId: number };

const positions = defineTable<CandidatePositionRow>('candidate_positions', { ...positionSpec, candidateId: 'int' });
const trades = defineTable<CandidateTradeRow>('candidate_trades', { ...tradeSpec, candidateId: 'int' });
const signals = defineTable<CandidateSignalRow>('candidate_signals', { ...signalSpec, candidateId: 'int' });
const daily = defineTable<CandidateDailyPerformanceRow>('candidate_daily_performance', { ...dailyPerformanceSpec, candidateId: 'int' });

/** Repository for `candidate_positions`. */
export interface CandidatePositionRepo {
  /** Returns the new id; throws if the candidate already has `tag` or does not exist. */
  insert(row: NewRow<CandidatePositionRow>): number;
  byTag(candidateId: number, tag: string): CandidatePositionRow | undefined;
  /** The candidate's open positions in FIFO order. */
  list(candidateId: number): CandidatePositionRow[];
  update(candidateId: number, tag: string, patch: PositionPatch): boolean;
  delete(candidateId: number, tag: string): boolean;
}

/** Repository for `candidate_trades`. */
export interface CandidateTradeRepo {
  insert(row: NewRow<CandidateTradeRow>): number;
  /** The candidate's trades, newest close first (default limit 500). */
  list(candidateId: number, limit?: number): CandidateTradeRow[];
  /** The candidate's trades with fromMs <= closedAt < toMs, oldest first. */
  closedBetween(candidateId: number, fromMs: number, toMs: number): CandidateTradeRow[];
  count(candidateId: number): number;
}

/** Repository for `candidate_signals`. */
export interface CandidateSignalRepo {
  insert(row: NewRow<CandidateSignalRow>): number;
  setOutcome(id: number, outcome: SignalOutcome): boolean;
  /** The candidate's signals, newest first. */
  list(candidateId: number, query?: Omit<SignalQuery, 'symbol'>): CandidateSignalRow[];
}

/** Repository for `candidate_daily_performance`. */
export interface CandidateDailyPerformanceRepo {
  /** Inserts or replaces the candidate's snapshot of `row.date`. */
  upsert(row: NewRow<CandidateDailyPerformanceRow>): void;
  /** The candidate's snapshots, newest first. */
  list(candidateId: number, query?: DayRangeQuery): CandidateDailyPerformanceRow[];
}

/** Creates the `candidate_positions` repository. */
export function createCandidatePositionRepo(st: Statements): CandidatePositionRepo {
  return {
    insert: (row) => insertRow(st, positions, row),
    byTag: (candidateId, tag) => selectOne(st, positions, 'WHERE candidate_id = ? AND tag = ?', [intParam('candidateId', candidateId), tag]),
    list: (candidateId) => selectRows(st, positions, 'WHERE candidate_id = ? ORDER BY opened_at, seq, id', [intParam('candidateId', candidateId)]),
    update: (candidateId, tag, patch) => updateWhere(st, positions, { candidateId, tag }, patch) > 0,
    delete: (candidateId, tag) =>
      st.rows('DELETE FROM candidate_positions WHERE candidate_id = ? AND tag = ?').run(intParam('candidateId', candidateId), tag).changes > 0,
  };
}

/** Creates the `candidate_trades` repository. */
export function createCandidateTradeRepo(st: Statements): CandidateTradeRepo {
  return {
    insert: (row) => insertRow(st, trades, row),
    list: (candidateId, limit = 500) =>
      selectRows(st, trades, 'WHERE candidate_id = ? ORDER BY closed_at DESC, id DESC LIMIT ?', [intParam('candidateId', candidateId), intParam('limit', limit)]),
    closedBetween: (candidateId, fromMs, toMs) =>
      selectRows(st, trades, 'WHERE candidate_id = ? AND closed_at >= ? AND closed_at < ? ORDER BY closed_at, id', [
        intParam('candidateId', candidateId),
        intParam('fromMs', fromMs),
        intParam('toMs', toMs),
      ]),
    count: (candidateId) => scalar(st, 'SELECT COUNT(*) FROM candidate_trades WHERE candidate_id = ?', [intParam('candidateId', candidateId)]) as number,
  };
}

/** Creates the `candidate_signals` repository. */
export function createCandidateSignalRepo(st: Statements): CandidateSignalRepo {
  return {
    insert: (row) => insertRow(st, signals, row),
    setOutcome: (id, outcome) =>
      updateWhere(st, signals, { id }, { actedOn: outcome.actedOn, rejectedReason: outcome.actedOn ? null : outcome.rejectedReason }) > 0,
    list(candidateId, query = {}) {
      const w = where([
        ['candidate_id = ?', intParam('candidateId', candidateId)],
        ['created_at >= ?', query.sinceMs],
        ['created_at < ?', query.untilMs],
      ]);
      return selectRows(st, signals, `${w.sql} ORDER BY created_at DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 500)]);
    },
  };
}

/** Creates the `candidate_daily_performance` repository. */
export function createCandidateDailyPerformanceRepo(st: Statements): CandidateDailyPerformanceRepo {
  return {
    upsert: (row) => upsertRow(st, daily, row, ['candidateId', 'date']),
    list(candidateId, query = {}) {
      const w = where([
        ['candidate_id = ?', intParam('candidateId', candidateId)],
        ['date >= ?', query.fromDate],
        ['date <= ?', query.toDate],
      ]);
      return selectRows(st, daily, `${w.sql} ORDER BY date DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 365)]);
    },
  };
}
