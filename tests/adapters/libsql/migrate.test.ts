import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import {
  SchemaVersionError,
  StoreError,
  createRepositories,
  latestSchemaVersion,
  loadMigrations,
  migrate,
  openStore,
  schemaVersion,
} from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { freshStore, openTracked, schemaOf, tableNames, tempDir } from './support.ts';

// Every table of the predecessor's schema (reference/predecessor.md §2.1, HEAD: 26 tables).
const PREDECESSOR_TABLES = [
  'candles', 'positions', 'trades', 'signals', 'daily_performance', 'strategy_versions', 'orchestrator_log',
  'token_usage', 'fee_schedule', 'strategy_state', 'paper_tests', 'scan_results', 'orchestrator_thoughts',
  'orchestrator_observations', 'capital_events', 'system_meta', 'activity_log', 'orders', 'conditional_orders',
  'candidates', 'candidate_positions', 'candidate_trades', 'predictions', 'strategy_doc_versions',
  'candidate_signals', 'candidate_daily_performance',
];
// Added by this design: executions, analysis-module code versions, persisted actor snapshots.
const NEW_TABLES = ['fills', 'analysis_module_versions', 'actor_snapshots', 'fund_checkpoint'];

function newDbPath(): string {
  return join(tempDir(), 'brain.db');
}

