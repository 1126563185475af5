/** Closed trades (`trades`): one row per (partial) close of a fund position. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, scalar, selectRows, where, type NewRow, type Spec, type Statements } from './codec.ts';
import type { CloseReason, Intent } from './enums.ts';

/**
 * A (partial) close; mirrors domain/portfolio `ClosedTrade`. Exact `Fixed`: `qty` base units;
 * prices, `costBasis`, `proceeds`, fees and `pnl` quote units; `pnlFraction` = pnl / costBasis
 * (0.05 = +5 %); `mae` a fraction >= 0. `fees` = entryFee + exitFee. Times: ms since epoch, UTC.
 */
export interface TradeRow {
  readonly id: number;
  readonly tag: string;
  readonly symbol: string;
  readonly side: 'long';
  readonly intent: Intent;
  readonly qty: Fixed;
  readonly entryPrice: Fixed;
  readonly exitPrice: Fixed;
  readonly costBasis: Fixed;
  readonly proceeds: Fixed;
  readonly entryFee: Fixed;
  readonly exitFee: Fixed;
  readonly fees: Fixed;
  readonly pnl: Fixed;
  readonly pnlFraction: Fixed;
  readonly mae: Fixed;
  readonly closeReason: CloseReason;
  readonly strategyVersion: string | null;
  readonly strategyRegime: string | null;
  /** The exit order, when the close came from an order of ours. */
  readonly exitClientOrderId: string | null;
  readonly openedAt: number;
  readonly closedAt: number;
}

/** Filters for trade listings; every bound is optional. Times in ms, `untilMs` exclusive. */
export interface TradeQuery {
  readonly symbol?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /** Newest first; default 500. */
  readonly limit?: number;
}

/** Field kinds shared by `trades` and `candidate_trades` (which has no exit order link). */
export const tradeSpec: Spec<Omit<TradeRow, 'exitClientOrderId'>> = {
  id: 'int',
  tag: 'text',
  symbol: 'text',
  side: 'text',
  intent: 'text',
  qty: 'fixed',
  entryPrice: 'fixed',
  exitPrice: 'fixed',
  costBasis: 'fixed',
  proceeds: 'fixed',
  entryFee: 'fixed',
  exitFee: 'fixed',
  fees: 'fixed',
  pnl: 'fixed',
  pnlFraction: 'fixed',
  mae: 'fixed',
  closeReason: 'text',
  strategyVersion: 'text?',
  strategyRegime: 'text?',
  openedAt: 'int',
  closedAt: 'int',
};

const table = defineTable<TradeRow>('trades', { ...tradeSpec, exitClientOrderId: 'text?' });

/** Repository for `trades`. */
export interface TradeRepo {
  /** Records a close; returns its id. */
  insert(row: NewRow<TradeRow>): number;
  /** Trades matching `query`, newest close first. */
  list(query?: TradeQuery): TradeRow[];
  /** Trades with fromMs <= closedAt < toMs, oldest first (day and week aggregation). */
  closedBetween(fromMs: number, toMs: number): TradeRow[];
  /** The newest `limit` trades, oldest first (risk counters: consecutive losses). */
  latest(limit: number): TradeRow[];
  /** Number of trades. */
  count(): number;
}

/** Creates the `trades` repository. */
export function createTradeRepo(st: Statements): TradeRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    list(query = {}) {
      const w = where([
        ['symbol = ?', query.symbol],
        ['closed_at >= ?', query.sinceMs],
        ['closed_at < ?', query.untilMs],
      ]);
      return selectRows(st, table, `${w.sql} ORDER BY closed_at DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 500)]);
    },
    closedBetween: (fromMs, toMs) =>
      selectRows(st, table, 'WHERE closed_at >= ? AND closed_at < ? ORDER BY closed_at, id', [intParam('fromMs', fromMs), intParam('toMs', toMs)]),
    latest: (limit) => selectRows(st, table, 'ORDER BY closed_at DESC, id DESC LIMIT ?', [intParam('limit', limit)]).reverse(),
    count: () => scalar(st, 'SELECT COUNT(*) FROM trades') as number,
  };
}
