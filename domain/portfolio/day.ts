import type { Fixed } from '../money/index.ts';
import { assertDayKey } from './checks.ts';
import type { DayTotals } from './types.ts';

/**
 * The day totals to add to for a booking on `dayKey`: the current ones, or fresh zeros when a new
 * day starts. Day keys must not go backwards (bookings arrive in time order); that throws.
 */
export function dayFor(today: DayTotals | null, dayKey: string): DayTotals {
  assertDayKey(dayKey);
  if (today === null || today.dayKey < dayKey) return { dayKey, fees: 0n, realizedPnl: 0n, capitalNet: 0n, fills: 0 };
  if (today.dayKey === dayKey) return today;
  throw new RangeError(`dayKey ${dayKey} is before the ledger's current day ${today.dayKey}; bookings must arrive in time order`);
}

/** Adds one fill's fee and realized P&L to the day. Pure. */
export function addFill(day: DayTotals, fee: Fixed, realizedPnl: Fixed): DayTotals {
  return { dayKey: day.dayKey, fees: day.fees + fee, realizedPnl: day.realizedPnl + realizedPnl, capitalNet: day.capitalNet, fills: day.fills + 1 };
}
