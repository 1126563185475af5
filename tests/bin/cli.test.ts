import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../bin/main.ts';
import type { Io } from '../../bin/cli.ts';
import { type FakeKraken, startFakeKraken } from '../../adapters/fake-kraken/index.ts';
import { FIXTURE_DIR } from '../../strategies/loader/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'brain-cli-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function schemaOf(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const version = db.prepare('PRAGMA user_version').all();
    return JSON.stringify({ rows, version });
  } finally {
    db.close();
  }
}

describe('brain CLI', () => {
  it('config check: the shipped brain.toml is valid (exit 0)', async () => {
    const r = await run(['config', 'check'], root);
    expect(r.code).toBe(0);
    expect(r.out).toContain('brain.toml: ok');
  });

  it('config check: a broken copy exits 2 and lists every problem', async () => {
    const dir = tempDir();
    const broken = readFileSync(join(root, 'brain.toml'), 'utf8')
      .replace('mode = "paper"', 'mode = "yolo"')
      .replace(/max_trade_pct = [\d.]+/, 'max_trade_pct = 1.5')
      .replace('timezone = "America/Toronto"', 'timezone = "Mars/Olympus"')
      .replace('[database]', '[database]\nunknown_thing = 1');
    writeFileSync(join(dir, 'brain.toml'), broken);
    const r = await run(['config', 'check'], dir);
    expect(r.code).toBe(2);
    for (const key of ['general.mode', 'max_trade_pct', 'general.timezone', 'database.unknown_thing']) {
      expect(r.err).toContain(key);
    }
    expect(r.err).toMatch(/4 problems/);
  });

  it('config check: malformed TOML and a missing file are bad input, not crashes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'brain.toml'), '[general\nmode = ');
    expect((await run(['config', 'check'], dir)).code).toBe(2);
    expect((await run(['config', 'check', '--config', 'nope.toml'], dir)).code).toBe(2);
    expect((await run(['config', 'check', '--env-file', 'missing.env'], root)).code).toBe(2);
  });

  it('db migrate creates the schema on an empty path; a second run changes nothing', async () => {
    const dir = tempDir();
    const first = await run(['db', 'migrate', '--db', 'fresh.db'], dir);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/migrated from version 0 to \d+/);
    const before = schemaOf(join(dir, 'fresh.db'));
    const second = await run(['db', 'migrate', '--db', 'fresh.db'], dir);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/schema is current/);
    expect(schemaOf(join(dir, 'fresh.db'))).toBe(before);
  });

  it('db backup writes a checkable copy and never overwrites; db check passes', async () => {
    const dir = tempDir();
    await run(['db', 'migrate', '--db', 'a.db'], dir);
    expect((await run(['db', 'backup', 'copy.db', '--db', 'a.db'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'copy.db'))).toBe(true);
    expect((await run(['db', 'check', '--db', 'copy.db'], dir)).code).toBe(0);
    const again = await run(['db', 'backup', 'copy.db', '--db', 'a.db'], dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
    expect((await run(['db', 'check', '--db', 'missing.db'], dir)).code).toBe(2);
  });

  it('help, version, unknown commands and bad options', async () => {
    expect((await run(['--help'], root)).out).toContain('db migrate');
    for (const words of [['start'], ['config', 'check'], ['db', 'migrate'], ['db', 'backup'], ['db', 'check'], ['machines'], ['version']]) {
      const r = await run([...words, '--help'], root);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: brain ${words.join(' ')}`);
    }
    expect((await run(['version'], root)).out).toMatch(/trading-brain \d+\.\d+\.\d+\nschema \d+/);
    const unknown = await run(['frobnicate'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('commands are:');
    const badOption = await run(['db', 'migrate', '--nope'], root);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toContain('--nope');
    expect((await run(['db', 'backup'], root)).code).toBe(2);
  });
});

describe('brain machines', () => {
  it('prints each chart as mermaid or JSON, equal to the committed docs/machines files', async () => {
    const mermaid = await run(['machines', 'fund'], root);
    expect(mermaid.code).toBe(0);
    expect(mermaid.out).toContain('stateDiagram-v2');
    expect(mermaid.out.replace(/^%% fund\n/, '').trim()).toBe(readFileSync(join(root, 'docs/machines/fund.mmd'), 'utf8').trim());
    const json = await run(['machines', 'symbol', '--format', 'json'], root);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(JSON.parse(readFileSync(join(root, 'docs/machines/symbol.json'), 'utf8')));
    expect((await run(['machines', '--format', 'svg'], root)).code).toBe(2);
    const unknown = await run(['machines', 'nope'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('allowed: fund');
  });
});

describe('brain start (a real process)', () => {
  let fake: FakeKraken | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  /** A working dir whose brain.toml trades ETH/USD + SOL/USD against the fake exchange (no network needed). */
  async function fundDir(extra: (toml: string) => string = (t) => t): Promise<string> {
    fake = await startFakeKraken({
      markets: [
        { pair: 'ETH/USD', candles: join(FIXTURE_DIR, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz') },
        { pair: 'SOL/USD', candles: join(FIXTURE_DIR, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz') },
      ],
    });
    const dir = tempDir();
    const toml = readFileSync(join(root, 'brain.toml'), 'utf8')
      .replace(/symbols = \[[^\]]*\]/, 'symbols = ["ETH/USD", "SOL/USD"]')
      .replace('rest_url = "https://api.kraken.com"', `rest_url = "${fake.restUrl}"`);
    writeFileSync(join(dir, 'brain.toml'), extra(toml));
    return dir;
  }

  it('boots the actor system against the exchange feed, refuses a second instance, and shuts down cleanly on SIGTERM', async () => {
    const dir = await fundDir();
    // Kraken secrets are base64; the config check rejects anything else.
    const canary = Buffer.from('canary-secret-never-logged-42').toString('base64');
    const env = { ...process.env, KRAKEN_API_SECRET: canary, ANTHROPIC_API_KEY: '' };
    const first = spawn(process.execPath, [join(root, 'bin/brain.js'), 'start', '--inspect', '--inspect-port', '0'], { cwd: dir, env });
    let firstOut = '';
    first.stdout.on('data', (c) => (firstOut += String(c)));
    first.stderr.on('data', (c) => (firstOut += String(c)));
    await waitFor(() => firstOut.includes('system online'), 30_000, () => firstOut);
    expect(firstOut).toContain('inspection stream listening');
    // no API key: the nightly cycle runs the local advisor, and says so
    expect(firstOut).toContain('local parameter-search advisor');
    expect(existsSync(join(dir, 'data/brain.pid'))).toBe(true);
    expect(existsSync(join(dir, 'data/brain.db'))).toBe(true);

    const second = spawn(process.execPath, [join(root, 'bin/brain.js'), 'start'], { cwd: dir, env });
    let secondErr = '';
    second.stderr.on('data', (c) => (secondErr += String(c)));
    const secondCode = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(secondCode).toBe(1);
    expect(secondErr).toContain('already running');

    first.kill('SIGTERM');
    const firstCode = await new Promise<number | null>((resolve) => first.on('exit', resolve));
    expect(firstCode).toBe(0);
    expect(firstOut).toContain('system shutdown');
    expect(firstOut).not.toContain(canary);
    expect(existsSync(join(dir, 'data/brain.pid'))).toBe(false);
    const db = new Database(join(dir, 'data/brain.db'), { readonly: true });
    const summaries = (db.prepare('SELECT summary FROM activity_log ORDER BY id').all() as { summary: string }[]).map((s) => s.summary).join('\n');
    const fund = db.prepare("SELECT snapshot FROM actor_snapshots WHERE actor_id = 'fund'").get() as { snapshot: string } | undefined;
    db.close();
    expect(summaries).toMatch(/online/i);
    expect(summaries).toMatch(/shut/i);
    expect(JSON.parse(fund!.snapshot).status).toBe('done');
  }, 60_000);

  it('refuses live mode without working Kraken credentials (landmine L7), naming what is wrong', async () => {
    const dir = await fundDir((t) => t.replace('mode = "paper"', 'mode = "live"'));
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const p = spawn(process.execPath, [join(root, 'bin/brain.js'), 'start'], { cwd: dir, env });
        let err = '';
        p.stderr.on('data', (c) => (err += String(c)));
        p.on('exit', (code) => resolve({ code, err }));
      });
    const noKeys = await run({ ...process.env, KRAKEN_API_KEY: '', KRAKEN_API_SECRET: '' });
    // the config check already refuses live mode without keys (exit 2, bad input), naming them
    expect(noKeys.code).toBe(2);
    expect(noKeys.err).toContain('KRAKEN_API_KEY');
    const wrongSecret = Buffer.from('not-the-right-secret').toString('base64');
    const badKeys = await run({ ...process.env, KRAKEN_API_KEY: 'unknown-key', KRAKEN_API_SECRET: wrongSecret });
    expect(badKeys.code).toBe(1);
    expect(badKeys.err).toMatch(/Kraken refused the account check/);
    expect(badKeys.err).not.toContain(wrongSecret);
  }, 60_000);
});

async function waitFor(predicate: () => boolean, timeoutMs: number, context: () => string = () => ""): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; output so far:\n${context()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
