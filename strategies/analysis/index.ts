/**
 * The analysis modules (predecessor §12; docs/analysis.md): `market_analysis` and
 * `trade_performance`, AI-rewritable code that runs in the strategy sandbox over datasets the
 * host reads through a read-only port, and returns a JSON report validated here with zod.
 *
 *   const r = await runAnalysisModule('trade_performance', code, port, nowMs, { host });
 *   // r.ok → r.report (validated) | r.error { kind, reason }
 *
 * `strategies/` declares the port (`AnalysisReadPort`); the supervisor implements it over a
 * separate read-only libSQL connection (supervisor/analysis).
 */
export type { AnalysisCandle, AnalysisCoverage, AnalysisFee, AnalysisPosition, AnalysisReadPort, AnalysisScanStats, AnalysisSignal, AnalysisTrade } from './port.ts';
export {
  ANALYSIS_KINDS,
  type AnalysisBounds,
  type AnalysisContext,
  type AnalysisInput,
  type AnalysisKind,
  DEFAULT_ANALYSIS_BOUNDS,
  type MarketAnalysisData,
  type TradePerformanceData,
  collectAnalysisInput,
  isAnalysisKind,
} from './datasets.ts';
export {
  ANALYSIS_REPORT_SCHEMAS,
  type MarketAnalysisReport,
  type TradePerformanceReport,
  marketAnalysisReportSchema,
  tradePerformanceReportSchema,
  tradeStatsSchema,
} from './schemas.ts';
export { type AnalysisReport, type AnalysisRunResult, DEFAULT_ANALYSIS_DEADLINE_MS, DEFAULT_MAX_REPORT_CHARS, type RunAnalysisOptions, runAnalysisModule } from './run.ts';
export {
  type ActiveAnalysisModule,
  type AnalysisModuleStore,
  type RegisterAnalysisInput,
  type RegisterAnalysisResult,
  type StoredAnalysisModule,
  activateAnalysisModule,
  analysisFilename,
  analysisSeedSource,
  ensureAnalysisSeeds,
  loadActiveAnalysisModule,
  nextAnalysisVersion,
  registerAnalysisModule,
} from './versions.ts';
export { ANALYSIS_SEED_PATHS, ANALYSIS_SEED_VERSION } from './seeds/index.ts';
