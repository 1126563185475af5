/**
 * Strategy versions: registering code (static check first, SHA-256, lineage), activating a version
 * for the fund (the previous one is retired and stays ready for rollback) and finding the version
 * a rollback returns to. Pure apart from the store and esbuild (inside the static check).
 */
import { checkStrategySource, formatProblems, type StaticProblem } from '../static-check/index.ts';
import { codeHash } from './hash.ts';
import { type LoaderRepos, MAX_SCANNED_VERSIONS, type StoredVersion } from './store.ts';

/** Fund version ids: `v` and at least three digits (`v001`, `v002`, … `v1000`). */
export const VERSION_ID_RE = /^v(\d{3,})$/;

/** What `registerVersion` records. */
export interface RegisterInput {
  /** The full source, TypeScript or JavaScript (stored as given). */
  readonly code: string;
  /** Name used for the language (.ts/.mts/.cts = TypeScript) and in problem positions. */
  readonly filename: string;
  /** The version this one was derived from, or null for a seed. Must exist. */
  readonly parent: string | null;
  readonly description: string;
  /** 0 promotion, 1 tweak, 2 restructure, 3 overhaul; null when not classified. */
  readonly riskTier?: number | null;
  /** Creation time, ms since epoch UTC. */
  readonly nowMs: number;
}

/** `registerVersion`'s outcome; `problems` is set when the static check refused the code. */
export type RegisterResult =
  | { readonly ok: true; readonly version: string; readonly hash: string }
  | { readonly ok: false; readonly reason: string; readonly problems?: readonly StaticProblem[]; readonly duplicateOf?: string };

/** Every stored version, newest first. */
export function allVersions(repos: LoaderRepos): StoredVersion[] {
  return repos.strategyVersions.list(MAX_SCANNED_VERSIONS);
}

/** The id after the highest `vNNN` stored (`v001` for an empty store). Pure over the store. */
export function nextVersionId(repos: LoaderRepos): string {
  let max = 0;
  for (const row of allVersions(repos)) {
    const m = VERSION_ID_RE.exec(row.version);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `v${String(max + 1).padStart(3, '0')}`;
}

/**
 * Registers `input.code` as the next fund version (`v001`, `v002`, …; never reused). Refuses, as a
 * value: code failing the static check (every problem, `file:line:column`), code whose SHA-256
 * equals a stored version's (names it), an unknown parent, a non-integer `nowMs`. Does not deploy.
 */
export function registerVersion(repos: LoaderRepos, input: RegisterInput): RegisterResult {
  if (!Number.isSafeInteger(input.nowMs) || input.nowMs < 0) {
    return { ok: false, reason: `nowMs must be a non-negative integer (ms since epoch), got ${String(input.nowMs)}` };
  }
  const checked = checkStrategySource(input.code, input.filename);
  if (!checked.ok) {
    return {
      ok: false,
      reason: `${input.filename}: the static check refused the code (${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}):\n${formatProblems(checked.problems, input.filename)}`,
      problems: checked.problems,
    };
  }
  const hash = codeHash(input.code);
  const same = allVersions(repos).find((row) => row.codeHash === hash);
  if (same) {
    return { ok: false, reason: `identical code is already stored as ${same.version} (sha-256 ${hash.slice(0, 16)}…); nothing registered`, duplicateOf: same.version };
  }
  if (input.parent !== null && !repos.strategyVersions.byVersion(input.parent)) {
    return { ok: false, reason: `parent version ${JSON.stringify(input.parent)} does not exist; pass a stored version or null for a seed` };
  }
  const version = nextVersionId(repos);
  repos.strategyVersions.insert({
    version,
    parentVersion: input.parent,
    code: input.code,
    codeHash: hash,
    riskTier: input.riskTier ?? null,
    description: input.description,
    backtestResult: null,
    shadowTestResult: null,
    marketConditions: null,
    createdAt: input.nowMs,
    deployedAt: null,
    retiredAt: null,
  });
  return { ok: true, version, hash };
}

/** `activateVersion`'s outcome: `previous` is the version it replaced (kept for rollback). */
export type ActivateResult =
  | { readonly ok: true; readonly version: string; readonly previous: string | null; readonly changed: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Makes `version` the fund's live version at `nowMs`: checks that it exists and that its stored
 * code still passes the static check, then deploys it (the previous live version is retired, its
 * row and code kept for rollback). Activating the live version again changes nothing.
 */
export function activateVersion(repos: LoaderRepos, version: string, nowMs: number): ActivateResult {
  const row = repos.strategyVersions.byVersion(version);
  if (!row) return { ok: false, reason: `no strategy version ${JSON.stringify(version)}; see 'brain strategy list'` };
  const live = repos.strategyVersions.current();
  if (live?.version === version) return { ok: true, version, previous: live.version, changed: false };
  const checked = checkStrategySource(row.code, storedFilename(version));
  if (!checked.ok) {
    return { ok: false, reason: `${version}'s stored code fails the static check; not activated:\n${formatProblems(checked.problems, storedFilename(version))}` };
  }
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) return { ok: false, reason: `nowMs must be a non-negative integer, got ${String(nowMs)}` };
  repos.strategyVersions.deploy(version, nowMs);
  return { ok: true, version, previous: live?.version ?? null, changed: true };
}

/**
 * The version a rollback returns to: the most recently retired version that once traded for the
 * fund (not the live one), or undefined when there is none. Pure over the store.
 */
export function previousVersion(repos: LoaderRepos): StoredVersion | undefined {
  const live = repos.strategyVersions.current()?.version;
  let best: StoredVersion | undefined;
  for (const row of allVersions(repos)) {
    if (row.version === live || row.deployedAt === null || row.retiredAt === null) continue;
    if (!best || row.retiredAt > best.retiredAt! || (row.retiredAt === best.retiredAt && row.deployedAt > best.deployedAt!)) best = row;
  }
  return best;
}

/** The latest deployed version (live if any, else the most recently deployed), or undefined. */
export function latestDeployed(repos: LoaderRepos): StoredVersion | undefined {
  const live = repos.strategyVersions.current();
  if (live) return live;
  let best: StoredVersion | undefined;
  for (const row of allVersions(repos)) {
    if (row.deployedAt !== null && (!best || row.deployedAt > best.deployedAt!)) best = row;
  }
  return best;
}

/**
 * The file name stored code is checked under: TypeScript (a superset of the JavaScript strategies
 * use), named after the version so that problems read `v002.ts:3:5`.
 */
export function storedFilename(version: string): string {
  return `${version}.ts`;
}
