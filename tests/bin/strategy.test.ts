import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, migrate, openStore } from '../../adapters/libsql/index.ts';
import { EXIT, parseCommandArgs, type Io } from '../../bin/cli.ts';
import { STRATEGY_COMMANDS } from '../../bin/commands/strategy.ts';
import { activateVersion, registerVersion } from '../../strategies/loader/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Dispatches like bin/main.ts over the strategy commands only (the lead registers them there). */
async function run(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd };
  const command = STRATEGY_COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (!command) throw new Error(`no command for ${argv.join(' ')}`);
  const parsed = parseCommandArgs(command, argv.slice(command.words.length));
  if (!parsed.ok) {
    err.push(parsed.message);
    return { code: EXIT.badInput, out: out.join('\n'), err: err.join('\n') };
  }
  const code = await command.run(parsed, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const V1 = `export function initialize() {}
export function analyze(markets) {
  return [];
}
`;
const V2 = `export function initialize() {}
export function analyze(markets) {
  const p = markets['BTC/USD'].price;
  return [{ symbol: 'BTC/USD', action: 'BUY', size: 0.05, stopLoss: p * 0.98, takeProfit: p * 1.04, reasoning: 'always' }];
}
`;

describe('brain strategy', () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'brain-strategy-cli-'));
    dbPath = join(dir, 'brain.db');
    const db = openStore({ path: dbPath });
    migrate(db);
    const repos = createRepositories(db);
    registerVersion(repos, { code: V1, filename: 'v1.js', parent: null, description: 'seed: no trades', nowMs: Date.UTC(2026, 0, 1) });
    registerVersion(repos, { code: V2, filename: 'v2.js', parent: 'v001', description: 'always buy', nowMs: Date.UTC(2026, 0, 2) });
    activateVersion(repos, 'v001', Date.UTC(2026, 0, 3));
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('check: a valid file exits 0', async () => {
    writeFileSync(join(dir, 's.js'), V2);
    const r = await run(['strategy', 'check', 's.js'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('static check passed');
  });

  it('check: static problems exit 2 with file:line:column', async () => {
    writeFileSync(join(dir, 'bad.ts'), `export function initialize() {}\nexport function analyze() { return eval('[]'); }\n`);
    const r = await run(['strategy', 'check', 'bad.ts'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'bad.ts')}:2:36 [forbidden-global]`);
  });

  it('check: a missing file exits 2', async () => {
    const r = await run(['strategy', 'check', 'nope.ts'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file');
  });

  it('check --trial: runs the sandbox over synthetic and real data and reports counts', async () => {
    writeFileSync(join(dir, 'bad-signals.js'), `export function initialize() {}
export function analyze() { return [{ symbol: 'BTC/USD', action: 'BUY', size: 7, reasoning: 'too big' }]; }`);
    const r = await run(['strategy', 'check', 'bad-signals.js', '--trial', '--max-calls', '40'], dir);
    expect(r.code).toBe(2);
    const trials = r.out.split('\n').filter((l) => l.startsWith('trial '));
    expect(trials).toHaveLength(3);
    expect(trials[0]).toMatch(/synthetic.*REJECTED — 40 calls, 40 signals, 40 invalid, 0 failures/);
    expect(trials[1]).toMatch(/Kraken BTC\/USD.*REJECTED — 40 calls/);
    expect(r.out).toMatch(/invalid ×40: .*size/);
    expect(r.err).toContain('rejected');
    const bad = await run(['strategy', 'check', 'bad-signals.js', '--trial', '--max-calls', '0'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--max-calls must be a positive whole number');
  }, 30_000);

  it('check --trial: v001 is valid (exit 0)', async () => {
    const r = await run(['strategy', 'check', join(root, 'strategies/v001/strategy.ts'), '--trial', '--max-calls', '40'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('valid: passed the static check and every trial run');
  }, 30_000);

  it('list shows every version with its status', async () => {
    const r = await run(['strategy', 'list', '--db', dbPath], dir);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^ {2}v002 +never deployed +parent v001 .*always buy$/);
    expect(lines[1]).toMatch(/^\* v001 +live +parent - .*deployed 2026-01-03T00:00:00Z +seed: no trades$/);
  });

  it('show prints the record and the code; an unknown version exits 2', async () => {
    const r = await run(['strategy', 'show', 'v002', '--db', dbPath], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('parent:      v001');
    expect(r.out).toContain(V2.trim());
    const missing = await run(['strategy', 'show', 'v009', '--db', dbPath], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no strategy version "v009"');
  });

  it('diff prints a unified diff', async () => {
    const r = await run(['strategy', 'diff', 'v001', 'v002', '--db', dbPath], dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '--- v001',
        '+++ v002',
        '@@ -1,4 +1,5 @@',
        ' export function initialize() {}',
        ' export function analyze(markets) {',
        '-  return [];',
        "+  const p = markets['BTC/USD'].price;",
        "+  return [{ symbol: 'BTC/USD', action: 'BUY', size: 0.05, stopLoss: p * 0.98, takeProfit: p * 1.04, reasoning: 'always' }];",
        ' }',
      ].join('\n'),
    );
  });

  it('activate refuses without --yes (exit 2) and changes nothing', async () => {
    const r = await run(['strategy', 'activate', 'v002', '--db', dbPath], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('pass --yes');
    const list = await run(['strategy', 'list', '--db', dbPath], dir);
    expect(list.out).toMatch(/^\* v001/m);
  });

  it('activate --yes deploys and names the rollback target', async () => {
    const r = await run(['strategy', 'activate', 'v002', '--yes', '--db', dbPath], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('v002 is now the live version (v001 retired');
    const list = await run(['strategy', 'list', '--db', dbPath], dir);
    expect(list.out).toMatch(/^\* v002/m);
    expect(list.out).toMatch(/^r v001 +retired/m);
    const unknown = await run(['strategy', 'activate', 'v404', '--yes', '--db', dbPath], dir);
    expect(unknown.code).toBe(2);
  });

  it('a missing database exits 2', async () => {
    const r = await run(['strategy', 'list', '--db', join(dir, 'none.db')], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain("run 'brain db migrate' first");
  });
});
