/**
 * The nine pre-trade checks of predecessor §4.1, in its order, as a table. Exits (SELL, CLOSE,
 * MODIFY) pass without any check: nothing may stand between the fund and reducing exposure.
 * A denial is a value naming the check and the numbers behind it; nothing here sets a halt —
 * `applyTriggers` does that after each batch (the predecessor set halts inside checks 8 and 9).
 */
import type { BuySignal, RiskLimits, Signal } from '../contract/index.ts';
import { type Fixed, ZERO, fromNumber, mul, sum } from '../money/index.ts';
import {
  dailyLossBreached,
  dailyLossLimit,
  dailyPnl,
  dayBase,
  drawdownBreached,
  fraction,
  lossStreakBreached,
  money,
  percent,
  ratio,
} from './measures.ts';
import { type RiskState, assertCurrentDay, onEquity } from './state.ts';

/** Names of the pre-trade checks, in the order they run. */
export const RISK_CHECKS = [
  'killSwitch',
  'halt',
  'dailyLoss',
  'dailyTrades',
  'maxPositions',
  'tradeSize',
  'positionSize',
  'drawdown',
  'consecutiveLosses',
] as const;
export type RiskCheckName = (typeof RISK_CHECKS)[number];

/** An open position as the checks see it: quantity (base) and current price (quote). */
export interface RiskPosition {
  readonly tag: string;
  readonly symbol: string;
  readonly qty: Fixed;
  readonly price: Fixed;
}

/** The market-side facts of one check, taken at `nowMs`. */
export interface RiskContext {
  readonly nowMs: number;
  /** The configured IANA zone of the fund's day boundary. */
  readonly timeZone: string;
  /** Total portfolio value now (cash + positions at current prices), quote currency. */
  readonly equity: Fixed;
  /** Every open position (unique tags), valued at current prices. */
  readonly positions: readonly RiskPosition[];
}

/** The verdict on one signal. */
export type RiskDecision = { readonly ok: true } | { readonly ok: false; readonly check: RiskCheckName; readonly reason: string };

interface CheckInput {
  readonly signal: BuySignal;
  readonly state: RiskState; // equity already marked from the context
  readonly limits: RiskLimits;
  readonly positions: readonly RiskPosition[];
}

type Check = (input: CheckInput) => string | null;

function positionValue(p: RiskPosition): Fixed {
  return mul(p.qty, p.price);
}

/** A BUY opens a new position unless its tag names an open position of the same symbol (an average-in). */
export function opensNewPosition(signal: BuySignal, positions: readonly RiskPosition[]): boolean {
  return signal.tag === undefined || !positions.some((p) => p.tag === signal.tag && p.symbol === signal.symbol);
}

/** Quote value of a BUY: size × equity (size is a fraction of portfolio value). */
export function tradeValue(signal: BuySignal, equity: Fixed): Fixed {
  return mul(fromNumber(signal.size), equity);
}

const CHECKS: Readonly<Record<RiskCheckName, Check>> = {
  killSwitch: ({ state, limits }) => {
    if (limits.killSwitch) return 'kill switch is on in the risk limits; only a config change turns it off';
    if (state.killSwitch) return 'kill switch engaged by the operator; an operator resume turns it off';
    return null;
  },
  halt: ({ state }) => (state.halt === null ? null : `trading halted (${state.halt.kind}): ${state.halt.reason}`),
  dailyLoss: ({ state, limits }) =>
    dailyLossBreached(state, limits)
      ? `daily loss ${money(-dailyPnl(state, limits))} is beyond ${percent(limits.maxDailyLossPct)} of start-of-day equity ${money(dayBase(state))} (limit ${money(dailyLossLimit(state, limits))}; ${limits.dailyLossIncludesUnrealized ? 'realized + unrealized' : 'realized only'})`
      : null,
  dailyTrades: ({ state, limits }) =>
    state.entriesToday >= limits.maxDailyTrades ? `${state.entriesToday} entries today reach the limit of ${limits.maxDailyTrades} per day` : null,
  maxPositions: ({ signal, limits, positions }) =>
    opensNewPosition(signal, positions) && positions.length >= limits.maxPositions
      ? `${positions.length} open positions reach the limit of ${limits.maxPositions}; a new position is not allowed (adding to an open tag is)`
      : null,
  tradeSize: ({ signal, state, limits }) => {
    if (!(signal.size > 0) || !Number.isFinite(signal.size)) return `invalid size ${signal.size}: must be > 0`;
    if (state.equity <= ZERO) return `portfolio value ${money(state.equity)} is not positive; nothing can be sized`;
    const value = tradeValue(signal, state.equity);
    const cap = mul(fraction(limits.maxTradePct), state.equity);
    return value > cap
      ? `trade size ${percent(signal.size)} (${money(value)}) is beyond maxTradePct ${percent(limits.maxTradePct)} of portfolio value ${money(state.equity)} (${money(cap)})`
      : null;
  },
  positionSize: ({ signal, state, limits, positions }) => {
    const existing = sum(positions.filter((p) => p.symbol === signal.symbol).map(positionValue));
    const after = existing + tradeValue(signal, state.equity);
    const cap = mul(fraction(limits.maxPositionPct), state.equity);
    return after > cap
      ? `${signal.symbol} exposure would be ${money(after)} (${money(existing)} held + this trade) = ${ratio(after, state.equity)} of portfolio value, beyond maxPositionPct ${percent(limits.maxPositionPct)} (${money(cap)})`
      : null;
  },
  drawdown: ({ state, limits }) =>
    drawdownBreached(state, limits)
      ? `drawdown ${money(state.peakEquity - state.equity)} = ${ratio(state.peakEquity - state.equity, state.peakEquity)} from peak ${money(state.peakEquity)} is beyond maxDrawdownPct ${percent(limits.maxDrawdownPct)}`
      : null,
  consecutiveLosses: ({ state, limits }) =>
    lossStreakBreached(state, limits)
      ? `${state.consecutiveLosses} losing closes in a row reach the limit of ${limits.rollbackConsecutiveLosses}`
      : null,
};

/**
 * Runs the pre-trade checks on one signal, first failure wins (order: `RISK_CHECKS`). SELL,
 * CLOSE and MODIFY always pass. A BUY is sized as `size × ctx.equity`; positions are valued at
 * `ctx.positions[].price`. `state` must be of the current local day (`resetIfNewDay` first);
 * otherwise throws `RiskStateError` (a programmer error). Pure.
 */
export function checkSignal(signal: Signal, state: RiskState, limits: RiskLimits, ctx: RiskContext): RiskDecision {
  if (signal.action !== 'BUY') return { ok: true }; // exits: SELL, CLOSE, MODIFY
  assertCurrentDay(state, ctx.nowMs, ctx.timeZone);
  const input: CheckInput = { signal, state: onEquity(state, ctx.equity), limits, positions: ctx.positions };
  for (const check of RISK_CHECKS) {
    const reason = CHECKS[check](input);
    if (reason !== null) return { ok: false, check, reason };
  }
  return { ok: true };
}
