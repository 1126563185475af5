/**
 * The `brain data` command objects (bin/commands/data.ts) driven through their `run(args, io)`
 * with a temp database (--db), as bin/main.ts would after parsing. Exit codes: 0 ok, 1 runtime
 * failure, 2 bad input (bin/cli.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../../adapters/libsql/index.ts';
import { EXIT, parseCommandArgs, type Command, type Io } from '../../../bin/cli.ts';
import { DATA_COMMANDS, dataExport, dataImport, dataMaintain, dataStatus } from '../../../bin/commands/data.ts';
import { fixture, tempDir } from '../../adapters/market-data/support.ts';

async function run(command: Command, argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd };
  const parsed = parseCommandArgs(command, argv);
  if (!parsed.ok) return { code: EXIT.badInput, out: '', err: parsed.message };
  const code = await command.run(parsed, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A temp dir with a migrated brain.db and an empty brain.toml (all defaults). */
function workspace(): string {
  const dir = tempDir();
  const db = openStore({ path: join(dir, 'brain.db') });
  migrate(db);
  db.close();
  writeFileSync(join(dir, 'brain.toml'), '');
  return dir;
}
const BTC = fixture('binance_BTCUSDT_5m_2023-03-24.csv.gz');

describe('brain data import', () => {
  it('imports, reports counts, span, gaps and the USDT→USD warning (exit 0)', async () => {
    const dir = workspace();
    const r = await run(dataImport, [BTC, '--symbol', 'BTC/USD', '--db', 'brain.db'], dir);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain(`read ${BTC}: 272 5m candles (ohlcv-csv, gzip), 2023-03-24 00:00 UTC .. 2023-03-24 23:55 UTC, 1 gap (16 candles missing)`);
    expect(r.out).toMatch(/imported 272 5m candles of BTC\/USD from 1 file \(source binance, USDT→USD\) into .*brain\.db in \d+\.\d\d s: 272 new, 0 replaced/);
    expect(r.out).toContain('span 2023-03-24 00:00 UTC .. 2023-03-24 23:55 UTC; 1 gap, 16 candles missing');
    expect(r.err).toContain('warning: prices quoted in USDT are stored as BTC/USD (USDT→USD)');
    expect(r.err).toMatch(/warning: 272 of 272 imported 5m candles open before .* beyond data\.candle_5m_retention_days \(30 days\)/);
  });

  it('lists every problem and imports nothing on bad input (exit 2)', async () => {
    const dir = workspace();
    const bad = join(dir, 'binance_BTCUSDT_5m_bad.csv');
    writeFileSync(bad, 'time,open,high,low,close,volume\n1704067200,10,12,9,11,1\n1704067500,10,12,9,11,-2\n');
    const r = await run(dataImport, [BTC, bad, '--symbol', 'BTC/USD', '--db', 'brain.db'], dir);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.err).toBe(`error: ${bad}:3: column volume = "-2": volume -2 is negative (must be ≥ 0)\nnothing was imported: 1 problem`);
    const status = await run(dataStatus, ['--db', 'brain.db'], dir);
    expect(status.out).toBe('no candles stored (import some with: brain data import FILE... --symbol SYM)');
  });

  it('refuses missing or bad options and a missing or outdated database (exit 2)', async () => {
    const dir = workspace();
    expect(await run(dataImport, [BTC, '--db', 'brain.db'], dir)).toMatchObject({ code: 2, err: 'error: --symbol is required (e.g. --symbol BTC/USD)' });
    expect(await run(dataImport, [BTC, '--symbol', 'BTC/USD', '--timeframe', '15m', '--db', 'brain.db'], dir)).toMatchObject({
      code: 2,
      err: 'error: --timeframe "15m" is not a timeframe of the store; allowed: 5m, 1h, 1d',
    });
    expect(await run(dataImport, ['--symbol', 'BTC/USD'], dir)).toMatchObject({ code: 2, err: 'expected FILE... (1–1000), got none' });
    const missing = await run(dataImport, [BTC, '--symbol', 'BTC/USD', '--db', 'nope.db'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: no database at .*nope\.db; run 'brain db migrate' first$/);
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
    const old = openStore({ path: join(dir, 'old.db') });
    migrate(old, { target: 1 });
    old.close();
    const behind = await run(dataStatus, ['--db', 'old.db'], dir);
    expect(behind.code).toBe(2);
    expect(behind.err).toMatch(/old\.db has schema version 1, this code needs \d+; run 'brain db migrate' first$/);
  });

  it('takes the database path from brain.toml when --db is absent', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'brain.toml'), '[database]\npath = "store.db"\n');
    const db = openStore({ path: join(dir, 'store.db') });
    migrate(db);
    db.close();
    expect((await run(dataImport, [fixture('ETHUSD_5.csv'), '--symbol', 'ETH/USD'], dir)).code).toBe(0);
    expect((await run(dataStatus, [], dir)).out).toMatch(/^ETH\/USD\s+5m\s+2024-07-01 00:00\s+2024-07-01 07:55\s+96\s+100\.00%\s+0\s+0\s+kraken$/m);
  });
});

