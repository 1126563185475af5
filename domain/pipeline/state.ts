/**
 * Creating a pipeline state: a fresh fund (backtest, first paper boot) or one restored from the
 * store (a restart). Pure.
 */
import type { ClosedTrade as ContractClosedTrade } from '../contract/index.ts';
import type { Fixed } from '../money/index.ts';
import { type Ledger, createLedger } from '../portfolio/index.ts';
import { type RiskState, createRiskState } from '../risk/index.ts';
import { addDays, startOfDayKey } from '../time/index.ts';
import { shadowsOf, PipelineError } from './draft.ts';
import { EMPTY_FEE_VOLUME, type FeeVolume } from './fees.ts';
import { approx } from './price.ts';
import type { PipelineConfig, PipelineState, RestingOrder } from './types.ts';

/** How to start: fresh capital, or the restored books of a running fund. */
export type PipelineStart =
  | { readonly kind: 'fresh'; readonly startingCapital: Fixed; readonly nowMs: number }
  | {
      readonly kind: 'restored';
      readonly nowMs: number;
      readonly ledger: Ledger;
      /** Must be of the local day of `nowMs` or earlier (then the first step rolls the day). */
      readonly risk: RiskState;
      readonly orders?: readonly RestingOrder[];
      /** The fills of the last 30 days, built with `feeVolumeOf`. */
      readonly feeVolume?: FeeVolume;
      readonly recentTrades?: readonly ContractClosedTrade[];
    };

/**
 * The initial state. Fresh: cash only, risk counters of the local day of `nowMs` (start-of-day
 * equity and peak = starting capital). Restored: the given books; marks stay empty until the
 * first candle of each market (positions are valued at their last fill price until then).
 * Throws `PipelineError` when a restored position or order is in a market the config lacks.
 */
export function createPipelineState(config: PipelineConfig, start: PipelineStart): PipelineState {
  const ledger = start.kind === 'fresh' ? createLedger({ startingCapital: start.startingCapital, mode: config.ledgerMode, tagPrefix: config.tagPrefix }) : start.ledger;
  const risk = start.kind === 'fresh' ? createRiskState(start.startingCapital, start.nowMs, config.timeZone) : start.risk;
  const orders = start.kind === 'restored' ? [...(start.orders ?? [])] : [];
  for (const o of orders) {
    if (!config.indexOf.has(o.symbol)) throw new PipelineError(`resting order ${o.id} is in ${o.symbol}, which is not a configured market (${config.symbols.join(', ')})`);
  }
  return {
    ledger,
    risk,
    orders,
    nextOrderId: orders.reduce((m, o) => Math.max(m, o.id), 0) + 1,
    feeVolume: start.kind === 'restored' ? (start.feeVolume ?? EMPTY_FEE_VOLUME) : EMPTY_FEE_VOLUME,
    marks: config.markets.map(() => null),
    shadows: shadowsOf(ledger, config),
    gauge: { cash: approx(ledger.cash), peak: approx(risk.peakEquity), startOfDay: approx(risk.startOfDayEquity), realizedToday: approx(risk.realizedPnlToday) },
    dayEndsAtMs: startOfDayKey(addDays(risk.dayKey, 1), config.timeZone),
    nowMs: start.nowMs,
    recentTrades: start.kind === 'restored' ? (start.recentTrades ?? []) : [],
  };
}
