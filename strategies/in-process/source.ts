/**
 * Preparing a strategy for the in-process runner: TypeScript or JavaScript, from a file or from
 * stored source, bundled by esbuild into one ES module (types stripped, relative imports
 * inlined). The two module names a strategy may import in the sandbox resolve to the same code
 * here: `'trading-brain/toolkit'` to strategies/toolkit and `'trading-brain/contract'` to the
 * sandbox's generated contract constants, so a strategy runs unchanged in both; packages and Node
 * modules are refused as in the sandbox.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, type Plugin, build } from 'esbuild';
import { contractModuleSource } from '../sandbox/assets.ts';
import { CONTRACT_MODULE, TOOLKIT_MODULE } from '../sandbox/modules.ts';

/** A strategy ready for `StrategyRunner.load`. */
export interface StrategySource {
  /** The name it is recorded under: the parent folder for `…/<name>/strategy.ts`, else the file name without extension (or as given). */
  readonly version: string;
  /** The bundled JavaScript module. */
  readonly code: string;
  /** SHA-256 of the original source, hex, first 16 characters (as the predecessor's version hash). */
  readonly hash: string;
  /** The file read, or `<stored>/<filename>` for stored source. */
  readonly path: string;
}

const TOOLKIT_ENTRY = fileURLToPath(new URL('../toolkit/index.ts', import.meta.url));

/** Resolves the sandbox's module names to the same code in-process. */
const sandboxModules: Plugin = {
  name: 'trading-brain-modules',
  setup(b) {
    b.onResolve({ filter: /^trading-brain\// }, (args) => {
      if (args.path === TOOLKIT_MODULE) return { path: TOOLKIT_ENTRY };
      if (args.path === CONTRACT_MODULE) return { path: CONTRACT_MODULE, namespace: 'trading-brain' };
      return { errors: [{ text: `unknown module ${JSON.stringify(args.path)}; a strategy may import only '${TOOLKIT_MODULE}' and '${CONTRACT_MODULE}'` }] };
    });
    b.onLoad({ filter: /.*/, namespace: 'trading-brain' }, () => ({ contents: contractModuleSource(), loader: 'js' }));
    // Packages and Node modules do not exist in the sandbox, so they are refused here too.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('trading-brain/') ? undefined : { errors: [{ text: `import ${JSON.stringify(args.path)} is not allowed: a strategy may import only '${TOOLKIT_MODULE}', '${CONTRACT_MODULE}' and its own relative files` }] },
    );
  },
};

type Compiled = { ok: true; code: string } | { ok: false; reason: string };

async function bundle(what: string, input: { entry: string } | { contents: string; filename: string; resolveDir: string }): Promise<Compiled> {
  try {
    const common: BuildOptions & { write: false } = { bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, logLevel: 'silent', legalComments: 'none', plugins: [sandboxModules] };
    const result =
      'entry' in input
        ? await build({ ...common, entryPoints: [input.entry], absWorkingDir: dirname(input.entry) })
        : await build({
            ...common,
            absWorkingDir: input.resolveDir,
            stdin: { contents: input.contents, sourcefile: input.filename, resolveDir: input.resolveDir, loader: extname(input.filename) === '.js' ? 'js' : 'ts' },
          });
    return { ok: true, code: result.outputFiles[0]?.text ?? '' };
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const list = errors && errors.length > 0 ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text)) : [(err as Error).message];
    return { ok: false, reason: `${what} cannot be compiled: ${list.join('; ')}` };
  }
}

function hashOf(source: string | Buffer): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}

/**
 * Reads and bundles the module at `path` (absolute). Returns a reason naming the file and each
 * problem (missing file, syntax error with line and column, unresolved import); never throws.
 */
export async function readStrategySource(path: string, version?: string): Promise<{ ok: true; source: StrategySource } | { ok: false; reason: string }> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: `strategy file ${path}: ${code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}` };
  }
  const compiled = await bundle(`strategy file ${path}`, { entry: path });
  if (!compiled.ok) return compiled;
  const name = basename(path, extname(path));
  return { ok: true, source: { version: version ?? (name === 'strategy' ? basename(dirname(path)) : name), code: compiled.code, hash: hashOf(bytes), path } };
}

/**
 * Bundles stored source (e.g. a `strategy_versions` row) as if it were the file `filename`
 * (`.ts` or `.js`). Only the sandbox's module names can be imported: stored code has no folder.
 * Returns a reason with line and column on failure; never throws.
 */
export async function compileStrategySource(code: string, filename: string, version: string): Promise<{ ok: true; source: StrategySource } | { ok: false; reason: string }> {
  const compiled = await bundle(`strategy ${version}`, { contents: code, filename, resolveDir: dirname(TOOLKIT_ENTRY) });
  if (!compiled.ok) return compiled;
  return { ok: true, source: { version, code: compiled.code, hash: hashOf(code), path: `<stored>/${filename}` } };
}
