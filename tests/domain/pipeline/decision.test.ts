/**
 * `applyDecision`: each signal kind through parsing, the risk checks, sizing, the fill model and
 * the ledger, and every way a signal is turned down. Fixture (support.ts): spread 0.2 % (half
 * 0.1 %), slippage 0.1 %, fees 0.25 % maker / 0.40 % taker, 8 lot / 2 price decimals.
 */
import { describe, expect, it } from 'vitest';
import { toString } from '../../../domain/money/index.ts';
import { findPosition } from '../../../domain/portfolio/index.ts';
import { PipelineError, applyDecision } from '../../../domain/pipeline/index.ts';
import { M5, T0, candle, decide, flat, fresh, makeConfig, ofType, step } from './support.ts';

const buy = (extra: Record<string, unknown> = {}) => ({ action: 'BUY', symbol: 'BTC/USD', size: 0.05, ...extra });

/** A fund of 10000 with one BTC close at 100 (the first step). */
function atHundred(config = makeConfig()) {
  return step(fresh(config), config, T0, flat(T0, 100)).state;
}

describe('BUY MARKET', () => {
  it('sizes size × equity at the ask plus slippage, fills as a taker and opens a tagged position', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ stopLoss: 95, takeProfit: 110 })]);
    // price = 100 × (1 + 0.001 + 0.001) = 100.20; qty = floor8(500 / 100.2) = 4.99001996;
    // notional = 4.99001996 × 100.2 = 499.999999992; fee = 0.4 % = 1.999999999968;
    // cash = 10000 − 499.999999992 − 1.999999999968 = 9498.000000008032.
    const [fill] = ofType(r.events, 'order.filled');
    expect(fill).toMatchObject({ symbol: 'BTC/USD', tag: 'bt_BTCUSD_001', orderType: 'MARKET', source: 'signal' });
    expect(toString(fill!.fill.price)).toBe('100.2');
    expect(toString(fill!.fill.qty)).toBe('4.99001996');
    expect(toString(fill!.fill.fee)).toBe('1.999999999968');
    expect(fill!.fill.liquidity).toBe('taker');
    expect(toString(r.state.ledger.cash)).toBe('9498.000000008032');
    expect(ofType(r.events, 'position.opened')).toEqual([{ type: 'position.opened', tsMs: T0 + M5, tag: 'bt_BTCUSD_001', symbol: 'BTC/USD' }]);
    expect(ofType(r.events, 'signal.accepted')).toHaveLength(1);
    const p = findPosition(r.state.ledger, 'bt_BTCUSD_001')!;
    expect([toString(p.stopLoss!), toString(p.takeProfit!), p.intent]).toEqual(['95', '110', 'DAY']);
    expect(r.state.risk.entriesToday).toBe(1);
  });

  it('a signal slippageTolerance replaces the default slippage', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ slippageTolerance: 0.01 })]);
    // 100 × (1 + 0.001 + 0.01) = 101.10
    expect(toString(ofType(r.events, 'order.filled')[0]!.fill.price)).toBe('101.1');
  });

  it('an empty output changes nothing and reports nothing', () => {
    const config = makeConfig();
    const s = atHundred(config);
    const r = decide(s, config, []);
    expect(r.state).toBe(s);
    expect(r.events).toEqual([]);
  });
});

