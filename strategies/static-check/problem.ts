/** A problem the static check found, and how problems are shown to authors (and the AI). Pure. */

/** One finding: 1-based line and column in the author's source (TypeScript positions are mapped back). */
export interface StaticProblem {
  readonly line: number;
  readonly column: number;
  /** A stable rule id: syntax, import, dynamic-import, import-meta, forbidden-global, forbidden-property, proto-key, builtin-mutation, debugger. */
  readonly rule: string;
  readonly message: string;
}

/** The verdict of the static check. `code` is the JavaScript to load when it passed. */
export type StaticCheckResult = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly problems: readonly StaticProblem[] };

/** 'strategy.ts:3:10 [forbidden-global] …' lines, one per problem. Pure. */
export function formatProblems(problems: readonly StaticProblem[], filename: string): string {
  return problems.map((p) => `${filename}:${p.line}:${p.column} [${p.rule}] ${p.message}`).join('\n');
}
