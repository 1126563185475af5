/**
 * Deposit and withdrawal amounts as the operator types them: exact decimal text only, so what
 * is recorded is exactly what was meant (a JSON number such as 0.1 is not exact and is refused).
 */
import { type Fixed, fromString } from '../../domain/money/index.ts';

/** A parsed amount, or what is wrong with the input and what is allowed. */
export type AmountResult = { readonly ok: true; readonly amount: Fixed } | { readonly ok: false; readonly reason: string };

/**
 * Parses a positive amount with at most `decimals` decimals (e.g. 2 for USD cents): digits,
 * an optional '.', no sign, exponent, separator or spaces. Pure; the reason quotes the input and
 * names the allowed form.
 */
export function parseAmount(raw: unknown, decimals: number, currency: string): AmountResult {
  const allowed = `a positive decimal with at most ${decimals} decimal${decimals === 1 ? '' : 's'}, like "250" or "${decimals > 0 ? `250.${'5'.padEnd(decimals, '0')}` : '250'}" (${currency})`;
  if (typeof raw === 'number') {
    return { ok: false, reason: `amount must be text so it stays exact — ${allowed}; got the number ${raw}` };
  }
  if (typeof raw !== 'string') return { ok: false, reason: `amount is required — ${allowed}` };
  const text = raw.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: `amount must be ${allowed}; got ${JSON.stringify(raw)}` };
  const places = m[2]?.length ?? 0;
  if (places > decimals) {
    return { ok: false, reason: `amount ${text} has ${places} decimals; ${currency} amounts allow at most ${decimals} — ${allowed}` };
  }
  const amount = fromString(text);
  if (amount <= 0n) return { ok: false, reason: `amount must be greater than 0 — ${allowed}; got ${JSON.stringify(raw)}` };
  return { ok: true, amount };
}
