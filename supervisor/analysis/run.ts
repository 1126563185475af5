/**
 * One analysis run as the supervisor (nightly orchestrator cycle, `brain` commands) does it: the
 * module version from the store (live → last deployed → seed), the datasets through a fresh
 * read-only connection, the run in the sandbox, the validated report.
 */
import type { AnalysisModuleRepo } from '../../adapters/libsql/index.ts';
import { type ActiveAnalysisModule, type AnalysisKind, type AnalysisRunResult, type RunAnalysisOptions, loadActiveAnalysisModule, runAnalysisModule } from '../../strategies/analysis/index.ts';
import { openReadonlyAnalysisStore } from './port.ts';

/** Options of `runStoredAnalysis`: the database file plus `runAnalysisModule`'s options. */
export interface RunStoredAnalysisOptions extends Omit<RunAnalysisOptions, 'version' | 'filename'> {
  /** Path of the database file (opened a second time, read-only). */
  readonly dbPath: string;
  /** The `analysisModules` repository of the fund's (writer) store, to pick the version. */
  readonly modules: AnalysisModuleRepo;
}

/**
 * Runs the active version of `kind` at `nowMs` (ms UTC). The read-only connection is opened for
 * the run and closed after it. Never throws: a missing database or a failing port is an
 * `unavailable` result. `module` says which version ran and where it came from.
 */
export async function runStoredAnalysis(kind: AnalysisKind, nowMs: number, options: RunStoredAnalysisOptions): Promise<AnalysisRunResult & { readonly module: ActiveAnalysisModule | null }> {
  let active: ActiveAnalysisModule;
  try {
    active = loadActiveAnalysisModule(options.modules, kind);
  } catch (err) {
    return { ok: false, kind, error: { kind: 'unavailable', reason: `loading the ${kind} module failed: ${(err as Error).message}` }, logs: [], module: null };
  }
  let store;
  try {
    store = openReadonlyAnalysisStore(options.dbPath);
  } catch (err) {
    return { ok: false, kind, error: { kind: 'unavailable', reason: `opening ${options.dbPath} read-only failed: ${(err as Error).message}` }, logs: [], module: active };
  }
  try {
    const { dbPath: _dbPath, modules: _modules, ...rest } = options;
    const r = await runAnalysisModule(kind, active.code, store.port, nowMs, { ...rest, version: active.version, filename: `${kind}-${active.version}.ts` });
    return { ...r, module: active };
  } finally {
    store.close();
  }
}
