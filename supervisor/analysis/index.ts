/**
 * Analysis modules, supervisor side: the read-only libSQL port the modules' datasets are read
 * through, and a one-call runner that opens it, picks the module version from the store and runs it.
 */
export { type ReadonlyAnalysisStore, createAnalysisReadPort, openReadonlyAnalysisStore } from './port.ts';
export { type RunStoredAnalysisOptions, runStoredAnalysis } from './run.ts';
