/**
 * Rebuilding the risk counters from persisted rows after a restart (predecessor §4.3 and
 * landmines L2/L3: counters lost on restart, peak not loaded, halts silently dropped). Pure: the
 * caller queries the store and passes plain rows; all time arithmetic uses `domain/time`, so
 * "today" is the same local day the live counters use.
 */
import { type Fixed, ZERO, max, sum } from '../money/index.ts';
import { addDays, localDayKey, startOfDayKey, startOfLocalDay } from '../time/index.ts';
import { HALT_CLEARS_AT_NEW_DAY, type Halt } from './halts.ts';
import type { RiskState } from './state.ts';
import type { RollbackKind } from './triggers.ts';

/** The persisted facts a restart rebuilds the risk state from. Times are ms since epoch, UTC; money is quote currency. */
export interface RiskRestoreInput {
  readonly nowMs: number;
  readonly timeZone: string;
  /** Total portfolio value now, after a fresh price refresh. */
  readonly equity: Fixed;
  /** Closes (one row per full or partial close), any order; at least today's and the latest `rollbackConsecutiveLosses`. */
  readonly closedTrades: readonly { readonly closedAtMs: number; readonly pnl: Fixed }[];
  /** Times of executed entries (BUY fills, incl. average-ins); at least today's. */
  readonly entryTimesMs: readonly number[];
  /** Daily equity snapshots (taken at 23:59 local): at least yesterday's, plus all for the peak. */
  readonly dailySnapshots: readonly { readonly tsMs: number; readonly equity: Fixed }[];
  /** The last persisted peak, if the store keeps one (intraday peaks between snapshots). */
  readonly peak?: { readonly tsMs: number; readonly equity: Fixed } | null;
  /** Deposits (> 0) and withdrawals (< 0); at least those after the oldest snapshot used. */
  readonly capitalFlows?: readonly { readonly tsMs: number; readonly amount: Fixed }[];
  /** The halt in force when the process stopped (halts survive restarts). */
  readonly halt?: Halt | null;
  /** The operator kill switch as persisted. */
  readonly killSwitch?: boolean;
  /** Time of the last operator resume: losses before it are not part of the current streak. */
  readonly lastResumeMs?: number | null;
  /** Rollbacks already performed, so a restart never reverts twice for one breach. */
  readonly rollbacks?: readonly { readonly tsMs: number; readonly kind: RollbackKind }[];
}

/**
 * The risk state as of `nowMs`, rebuilt from rows:
 * - entries / realized P&L today: rows within [local midnight, now] (one day boundary; the
 *   predecessor's restored "daily trades" counted closes);
 * - start-of-day equity: yesterday's snapshot plus capital flows since it, else current equity;
 * - peak: the highest of the persisted peak, every snapshot and current equity, each shifted by
 *   the capital flows after it (a withdrawal is not a drawdown);
 * - losing streak: all losing closes since the last non-loss close and the last resume (the
 *   predecessor looked at only the last 20 trades and ignored resumes);
 * - halt: kept, except a day-scoped halt set before today's local midnight (it would have been
 *   cleared at midnight had the fund been running);
 * - rollback flags: from the rollbacks performed today / during the current streak.
 * Follow with `evaluateStartupHalt` to re-check every limit. Pure.
 */
export function restoreRiskState(input: RiskRestoreInput): RiskState {
  const { nowMs, timeZone, equity } = input;
  const dayKey = localDayKey(nowMs, timeZone);
  const dayStart = startOfLocalDay(nowMs, timeZone);
  const yesterdayStart = startOfDayKey(addDays(dayKey, -1), timeZone);
  const flows = input.capitalFlows ?? [];
  const flowsAfter = (tsMs: number): Fixed => sum(flows.filter((f) => f.tsMs > tsMs && f.tsMs <= nowMs).map((f) => f.amount));
  const today = (tsMs: number): boolean => tsMs >= dayStart && tsMs <= nowMs;

  const entriesToday = input.entryTimesMs.filter(today).length;
  const realizedPnlToday = sum(input.closedTrades.filter((t) => today(t.closedAtMs)).map((t) => t.pnl));

  const yesterday = input.dailySnapshots
    .filter((s) => s.tsMs >= yesterdayStart && s.tsMs < dayStart)
    .reduce<{ tsMs: number; equity: Fixed } | null>((best, s) => (best === null || s.tsMs >= best.tsMs ? s : best), null);
  const startOfDayEquity = yesterday === null ? equity : yesterday.equity + flowsAfter(yesterday.tsMs);

  let peakEquity = equity;
  for (const s of input.dailySnapshots) if (s.tsMs <= nowMs) peakEquity = max(peakEquity, s.equity + flowsAfter(s.tsMs));
  if (input.peak) peakEquity = max(peakEquity, input.peak.equity + flowsAfter(input.peak.tsMs));

  const closes = [...input.closedTrades].filter((t) => t.closedAtMs <= nowMs).sort((a, b) => b.closedAtMs - a.closedAtMs);
  const resumeMs = input.lastResumeMs ?? Number.NEGATIVE_INFINITY;
  let consecutiveLosses = 0;
  let streakStartMs = resumeMs;
  for (const t of closes) {
    if (t.closedAtMs <= resumeMs) break;
    if (t.pnl >= ZERO) {
      streakStartMs = Math.max(streakStartMs, t.closedAtMs);
      break;
    }
    consecutiveLosses++;
  }

  const persisted = input.halt ?? null;
  const halt = persisted !== null && HALT_CLEARS_AT_NEW_DAY[persisted.kind] && persisted.sinceMs < dayStart ? null : persisted;
  const rollbacks = input.rollbacks ?? [];

  return {
    dayKey,
    entriesToday,
    realizedPnlToday,
    startOfDayEquity,
    equity,
    peakEquity,
    consecutiveLosses,
    halt,
    killSwitch: input.killSwitch ?? false,
    rolledBackToday: rollbacks.some((r) => r.kind === 'dailyDrop' && today(r.tsMs)),
    rolledBackThisStreak:
      consecutiveLosses > 0 && rollbacks.some((r) => r.kind === 'consecutiveLosses' && r.tsMs > streakStartMs && r.tsMs <= nowMs),
  };
}
