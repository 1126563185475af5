import { describe, expect, it } from 'vitest';
import { type ExitContext, KRAKEN_BASE_FEES_PCT, findExitTrigger, matchExit } from '../../../domain/execution/index.ts';
import { CENT_RULES, candle, d } from './helpers.ts';

const levels = { stopLoss: d('95'), takeProfit: d('110') };
const frictionless: ExitContext = { spread: 0n, slippage: 0n, fees: KRAKEN_BASE_FEES_PCT, rules: CENT_RULES };
const realistic: ExitContext = { spread: d('0.001'), fees: KRAKEN_BASE_FEES_PCT, rules: CENT_RULES }; // default slippage 0.0005

describe('stop-loss / take-profit triggers (long)', () => {
  it('both touched in one candle → the stop (pessimistic)', () => {
    // open 100, high 111 ≥ 110, low 94 ≤ 95: intrabar order unknown, assume the worst
    expect(findExitTrigger(levels, candle(100, 111, 94, 105))).toEqual({ kind: 'stopLoss', level: d('95'), basePrice: d('95'), gapped: false });
    expect(matchExit(levels, d('1'), candle(100, 111, 94, 105), frictionless)?.price).toBe(d('95'));
  });

  it('a gap through the stop fills at the open, not at the trigger', () => {
    // stop 95, candle opens at 90: the stop executes from 90
    const trigger = findExitTrigger(levels, candle(90, 92, 88, 91));
    expect(trigger).toEqual({ kind: 'stopLoss', level: d('95'), basePrice: d('90'), gapped: true });
    expect(matchExit(levels, d('1'), candle(90, 92, 88, 91), frictionless)?.price).toBe(d('90'));
    // with spread 0.001 and slippage 0.0005: 90 × (1 − 0.0005 − 0.0005) = 89.91;
    // taker fee 0.40 % × 89.91 = 0.35964
    expect(matchExit(levels, d('1'), candle(90, 92, 88, 91), realistic)).toMatchObject({
      side: 'sell', price: d('89.91'), notional: d('89.91'), fee: d('0.35964'), liquidity: 'taker', gapped: true,
    });
  });

  it('a gap through the take-profit fills at the open', () => {
    // open 112 ≥ 110 → base 112 (frictionless)
    expect(matchExit(levels, d('1'), candle(112, 115, 111, 114), frictionless)).toMatchObject({ price: d('112'), gapped: true, trigger: { kind: 'takeProfit' } });
  });

  it('single touches fire at the level; touching counts', () => {
    expect(findExitTrigger(levels, candle(100, 104, 95, 96))).toMatchObject({ kind: 'stopLoss', basePrice: d('95') });
    expect(findExitTrigger(levels, candle(100, 110, 99, 109))).toMatchObject({ kind: 'takeProfit', basePrice: d('110'), gapped: false });
    // TP with realistic friction: 110 × 0.999 = 109.89
    expect(matchExit(levels, d('1'), candle(100, 110, 99, 109), realistic)?.price).toBe(d('109.89'));
    // an open exactly at the stop is a touch at the level, not a gap
    expect(findExitTrigger(levels, candle(95, 100, 95, 99))).toMatchObject({ basePrice: d('95'), gapped: false });
  });

  it('nothing fires inside the band or without levels', () => {
    expect(findExitTrigger(levels, candle(100, 109.99, 95.01, 101))).toBeNull();
    expect(findExitTrigger({ stopLoss: null, takeProfit: null }, candle(100, 200, 1, 100))).toBeNull();
    expect(findExitTrigger({ stopLoss: null, takeProfit: d('110') }, candle(100, 109, 1, 100))).toBeNull();
    expect(findExitTrigger({ stopLoss: d('95'), takeProfit: null }, candle(100, 500, 96, 100))).toBeNull();
  });
});
