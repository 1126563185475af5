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
