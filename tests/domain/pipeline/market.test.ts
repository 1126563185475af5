/**
 * `advanceMarket`: stop-loss / take-profit exits (pessimistic ordering, gaps at the open), the
 * MAE, halts and rollback triggers, the day roll, and the look-ahead guard.
 */
import { describe, expect, it } from 'vitest';
import { toString } from '../../../domain/money/index.ts';
import { PipelineError, advanceMarket, closeBooks, markEquity } from '../../../domain/pipeline/index.ts';
import { M5, T0, candle, decide, flat, fresh, makeConfig, ofType, step } from './support.ts';

const DAY = 86_400_000;

/** A 10000 fund holding one BTC position bought at 100.20 (mid 100) with the given levels. */
function holding(levels: { stopLoss?: number; takeProfit?: number } = {}, config = makeConfig()) {
  const s = step(fresh(config), config, T0, flat(T0, 100)).state;
  return decide(s, config, [{ action: 'BUY', symbol: 'BTC/USD', size: 0.05, ...levels }]).state;
}

describe('stop-loss and take-profit', () => {
  it('a candle reaching both levels fires the stop (intrabar order unknown: pessimistic)', () => {
    const config = makeConfig();
    const r = step(holding({ stopLoss: 95, takeProfit: 110 }, config), config, T0 + M5, candle(T0 + M5, 100, 111, 94, 105));
    const [fill] = ofType(r.events, 'order.filled');
    // 95 × (1 − 0.001 − 0.001) = 94.81, taker fee
    expect([fill!.source, toString(fill!.fill.price), fill!.fill.liquidity, fill!.fill.gapped]).toEqual(['stopLoss', '94.81', 'taker', false]);
    expect(ofType(r.events, 'position.closed')).toMatchObject([{ fullyClosed: true, trade: { closeReason: 'stop_loss' } }]);
  });

  it('a candle opening below the stop fills from the open, not from the stop', () => {
    const config = makeConfig();
    const r = step(holding({ stopLoss: 95 }, config), config, T0 + M5, candle(T0 + M5, 90, 92, 89, 91));
    // 90 × 0.998 = 89.82
    expect(ofType(r.events, 'order.filled').map((e) => [toString(e.fill.price), e.fill.gapped])).toEqual([['89.82', true]]);
  });

  it('the take-profit fires at its level when only it is reached', () => {
    const config = makeConfig();
    const r = step(holding({ stopLoss: 95, takeProfit: 110 }, config), config, T0 + M5, candle(T0 + M5, 100, 111, 99, 105));
    // 110 × 0.998 = 109.78
    expect(ofType(r.events, 'order.filled').map((e) => [e.source, toString(e.fill.price)])).toEqual([['takeProfit', '109.78']]);
    expect(ofType(r.events, 'position.closed')[0]!.trade.closeReason).toBe('take_profit');
  });

  it('a candle inside both levels changes nothing but the mark', () => {
    const config = makeConfig();
    const s = holding({ stopLoss: 95, takeProfit: 110 }, config);
    const r = step(s, config, T0 + M5, candle(T0 + M5, 100, 109, 96, 101));
    expect(r.events).toEqual([]);
    expect(r.state.ledger).toBe(s.ledger);
    expect(r.state.marks[0]).toEqual({ close: 101, low: 96, tsMs: T0 + 2 * M5 });
  });

  it('MAE is the worst low the position held through, measured from its average entry', () => {
    const config = makeConfig();
    let s = holding({ takeProfit: 110 }, config);
    s = step(s, config, T0 + M5, candle(T0 + M5, 100, 101, 97, 99)).state;
    s = step(s, config, T0 + 2 * M5, candle(T0 + 2 * M5, 99, 100, 96, 99)).state;
    s = step(s, config, T0 + 3 * M5, candle(T0 + 3 * M5, 99, 99.5, 98, 99)).state;
    const r = step(s, config, T0 + 4 * M5, candle(T0 + 4 * M5, 99, 111, 99, 110));
    // (100.2 − 96) / 100.2 = 0.041916167664670658… (rounded half-even at 18 decimals)
    expect(toString(ofType(r.events, 'position.closed')[0]!.trade.mae)).toBe('0.041916167664670659');
  });

  it('closeBooks writes the pending MAE and the latest mark into the ledger', () => {
    const config = makeConfig();
    let s = holding({}, config);
    s = step(s, config, T0 + M5, candle(T0 + M5, 100, 101, 96, 99)).state;
    const { state, snapshot } = closeBooks(s, config, s.nowMs);
    const p = state.ledger.positions[0]!;
    expect([toString(p.lastPrice), toString(p.mae)]).toEqual(['99', '0.041916167664670659']);
    // equity = cash 9498.000000008032 + 4.99001996 × 99 (= 494.01197604)
    expect(toString(snapshot.equity)).toBe('9992.011976048032');
  });
});

