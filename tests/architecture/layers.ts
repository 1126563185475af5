import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The top-level rooms of the tree that the import rules govern. */
export const LAYERS = ['domain', 'machines', 'actors', 'supervisor', 'adapters', 'strategies', 'bin'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * DESIGN.md §1: who may import whom. `packages` lists the npm packages (and `node:` builtins,
 * as 'node:*') a layer may use; `'*'` means any.
 */
export const RULES: Readonly<Record<Layer, { layers: readonly Layer[]; packages: readonly string[] | '*' }>> = {
  // Pure logic. zod is data validation (the strategy contract), not I/O.
  domain: { layers: ['domain'], packages: ['zod'] },
  machines: { layers: ['machines', 'domain'], packages: ['xstate'] },
  actors: { layers: ['actors', 'domain'], packages: ['xstate'] },
  supervisor: { layers: ['supervisor', 'domain', 'machines', 'actors', 'adapters', 'strategies'], packages: '*' },
  adapters: { layers: ['adapters', 'domain'], packages: '*' },
  strategies: { layers: ['strategies', 'domain'], packages: '*' },
  bin: { layers: ['bin', 'supervisor', 'domain', 'adapters', 'strategies', 'machines'], packages: '*' },
};

/** Layers that may not read the wall clock, timers, randomness or the process. */
export const PURE_LAYERS: readonly Layer[] = ['domain', 'machines'];

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const IMPURE_RE = /\b(Date\.now\(|new Date\(\s*\)|performance\.now\(|setTimeout\(|setInterval\(|setImmediate\(|Math\.random\(|process\.)/g;

export interface Violation {
  file: string;
  detail: string;
}

/** Every import specifier in a source text (static, re-export and dynamic with a literal). */
export function importsOf(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) found.push((m[1] ?? m[2])!);
  return found;
}

/** Checks one file's text against the rules; `file` is relative to the repo root. */
export function checkFile(root: string, file: string, source: string): Violation[] {
  const layer = file.split(/[\\/]/)[0] as Layer;
  const rule = RULES[layer];
  if (!rule) return [];
  const out: Violation[] = [];
  for (const spec of importsOf(source)) {
    if (spec.startsWith('.')) {
      const target = relative(root, resolve(root, dirname(file), spec)).split(sep)[0] as Layer;
      if (!(LAYERS as readonly string[]).includes(target) || !rule.layers.includes(target)) {
        out.push({ file, detail: `${layer}/ may not import ${spec} (in ${target}/); allowed: ${rule.layers.join(', ')}` });
      }
    } else if (rule.packages !== '*') {
      const pkg = spec.startsWith('node:') ? 'node:*' : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!rule.packages.includes(pkg)) {
        out.push({ file, detail: `${layer}/ may not import '${spec}'; allowed packages: ${rule.packages.join(', ') || 'none'}` });
      }
    }
  }
  if (PURE_LAYERS.includes(layer)) {
    for (const m of stripComments(source).matchAll(IMPURE_RE)) {
      out.push({ file, detail: `${layer}/ must stay pure: found '${m[1]}' (time and randomness are arguments)` });
    }
  }
  return out;
}

/** All .ts/.js source files under the governed layers. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(name)) files.push(relative(root, p));
    }
  };
  for (const layer of LAYERS) {
    try {
      walk(join(root, layer));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return files.sort();
}

export function checkTree(root: string): Violation[] {
  return sourceFiles(root).flatMap((f) => checkFile(root, f, readFileSync(join(root, f), 'utf8')));
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
