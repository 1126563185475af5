/**
 * The backtester end to end on synthetic markets: determinism, no look-ahead, the causal 1h/1d
 * views, walk-forward folds, and the report's bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { fromString, toString } from '../../../domain/money/index.ts';
import { reconcileCash } from '../../../domain/portfolio/index.ts';
import { BacktestSpecError, CausalAggregator, RollingVolume, foldWindows, reportJson, runBacktest, runBacktestReport } from '../../../supervisor/backtest/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { DAY, M5, START, inline, request, v001Source, walk } from './support.ts';

/** Buys or closes at random (Math.random is the runner's seeded PRNG), so the seed matters. */
const COIN = `
let symbols = [];
export function initialize(limits, s) { symbols = s; }
export function analyze(markets, portfolio) {
  const out = [];
  for (const s of symbols) {
    if (!markets[s]) continue;
    const r = Math.random();
    const held = portfolio.positions.some((p) => p.symbol === s);
    if (!held && r < 0.02) out.push({ action: 'BUY', symbol: s, size: 0.1, orderType: r < 0.01 ? 'LIMIT' : 'MARKET', ...(r < 0.01 ? { limitPrice: Math.round(markets[s].price * 0.998 * 100) / 100 } : {}), stopLoss: markets[s].price * 0.99, takeProfit: markets[s].price * 1.01 });
    else if (held && r > 0.98) out.push({ action: 'CLOSE', symbol: s });
  }
  return out;
}`;

describe('determinism', () => {
  it('the same request and seed give byte-identical JSON; another seed gives another report', async () => {
    const strategy = inline(COIN, 'coin');
    const a = await runBacktestReport(request(strategy, { folds: 2 }));
    const b = await runBacktestReport(request(strategy, { folds: 2 }));
    const c = await runBacktestReport(request(strategy, { seed: 2 }));
    if (!a.ok || !b.ok || !c.ok) throw new Error('backtest failed');
    expect(reportJson(a.report)).toBe(reportJson(b.report));
    expect(a.report.metrics.tradeCount).toBeGreaterThan(10);
    expect(a.report.limitOrders.limitAttempted).toBeGreaterThan(0);
    expect(c.report.metrics.tradeCount).not.toBe(a.report.metrics.tradeCount);
  });

  it('a runner without the synchronous fast path (fresh ticks, awaited calls) gives the same report', async () => {
    const strategy = inline(COIN, 'coin');
    const asyncOnly = (seed: number) => {
      const r = createInProcessRunner({ seed });
      return { load: r.load.bind(r), analyze: r.analyze.bind(r), notify: r.notify.bind(r), getState: r.getState.bind(r), close: r.close.bind(r) };
    };
    const fast = await runBacktestReport(request(strategy));
    const slow = await runBacktestReport(request(strategy, { makeRunner: asyncOnly }));
    if (!fast.ok || !slow.ok) throw new Error('backtest failed');
    expect(reportJson(slow.report)).toBe(reportJson(fast.report));
  });

  it('v001 runs through the full pipeline and its books reconcile', async () => {
    const run = await runBacktest(
      { ...request(await v001Source()), settings: request(await v001Source()).settings },
      createInProcessRunner(),
    );
    expect(run.loadFailure).toBeNull();
    expect(run.collector.trades.length).toBeGreaterThan(0);
    expect(reconcileCash(fromString('10000'), [], run.collector.trades, run.state.ledger.positions)).toBe(run.state.ledger.cash);
    expect(run.decisions).toBe(run.steps); // every 5m close is a decision
    expect(run.candleCounts).toEqual({ 'BTC/USD': 864, 'ETH/USD': 834 }); // 3 days; ETH lacks 30 candles
  });
});

