/**
 * The analysis modules end to end over a real temporary database: rows written through the
 * fund's writer connection, read through a SEPARATE read-only connection (writes fail inside
 * SQLite), the seed modules run in the sandbox, reports validated on the host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, migrate, openStore, type Db, type Repositories } from '../../../adapters/libsql/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import {
  type MarketAnalysisReport,
  type TradePerformanceReport,
  analysisSeedSource,
  ensureAnalysisSeeds,
  registerAnalysisModule,
  runAnalysisModule,
} from '../../../strategies/analysis/index.ts';
import { SandboxHost } from '../../../strategies/sandbox/index.ts';
import { type ReadonlyAnalysisStore, openReadonlyAnalysisStore, runStoredAnalysis } from '../../../supervisor/analysis/index.ts';
import { position, signal, trade } from '../../adapters/libsql/fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 2, 1); // 2025-03-01T00:00:00Z
const candle = (tsOpen: number, close: number, volume = 1): Candle => ({ tsOpen, open: close, high: close + 1, low: close - 1, close, volume });

let dir: string;
let path: string;
let writer: Db;
let repos: Repositories;
let ro: ReadonlyAnalysisStore;
let host: SandboxHost;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brain-analysis-'));
  path = join(dir, 'brain.db');
  writer = openStore({ path });
  migrate(writer);
  repos = createRepositories(writer);

  // BTC/USD: 8 days of 1h candles, 100 then 110 over the last 24 h (volume 1, then 2), one hour
  // missing 3 days ago; the last hour of 5m candles at 111; 30 days of 1d candles at 80.
  const h: Candle[] = [];
  for (let t = NOW - 8 * DAY; t < NOW; t += HOUR) {
    if (t === NOW - 3 * DAY) continue;
    h.push(t >= NOW - DAY ? candle(t, 110, 2) : candle(t, 100, 1));
  }
  repos.candles.upsertMany('BTC/USD', '1h', h);
  const m5: Candle[] = [];
  for (let t = NOW - HOUR; t < NOW; t += 300_000) m5.push(candle(t, 111));
  repos.candles.upsertMany('BTC/USD', '5m', m5);
  const d: Candle[] = [];
  for (let t = NOW - 30 * DAY; t < NOW; t += DAY) d.push(candle(t, 80));
  repos.candles.upsertMany('BTC/USD', '1d', d);
  // ETH/USD: 1d candles only, ending 2 days ago.
  const e: Candle[] = [];
  for (let t = NOW - 20 * DAY; t < NOW - DAY; t += DAY) e.push(candle(t, 3000, 5));
  repos.candles.upsertMany('ETH/USD', '1d', e);

  for (const at of [NOW - 5 * HOUR, NOW - 2 * HOUR, NOW - 50 * 60_000, NOW - 20 * 60_000, NOW - 60_000]) {
    repos.scanResults.insert({ scannedAt: at, symbol: 'BTC/USD', price: null, spread: null, signalGenerated: false, signalAction: null, signalConfidence: null });
  }

  const T = (pnl: string, fees: string, over: Parameters<typeof trade>[0]) =>
    repos.trades.insert(trade({ pnl: fromString(pnl), fees: fromString(fees), costBasis: fromString('100'), proceeds: fromString('100'), ...over }));
  T('10', '1', { tag: 'a', symbol: 'BTC/USD', strategyRegime: 'trend', strategyVersion: 'v001', intent: 'DAY', openedAt: NOW - 5 * DAY + 3 * HOUR, closedAt: NOW - 5 * DAY + 5 * HOUR });
  T('-4', '1', { tag: 'b', symbol: 'BTC/USD', strategyRegime: 'range', strategyVersion: 'v001', intent: 'DAY', openedAt: NOW - 4 * DAY + 3 * HOUR, closedAt: NOW - 4 * DAY + 7 * HOUR });
  T('6', '0.5', { tag: 'c', symbol: 'ETH/USD', strategyRegime: 'trend', strategyVersion: 'v002', intent: 'SWING', openedAt: NOW - 2 * DAY + 15 * HOUR, closedAt: NOW - DAY + HOUR });
  T('0', '0.5', { tag: 'd', symbol: 'ETH/USD', strategyRegime: null, strategyVersion: 'v002', intent: 'SWING', openedAt: NOW - 41 * DAY + 15 * HOUR, closedAt: NOW - 40 * DAY });

  const S = (acted: boolean, reason: string | null, at: number) => repos.signals.insert(signal({ actedOn: acted, rejectedReason: reason, createdAt: at }));
  S(true, null, NOW - DAY);
  S(true, null, NOW - 2 * DAY);
  S(true, null, NOW - 3 * DAY);
  S(false, 'max positions reached', NOW - DAY);
  S(false, 'max positions reached', NOW - 2 * DAY);
  S(false, 'daily loss limit', NOW - 3 * DAY);
  S(false, 'too old to count', NOW - 60 * DAY); // outside the 30-day signal window

  repos.positions.insert(position({ tag: 'open-1', symbol: 'BTC/USD', qty: fromString('0.1'), costBasis: fromString('10'), lastPrice: fromString('105'), openedAt: NOW - 2 * DAY }));
  repos.feeSchedule.insert({ symbol: 'BTC/USD', makerFee: fromString('0.0025'), takerFee: fromString('0.005'), volume30d: null, tierVolume: null, checkedAt: NOW - 10 * DAY });
  repos.feeSchedule.insert({ symbol: 'ETH/USD', makerFee: fromString('0.0016'), takerFee: fromString('0.004'), volume30d: null, tierVolume: null, checkedAt: NOW - DAY });

  ro = openReadonlyAnalysisStore(path);
  host = new SandboxHost({ memoryMb: 64, callDeadlineMs: 5000 });
});

afterAll(async () => {
  ro?.close();
  writer?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the read-only connection', () => {
  it('refuses every write inside SQLite, also with query_only switched off', () => {
    expect(() => ro.db.prepare("INSERT INTO scan_results (scanned_at, symbol, signal_generated) VALUES (1, 'X/USD', 0)").run()).toThrow(/readonly|read-only|attempt to write/i);
    expect(() => ro.db.exec('DELETE FROM trades')).toThrow(/readonly|read-only|attempt to write/i);
    ro.db.exec('PRAGMA query_only = OFF');
    try {
      let code: unknown;
      try {
        ro.db.exec('DROP TABLE trades');
      } catch (err) {
        code = (err as { code?: unknown }).code;
      }
      expect(code).toBe('SQLITE_READONLY');
      expect(() => ro.db.exec("UPDATE positions SET tag = 'x'")).toThrow();
    } finally {
      ro.db.exec('PRAGMA query_only = ON');
    }
    expect(repos.trades.count()).toBe(4);
    expect(repos.positions.list().map((p) => p.tag)).toEqual(['open-1']);
  });

  it('is a separate connection from the writer, and sees the writer\'s committed rows', () => {
    expect(ro.db).not.toBe(writer);
    repos.scanResults.insert({ scannedAt: NOW - 10 * DAY, symbol: 'SOL/USD', price: null, spread: null, signalGenerated: false, signalAction: null, signalConfidence: null });
    expect(ro.port.scanStats(NOW).total).toBe(6);
    writer.exec("DELETE FROM scan_results WHERE symbol = 'SOL/USD'");
    expect(ro.port.scanStats(NOW)).toEqual({ total: 5, firstAt: NOW - 5 * HOUR, lastAt: NOW - 60_000, lastHour: 3 });
  });
});

describe('market_analysis v001 in the sandbox', () => {
  let report: MarketAnalysisReport;
  beforeAll(async () => {
    const r = await runAnalysisModule('market_analysis', analysisSeedSource('market_analysis'), ro.port, NOW, { host, version: 'v001' });
    if (!r.ok) throw new Error(r.error.reason);
    report = r.report as MarketAnalysisReport;
  });

  it('reports price action, volatility and volume per symbol', () => {
    const btc = report.symbols.find((s) => s.symbol === 'BTC/USD')!;
    expect(btc.price.current).toBe(111);
    expect(btc.price.source).toBe('5m');
    expect(btc.price.change24h).toBeCloseTo(111 / 100 - 1, 12);
    expect(btc.price.change7d).toBeCloseTo(111 / 80 - 1, 12);
    expect(btc.price.high24h).toBe(111);
    expect(btc.price.low24h).toBe(109);
    expect(btc.price.trend).toBe('up'); // 111 vs the mean of the last 24 hourly closes (110): +0.9 %, above +0.5 %
    // 48 hourly closes: 24 × 100 then 24 × 110 → 47 returns, one of them 0.1.
    const mean = 0.1 / 47;
    const std = Math.sqrt((46 * mean * mean + (0.1 - mean) ** 2) / 47);
    expect(btc.volatility.sample).toBe(47);
    expect(btc.volatility.hourlyReturnStd).toBeCloseTo(std, 12);
    expect(btc.volume).toEqual({ last24h: 48, previous24h: 24, trend: 2 });
    const eth = report.symbols.find((s) => s.symbol === 'ETH/USD')!;
    expect(eth.price).toMatchObject({ current: 3000, source: '1d', change24h: null, trend: 'unknown' });
    expect(eth.volatility).toEqual({ hourlyReturnStd: null, sample: 0 });
  });

  it('reports data depth and quality', () => {
    expect(report.dataDepth).toContainEqual({ symbol: 'BTC/USD', timeframe: '1h', rows: 191, earliest: NOW - 8 * DAY, latest: NOW - HOUR });
    expect(report.dataDepth).toContainEqual({ symbol: 'ETH/USD', timeframe: '1d', rows: 19, earliest: NOW - 20 * DAY, latest: NOW - 2 * DAY });
    expect(report.dataQuality.scans).toEqual({ total: 5, firstAt: NOW - 5 * HOUR, lastAt: NOW - 60_000, lastHour: 3, expectedPerHour: 24 });
    expect(report.dataQuality.series).toContainEqual({ symbol: 'BTC/USD', timeframe: '1h', stalenessMs: 0, missingInWindow: 1 });
    expect(report.dataQuality.series).toContainEqual({ symbol: 'ETH/USD', timeframe: '1d', stalenessMs: DAY, missingInWindow: 1 });
    expect(report.generatedAt).toBe(NOW);
  });
});

describe('trade_performance v001 in the sandbox', () => {
  let report: TradePerformanceReport;
  beforeAll(async () => {
    const r = await runAnalysisModule('trade_performance', analysisSeedSource('trade_performance'), ro.port, NOW, { host, version: 'v001' });
    if (!r.ok) throw new Error(r.error.reason);
    report = r.report as TradePerformanceReport;
  });

  it('reports performance overall and by symbol, regime, version and intent', () => {
    expect(report.overall).toEqual({ trades: 4, wins: 2, winRate: 0.5, netPnl: 12, fees: 3, avgPnl: 3, expectancy: 0.5 * 8 + 0.5 * -2 });
    expect(report.bySymbol['BTC/USD']).toEqual({ trades: 2, wins: 1, winRate: 0.5, netPnl: 6, fees: 2, avgPnl: 3, expectancy: 3 });
    expect(Object.keys(report.byRegime).sort()).toEqual(['range', 'trend', 'unknown']);
    expect(report.byRegime['trend']).toMatchObject({ trades: 2, wins: 2, netPnl: 16 });
    expect(report.byVersion['v002']).toMatchObject({ trades: 2, firstTradeAt: NOW - 40 * DAY, lastTradeAt: NOW - DAY + HOUR });
    expect(report.byIntent['DAY']).toMatchObject({ trades: 2, avgHoldHours: 3 });
    expect(report.regimeBySymbol['trend']!['ETH/USD']).toMatchObject({ trades: 1, netPnl: 6 });
  });

  it('reports signals and rejections, fee impact, holding time, aging, time of day and rolling windows', () => {
    expect(report.signals).toEqual({
      total: 6,
      acted: 3,
      rejected: 3,
      actRate: 0.5,
      topRejectionReasons: [
        { reason: 'max positions reached', count: 2 },
        { reason: 'daily loss limit', count: 1 },
      ],
    });
    expect(report.fees.total).toBe(3);
    expect(report.fees.ofGrossWins).toBeCloseTo(3 / 16, 12);
    expect(report.fees.roundTripPct).toBeCloseTo(0.8, 12); // 2 × the latest taker fee (ETH's 0.4 %)
    expect(report.fees.breakEvenMovePct).toBeCloseTo(1.2, 12);
    expect(report.holding).toMatchObject({ sample: 4, winnersHours: 6, losersHours: (4 + 9) / 2 });
    expect(report.openPositionAging.map((b) => [b.bucket, b.positions])).toEqual([['<1d', 0], ['1-3d', 1], ['3-7d', 0], ['>7d', 0]]);
    expect(report.openPositionAging[1]!.unrealized).toBeCloseTo((0.1 * 111) / 10 - 1, 12); // priced at the newest close
    expect(report.timeOfDay).toEqual([
      { hourUtc: 3, trades: 2, winRate: 0.5, netPnl: 6 },
      { hourUtc: 15, trades: 2, winRate: 0.5, netPnl: 6 },
    ]);
    expect(report.rolling['7d']).toMatchObject({ trades: 3, netPnl: 12 });
    expect(report.rolling['30d']).toMatchObject({ trades: 3 });
  });
});

describe('hostile or broken analysis modules', () => {
  const run = (code: string, over: Parameters<typeof runAnalysisModule>[4] = {}) =>
    runAnalysisModule('trade_performance', code, ro.port, NOW, { host, staticCheck: false, deadlineMs: 500, ...over });

  it('a module that loops forever times out; the host is unharmed', async () => {
    const r = await run('export function analyze() { for (;;) {} }');
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(r.ok || r.error.reason).toMatch(/deadline/);
  });

  it('a module cannot reach the database, the process or the network', async () => {
    const r = await run(`export function analyze(data) { return [typeof process, typeof require, typeof fetch, typeof globalThis.db, Object.keys(globalThis).filter((k) => /db|sql|store/i.test(k)).length]; }`);
    expect(r.ok).toBe(false);
    // The answer is not a report: refused by the schema, naming it.
    expect(r.ok || r.error).toMatchObject({ kind: 'invalidOutput' });
    expect(r.ok || r.error.reason).toMatch(/does not match the trade_performance schema/);
  });

  it('a report missing fields is refused with every issue named', async () => {
    const r = await run(`export function analyze(data, context) { return { kind: 'trade_performance', generatedAt: context.nowMs, overall: { trades: -1 } }; }`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalidOutput');
      expect(r.error.reason).toMatch(/overall\.trades: .*>=0/);
      expect(r.error.reason).toMatch(/bySymbol: /);
    }
  });

  it('the static check refuses forbidden code before anything runs', async () => {
    const r = await runAnalysisModule('market_analysis', 'export function analyze() { return eval("1"); }', ro.port, NOW, { host });
    expect(r).toMatchObject({ ok: false, error: { kind: 'rejected' } });
    expect(r.ok || r.error.reason).toMatch(/\[forbidden-global\]/);
  });

  it('a module without analyze is rejected; an unknown kind is rejected', async () => {
    expect(await run('export const x = 1;')).toMatchObject({ ok: false, error: { kind: 'rejected', reason: expect.stringMatching(/has no analyze\(\) \(module exports: x\)/) } });
    expect(await runAnalysisModule('bogus' as never, 'export function analyze() {}', ro.port, NOW, { host })).toMatchObject({ ok: false, error: { kind: 'rejected' } });
  });

  it('the module gets copies: mutating its datasets changes nothing on the host, and Math.random is seeded by the version', async () => {
    const code = `export function analyze(data) { data.trades.length = 0; return Math.random(); }`;
    const a = await run(code, { version: 'x1' });
    const b = await run(code, { version: 'x1' });
    expect(a.ok || a.error.reason).toBe(b.ok || b.error.reason);
    expect(ro.port.trades(NOW, 10)).toHaveLength(4);
  });
});

describe('stored module versions', () => {
  it('seeds v001 of both modules once, registers a child version and runs the live one from the store', async () => {
    expect(ensureAnalysisSeeds(repos.analysisModules, NOW).sort()).toEqual(['market_analysis', 'trade_performance']);
    expect(ensureAnalysisSeeds(repos.analysisModules, NOW)).toEqual([]);
    expect(repos.analysisModules.current('market_analysis')?.version).toBe('v001');
    const same = registerAnalysisModule(repos.analysisModules, { kind: 'market_analysis', code: analysisSeedSource('market_analysis'), parent: 'v001', description: 'copy', nowMs: NOW });
    expect(same).toMatchObject({ ok: false, reason: expect.stringMatching(/identical code is already stored as market_analysis v001/) });
    const child = analysisSeedSource('market_analysis').replace("kind: 'market_analysis',", "kind: 'market_analysis', note: 'v2',");
    const reg = registerAnalysisModule(repos.analysisModules, { kind: 'market_analysis', code: child, parent: 'v001', description: 'adds a note', nowMs: NOW + 1 });
    expect(reg).toMatchObject({ ok: true, version: 'v002' });
    repos.analysisModules.deploy('market_analysis', 'v002', NOW + 2);
    const r = await runStoredAnalysis('market_analysis', NOW, { dbPath: path, modules: repos.analysisModules, host });
    expect(r.module).toMatchObject({ version: 'v002', source: 'live' });
    expect(r.ok ? (r.report as Record<string, unknown>)['note'] : r.error.reason).toBe('v2');
  });

  it('a missing database file is an unavailable result, not a throw', async () => {
    const r = await runStoredAnalysis('trade_performance', NOW, { dbPath: join(dir, 'nope.db'), modules: repos.analysisModules, host });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: expect.stringMatching(/read-only failed/) } });
  });
});
