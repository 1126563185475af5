/**
 * Actor-logic factories (`createXActor(deps)`): one effect each, over injected ports; the
 * supervisor provides them to the pure machines. Imports only domain/ and xstate (the machines' placeholder contracts are restated structurally).
 */
export { type ActorClock, type RestoredStrategy, createBootActor, createReconcileActor, createRestoreActor, createShutdownActor } from './phases.ts';
export { type RevertPort, createRevertStrategyActor } from './revert-strategy.ts';
export { type EvaluationResult, type ScanPort, createEvaluateStrategyActor } from './evaluate-strategy.ts';
