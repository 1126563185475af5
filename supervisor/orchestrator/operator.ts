/**
 * The operator's hand on candidates (issue #8 §4): veto a candidate (it is canceled and can never
 * pass the gate), or force a promotion past the gate — only with a confirmation that repeats the
 * candidate's version, so a stray command cannot deploy code. Both return values, never throw.
 */
import type { CandidateDesk } from './candidates.ts';
import type { OrchestratorDeps } from './deps.ts';

/**
 * The orchestrator actor as the operator functions see it (a child ref or a test actor). When it
 * is in `shadowTesting` with the same candidate, the veto / forced promotion go through the
 * machine (`operator.vetoCandidate` → rejected; `operator.forcePromotion` → promoting), so the
 * cycle ends with the right outcome instead of waiting for its shadow deadline.
 */
export interface OrchestratorHandle {
  send(event: unknown): void;
  getSnapshot(): { readonly value: unknown; readonly context: unknown };
}

/** The candidate version the machine is shadow-testing, or null. */
export function shadowTestingVersion(machine: OrchestratorHandle | undefined): string | null {
  if (!machine) return null;
  const s = machine.getSnapshot();
  if (s.value !== 'shadowTesting') return null;
  return (s.context as { cycle?: { candidateVersion?: string | null } | null }).cycle?.candidateVersion ?? null;
}

/** Which candidate: by slot or by version. */
export type CandidateRef = { readonly slot: number } | { readonly version: string };

/** `vetoCandidate`'s and `forcePromotion`'s outcome. */
export type OperatorResult = { readonly ok: true; readonly version: string; readonly detail: string } | { readonly ok: false; readonly reason: string };

function resolveRef(deps: Pick<OrchestratorDeps, 'repos'>, ref: CandidateRef): string | null {
  if ('slot' in ref) return deps.repos.candidates.runningInSlot(ref.slot)?.strategyVersion ?? null;
  return deps.repos.candidates.running().some((c) => c.strategyVersion === ref.version) ? ref.version : null;
}

/** Vetoes a running candidate: canceled (`by: operator`), its shadow book stopped, the gate fails it for good. */
export function vetoCandidate(deps: Pick<OrchestratorDeps, 'repos' | 'clock'>, desk: CandidateDesk, ref: CandidateRef, reason: string, machine?: OrchestratorHandle): OperatorResult {
  if (reason.trim() === '') return { ok: false, reason: 'a veto needs a reason (it is recorded and announced)' };
  const version = resolveRef(deps, ref);
  if (version === null) return { ok: false, reason: `no running candidate ${'slot' in ref ? `in slot ${ref.slot}` : JSON.stringify(ref.version)}` };
  const r = desk.veto(version, reason);
  if (!r.ok) return { ok: false, reason: r.reason };
  // The running cycle ends `rejected` (its action sees the veto already done).
  if (shadowTestingVersion(machine) === version) machine!.send({ type: 'operator.vetoCandidate', candidateVersion: version, reason, nowMs: deps.clock() });
  return { ok: true, version, detail: `vetoed ${version}: ${reason}` };
}

/**
 * Promotes a running candidate past the gate. `confirm` must equal the candidate's version
 * (e.g. "v007"); anything else is refused with the version to repeat. Recorded and announced as
 * forced; the previous version stays for rollback. When `machine` is shadow-testing this
 * candidate the machine promotes it (asynchronously: `promoting` → idle, outcome promoted).
 */
export function forcePromotion(deps: Pick<OrchestratorDeps, 'repos' | 'clock'>, desk: CandidateDesk, ref: CandidateRef, confirm: string, machine?: OrchestratorHandle): OperatorResult {
  const version = resolveRef(deps, ref);
  if (version === null) return { ok: false, reason: `no running candidate ${'slot' in ref ? `in slot ${ref.slot}` : JSON.stringify(ref.version)}` };
  if (confirm !== version) return { ok: false, reason: `forcing a promotion skips the gate: confirm by repeating the candidate's version ${JSON.stringify(version)}` };
  if (shadowTestingVersion(machine) === version) {
    // The running cycle promotes it (promoting, forced): its outcome and log row say so.
    machine!.send({ type: 'operator.forcePromotion', candidateVersion: version, confirm, nowMs: deps.clock() });
    return { ok: true, version, detail: `forced promotion of ${version} handed to the running cycle (promoting past the gate)` };
  }
  const r = desk.promote(version, true);
  return r.ok ? { ok: true, version, detail: `forced promotion of ${version}; previous ${r.previous ?? 'none'} kept for rollback` } : { ok: false, reason: r.reason };
}
