/** Temp files for the market-data adapter and importer tests, removed after each test. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp directory (removed after the test). */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brain-market-data-'));
  dirs.push(d);
  return d;
}

/** Writes `text` to `name` in a fresh temp dir (gzip'd when the name ends in .gz); returns the path. */
export function tempFile(name: string, text: string, dir = tempDir()): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(Buffer.from(text)) : text);
  return path;
}

/** Absolute path of a file in tests/fixtures/market-data. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/market-data/${name}`, import.meta.url));
}
