import { describe, expect, it } from 'vitest';
import {
  applyBuy,
  applyFill,
  applyModify,
  applySell,
  avgEntry,
  closeQuantity,
  createLedger,
  findPosition,
  nextAutoTag,
  positionsOf,
  reconcileCash,
  sellQuantity,
} from '../../../domain/portfolio/index.ts';
import { buy, d, ok, sell } from './helpers.ts';

const paper = (capital: string) => createLedger({ startingCapital: d(capital), mode: 'paper' });

describe('ledger: buys', () => {
  it('opens with an automatic tag auto_<SYMBOLNOSLASH>_<NNN> and debits notional + fee', () => {
    // 0.1 × 50000 = 5000 notional; taker 0.40 % = 20 fee; cash 10000 − 5020 = 4980
    const r = ok(applyBuy(paper('10000'), buy('0.1', '50000', '20')));
    expect(r.tag).toBe('auto_BTCUSD_001');
    expect(r.opened).toBe(true);
    expect(r.ledger.cash).toBe(d('4980'));
    expect(r.ledger.feesPaid).toBe(d('20'));
    expect(findPosition(r.ledger, 'auto_BTCUSD_001')).toMatchObject({
      symbol: 'BTC/USD', qty: d('0.1'), costBasis: d('5000'), entryFees: d('20'), intent: 'DAY', stopLoss: null, takeProfit: null, openedAt: 1000,
    });
    const second = ok(applyBuy(r.ledger, buy('0.01', '50000', '2')));
    expect(second.tag).toBe('auto_BTCUSD_002');
  });

  it('never reuses an automatic tag, and steps past explicit tags that look automatic', () => {
    let l = ok(applyBuy(paper('100000'), buy('0.1', '50000', '0'))).ledger; // auto_BTCUSD_001
    l = ok(applySell(l, sell('0.1', '50000', '0', { tag: 'auto_BTCUSD_001' }))).ledger;
    // predecessor would hand out 001 again (count of open auto tags + 1); we continue at 002
    expect(nextAutoTag(l, 'BTC/USD')).toBe('auto_BTCUSD_002');
    l = ok(applyBuy(l, buy('0.1', '50000', '0', { tag: 'auto_BTCUSD_005' }))).ledger;
    expect(nextAutoTag(l, 'BTC/USD')).toBe('auto_BTCUSD_006');
    expect(nextAutoTag(l, 'ETH/USD')).toBe('auto_ETHUSD_001');
    const bt = createLedger({ startingCapital: d('1'), mode: 'paper', tagPrefix: 'bt' });
    expect(nextAutoTag(bt, 'SOL/USD')).toBe('bt_SOLUSD_001');
  });

  it('averages into an existing tag: weighted entry, fees accumulate, levels kept unless given', () => {
    // 0.1 @ 50000 (fee 20) + 0.3 @ 40000 (notional 12000, fee 48)
    // qty 0.4, cost 17000, avg 17000 / 0.4 = 42500, entry fees 68; cash 20000 − 5020 − 12048 = 2932
    let l = ok(applyBuy(paper('20000'), buy('0.1', '50000', '20', { tag: 'core', stopLoss: d('45000'), intent: 'SWING' }))).ledger;
    const r = ok(applyBuy(l, buy('0.3', '40000', '48', { tag: 'core', takeProfit: d('60000'), tsEvent: 5000 })));
    l = r.ledger;
    expect(r.opened).toBe(false);
    const p = findPosition(l, 'core')!;
    expect(p).toMatchObject({ qty: d('0.4'), costBasis: d('17000'), entryFees: d('68'), stopLoss: d('45000'), takeProfit: d('60000'), intent: 'SWING', openedAt: 1000 });
    expect(avgEntry(p)).toBe(d('42500'));
    expect(l.cash).toBe(d('2932'));
    expect(l.positions).toHaveLength(1);
  });

  it('refuses a paper BUY that would make cash negative (never sizes it down)', () => {
    // 0.02 × 50000 = 1000 + fee 4 = 1004 > cash 1000
    const r = applyBuy(paper('1000'), buy('0.02', '50000', '4'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatchObject({ code: 'insufficientCash', required: d('1004'), available: d('1000') });
    expect(r.reason.message).toMatch(/insufficient cash: .* needs 1004 .* cash is 1000/);
    // spending exactly all cash is allowed: 1000 + 0 fee → cash 0
    expect(ok(applyBuy(paper('1000'), buy('0.02', '50000', '0'))).ledger.cash).toBe(0n);
    // live fills are facts: booked, cash −4 for the caller to alert on
    const live = createLedger({ startingCapital: d('1000'), mode: 'live' });
    expect(ok(applyBuy(live, buy('0.02', '50000', '4'))).ledger.cash).toBe(d('-4'));
  });

  it('refuses a tag that belongs to another symbol and throws on corrupt fills', () => {
    const l = ok(applyBuy(paper('10000'), buy('0.1', '50000', '0', { tag: 'x' }))).ledger;
    const r = applyBuy(l, buy('1', '2000', '0', { symbol: 'ETH/USD', tag: 'x' }));
    expect(r.ok ? 'ok' : r.reason).toMatchObject({ code: 'tagSymbolMismatch', tag: 'x', symbol: 'ETH/USD', positionSymbol: 'BTC/USD' });
    expect(() => applyBuy(l, buy('0', '1', '0'))).toThrow(/buy qty must be > 0/);
    expect(() => applyBuy(l, buy('1', '-1', '0'))).toThrow(/buy price must be > 0/);
    expect(() => applyBuy(l, buy('1', '1', '-0.1'))).toThrow(/buy fee must be ≥ 0/);
    expect(() => applyBuy(l, buy('1', '1', '0', { dayKey: '11/02/2026' }))).toThrow(/dayKey/);
    expect(() => applyBuy(l, buy('1', '1', '0', { tsEvent: 1.5 }))).toThrow(/tsEvent/);
    expect(() => applyBuy(l, buy('1', '1', '0', { stopLoss: 0n }))).toThrow(/stopLoss/);
  });

  it('is immutable: the input ledger is unchanged', () => {
    const before = paper('10000');
    const snapshot = structuredClone(before);
    ok(applyBuy(before, buy('0.1', '50000', '20')));
    expect(before).toEqual(snapshot);
  });
});

describe('ledger: sells and closes', () => {
  it('a full close books P&L = proceeds − cost − entry fee − exit fee', () => {
    // buy 0.1 @ 50000 fee 20; sell 0.1 @ 55000: proceeds 5500, fee 0.40 % = 22
    // pnl = 5500 − 5000 − 20 − 22 = 458; pnlFraction = 458 / 5000 = 0.0916; cash = 10000 + 458
    let l = ok(applyBuy(paper('10000'), buy('0.1', '50000', '20'))).ledger;
    const r = ok(applySell(l, sell('0.1', '55000', '22', { tag: 'auto_BTCUSD_001' })));
    l = r.ledger;
    expect(r.closedTags).toEqual(['auto_BTCUSD_001']);
    expect(r.closedTrades).toEqual([
      {
        symbol: 'BTC/USD', tag: 'auto_BTCUSD_001', intent: 'DAY', qty: d('0.1'), entryPrice: d('50000'), exitPrice: d('55000'),
        costBasis: d('5000'), proceeds: d('5500'), entryFee: d('20'), exitFee: d('22'), fees: d('42'), pnl: d('458'),
        pnlFraction: d('0.0916'), openedAt: 1000, closedAt: 2000, closeReason: 'signal', mae: 0n,
      },
    ]);
    expect(l.positions).toEqual([]);
    expect(l.cash).toBe(d('10458'));
    expect(l.realizedPnl).toBe(d('458'));
    expect(l.feesPaid).toBe(d('42'));
  });

  it('a partial sell takes the pro-rata share of cost and entry fee', () => {
    // position: 0.4 BTC, cost 17000 (avg 42500), entry fees 68 (see average-in example)
    // sell 0.1 @ 45000: proceeds 4500, exit fee 18 (0.40 %); cost share 17000 × 0.1/0.4 = 4250;
    // entry-fee share 68 × 0.25 = 17; pnl = 4500 − 4250 − 17 − 18 = 215 = (45000 − 42500)·0.1 − 35
    let l = ok(applyBuy(paper('20000'), buy('0.1', '50000', '20', { tag: 'core' }))).ledger;
    l = ok(applyBuy(l, buy('0.3', '40000', '48', { tag: 'core' }))).ledger;
    const r = ok(applySell(l, sell('0.1', '45000', '18', { tag: 'core', reason: 'take_profit' })));
    expect(r.closedTrades[0]).toMatchObject({ qty: d('0.1'), costBasis: d('4250'), entryFee: d('17'), exitFee: d('18'), pnl: d('215'), entryPrice: d('42500'), closeReason: 'take_profit' });
    expect(r.closedTags).toEqual([]);
    const p = findPosition(r.ledger, 'core')!;
    // remaining 0.3, cost 12750, fees 51; the average entry is unchanged at 42500
    expect(p).toMatchObject({ qty: d('0.3'), costBasis: d('12750'), entryFees: d('51') });
    expect(avgEntry(p)).toBe(d('42500'));
    // cash 2932 + 4500 − 18 = 7414
    expect(r.ledger.cash).toBe(d('7414'));
  });

  it('an untagged SELL walks FIFO across the symbol’s positions, splitting proceeds and fee exactly', () => {
    // ETH: 001 = 1 @ 2000 fee 8 (t=1000); 002 = 2 @ 2500 fee 20 (t=2000); cash 10000 − 2008 − 5020 = 2972
    const eth = { symbol: 'ETH/USD' };
    let l = ok(applyBuy(paper('10000'), buy('1', '2000', '8', { ...eth, tsEvent: 1000 }))).ledger;
    l = ok(applyBuy(l, buy('2', '2500', '20', { ...eth, tsEvent: 2000 }))).ledger;
    // sell 2 @ 3000, fee 24 (0.40 % of 6000)
    // part 1 (001, 1 ETH): proceeds 3000, exit fee 12, cost 2000, entry fee 8 → pnl 980 (closed)
    // part 2 (002, 1 of 2): proceeds 3000, exit fee 12, cost 2500, entry fee 10 → pnl 478
    const r = ok(applySell(l, sell('2', '3000', '24', { ...eth, tsEvent: 3000 })));
    expect(r.closedTrades.map((t) => [t.tag, t.qty, t.proceeds, t.exitFee, t.costBasis, t.entryFee, t.pnl])).toEqual([
      ['auto_ETHUSD_001', d('1'), d('3000'), d('12'), d('2000'), d('8'), d('980')],
      ['auto_ETHUSD_002', d('1'), d('3000'), d('12'), d('2500'), d('10'), d('478')],
    ]);
    expect(r.closedTags).toEqual(['auto_ETHUSD_001']);
    expect(positionsOf(r.ledger, 'ETH/USD')).toMatchObject([{ tag: 'auto_ETHUSD_002', qty: d('1'), costBasis: d('2500'), entryFees: d('10') }]);
    // cash 2972 + 6000 − 24 = 8948 = 10000 + (980 + 478) − (2500 + 10)
    expect(r.ledger.cash).toBe(d('8948'));
    expect(reconcileCash(d('10000'), [], r.closedTrades, r.ledger.positions)).toBe(d('8948'));
  });

  it('CLOSE by tag or by symbol sells exactly what is held', () => {
    let l = ok(applyBuy(paper('100000'), buy('0.1', '50000', '0'))).ledger;
    l = ok(applyBuy(l, buy('0.2', '50000', '0'))).ledger;
    l = ok(applyBuy(l, buy('1', '2000', '0', { symbol: 'ETH/USD' }))).ledger;
    expect(closeQuantity(l, 'BTC/USD', 'auto_BTCUSD_002')).toEqual({ ok: true, qty: d('0.2') });
    const all = closeQuantity(l, 'BTC/USD');
    expect(all).toEqual({ ok: true, qty: d('0.3') });
    const closed = ok(applySell(l, sell('0.3', '51000', '0', { reason: 'emergency' })));
    expect(closed.closedTags).toEqual(['auto_BTCUSD_001', 'auto_BTCUSD_002']);
    expect(positionsOf(closed.ledger, 'BTC/USD')).toEqual([]);
    expect(positionsOf(closed.ledger, 'ETH/USD')).toHaveLength(1);
    expect(closeQuantity(closed.ledger, 'BTC/USD')).toMatchObject({ ok: false, reason: { code: 'noPosition', symbol: 'BTC/USD' } });
    expect(closeQuantity(l, 'BTC/USD', 'nope')).toMatchObject({ ok: false, reason: { code: 'unknownTag', tag: 'nope' } });
  });

  it('clamps a SELL request to what is held and refuses overselling', () => {
    const l = ok(applyBuy(paper('100000'), buy('0.1', '50000', '0'))).ledger;
    expect(sellQuantity(l, 'BTC/USD', undefined, d('5'))).toEqual({ ok: true, qty: d('0.1') });
    expect(sellQuantity(l, 'BTC/USD', undefined, d('0.04'))).toEqual({ ok: true, qty: d('0.04') });
    const r = applySell(l, sell('0.2', '50000', '0'));
    expect(r.ok ? 'ok' : r.reason).toMatchObject({ code: 'insufficientQuantity', requested: d('0.2'), available: d('0.1') });
    expect(applyFill(l, sell('0.1', '1', '0', { symbol: 'ETH/USD', tag: 'auto_BTCUSD_001' }))).toMatchObject({ ok: false, reason: { code: 'tagSymbolMismatch' } });
  });
});

describe('ledger: MODIFY', () => {
  it('changes SL/TP/intent with no fee, no cash movement and no trade', () => {
    const l = ok(applyBuy(paper('10000'), buy('0.1', '50000', '20', { stopLoss: d('48000') }))).ledger;
    const m = ok(applyModify(l, { tag: 'auto_BTCUSD_001', stopLoss: d('49000'), takeProfit: d('60000'), intent: 'POSITION' })).ledger;
    expect(findPosition(m, 'auto_BTCUSD_001')).toMatchObject({ stopLoss: d('49000'), takeProfit: d('60000'), intent: 'POSITION', costBasis: d('5000'), entryFees: d('20') });
    expect(m.cash).toBe(l.cash);
    expect(m.feesPaid).toBe(l.feesPaid);
    expect(m.today).toEqual(l.today);
    // null clears a level
    expect(findPosition(ok(applyModify(m, { tag: 'auto_BTCUSD_001', stopLoss: null })).ledger, 'auto_BTCUSD_001')?.stopLoss).toBeNull();
  });

  it('refuses an unknown tag and a MODIFY that changes nothing', () => {
    const l = ok(applyBuy(paper('10000'), buy('0.1', '50000', '20', { stopLoss: d('48000') }))).ledger;
    expect(applyModify(l, { tag: 'ghost', stopLoss: d('1') })).toMatchObject({ ok: false, reason: { code: 'unknownTag', tag: 'ghost' } });
    expect(applyModify(l, { tag: 'auto_BTCUSD_001', stopLoss: d('48000') })).toMatchObject({ ok: false, reason: { code: 'noChange' } });
    expect(applyModify(l, { tag: 'auto_BTCUSD_001' })).toMatchObject({ ok: false, reason: { code: 'noChange' } });
  });
});
