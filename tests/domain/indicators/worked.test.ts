/**
 * Hand-computed examples for the indicators without a published table used here (MACD, VWAP,
 * volume ratio) and for the edge conventions (flat RSI, zero-volume baselines). Every expected
 * number is derived in the comment next to it.
 */
import { describe, expect, it } from 'vitest';
import {
  Macd,
  Rsi,
  VolumeRatio,
  Vwap,
  macdSeries,
  rsiSeries,
  volumeRatioSeries,
  vwapSeries,
} from '../../../domain/indicators/index.ts';

describe('MACD worked example (fast 2, slow 3, signal 2) on 1, 2, 4, 8, 16', () => {
  // EMA2 (k = 2/3): seed (1+2)/2 = 3/2; 3/2 + 2/3·(4 − 3/2) = 19/6; 19/6 + 2/3·(8 − 19/6) = 115/18;
  //                 115/18 + 2/3·(16 − 115/18) = 691/54.
  // EMA3 (k = 1/2): seed (1+2+4)/3 = 7/3; 7/3 + (8 − 7/3)/2 = 31/6; 31/6 + (16 − 31/6)/2 = 127/12.
  // line = EMA2 − EMA3: 19/6 − 7/3 = 5/6; 115/18 − 31/6 = 11/9; 691/54 − 127/12 = 239/108.
  // signal = EMA2 of the line: seed (5/6 + 11/9)/2 = 37/36; 37/36 + 2/3·(239/108 − 37/36) = 589/324.
  // histogram = line − signal: 11/9 − 37/36 = 7/36; 239/108 − 589/324 = 32/81.
  const xs = [1, 2, 4, 8, 16];
  const line = [NaN, NaN, 5 / 6, 11 / 9, 239 / 108];
  const signal = [NaN, NaN, NaN, 37 / 36, 589 / 324];
  const histogram = [NaN, NaN, NaN, 7 / 36, 32 / 81];

  it('batch', () => {
    const m = macdSeries(Float64Array.from(xs), { fast: 2, slow: 3, signal: 2 });
    for (let i = 0; i < xs.length; i++) {
      expectNear(m.line[i]!, line[i]!);
      expectNear(m.signal[i]!, signal[i]!);
      expectNear(m.histogram[i]!, histogram[i]!);
    }
  });

  it('incremental, ready after slow + signal − 1 = 4 values', () => {
    const macd = new Macd({ fast: 2, slow: 3, signal: 2 });
    expect(macd.warmUp).toBe(4);
    xs.forEach((x, i) => {
      macd.update(x);
      const v = macd.value();
      expect(macd.isReady()).toBe(i >= 3);
      expectNear(v.line, line[i]!);
      expectNear(v.signal, signal[i]!);
      expectNear(v.histogram, histogram[i]!);
    });
  });

  it('defaults to 12/26/9', () => {
    expect(new Macd().params).toEqual({ fast: 12, slow: 26, signal: 9 });
    expect(new Macd().warmUp).toBe(34);
  });
});

describe('VWAP worked example', () => {
  // Bar 1: tp = (10 + 8 + 9)/3 = 9, v = 100 → Σpv = 900, Σv = 100 → VWAP 9.
  // Bar 2: tp = (12 + 9 + 12)/3 = 11, v = 300 → Σpv = 900 + 3300 = 4200, Σv = 400 → 10.5.
  // Bar 3: tp = (11 + 10 + 10.5)/3 = 10.5, v = 0 → sums unchanged → 10.5.
  const bars = [
    { high: 10, low: 8, close: 9, volume: 100, tsOpen: 3_300_000 }, // 00:55 UTC, hour session 0
    { high: 12, low: 9, close: 12, volume: 300, tsOpen: 3_500_000 }, // 00:58:20, session 0
    { high: 11, low: 10, close: 10.5, volume: 0, tsOpen: 3_600_000 }, // 01:00, session 1
  ];

  it('cumulative', () => {
    const vwap = new Vwap();
    const out = bars.map((b) => {
      vwap.update(b);
      return vwap.value();
    });
    expect(out).toEqual([9, 10.5, 10.5]);
    const c = cols(bars);
    expect(Array.from(vwapSeries(c.high, c.low, c.close, c.volume))).toEqual([9, 10.5, 10.5]);
  });

  it('session-anchored: the zero-volume first bar of a new hour session is NaN and not ready', () => {
    const vwap = new Vwap({ sessionMs: 3_600_000 });
    expect(vwap.sessionMs).toBe(3_600_000);
    expect(new Vwap().sessionMs).toBeUndefined();
    const out = bars.map((b) => {
      vwap.update(b);
      return [vwap.value(), vwap.isReady()] as const;
    });
    expect(out).toEqual([
      [9, true],
      [10.5, true],
      [NaN, false],
    ]);
    const c = cols(bars);
    const batch = vwapSeries(c.high, c.low, c.close, c.volume, { tsOpen: c.tsOpen, sessionMs: 3_600_000 });
    expect(Array.from(batch)).toEqual([9, 10.5, NaN]);
  });

  it('reset() starts a new anchor', () => {
    const vwap = new Vwap();
    vwap.update(bars[0]!);
    vwap.reset();
    expect(vwap.isReady()).toBe(false);
    expect(vwap.value()).toBeNaN();
    vwap.update(bars[1]!);
    expect(vwap.value()).toBe(11);
  });
});

