/**
 * Opening the store: one long-lived synchronous libsql connection per role.
 *
 * libsql quirks handled here (reference/ecosystem.md §3, verified against 0.5.29): the default
 * busy timeout is 0 (a concurrent writer fails at once), and the `readonly` constructor option is
 * ignored (writes succeed), so read-only connections are opened through a `file:` URI with
 * `mode=ro` instead, plus `PRAGMA query_only`.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import { StoreError } from './errors.ts';
import { assertSchemaNotNewer } from './migrate.ts';

/** A synchronous libsql connection (better-sqlite3-style API). */
export type Db = Database.Database;
/** A prepared statement of a `Db`. */
export type Stmt = Database.Statement;

/** Options for `openStore`. */
export interface StoreOptions {
  /** Database file path, or ':memory:' (tests only: no WAL, and nothing survives close). */
  readonly path: string;
  /**
   * Open a separate read-only connection (analysis modules' query port). Writes fail inside
   * SQLite with SQLITE_READONLY; the file must already exist. Default false.
   */
  readonly readonly?: boolean;
  /** How long a statement waits for another connection's lock before SQLITE_BUSY, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
}

/** Default busy timeout in ms: long enough to ride out a checkpoint or a backup, short enough to surface a stuck writer. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens one long-lived connection and configures it: WAL journal, `synchronous = NORMAL`,
 * foreign keys on, explicit busy timeout; each setting is read back and verified. Does not
 * migrate (call `migrate`), but refuses a database whose schema is newer than this code.
 * Throws `SchemaVersionError` for a newer schema and `StoreError` for a missing file (read-only)
 * or a setting that did not take effect; libsql's `SqliteError` for I/O failures.
 */
export function openStore(options: StoreOptions): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StoreError(`busyTimeoutMs must be a non-negative integer (ms), got ${busyTimeoutMs}`);
  }
  const memory = options.path === ':memory:';
  if (options.readonly && (memory || !existsSync(options.path))) {
    throw new StoreError(`cannot open ${JSON.stringify(options.path)} read-only: the database file does not exist (read-only connections never create it)`);
  }
  const location = options.readonly ? `${pathToFileURL(options.path).href}?mode=ro` : options.path;
  const db = new Database(location, { timeout: busyTimeoutMs });
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    if (options.readonly) {
      db.exec('PRAGMA query_only = ON');
    } else {
      if (!memory) expectPragma(db, 'journal_mode = WAL', 'wal');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA foreign_keys = ON');
      expectPragma(db, 'synchronous', 1);
      expectPragma(db, 'foreign_keys', 1);
    }
    expectPragma(db, 'busy_timeout', busyTimeoutMs);
    assertSchemaNotNewer(db, `database ${options.path}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction (write lock taken up front, so it cannot fail
 * half-way with SQLITE_BUSY) and commits, or rolls back and rethrows. If a transaction is
 * already open on `db`, `fn` joins it (libsql transactions cannot nest; there are no
 * savepoints), so the outer transaction decides commit or rollback.
 */
export function withTransaction<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** Reads one PRAGMA's scalar value (no `_metadata`). */
export function pragmaValue(db: Db, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).raw(true).get() as unknown[] | undefined;
  return row?.[0];
}

function expectPragma(db: Db, source: string, expected: string | number): void {
  const actual = pragmaValue(db, source);
  if (actual !== expected) {
    throw new StoreError(`PRAGMA ${source} gave ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}
