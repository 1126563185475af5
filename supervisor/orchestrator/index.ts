/**
 * The orchestrator's implementations (issue #8): everything `orchestratorMachine.provide(...)`
 * needs — budget, reflection, context, decision, the candidate pipeline, shadow books, the
 * promotion gate, promotion, operator veto/force and rollback — plus the local parameter-search
 * advisor and `selectAdvisor`. See docs/orchestrator.md.
 */
export * from './parameters.ts';
export * from './gate.ts';
export * from './shadow.ts';
export * from './deps.ts';
export * from './budget.ts';
export * from './records.ts';
export * from './candidates.ts';
export * from './context.ts';
export * from './check-budget.ts';
export * from './decide.ts';
export * from './generate.ts';
export * from './review.ts';
export * from './validate.ts';
export * from './backtest.ts';
export * from './promote.ts';
export * from './operator.ts';
export * from './rollback.ts';
export * from './implementations.ts';
export * from './local-advisor.ts';
export * from './select.ts';
export * from './extension.ts';
