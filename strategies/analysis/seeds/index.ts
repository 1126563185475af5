/**
 * Where the seed analysis modules' sources live (v001 of each kind). Each is a self-contained
 * TypeScript module with no imports, run in the sandbox like any later AI-written version.
 */
import { fileURLToPath } from 'node:url';
import type { AnalysisKind } from '../datasets.ts';

/** Absolute path of each kind's seed source. */
export const ANALYSIS_SEED_PATHS: Readonly<Record<AnalysisKind, string>> = Object.freeze({
  market_analysis: fileURLToPath(new URL('./market-analysis.ts', import.meta.url)),
  trade_performance: fileURLToPath(new URL('./trade-performance.ts', import.meta.url)),
});

/** The version name the seeds are recorded under. */
export const ANALYSIS_SEED_VERSION = 'v001';
