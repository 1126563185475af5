import type { Candle } from '../market/index.ts';
import { type Fixed, fromNumber, toString } from '../money/index.ts';
import { compareCandlePrice } from './candle-price.ts';
import type { FeeRatesPct } from './fees.ts';
import { DEFAULT_SLIPPAGE, marketPrice, takerFill } from './market-fill.ts';
import type { PairRules } from './pair-rules.ts';
import type { ModelFill } from './types.ts';

/** Protective levels of a LONG position, quote per base; `null` = none. */
export interface ExitLevels {
  readonly stopLoss: Fixed | null;
  readonly takeProfit: Fixed | null;
}

/** Which protective level fired, and where. */
export interface ExitTrigger {
  readonly kind: 'stopLoss' | 'takeProfit';
  /** The configured level. */
  readonly level: Fixed;
  /** Price the triggered market sell executes from: the level, or the open when the candle gapped past it. */
  readonly basePrice: Fixed;
  /** True when the candle opened beyond the level. */
  readonly gapped: boolean;
}

/** A model fill produced by a stop-loss or take-profit (always a taker sell). */
export interface ExitFill extends ModelFill {
  readonly trigger: ExitTrigger;
}

/** Market conditions for a triggered exit. */
export interface ExitContext {
  /** Spread fraction (see `spreadFor`). */
  readonly spread: Fixed;
  /** Slippage fraction; default `DEFAULT_SLIPPAGE` (0.0005). */
  readonly slippage?: Fixed;
  readonly fees: FeeRatesPct;
  readonly rules: PairRules;
}

/**
 * Decides which protective level of a long position one candle fires, touch-triggered (stop: low ≤
 * SL; take-profit: high ≥ TP, as exchange triggers on the last trade reaching the level):
 * 1. the candle OPENS at/below the stop → stop at the open (a gap: a stop at 95 with an open of 90
 *    executes from 90, not 95);
 * 2. the candle opens at/above the take-profit → take-profit at the open;
 * 3. both levels inside the range → the STOP (pessimistic: intrabar order is unknown);
 * 4. otherwise whichever level the range reaches, at the level.
 * Returns `null` when neither fires. The caller must not feed the candle in which the position was
 * opened (intrabar order unknown) — use later candles or finer sub-bars. Pure.
 */
export function findExitTrigger(levels: ExitLevels, candle: Candle): ExitTrigger | null {
  const { stopLoss, takeProfit } = levels;
  const openVsStop = stopLoss === null ? 1 : compareCandlePrice(candle.open, stopLoss);
  if (stopLoss !== null && openVsStop <= 0) {
    return { kind: 'stopLoss', level: stopLoss, basePrice: openVsStop < 0 ? fromNumber(candle.open) : stopLoss, gapped: openVsStop < 0 };
  }
  const openVsTake = takeProfit === null ? -1 : compareCandlePrice(candle.open, takeProfit);
  if (takeProfit !== null && openVsTake >= 0) {
    return { kind: 'takeProfit', level: takeProfit, basePrice: openVsTake > 0 ? fromNumber(candle.open) : takeProfit, gapped: openVsTake > 0 };
  }
  if (stopLoss !== null && compareCandlePrice(candle.low, stopLoss) <= 0) {
    return { kind: 'stopLoss', level: stopLoss, basePrice: stopLoss, gapped: false };
  }
  if (takeProfit !== null && compareCandlePrice(candle.high, takeProfit) >= 0) {
    return { kind: 'takeProfit', level: takeProfit, basePrice: takeProfit, gapped: false };
  }
  return null;
}

/**
 * The fill of a triggered exit for `qty` base units: a taker market sell from `basePrice`
 * (price = basePrice × (1 − spread/2 − slippage), rounded down to the tick), taker fee.
 * Pure; throws on qty ≤ 0.
 */
export function fillExit(trigger: ExitTrigger, qty: Fixed, context: ExitContext): ExitFill {
  if (qty <= 0n) throw new RangeError(`exit qty must be > 0, got ${toString(qty)}`);
  const price = marketPrice('sell', { mid: trigger.basePrice, spread: context.spread }, context.slippage ?? DEFAULT_SLIPPAGE, context.rules);
  return { ...takerFill('sell', qty, price, context.fees, trigger.gapped), trigger };
}

/** `findExitTrigger` then `fillExit`: the exit fill for this candle, or `null`. Pure. */
export function matchExit(levels: ExitLevels, qty: Fixed, candle: Candle, context: ExitContext): ExitFill | null {
  const trigger = findExitTrigger(levels, candle);
  return trigger === null ? null : fillExit(trigger, qty, context);
}
