import { type Fixed, ZERO, toString } from '../money/index.ts';
import { capitalDelta } from './capital.ts';
import { assertNonNegative, assertPositive } from './checks.ts';
import { raiseTagCounters } from './tags.ts';
import type { CapitalEvent, ClosedTrade, DayTotals, Ledger, LedgerMode, Position } from './types.ts';

/**
 * Cash from first principles (L1): starting capital + Σ signed capital events + Σ net realized
 * P&L of closed trades − Σ (cost basis + entry fees) of open positions. The ledger's running cash
 * equals this at every step (property-tested), so a restart that rebuilds cash this way can never
 * create or lose cash. Pure.
 */
export function reconcileCash(
  startingCapital: Fixed,
  capitalEvents: readonly CapitalEvent[],
  closedTrades: readonly ClosedTrade[],
  openPositions: readonly Position[],
): Fixed {
  let cash = startingCapital;
  for (const e of capitalEvents) cash += capitalDelta(e);
  for (const t of closedTrades) cash += t.pnl;
  for (const p of openPositions) cash -= p.costBasis + p.entryFees;
  return cash;
}

/** Result of comparing a ledger's running cash with `reconcileCash`. */
export type CashCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: { readonly code: 'cashMismatch'; readonly message: string; readonly expected: Fixed; readonly actual: Fixed } };

/**
 * Checks that `ledger.cash` equals the first-principles cash of the given history (e.g. after
 * loading a snapshot): a mismatch names both values and the difference. Pure.
 */
export function verifyCash(ledger: Ledger, capitalEvents: readonly CapitalEvent[], closedTrades: readonly ClosedTrade[]): CashCheck {
  const expected = reconcileCash(ledger.startingCapital, capitalEvents, closedTrades, ledger.positions);
  if (expected === ledger.cash) return { ok: true };
  return {
    ok: false,
    reason: {
      code: 'cashMismatch',
      expected,
      actual: ledger.cash,
      message: `ledger cash ${toString(ledger.cash)} differs from first-principles cash ${toString(expected)} by ${toString(ledger.cash - expected)}`,
    },
  };
}

/** What a restart restores from the store. */
export interface RestoreInput {
  readonly mode: LedgerMode;
  readonly tagPrefix?: string;
  /** The persisted seed (`paper_starting_capital`), never the current config value (L1). */
  readonly startingCapital: Fixed;
  readonly capitalEvents: readonly CapitalEvent[];
  readonly closedTrades: readonly ClosedTrade[];
  readonly openPositions: readonly Position[];
  /** Totals of the current day as stored with the fills, if any (keeps fees-today across restarts, O3). */
  readonly today?: DayTotals | null;
}

/**
 * Rebuilds a ledger after a restart: cash by `reconcileCash`, running totals from the history,
 * positions in FIFO order, automatic-tag counters above every tag seen (open or closed) so tags
 * are never reused. Pure; throws on corrupt positions (qty/cost ≤ 0, negative fees).
 */
export function restoreLedger(input: RestoreInput): Ledger {
  assertNonNegative('startingCapital', input.startingCapital);
  for (const p of input.openPositions) {
    assertPositive(`${p.tag} qty`, p.qty);
    assertPositive(`${p.tag} costBasis`, p.costBasis);
    assertNonNegative(`${p.tag} entryFees`, p.entryFees);
  }
  const tagPrefix = input.tagPrefix ?? 'auto';
  const positions = [...input.openPositions].sort((a, b) => a.openedAt - b.openedAt || a.seq - b.seq);
  let realizedPnl = ZERO;
  let feesPaid = ZERO;
  for (const t of input.closedTrades) {
    realizedPnl += t.pnl;
    feesPaid += t.fees;
  }
  for (const p of positions) feesPaid += p.entryFees;
  let capitalNet = ZERO;
  for (const e of input.capitalEvents) capitalNet += capitalDelta(e);
  const tags = [...input.closedTrades.map((t) => t.tag), ...positions.map((p) => p.tag)];
  return {
    mode: input.mode,
    tagPrefix,
    startingCapital: input.startingCapital,
    cash: reconcileCash(input.startingCapital, input.capitalEvents, input.closedTrades, positions),
    positions,
    nextSeq: positions.reduce((m, p) => Math.max(m, p.seq), 0) + 1,
    tagCounters: raiseTagCounters({}, tagPrefix, tags),
    realizedPnl,
    feesPaid,
    capitalNet,
    today: input.today ?? null,
  };
}
