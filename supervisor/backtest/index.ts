/**
 * The backtester (DESIGN.md §4 backtest mode): stored candles on a simulated clock through the
 * same pipeline and strategy port as paper and live, walk-forward folds, and the report.
 * See docs/backtesting.md.
 */
export { type BacktestHooks, type BacktestRun, type BacktestSpec, BacktestSpecError, countWindowSteps, lowerBound, runBacktest, strategyNotices, warmupHistory } from './engine.ts';
export { type BacktestReport, type BacktestRequest, type FoldReport, reportJson, runBacktestReport } from './run.ts';
export { type MonthSummary, type SymbolSummary, type TradeJson, type WindowReport, truthInput, windowReport } from './report.ts';
export { type FoldWindows, chainedInput, chainedMetrics, foldWindows } from './walk-forward.ts';
export { renderReport } from './render.ts';
export { GENERIC_PAIR_RULES, KNOWN_PAIR_RULES, backtestMarkets, parseSpreads } from './markets.ts';
export { type Coverage, fiveMinuteCoverage, loadFiveMinute } from './load.ts';
export { CausalAggregator, RollingVolume } from './causal.ts';
export { type OrderCounts, RunCollector } from './collect.ts';
