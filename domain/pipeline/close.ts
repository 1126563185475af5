/**
 * Bringing the ledger up to date outside a step: the MAE lows and marks the hot path keeps in
 * float64 are written into the exact ledger, and equity is marked. Pure.
 */
import type { Fixed } from '../money/index.ts';
import { onEquity } from '../risk/index.ts';
import { PipelineError, commit, exactEquity, flushAll, openDraft, syncGauge } from './draft.ts';
import type { PipelineConfig, PipelineState } from './types.ts';

/** The books at one instant: local day, total value and cash (quote, exact). */
export interface BooksSnapshot {
  readonly dayKey: string;
  readonly equity: Fixed;
  readonly cash: Fixed;
}

/**
 * Flushes every market's pending MAE low and latest close into the ledger (so `ledger.positions`
 * carry current `lastPrice` and `mae`), marks equity into the risk state, and returns the
 * snapshot: for the daily 23:59 snapshot in paper mode and the last (partial) day of a backtest.
 * Throws `PipelineError` when `nowMs` is before the last processed time or in a later local day.
 */
export function closeBooks(state: PipelineState, config: PipelineConfig, nowMs: number): { state: PipelineState; snapshot: BooksSnapshot } {
  if (!Number.isSafeInteger(nowMs) || nowMs < state.nowMs) throw new PipelineError(`nowMs must be an integer ≥ the last processed time ${state.nowMs}, got ${nowMs}`);
  if (nowMs >= state.dayEndsAtMs) throw new PipelineError(`nowMs ${nowMs} is in a later local day than the state; call advanceMarket for it first`);
  const d = openDraft(state, config, nowMs);
  flushAll(d);
  const equity = exactEquity(d);
  d.risk = onEquity(d.risk, equity);
  syncGauge(d);
  return { state: commit(d).state, snapshot: { dayKey: d.risk.dayKey, equity, cash: d.ledger.cash } };
}
