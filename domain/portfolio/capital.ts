import { type Fixed, toString } from '../money/index.ts';
import { assertPositive, assertTimestamp } from './checks.ts';
import { dayFor } from './day.ts';
import type { CapitalEvent, Ledger, LedgerResult } from './types.ts';

/**
 * Signed effect of a capital event on cash: +amount for a deposit, −amount for a withdrawal, the
 * signed amount for an adjustment (the predecessor subtracted adjustments regardless of sign,
 * §20.3). Pure; throws on a non-positive deposit/withdrawal or a zero adjustment.
 */
export function capitalDelta(event: CapitalEvent): Fixed {
  switch (event.kind) {
    case 'deposit':
      assertPositive('deposit amount', event.amount);
      return event.amount;
    case 'withdrawal':
      assertPositive('withdrawal amount', event.amount);
      return -event.amount;
    case 'adjustment':
      if (event.amount === 0n) throw new RangeError('adjustment amount must be non-zero (signed quote units)');
      return event.amount;
  }
}

/**
 * Books a deposit, withdrawal or signed adjustment. Refusals: `withdrawalExceedsCash` (any mode)
 * and, in paper mode, `insufficientCash` for a negative adjustment larger than cash. Throws on
 * corrupt input (see `capitalDelta`, bad timestamp or day key).
 */
export function applyCapitalEvent(ledger: Ledger, event: CapitalEvent): LedgerResult {
  assertTimestamp('tsEvent', event.tsEvent);
  const delta = capitalDelta(event);
  const day = dayFor(ledger.today, event.dayKey);
  const cash = ledger.cash + delta;
  if (event.kind === 'withdrawal' && cash < 0n) {
    return {
      ok: false,
      reason: {
        code: 'withdrawalExceedsCash',
        amount: event.amount,
        cash: ledger.cash,
        message: `withdrawal of ${toString(event.amount)} exceeds cash ${toString(ledger.cash)}; at most ${toString(ledger.cash > 0n ? ledger.cash : 0n)} can be withdrawn`,
      },
    };
  }
  if (ledger.mode === 'paper' && cash < 0n) {
    return {
      ok: false,
      reason: {
        code: 'insufficientCash',
        required: -delta,
        available: ledger.cash,
        message: `insufficient cash: adjustment of ${toString(delta)} would leave cash at ${toString(cash)}; paper cash cannot go negative`,
      },
    };
  }
  return {
    ok: true,
    ledger: { ...ledger, cash, capitalNet: ledger.capitalNet + delta, today: { ...day, capitalNet: day.capitalNet + delta } },
  };
}
