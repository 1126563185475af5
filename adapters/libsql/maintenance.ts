/** Backups and integrity checks of a store. */
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pragmaValue, type Db } from './db.ts';
import { latestSchemaVersion, schemaVersion } from './migrate.ts';

/** Outcome of `backupTo`: the copy's path and size, or why there is no copy. */
export type BackupResult = { readonly ok: true; readonly path: string; readonly bytes: number } | { readonly ok: false; readonly reason: string };

/** Outcome of `checkIntegrity`: ok exactly when `problems` is empty. */
export interface IntegrityReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/**
 * Writes a consistent copy of the database to `destPath` with `VACUUM INTO`: a snapshot of the
 * last committed state, safe while other connections read and write (WAL readers do not block
 * writers), compacted, and a plain (non-WAL) file. Works on a read-only connection. Refuses,
 * as a value, an existing `destPath`, a missing directory, or a connection inside a transaction;
 * SQLite failures (disk full, permissions) are returned as values too.
 */
export function backupTo(db: Db, destPath: string): BackupResult {
  if (existsSync(destPath)) return { ok: false, reason: `${destPath} already exists; backups never overwrite a file` };
  if (!existsSync(dirname(destPath))) return { ok: false, reason: `directory ${dirname(destPath)} does not exist` };
  if (db.inTransaction) return { ok: false, reason: 'cannot back up from inside a transaction (VACUUM INTO needs its own); use another connection' };
  const queryOnly = pragmaValue(db, 'query_only') === 1;
  try {
    if (queryOnly) db.exec('PRAGMA query_only = OFF');
    db.prepare('VACUUM INTO ?').run(destPath);
  } catch (err) {
    rmSync(destPath, { force: true });
    return { ok: false, reason: `VACUUM INTO ${destPath} failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (queryOnly) db.exec('PRAGMA query_only = ON');
  }
  return { ok: true, path: destPath, bytes: statSync(destPath).size };
}

/**
 * Checks the database: `PRAGMA integrity_check` (structure, indexes, CHECK and NOT NULL
 * constraints), `PRAGMA foreign_key_check`, and that `user_version` equals the schema version
 * this code writes. Read-only; each problem is one human-readable line.
 */
export function checkIntegrity(db: Db): IntegrityReport {
  const problems: string[] = [];
  for (const [message] of db.prepare('PRAGMA integrity_check').raw(true).all() as [string][]) {
    if (message !== 'ok') problems.push(`integrity_check: ${message}`);
  }
  for (const [table, rowid, parent] of db.prepare('PRAGMA foreign_key_check').raw(true).all() as [string, number | null, string, number][]) {
    problems.push(`foreign key: ${table} row ${rowid ?? '?'} references a missing ${parent} row`);
  }
  const version = schemaVersion(db);
  const latest = latestSchemaVersion();
  if (version < latest) problems.push(`schema version ${version} is behind this code's ${latest}: run 'brain db migrate'`);
  if (version > latest) problems.push(`schema version ${version} is newer than this code's ${latest}: upgrade the code`);
  return { ok: problems.length === 0, problems };
}
