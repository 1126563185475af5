/** `checkBudget`: tokens left in today's budget (the machine compares them with `cycle_token_reserve`). */
import { fromPromise } from 'xstate';
import type { BudgetStatus, CycleStepInput } from '../../machines/orchestrator.ts';
import type { OrchestratorDeps } from './deps.ts';

/** The `checkBudget` actor: `advisor.remainingToday()` (today − used − in flight), never below 0. */
export function createCheckBudgetActor(deps: Pick<OrchestratorDeps, 'advisor' | 'clock'>) {
  return fromPromise<BudgetStatus, CycleStepInput>(async () => ({ nowMs: deps.clock(), tokensRemaining: deps.advisor.remainingToday() }));
}
