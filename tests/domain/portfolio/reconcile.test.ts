import { describe, expect, it } from 'vitest';
import {
  type CapitalEvent,
  type ClosedTrade,
  type Ledger,
  applyBuy,
  applyCapitalEvent,
  applySell,
  createLedger,
  nextAutoTag,
  reconcileCash,
  restoreLedger,
  verifyCash,
} from '../../../domain/portfolio/index.ts';
import { DAY, buy, d, ok, sell } from './helpers.ts';

/** A small history: seed 200, deposit 50, two buys, one partial and one full close. */
function history(): { ledger: Ledger; events: CapitalEvent[]; trades: ClosedTrade[] } {
  const events: CapitalEvent[] = [{ kind: 'deposit', amount: d('50'), tsEvent: 1, dayKey: DAY }];
  const trades: ClosedTrade[] = [];
  let l = createLedger({ startingCapital: d('200'), mode: 'paper' });
  l = ok(applyCapitalEvent(l, events[0]!)).ledger;
  l = ok(applyBuy(l, buy('0.002', '50000', '0.4'))).ledger; // 100 + 0.4
  l = ok(applyBuy(l, buy('0.5', '100', '0.2', { symbol: 'SOL/USD' }))).ledger; // 50 + 0.2
  let r = ok(applySell(l, sell('0.001', '52000', '0.208')));
  trades.push(...r.closedTrades);
  r = ok(applySell(r.ledger, sell('0.5', '90', '0.18', { symbol: 'SOL/USD' })));
  trades.push(...r.closedTrades);
  return { ledger: r.ledger, events, trades };
}

describe('cash from first principles (L1)', () => {
  it('reconcileCash = seed + capital + Σ realized − open cost incl. entry fees, equal to running cash', () => {
    const { ledger, events, trades } = history();
    // BTC half: proceeds 52, cost 50, entry fee 0.2, exit fee 0.208 → pnl 1.592
    // SOL: proceeds 45, cost 50, entry fee 0.2, exit fee 0.18 → pnl −5.38
    // open BTC: cost 50 + fee 0.2 → cash = 200 + 50 + 1.592 − 5.38 − 50.2 = 196.012
    expect(trades.map((t) => t.pnl)).toEqual([d('1.592'), d('-5.38')]);
    expect(reconcileCash(d('200'), events, trades, ledger.positions)).toBe(d('196.012'));
    expect(ledger.cash).toBe(d('196.012'));
    expect(verifyCash(ledger, events, trades)).toEqual({ ok: true });
  });

  it('a restart rebuilds the same ledger from the stored seed, never from config', () => {
    const { ledger, events, trades } = history();
    // the config's paper_balance_usd may say anything (the predecessor showed 103.01 instead of
    // ≈99.91); restore never reads it — only the persisted seed
    const restored = restoreLedger({ mode: 'paper', startingCapital: d('200'), capitalEvents: events, closedTrades: trades, openPositions: ledger.positions, today: ledger.today });
    // nextSeq only has to exceed the open positions' sequence numbers; everything else is identical
    const { nextSeq, ...rest } = restored;
    const { nextSeq: _runningSeq, ...expected } = ledger;
    expect(rest).toEqual(expected);
    expect(nextSeq).toBeGreaterThan(Math.max(...ledger.positions.map((p) => p.seq)));
    expect(nextAutoTag(restored, 'SOL/USD')).toBe('auto_SOLUSD_002'); // 001 existed (closed): not reused
  });

  it('verifyCash names a drifted cash value', () => {
    const { ledger, events, trades } = history();
    const drifted = { ...ledger, cash: ledger.cash + d('3.1') };
    const r = verifyCash(drifted, events, trades);
    expect(r).toMatchObject({ ok: false, reason: { code: 'cashMismatch', expected: d('196.012'), actual: d('199.112') } });
    if (!r.ok) expect(r.reason.message).toMatch(/differs from first-principles cash 196\.012 by 3\.1/);
  });

  it('restore refuses corrupt positions', () => {
    const { ledger, events, trades } = history();
    const bad = [{ ...ledger.positions[0]!, qty: 0n }];
    expect(() => restoreLedger({ mode: 'paper', startingCapital: d('200'), capitalEvents: events, closedTrades: trades, openPositions: bad })).toThrow(/qty must be > 0/);
  });
});
