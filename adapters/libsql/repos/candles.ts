/**
 * Tiered OHLCV candles. Prices and volume are float64 (domain/market `Candle`), stored as REAL,
 * which round-trips every float64 bit-exactly. Hand-written (no codec) because range reads of
 * hundreds of thousands of rows are on the restart path.
 */
import type { Candle, Timeframe } from '../../../domain/market/index.ts';
import { withTransaction } from '../db.ts';
import { StoreError } from '../errors.ts';
import { intParam, scalar, type Statements } from './codec.ts';

/** One stored series: how many candles and the first and last `tsOpen` (ms, UTC). */
export interface CandleSeries {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly count: number;
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
}

/** Repository for `candles`. */
export interface CandleRepo {
  /**
   * Inserts or overwrites (same symbol, timeframe, tsOpen) every candle in one transaction;
   * returns how many were written. Throws `StoreError` on a non-integer tsOpen or non-finite
   * value, and SQLite's CHECK error on an impossible candle (low > high, price <= 0, volume < 0);
   * either way nothing of the batch is written.
   */
  upsertMany(symbol: string, timeframe: Timeframe, candles: readonly Candle[]): number;
  /** Candles with fromMs <= tsOpen < toMs, oldest first. */
  range(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number): Candle[];
  /** The newest `limit` candles, oldest first. */
  latest(symbol: string, timeframe: Timeframe, limit: number): Candle[];
  /** tsOpen of the newest candle, or undefined when the series is empty. */
  latestTs(symbol: string, timeframe: Timeframe): number | undefined;
  /** Number of candles in the series. */
  count(symbol: string, timeframe: Timeframe): number;
  /** Every stored series with its extent, by symbol then timeframe. */
  series(): CandleSeries[];
  /** Retention: deletes candles of `timeframe` (all symbols) with tsOpen < beforeMs; returns how many. */
  deleteBefore(timeframe: Timeframe, beforeMs: number): number;
  /** `tsOpen` (ms) of the candles with fromMs <= tsOpen < toMs, oldest first (gap scans without reading prices). */
  timestamps(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number): number[];
  /** Number of candles with fromMs <= tsOpen < toMs. */
  countRange(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number): number;
  /** Deletes one series' candles with fromMs <= tsOpen < toMs (tier roll-up); returns how many. */
  deleteRange(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number): number;
}

const INSERT = 'INSERT INTO candles (symbol, timeframe, ts_open, open, high, low, close, volume) VALUES ';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?)';
const ON_CONFLICT =
  ' ON CONFLICT (symbol, timeframe, ts_open) DO UPDATE SET open = excluded.open, high = excluded.high, ' +
  'low = excluded.low, close = excluded.close, volume = excluded.volume';
const UPSERT = INSERT + ROW + ON_CONFLICT;
/**
 * Rows per multi-row upsert statement (8 parameters each, far below SQLite's 32,766 limit).
 * Binding many rows per call is ~2-3x faster than one call per row through libsql's native
 * binding (imports of a year of 5m candles); the remainder goes row by row.
 */
const BULK_ROWS = 250;
const BULK_UPSERT = INSERT + Array.from({ length: BULK_ROWS }, () => ROW).join(', ') + ON_CONFLICT;
const COLUMNS = 'ts_open, open, high, low, close, volume';

