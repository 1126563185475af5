import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A held single-instance lock; `release()` removes the lock file if it is still ours. */
export interface PidLock {
  readonly path: string;
  release(): void;
}

export type PidLockResult =
  | { ok: true; lock: PidLock; tookOverFrom?: number }
  | { ok: false; holderPid: number; path: string; message: string };

/** File name of the lock inside the data directory. */
export const PID_FILE = 'brain.pid';

/**
 * Takes the single-instance lock `<dataDir>/brain.pid` (created atomically with O_EXCL).
 * A lock held by a live process is refused with a message naming its PID; a stale lock (its
 * process is gone, or the PID now belongs to something that is not a Node process) is taken over.
 * Two instances would fight over Telegram getUpdates and starve each other's event loop
 * (predecessor §20.1), so the second one must exit.
 */
export function acquirePidLock(dataDir: string, pid: number = process.pid): PidLockResult {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, PID_FILE);
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      const lock = makeLock(path, pid);
      return tookOverFrom === undefined ? { ok: true, lock } : { ok: true, lock, tookOverFrom };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder !== undefined && holder !== pid && isLiveNodeProcess(holder)) {
      return {
        ok: false,
        holderPid: holder,
        path,
        message: `another Trading Brain is already running (pid ${holder}, lock ${path}); stop it first`,
      };
    }
    // Stale (dead holder, unreadable file, or our own PID after a container restart): take it over.
    tookOverFrom = holder;
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return { ok: false, holderPid: -1, path, message: `could not take the lock ${path} (it keeps reappearing)` };
}

function makeLock(path: string, pid: number): PidLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (readHolder(path) === pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      }
    },
  };
}

function readHolder(path: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and (where /proc tells) is a Node process. */
function isLiveNodeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but someone else's; ESRCH: gone.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|brain|tsx/.test(cmdline);
  } catch {
    return true; // no /proc (macOS): trust the signal check
  }
}
