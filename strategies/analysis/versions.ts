/**
 * Analysis module versions in the store (`analysis_module_versions`), mirroring the strategy
 * loader: register (static check, SHA-256, lineage, `v001`, `v002`, … per module), activate, and
 * find the code to run (live version → latest deployed → the seed file). Works over the
 * `AnalysisModuleStore` interface; the libSQL `analysisModules` repository fits it structurally.
 */
import { readFileSync } from 'node:fs';
import { codeHash } from '../loader/hash.ts';
import { VERSION_ID_RE } from '../loader/versions.ts';
import { checkStrategySource, formatProblems } from '../static-check/index.ts';
import { type AnalysisKind, isAnalysisKind } from './datasets.ts';
import { ANALYSIS_SEED_PATHS, ANALYSIS_SEED_VERSION } from './seeds/index.ts';

/** One stored analysis module version (same fields as the row). Times: ms UTC. */
export interface StoredAnalysisModule {
  readonly id: number;
  readonly module: string;
  readonly version: string;
  readonly parentVersion: string | null;
  readonly code: string;
  readonly codeHash: string;
  readonly description: string;
  readonly createdAt: number;
  readonly deployedAt: number | null;
  readonly retiredAt: number | null;
}

/** What these helpers read and write; adapters/libsql `Repositories['analysisModules']` fits. */
export interface AnalysisModuleStore {
  insert(row: Omit<StoredAnalysisModule, 'id'>): number;
  byVersion(module: string, version: string): StoredAnalysisModule | undefined;
  current(module: string): StoredAnalysisModule | undefined;
  deploy(module: string, version: string, nowMs: number): boolean;
  list(module: string, limit?: number): StoredAnalysisModule[];
}

const MAX_SCANNED = 100_000;

/** What `registerAnalysisModule` records. */
export interface RegisterAnalysisInput {
  readonly kind: AnalysisKind;
  /** Full source, TypeScript or JavaScript (stored as given). */
  readonly code: string;
  /** Name for the language and problem positions (default `<kind>.ts`). */
  readonly filename?: string;
  /** A stored version of the same module, or null for a seed. */
  readonly parent: string | null;
  readonly description: string;
  /** ms since epoch UTC. */
  readonly nowMs: number;
}

/** `registerAnalysisModule`'s outcome. */
export type RegisterAnalysisResult = { readonly ok: true; readonly version: string; readonly hash: string } | { readonly ok: false; readonly reason: string };

/** The stored file name of a version, for problem positions (`market_analysis-v002.ts`). */
export function analysisFilename(kind: AnalysisKind, version: string): string {
  return `${kind}-${version}.ts`;
}

