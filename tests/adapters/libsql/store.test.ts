import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError, createRepositories, migrate, openStore, withTransaction, type Db } from '../../../adapters/libsql/index.ts';
import { freshStore, openTracked, tempDir } from './support.ts';

function pragma(db: Db, name: string): unknown {
  return (db.prepare(`PRAGMA ${name}`).raw(true).get() as unknown[])[0];
}

function insertMeta(db: Db, key: string): void {
  createRepositories(db).systemMeta.set(key, 'v', 1);
}

describe('openStore (read-write)', () => {
  it('sets WAL, synchronous=NORMAL, foreign keys and the busy timeout (read back from SQLite)', () => {
    const db = openTracked({ path: join(tempDir(), 'a.db'), busyTimeoutMs: 1234 });
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(1); // NORMAL
    expect(pragma(db, 'foreign_keys')).toBe(1);
    expect(pragma(db, 'busy_timeout')).toBe(1234);
  });

  it('defaults the busy timeout to 5000 ms (libsql itself defaults to 0)', () => {
    const db = openTracked({ path: join(tempDir(), 'a.db') });
    expect(pragma(db, 'busy_timeout')).toBe(5000);
  });

  it('waits for a lock held by another connection for the busy timeout, then fails with SQLITE_BUSY', () => {
    const { path } = freshStore();
    const holder = openTracked({ path });
    const waiter = openTracked({ path, busyTimeoutMs: 150 });
    holder.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    let error: unknown;
    try {
      insertMeta(waiter, 'k');
    } catch (err) {
      error = err;
    }
    const waited = performance.now() - started;
    holder.exec('ROLLBACK');
    expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(waited).toBeGreaterThanOrEqual(140);
    insertMeta(waiter, 'k'); // the lock is gone: the same write now succeeds
  });

  it('enforces foreign keys', () => {
    const { db } = freshStore();
    const fills = createRepositories(db).fills;
    expect(() => fills.record({ clientOrderId: 'nope', tradeId: 'T1', quantity: 1n, price: 1n, fee: 0n, tsEvent: 1, tsInit: 1 })).toThrow(/FOREIGN KEY/);
  });

  it('rejects a negative busy timeout', () => {
    expect(() => openStore({ path: join(tempDir(), 'a.db'), busyTimeoutMs: -1 })).toThrow(StoreError);
  });
});

describe('openStore (read-only)', () => {
  it('reads committed data but every write fails inside SQLite', () => {
    const { db, path } = freshStore();
    insertMeta(db, 'before');
    const ro = openTracked({ path, readonly: true });
    const repos = createRepositories(ro);
    expect(repos.systemMeta.get('before')).toBe('v');
    expect(() => repos.systemMeta.set('x', 'y', 1)).toThrow(/readonly/);
    expect(() => ro.exec('CREATE TABLE t (x INTEGER)')).toThrow(/readonly/);
    expect(() => ro.exec('PRAGMA query_only = OFF; DELETE FROM system_meta')).toThrow(/readonly/);
    expect(migrate(ro).applied).toEqual([]); // already current: nothing to write, so no error
    expect(repos.systemMeta.get('before')).toBe('v');
  });

  it('sees writes the read-write connection commits later', () => {
    const { db, path } = freshStore();
    const ro = openTracked({ path, readonly: true });
    const reader = createRepositories(ro).systemMeta;
    expect(reader.get('late')).toBeUndefined();
    insertMeta(db, 'late');
    expect(reader.get('late')).toBe('v');
  });

  it('opens a WAL database after the writer closed', () => {
    const { db, path } = freshStore();
    insertMeta(db, 'k');
    db.close();
    const ro = openTracked({ path, readonly: true });
    expect(createRepositories(ro).systemMeta.get('k')).toBe('v');
  });

  it('never creates a missing file', () => {
    const path = join(tempDir(), 'missing.db');
    expect(() => openStore({ path, readonly: true })).toThrow(/does not exist/);
    expect(existsSync(path)).toBe(false);
  });
});

describe('withTransaction', () => {
  it('commits on return and rolls back on throw', () => {
    const { db } = freshStore();
    const meta = createRepositories(db).systemMeta;
    withTransaction(db, () => meta.set('a', '1', 1));
    expect(() =>
      withTransaction(db, () => {
        meta.set('b', '1', 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(meta.get('a')).toBe('1');
    expect(meta.get('b')).toBeUndefined();
    expect(db.inTransaction).toBe(false);
  });

  it('joins an open transaction instead of nesting (the outer one decides)', () => {
    const { db } = freshStore();
    const repos = createRepositories(db);
    expect(() =>
      repos.transaction(() => {
        repos.transaction(() => repos.systemMeta.set('inner', '1', 1));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(repos.systemMeta.get('inner')).toBeUndefined();
  });
});
