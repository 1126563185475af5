import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquirePidLock, PID_FILE } from '../../../adapters/process/index.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brain-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PID lock', () => {
  it('takes the lock, writes our pid, and releases it', () => {
    const dir = tempDir();
    const r = acquirePidLock(dir);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    r.lock.release();
    expect(existsSync(join(dir, PID_FILE))).toBe(false);
  });

  it('refuses a second instance while a live node process holds it', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, PID_FILE), `${holder.pid}\n`);
      const r = acquirePidLock(dir);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.holderPid).toBe(holder.pid);
      expect(r.message).toContain(`pid ${holder.pid}`);
      expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dir = tempDir();
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(join(dir, PID_FILE), `${dead.pid}\n`);
    const r = acquirePidLock(dir);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.tookOverFrom).toBe(dead.pid);
    expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(String(process.pid));
    r.lock.release();
  });

  it('takes over a garbage lock file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, PID_FILE), 'not a pid');
    const r = acquirePidLock(dir);
    expect(r.ok).toBe(true);
    if (r.ok) r.lock.release();
  });

  it('release does not remove a lock that another process has since taken', () => {
    const dir = tempDir();
    const r = acquirePidLock(dir);
    if (!r.ok) throw new Error('expected the lock');
    writeFileSync(join(dir, PID_FILE), '999999\n');
    r.lock.release();
    expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe('999999');
  });
});
