import { describe, expect, it } from 'vitest';
import {
  applyBuy,
  applyCapitalEvent,
  applySell,
  createLedger,
  dailyPnl,
  feesOnDay,
  findPosition,
  markFromCandle,
  markToMarket,
  openCost,
  realizedOnDay,
  totalPnl,
  totalValue,
  unrealizedPnl,
} from '../../../domain/portfolio/index.ts';
import { buy, d, ok, sell } from './helpers.ts';

const sol = { symbol: 'SOL/USD' };
const candle = (open: number, high: number, low: number, close: number) => ({ tsOpen: 0, open, high, low, close, volume: 1 });

describe('valuation and MAE', () => {
  it('MAE tracks the worst (entry − low) / entry while open and lands on the trade', () => {
    let l = ok(applyBuy(createLedger({ startingCapital: d('1000'), mode: 'paper' }), buy('1', '100', '0', sol))).ledger;
    // low 90 vs entry 100 → (100 − 90) / 100 = 0.1
    l = markToMarket(l, { 'SOL/USD': markFromCandle(candle(99, 101, 90, 95)) });
    expect(findPosition(l, 'auto_SOLUSD_001')).toMatchObject({ mae: d('0.1'), lastPrice: d('95') });
    // a milder dip does not lower it
    l = markToMarket(l, { 'SOL/USD': markFromCandle(candle(95, 97, 93, 96)) });
    expect(findPosition(l, 'auto_SOLUSD_001')?.mae).toBe(d('0.1'));
    // other symbols' marks do not touch it; no change returns the same ledger
    expect(markToMarket(l, { 'BTC/USD': { price: d('1') } })).toBe(l);
    // exit at 80: (100 − 80) / 100 = 0.2 becomes the trade's MAE
    const r = ok(applySell(l, sell('1', '80', '0', sol)));
    expect(r.closedTrades[0]?.mae).toBe(d('0.2'));
  });

  it('values cash + qty × mark; unrealized excludes fees already paid', () => {
    // cash 1000 − (100 + 1) = 899; mark 95 → value 899 + 95 = 994; unrealized 95 − 100 = −5
    let l = ok(applyBuy(createLedger({ startingCapital: d('1000'), mode: 'paper' }), buy('1', '100', '1', sol))).ledger;
    l = markToMarket(l, { 'SOL/USD': { price: d('95') } });
    expect(totalValue(l)).toBe(d('994'));
    expect(unrealizedPnl(l)).toBe(d('-5'));
    expect(openCost(l)).toBe(d('101'));
    // total P&L = 994 − 1000 = −6 (the −5 move and the 1 fee)
    expect(totalPnl(l)).toBe(d('-6'));
  });

  it('daily P&L excludes capital moved in that day; fees/realized are per day key', () => {
    const day1 = '2026-02-11';
    const day2 = '2026-02-12';
    // start 1000 (= start-of-day value), deposit 500, buy 1 @ 100 fee 1, mark 110
    // value = 1000 + 500 − 101 + 110 = 1509; daily P&L = 1509 − 1000 − 500 = 9 (+10 move − 1 fee)
    let l = createLedger({ startingCapital: d('1000'), mode: 'paper' });
    l = ok(applyCapitalEvent(l, { kind: 'deposit', amount: d('500'), tsEvent: 1, dayKey: day1 })).ledger;
    l = ok(applyBuy(l, buy('1', '100', '1', { ...sol, dayKey: day1 }))).ledger;
    l = markToMarket(l, { 'SOL/USD': { price: d('110') } });
    expect(totalValue(l)).toBe(d('1509'));
    expect(dailyPnl(l, day1, d('1000'))).toBe(d('9'));
    // sell half @ 110 fee 0.5: pnl = 55 − 50 − 0.5 − 0.5 = 4; fees today 1 + 0.5 = 1.5
    l = ok(applySell(l, sell('0.5', '110', '0.5', { ...sol, dayKey: day1 }))).ledger;
    expect(feesOnDay(l, day1)).toBe(d('1.5'));
    expect(realizedOnDay(l, day1)).toBe(d('4'));
    // next day: totals start over; the old day reads 0 from the ledger (history lives in the store)
    l = ok(applySell(l, sell('0.5', '120', '0.25', { ...sol, dayKey: day2 }))).ledger;
    expect(feesOnDay(l, day2)).toBe(d('0.25'));
    expect(feesOnDay(l, day1)).toBe(0n);
    // 60 − 50 − 0.5 − 0.25 = 9.25
    expect(realizedOnDay(l, day2)).toBe(d('9.25'));
    expect(() => applyBuy(l, buy('0.1', '100', '0', { ...sol, dayKey: day1 }))).toThrow(/before the ledger's current day/);
  });
});
