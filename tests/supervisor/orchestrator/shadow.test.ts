/**
 * The shadow book: the same strategy on the same candles makes exactly the same fills and trades
 * as the backtest engine (the fund's pipeline on a simulated clock), with the fund's settings;
 * closed trades are reported per step and persisted to the candidate books.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromString } from '../../../domain/money/index.ts';
import { checkStrategySource } from '../../../strategies/static-check/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { runBacktest } from '../../../supervisor/backtest/index.ts';
import { createShadowBook, tradeClosedEvents } from '../../../supervisor/orchestrator/index.ts';
import { tempStore } from '../../strategies/loader/support.ts';
import { DAY, M5, btcCandles, crossoverSource, fundSettings } from './support.ts';

const candles = btcCandles();
const START = candles[0]!.tsOpen + DAY;
const END = START + 2 * DAY;
const js = (src: string) => {
  const c = checkStrategySource(src, 'cand.ts');
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.code;
};
const store = tempStore();
afterAll(() => store.close());

describe('shadow book', () => {
  it('fills exactly as the backtest engine for the same strategy, candles and settings', async () => {
    const code = js(crossoverSource({ fast: 5, slow: 20, stop: 0.01, target: 0.02 }));
    const settings = fundSettings();
    const run = await runBacktest(
      { symbols: ['BTC/USD'], candles: { 'BTC/USD': candles }, fromMs: START, toMs: END, warmupMs: DAY, settings, startingCapital: fromString('10000'), strategy: { version: 'x', code } },
      createInProcessRunner({ seed: 1 }),
    );
    const book = await createShadowBook({
      candidateId: null,
      slot: null,
      version: 'x',
      code,
      settings,
      startingCapital: fromString('10000'),
      startMs: START,
      history: { 'BTC/USD': candles.filter((c) => c.tsOpen < START) },
      warmupMs: DAY,
      runner: createInProcessRunner({ seed: 1 }),
    });
    for (const c of candles.filter((c) => c.tsOpen >= START && c.tsOpen < END)) await book.onStep(c.tsOpen + M5, { 'BTC/USD': c });
    const engineTrades = run.collector.trades ?? [];
    expect(book.trades().length).toBeGreaterThan(3);
    const strip = (t: { tag: string }) => ({ ...t, tag: t.tag.replace(/^[a-z0-9]+_/, '') });
    expect(book.trades().map(strip)).toEqual((engineTrades as { tag: string }[]).map(strip));
    expect(book.fills().length).toBeGreaterThanOrEqual(2 * book.trades().length);
    await book.close();
  });

  it('reports closed trades per step and persists them to the candidate books', async () => {
    const { repos } = store;
    repos.strategyVersions.insert({ version: 'v900', parentVersion: null, code: 'x', codeHash: 'h900', riskTier: null, description: '', backtestResult: null, shadowTestResult: null, marketConditions: null, createdAt: START, deployedAt: null, retiredAt: null });
    const created = repos.candidates.create({ slot: 1, strategyVersion: 'v900', description: 'd', backtestSummary: null, portfolioSnapshot: '{}', startingCash: fromString('10000'), evaluationDurationDays: 7, createdAt: START }, { maxSlots: 3 });
    if (!created.ok) throw new Error(created.reason);
    const book = await createShadowBook({
      candidateId: created.id,
      slot: 1,
      version: 'v900',
      code: js(crossoverSource({ fast: 5, slow: 20, stop: 0.01, target: 0.02 })),
      settings: fundSettings(),
      startingCapital: fromString('10000'),
      startMs: START,
      history: { 'BTC/USD': candles.filter((c) => c.tsOpen < START) },
      warmupMs: DAY,
      runner: createInProcessRunner({ seed: 1 }),
      store: repos,
    });
    const closed: string[] = [];
    for (const c of candles.filter((c) => c.tsOpen >= START && c.tsOpen < END)) {
      const r = await book.onStep(c.tsOpen + M5, { 'BTC/USD': c });
      for (const e of tradeClosedEvents('v900', r)) closed.push(e.pnl);
    }
    expect(closed.length).toBe(book.trades().length);
    expect(repos.candidateTrades.count(created.id)).toBe(book.trades().length);
    expect(book.trades().every((t) => t.tag.startsWith('c1_'))).toBe(true);
    expect(repos.candidatePositions.list(created.id).map((p) => p.tag)).toEqual(book.state().ledger.positions.map((p) => p.tag));
    expect(repos.candidateDailyPerformance.list(created.id).length).toBeGreaterThanOrEqual(1);
    const signals = repos.candidateSignals.list(created.id);
    expect(signals.filter((s) => s.actedOn && s.action === 'BUY').length).toBe(book.trades().length + book.state().ledger.positions.length);
    expect(signals.every((s) => s.strategyVersion === 'v900')).toBe(true);
    expect(book.summary()).toMatchObject({ version: 'v900', slot: 1, trades: book.trades().length, breaches: 0 });
    await book.close();
  });
});
