/**
 * Halts: why the fund stopped opening positions, and which halts clear by themselves.
 *
 * One table decides it (predecessor §4.3 cleared a halt only if its *text* contained "Daily
 * portfolio drop", so its startup "Daily loss limit" halt was never cleared at midnight):
 * - day-scoped halts (daily loss, daily drop) clear at the next local midnight, because the
 *   measure they guard restarts at zero then;
 * - sticky halts (drawdown, consecutive losses, operator) stay until an operator resume, across
 *   restarts, because nothing about a new day makes them safe again.
 * When two halts apply, the sticky one is kept (it outlives the other); otherwise the first stays.
 */

/** Why trading is halted. */
export type HaltKind = 'dailyLoss' | 'dailyDrop' | 'drawdown' | 'consecutiveLosses' | 'operator';

/** Per kind: does the halt clear itself at the next local day? */
export const HALT_CLEARS_AT_NEW_DAY: Readonly<Record<HaltKind, boolean>> = Object.freeze({
  dailyLoss: true, // the daily-loss measure restarts at local midnight
  dailyDrop: true, // likewise (the predecessor's one auto-clearing reason)
  drawdown: false, // peak-to-now loss does not heal overnight
  consecutiveLosses: false, // the streak only ends with a win or an operator resume
  operator: false, // an operator halt is lifted by the operator
});

/** The active halt. `sinceMs` is when it was set (ms since epoch, UTC). */
export interface Halt {
  readonly kind: HaltKind;
  readonly reason: string;
  readonly sinceMs: number;
}

/** A halt a trigger or the startup evaluation asks for (time added when applied). */
export interface HaltRequest {
  readonly kind: HaltKind;
  readonly reason: string;
}

/**
 * The halt to keep when `next` is requested while `current` holds: a sticky halt replaces a
 * day-scoped one; in every other case the current one stays (so its reason and time survive).
 * Returns `current` itself when nothing changes. Pure.
 */
export function mergeHalt(current: Halt | null, next: Halt): Halt | null {
  if (current === null) return next;
  if (HALT_CLEARS_AT_NEW_DAY[current.kind] && !HALT_CLEARS_AT_NEW_DAY[next.kind]) return next;
  return current;
}
