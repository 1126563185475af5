/**
 * The in-process strategy runner: trusted modules (the seed strategy, tests, the backtest
 * baseline) through the same `StrategyRunner` port the sandbox implements.
 */
export { type InProcessRunner, type InProcessRunnerOptions, createInProcessRunner } from './runner.ts';
export { type StrategySource, compileStrategySource, readStrategySource } from './source.ts';
export { DEFAULT_MAX_HISTORY, Series, SymbolHistory, TIMEFRAMES } from './history.ts';
export { seededRandom } from './random.ts';
