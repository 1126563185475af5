/**
 * The orchestrator wired into the fund runtime (supervisor/runtime `RuntimeOptions.orchestrator`):
 *
 * - `logic`: `orchestratorMachine.provide(...)` with this module's implementations; the fund
 *   spawns it as its `orchestrator` child (input from the fund's `childSpecs`).
 * - `onStep(nowMs, stepCandles, symbols)`: after every committed market step the candidate desk
 *   steps every shadow book with the fund's own candles (after a restart it first resumes the
 *   running candidates), judges them (`desk.evaluate`: the verdicts go to the orchestrator child
 *   as `paperTest.completed`), and returns the fund events that mirror the paper test the fund's
 *   `paperTest` region tracks: `paperTest.canceled` (the tracked test was canceled, vetoed,
 *   failed or otherwise ended before its deadline, e.g. promoted), `paperTest.started` (a new test, e.g. a new candidate or an extension) and
 *   `paperTest.tradeClosed` (each closed shadow trade of the tracked candidate).
 * - `onSchedule(type, nowMs, ref)`: remembers the orchestrator child (the runtime hands it over
 *   with every scheduler job) and starts a cycle on `schedule.orchestrationDue`
 *   (`orchestrator.requested`, source `schedule`; refused by the machine while a cycle runs).
 *
 * The fund's own rollback (`revertStrategy`: activate the previous version, reload the engine,
 * announce `strategy.rolledBack`) reaches the orchestrator on its next cycle: `gatherContext`
 * turns the `strategy.rolledBack` activity rows into `orchestrator_log` ROLLBACK rows
 * (rollback.ts `syncFundRollbacks`), the same rows `impl.rollback` writes.
 *
 * Hooks never throw into the fund: a failing book is stopped by the desk, other failures are
 * reported through `deps.publish` (`system.errorOccurred`) and the step goes on.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { FundInboundEvent } from '../../machines/index.ts';
import { orchestratorMachine } from '../../machines/orchestrator.ts';
import type { OrchestratorExtension } from '../runtime/runtime.ts';
import type { CandleSource, OrchestratorDeps } from './deps.ts';
import { type OrchestratorImplementations, createOrchestratorImplementations } from './implementations.ts';
import type { CandidateRef, OperatorResult, OrchestratorHandle } from './operator.ts';
import { publishEvent } from './records.ts';

/** The paper test the fund's `paperTest` region is told about. */
interface TrackedTest {
  readonly candidateId: number;
  readonly testId: number;
  readonly version: string;
}

/** What `createOrchestratorExtension` returns: the runtime's extension plus handles for the operator surface and status. */
export interface OrchestratorRuntimeExtension extends OrchestratorExtension {
  /** The implementations (desk, rollback, status) behind `logic`. */
  readonly impl: OrchestratorImplementations;
  /** The orchestrator child last handed over by the runtime (undefined before the first scheduler job). */
  orchestratorRef(): OrchestratorHandle | undefined;
  /** Veto / forced promotion routed through the running cycle when it shadow-tests that candidate (operator.ts). */
  readonly operator: {
    vetoCandidate(ref: CandidateRef, reason: string): OperatorResult;
    forcePromotion(ref: CandidateRef, confirm: string): OperatorResult;
  };
}

/** A `CandleSource` over the store's 5m candle tier (what the fund's feed persisted). */
export function storeCandleSource(repos: Pick<Repositories, 'candles'>): CandleSource {
  return (symbols, fromMs, toMs) => Object.fromEntries(symbols.map((s) => [s, repos.candles.range(s, '5m', fromMs, toMs)]));
}

/**
 * Builds the runtime extension over `deps` (the same deps as `createOrchestratorImplementations`;
 * `deps.clock` must be the runtime's clock). Pass the result as `RuntimeOptions.orchestrator`.
 */
export function createOrchestratorExtension(deps: OrchestratorDeps): OrchestratorRuntimeExtension {
  const impl = createOrchestratorImplementations(deps);
  const logic = orchestratorMachine.provide({ actors: impl.actors, actions: impl.actions, guards: impl.guards });
  const r = deps.repos;
  let ref: OrchestratorHandle | undefined;
  let resumed = false;
  let tracked: TrackedTest | null = null;

  const fail = (what: string, err: unknown) =>
    publishEvent(deps, 'system.errorOccurred', { source: 'orchestrator', message: `${what}: ${err instanceof Error ? err.message : String(err)}` });

  /** Fund events that bring the fund's paper-test region in line with the desk. */
  function paperTestEvents(nowMs: number): FundInboundEvent[] {
    const out: FundInboundEvent[] = [];
    if (tracked) {
      const test = r.paperTests.listFor(tracked.candidateId).find((t) => t.id === tracked!.testId);
      if (!test || test.status !== 'running') {
        // Canceled, vetoed, failed, ended before its deadline (e.g. promoted) or a vanished row: the
        // fund stops tracking it. A test that reached its deadline (inconclusive, then maybe
        // extended) was concluded by the fund's own region at that deadline.
        if (!test || test.status === 'canceled' || test.status === 'failed' || nowMs < test.deadlineAt) {
          const cand = r.candidates.byId(tracked.candidateId);
          out.push({ type: 'paperTest.canceled', reason: `${tracked.version}: ${test?.status ?? 'gone'}${cand?.resolutionReason ? ` — ${cand.resolutionReason}` : ''}`.slice(0, 500), nowMs });
        }
        tracked = null;
      }
    }
    if (!tracked) {
      const running = r.paperTests
        .listRunning()
        .filter((t) => impl.desk.book(t.strategyVersion) !== undefined)
        .sort((a, b) => b.startedAt - a.startedAt || b.id - a.id)[0];
      if (running) {
        tracked = { candidateId: running.candidateId, testId: running.id, version: running.strategyVersion };
        out.push({ type: 'paperTest.started', candidateVersion: running.strategyVersion, durationMs: Math.max(1, running.deadlineAt - nowMs), nowMs });
      }
    }
    return out;
  }

  const extension: OrchestratorRuntimeExtension = {
    logic,
    impl,
    orchestratorRef: () => ref,
    async onStep(nowMs: number, stepCandles: readonly (Candle | null)[], symbols: readonly string[]) {
      try {
        if (!resumed) {
          resumed = true;
          await impl.desk.resumeAll();
        }
        // A book the machine started (startShadowTest) trades from the next close on.
        await impl.desk.settled();
        const candles: Record<string, Candle | null> = {};
        symbols.forEach((s, i) => (candles[s] = stepCandles[i] ?? null));
        const closed = await impl.desk.onStep(nowMs, candles);
        for (const verdict of impl.desk.evaluate(nowMs)) ref?.send(verdict);
        const events = paperTestEvents(nowMs);
        const version = tracked?.version;
        for (const e of closed) if (e.candidateVersion === version) events.push(e);
        return events;
      } catch (err) {
        fail('candidate step failed', err);
        return [];
      }
    },
    onSchedule(type: string, nowMs: number, orchestrator: { send(event: unknown): void } | undefined) {
      if (orchestrator) ref = orchestrator as OrchestratorHandle;
      if (type !== 'schedule.orchestrationDue' || !ref) return;
      try {
        ref.send({ type: 'orchestrator.requested', source: 'schedule', nowMs });
      } catch (err) {
        fail('orchestration cycle could not be requested', err);
      }
    },
    operator: {
      vetoCandidate: (candidate, reason) => impl.operator.vetoCandidate(candidate, reason, ref),
      forcePromotion: (candidate, confirm) => impl.operator.forcePromotion(candidate, confirm, ref),
    },
  };
  return extension;
}
