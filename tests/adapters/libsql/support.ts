/** Test helpers for the store: temporary directories and freshly migrated databases, cleaned up after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { migrate, openStore, type Db, type StoreOptions } from '../../../adapters/libsql/index.ts';

const dirs: string[] = [];
const open: Db[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'brain-store-'));
  dirs.push(dir);
  return dir;
}

/** Opens a store (closed after the test). */
export function openTracked(options: StoreOptions): Db {
  const db = openStore(options);
  open.push(db);
  return db;
}

/** A migrated database file in a fresh temp dir. */
export function freshStore(): { db: Db; dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, 'brain.db');
  const db = openTracked({ path });
  migrate(db);
  return { db, dir, path };
}

/** `sqlite_master` (type, name, sql) sorted by name: the whole schema. */
export function schemaOf(db: Db): { type: string; name: string; sql: string | null }[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
    type: string;
    name: string;
    sql: string | null;
  }[];
}

/** Names of the user tables. */
export function tableNames(db: Db): string[] {
  return schemaOf(db)
    .filter((o) => o.type === 'table')
    .map((o) => o.name);
}
