import { describe, expect, it } from 'vitest';
import { applyCapitalEvent, capitalDelta, createLedger, type CapitalEvent } from '../../../domain/portfolio/index.ts';
import { DAY, d, ok } from './helpers.ts';

const ev = (kind: CapitalEvent['kind'], amount: string): CapitalEvent => ({ kind, amount: d(amount), tsEvent: 5000, dayKey: DAY });

describe('capital events', () => {
  it('deposits add, withdrawals subtract, adjustments apply their sign', () => {
    // 1000 + 500 = 1500; − 200 = 1300; + 5 = 1305 (the predecessor would have subtracted it); − 10 = 1295
    let l = createLedger({ startingCapital: d('1000'), mode: 'paper' });
    l = ok(applyCapitalEvent(l, ev('deposit', '500'))).ledger;
    expect(l.cash).toBe(d('1500'));
    l = ok(applyCapitalEvent(l, ev('withdrawal', '200'))).ledger;
    l = ok(applyCapitalEvent(l, ev('adjustment', '5'))).ledger;
    expect(l.cash).toBe(d('1305'));
    l = ok(applyCapitalEvent(l, ev('adjustment', '-10'))).ledger;
    expect(l.cash).toBe(d('1295'));
    expect(l.capitalNet).toBe(d('295'));
    expect(l.today?.capitalNet).toBe(d('295'));
    expect(l.startingCapital).toBe(d('1000'));
  });

  it('refuses a withdrawal exceeding cash in every mode, naming both values', () => {
    for (const mode of ['paper', 'live'] as const) {
      const l = createLedger({ startingCapital: d('100'), mode });
      const r = applyCapitalEvent(l, ev('withdrawal', '100.01'));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toMatchObject({ code: 'withdrawalExceedsCash', amount: d('100.01'), cash: d('100') });
      expect(r.reason.message).toMatch(/withdrawal of 100\.01 exceeds cash 100; at most 100 can be withdrawn/);
      expect(ok(applyCapitalEvent(l, ev('withdrawal', '100'))).ledger.cash).toBe(0n);
    }
  });

  it('a negative adjustment cannot push paper cash below zero; live records it', () => {
    const paper = createLedger({ startingCapital: d('5'), mode: 'paper' });
    expect(applyCapitalEvent(paper, ev('adjustment', '-6'))).toMatchObject({ ok: false, reason: { code: 'insufficientCash', required: d('6'), available: d('5') } });
    const live = createLedger({ startingCapital: d('5'), mode: 'live' });
    expect(ok(applyCapitalEvent(live, ev('adjustment', '-6'))).ledger.cash).toBe(d('-1'));
  });

  it('throws on malformed events', () => {
    expect(() => capitalDelta(ev('deposit', '0'))).toThrow(/deposit amount must be > 0/);
    expect(() => capitalDelta(ev('withdrawal', '-5'))).toThrow(/withdrawal amount must be > 0/);
    expect(() => capitalDelta(ev('adjustment', '0'))).toThrow(/non-zero/);
    const l = createLedger({ startingCapital: d('5'), mode: 'paper' });
    expect(() => applyCapitalEvent(l, { ...ev('deposit', '1'), dayKey: 'today' })).toThrow(/dayKey/);
  });
});
