import { describe, expect, it } from 'vitest';
import { RISK_CHECKS, RiskStateError, checkSignal, onClose, onEntry } from '../../../domain/risk/index.ts';
import { $, EXITS, LIMITS, NOW, TZ, buy, ctxOf, position, stateOf } from './support.ts';

// Every example: equity = start-of-day = peak = 10,000 unless stated; limits from support.ts
// (trade 10 %, position 25 %, daily loss 10 %, 20 entries/day, 5 positions, drawdown 40 %, 5 losses).
const denial = (check: string, reason: string) => ({ ok: false, check, reason });

describe('the nine pre-trade checks, one denial each (predecessor §4.1)', () => {
  it('runs in the predecessor order', () => {
    expect(RISK_CHECKS).toEqual([
      'killSwitch',
      'halt',
      'dailyLoss',
      'dailyTrades',
      'maxPositions',
      'tradeSize',
      'positionSize',
      'drawdown',
      'consecutiveLosses',
    ]);
  });

  it('passes an ordinary BUY', () => {
    expect(checkSignal(buy(0.05), stateOf(), LIMITS, ctxOf())).toEqual({ ok: true });
  });

  it('1 kill switch: config, and operator', () => {
    expect(checkSignal(buy(0.05), stateOf(), { ...LIMITS, killSwitch: true }, ctxOf())).toEqual(
      denial('killSwitch', 'kill switch is on in the risk limits; only a config change turns it off'),
    );
    expect(checkSignal(buy(0.05), stateOf('10000', { killSwitch: true }), LIMITS, ctxOf())).toEqual(
      denial('killSwitch', 'kill switch engaged by the operator; an operator resume turns it off'),
    );
  });

  it('2 halt', () => {
    const halted = stateOf('10000', { halt: { kind: 'operator', reason: 'maintenance', sinceMs: NOW - 1 } });
    expect(checkSignal(buy(0.05), halted, LIMITS, ctxOf())).toEqual(denial('halt', 'trading halted (operator): maintenance'));
  });

  it('3 daily loss, realized only: strictly beyond 10 % of 10,000 = 1,000', () => {
    expect(checkSignal(buy(0.05), stateOf('10000', { realizedPnlToday: $('-1000') }), LIMITS, ctxOf())).toEqual({ ok: true });
    expect(checkSignal(buy(0.05), stateOf('10000', { realizedPnlToday: $('-1000.01') }), LIMITS, ctxOf())).toEqual(
      denial('dailyLoss', 'daily loss 1000.01 is beyond 10% of start-of-day equity 10000.00 (limit 1000.00; realized only)'),
    );
  });

  it('3 daily loss including unrealized (predecessor §20.3: it counted realized P&L only)', () => {
    // Start of day 10,000, now 8,999 with nothing realized: loss 1,001 > 1,000.
    const state = stateOf('10000');
    expect(checkSignal(buy(0.05), state, LIMITS, ctxOf('8999'))).toEqual({ ok: true });
    expect(checkSignal(buy(0.05), state, { ...LIMITS, dailyLossIncludesUnrealized: true }, ctxOf('8999'))).toEqual(
      denial('dailyLoss', 'daily loss 1001.00 is beyond 10% of start-of-day equity 10000.00 (limit 1000.00; realized + unrealized)'),
    );
  });

  it('4 daily trade count counts entries, not closes (predecessor §20.3)', () => {
    let state = stateOf();
    for (let i = 0; i < 25; i++) state = onClose(state, $('-1'));
    state = { ...state, consecutiveLosses: 0 };
    expect(checkSignal(buy(0.05), state, LIMITS, ctxOf())).toEqual({ ok: true });
    for (let i = 0; i < 19; i++) state = onEntry(state);
    expect(checkSignal(buy(0.05), state, LIMITS, ctxOf())).toEqual({ ok: true });
    expect(checkSignal(buy(0.05), onEntry(state), LIMITS, ctxOf())).toEqual(
      denial('dailyTrades', '20 entries today reach the limit of 20 per day'),
    );
  });

  it('5 max positions: a new position is denied, an average-in is not', () => {
    const five = [
      position('btc1', 'BTC/USD', '0.001', '50000'),
      position('e1', 'ETH/USD', '0.1', '3000'),
      position('s1', 'SOL/USD', '1', '150'),
      position('x1', 'XRP/USD', '100', '0.5'),
      position('d1', 'DOGE/USD', '1000', '0.1'),
    ];
    expect(checkSignal(buy(0.05), stateOf(), LIMITS, ctxOf('10000', five))).toEqual(
      denial('maxPositions', '5 open positions reach the limit of 5; a new position is not allowed (adding to an open tag is)'),
    );
    expect(checkSignal(buy(0.05, { tag: 'new_tag' }), stateOf(), LIMITS, ctxOf('10000', five))).toMatchObject({ check: 'maxPositions' });
    expect(checkSignal(buy(0.05, { tag: 'btc1' }), stateOf(), LIMITS, ctxOf('10000', five))).toEqual({ ok: true });
    // A tag of another symbol is not an average-in.
    expect(checkSignal(buy(0.05, { tag: 'e1' }), stateOf(), LIMITS, ctxOf('10000', five))).toMatchObject({ check: 'maxPositions' });
  });

  it('6 trade size: 11 % of 10,000 = 1,100 is beyond 10 % = 1,000; exactly 10 % passes', () => {
    expect(checkSignal(buy(0.1), stateOf(), LIMITS, ctxOf())).toEqual({ ok: true });
    expect(checkSignal(buy(0.11), stateOf(), LIMITS, ctxOf())).toEqual(
      denial('tradeSize', 'trade size 11% (1100.00) is beyond maxTradePct 10% of portfolio value 10000.00 (1000.00)'),
    );
    expect(checkSignal(buy(0), stateOf(), LIMITS, ctxOf())).toEqual(denial('tradeSize', 'invalid size 0: must be > 0'));
    expect(checkSignal(buy(0.05), stateOf('0'), LIMITS, ctxOf('0'))).toEqual(
      denial('tradeSize', 'portfolio value 0.00 is not positive; nothing can be sized'),
    );
  });

  it('7 position size sums every tag of the symbol at the current price', () => {
    // Held: 0.02 × 50,000 + 0.01 × 50,000 = 1,500; + 10 % of 10,000 = 2,500 = 25 % exactly: passes.
    const held = [position('b1', 'BTC/USD', '0.02', '50000'), position('b2', 'BTC/USD', '0.01', '50000'), position('e', 'ETH/USD', '1', '3000')];
    expect(checkSignal(buy(0.1), stateOf(), LIMITS, ctxOf('10000', held))).toEqual({ ok: true });
    // 0.0100002 × 50,000 = 500.01 → 2,500.01 > 2,500.
    const more = [held[0]!, position('b2', 'BTC/USD', '0.0100002', '50000'), held[2]!];
    expect(checkSignal(buy(0.1), stateOf(), LIMITS, ctxOf('10000', more))).toEqual(
      denial(
        'positionSize',
        'BTC/USD exposure would be 2500.01 (1500.01 held + this trade) = 25.0001% of portfolio value, beyond maxPositionPct 25% (2500.00)',
      ),
    );
  });

  it('8 drawdown: 50 % from a 20,000 peak is beyond 40 %; exactly 40 % passes', () => {
    expect(checkSignal(buy(0.05), stateOf('10000', { peakEquity: $('20000') }), LIMITS, ctxOf())).toEqual(
      denial('drawdown', 'drawdown 10000.00 = 50% from peak 20000.00 is beyond maxDrawdownPct 40%'),
    );
    // Peak 12,500, now 7,500: drawdown 5,000 = 40 % exactly.
    expect(checkSignal(buy(0.05), stateOf('7500', { peakEquity: $('12500') }), LIMITS, ctxOf('7500'))).toEqual({ ok: true });
    // The context's equity is marked first: a fresh high is the new peak, not a drawdown.
    expect(checkSignal(buy(0.05), stateOf('10000'), LIMITS, ctxOf('30000'))).toEqual({ ok: true });
  });

  it('9 consecutive losses', () => {
    let state = stateOf();
    for (let i = 0; i < 4; i++) state = onClose(state, $('-1'));
    expect(checkSignal(buy(0.05), state, LIMITS, ctxOf())).toEqual({ ok: true });
    expect(checkSignal(buy(0.05), onClose(state, $('-0.01')), LIMITS, ctxOf())).toEqual(
      denial('consecutiveLosses', '5 losing closes in a row reach the limit of 5'),
    );
  });

  it('the first failing check in order wins', () => {
    const everything = stateOf('10000', {
      killSwitch: true,
      halt: { kind: 'drawdown', reason: 'x', sinceMs: NOW },
      realizedPnlToday: $('-5000'),
      entriesToday: 99,
      peakEquity: $('100000'),
      consecutiveLosses: 99,
    });
    expect(checkSignal(buy(0.9), everything, LIMITS, ctxOf())).toMatchObject({ check: 'killSwitch' });
    expect(checkSignal(buy(0.9), { ...everything, killSwitch: false }, LIMITS, ctxOf())).toMatchObject({ check: 'halt' });
    expect(checkSignal(buy(0.9), { ...everything, killSwitch: false, halt: null }, LIMITS, ctxOf())).toMatchObject({ check: 'dailyLoss' });
  });

  it('exits pass whatever the state', () => {
    const worst = stateOf('10000', { killSwitch: true, halt: { kind: 'drawdown', reason: 'x', sinceMs: 0 }, consecutiveLosses: 50, dayKey: '2000-01-01' });
    for (const exit of EXITS) expect(checkSignal(exit, worst, { ...LIMITS, killSwitch: true }, ctxOf('0'))).toEqual({ ok: true });
  });

  it('refuses to judge a BUY against counters of an earlier day (programmer error)', () => {
    const yesterday = stateOf('10000', { dayKey: '2024-06-30' });
    expect(() => checkSignal(buy(0.05), yesterday, LIMITS, ctxOf())).toThrow(RiskStateError);
    expect(() => checkSignal(buy(0.05), yesterday, LIMITS, ctxOf())).toThrow(
      `risk state is for 2024-06-30 but it is now 2024-07-01 in ${TZ}; call resetIfNewDay first`,
    );
  });
});
