/**
 * The startup fallback chain (DESIGN.md §2 `strategy`; predecessor §8.1): the configured strategy
 * file if it passes the static check → else the latest deployed copy in the database → else no
 * strategy (the fund pauses). Every step that was skipped is recorded with its reason.
 */
import { readFileSync } from 'node:fs';
import { checkStrategySource, formatProblems } from '../static-check/index.ts';
import { codeHash } from './hash.ts';
import type { LoaderRepos } from './store.ts';
import { allVersions, latestDeployed, storedFilename } from './versions.ts';

/** Where `loadActiveStrategy` found the strategy. */
export type ActiveSource = 'file' | 'db';

/** `loadActiveStrategy`'s outcome. `reasons` lists every fallback taken, in order. */
export type ActiveStrategy =
  | {
      readonly kind: 'loaded';
      /** The stored version whose hash matches; for an unregistered file `file-<first 12 hex of its hash>`. */
      readonly version: string;
      /** Whether `version` is a stored version. */
      readonly registered: boolean;
      /** JavaScript for `StrategyRunner.load` (TypeScript stripped). */
      readonly code: string;
      /** The source as written (file contents or the stored copy). */
      readonly sourceCode: string;
      /** SHA-256 of `sourceCode`, hex. */
      readonly hash: string;
      readonly source: ActiveSource;
      /** Absolute path when `source` is 'file'. */
      readonly path: string | null;
      readonly reasons: readonly string[];
    }
  | { readonly kind: 'none'; readonly reasons: readonly string[] };

/** Inputs of `loadActiveStrategy`. `readFile` defaults to reading UTF-8 from disk. */
export interface LoadActiveInput {
  readonly filePath?: string | null;
  readonly repos: LoaderRepos;
  readonly readFile?: (path: string) => string;
}

/**
 * Finds the strategy the fund should run. Never throws for an expected failure (missing or
 * unreadable file, static-check problems, empty store); `kind: 'none'` means the fund pauses.
 */
export function loadActiveStrategy(input: LoadActiveInput): ActiveStrategy {
  const reasons: string[] = [];
  const read = input.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  if (input.filePath) {
    let source: string | null = null;
    try {
      source = read(input.filePath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      reasons.push(`strategy file ${input.filePath}: ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as Error).message})`}`);
    }
    if (source !== null) {
      const checked = checkStrategySource(source, input.filePath);
      if (checked.ok) {
        const hash = codeHash(source);
        const row = allVersions(input.repos).find((r) => r.codeHash === hash);
        return {
          kind: 'loaded',
          version: row?.version ?? `file-${hash.slice(0, 12)}`,
          registered: row !== undefined,
          code: checked.code,
          sourceCode: source,
          hash,
          source: 'file',
          path: input.filePath,
          reasons,
        };
      }
      reasons.push(`strategy file ${input.filePath} fails the static check:\n${formatProblems(checked.problems, input.filePath)}`);
    }
  } else {
    reasons.push('no strategy file configured');
  }
  const row = latestDeployed(input.repos);
  if (!row) {
    reasons.push('no deployed strategy version in the database');
    return { kind: 'none', reasons };
  }
  const checked = checkStrategySource(row.code, storedFilename(row.version));
  if (!checked.ok) {
    reasons.push(`database copy of ${row.version} fails the static check:\n${formatProblems(checked.problems, storedFilename(row.version))}`);
    return { kind: 'none', reasons };
  }
  const hash = codeHash(row.code);
  if (hash !== row.codeHash) {
    reasons.push(`database copy of ${row.version} does not match its recorded hash (stored ${row.codeHash.slice(0, 16)}…, computed ${hash.slice(0, 16)}…); refusing it`);
    return { kind: 'none', reasons };
  }
  return { kind: 'loaded', version: row.version, registered: true, code: checked.code, sourceCode: row.code, hash, source: 'db', path: null, reasons };
}