/** The next `vNNN` of `kind` (`v001` when none is stored). */
export function nextAnalysisVersion(store: AnalysisModuleStore, kind: AnalysisKind): string {
  let max = 0;
  for (const row of store.list(kind, MAX_SCANNED)) {
    const m = VERSION_ID_RE.exec(row.version);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `v${String(max + 1).padStart(3, '0')}`;
}

/**
 * Registers `input.code` as the next version of its module. Refuses, as a value: an unknown kind,
 * a bad `nowMs`, code failing the static check (every problem), code identical to a stored version
 * of the module (named), an unknown parent. Does not deploy.
 */
export function registerAnalysisModule(store: AnalysisModuleStore, input: RegisterAnalysisInput): RegisterAnalysisResult {
  if (!isAnalysisKind(input.kind)) return { ok: false, reason: `unknown analysis module ${JSON.stringify(input.kind)}; allowed: market_analysis, trade_performance` };
  if (!Number.isSafeInteger(input.nowMs) || input.nowMs < 0) return { ok: false, reason: `nowMs must be a non-negative integer (ms since epoch), got ${String(input.nowMs)}` };
  const filename = input.filename ?? `${input.kind}.ts`;
  const checked = checkStrategySource(input.code, filename);
  if (!checked.ok) return { ok: false, reason: `${filename}: the static check refused the code:\n${formatProblems(checked.problems, filename)}` };
  const hash = codeHash(input.code);
  const same = store.list(input.kind, MAX_SCANNED).find((r) => r.codeHash === hash);
  if (same) return { ok: false, reason: `identical code is already stored as ${input.kind} ${same.version}; nothing registered` };
  if (input.parent !== null && !store.byVersion(input.kind, input.parent)) {
    return { ok: false, reason: `parent version ${JSON.stringify(input.parent)} of ${input.kind} does not exist; pass a stored version or null for a seed` };
  }
  const version = nextAnalysisVersion(store, input.kind);
  store.insert({ module: input.kind, version, parentVersion: input.parent, code: input.code, codeHash: hash, description: input.description, createdAt: input.nowMs, deployedAt: null, retiredAt: null });
  return { ok: true, version, hash };
}

/** Makes `version` the live one of `kind` (its stored code must still pass the static check); the previous one is retired. */
export function activateAnalysisModule(store: AnalysisModuleStore, kind: AnalysisKind, version: string, nowMs: number): { ok: true; previous: string | null } | { ok: false; reason: string } {
  const row = store.byVersion(kind, version);
  if (!row) return { ok: false, reason: `no ${kind} version ${JSON.stringify(version)}` };
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) return { ok: false, reason: `nowMs must be a non-negative integer, got ${String(nowMs)}` };
  const checked = checkStrategySource(row.code, analysisFilename(kind, version));
  if (!checked.ok) return { ok: false, reason: `${kind} ${version}'s stored code fails the static check; not activated:\n${formatProblems(checked.problems, analysisFilename(kind, version))}` };
  const previous = store.current(kind)?.version ?? null;
  store.deploy(kind, version, nowMs);
  return { ok: true, previous };
}

/** The code to run for a kind and where it came from. */
export interface ActiveAnalysisModule {
  readonly kind: AnalysisKind;
  readonly version: string;
  readonly code: string;
  /** `live`: the deployed version; `lastDeployed`: no live one, the most recently deployed; `seed`: the bundled v001 file. */
  readonly source: 'live' | 'lastDeployed' | 'seed';
}

/** The seed source of `kind` (v001), read from `strategies/analysis/seeds`. Throws if the file is unreadable. */
export function analysisSeedSource(kind: AnalysisKind): string {
  return readFileSync(ANALYSIS_SEED_PATHS[kind], 'utf8');
}

/** The module version to run for `kind`: live → most recently deployed → the seed file. Reads only. */
export function loadActiveAnalysisModule(store: AnalysisModuleStore, kind: AnalysisKind): ActiveAnalysisModule {
  const live = store.current(kind);
  if (live) return { kind, version: live.version, code: live.code, source: 'live' };
  let best: StoredAnalysisModule | undefined;
  for (const row of store.list(kind, MAX_SCANNED)) if (row.deployedAt !== null && (!best || row.deployedAt > best.deployedAt!)) best = row;
  if (best) return { kind, version: best.version, code: best.code, source: 'lastDeployed' };
  return { kind, version: ANALYSIS_SEED_VERSION, code: analysisSeedSource(kind), source: 'seed' };
}

/** Registers and deploys the seed (v001) of every kind that has no stored version yet. Returns the kinds seeded. */
export function ensureAnalysisSeeds(store: AnalysisModuleStore, nowMs: number): AnalysisKind[] {
  const seeded: AnalysisKind[] = [];
  for (const kind of ['market_analysis', 'trade_performance'] as const) {
    if (store.list(kind, 1).length > 0) continue;
    const r = registerAnalysisModule(store, { kind, code: analysisSeedSource(kind), parent: null, description: `seed ${kind} (predecessor §12)`, nowMs });
    if (!r.ok) throw new Error(`the bundled ${kind} seed failed to register: ${r.reason}`);
    store.deploy(kind, r.version, nowMs);
    seeded.push(kind);
  }
  return seeded;
}
