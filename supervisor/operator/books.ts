/**
 * The store's books: the fund's ledger rebuilt from first principles on every read (predecessor
 * landmine L1: cash = persisted seed + capital events + realized P&L − open cost; never the
 * config value). Used by the operator surface when no running portfolio is wired in, and as the
 * reference the running one must agree with.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { type Fixed, fromString } from '../../domain/money/index.ts';
import { type CapitalEvent, type ClosedTrade, type Position, restoreLedger } from '../../domain/portfolio/index.ts';
import { PAPER_STARTING_CAPITAL } from '../boot.ts';
import type { BooksHandle, StoreBooksOptions } from './types.ts';

/**
 * Books read from the store. The seed is `options.startingCapital()` or, in paper mode, the
 * stored `system_meta.paper_starting_capital`; `ledger()` throws a clear error when neither
 * exists (live mode has no stored seed: wire in the running portfolio instead).
 */
export function createStoreBooks(repos: Repositories, options: StoreBooksOptions): BooksHandle {
  const seed = (): Fixed => {
    if (options.startingCapital) return options.startingCapital();
    const stored = options.mode === 'paper' ? repos.systemMeta.get(PAPER_STARTING_CAPITAL) : undefined;
    if (stored === undefined) {
      throw new Error(
        options.mode === 'paper'
          ? `system_meta.${PAPER_STARTING_CAPITAL} is not recorded (the first paper boot writes it); cash cannot be derived`
          : 'live mode keeps no stored seed capital: give the operator the running portfolio (books) to read cash from',
      );
    }
    return fromString(stored);
  };
  return {
    ledger() {
      const capitalEvents: CapitalEvent[] = repos.capitalEvents
        .list()
        .filter((e) => e.currency === options.quoteCurrency)
        .map((e) => ({ kind: e.kind, amount: e.amount, tsEvent: e.tsEvent, dayKey: e.dayKey, ...(e.note === null ? {} : { note: e.note }) }));
      // Every close ever booked, oldest first (the store's close reasons include 'operator' and 'rollback').
      const closedTrades = repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER) as unknown as ClosedTrade[];
      const openPositions: Position[] = repos.positions.list();
      return restoreLedger({ mode: options.mode, startingCapital: seed(), capitalEvents, closedTrades, openPositions });
    },
  };
}
