import { describe, expect, it } from 'vitest';
import { buildSandboxAssets, contractModuleSource } from '../../../strategies/sandbox/assets.ts';
import { checkStrategyCode } from '../../../strategies/static-check/index.ts';
import { closes, crossedAbove, crossedBelow, highs, indexAfter, lastCandle, lows, opens, volumes } from '../../../strategies/toolkit/index.ts';
import * as toolkit from '../../../strategies/toolkit/index.ts';
import * as indicators from '../../../domain/indicators/index.ts';
import { ACTIONS, INTENTS, MAX_SIGNALS_PER_CALL, ORDER_TYPES } from '../../../domain/contract/index.ts';
import * as contractFace from '../../../strategies/toolkit/contract.ts';
import { candle } from './support.ts';

const bars = [candle(0, 10), candle(1, 11), candle(2, 12.5)];

describe('toolkit candle helpers', () => {
  it('extracts columns as Float64Arrays, reusing an output array of the right length', () => {
    expect([...closes(bars)]).toEqual([10, 11, 12.5]);
    expect([...opens(bars)]).toEqual([10, 11, 12.5]);
    expect([...highs(bars)]).toEqual([11, 12, 13.5]);
    expect([...lows(bars)]).toEqual([9, 10, 11.5]);
    expect([...volumes(bars)]).toEqual([10, 10, 10]);
    const out = new Float64Array(3);
    expect(closes(bars, out)).toBe(out);
    expect(closes(bars, new Float64Array(2))).toHaveLength(3);
  });

  it('finds the first candle after a timestamp, scanning from the newest', () => {
    expect(indexAfter(bars, -Infinity)).toBe(0);
    expect(indexAfter(bars, 0)).toBe(1);
    expect(indexAfter(bars, 300_000)).toBe(2);
    expect(indexAfter(bars, 600_000)).toBe(3);
    expect(indexAfter([], 5)).toBe(0);
    expect(lastCandle(bars)).toBe(bars[2]);
    expect(lastCandle([])).toBeUndefined();
  });

  it('detects crosses', () => {
    expect(crossedAbove(1, 2, 3, 2)).toBe(true);
    expect(crossedAbove(2, 2, 3, 2)).toBe(true); // touching then above counts
    expect(crossedAbove(3, 2, 4, 2)).toBe(false); // already above
    expect(crossedAbove(Number.NaN, 2, 3, 2)).toBe(false); // before warm-up
    expect(crossedBelow(3, 2, 1, 2)).toBe(true);
    expect(crossedBelow(1, 2, 0, 2)).toBe(false);
  });

  it('re-exports every indicator of domain/indicators', () => {
    for (const name of Object.keys(indicators)) expect(toolkit).toHaveProperty(name);
  });
});

describe('what the sandbox evaluates', () => {
  it('the bundled toolkit and contract modules pass the static check themselves', async () => {
    const assets = await buildSandboxAssets();
    expect(checkStrategyCode(assets.toolkit)).toEqual([]);
    expect(checkStrategyCode(assets.contract)).toEqual([]);
    expect(assets.toolkit).not.toMatch(/\bimport\s/); // one self-contained module
  });

  it('the in-sandbox contract module exports exactly the values of its TypeScript face', () => {
    const exported = [...contractModuleSource().matchAll(/^export const (\w+) = /gm)].map((m) => m[1]).sort();
    expect(exported).toEqual(Object.keys(contractFace).sort());
  });

  it('the contract module carries the domain constants', () => {
    const src = contractModuleSource();
    expect(src).toContain(`export const ACTIONS = Object.freeze(${JSON.stringify(ACTIONS)});`);
    expect(src).toContain(`export const INTENTS = Object.freeze(${JSON.stringify(INTENTS)});`);
    expect(src).toContain(`export const ORDER_TYPES = Object.freeze(${JSON.stringify(ORDER_TYPES)});`);
    expect(src).toContain(`export const MAX_SIGNALS_PER_CALL = ${MAX_SIGNALS_PER_CALL};`);
  });
});
