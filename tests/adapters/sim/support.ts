import { type SimVenue, type SimVenueOptions, createSimVenue } from '../../../adapters/sim/index.ts';
import type { FeeRatesPct, PairRules } from '../../../domain/execution/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString as f, toString } from '../../../domain/money/index.ts';
import type { VenueExecution } from '../../../domain/ports/index.ts';

/**
 * A SOL/USD-like market for sim venue tests: 0.01 tick, 8 lot decimals, ordermin 0.06, costmin
 * 0.5 (Kraken's SOLUSD rules), Kraken's base fee tier 0.25 % maker / 0.40 % taker, spread 0.1 %.
 */
export const SYMBOL = 'SOL/USD';
export const RULES: PairRules = { lotDecimals: 8, pairDecimals: 2, orderMin: f('0.06'), costMin: f('0.5'), tickSize: f('0.01') };
export const FEES: FeeRatesPct = { makerPct: f('0.25'), takerPct: f('0.40') };
export const SPREAD = f('0.001');
export const T0 = Date.UTC(2024, 0, 1);
export const MIN5 = 5 * 60_000;

/** A candle `i` steps after T0. */
export function candle(i: number, open: number, high: number, low: number, close: number): Candle {
  return { tsOpen: T0 + i * MIN5, open, high, low, close, volume: 1 };
}

/** A sim venue on a manual clock (`clock.t`), with every execution collected. */
export function simVenue(overrides: Partial<SimVenueOptions> = {}): { venue: SimVenue; clock: { t: number }; executions: VenueExecution[] } {
  const clock = { t: T0 };
  const venue = createSimVenue({
    markets: [{ symbol: SYMBOL, rules: RULES, fees: FEES, spread: SPREAD }],
    balances: { USD: f('10000'), SOL: f('0') },
    now: () => clock.t,
    ...overrides,
  });
  const executions: VenueExecution[] = [];
  venue.onExecution((e) => executions.push(e));
  return { venue, clock, executions };
}

/** Feeds candle `c` at its close (the clock moves to tsOpen + 5 min first). */
export function feed(v: { venue: SimVenue; clock: { t: number } }, c: Candle): readonly VenueExecution[] {
  v.clock.t = c.tsOpen + MIN5;
  return v.venue.onCandle(SYMBOL, c);
}

/** One execution as text, for readable expectations. */
export function text(e: VenueExecution): string {
  const ev = e.event;
  if (ev.type === 'order.filled') return `${e.clientOrderId} filled ${toString(ev.quantity)} @ ${toString(ev.price)} fee ${toString(ev.fee)} ${ev.liquidity}`;
  return `${e.clientOrderId} ${ev.type.slice(6)}`;
}
