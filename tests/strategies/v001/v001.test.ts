/**
 * The seed strategy v001 on hand-checkable synthetic series, its indicators against the toolkit
 * (domain/indicators), and its state round trip.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../domain/market/index.ts';
import { emaSeries, rsiSeries, volumeRatioSeries } from '../../../domain/indicators/index.ts';
import { createInProcessRunner, readStrategySource } from '../../../strategies/in-process/index.ts';
import * as v001 from '../../../strategies/v001/strategy.ts';
import { V001_SOURCE_PATH } from '../../../strategies/v001/index.ts';
import { LIMITS } from '../../domain/pipeline/support.ts';

const T0 = Date.UTC(2024, 0, 1);
const M5 = 300_000;
const SYMBOL = 'BTC/USD';

function series(closes: readonly number[], volumes: (i: number) => number = () => 10): Candle[] {
  return closes.map((close, i) => ({ tsOpen: T0 + i * M5, open: close, high: close, low: close, close, volume: volumes(i) }));
}

/** Feeds the candles one call at a time (as the runner does) and collects the signals per call. */
function feed(candles: readonly Candle[], held: (i: number) => boolean = () => false): { index: number; signals: ReturnType<typeof v001.analyze> }[] {
  const out: { index: number; signals: ReturnType<typeof v001.analyze> }[] = [];
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    const market = { price: c.close, candles5m: candles.slice(0, i + 1) };
    const portfolio = { positions: held(i) ? [{ symbol: SYMBOL }] : [] };
    const signals = v001.analyze({ [SYMBOL]: market }, portfolio, c.tsOpen + M5);
    if (signals.length > 0) out.push({ index: i, signals });
  }
  return out;
}

/** Closes alternating 100, 101, 100, 101… */
const zigzag = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 100 : 101));

describe('v001 signals', () => {
  it('buys on the crossover with RSI in band and a volume spike, with a 2 % stop and a 4 % target', () => {
    // In a 100/101 zigzag, after each 101 EMA(9) → 100 + 5/9 ≈ 100.556 is above EMA(21) → 100 + 11/21
    // ≈ 100.524, and after each 100 it is below (100.444 vs 100.476): a crossover up on every 101
    // from index 21 on, RSI ≈ 50. Only candle 41 (a 101) has volume 20 = 2× the previous 20 bars.
    v001.initialize({ ...LIMITS, defaultTradePct: 0.07 }, [SYMBOL]);
    const calls = feed(series(zigzag(60), (i) => (i === 41 ? 20 : 10)));
    expect(calls.map((c) => c.index)).toEqual([41]);
    const [signal] = calls[0]!.signals;
    expect(signal).toMatchObject({ action: 'BUY', symbol: SYMBOL, size: 0.07, intent: 'DAY' });
    expect(signal!.stopLoss).toBeCloseTo(101 * 0.98, 10);
    expect(signal!.takeProfit).toBeCloseTo(101 * 1.04, 10);
    expect(v001.regime).toBe('bullish'); // the last candle (index 59) is a 101: EMA(9) above EMA(21)
  });

  it('does not buy while the symbol is held, and closes on the cross back down', () => {
    v001.initialize(LIMITS, [SYMBOL]);
    const calls = feed(series(zigzag(50), (i) => (i === 41 ? 20 : 10)), (i) => i >= 30);
    // Held from index 30: the spike at 41 buys nothing; every 100 from 30 on is a cross down → CLOSE.
    expect(calls.map((c) => [c.index, c.signals[0]!.action])).toEqual([30, 32, 34, 36, 38, 40, 42, 44, 46, 48].map((i) => [i, 'CLOSE']));
  });

  it('stays out while RSI is outside 30–70 even on a crossover with volume', () => {
    // A steady rise after a flat start: EMA(9) crosses EMA(21) at once, but RSI is 100 (no losses).
    v001.initialize(LIMITS, [SYMBOL]);
    const closes = [...Array<number>(25).fill(100), ...Array.from({ length: 10 }, (_, i) => 101 + i)];
    expect(feed(series(closes, (i) => (i >= 25 ? 30 : 10)))).toEqual([]);
  });

  it('needs 21 closes before any decision, and reads only candles newer than the last call', () => {
    v001.initialize(LIMITS, [SYMBOL]);
    const candles = series(zigzag(21), (i) => (i === 20 ? 50 : 10));
    // All 21 candles in one call: the indicators warm up on them (the replay a runner does on load).
    const signals = v001.analyze({ [SYMBOL]: { price: 100, candles5m: candles } }, { positions: [] }, T0 + 21 * M5);
    expect(signals).toEqual([]); // EMA(21) is ready only now, so there is no previous value to cross from
    const state = v001.getState() as { tracks: Record<string, { count: number }> };
    expect(state.tracks[SYMBOL]!.count).toBe(21);
    v001.analyze({ [SYMBOL]: { price: 100, candles5m: candles } }, { positions: [] }, T0 + 22 * M5);
    expect((v001.getState() as { tracks: Record<string, { count: number }> }).tracks[SYMBOL]!.count).toBe(21);
  });
});

