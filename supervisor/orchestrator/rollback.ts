/**
 * A real rollback (issue #8 §5): the fund returns to the version that traded before the live one
 * (strategies/loader `previousVersion` + `activateVersion`), the reason is recorded in
 * `orchestrator_log` (decision ROLLBACK, outcome rolledBack, from/to) so the next cycle's context
 * shows it, and `strategy.rolledBack` is announced. The fund machine's `revertStrategy` actor
 * calls this.
 */
import { localDayKey } from '../../domain/time/index.ts';
import { activateVersion, previousVersion } from '../../strategies/loader/index.ts';
import type { OrchestratorDeps } from './deps.ts';
import { publishEvent } from './records.ts';

/** The outcome: the version now live and the one it replaced, or why nothing changed. */
export type RollbackResult = { readonly ok: true; readonly from: string | null; readonly to: string } | { readonly ok: false; readonly reason: string };

/** Keeps `strategy.rolledBack` activity rows this far back in view of {@link syncFundRollbacks}. */
const SYNC_WINDOW_MS = 30 * 86_400_000;

/**
 * Tells the orchestrator about rollbacks the FUND did (the runtime's `revertStrategy`: activate
 * the previous version, reload the engine, announce `strategy.rolledBack`, which the event bus
 * writes to `activity_log`): every such activity row of the last 30 days without its
 * `orchestrator_log` row gets one (cycle id `rollback-<ts>`, decision ROLLBACK, outcome
 * rolledBack, from/to and the trigger), so the next cycle's context shows it exactly as a
 * rollback done through {@link rollbackToPrevious} (which writes the same row itself).
 * Idempotent; unreadable rows are skipped. Returns the cycle ids written.
 */
export function syncFundRollbacks(deps: Pick<OrchestratorDeps, 'repos' | 'config'>, nowMs: number): string[] {
  const written: string[] = [];
  for (const row of deps.repos.activityLog.list({ sinceMs: nowMs - SYNC_WINDOW_MS, untilMs: nowMs + 1, limit: 200 }).reverse()) {
    let detail: { type?: unknown; data?: { fromVersion?: unknown; toVersion?: unknown; trigger?: unknown } };
    try {
      detail = JSON.parse(row.detail ?? '{}') as typeof detail;
    } catch {
      continue;
    }
    if (detail.type !== 'strategy.rolledBack' || typeof detail.data?.toVersion !== 'string') continue;
    const cycleId = `rollback-${row.ts}`;
    if (deps.repos.orchestratorLog.byCycleId(cycleId)) continue;
    deps.repos.orchestratorLog.insert({
      cycleId,
      date: localDayKey(row.ts, deps.config.timeZone),
      decision: 'ROLLBACK',
      outcome: 'rolledBack',
      analysis: null,
      changes: typeof detail.data.trigger === 'string' ? detail.data.trigger : row.summary,
      strategyVersionFrom: typeof detail.data.fromVersion === 'string' && detail.data.fromVersion !== 'none' ? detail.data.fromVersion : null,
      strategyVersionTo: detail.data.toVersion,
      tokensUsed: 0,
      costUsd: 0n,
      startedAt: row.ts,
      finishedAt: row.ts,
    });
    written.push(cycleId);
  }
  return written;
}

/** Reverts to the previous version. Refused (as a value) when there is none or it cannot be activated. */
export function rollbackToPrevious(deps: Pick<OrchestratorDeps, 'repos' | 'clock' | 'publish' | 'config'>, reason: string): RollbackResult {
  const nowMs = deps.clock();
  const live = deps.repos.strategyVersions.current()?.version ?? null;
  const prev = previousVersion(deps.repos);
  if (!prev) return { ok: false, reason: `no previous strategy version to roll back to (live: ${live ?? 'none'})` };
  const activated = activateVersion(deps.repos, prev.version, nowMs);
  if (!activated.ok) return { ok: false, reason: activated.reason };
  deps.repos.orchestratorLog.insert({
    cycleId: `rollback-${nowMs}`,
    date: localDayKey(nowMs, deps.config.timeZone),
    decision: 'ROLLBACK',
    outcome: 'rolledBack',
    analysis: null,
    changes: reason,
    strategyVersionFrom: live,
    strategyVersionTo: prev.version,
    tokensUsed: 0,
    costUsd: 0n,
    startedAt: nowMs,
    finishedAt: nowMs,
  });
  publishEvent(deps, 'strategy.rolledBack', { fromVersion: live ?? 'none', toVersion: prev.version, trigger: reason });
  return { ok: true, from: live, to: prev.version };
}