/** Creates the `candles` repository. */
export function createCandleRepo(st: Statements): CandleRepo {
  const toCandles = (rows: unknown[]): Candle[] =>
    (rows as [number, number, number, number, number, number][]).map(([tsOpen, open, high, low, close, volume]) => ({
      tsOpen,
      open,
      high,
      low,
      close,
      volume,
    }));
  return {
    upsertMany(symbol, timeframe, candles) {
      const check = (c: Candle): void => {
        intParam('candles.ts_open', c.tsOpen);
        if (!Number.isFinite(c.open) || !Number.isFinite(c.high) || !Number.isFinite(c.low) || !Number.isFinite(c.close) || !Number.isFinite(c.volume)) {
          throw new StoreError(`candle ${symbol} ${timeframe} @${c.tsOpen} has a non-finite value: ${JSON.stringify(c)}`);
        }
      };
      return withTransaction(st.db, () => {
        const bulkEnd = candles.length - (candles.length % BULK_ROWS);
        if (bulkEnd > 0) {
          const bulk = st.rows(BULK_UPSERT);
          const params: (string | number)[] = new Array(BULK_ROWS * 8);
          for (let start = 0; start < bulkEnd; start += BULK_ROWS) {
            for (let k = 0; k < BULK_ROWS; k++) {
              const c = candles[start + k]!;
              check(c);
              const p = k * 8;
              params[p] = symbol;
              params[p + 1] = timeframe;
              params[p + 2] = c.tsOpen;
              params[p + 3] = c.open;
              params[p + 4] = c.high;
              params[p + 5] = c.low;
              params[p + 6] = c.close;
              params[p + 7] = c.volume;
            }
            bulk.run(...params);
          }
        }
        const one = st.rows(UPSERT);
        for (let i = bulkEnd; i < candles.length; i++) {
          const c = candles[i]!;
          check(c);
          one.run(symbol, timeframe, c.tsOpen, c.open, c.high, c.low, c.close, c.volume);
        }
        return candles.length;
      });
    },
    range(symbol, timeframe, fromMs, toMs) {
      const sql = `SELECT ${COLUMNS} FROM candles WHERE symbol = ? AND timeframe = ? AND ts_open >= ? AND ts_open < ? ORDER BY ts_open`;
      return toCandles(st.arrays(sql).all(symbol, timeframe, intParam('fromMs', fromMs), intParam('toMs', toMs)));
    },
    latest(symbol, timeframe, limit) {
      const sql = `SELECT ${COLUMNS} FROM candles WHERE symbol = ? AND timeframe = ? ORDER BY ts_open DESC LIMIT ?`;
      return toCandles(st.arrays(sql).all(symbol, timeframe, intParam('limit', limit))).reverse();
    },
    latestTs(symbol, timeframe) {
      const value = scalar(st, 'SELECT MAX(ts_open) FROM candles WHERE symbol = ? AND timeframe = ?', [symbol, timeframe]);
      return typeof value === 'number' ? value : undefined;
    },
    count(symbol, timeframe) {
      return scalar(st, 'SELECT COUNT(*) FROM candles WHERE symbol = ? AND timeframe = ?', [symbol, timeframe]) as number;
    },
    series() {
      const rows = st
        .arrays('SELECT symbol, timeframe, COUNT(*), MIN(ts_open), MAX(ts_open) FROM candles GROUP BY symbol, timeframe ORDER BY symbol, timeframe')
        .all() as [string, Timeframe, number, number, number][];
      return rows.map(([symbol, timeframe, count, firstTsOpen, lastTsOpen]) => ({ symbol, timeframe, count, firstTsOpen, lastTsOpen }));
    },
    deleteBefore(timeframe, beforeMs) {
      return st.rows('DELETE FROM candles WHERE timeframe = ? AND ts_open < ?').run(timeframe, intParam('beforeMs', beforeMs)).changes;
    },
    timestamps(symbol, timeframe, fromMs, toMs) {
      const sql = 'SELECT ts_open FROM candles WHERE symbol = ? AND timeframe = ? AND ts_open >= ? AND ts_open < ? ORDER BY ts_open';
      return st.arrays(sql).pluck(true).all(symbol, timeframe, intParam('fromMs', fromMs), intParam('toMs', toMs)) as number[];
    },
    countRange(symbol, timeframe, fromMs, toMs) {
      const sql = 'SELECT COUNT(*) FROM candles WHERE symbol = ? AND timeframe = ? AND ts_open >= ? AND ts_open < ?';
      return scalar(st, sql, [symbol, timeframe, intParam('fromMs', fromMs), intParam('toMs', toMs)]) as number;
    },
    deleteRange(symbol, timeframe, fromMs, toMs) {
      const sql = 'DELETE FROM candles WHERE symbol = ? AND timeframe = ? AND ts_open >= ? AND ts_open < ?';
      return st.rows(sql).run(symbol, timeframe, intParam('fromMs', fromMs), intParam('toMs', toMs)).changes;
    },
  };
}