describe('rejections are events with the stage and the reason', () => {
  it('parse: an invalid signal names the field; the others in the batch still run', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ size: 1.5 }), buy()]);
    const [rejected] = ofType(r.events, 'signal.rejected');
    expect(rejected).toMatchObject({ index: 0, stage: 'parse', code: 'invalidSignal', signal: null });
    expect(rejected!.reason).toContain('size: must be ≤ 1, got 1.5');
    expect(ofType(r.events, 'signal.accepted').map((e) => e.index)).toEqual([1]);
  });

  it('parse: an output that is not a signal list is rejected as a whole', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, { buy: true });
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ index: null, stage: 'parse', code: 'invalidOutput' }]);
  });

  it('parse: a stop above the current price is refused before it could fire at once', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ stopLoss: 101 })]);
    expect(ofType(r.events, 'signal.rejected')[0]!.reason).toContain('stopLoss: must be below the current price 100');
  });

  it('market: no candle of the symbol yet', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [{ action: 'BUY', symbol: 'ETH/USD', size: 0.05 }]);
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ stage: 'market', code: 'noPrice' }]);
  });

  it('risk: the check that failed and its numbers (trade size)', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ size: 0.3 })]);
    const [rejected] = ofType(r.events, 'signal.rejected');
    expect(rejected).toMatchObject({ stage: 'risk', code: 'tradeSize' });
    expect(rejected!.reason).toBe('trade size 30% (3000.00) is beyond maxTradePct 20% of portfolio value 10000.00 (2000.00)');
    expect(r.state.ledger.positions).toEqual([]);
  });

  it('risk: max positions counts positions opened earlier in the same batch', () => {
    const config = makeConfig({}, { maxPositions: 1 });
    const r = decide(atHundred(config), config, [buy(), buy()]);
    expect(ofType(r.events, 'signal.accepted')).toHaveLength(1);
    const [rejected] = ofType(r.events, 'signal.rejected');
    expect(rejected).toMatchObject({ index: 1, stage: 'risk', code: 'maxPositions' });
    expect(rejected!.reason).toContain('1 open positions reach the limit of 1');
  });

  it('risk: a resting entry counts as a position for the position limit', () => {
    const config = makeConfig({}, { maxPositions: 1 });
    const r = decide(atHundred(config), config, [buy({ orderType: 'LIMIT', limitPrice: 98 }), buy()]);
    expect(ofType(r.events, 'order.placed')).toHaveLength(1);
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ index: 1, code: 'maxPositions' }]);
  });

  it('ledger: a BUY the cash cannot pay for is refused, never sized down', () => {
    const config = makeConfig({}, { maxPositionPct: 1, maxTradePct: 1 });
    const r = decide(atHundred(config), config, [buy({ size: 1 })]);
    const [rejected] = ofType(r.events, 'signal.rejected');
    expect(rejected).toMatchObject({ stage: 'ledger', code: 'insufficientCash' });
    expect(toString(r.state.ledger.cash)).toBe('10000');
  });

  it('order: below the pair minimum', () => {
    const config = makeConfig();
    // 0.00004 × 10000 = 0.40 of value: qty 0.00399201 at 100.2 is above ordermin, cost 0.4 is below costmin 0.5.
    const r = decide(atHundred(config), config, [buy({ size: 0.00004 })]);
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ stage: 'order', code: 'belowCostMin' }]);
  });
});

describe('SELL, CLOSE and MODIFY', () => {
  function held(config = makeConfig()) {
    return decide(atHundred(config), config, [buy({ stopLoss: 95, takeProfit: 110 })]).state;
  }

  it('SELL sells size × equity / price at the bid less slippage, rounded to the lot', () => {
    const config = makeConfig();
    const r = decide(held(config), config, [{ action: 'SELL', symbol: 'BTC/USD', size: 0.02 }]);
    // equity = 9498.000000008032 + 4.99001996 × 100 = 9997.001996008032; requested = 0.02 × equity / 100
    // = 1.9994003992016064 → 1.99940039 (8 lot decimals); price = 100 × (1 − 0.001 − 0.001) = 99.80;
    // proceeds = 199.540158922, fee 0.4 % = 0.798160635688; cash = 9498.000000008032 + 199.540158922 − 0.798160635688.
    const [fill] = ofType(r.events, 'order.filled');
    expect([toString(fill!.fill.qty), toString(fill!.fill.price)]).toEqual(['1.99940039', '99.8']);
    expect(toString(r.state.ledger.cash)).toBe('9696.741998294344');
    expect(ofType(r.events, 'position.closed')).toMatchObject([{ fullyClosed: false, trade: { tag: 'bt_BTCUSD_001', closeReason: 'signal' } }]);
    expect(toString(r.state.ledger.positions[0]!.qty)).toBe('2.99061957');
  });

  it('CLOSE without a tag closes every position of the symbol', () => {
    const config = makeConfig();
    const two = decide(held(config), config, [buy({ tag: 'second' })]).state;
    expect(two.ledger.positions).toHaveLength(2);
    const r = decide(two, config, [{ action: 'CLOSE', symbol: 'BTC/USD' }]);
    expect(ofType(r.events, 'position.closed').map((e) => [e.trade.tag, e.fullyClosed])).toEqual([
      ['bt_BTCUSD_001', true],
      ['second', true],
    ]);
    expect(r.state.ledger.positions).toEqual([]);
    expect(r.state.risk.consecutiveLosses).toBe(2); // bought at the ask, sold at the bid, fees on both
  });

  it('CLOSE of nothing is refused by the ledger', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [{ action: 'CLOSE', symbol: 'BTC/USD' }]);
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ stage: 'ledger', code: 'noPosition' }]);
  });

  it('MODIFY moves the protective levels of one tag; unknown tags and other symbols are refused', () => {
    const config = makeConfig();
    const r = decide(held(config), config, [
      { action: 'MODIFY', symbol: 'BTC/USD', tag: 'bt_BTCUSD_001', stopLoss: 97 },
      { action: 'MODIFY', symbol: 'BTC/USD', tag: 'nope', stopLoss: 97 },
      { action: 'MODIFY', symbol: 'ETH/USD', tag: 'bt_BTCUSD_001', intent: 'SWING' },
    ]);
    expect(ofType(r.events, 'position.modified')).toHaveLength(1);
    expect(toString(r.state.ledger.positions[0]!.stopLoss!)).toBe('97');
    expect(r.state.shadows[0]!.stopLoss).toBe(97);
    expect(ofType(r.events, 'signal.rejected').map((e) => e.code)).toEqual(['unknownTag', 'tagSymbolMismatch']);
  });
});

