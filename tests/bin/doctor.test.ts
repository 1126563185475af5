/**
 * `brain doctor` as a user runs it: the real CLI in a child process, against a temp directory
 * with a copy of brain.toml and a temp database.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../adapters/libsql/index.ts';
import { satisfiesMinimum } from '../../bin/commands/doctor.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brain-doctor-'));
  dirs.push(d);
  return d;
}

/** Runs `brain ...args` in `cwd` with exactly `env` (plus PATH); resolves with the exit code and output. */
function brain(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/brain.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const CANARY = 'sk-ant-canary-doctor-3f9a1c7e';

describe('brain doctor', () => {
  it('a healthy install: every line ok or warn, secrets named but never printed, exit 0', async () => {
    const dir = tempDir();
    copyFileSync(join(root, 'brain.toml'), join(dir, 'brain.toml'));
    const db = openStore({ path: join(dir, 'brain.db') });
    migrate(db);
    db.close();
    const r = await brain(['doctor', '--db', 'brain.db', '--json'], dir, { ANTHROPIC_API_KEY: CANARY });
    expect(r.err).not.toContain(CANARY);
    expect(r.out).not.toContain(CANARY);
    expect(r.code).toBe(0);
    const lines = JSON.parse(r.out) as { status: string; check: string; reason: string }[];
    const byCheck = Object.fromEntries(lines.map((l) => [l.check, l]));
    for (const l of lines) expect(['ok', 'warn']).toContain(l.status);
    expect(byCheck['node']).toMatchObject({ status: 'ok', reason: expect.stringContaining(process.versions.node) });
    expect(byCheck['secrets.anthropic']).toEqual({ status: 'ok', check: 'secrets.anthropic', reason: 'ANTHROPIC_API_KEY is set' });
    expect(byCheck['database.integrity']?.status).toBe('ok');
    expect(byCheck['database.schema']).toMatchObject({ status: 'ok', reason: expect.stringMatching(/^schema version \d+ \(current\)$/) });
    expect(byCheck['data']).toMatchObject({ status: 'warn', reason: expect.stringContaining('no 5m candles for BTC/USD') });
    expect(byCheck['sandbox.runner']).toMatchObject({ status: 'ok', reason: expect.stringContaining('quickjs-emscripten') });
    expect(byCheck['sandbox.env']?.status).toBe('ok');
    expect(byCheck['sandbox.permissions']?.status).toBe('ok');
    // Which of netns/uid is active depends on the OS; each line is present with a verdict and a reason.
    for (const check of ['sandbox.netns', 'sandbox.uid']) expect(byCheck[check]?.reason.length).toBeGreaterThan(5);
  }, 30_000);

  it('a broken configuration and a corrupt database file: fail lines with reasons, exit 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'brain.toml'), readFileSync(join(root, 'brain.toml'), 'utf8').replace('mode = "paper"', 'mode = "yolo"'));
    writeFileSync(join(dir, 'junk.db'), 'this is not a database'.repeat(500));
    const r = await brain(['doctor', '--db', 'junk.db'], dir, {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^fail\s+config\s+.*brain\.toml: \d+ problem.*general\.mode/m);
    expect(r.out).toMatch(/^fail\s+database\s+.*junk\.db/m);
    expect(r.out).toMatch(/^ok\s+node\s+/m);
    expect(r.out).toMatch(/^warn\s+secrets\.anthropic|^fail\s+config/m);
    expect(r.out).toMatch(/^doctor: \d+ failure\(s\)/m);
  }, 30_000);

  it('compares Node versions with a >= range', () => {
    expect(satisfiesMinimum('20.19.0', '>=20.19.0')).toBe(true);
    expect(satisfiesMinimum('20.18.9', '>=20.19.0')).toBe(false);
    expect(satisfiesMinimum('22.1.0', '>=20.19')).toBe(true);
    expect(satisfiesMinimum('19.99.99', '>=20')).toBe(false);
    expect(satisfiesMinimum('20.19.0', '^20.19.0')).toBeNull();
  });
});
