/**
 * Post-trade triggers (predecessor §4.2) and the startup halt evaluation (§4.4, landmine L2).
 *
 * The predecessor's "rollback" only halted, while its alert claimed a revert. Here the two are
 * different outcomes:
 * - a HALT trigger stops new entries: daily loss beyond `maxDailyLossPct` (day-scoped) and
 *   drawdown beyond `maxDrawdownPct` (sticky);
 * - a ROLLBACK trigger asks the strategy region to revert to the previous version: daily drop
 *   beyond `rollbackDailyLossPct` and a losing streak of `rollbackConsecutiveLosses`. Each also
 *   halts (day-scoped for the drop, sticky for the streak), so the reverted strategy does not
 *   open positions in the same breach; a rollback is requested once per day (drop) or once per
 *   streak (losses), never repeatedly for one breach.
 * Evaluate after every execution batch, close and equity mark: `onEquity`, then `applyTriggers`.
 */
import type { RiskLimits } from '../contract/index.ts';
import { type HaltKind, type HaltRequest, mergeHalt } from './halts.ts';
import {
  dailyDropBreached,
  dailyLossBreached,
  dailyLossLimit,
  dailyPnl,
  dayBase,
  drawdownBreached,
  lossStreakBreached,
  money,
  percent,
  ratio,
} from './measures.ts';
import { type RiskState, haltTrading } from './state.ts';

/** What a rollback trigger fired on. */
export type RollbackKind = 'dailyDrop' | 'consecutiveLosses';

/** A request to revert the live strategy to its previous version. `kinds` lists every condition it covers. */
export interface RollbackRequest {
  readonly kinds: readonly RollbackKind[];
  readonly reason: string;
}

/** What fired: at most one new halt (the one that changes the state) and at most one rollback. */
export interface TriggerOutcome {
  readonly halt?: HaltRequest;
  readonly rollback?: RollbackRequest;
}

interface Condition {
  readonly kind: HaltKind;
  readonly rollback: RollbackKind | null;
  readonly breached: (state: RiskState, limits: RiskLimits) => boolean;
  readonly reason: (state: RiskState, limits: RiskLimits) => string;
}

/** Every halt condition, sticky ones first; the losing streak and the daily drop are rollback triggers too. */
const CONDITIONS: readonly Condition[] = [
  {
    kind: 'drawdown',
    rollback: null,
    breached: drawdownBreached,
    reason: (s, l) =>
      `drawdown ${ratio(s.peakEquity - s.equity, s.peakEquity)} from peak ${money(s.peakEquity)} to ${money(s.equity)} is beyond maxDrawdownPct ${percent(l.maxDrawdownPct)}`,
  },
  {
    kind: 'consecutiveLosses',
    rollback: 'consecutiveLosses',
    breached: lossStreakBreached,
    reason: (s, l) => `${s.consecutiveLosses} losing closes in a row reach rollbackConsecutiveLosses ${l.rollbackConsecutiveLosses}`,
  },
  {
    kind: 'dailyLoss',
    rollback: null,
    breached: dailyLossBreached,
    reason: (s, l) =>
      `daily loss ${money(-dailyPnl(s, l))} is beyond maxDailyLossPct ${percent(l.maxDailyLossPct)} of start-of-day equity ${money(dayBase(s))} (limit ${money(dailyLossLimit(s, l))})`,
  },
  {
    kind: 'dailyDrop',
    rollback: 'dailyDrop',
    breached: dailyDropBreached,
    reason: (s, l) =>
      `equity dropped ${ratio(dayBase(s) - s.equity, dayBase(s))} today, from ${money(dayBase(s))} to ${money(s.equity)}, beyond rollbackDailyLossPct ${percent(l.rollbackDailyLossPct)}`,
  },
];

function rollbackPending(kind: RollbackKind, state: RiskState): boolean {
  return kind === 'dailyDrop' ? !state.rolledBackToday : !state.rolledBackThisStreak;
}

/**
 * Which triggers fire for `state` (equity already marked): the most severe halt that would change
 * the current halt (none if an equal or stronger one holds), and a rollback for every breached
 * rollback condition not yet rolled back. Pure query; `applyTriggers` records the outcome.
 */
export function evaluateTriggers(state: RiskState, limits: RiskLimits): TriggerOutcome {
  let halt: HaltRequest | undefined;
  const kinds: RollbackKind[] = [];
  const reasons: string[] = [];
  for (const c of CONDITIONS) {
    if (!c.breached(state, limits)) continue;
    const reason = c.reason(state, limits);
    if (halt === undefined && mergeHalt(state.halt, { kind: c.kind, reason, sinceMs: 0 }) !== state.halt) halt = { kind: c.kind, reason };
    if (c.rollback !== null && rollbackPending(c.rollback, state)) {
      kinds.push(c.rollback);
      reasons.push(reason);
    }
  }
  return {
    ...(halt === undefined ? {} : { halt }),
    ...(kinds.length === 0 ? {} : { rollback: { kinds, reason: reasons.join('; ') } }),
  };
}

/**
 * Evaluates the triggers and records them: the halt is applied at `nowMs` and each requested
 * rollback is marked done (so it is not requested again for the same day or streak). The caller
 * sends `fired.halt` to the trading region and `fired.rollback` to the strategy region. Pure.
 */
export function applyTriggers(state: RiskState, limits: RiskLimits, nowMs: number): { state: RiskState; fired: TriggerOutcome } {
  const fired = evaluateTriggers(state, limits);
  let next = fired.halt === undefined ? state : haltTrading(state, fired.halt, nowMs);
  if (fired.rollback !== undefined) {
    next = {
      ...next,
      rolledBackToday: next.rolledBackToday || fired.rollback.kinds.includes('dailyDrop'),
      rolledBackThisStreak: next.rolledBackThisStreak || fired.rollback.kinds.includes('consecutiveLosses'),
    };
  }
  return { state: next, fired };
}

/**
 * Startup halt evaluation (predecessor §4.4, L2): after restoring the counters and marking equity
 * with fresh prices, and before anything trades, every halt condition that holds under the
 * *current* limits (which may have been tightened while the fund was down): drawdown, losing
 * streak, daily loss (the same measure as the pre-trade check), daily drop. All are returned,
 * most severe first (the predecessor kept only the first); apply each with `haltTrading` —
 * `mergeHalt` keeps the sticky one. A restored daily-loss halt is day-scoped like any other, so
 * it clears at the next local midnight (the predecessor's startup "Daily loss limit" never did).
 * Rollbacks are not fired here: they fire at the first `applyTriggers` if still pending. Pure.
 */
export function evaluateStartupHalt(state: RiskState, limits: RiskLimits): readonly HaltRequest[] {
  return CONDITIONS.filter((c) => c.breached(state, limits)).map((c) => ({ kind: c.kind, reason: c.reason(state, limits) }));
}
