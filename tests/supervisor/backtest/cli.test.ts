/**
 * `brain backtest` through its command object (`run(args, io)`), on a temporary database filled
 * through the candle repository.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, migrate, openStore } from '../../../adapters/libsql/index.ts';
import { type Io, parseCommandArgs } from '../../../bin/cli.ts';
import { backtest } from '../../../bin/commands/backtest.ts';
import { DAY, START, walk } from './support.ts';

let dir: string;
let dbPath: string;
const dirs: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brain-backtest-cli-'));
  dirs.push(dir);
  // An empty brain.toml is the all-defaults configuration; the day is UTC to keep the dates simple.
  writeFileSync(join(dir, 'brain.toml'), '[general]\ntimezone = "UTC"\n\n[telegram]\nenabled = false\n');
  dbPath = join(dir, 'brain.db');
  const db = openStore({ path: dbPath });
  migrate(db);
  const repos = createRepositories(db);
  repos.candles.upsertMany('BTC/USD', '5m', walk(1, START - 2 * DAY, 5 * 288, 100));
  repos.candles.upsertMany('ETH/USD', '5m', walk(2, START - 2 * DAY, 5 * 288, 50));
  // A stored version that buys once and never sells: its one trade-free position proves it ran.
  repos.strategyVersions.insert({
    version: 'v002',
    code: "import { ACTIONS } from 'trading-brain/contract';\nlet done = false;\nexport function initialize(): void {}\nexport function analyze(): unknown[] {\n  if (done) return [];\n  done = true;\n  return [{ action: ACTIONS[0], symbol: 'BTC/USD', size: 0.05 }];\n}\n",
    codeHash: 'a'.repeat(64),
    description: 'test version',
    createdAt: START,
  });
  db.close();
  return () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  };
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: dir };
  const parsed = parseCommandArgs(backtest, argv);
  if (!parsed.ok) return { code: 2, out: '', err: parsed.message };
  const code = await backtest.run(parsed, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('brain backtest', () => {
  it('--json prints the full report; the same command twice prints the same bytes', async () => {
    const args = ['--db', dbPath, '--from', '2024-03-01', '--to', '2024-03-02', '--symbols', 'BTC/USD,ETH/USD', '--capital', '5000', '--json'];
    const a = await run(args);
    const b = await run(args);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const report = JSON.parse(a.out);
    expect(report).toMatchObject({ kind: 'brain.backtest', formatVersion: 1, strategy: { version: 'v001', source: 'v001' }, symbols: ['BTC/USD', 'ETH/USD'] });
    expect(report.period).toMatchObject({ from: '2024-03-01T00:00:00.000Z', to: '2024-03-03T00:00:00.000Z' }); // --to includes its day
    expect(report.data.candles).toEqual({ 'BTC/USD': 576, 'ETH/USD': 576 });
    expect(report.settings).toMatchObject({ startingCapital: '5000', seed: 1, timeZone: 'UTC', warmupDays: 30, feeModel: 'kraken-pro-tiered', limitFillRule: 'through', limitOrderTtlMinutes: 60 });
    expect(Object.keys(report.metrics)).toHaveLength(32);
  });

  it('prints the human summary by default, with walk-forward folds when asked', async () => {
    const r = await run(['--db', dbPath, '--from', '2024-03-01', '--to', '2024-03-02', '--symbols', 'BTC/USD', '--folds', '3', '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Backtest of strategy v001');
    expect(r.out).toContain('By symbol:');
    expect(r.out).toContain('Walk-forward: 3 folds');
    expect(r.out).toMatch(/Out-of-sample, chained \(2024-03-01 12:00 UTC → 2024-03-03 00:00 UTC\)/);
  });

  it('uses the configured symbols that have candles, and says which it skipped', async () => {
    const r = await run(['--db', dbPath, '--from', '2024-03-01', '--to', '2024-03-01', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).symbols).toEqual(['BTC/USD', 'ETH/USD']);
    expect(r.err).toContain('warning: no 5m candles stored for SOL/USD');
  });

  it('explains bad input with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--symbols', 'DOGE/USD'], 'no 5m candles stored for DOGE/USD; stored: BTC/USD, ETH/USD'],
      [['--from', '2024-13-01'], '--from: not a calendar date'],
      [['--from', '2030-01-01', '--to', '2030-01-02'], 'no 5m candles of BTC/USD, ETH/USD between 2030-01-01T00:00:00.000Z and 2030-01-03T00:00:00.000Z'],
      [['--from', '2030-01-01'], 'the range is empty: --to (2024-03-04T00:00:00.000Z) must be after --from (2030-01-01T00:00:00.000Z)'],
      [['--folds', 'x'], '--folds: expected a whole number from 1 to 50'],
      [['--strategy', 'v003'], 'no such file, and no such version in'],
      [['--strategy', 'nothing.ts'], '--strategy: no file at'],
      [['--fees', 'cheap'], '--fees: expected tiered or flat'],
      [['--spread', 'BTC/USD=0.7'], '--spread BTC/USD: must be a fraction in [0, 0.5)'],
    ];
    for (const [args, message] of cases) {
      const r = await run(['--db', dbPath, ...args]);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining(message)]);
    }
  });

  it('reports a strategy file that cannot be compiled', async () => {
    writeFileSync(join(dir, 'bad.ts'), 'export function analyze( {');
    const r = await run(['--db', dbPath, '--strategy', 'bad.ts', '--from', '2024-03-01', '--to', '2024-03-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot be compiled: bad.ts:1:');
  });

  it('backtests a version stored in the database by its name', async () => {
    const r = await run(['--db', dbPath, '--strategy', 'v002', '--symbols', 'BTC/USD', '--from', '2024-03-01', '--to', '2024-03-01', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.strategy).toMatchObject({ version: 'v002', source: 'v002' });
    expect(report.openPositions).toHaveLength(1);
    expect(report.signals.acceptedByAction).toEqual({ BUY: 1 });
  });
});
