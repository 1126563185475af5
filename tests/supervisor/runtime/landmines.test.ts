/**
 * The predecessor's nine restart landmines (reference/predecessor.md §17.7), each with a test
 * against this runtime. L7 (live mode with dead credentials) is exercised by a real `brain start`
 * process in tests/bin/cli.test.ts; the others are here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRepositories, migrate, openStore } from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { loadEnvironment } from '../../../supervisor/environment.ts';
import { parseConfig } from '../../../supervisor/config/index.ts';
import { createEventBus } from '../../../supervisor/events/index.ts';
import { createStoreBooks } from '../../../supervisor/operator/books.ts';
import { EngineError } from '../../../supervisor/runtime/engine.ts';
import { startSimFund } from '../../../supervisor/sim/index.ts';
import { backtestMarkets } from '../../../supervisor/backtest/index.ts';
import { freshStore, tempDir } from '../../adapters/libsql/support.ts';
import { DAY, FIXTURE_START, INPUT, M5, fixtureCandles, seedHistory, settings, simFund, v001Code } from './support.ts';
import { readFileSync } from 'node:fs';

const FROM = FIXTURE_START + DAY;

/** A fund on `db` that traded the first `days` of the fixture; returns it running. */
async function tradedFund(db: ReturnType<typeof freshStore>['db'], days = 1) {
  const repos = createRepositories(db);
  const candles = fixtureCandles();
  if (repos.checkpoints.get() === undefined) seedHistory(repos, candles, FROM);
  const started = await simFund(db, { startMs: FROM });
  await started.fund.replay(candles, FROM + days * DAY);
  return { ...started, candles };
}

