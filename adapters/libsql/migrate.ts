/**
 * Versioned schema migrations: `migrations/NNN_name.sql`, applied in order, all pending ones in
 * one transaction, tracked with `PRAGMA user_version` (0 = empty database).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.ts';
import { SchemaVersionError, StoreError } from './errors.ts';

/** One migration file, as loaded from `adapters/libsql/migrations/`. */
export interface Migration {
  /** 1-based, contiguous; the database's `user_version` after this migration is applied. */
  readonly version: number;
  /** File name, e.g. `001_core_trading.sql`. */
  readonly name: string;
  readonly sql: string;
}

/** What `migrate` did. `applied` lists file names in order; empty when already current. */
export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;
// Transaction control and PRAGMAs belong to the runner: BEGIN/COMMIT would end its transaction
// early, `PRAGMA foreign_keys` is a no-op inside one, and user_version is how versions are tracked.
// (`BEGIN ... END` of a CREATE TRIGGER stays allowed.)
const FORBIDDEN = /\b(COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|PRAGMA|ATTACH|DETACH)\b|\bBEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?\s*;/i;

let cache: readonly Migration[] | undefined;

/**
 * The migrations in `dir` (default: the ones shipped with this code), in version order. The
 * shipped folder is read once (synchronously) and cached. Throws `StoreError` if files are
 * misnamed, not contiguous from 001, or contain statements reserved to the runner — a packaging
 * error, not a runtime outcome.
 */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): readonly Migration[] {
  const shipped = dir.href === MIGRATIONS_DIR.href;
  if (shipped && cache) return cache;
  const folder = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const names = readdirSync(folder).filter((n) => n.endsWith('.sql')).sort();
  const loaded = names.map((name, index): Migration => {
    const match = FILE_NAME.exec(name);
    if (!match) {
      throw new StoreError(`migration file name ${JSON.stringify(name)} must look like 001_snake_case.sql`);
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new StoreError(`migration ${name} has version ${version}; expected ${index + 1} (versions must be contiguous from 001)`);
    }
    const sql = readFileSync(new URL(name, folder), 'utf8');
    const forbidden = FORBIDDEN.exec(stripCommentsAndStrings(sql));
    if (forbidden) {
      throw new StoreError(`migration ${name} contains ${JSON.stringify(forbidden[0].trim())}; transactions, PRAGMAs and ATTACH are reserved to the migration runner`);
    }
    return Object.freeze({ version, name, sql });
  });
  if (loaded.length === 0) throw new StoreError(`no migrations found in ${folder.pathname}`);
  const frozen = Object.freeze(loaded);
  if (shipped) cache = frozen;
  return frozen;
}

/** The schema version this code writes: the number of the last migration file. */
export function latestSchemaVersion(): number {
  const all = loadMigrations();
  return all[all.length - 1]!.version;
}

/** The database's current schema version (`PRAGMA user_version`; 0 for a new database). */
export function schemaVersion(db: Db): number {
  const row = db.prepare('PRAGMA user_version').raw(true).get() as [number] | undefined;
  return row?.[0] ?? 0;
}

/** Throws `SchemaVersionError` when the database was written by newer code than this. */
export function assertSchemaNotNewer(db: Db, what: string): void {
  const current = schemaVersion(db);
  const latest = latestSchemaVersion();
  if (current > latest) {
    throw new SchemaVersionError(
      `${what} has schema version ${current}, but this code knows versions up to ${latest}; ` +
        'refusing to use it (it was written by a newer Trading Brain: upgrade the code or restore an older backup)',
    );
  }
}

/**
 * Applies every pending migration up to `target` (default: latest) inside ONE `BEGIN IMMEDIATE`
 * transaction, checks foreign keys, then sets `user_version`; either all apply or none do.
 * Idempotent: a current database is left untouched. Must not be called inside a transaction.
 * Throws `SchemaVersionError` if the database is newer than the code or `target` is not in
 * `current..latest`, and `StoreError` (naming the file) if a migration fails, after rolling back.
 */
export function migrate(db: Db, options: { target?: number } = {}): MigrationResult {
  const migrations = loadMigrations();
  const latest = latestSchemaVersion();
  const target = options.target ?? latest;
  assertSchemaNotNewer(db, 'the database');
  if (!Number.isInteger(target) || target < 0 || target > latest) {
    throw new SchemaVersionError(`migration target must be an integer in 0..${latest}, got ${target}`);
  }
  if (schemaVersion(db) === target) {
    return { from: target, to: target, applied: [] };
  }
  if (db.inTransaction) {
    throw new StoreError('migrate() must run outside a transaction (libsql transactions cannot nest)');
  }
  db.exec('BEGIN IMMEDIATE');
  const applied: string[] = [];
  let from = 0;
  let current: Migration | undefined;
  try {
    // Read inside the write lock: another process may have migrated since the check above.
    from = schemaVersion(db);
    if (from > target) {
      throw new SchemaVersionError(`cannot migrate down from schema version ${from} to ${target}; there are no down migrations`);
    }
    for (const migration of migrations.slice(from, target)) {
      current = migration;
      db.exec(migration.sql);
      applied.push(migration.name);
    }
    current = undefined;
    const violations = db.prepare('PRAGMA foreign_key_check').raw(true).all();
    if (violations.length > 0) {
      throw new StoreError(`foreign key check failed after migrating: ${JSON.stringify(violations.slice(0, 5))}`);
    }
    db.exec(`PRAGMA user_version = ${target}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err instanceof StoreError) throw err;
    const where = current ? `migration ${current.name}` : 'migration';
    const message = err instanceof Error ? err.message : String(err);
    throw new StoreError(`${where} failed: ${message}; rolled back, database left at schema version ${from}`, { cause: err });
  }
  return { from, to: target, applied };
}

function stripCommentsAndStrings(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/'(?:[^']|'')*'/g, "''");
}