describe('volume ratio worked example (period 3): the current bar is not in its baseline', () => {
  // i=3: 40 / mean(10, 20, 30) = 40/20 = 2   (with the bar included it would be 40/30 ≈ 1.33)
  // i=4: 0 / mean(20, 30, 40) = 0;  i=5: 0 / (70/3) = 0;  i=6: 0 / (40/3) = 0
  // i=7: 0 / mean(0, 0, 0): zero baseline and zero volume → 1 (convention)
  // i=8: 5 / mean(0, 0, 0): zero baseline, positive volume → +Infinity
  // i=9: 0 / mean(0, 0, 5) = 0
  const volumes = [10, 20, 30, 40, 0, 0, 0, 0, 5, 0];
  const expected = [NaN, NaN, NaN, 2, 0, 0, 0, 1, Infinity, 0];

  it('batch and incremental', () => {
    expect(Array.from(volumeRatioSeries(Float64Array.from(volumes), 3))).toEqual(expected);
    const ratio = new VolumeRatio(3);
    expect(ratio.warmUp).toBe(4);
    const out = volumes.map((v) => {
      ratio.update(v);
      return ratio.value();
    });
    expect(out).toEqual(expected);
  });

  it('the seed strategy rule "volume above 1.2× its 20-bar mean" reads as ratio > 1.2', () => {
    // 20 bars of 100, then 121: 121 / 100 = 1.21 > 1.2; then 119 against mean(19×100, 121)
    // = 2021/20 = 101.05: 119 / 101.05 ≈ 1.1776 < 1.2.
    const v = [...new Array<number>(20).fill(100), 121, 119];
    const r = volumeRatioSeries(Float64Array.from(v), 20);
    expect(r[20]).toBeCloseTo(1.21, 12);
    expect(r[21]).toBeCloseTo(119 / 101.05, 12);
    expect(r[20]! > 1.2 && !(r[21]! > 1.2)).toBe(true);
  });
});

describe('RSI conventions', () => {
  it('flat series → 50, only gains → 100, only losses → 0', () => {
    // period 3: 4 values give 3 changes; averages (0,0) → 50; (g>0, 0) → 100; (0, l>0) → 0.
    expect(rsiSeries(Float64Array.from([5, 5, 5, 5]), 3)[3]).toBe(50);
    expect(rsiSeries(Float64Array.from([1, 2, 3, 4]), 3)[3]).toBe(100);
    expect(rsiSeries(Float64Array.from([4, 3, 2, 1]), 3)[3]).toBe(0);
  });

  it('period 2 by hand', () => {
    // 10 → 12 → 11 → 14: changes +2, −1, +3. Seed: avgGain = (2+0)/2 = 1, avgLoss = (0+1)/2 = 0.5
    // → RSI = 100·1/1.5 = 66.67. Then avgGain = (1·1 + 3)/2 = 2, avgLoss = (0.5·1 + 0)/2 = 0.25
    // → RSI = 100·2/2.25 = 88.89.
    const rsi = new Rsi(2);
    const out = [10, 12, 11, 14].map((x) => {
      rsi.update(x);
      return rsi.value();
    });
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(200 / 3, 12);
    expect(out[3]).toBeCloseTo(800 / 9, 12);
  });
});

function expectNear(actual: number, expected: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(actual).toBeCloseTo(expected, 12);
}

function cols(bars: readonly { high: number; low: number; close: number; volume: number; tsOpen: number }[]) {
  return {
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume),
    tsOpen: Float64Array.from(bars, (b) => b.tsOpen),
  };
}