describe('brain data status / export / maintain', () => {
  async function seeded(): Promise<string> {
    const dir = workspace();
    const files = [fixture('binance_SOLUSDT_5m_2023-12-30.csv.gz'), fixture('binance_SOLUSDT_5m_2024-01-01.csv.gz')];
    expect((await run(dataImport, [...files, '--symbol', 'SOL/USD', '--db', 'brain.db'], dir)).code).toBe(0);
    return dir;
  }

  it('status prints the table with the largest gaps, or JSON', async () => {
    const dir = await seeded();
    const text = await run(dataStatus, ['--db', 'brain.db'], dir);
    expect(text.code).toBe(0);
    expect(text.out.split('\n')).toEqual([
      expect.stringMatching(/^symbol\s+tier\s+first candle/),
      expect.stringMatching(/^SOL\/USD\s+5m\s+2023-12-30 00:00\s+2024-01-01 23:55\s+576\s+66\.67%\s+1\s+288\s+binance \(USDT→USD\)$/),
      '  largest gaps: 2023-12-31 00:00 .. 2023-12-31 23:55 (288 missing)',
      'maintenance: never run',
    ]);
    const json = await run(dataStatus, ['--db', 'brain.db', '--json', '--gaps', '0'], dir);
    expect(JSON.parse(json.out)).toMatchObject({ series: [{ symbol: 'SOL/USD', count: 576, gaps: 1, missing: 288, largestGaps: [] }] });
    expect(await run(dataStatus, ['--db', 'brain.db', '--gaps', 'lots'], dir)).toMatchObject({ code: 2, err: 'error: --gaps "lots" must be a whole number from 0 to 1000' });
  });

  it('export writes CSV to stdout or to a new file; refuses naive dates, unknown series and overwrites', async () => {
    const dir = await seeded();
    const stdout = await run(dataExport, ['--db', 'brain.db', '--symbol', 'SOL/USD', '--timeframe', '5m', '--from', '2024-01-01', '--to', '2024-01-01T00:10Z'], dir);
    expect(stdout.code).toBe(0);
    const day = gunzipSync(readFileSync(fixture('binance_SOLUSDT_5m_2024-01-01.csv.gz'))).toString('utf8').split('\n');
    expect(stdout.out).toBe(day.slice(0, 3).join('\n'));
    expect(stdout.err).toBe('exported 2 5m candles of SOL/USD (2024-01-01 00:00 UTC .. 2024-01-01 00:05 UTC)');
    const file = await run(dataExport, ['--db', 'brain.db', '--symbol', 'SOL/USD', '--timeframe', '5m', '--from', '2024-01-01', '--out', 'sol.csv'], dir);
    expect(file.code).toBe(0);
    expect(readFileSync(join(dir, 'sol.csv'), 'utf8')).toBe(day.join('\n'));
    expect(await run(dataExport, ['--db', 'brain.db', '--symbol', 'SOL/USD', '--timeframe', '5m', '--out', 'sol.csv'], dir)).toMatchObject({ code: 2, err: expect.stringMatching(/sol\.csv already exists/) });
    expect(await run(dataExport, ['--db', 'brain.db', '--symbol', 'SOL/USD', '--timeframe', '5m', '--from', '2024-01-01T00:00'], dir)).toMatchObject({
      code: 2,
      err: 'error: --from: "2024-01-01T00:00" has no time zone; add Z (UTC) or an offset such as +02:00 — times are never naive',
    });
    expect(await run(dataExport, ['--db', 'brain.db', '--symbol', 'BTC/USD', '--timeframe', '1h'], dir)).toMatchObject({
      code: 2,
      err: 'error: no BTC/USD 1h candles are stored; stored series: SOL/USD 5m',
    });
    expect(await run(dataExport, ['--db', 'brain.db', '--symbol', 'SOL/USD'], dir)).toMatchObject({ code: 2, err: 'error: --timeframe is required (5m, 1h or 1d)' });
  });

  it('maintain rolls the old 5m candles up with the retention of brain.toml (exit 0), and needs a valid brain.toml (exit 2)', async () => {
    const dir = await seeded();
    const r = await run(dataMaintain, ['--db', 'brain.db'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  SOL/USD 5m → 1h: 576 rows rolled up into 48 candles');
    const status = await run(dataStatus, ['--db', 'brain.db'], dir);
    expect(status.out).toMatch(/^SOL\/USD\s+1d\s+2023-12-30 00:00\s+2024-01-01 00:00\s+2\s+66\.67%\s+1\s+1\s+binance \(USDT→USD\) \[rolled up\]$/m);
    expect(status.out).toMatch(/^maintenance: last run \d{4}-\d\d-\d\d \d\d:\d\d/m);
    writeFileSync(join(dir, 'brain.toml'), '[data]\ncandle_5m_retention_days = 0\n');
    const bad = await run(dataMaintain, ['--db', 'brain.db'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('data.candle_5m_retention_days');
  });

  it('every data command has words, a summary and help for each of its options', () => {
    expect(DATA_COMMANDS.map((c) => c.words.join(' '))).toEqual(['data import', 'data export', 'data status', 'data maintain']);
    for (const c of DATA_COMMANDS) {
      const documented = c.optionHelp.map(([flag]) => flag.split(' ')[0]!.replace(/^--/, ''));
      expect(documented.sort()).toEqual(Object.keys(c.options).sort());
    }
  });
});
