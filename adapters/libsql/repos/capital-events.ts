/** Deposits, withdrawals and adjustments (`capital_events`). */
import { toString as fixedText, type Fixed } from '../../../domain/money/index.ts';
import { StoreError } from '../errors.ts';
import { defineTable, insertChanges, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';
import type { CapitalEventType } from './enums.ts';

/**
 * A movement of capital; mirrors domain/portfolio `CapitalEvent`. `amount` (quote units, exact)
 * is > 0 for a deposit or withdrawal (the kind gives the direction) and a signed, non-zero value
 * for an adjustment. `venueRef` (e.g. a Kraken ledger id) makes auto-detected events
 * idempotent. `tsEvent`: when it happened; `dayKey`: its local day label; `recordedAt`: when we
 * stored it (ms UTC).
 */
export interface CapitalEventRow {
  readonly id: number;
  readonly kind: CapitalEventType;
  readonly amount: Fixed;
  readonly currency: string;
  readonly tsEvent: number;
  readonly dayKey: string;
  readonly venueRef: string | null;
  readonly note: string | null;
  readonly recordedAt: number;
}

const table = defineTable<CapitalEventRow>('capital_events', {
  id: 'int',
  kind: 'text',
  amount: 'fixed',
  currency: 'text',
  tsEvent: 'int',
  dayKey: 'text',
  venueRef: 'text?',
  note: 'text?',
  recordedAt: 'int',
});

/**
 * Signed effect on cash: +amount for a deposit, -amount for a withdrawal, the signed amount for
 * an adjustment (the predecessor subtracted adjustments whatever their sign). Pure.
 */
export function signedCapitalAmount(event: Pick<CapitalEventRow, 'kind' | 'amount'>): Fixed {
  switch (event.kind) {
    case 'deposit':
      return event.amount;
    case 'withdrawal':
      return -event.amount;
    case 'adjustment':
      return event.amount;
  }
}

/** Repository for `capital_events`. */
export interface CapitalEventRepo {
  /**
   * Records an event; returns its id, or undefined when `venueRef` is already recorded with the
   * same kind, amount and currency (a replay of an auto-detected event). Throws `StoreError` on a
   * non-positive deposit/withdrawal, a zero adjustment (the CHECK would refuse them too), or a
   * `venueRef` already recorded with different data.
   */
  record(row: NewRow<CapitalEventRow>): number | undefined;
  byVenueRef(venueRef: string): CapitalEventRow | undefined;
  /** Every event, in time order. */
  list(): CapitalEventRow[];
  /**
   * Net contribution in `currency` of the events with tsEvent < untilMs (default: all):
   * deposits - withdrawals + adjustments, exact.
   */
  net(currency: string, untilMs?: number): Fixed;
}

/** Creates the `capital_events` repository. */
export function createCapitalEventRepo(st: Statements): CapitalEventRepo {
  const list = () => selectRows(st, table, 'ORDER BY ts_event, id');
  return {
    record(row) {
      if (row.kind === 'adjustment' ? row.amount === 0n : row.amount <= 0n) {
        throw new StoreError(`capital event ${row.kind} amount must be ${row.kind === 'adjustment' ? 'non-zero' : 'positive'}, got ${fixedText(row.amount)}`);
      }
      if (row.venueRef === undefined || row.venueRef === null) return insertRow(st, table, row);
      const inserted = insertChanges(st, table, row, 'ON CONFLICT (venue_ref) DO NOTHING') === 1;
      const stored = selectOne(st, table, 'WHERE venue_ref = ?', [row.venueRef])!;
      if (inserted) return stored.id;
      if (stored.kind !== row.kind || stored.amount !== row.amount || stored.currency !== row.currency) {
        throw new StoreError(
          `capital event ${JSON.stringify(row.venueRef)} is already recorded as ${stored.kind} ${fixedText(stored.amount)} ${stored.currency}`,
        );
      }
      return undefined;
    },
    byVenueRef: (venueRef) => selectOne(st, table, 'WHERE venue_ref = ?', [venueRef]),
    list,
    net(currency, untilMs) {
      const rows = selectRows(st, table, 'WHERE currency = ? AND ts_event < ? ORDER BY ts_event, id', [
        currency,
        intParam('untilMs', untilMs ?? Number.MAX_SAFE_INTEGER),
      ]);
      return rows.reduce((total, event) => total + signedCapitalAmount(event), 0n);
    },
  };
}