describe('halts and rollbacks', () => {
  it('a drawdown beyond the limit halts: the next entry is refused and resting entries are canceled', () => {
    const config = makeConfig({}, { maxDrawdownPct: 0.02, maxPositionPct: 1, maxTradePct: 1 });
    let s = holding({}, config);
    s = decide(s, config, [{ action: 'BUY', symbol: 'BTC/USD', size: 0.5, tag: 'big' }, { action: 'BUY', symbol: 'BTC/USD', size: 0.05, orderType: 'LIMIT', limitPrice: 80 }]).state;
    expect(s.orders).toHaveLength(1);
    const r = step(s, config, T0 + M5, candle(T0 + M5, 100, 100, 90, 90));
    const [halt] = ofType(r.events, 'risk.halted');
    expect(halt!.halt.kind).toBe('drawdown');
    expect(ofType(r.events, 'order.canceled')).toMatchObject([{ reason: 'halted' }]);
    const next = decide(r.state, config, [{ action: 'BUY', symbol: 'BTC/USD', size: 0.01 }, { action: 'CLOSE', symbol: 'BTC/USD' }]);
    expect(ofType(next.events, 'signal.rejected')).toMatchObject([{ index: 0, stage: 'risk', code: 'halt' }]);
    expect(ofType(next.events, 'position.closed')).toHaveLength(2); // exits still run
  });

  it('a losing streak reaching the limit requests a rollback once and halts', () => {
    const config = makeConfig({}, { rollbackConsecutiveLosses: 2 });
    let s = step(fresh(config), config, T0, flat(T0, 100)).state;
    const events = [];
    for (let k = 0; k < 2; k++) {
      s = decide(s, config, [{ action: 'BUY', symbol: 'BTC/USD', size: 0.05 }]).state;
      s = step(s, config, T0 + (k + 1) * M5, flat(T0 + (k + 1) * M5, 100)).state;
      const r = decide(s, config, [{ action: 'CLOSE', symbol: 'BTC/USD' }]);
      events.push(...r.events);
      s = r.state;
    }
    expect(ofType(events, 'strategy.rollbackRequested')).toMatchObject([{ rollback: { kinds: ['consecutiveLosses'] } }]);
    expect(ofType(events, 'risk.halted')).toMatchObject([{ halt: { kind: 'consecutiveLosses' } }]);
    expect(s.risk.rolledBackThisStreak).toBe(true);
  });

  it('a resting entry that would pass the daily entry limit at fill time is canceled', () => {
    const config = makeConfig({}, { maxDailyTrades: 1 });
    let s = step(fresh(config), config, T0, flat(T0, 100)).state;
    s = decide(s, config, [{ action: 'BUY', symbol: 'BTC/USD', size: 0.05, orderType: 'LIMIT', limitPrice: 98 }, { action: 'BUY', symbol: 'BTC/USD', size: 0.05 }]).state;
    expect(s.risk.entriesToday).toBe(1);
    const r = step(s, config, T0 + M5, candle(T0 + M5, 99, 99, 97, 98));
    expect(ofType(r.events, 'order.canceled')).toMatchObject([{ reason: 'riskLimit' }]);
    expect(r.state.risk.entriesToday).toBe(1);
  });
});

describe('the local day', () => {
  it('rolls at the first step of a new day: the snapshot of the old day, counters reset, day-scoped halts cleared', () => {
    const config = makeConfig({}, { maxDailyLossPct: 0.001 });
    let s = holding({}, config);
    const lossy = step(s, config, T0 + M5, candle(T0 + M5, 100, 100, 80, 80));
    expect(ofType(lossy.events, 'risk.halted')[0]!.halt.kind).toBe('dailyLoss');
    s = lossy.state;
    const late = T0 + DAY - M5; // the candle 23:55–24:00 closes on the next day
    const r = step(s, config, late, flat(late, 80));
    const [closed] = ofType(r.events, 'day.closed');
    expect(closed!.dayKey).toBe('2024-01-01');
    // equity at the last prices of the day: 9498.000000008032 + 4.99001996 × 80 (= 399.2015968)
    expect(toString(closed!.equity)).toBe('9897.201596808032');
    expect(ofType(r.events, 'risk.haltCleared')).toHaveLength(1);
    expect([r.state.risk.dayKey, r.state.risk.entriesToday, r.state.risk.halt]).toEqual(['2024-01-02', 0, null]);
  });
});

describe('calling rules', () => {
  it('refuses a candle that has not closed by nowMs (look-ahead) and candles out of order', () => {
    const config = makeConfig();
    const s = fresh(config);
    expect(() => advanceMarket(s, config, { nowMs: T0 + M5 - 1, candles: [flat(T0, 100), null] })).toThrow(/look-ahead/);
    const one = step(s, config, T0, flat(T0, 100)).state;
    expect(() => step(one, config, T0, flat(T0, 100))).toThrow(PipelineError);
    expect(() => advanceMarket(one, config, { nowMs: T0, candles: [null, null] })).toThrow(/last processed time/);
    expect(() => advanceMarket(one, config, { nowMs: T0 + 2 * M5, candles: [null] })).toThrow(/one candle slot per market/);
  });

  it('markEquity marks exactly and fires what is due', () => {
    const config = makeConfig({}, { maxDrawdownPct: 0.3 });
    const s = holding({}, config);
    const r = markEquity(s, config, s.nowMs);
    expect(r.events).toEqual([]);
    expect(toString(r.state.risk.equity)).toBe('9997.001996008032');
  });
});
