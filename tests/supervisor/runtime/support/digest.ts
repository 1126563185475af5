/**
 * The persisted state of a fund, as one comparable value: the checkpoint (step, books, strategy
 * state), every trade, open position and signal row (ids excluded: they are storage details), and
 * the fund's halt/pause/strategy record from its persisted snapshot.
 */
import type { Repositories } from '../../../../adapters/libsql/index.ts';

export interface PersistedState {
  readonly step: number;
  readonly digest: string;
}

const withoutId = <T extends { id: number }>(row: T): Omit<T, 'id'> => {
  const { id: _id, ...rest } = row;
  return rest;
};

/** Reads the persisted state (bigint fields rendered as strings). */
export function persistedState(repos: Repositories): PersistedState {
  const cp = repos.checkpoints.get();
  const snapshot = repos.actorSnapshots.get('fund');
  const fund = snapshot ? (JSON.parse(snapshot.snapshot) as { context?: { halt: unknown; pausedByOperator: unknown; dailyLossLock: unknown; strategy?: { version: unknown } } }).context : undefined;
  const value = {
    step: cp?.step ?? 0,
    stepMs: cp?.stepMs ?? null,
    books: cp?.books ?? null,
    strategyState: cp?.strategyState ?? null,
    trades: repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER).map(withoutId),
    positions: repos.positions.list().map(withoutId),
    signals: repos.signals.list({ limit: 100_000 }).map(withoutId).reverse(),
    fund: fund ? { halt: fund.halt, paused: fund.pausedByOperator, lock: fund.dailyLossLock, strategy: fund.strategy?.version ?? null } : null,
  };
  return { step: value.step, digest: JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) };
}
