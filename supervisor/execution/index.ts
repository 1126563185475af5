/**
 * Live execution services (issue #5): order submission persist-then-act with lookup-by-client-id
 * recovery, exchange-native protection, startup reconciliation, and read retries. They take the
 * venue port, the repositories and a clock; the runtime wires them (docs/execution.md).
 */
export { CLIENT_ORDER_SEQ_KEY, MAX_CLIENT_ORDER_ID_LENGTH, createClientOrderIds, isOurClientOrderId, type ClientOrderIds } from './client-order-id.ts';
export { DEFAULT_READ_RETRY, jitteredDelay, lookupError, resultError, retryRead, type ReadRetryPolicy, type RetryRuntime } from './retry.ts';
export { createPairRulesCache, onGrid, type GridProblem, type PairRulesCache } from './pair-rules.ts';
export { applyAndStore, loadOrder, newOrderRow, orderOfRow, type StoredApply } from './order-store.ts';
export {
  createOrderService,
  localError,
  triggerMode,
  type DroppedExecution,
  type OrderIntent,
  type OrderService,
  type OrderServiceOptions,
  type SubmitOutcome,
} from './orders.ts';
export { createProtectionService, desired, type Leg, type PlaceReason, type ProtectionAction, type ProtectionOptions, type ProtectionReport, type ProtectionService } from './protection.ts';
export { describeDifference, differenceActivity, reconcile, severityOf, type Difference, type DifferenceSeverity, type ReconcileInput, type ReconcileResult } from './reconcile.ts';
export type { ExecutionDeps, ExecutionRepos } from './types.ts';
export { createKrakenLive, type KrakenLive, type KrakenLiveInput } from './kraken-live.ts';
export { settleFromSnapshot, snapshotMatches, type SettledFact } from './settle.ts';
