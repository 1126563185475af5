import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupTo, checkIntegrity, createRepositories, latestSchemaVersion, migrate, schemaVersion } from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { freshStore, openTracked, tempDir } from './support.ts';

describe('backupTo', () => {
  it('copies the committed state while another connection holds an open write transaction', () => {
    const { db, dir, path } = freshStore();
    const repos = createRepositories(db);
    repos.systemMeta.set('committed', 'yes', 1);
    repos.capitalEvents.record({ kind: 'deposit', amount: fromString('123456789.123456789'), currency: 'USD', tsEvent: 10, dayKey: '2025-01-02', recordedAt: 11 });

    const writer = openTracked({ path });
    writer.exec('BEGIN IMMEDIATE');
    createRepositories(writer).systemMeta.set('uncommitted', 'no', 2);

    const dest = join(dir, 'backup.db');
    const result = backupTo(db, dest);
    writer.exec('ROLLBACK');
    expect(result).toMatchObject({ ok: true, path: dest });
    expect(result.ok && result.bytes).toBeGreaterThan(0);

    const copy = openTracked({ path: dest, readonly: true });
    expect(checkIntegrity(copy)).toEqual({ ok: true, problems: [] });
    expect(schemaVersion(copy)).toBe(latestSchemaVersion());
    const copied = createRepositories(copy);
    expect(copied.systemMeta.get('committed')).toBe('yes');
    expect(copied.systemMeta.get('uncommitted')).toBeUndefined();
    expect(copied.capitalEvents.list().map((e) => e.amount)).toEqual([fromString('123456789.123456789')]);
  });

  it('works from a read-only connection, which stays read-only afterwards', () => {
    const { db, dir, path } = freshStore();
    createRepositories(db).systemMeta.set('k', 'v', 1);
    const ro = openTracked({ path, readonly: true });
    const dest = join(dir, 'b.db');
    expect(backupTo(ro, dest).ok).toBe(true);
    expect(createRepositories(openTracked({ path: dest, readonly: true })).systemMeta.get('k')).toBe('v');
    expect(() => ro.exec(`ATTACH '${join(dir, 'other.db')}' AS other; CREATE TABLE other.t (x INTEGER)`)).toThrow(/readonly/);
  });

  it('refuses to overwrite an existing file and leaves it untouched', () => {
    const { db, dir } = freshStore();
    const dest = join(dir, 'exists.db');
    writeFileSync(dest, 'precious');
    const result = backupTo(db, dest);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/already exists/) });
    expect(readFileSync(dest, 'utf8')).toBe('precious');
  });

  it('refuses a missing directory and a connection inside a transaction', () => {
    const { db, dir } = freshStore();
    expect(backupTo(db, join(dir, 'no', 'such', 'b.db'))).toMatchObject({ ok: false, reason: expect.stringMatching(/does not exist/) });
    db.exec('BEGIN');
    expect(backupTo(db, join(dir, 'b.db'))).toMatchObject({ ok: false, reason: expect.stringMatching(/inside a transaction/) });
    db.exec('ROLLBACK');
  });
});

describe('checkIntegrity', () => {
  it('passes a freshly migrated database', () => {
    expect(checkIntegrity(freshStore().db)).toEqual({ ok: true, problems: [] });
  });

  it('reports a foreign key violation written while enforcement was off', () => {
    const { db } = freshStore();
    db.exec('PRAGMA foreign_keys = OFF');
    createRepositories(db).fills.record({ clientOrderId: 'ghost', tradeId: 'T1', quantity: 1n, price: 1n, fee: 0n, tsEvent: 1, tsInit: 1 });
    db.exec('PRAGMA foreign_keys = ON');
    const report = checkIntegrity(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['foreign key: fills row 1 references a missing orders row']);
  });

  it('reports a schema behind the code', () => {
    const db = openTracked({ path: join(tempDir(), 'old.db') });
    migrate(db, { target: 1 });
    const report = checkIntegrity(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`schema version 1 is behind this code's ${latestSchemaVersion()}: run 'brain db migrate'`]);
  });
});
