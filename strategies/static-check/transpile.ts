/**
 * TypeScript → JavaScript for strategies, on the host, with esbuild: types are erased (type-only
 * imports disappear, so `import type { Signal } from 'trading-brain/contract'` costs nothing),
 * nothing is bundled and nothing is down-levelled below ES2022 (QuickJS runs ES2023).
 * JavaScript passes through unchanged, so its positions stay exact.
 */
import { transformSync } from 'esbuild';
import type { StaticProblem } from './problem.ts';

/** Source language, from the file name: .ts/.mts/.cts are TypeScript, anything else JavaScript. Pure. */
export function languageOf(filename: string): 'ts' | 'js' {
  return /\.(c|m)?ts$/i.test(filename) ? 'ts' : 'js';
}

/** The JavaScript to load, its source map (TypeScript only), or syntax problems with source positions. Never throws. */
export function transpileStrategy(
  source: string,
  filename: string,
): { ok: true; code: string; map: string | null } | { ok: false; problems: StaticProblem[] } {
  if (languageOf(filename) === 'js') return { ok: true, code: source, map: null };
  try {
    const out = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: filename,
      logLevel: 'silent',
      // Unused (type-only) imports are dropped, as TypeScript does without verbatimModuleSyntax.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false, preserveValueImports: false, useDefineForClassFields: true } },
    });
    return { ok: true, code: out.code, map: out.map };
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      return {
        ok: false,
        problems: errors.map((e) => ({ line: e.location?.line ?? 1, column: (e.location?.column ?? 0) + 1, rule: 'syntax', message: e.text })),
      };
    }
    return { ok: false, problems: [{ line: 1, column: 1, rule: 'syntax', message: `TypeScript could not be compiled: ${(err as Error).message}` }] };
  }
}
