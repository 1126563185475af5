import { resolve } from 'node:path';
import { acquirePidLock, type PidLock } from '../adapters/process/index.ts';
import { createRepositories, migrate, openStore, type Db, type Repositories } from '../adapters/libsql/index.ts';
import type { BrainConfig } from './config/index.ts';
import type { Logger } from './logger/index.ts';

/** What the booting phase hands to the runtime: the lock, the migrated store and its repositories. */
export interface Booted {
  readonly lock: PidLock;
  readonly db: Db;
  readonly repos: Repositories;
  /** Releases the database and the lock (idempotent). */
  close(): void;
}

export type BootResult = { ok: true; booted: Booted } | { ok: false; message: string };

/** system_meta key of the persisted paper seed capital (predecessor landmine L1). */
export const PAPER_STARTING_CAPITAL = 'paper_starting_capital';

/**
 * The fund's `booting` phase (DESIGN.md §2): single-instance lock, database, migrations, and the
 * paper seed capital persisted on the very first boot — later boots read the stored seed, so a
 * config edit can never create phantom cash (L1). `cwd` resolves relative paths of the config.
 */
export function boot(config: BrainConfig, log: Logger, cwd: string, nowMs: number): BootResult {
  const lockResult = acquirePidLock(resolve(cwd, config.general.dataDir));
  if (!lockResult.ok) return { ok: false, message: lockResult.message };
  if (lockResult.tookOverFrom !== undefined) {
    log.warn({ stalePid: lockResult.tookOverFrom }, 'took over a stale lock left by a process that is gone');
  }
  const lock = lockResult.lock;
  let db: Db | undefined;
  try {
    db = openStore({ path: resolve(cwd, config.database.path), busyTimeoutMs: config.database.busyTimeoutMs });
    const migration = migrate(db);
    if (migration.applied.length > 0) {
      log.info({ from: migration.from, to: migration.to, applied: migration.applied }, 'database migrated');
    }
    const repos = createRepositories(db);
    if (config.general.mode === 'paper' && repos.systemMeta.get(PAPER_STARTING_CAPITAL) === undefined) {
      repos.systemMeta.set(PAPER_STARTING_CAPITAL, String(config.general.paperBalanceUsd), nowMs);
      log.info({ capital: config.general.paperBalanceUsd }, 'first paper boot: starting capital recorded');
    }
    const opened = db;
    let closed = false;
    return {
      ok: true,
      booted: {
        lock,
        db: opened,
        repos,
        close() {
          if (closed) return;
          closed = true;
          opened.close();
          lock.release();
        },
      },
    };
  } catch (err) {
    db?.close();
    lock.release();
    return { ok: false, message: `cannot open the database: ${(err as Error).message}` };
  }
}