describe('v001 indicators', () => {
  it('match the toolkit: EMA 9/21, Wilder RSI 14, volume ratio 20', () => {
    let x = 100;
    const closes: number[] = [];
    const volumes: number[] = [];
    for (let i = 0; i < 500; i++) {
      x *= 1 + Math.sin(i * 1.7) * 0.004 + Math.cos(i * 0.31) * 0.002;
      closes.push(Math.round(x * 100) / 100);
      volumes.push(5 + 20 * Math.abs(Math.sin(i * 0.9)));
    }
    const candles = series(closes, (i) => volumes[i]!);
    v001.initialize(LIMITS, [SYMBOL]);
    const fast = emaSeries(Float64Array.from(closes), 9);
    const slow = emaSeries(Float64Array.from(closes), 21);
    const rsi = rsiSeries(Float64Array.from(closes), 14);
    const ratio = volumeRatioSeries(Float64Array.from(volumes), 20);
    for (let i = 0; i < candles.length; i++) {
      v001.analyze({ [SYMBOL]: { price: closes[i]!, candles5m: candles.slice(0, i + 1) } }, { positions: [] }, T0 + (i + 1) * M5);
      if (i < 30) continue;
      const t = (v001.getState() as { tracks: Record<string, Record<string, number>> }).tracks[SYMBOL]!;
      expect(t.fast).toBeCloseTo(fast[i]!, 9);
      expect(t.slow).toBeCloseTo(slow[i]!, 9);
      expect(t.rsi).toBeCloseTo(rsi[i]!, 9);
      expect(t.volumeRatio).toBeCloseTo(ratio[i]!, 9);
    }
  });
});

describe('v001 as a module', () => {
  it('is self-contained: no imports, plain ESM exports of the contract', () => {
    const text = readFileSync(V001_SOURCE_PATH, 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
    for (const name of ['initialize', 'analyze', 'getState', 'loadState']) expect(text).toMatch(new RegExp(`export function ${name}\\(`));
    expect(v001.scanIntervalMinutes).toBe(5);
  });

  it('state survives getState → loadState in a fresh instance: both continue with the same signals', async () => {
    const source = await readStrategySource(V001_SOURCE_PATH);
    if (!source.ok) throw new Error(source.reason);
    const candles = series(zigzag(80), (i) => (i % 10 === 1 ? 25 : 10));
    const tick = (i: number) => ({
      nowMs: candles[i]!.tsOpen + M5,
      portfolio: { cash: 1, totalValue: 1, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 },
      markets: { [SYMBOL]: { price: candles[i]!.close, spread: 0.001, volume24h: 1, makerFeePct: 0.25, takerFeePct: 0.4, newCandles: { '5m': [candles[i]!] } } },
    });
    const a = createInProcessRunner();
    expect((await a.load({ version: 'v001', code: source.source.code, limits: LIMITS, symbols: [SYMBOL], history: {} })).ok).toBe(true);
    for (let i = 0; i < 40; i++) await a.analyze(tick(i));
    const saved = await a.getState();
    if (!saved.ok) throw new Error(saved.error.reason);
    const b = createInProcessRunner();
    await b.load({ version: 'v001', code: source.source.code, limits: LIMITS, symbols: [SYMBOL], history: { [SYMBOL]: { '5m': candles.slice(0, 40) } }, state: saved.value });
    const outA: unknown[] = [];
    const outB: unknown[] = [];
    for (let i = 40; i < 80; i++) {
      const ra = await a.analyze(tick(i));
      const rb = await b.analyze(tick(i));
      if (!ra.ok || !rb.ok) throw new Error('analyze failed');
      outA.push(ra.value.rawSignals);
      outB.push(rb.value.rawSignals);
    }
    expect(outB).toEqual(outA);
    expect(outA.flat().length).toBeGreaterThan(0);
  });
});
