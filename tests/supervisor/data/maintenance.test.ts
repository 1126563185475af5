import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../../adapters/libsql/index.ts';
import { aggregateCandles, formatUtc, TIMEFRAME_MS, type Candle, type Timeframe } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { LAST_MAINTENANCE_KEY, rollupRecord, runMaintenance, type MaintenanceConfig } from '../../../supervisor/data/index.ts';
import { daily, signal, strategyVersion } from '../../adapters/libsql/fixtures.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { candleAt, referenceCandle, seriesArb, PROPERTY_TIMEOUT } from '../../domain/market/arbitraries.ts';
import { runs } from '../../support/runs.ts';

const M5 = TIMEFRAME_MS['5m'];
const H1 = TIMEFRAME_MS['1h'];
const D1 = TIMEFRAME_MS['1d'];
const CONFIG: MaintenanceConfig = {
  data: { candle5mRetentionDays: 30, candle1hRetentionDays: 365, candle1dRetentionYears: 7 },
  orchestrator: { reflectionIntervalDays: 7 },
};
const noPause = async (): Promise<void> => {};
const maintain = (repos: Repositories, nowMs: number) => runMaintenance(repos, CONFIG, nowMs, { pause: noPause });
const repos = (): Repositories => createRepositories(freshStore().db);

/** Distinct candle k after `start`: open 100 + k, high +3, low −2, close +1, volume k + 1 (all exact in binary for small k). */
const nth = (start: number, step: number, k: number): Candle => ({ tsOpen: start + k * step, open: 100 + k, high: 103 + k, low: 98 + k, close: 101 + k, volume: k + 1 });
const series = (start: number, step: number, n: number): Candle[] => Array.from({ length: n }, (_, k) => nth(start, step, k));
const all = (r: Repositories, symbol: string, tf: Timeframe): Candle[] => r.candles.range(symbol, tf, 0, Number.MAX_SAFE_INTEGER);
const volume = (candles: readonly Candle[]): number => candles.reduce((s, c) => s + c.volume, 0);

