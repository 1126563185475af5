import { type Fixed, ZERO, div } from '../money/index.ts';

/**
 * Adverse excursion of a long position at `price`: (entry − price) / entry as a fraction when the
 * price is below entry, else 0. Pure; `entry` must be > 0.
 */
export function adverseExcursion(entry: Fixed, price: Fixed): Fixed {
  return price < entry ? div(entry - price, entry) : ZERO;
}
