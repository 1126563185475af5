import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupTo, checkIntegrity, latestSchemaVersion, migrate, openStore } from '../../adapters/libsql/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { DB_HELP, DB_OPTION, resolveDbPath } from '../context.ts';

/** `brain db migrate`: create or upgrade the schema; a no-op when it is current. */
export const dbMigrate: Command = {
  words: ['db', 'migrate'],
  summary: 'Create the database (if missing) and apply every pending schema migration in one transaction. Running it again changes nothing.',
  usage: '[--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  async run({ values }, io) {
    const path = resolveDbPath(values, io);
    if (typeof path === 'number') return path;
    const db = openStore({ path });
    try {
      const result = migrate(db);
      io.out(
        result.applied.length === 0
          ? `${path}: schema is current (version ${result.to})`
          : `${path}: migrated from version ${result.from} to ${result.to} (${result.applied.join(', ')})`,
      );
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

/** `brain db backup PATH`: a consistent copy, safe while the fund runs. */
export const dbBackup: Command = {
  words: ['db', 'backup'],
  summary: 'Write a consistent copy of the database to PATH (VACUUM INTO), safe while the fund is running. Refuses to overwrite an existing file.',
  usage: 'PATH [--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  positionals: { min: 1, max: 1, names: 'PATH (the backup file to create)' },
  async run({ values, positionals }, io) {
    const path = resolveDbPath(values, io);
    if (typeof path === 'number') return path;
    const target = resolve(io.cwd, positionals[0]!);
    if (!existsSync(path)) {
      io.err(`error: no database at ${path}; run 'brain db migrate' first`);
      return EXIT.badInput;
    }
    if (existsSync(target)) {
      io.err(`error: ${target} already exists; choose a new file name (backups never overwrite)`);
      return EXIT.badInput;
    }
    const db = openStore({ path });
    try {
      const result = backupTo(db, target);
      if (!result.ok) {
        io.err(`error: ${result.reason}`);
        return EXIT.badInput;
      }
    } finally {
      db.close();
    }
    io.out(`backup written to ${target}`);
    return EXIT.ok;
  },
};

/** `brain db check`: integrity, foreign keys and schema version. */
export const dbCheck: Command = {
  words: ['db', 'check'],
  summary: 'Run the database integrity check (SQLite integrity_check and foreign_key_check) and compare the schema version with this release.',
  usage: '[--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  async run({ values }, io) {
    const path = resolveDbPath(values, io);
    if (typeof path === 'number') return path;
    if (!existsSync(path)) {
      io.err(`error: no database at ${path}; run 'brain db migrate' first`);
      return EXIT.badInput;
    }
    const db = openStore({ path, readonly: true });
    try {
      const result = checkIntegrity(db);
      if (result.ok) {
        io.out(`${path}: ok (schema version ${latestSchemaVersion()})`);
        return EXIT.ok;
      }
      io.err(`${path}: ${result.problems.length} problem(s)`);
      for (const p of result.problems) io.err(`  - ${p}`);
      return EXIT.failure;
    } finally {
      db.close();
    }
  },
};
