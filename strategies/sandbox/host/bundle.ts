/**
 * The runner as one self-contained ES module file, so the permission model can limit the runner's
 * file reads to exactly that file (no tsx loader, no node_modules lookups). The HOST builds it with
 * esbuild at first use and writes it, content-addressed and read-only, into a cache directory that
 * only the host's user can write; the runner only reads it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const RUNNER_ENTRY = fileURLToPath(new URL('../runner/main.ts', import.meta.url));

let bundlePromise: Promise<string> | null = null;
let bundleDirUsed: string | null = null;

/**
 * Path of the runner bundle, building it on first use (memoised per process and cache dir).
 * `cacheDir` null: a directory under os.tmpdir() owned by this user and writable by no one else
 * (mode 0755, so an unprivileged runner uid can read it). Rejects when esbuild fails or no safe
 * directory can be made.
 */
export function ensureRunnerBundle(cacheDir: string | null): Promise<string> {
  const dir = cacheDir ?? defaultCacheDir();
  if (bundlePromise === null || bundleDirUsed !== dir) {
    bundleDirUsed = dir;
    bundlePromise = buildRunner().then((text) => writeBundle(dir, text));
    bundlePromise.catch(() => {
      bundlePromise = null;
    });
  }
  return bundlePromise;
}

async function buildRunner(): Promise<string> {
  const result = await build({
    entryPoints: [RUNNER_ENTRY],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
    // The QuickJS glue imports node:module/fs/path itself; node builtins stay external.
    external: ['node:*'],
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no runner bundle');
  return file.text;
}

function defaultCacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `trading-brain-sandbox-${uid}`);
}

/** A directory we own, that is a real directory (not a link) and that no other user can write. */
function isSafeDir(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink()) return false;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    return (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function writeBundle(preferredDir: string, text: string): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  let dir = preferredDir;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch {
    // fall through to the safety check, which decides
  }
  if (!isSafeDir(dir)) {
    // Someone else owns or can write the usual place: use a fresh private directory instead.
    dir = mkdtempSync(join(tmpdir(), 'trading-brain-sandbox-'));
    chmodSync(dir, 0o755);
  }
  const file = join(dir, `runner-${hash}.mjs`);
  try {
    if (createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) === hash && (lstatSync(file).mode & 0o222) === 0) return file;
  } catch {
    // absent or unreadable: write it
  }
  const temp = join(dir, `.runner-${hash}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o444);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
  return file;
}