describe('no look-ahead', () => {
  /**
   * Checks, at every call, that every candle it can see has closed by `time`, records when each
   * 1h/1d candle first appeared, and compares each 1h candle with the 5m candles it aggregates.
   */
  const DETECTOR = `
let violations = [];
let firstSeen = {};
let checked = 0;
const LEN = { candles5m: 300000, candles1h: 3600000, candles1d: 86400000 };
export function initialize() {}
export function analyze(markets, portfolio, time) {
  for (const s of Object.keys(markets)) {
    for (const tf of Object.keys(LEN)) {
      for (const c of markets[s][tf]) {
        if (c.tsOpen + LEN[tf] > time) violations.push(s + ' ' + tf + ' ' + c.tsOpen + ' at ' + time);
        const key = s + ' ' + tf + ' ' + c.tsOpen;
        if (tf !== 'candles5m' && !(key in firstSeen)) firstSeen[key] = time;
      }
    }
    const hours = markets[s].candles1h;
    const h = hours[hours.length - 1];
    if (h) {
      const parts = markets[s].candles5m.filter((c) => c.tsOpen >= h.tsOpen && c.tsOpen < h.tsOpen + 3600000);
      if (parts.length > 0) {
        checked++;
        const high = Math.max(...parts.map((c) => c.high));
        const low = Math.min(...parts.map((c) => c.low));
        const volume = parts.reduce((a, c) => a + c.volume, 0);
        if (parts[0].open !== h.open || parts[parts.length - 1].close !== h.close || high !== h.high || low !== h.low || Math.abs(volume - h.volume) > 1e-9 * volume) violations.push('1h mismatch ' + s + ' ' + h.tsOpen);
      }
    }
  }
  return [];
}
export function getState() { return { violations, firstSeen, checked }; }`;

  it('a strategy that checks every candle it can see finds none that closes after now, and each 1h/1d candle arrives when it closes', async () => {
    const runner = createInProcessRunner();
    const run = await runBacktest({ ...request(inline(DETECTOR)), fromMs: START + 7 * M5 }, runner);
    const state = await runner.getState();
    if (!state.ok) throw new Error(state.error.reason);
    const { violations, firstSeen, checked } = state.value as { violations: string[]; firstSeen: Record<string, number>; checked: number };
    expect(run.steps).toBeGreaterThan(800);
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
    // Every 1h and 1d candle opened in the window was first seen exactly when it closed (BTC has no gaps).
    const btcHours = Object.entries(firstSeen).filter(([k]) => k.startsWith('BTC/USD candles1h'));
    const inWindow = btcHours.filter(([k]) => Number(k.split(' ')[2]) >= START + DAY / 24);
    expect(inWindow.length).toBeGreaterThan(60);
    for (const [key, seenAt] of inWindow) expect(seenAt).toBe(Number(key.split(' ')[2]) + 3_600_000);
    const btcDays = Object.entries(firstSeen).filter(([k]) => k.startsWith('BTC/USD candles1d') && Number(k.split(' ')[2]) >= START);
    expect(btcDays.map(([k, t]) => t - Number(k.split(' ')[2]))).toEqual([DAY, DAY, DAY]); // the third closes at the last step
  });

  it('the detector itself catches a candle from the future (so its silence above means something)', async () => {
    const url = `data:text/javascript;base64,${Buffer.from(`${DETECTOR}\n// control`).toString('base64')}`;
    const detector = (await import(/* @vite-ignore */ url)) as { analyze: (m: unknown, p: unknown, t: number) => unknown; getState: () => { violations: string[] } };
    const future = { tsOpen: START, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    detector.analyze({ 'BTC/USD': { candles5m: [future], candles1h: [], candles1d: [] } }, {}, START + M5 - 1);
    expect(detector.getState().violations).toEqual([`BTC/USD candles5m ${START} at ${START + M5 - 1}`]);
  });

  it('an hour with missing 5m candles is still handed over at the first step after it ended', () => {
    const agg = new CausalAggregator('1h');
    const hour = Date.UTC(2024, 0, 1, 10);
    const bar = (t: number, x: number) => ({ tsOpen: t, open: x, high: x + 1, low: x - 1, close: x, volume: 2 });
    expect(agg.push(bar(hour, 10))).toBeNull();
    expect(agg.push(bar(hour + 5 * M5, 12))).toBeNull();
    expect(agg.completeBy(hour + 11 * M5)).toBeNull(); // 10:55, the hour is not over
    expect(agg.completeBy(hour + 12 * M5)).toEqual({ tsOpen: hour, open: 10, high: 13, low: 9, close: 12, volume: 4 });
    expect(agg.completeBy(hour + 13 * M5)).toBeNull();
    expect(agg.push(bar(hour + 14 * M5, 20))).toBeNull();
    expect(agg.push(bar(hour + 24 * M5, 30))).toEqual({ tsOpen: hour + 12 * M5, open: 20, high: 21, low: 19, close: 20, volume: 2 });
  });

  it('the 24 h volume covers the candles opened in the last 24 h', () => {
    const v = new RollingVolume();
    for (let i = 0; i < 300; i++) v.push(i * M5, i + 1);
    // at 300 × 5 min: candles opened at or after 12 × 5 min count, volumes 13..300
    expect(v.at(300 * M5)).toBe(((13 + 300) * 288) / 2);
  });
});

describe('walk-forward', () => {
  it('cuts N + 1 equal segments; fold k is in-sample k − 1, out-of-sample k; the last absorbs the remainder', () => {
    const from = Date.UTC(2024, 0, 1);
    const r = foldWindows(from, from + 10 * DAY + 7 * M5, 4);
    if (!r.ok) throw new Error(r.reason);
    const seg = 2 * DAY + M5; // (10 days + 35 min) / 5 = 2 days 7 min → 2 days 5 min on the 5-minute grid
    expect(r.folds.map((f) => [f.inSample.fromMs - from, f.inSample.toMs - from, f.outOfSample.fromMs - from, f.outOfSample.toMs - from])).toEqual([
      [0, seg, seg, 2 * seg],
      [seg, 2 * seg, 2 * seg, 3 * seg],
      [2 * seg, 3 * seg, 3 * seg, 4 * seg],
      [3 * seg, 4 * seg, 4 * seg, 10 * DAY + 7 * M5],
    ]);
    expect(foldWindows(from, from + 3 * M5, 3)).toEqual({ ok: false, reason: 'the range is too short for 3 folds: 4 segments of at least 5 minutes are needed' });
    expect(foldWindows(from, from + DAY, 0).ok).toBe(false);
  });

  it('reports each window with fresh capital and the out-of-sample windows chained', async () => {
    const r = await runBacktestReport(request(inline(COIN, 'coin'), { folds: 2 }));
    if (!r.ok) throw new Error(r.reason);
    const wf = r.report.walkForward!;
    expect(wf.windows.map((w) => [w.inSample.period.from, w.inSample.period.to, w.outOfSample.period.from, w.outOfSample.period.to])).toEqual([
      ['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z', '2024-03-02T00:00:00.000Z', '2024-03-03T00:00:00.000Z'],
      ['2024-03-02T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-03-04T00:00:00.000Z'],
    ]);
    for (const w of wf.windows) expect([w.inSample.result.startingCapital, w.outOfSample.result.startingCapital]).toEqual(['10000', '10000']);
    // In-sample of fold 2 is out-of-sample of fold 1: the same window with the same warm-up gives the same result.
    expect(wf.windows[1]!.inSample.result).toEqual(wf.windows[0]!.outOfSample.result);
    const oosTrades = wf.windows.reduce((n, w) => n + w.outOfSample.metrics.tradeCount, 0);
    expect(wf.outOfSample.metrics.tradeCount).toBe(oosTrades);
    expect(wf.outOfSample.from).toBe('2024-03-02T00:00:00.000Z');
  });
});

describe('the report', () => {
  it('counts orders, fees and rejections consistently with the books', async () => {
    const r = await runBacktestReport(request(inline(COIN, 'coin')));
    if (!r.ok) throw new Error(r.reason);
    const rep = r.report;
    const m = rep.metrics;
    expect(m.tradeCount).toBe(rep.trades.length);
    expect(Object.values(rep.bySymbol).reduce((n, s) => n + s.trades, 0)).toBe(m.tradeCount);
    expect(rep.byMonth.reduce((n, x) => n + x.trades, 0)).toBe(m.tradeCount);
    expect(Number(rep.result.makerFees) + Number(rep.result.takerFees)).toBeCloseTo(Number(rep.result.feesPaid), 8);
    expect(rep.limitOrders.fillRate).toBe(rep.limitOrders.limitFilled / rep.limitOrders.limitAttempted);
    expect(rep.equityCurve[0]).toEqual({ date: '2024-02-29', equity: 10000, cash: 10000, drawdownPct: 0 });
    expect(rep.equityCurve.at(-1)!.equity).toBeCloseTo(Number(rep.result.finalEquity), 6);
    expect(m.totalScans).toBe(rep.data.totalCandles);
    expect(rep.exposure.timeInMarket).toBeGreaterThan(0);
    expect(rep.settings.markets['BTC/USD']).toEqual({ spread: '0.001', lotDecimals: 8, pairDecimals: 1, tickSize: '0.1', orderMin: '0.00005', costMin: '0.5' });
    expect(toString(fromString(rep.result.startingCapital))).toBe('10000');
  });

  it('a strategy that cannot load is a reason, not a report', async () => {
    const r = await runBacktestReport(request(inline('export const nothing = 1;')));
    expect(r.ok ? '' : r.reason).toContain('has no initialize() and no analyze()');
  });

  it('a strategy that throws sometimes is counted, and the run goes on', async () => {
    const code = 'let n = 0; export function initialize() {} export function analyze() { if (++n % 100 === 0) throw new Error("every hundredth"); return []; }';
    const r = await runBacktestReport(request(inline(code)));
    if (!r.ok) throw new Error(r.reason);
    expect(r.report.strategyErrors.count).toBe(8); // 864 calls
    expect(r.report.strategyErrors.first).toEqual({ at: new Date(START + 100 * M5).toISOString(), kind: 'threw', reason: 'analyze threw: Error: every hundredth' });
  });
});

describe('spec checks', () => {
  const QUIET = inline('export function initialize() {} export function analyze() { return []; }');

  it('refuses a misaligned or out-of-order candle list, naming the symbol and the candle', async () => {
    const base = request(QUIET);
    const btc = base.candles['BTC/USD']!;
    const misaligned = btc.map((c, i) => (i === 7 ? { ...c, tsOpen: c.tsOpen + 1 } : c));
    const repeated = btc.map((c, i) => (i === 9 ? { ...c, tsOpen: btc[8]!.tsOpen } : c));
    for (const [list, index] of [[misaligned, 7], [repeated, 9]] as const) {
      const spec = { ...base, candles: { ...base.candles, 'BTC/USD': list } };
      await expect(runBacktest(spec, createInProcessRunner())).rejects.toThrow(BacktestSpecError);
      await expect(runBacktest(spec, createInProcessRunner())).rejects.toThrow(`BTC/USD candle ${index} (tsOpen ${list[index]!.tsOpen}) must be aligned to 5m and after the previous one`);
    }
  });

  it('a list found sound is not walked again, and a bad list is refused every time', async () => {
    // Walk-forward runs many windows over the same lists; the result must not depend on the memo.
    const r = await runBacktestReport(request(QUIET, { folds: 3 }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.report.walkForward?.windows.length).toBe(3);
    const base = request(QUIET);
    const bad = base.candles['ETH/USD']!.map((c, i) => (i === 3 ? { ...c, tsOpen: c.tsOpen - M5 } : c));
    const spec = { ...base, candles: { ...base.candles, 'ETH/USD': bad } };
    await expect(runBacktest(spec, createInProcessRunner())).rejects.toThrow(/ETH\/USD candle 3 /);
    await expect(runBacktest(spec, createInProcessRunner())).rejects.toThrow(/ETH\/USD candle 3 /);
  });
});

describe('synthetic data', () => {
  it('walk is deterministic', () => {
    expect(walk(5, START, 10)).toEqual(walk(5, START, 10));
  });
});