describe('runMaintenance: tier roll-up at exact boundaries', () => {
  // now = 2024-06-15 13:00 UTC exactly: the 5m cutoff is 30 days earlier, 2024-05-16 13:00 UTC (an hour boundary).
  const NOW = Date.UTC(2024, 5, 15, 13);
  const CUT = Date.UTC(2024, 4, 16, 13);

  it('rolls every 5m candle before the cutoff into its hour, keeps the cutoff candle and later as 5m, loses no volume', async () => {
    const r = repos();
    const fiveMin = series(CUT - 2 * H1, M5, 36); // 11:00 .. 13:55 on 2024-05-16
    r.candles.upsertMany('BTC/USD', '5m', fiveMin);
    const report = await maintain(r, NOW);
    expect(report.cutoffs['5m']).toBe(CUT);
    expect(all(r, 'BTC/USD', '5m')).toEqual(fiveMin.slice(24)); // 13:00 (= cutoff) and later stay
    const hours = all(r, 'BTC/USD', '1h');
    expect(hours.map((c) => formatUtc(c.tsOpen))).toEqual(['2024-05-16 11:00 UTC', '2024-05-16 12:00 UTC']);
    // Hour 12:00 holds k = 12..23: open 112, high 103 + 23 = 126, low 110, close 101 + 23 = 124 (the 12:55 candle, last before the cutoff), volume 13 + … + 24 = 222.
    expect(hours[1]).toEqual({ tsOpen: CUT - H1, open: 112, high: 126, low: 110, close: 124, volume: 222 });
    expect(hours[0]).toEqual(referenceCandle(CUT - 2 * H1, fiveMin.slice(0, 12)));
    expect(volume(hours) + volume(all(r, 'BTC/USD', '5m'))).toBe(volume(fiveMin));
    expect(report.rollups).toEqual([
      { symbol: 'BTC/USD', source: '5m', target: '1h', cutoffMs: CUT, sourceRows: 24, written: 2, keptExisting: 0, partialWritten: 0 },
    ]);
  });

  it('one millisecond earlier the cutoff is an hour earlier: the 12:00 hour stays 5m', async () => {
    const r = repos();
    r.candles.upsertMany('BTC/USD', '5m', series(CUT - 2 * H1, M5, 36));
    const report = await maintain(r, NOW - 1);
    expect(report.cutoffs['5m']).toBe(CUT - H1);
    expect(all(r, 'BTC/USD', '1h').map((c) => c.tsOpen)).toEqual([CUT - 2 * H1]);
    expect(r.candles.count('BTC/USD', '5m')).toBe(24);
  });

  it('rolls 1h into UTC days at the 1h cutoff (a day boundary) and deletes 1d past 7 × 365 days', async () => {
    const r = repos();
    const report0 = await maintain(r, NOW);
    const cut1h = report0.cutoffs['1h']; // 2023-06-16 00:00 UTC (365 days before, snapped to the day)
    const cut1d = report0.cutoffs['1d']; // 2017-06-17 00:00 UTC
    expect([formatUtc(cut1h), formatUtc(cut1d)]).toEqual(['2023-06-16 00:00 UTC', '2017-06-17 00:00 UTC']);
    const hourly = series(cut1h - 2 * D1, H1, 72);
    r.candles.upsertMany('ETH/USD', '1h', hourly);
    r.candles.upsertMany('ETH/USD', '1d', [nth(cut1d - D1, D1, 0), nth(cut1d - D1, D1, 1)]);
    const report = await maintain(r, NOW);
    expect(all(r, 'ETH/USD', '1h')).toEqual(hourly.slice(48));
    const days = all(r, 'ETH/USD', '1d');
    expect(days.map((c) => formatUtc(c.tsOpen))).toEqual(['2017-06-17 00:00 UTC', '2023-06-14 00:00 UTC', '2023-06-15 00:00 UTC']);
    // Day 2023-06-15 holds hourly k = 24..47: open 124, high 150, low 122, close 148, volume 25 + … + 48 = 876.
    expect(days[2]).toEqual({ tsOpen: cut1h - D1, open: 124, high: 150, low: 122, close: 148, volume: 876 });
    expect(report.dailyDeleted).toBe(1);
  });

  it('5m older than the 1h retention ends as 1d in one run, equal to aggregating 5m straight to days', async () => {
    const r = repos();
    const start = Date.UTC(2022, 0, 1);
    const fiveMin = series(start, M5, 3 * 288 - 7); // three days, the last one missing its final 7 candles
    r.candles.upsertMany('SOL/USD', '5m', fiveMin);
    await maintain(r, NOW);
    expect(r.candles.count('SOL/USD', '5m')).toBe(0);
    expect(r.candles.count('SOL/USD', '1h')).toBe(0);
    expect(all(r, 'SOL/USD', '1d')).toEqual(aggregateCandles(fiveMin, '5m', '1d', { closedAtMs: NOW }));
  });

  it('keeps a stored hour over an incomplete 5m bucket, overwrites it with a complete one, fills where nothing is stored', async () => {
    const r = repos();
    const fiveMin = series(CUT - 3 * H1, M5, 36).filter((c) => c.tsOpen !== CUT - 2 * H1 + 5 * M5 && c.tsOpen !== CUT - H1 + 5 * M5);
    r.candles.upsertMany('BTC/USD', '5m', fiveMin);
    const storedHour = { tsOpen: CUT - 3 * H1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 9 }; // bucket complete in 5m: overwritten
    const keptHour = { tsOpen: CUT - 2 * H1, open: 7, high: 8, low: 6, close: 7.5, volume: 99 }; // bucket missing a 5m candle: kept
    r.candles.upsertMany('BTC/USD', '1h', [storedHour, keptHour]);
    const report = await maintain(r, NOW);
    const hours = all(r, 'BTC/USD', '1h');
    expect(hours[0]).toEqual(referenceCandle(CUT - 3 * H1, fiveMin.slice(0, 12)));
    expect(hours[1]).toEqual(keptHour);
    expect(hours[2]).toEqual(referenceCandle(CUT - H1, fiveMin.filter((c) => c.tsOpen >= CUT - H1)));
    expect(report.rollups[0]).toMatchObject({ sourceRows: 34, written: 2, keptExisting: 1, partialWritten: 1 });
  });

  it('works across chunks (more than 30 days of 5m), per symbol, and is idempotent', async () => {
    const r = repos();
    const sparse = (offset: number) =>
      Array.from({ length: 70 * 24 }, (_, h) => [candleAt(CUT - 70 * D1 + h * H1 + offset, { open: 100 + h, close: 101 + h, up: 5, down: 5, volume: h })]).flat();
    r.candles.upsertMany('BTC/USD', '5m', [...sparse(0), ...sparse(55 * 60_000)].sort((a, b) => a.tsOpen - b.tsOpen));
    r.candles.upsertMany('ETH/USD', '5m', sparse(0));
    const report = await maintain(r, NOW);
    expect(report.rollups.map((x) => [x.symbol, x.sourceRows, x.written])).toEqual([
      ['BTC/USD', 2 * 70 * 24, 70 * 24],
      ['ETH/USD', 70 * 24, 70 * 24],
    ]);
    const btcHours = all(r, 'BTC/USD', '1h');
    expect(btcHours).toEqual(aggregateCandles(sparse(0).concat(sparse(55 * 60_000)).sort((a, b) => a.tsOpen - b.tsOpen), '5m', '1h', { closedAtMs: CUT }));
    const before = JSON.stringify([all(r, 'BTC/USD', '1h'), all(r, 'ETH/USD', '1h'), all(r, 'BTC/USD', '5m')]);
    const again = await maintain(r, NOW);
    expect(again.rollups).toEqual([]);
    expect(JSON.stringify([all(r, 'BTC/USD', '1h'), all(r, 'ETH/USD', '1h'), all(r, 'BTC/USD', '5m')])).toBe(before);
    expect(JSON.parse(r.systemMeta.get(LAST_MAINTENANCE_KEY)!).nowMs).toBe(NOW);
    // Candles without an import record (the live feed) roll up with no named source.
    expect(rollupRecord(r, 'ETH/USD', '1h')).toEqual({ symbol: 'ETH/USD', timeframe: '1h', sources: [], rows: 70 * 24, lastRunAt: NOW });
  });

  it('a failure inside a chunk rolls that chunk back whole: no aggregate without its deletion', async () => {
    const r = repos();
    const fiveMin = series(CUT - 2 * H1, M5, 24);
    r.candles.upsertMany('BTC/USD', '5m', fiveMin);
    const failing: Repositories = {
      ...r,
      candles: {
        ...r.candles,
        deleteRange: () => {
          throw new Error('disk full');
        },
      },
    };
    await expect(maintain(failing, NOW)).rejects.toThrow('disk full');
    expect(all(r, 'BTC/USD', '5m')).toEqual(fiveMin);
    expect(r.candles.count('BTC/USD', '1h')).toBe(0);
  });

  it('property: after a run, no 5m row is before the cutoff, later rows are untouched, and each hour follows the roll-up rule', async () => {
    await fc.assert(
      fc.asyncProperty(
        seriesArb('5m', { maxSlots: 3 * 12 * 4, keep: 0.85, maxStartBuckets: 0 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
        async (raw, storedHours) => {
          const r = repos();
          const start = CUT - 6 * H1;
          const candles = raw.map((c) => ({ ...c, tsOpen: start + (c.tsOpen - raw[0]!.tsOpen) }));
          r.candles.upsertMany('BTC/USD', '5m', candles);
          const stored = storedHours.sort().map((h) => ({ tsOpen: start + h * H1, open: 5, high: 6, low: 4, close: 5, volume: 1 }));
          r.candles.upsertMany('BTC/USD', '1h', stored);
          await maintain(r, NOW);
          expect(all(r, 'BTC/USD', '5m')).toEqual(candles.filter((c) => c.tsOpen >= CUT));
          const hours = new Map(all(r, 'BTC/USD', '1h').map((c) => [c.tsOpen, c]));
          for (let h = 0; h < 6; h++) {
            const b = start + h * H1;
            const src = candles.filter((c) => c.tsOpen >= b && c.tsOpen < b + H1);
            const own = stored.find((c) => c.tsOpen === b);
            const expected = src.length === 12 || (src.length > 0 && !own) ? referenceCandle(b, src) : own;
            expect(hours.get(b)).toEqual(expected);
          }
        },
      ),
      { numRuns: runs(40) },
    );
  }, PROPERTY_TIMEOUT);
});

describe('runMaintenance: other tables (predecessor.md §7)', () => {
  const NOW = Date.UTC(2025, 6, 1);
  const ago = (days: number): number => NOW - days * D1;

  it('prunes each table strictly before its retention and keeps the row at the boundary', async () => {
    const r = repos();
    r.strategyVersions.insert(strategyVersion());
    for (const at of [ago(90) - 1, ago(90)]) {
      r.tokenUsage.insert({ model: 'sonnet', purpose: 'x', cycleId: null, inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: fromString('0.1'), createdAt: at });
      r.feeSchedule.insert({ symbol: 'BTC/USD', makerFee: fromString('0.0025'), takerFee: fromString('0.004'), volume30d: null, tierVolume: null, checkedAt: at });
      r.activityLog.insert({ ts: at, category: 'system', severity: 'info', summary: 'x' });
    }
    for (const at of [ago(180) - 1, ago(180)]) r.signals.insert(signal({ createdAt: at }));
    for (const at of [ago(30) - 1, ago(30)]) {
      r.scanResults.insert({ scannedAt: at, symbol: 'BTC/USD', price: null, spread: null, signalGenerated: false });
      r.thoughts.insert({ cycleId: `c${at}`, step: 'analysis', model: 'opus', inputSummary: 'p', fullResponse: 'r', parsedResult: null, createdAt: at });
    }
    [ago(365) - 1, ago(365)].forEach((at, i) =>
      r.orchestratorLog.insert({
        cycleId: `cyc-${i}`, date: '2024-07-01', decision: 'NO_CHANGE', outcome: 'noChange', analysis: '{}', changes: null,
        strategyVersionFrom: 'v001', strategyVersionTo: null, tokensUsed: 1, costUsd: fromString('0'), startedAt: at, finishedAt: at,
      }),
    );
    [ago(7) - 1, ago(7)].forEach((at, i) =>
      r.observations.upsert({ date: '2025-06-24', cycleId: `o${i}`, marketSummary: 'm', strategyAssessment: 's', notableFindings: 'n', strategyVersion: 'v001', docFlag: false, flagReason: null, createdAt: at }),
    );
    const p = { cycleId: 'c', claim: 'c', evidence: 'e', falsification: 'f', confidence: 'medium' as const, evaluationTimeframe: '7d', category: 'market', createdAt: ago(60) };
    const graded = [r.predictions.insert(p), r.predictions.insert(p)];
    r.predictions.insert(p); // never graded: kept whatever its age
    r.predictions.grade(graded[0]!, { grade: 'refuted', gradeEvidence: '', gradeLearning: '' }, ago(30) - 1);
    r.predictions.grade(graded[1]!, { grade: 'refuted', gradeEvidence: '', gradeLearning: '' }, ago(30));
    const cand = (slot: number) => ({ slot, strategyVersion: 'v001', description: 'd', backtestSummary: '{}', portfolioSnapshot: '{}', startingCash: fromString('200'), evaluationDurationDays: 7, createdAt: ago(60) });
    const old = r.candidates.create(cand(1), { maxSlots: 3 });
    const recent = r.candidates.create(cand(2), { maxSlots: 3 });
    if (!old.ok || !recent.ok) throw new Error('candidate setup failed');
    for (const id of [old.id, recent.id]) {
      r.candidateSignals.insert({ ...signal(), candidateId: id });
      r.candidateDailyPerformance.upsert({ ...daily(), candidateId: id });
    }
    r.candidates.resolve(old.id, 'rejected', 'gate', ago(30) - 1);
    r.candidates.resolve(recent.id, 'rejected', 'gate', ago(30));

    const report = await maintain(r, NOW);
    expect(report.pruned).toEqual({
      tokenUsage: 1,
      feeSchedule: 1,
      signals: 1,
      scanResults: 1,
      orchestratorLog: 1,
      activityLog: 1,
      thoughts: 1,
      observations: 1,
      predictions: 1,
      candidateDetail: 2,
    });
    expect(r.predictions.counts().total).toBe(2);
    expect(r.candidateSignals.list(recent.id)).toHaveLength(1);
    expect(r.candidateDailyPerformance.list(recent.id)).toHaveLength(1);
    expect((await maintain(r, NOW)).pruned).toEqual({
      tokenUsage: 0, feeSchedule: 0, signals: 0, scanResults: 0, orchestratorLog: 0, activityLog: 0, thoughts: 0, observations: 0, predictions: 0, candidateDetail: 0,
    });
  });
});