describe('migration files', () => {
  it('are numbered 1..N without gaps and N is the latest schema version', () => {
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(latestSchemaVersion()).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  function folder(files: Record<string, string>): URL {
    const dir = tempDir();
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return pathToFileURL(dir);
  }

  it('are refused when misnamed, not contiguous, or holding statements reserved to the runner', () => {
    const ok = 'CREATE TABLE t (x INTEGER);';
    expect(() => loadMigrations(folder({ '001-init.sql': ok }))).toThrow(/must look like 001_snake_case\.sql/);
    expect(() => loadMigrations(folder({ '001_a.sql': ok, '003_c.sql': ok }))).toThrow(/has version 3; expected 2/);
    expect(() => loadMigrations(folder({ '001_a.sql': `BEGIN;\n${ok}\nCOMMIT;` }))).toThrow(/contains "BEGIN;"/);
    expect(() => loadMigrations(folder({ '001_a.sql': 'PRAGMA foreign_keys = OFF;' }))).toThrow(/contains "PRAGMA"/);
    expect(() => loadMigrations(folder({}))).toThrow(/no migrations found/);
    // keywords inside comments and string literals are data, and a trigger body may use BEGIN ... END
    const trigger = "-- never COMMIT here\nCREATE TABLE t (x TEXT CHECK (x <> 'rollback'));\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;";
    expect(loadMigrations(folder({ '001_a.sql': trigger })).map((m) => m.name)).toEqual(['001_a.sql']);
  });
});

describe('migrate', () => {
  it('creates every table on an empty file and sets user_version to the latest', () => {
    const db = openTracked({ path: newDbPath() });
    expect(schemaVersion(db)).toBe(0);
    const result = migrate(db);
    expect(result.from).toBe(0);
    expect(result.to).toBe(latestSchemaVersion());
    expect(result.applied).toEqual(loadMigrations().map((m) => m.name));
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
    expect(tableNames(db).sort()).toEqual([...PREDECESSOR_TABLES, ...NEW_TABLES].sort());
  });

  it('changes nothing when run again (sqlite_master and user_version identical)', () => {
    const { db } = freshStore();
    const before = schemaOf(db);
    expect(migrate(db)).toEqual({ from: latestSchemaVersion(), to: latestSchemaVersion(), applied: [] });
    expect(schemaOf(db)).toEqual(before);
    expect(schemaVersion(db)).toBe(latestSchemaVersion());
  });

  it('makes every table STRICT', () => {
    const { db } = freshStore();
    for (const { name, sql } of schemaOf(db).filter((o) => o.type === 'table')) {
      expect(sql, name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?$/);
    }
  });

  // One row per migration level, written with that level's repositories before upgrading.
  const seeds: Record<number, (r: ReturnType<typeof createRepositories>) => () => void> = {
    1: (r) => {
      r.positions.insert({
        tag: 'auto_BTCUSD_001', symbol: 'BTC/USD', side: 'long', qty: fromString('0.5'), costBasis: fromString('25000'),
        entryFees: fromString('100'), lastPrice: fromString('50000'), intent: 'SWING', mae: 0n, seq: 0, openedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
      });
      return () => expect(r.positions.byTag('auto_BTCUSD_001')?.costBasis).toBe(fromString('25000'));
    },
    2: (r) => {
      r.tokenUsage.insert({ model: 'm', purpose: 'analysis', inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: fromString('0.0003'), createdAt: 5 });
      return () => expect(r.tokenUsage.between(0, 10)[0]?.costUsd).toBe(fromString('0.0003'));
    },
    3: (r) => {
      r.predictions.insert({ cycleId: 'c1', claim: 'BTC range-bound', evidence: 'e', falsification: 'close > 70k', confidence: 'low', evaluationTimeframe: '7d', category: 'market', createdAt: 7 });
      return () => expect(r.predictions.ungraded().map((p) => p.claim)).toEqual(['BTC range-bound']);
    },
    4: (r) => {
      r.actorSnapshots.save({ actorId: 'fund', machine: 'fund', snapshotVersion: 1, snapshot: '{"status":"active"}', updatedAt: 9 });
      return () => expect(r.actorSnapshots.get('fund')?.snapshot).toBe('{"status":"active"}');
    },
  };

  for (let k = 1; k < latestSchemaVersion(); k += 1) {
    it(`upgrades from version ${k} to the latest, keeping the data, to the same schema as a fresh database`, () => {
      const db = openTracked({ path: newDbPath() });
      expect(migrate(db, { target: k })).toMatchObject({ from: 0, to: k });
      expect(schemaVersion(db)).toBe(k);
      const checks = [];
      for (let level = 1; level <= k; level += 1) checks.push(seeds[level]!(createRepositories(db)));
      const result = migrate(db);
      expect(result).toEqual({ from: k, to: latestSchemaVersion(), applied: loadMigrations().slice(k).map((m) => m.name) });
      for (const check of checks) check();
      expect(schemaOf(db)).toEqual(schemaOf(freshStore().db));
    });
  }

  it('applies all pending migrations in one transaction: a failure in the last leaves the database where it was', () => {
    const db = openTracked({ path: newDbPath() });
    migrate(db, { target: 1 });
    // Squat on a table the last migration creates, so it fails after 002 and 003 succeeded.
    db.exec('CREATE TABLE activity_log (x INTEGER)');
    const before = schemaOf(db);
    expect(() => migrate(db)).toThrow(/004_runtime_state\.sql failed: .*activity_log.*database left at schema version 1/);
    expect(schemaVersion(db)).toBe(1);
    expect(schemaOf(db)).toEqual(before);
    expect(tableNames(db)).not.toContain('token_usage');
    expect(db.inTransaction).toBe(false);
  });

  it('refuses a target outside current..latest', () => {
    const { db } = freshStore();
    expect(() => migrate(db, { target: latestSchemaVersion() + 1 })).toThrow(SchemaVersionError);
    expect(() => migrate(db, { target: 1 })).toThrow(/cannot migrate down from schema version \d+ to 1/);
  });

  it('refuses to run inside an open transaction', () => {
    const db = openTracked({ path: newDbPath() });
    db.exec('BEGIN');
    expect(() => migrate(db)).toThrow(StoreError);
    db.exec('ROLLBACK');
  });
});

describe('a database newer than the code', () => {
  function newerDb(): string {
    const { db, path } = freshStore();
    db.exec(`PRAGMA user_version = ${latestSchemaVersion() + 3}`);
    db.close();
    return path;
  }

  it('is refused by openStore with a message naming both versions', () => {
    const path = newerDb();
    const newer = latestSchemaVersion() + 3;
    expect(() => openStore({ path })).toThrow(SchemaVersionError);
    expect(() => openStore({ path })).toThrow(new RegExp(`schema version ${newer}, but this code knows versions up to ${latestSchemaVersion()}`));
    expect(() => openStore({ path, readonly: true })).toThrow(SchemaVersionError);
  });

  it('is refused by migrate on a connection opened without openStore', () => {
    const raw = new Database(newerDb());
    try {
      expect(() => migrate(raw)).toThrow(SchemaVersionError);
      expect(schemaVersion(raw)).toBe(latestSchemaVersion() + 3);
    } finally {
      raw.close();
    }
  });
});