describe('LIMIT orders', () => {
  it('rest below the market, ignore a mere touch, then fill at the limit as a maker', () => {
    const config = makeConfig();
    const placed = decide(atHundred(config), config, [buy({ orderType: 'LIMIT', limitPrice: 98 })]);
    expect(ofType(placed.events, 'order.placed')).toHaveLength(1);
    expect(ofType(placed.events, 'order.filled')).toHaveLength(0);
    const touched = step(placed.state, config, T0 + M5, candle(T0 + M5, 100, 100, 98, 99));
    expect(ofType(touched.events, 'order.filled')).toHaveLength(0);
    const through = step(touched.state, config, T0 + 2 * M5, candle(T0 + 2 * M5, 99, 99, 97.5, 98.5));
    // qty = floor8(500 / 98) = 5.10204081; notional 499.99999938; maker fee 0.25 % = 1.24999999845.
    const [fill] = ofType(through.events, 'order.filled');
    expect(fill).toMatchObject({ orderId: 1, source: 'limit', orderType: 'LIMIT' });
    expect([toString(fill!.fill.price), toString(fill!.fill.qty), toString(fill!.fill.fee), fill!.fill.liquidity]).toEqual(['98', '5.10204081', '1.24999999845', 'maker']);
    expect(through.state.orders).toEqual([]);
  });

  it('a marketable LIMIT fills at once as a taker, at the market price capped by the limit', () => {
    const config = makeConfig();
    const r = decide(atHundred(config), config, [buy({ orderType: 'LIMIT', limitPrice: 101 })]);
    const [fill] = ofType(r.events, 'order.filled');
    expect([toString(fill!.fill.price), fill!.fill.liquidity, fill!.orderId]).toEqual(['100.2', 'taker', null]);
  });

  it('the rest of the entry candle can stop the position out: the low came after a buy limit filled', () => {
    const config = makeConfig();
    const placed = decide(atHundred(config), config, [buy({ orderType: 'LIMIT', limitPrice: 98, stopLoss: 97.6 })]).state;
    const r = step(placed, config, T0 + M5, candle(T0 + M5, 100, 100, 97.5, 99));
    // stop fill = 97.6 × (1 − 0.001 − 0.001) = 97.4048 → 97.40 (rounded down to the tick)
    expect(ofType(r.events, 'order.filled').map((e) => [e.source, toString(e.fill.price)])).toEqual([
      ['limit', '98'],
      ['stopLoss', '97.4'],
    ]);
    expect(r.state.ledger.positions).toEqual([]);
  });

  it('expires unfilled after its lifetime', () => {
    const config = makeConfig({ limitOrderTtlMs: 2 * M5 });
    let s = decide(atHundred(config), config, [buy({ orderType: 'LIMIT', limitPrice: 90 })]).state;
    s = step(s, config, T0 + M5, flat(T0 + M5, 100)).state;
    expect(s.orders).toHaveLength(1);
    const r = step(s, config, T0 + 2 * M5, flat(T0 + 2 * M5, 100));
    expect(ofType(r.events, 'order.canceled')).toMatchObject([{ reason: 'expired' }]);
    expect(r.state.orders).toEqual([]);
  });

  it('a resting LIMIT SELL is canceled when its position closes by another route', () => {
    const config = makeConfig();
    let s = decide(atHundred(config), config, [buy({ stopLoss: 95 })]).state;
    s = decide(s, config, [{ action: 'CLOSE', symbol: 'BTC/USD', tag: 'bt_BTCUSD_001', orderType: 'LIMIT', limitPrice: 120 }]).state;
    expect(s.orders).toHaveLength(1);
    const r = step(s, config, T0 + M5, candle(T0 + M5, 100, 100, 94, 96));
    expect(ofType(r.events, 'order.filled').map((e) => e.source)).toEqual(['stopLoss']);
    expect(ofType(r.events, 'order.canceled')).toMatchObject([{ reason: 'noPosition' }]);
  });
});

describe('calling rules', () => {
  it('a decision in a day the market has not rolled into is a programmer error', () => {
    const config = makeConfig();
    const s = atHundred(config);
    expect(() => applyDecision(s, config, { nowMs: T0 + 86_400_000, output: [buy()] })).toThrow(PipelineError);
    expect(() => applyDecision(s, config, { nowMs: T0, output: [] })).toThrow(/last processed time/);
  });

  it('the kill switch in the limits refuses every entry but no exit', () => {
    const config = makeConfig();
    const s = decide(atHundred(config), config, [buy()]).state;
    const killed = makeConfig({}, { killSwitch: true });
    const r = decide(s, killed, [buy(), { action: 'CLOSE', symbol: 'BTC/USD' }]);
    expect(ofType(r.events, 'signal.rejected')).toMatchObject([{ index: 0, code: 'killSwitch' }]);
    expect(ofType(r.events, 'position.closed')).toHaveLength(1);
  });
});