describe('restart landmines L1–L9', () => {
  it('L1: cash comes from the persisted books and first principles, never from a changed starting-capital setting', async () => {
    const { db } = freshStore();
    const { fund, repos } = await tradedFund(db);
    const cash = fund.engine.books().ledger.cash;
    expect(repos.trades.count()).toBeGreaterThan(0);
    await fund.stop('restart with another seed');
    const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
    const again = await startSimFund({
      repos, bus, settings: settings(), startingCapital: fromString('99999'), warmupMs: DAY, runner: createInProcessRunner({ seed: 1 }),
      strategy: { filePath: null, seed: null }, startMs: FROM, input: INPUT,
    });
    expect(again.engine.books().ledger.cash).toBe(cash);
    repos.systemMeta.set('paper_starting_capital', '10000', 0);
    const derived = createStoreBooks(repos, { mode: 'paper', timeZone: 'UTC', quoteCurrency: 'USD' }).ledger();
    expect(derived.cash).toBe(cash);
    await again.stop();
  }, 60_000);

  it('L2: restored counters are re-evaluated against tightened limits at startup: the fund comes back halted and says so', async () => {
    const { db } = freshStore();
    const { fund, repos, bus } = await tradedFund(db);
    const risk = fund.engine.books().risk;
    expect(risk.peakEquity > risk.equity).toBe(true); // some drawdown exists
    await fund.stop('tighten limits');
    const tight = settings({ limits: { ...settings().limits, maxDrawdownPct: 0.000001 } });
    const again = await startSimFund({
      repos, bus, settings: tight, startingCapital: fromString('10000'), warmupMs: DAY, runner: createInProcessRunner({ seed: 1 }),
      strategy: { filePath: null, seed: null }, startMs: FROM, input: INPUT,
    });
    const snap = again.runtime.snapshot();
    expect(snap.context.halt?.reason).toMatch(/drawdown/);
    expect(JSON.stringify(snap.value)).toContain('"trading":"halted"');
    expect(bus.recent().map((p) => p.event.type)).toContain('risk.halted');
    await again.stop();
  }, 60_000);

  it('L3: removing a symbol that still holds a position is refused with its name; removing an idle one is accepted', async () => {
    const { db } = freshStore();
    const repos = createRepositories(db);
    const candles = fixtureCandles();
    seedHistory(repos, candles, FROM);
    const { fund } = await simFund(db, { startMs: FROM });
    // step until a position is open
    let t = FROM;
    while (fund.engine.books().ledger.positions.length === 0 && t < FROM + 3 * DAY) {
      t += M5;
      await fund.replay(candles, t);
    }
    const held = fund.engine.books().ledger.positions[0]!;
    await fund.stop('change symbols');
    const other = held.symbol === 'ETH/USD' ? 'SOL/USD' : 'ETH/USD';
    const onlyOther = settings({ markets: backtestMarkets([other]) });
    const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
    const open = () =>
      startSimFund({ repos, bus, settings: onlyOther, startingCapital: fromString('10000'), warmupMs: DAY, runner: createInProcessRunner({ seed: 1 }), strategy: { filePath: null, seed: null }, startMs: FROM, input: INPUT });
    await expect(open()).rejects.toThrow(EngineError);
    await expect(open()).rejects.toThrow(new RegExp(`no longer lists ${held.symbol.replace('/', '\\/')}.*${held.tag}`));
    // keeping the held symbol and dropping the other is fine
    const keep = settings({ markets: backtestMarkets([held.symbol]) });
    const kept = await startSimFund({ repos, bus, settings: keep, startingCapital: fromString('10000'), warmupMs: DAY, runner: createInProcessRunner({ seed: 1 }), strategy: { filePath: null, seed: null }, startMs: FROM, input: INPUT });
    expect(kept.engine.books().ledger.positions.map((p) => p.tag)).toEqual([held.tag]);
    await kept.stop();
  }, 60_000);

  it('L4: a missing or invalid strategy file falls back to the stored copy; with none the fund runs paused, never crashes', async () => {
    const { db } = freshStore();
    const repos = createRepositories(db);
    const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
    const start = (filePath: string | null, seed: boolean) =>
      startSimFund({
        repos, bus, settings: settings(), startingCapital: fromString('10000'), warmupMs: DAY, runner: createInProcessRunner({ seed: 1 }),
        strategy: { filePath, seed: seed ? { code: v001Code(), filename: 'v001.ts', description: 'seed' } : null }, startMs: FROM, input: INPUT,
      });
    // nothing anywhere: running, paused for want of a strategy
    const empty = await start(join(tempDir(), 'missing.ts'), false);
    expect(JSON.stringify(empty.runtime.snapshot().value)).toContain('"trading":"paused"');
    expect(empty.runtime.snapshot().context.strategy.status).toBe('none');
    await empty.stop();
    // a broken file with a stored copy: the stored copy runs
    repos.actorSnapshots.delete('fund');
    const seeded = await start(null, true);
    await seeded.stop();
    repos.actorSnapshots.delete('fund');
    const broken = join(tempDir(), 'broken.ts');
    writeFileSync(broken, 'export function analyze( { syntax error');
    const fallback = await start(broken, false);
    const snap = fallback.runtime.snapshot();
    expect(snap.context.strategy.version).toBe('v001');
    expect(snap.context.strategy.source).toBe('db');
    expect(JSON.stringify(snap.value)).toContain('"trading":"active"');
    await fallback.stop();
  }, 60_000);

  it('L5: missing analysis modules are seeded at startup and reported, not silently absent', async () => {
    const { db } = freshStore();
    const repos = createRepositories(db);
    expect(repos.analysisModules.current('market_analysis')).toBeUndefined();
    const { ensureAnalysisSeeds } = await import('../../../strategies/analysis/index.ts');
    expect(ensureAnalysisSeeds(repos.analysisModules, 1)).toEqual(['market_analysis', 'trade_performance']);
    expect(repos.analysisModules.current('market_analysis')?.version).toBe('v001');
    expect(ensureAnalysisSeeds(repos.analysisModules, 2)).toEqual([]);
    // startPaperFund runs this at every start (tests/supervisor/paper checks the modules exist after a start)
  });

  it('L6: an invalid configuration reports every problem at once and nothing starts', () => {
    const toml = readFileSync(new URL('../../../brain.toml', import.meta.url), 'utf8')
      .replace(/paper_balance_usd = [^\n]+/, 'paper_balance_usd = -5')
      .replace(/max_trade_pct = [^\n]+/, 'max_trade_pct = 1.5')
      .replace(/timezone = [^\n]+/, 'timezone = "Mars/Olympus"')
      .replace(/mode = "paper"/, 'mode = "papr"')
      .replace(/symbols = \[[^\]]*\]/, 'symbols = []');
    const r = parseConfig({ tomlText: toml, env: {} });
    expect(r.ok).toBe(false);
    const keys = r.ok ? [] : r.problems.map((p) => p.key);
    for (const key of ['general.paper_balance_usd', 'risk.per_trade.max_trade_pct', 'general.timezone', 'general.mode', 'markets.symbols']) expect(keys).toContain(key);
  });

  it('L8: a migration that fails leaves the database exactly where it was (one transaction, no half-rebuilt table)', () => {
    const dir = tempDir();
    const db = openStore({ path: join(dir, 'brain.db') });
    migrate(db, { target: 3 });
    db.exec('CREATE TABLE activity_log (x INTEGER)'); // the next migration's table is in the way
    expect(() => migrate(db)).toThrow(/database left at schema version 3/);
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(3);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'actor_snapshots'").get()).toBeUndefined();
    db.close();
  });

  it('L9: every start reads .env afresh (a restart picks up a changed secret; nothing caches it)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'ANTHROPIC_API_KEY=first-key\n');
    const first = loadEnvironment({}, dir);
    writeFileSync(join(dir, '.env'), 'ANTHROPIC_API_KEY=second-key\n');
    const second = loadEnvironment({}, dir);
    expect(first.ok && first.env.ANTHROPIC_API_KEY).toBe('first-key');
    expect(second.ok && second.env.ANTHROPIC_API_KEY).toBe('second-key');
  });
});
