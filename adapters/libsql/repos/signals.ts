/** Fund signals (`signals`): every validated strategy signal, acted on or rejected. */
import type { Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, scalar, selectOne, selectRows, updateRow, where, type NewRow, type Spec, type Statements } from './codec.ts';
import type { Intent, SignalAction, SignalOrderType } from './enums.ts';

/**
 * One strategy signal as recorded. Sizes and prices are the strategy's float numbers made exact
 * (`fromNumber`): `size` a fraction of portfolio value, prices quote per base,
 * `slippageTolerance` a fraction. Fields the action does not use are null. `createdAt`: ms, UTC.
 */
export interface SignalRow {
  readonly id: number;
  readonly symbol: string;
  readonly action: SignalAction;
  readonly size: Fixed | null;
  readonly orderType: SignalOrderType | null;
  readonly limitPrice: Fixed | null;
  readonly stopLoss: Fixed | null;
  readonly takeProfit: Fixed | null;
  readonly slippageTolerance: Fixed | null;
  readonly intent: Intent | null;
  /** 0..1, the strategy's own confidence. */
  readonly confidence: number;
  readonly reasoning: string;
  readonly tag: string | null;
  readonly strategyVersion: string;
  readonly strategyRegime: string | null;
  readonly actedOn: boolean;
  /** Why the risk checks or execution refused it; null when acted on or not yet decided. */
  readonly rejectedReason: string | null;
  readonly createdAt: number;
}

/** The outcome of a signal, recorded after the risk check / execution. */
export type SignalOutcome = { readonly actedOn: true } | { readonly actedOn: false; readonly rejectedReason: string };

/** Filters for signal listings. Times in ms, `untilMs` exclusive. */
export interface SignalQuery {
  readonly symbol?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /** Newest first; default 500. */
  readonly limit?: number;
}

/** Field kinds shared by `signals` and `candidate_signals`. */
export const signalSpec: Spec<SignalRow> = {
  id: 'int',
  symbol: 'text',
  action: 'text',
  size: 'fixed?',
  orderType: 'text?',
  limitPrice: 'fixed?',
  stopLoss: 'fixed?',
  takeProfit: 'fixed?',
  slippageTolerance: 'fixed?',
  intent: 'text?',
  confidence: 'real',
  reasoning: 'text',
  tag: 'text?',
  strategyVersion: 'text',
  strategyRegime: 'text?',
  actedOn: 'bool',
  rejectedReason: 'text?',
  createdAt: 'int',
};

const table = defineTable<SignalRow>('signals', signalSpec);

/** Repository for `signals`. */
export interface SignalRepo {
  /** Records a signal; returns its id (orders may reference it). */
  insert(row: NewRow<SignalRow>): number;
  /** Records the outcome of signal `id`; false when there is no such signal. */
  setOutcome(id: number, outcome: SignalOutcome): boolean;
  byId(id: number): SignalRow | undefined;
  /** Signals matching `query`, newest first. */
  list(query?: SignalQuery): SignalRow[];
  /** createdAt of the newest signal (drought detection), or undefined. */
  latestAt(): number | undefined;
  /** Number of signals with sinceMs <= createdAt < untilMs. */
  countBetween(sinceMs: number, untilMs: number): number;
  /** Retention: deletes signals created before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

/** Creates the `signals` repository. */
export function createSignalRepo(st: Statements): SignalRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    setOutcome: (id, outcome) =>
      updateRow(st, table, 'id', id, { actedOn: outcome.actedOn, rejectedReason: outcome.actedOn ? null : outcome.rejectedReason }) > 0,
    byId: (id) => selectOne(st, table, 'WHERE id = ?', [intParam('id', id)]),
    list(query = {}) {
      const w = where([
        ['symbol = ?', query.symbol],
        ['created_at >= ?', query.sinceMs],
        ['created_at < ?', query.untilMs],
      ]);
      return selectRows(st, table, `${w.sql} ORDER BY created_at DESC, id DESC LIMIT ?`, [...w.params, intParam('limit', query.limit ?? 500)]);
    },
    latestAt() {
      const value = scalar(st, 'SELECT MAX(created_at) FROM signals');
      return typeof value === 'number' ? value : undefined;
    },
    countBetween: (sinceMs, untilMs) =>
      scalar(st, 'SELECT COUNT(*) FROM signals WHERE created_at >= ? AND created_at < ?', [intParam('sinceMs', sinceMs), intParam('untilMs', untilMs)]) as number,
    deleteBefore: (beforeMs) => st.rows('DELETE FROM signals WHERE created_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
