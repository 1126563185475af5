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
}

const UPSERT =
  'INSERT INTO candles (symbol, timeframe, ts_open, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (symbol, timeframe, ts_open) DO UPDATE SET open = excluded.open, high = excluded.high, ' +
  'low = excluded.low, close = excluded.close, volume = excluded.volume';
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
      const stmt = st.rows(UPSERT);
      return withTransaction(st.db, () => {
        for (const c of candles) {
          intParam('candles.ts_open', c.tsOpen);
          for (const v of [c.open, c.high, c.low, c.close, c.volume]) {
            if (!Number.isFinite(v)) {
              throw new StoreError(`candle ${symbol} ${timeframe} @${c.tsOpen} has a non-finite value: ${JSON.stringify(c)}`);
            }
          }
          stmt.run(symbol, timeframe, c.tsOpen, c.open, c.high, c.low, c.close, c.volume);
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
  };
}
