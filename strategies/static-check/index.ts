/**
 * The static check of strategy source: TypeScript is stripped with esbuild, the JavaScript is
 * parsed with acorn, and forbidden constructs are reported with line, column (in the author's
 * source) and a specific message. For fast, clear feedback to authors and the AI only — the
 * sandbox engine and runner process are the security boundary and run unchecked code safely.
 */
import { createPositionMapper } from './sourcemap.ts';
import { checkStrategyCode } from './check.ts';
import type { StaticCheckResult, StaticProblem } from './problem.ts';
import { transpileStrategy } from './transpile.ts';

export { MAX_PROBLEMS, checkStrategyCode } from './check.ts';
export { type StaticCheckResult, type StaticProblem, formatProblems } from './problem.ts';
export { BUILTINS, FORBIDDEN_GLOBALS, FORBIDDEN_PROPERTIES } from './rules.ts';
export { languageOf, transpileStrategy } from './transpile.ts';

/**
 * Checks a strategy source file (TypeScript when `filename` ends in .ts/.mts/.cts, else
 * JavaScript). Passes with the JavaScript to load; fails with every problem, positioned in the
 * original source. Pure apart from running esbuild; never throws.
 */
export function checkStrategySource(source: string, filename: string): StaticCheckResult {
  const key = `${filename}\0${source}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const result = checkUncached(source, filename);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, result);
  return result;
}

/** Recent results (the check is a pure function of source and filename; startup and restarts re-check the same code). */
const MEMO_SIZE = 32;
const memo = new Map<string, StaticCheckResult>();

function checkUncached(source: string, filename: string): StaticCheckResult {
  const js = transpileStrategy(source, filename);
  if (!js.ok) return { ok: false, problems: js.problems };
  const problems = checkStrategyCode(js.code);
  if (problems.length === 0) return { ok: true, code: js.code };
  if (js.map === null) return { ok: false, problems };
  const mapper = createPositionMapper(js.map);
  const mapped: StaticProblem[] = problems.map((p) => {
    const original = mapper?.(p.line, p.column - 1) ?? null;
    return original === null ? p : { ...p, line: original.line, column: original.column + 1 };
  });
  return { ok: false, problems: mapped };
}
