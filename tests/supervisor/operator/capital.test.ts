/**
 * Deposits and withdrawals: exact amounts only, positive, at most the quote currency's
 * decimals; a withdrawal at most the cash. Recorded in `capital_events` before the books are
 * told; cash is re-derived from first principles afterwards. Cash in the seed: 1199.7 (support.ts).
 */
import { describe, expect, it } from 'vitest';
import { fromString } from '../../../domain/money/index.ts';
import { createStoreBooks, parseAmount } from '../../../supervisor/operator/index.ts';
import { operatorHarness } from './support.ts';

describe('parseAmount', () => {
  const ok = (raw: unknown, decimals = 2) => parseAmount(raw, decimals, 'USD');

  it('accepts positive decimals with at most the allowed decimals, exactly', () => {
    expect(ok('250')).toEqual({ ok: true, amount: fromString('250') });
    expect(ok(' 250.5 ')).toEqual({ ok: true, amount: fromString('250.5') });
    expect(ok('0.01')).toEqual({ ok: true, amount: fromString('0.01') });
    expect(ok('100000000.99')).toEqual({ ok: true, amount: fromString('100000000.99') });
  });

  it('refuses everything else, naming what is wrong and what is allowed', () => {
    const allowed = 'a positive decimal with at most 2 decimals, like "250" or "250.50" (USD)';
    expect(ok('0')).toEqual({ ok: false, reason: `amount must be greater than 0 — ${allowed}; got "0"` });
    expect(ok('0.00')).toMatchObject({ ok: false });
    expect(ok('-5')).toEqual({ ok: false, reason: `amount must be ${allowed}; got "-5"` });
    expect(ok('1.234')).toEqual({ ok: false, reason: `amount 1.234 has 3 decimals; USD amounts allow at most 2 — ${allowed}` });
    expect(ok(250.5)).toEqual({ ok: false, reason: `amount must be text so it stays exact — ${allowed}; got the number 250.5` });
    expect(ok(undefined)).toEqual({ ok: false, reason: `amount is required — ${allowed}` });
    for (const bad of ['1e3', '1,000', '.5', '5.', '$5', 'NaN', 'Infinity', '', ' ', '0x10', '+5']) {
      expect(ok(bad).ok, bad).toBe(false);
      expect((ok(bad) as { reason: string }).reason, bad).toContain(allowed);
    }
    expect(parseAmount('7', 0, 'JPY')).toEqual({ ok: true, amount: fromString('7') });
    expect(parseAmount('7.5', 0, 'JPY')).toMatchObject({ ok: false, reason: 'amount 7.5 has 1 decimals; JPY amounts allow at most 0 — a positive decimal with at most 0 decimals, like "250" or "250" (JPY)' });
  });
});

describe('deposit and withdraw', () => {
  it('a deposit is recorded exactly and raises cash', async () => {
    const { operator, repos } = await operatorHarness();
    const r = operator.execute({ kind: 'deposit', amount: '250.50', note: 'monthly' });
    // 1199.7 + 250.5 = 1450.2
    expect(r).toMatchObject({ ok: true, message: 'deposit of 250.5 USD recorded; cash is now 1450.2 USD' });
    const stored = repos.capitalEvents.list().at(-1)!;
    expect(stored).toMatchObject({ kind: 'deposit', amount: fromString('250.5'), currency: 'USD', note: 'monthly', dayKey: '2026-01-05', venueRef: null });
    expect(operator.portfolio()).toMatchObject({ ok: true, value: { cash: '1450.2' } });
  });

  it('a withdrawal is refused beyond cash (naming the most that can be withdrawn) and accepted up to it', async () => {
    const { operator, repos } = await operatorHarness();
    const before = repos.capitalEvents.list().length;
    const over = operator.execute({ kind: 'withdraw', amount: '1199.71' });
    expect(over).toMatchObject({
      ok: false,
      reason: 'withdrawal of 1199.71 exceeds cash 1199.7; at most 1199.7 can be withdrawn (USD)',
      state: { phase: 'running', trading: 'active' },
    });
    expect(repos.capitalEvents.list()).toHaveLength(before);
    expect(operator.execute({ kind: 'withdraw', amount: '1199.70' })).toMatchObject({ ok: true, message: 'withdrawal of 1199.7 USD recorded; cash is now 0 USD' });
    expect(repos.capitalEvents.list().at(-1)).toMatchObject({ kind: 'withdrawal', amount: fromString('1199.7') });
    expect(operator.execute({ kind: 'withdraw', amount: '0.01' })).toMatchObject({ ok: false, reason: 'withdrawal of 0.01 exceeds cash 0; at most 0 can be withdrawn (USD)' });
  });

  it('bad amounts are refused with the reason and nothing is recorded', async () => {
    const { operator, repos } = await operatorHarness();
    const before = repos.capitalEvents.list().length;
    for (const amount of ['-1', '0', '12.345', 'ten', '1e2']) {
      const r = operator.execute({ kind: 'deposit', amount });
      expect(r.ok, amount).toBe(false);
      expect((r as { reason: string }).reason, amount).toMatch(/positive decimal with at most 2 decimals/);
    }
    expect(operator.execute({ kind: 'withdraw', amount: 5 as unknown as string })).toMatchObject({ ok: false, reason: expect.stringMatching(/^amount must be text so it stays exact/) });
    expect(repos.capitalEvents.list()).toHaveLength(before);
  });

  it('tells the running books after the row is stored (persist, then act)', async () => {
    const seen: { stored: number; amount: bigint }[] = [];
    const h = await operatorHarness({
      booksFor: (repos) => {
        const store = createStoreBooks(repos, { mode: 'paper', timeZone: 'America/Toronto', quoteCurrency: 'USD' });
        return { ledger: () => store.ledger(), applied: (e) => void seen.push({ stored: repos.capitalEvents.list().length, amount: e.amount }) };
      },
    });
    const before = h.repos.capitalEvents.list().length;
    expect(h.operator.execute({ kind: 'deposit', amount: '10' }).ok).toBe(true);
    expect(seen).toEqual([{ stored: before + 1, amount: fromString('10') }]);
  });

  it('books without a stored seed give a clear refusal', async () => {
    const { operator } = await operatorHarness({ seed: false });
    expect(operator.execute({ kind: 'deposit', amount: '10' })).toMatchObject({
      ok: false,
      reason: 'deposit failed: Error: system_meta.paper_starting_capital is not recorded (the first paper boot writes it); cash cannot be derived',
    });
  });
});
