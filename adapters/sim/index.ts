/**
 * The in-process sim venue (DESIGN.md §4): the `Venue` port on `domain/execution`'s fill model,
 * fed by candles, with an exact account. Backtests and paper mode trade against it. See
 * docs/venues.md.
 */
export { createSimVenue, type SimVenue, type SimVenueOptions } from './venue.ts';
export type { SimMarket } from './market.ts';
export { buyReservation } from './account.ts';
