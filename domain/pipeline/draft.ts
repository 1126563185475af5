/**
 * The working copy one pipeline call edits, and the bookings every path shares: fills into the
 * ledger, risk counters and triggers, order cancels, the float64 views. A draft never escapes a
 * call: `openDraft` copies what it will change, `commit` freezes the result into a new state, so
 * the exported functions stay pure.
 */
import type { Intent, Signal } from '../contract/index.ts';
import type { FeeRatesPct, ModelFill } from '../execution/index.ts';
import { type Fixed, mul } from '../money/index.ts';
import {
  type ClosedTrade,
  type CloseReason,
  type Ledger,
  type LedgerRejection,
  applyBuy,
  applySell,
  avgEntry,
  markToMarket,
} from '../portfolio/index.ts';
import { HALT_CLEARS_AT_NEW_DAY, type RiskState, applyTriggers, onClose, onEntry, onEquity } from '../risk/index.ts';
import { RECENT_TRADES_LIMIT, type ClosedTrade as ContractClosedTrade } from '../contract/index.ts';
import { type FeeVolume, addFeeVolume, feeRatesFor } from './fees.ts';
import { approx, priceFixed } from './price.ts';
import type {
  CancelReason,
  FillSource,
  PipelineConfig,
  PipelineEvent,
  PipelineResult,
  PipelineState,
  PositionShadow,
  RestingOrder,
  SymbolMark,
} from './types.ts';

/** Thrown when a caller breaks the pipeline's calling rules (time going backwards, a candle not yet closed): a programmer error. */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
}

/** Mutable working copy of a `PipelineState` plus the events of the call. */
export interface Draft {
  readonly config: PipelineConfig;
  readonly base: PipelineState;
  nowMs: number;
  ledger: Ledger;
  risk: RiskState;
  /** The state's array until the first change (copy on write: see `ownOrders`). */
  orders: readonly RestingOrder[];
  ordersOwned: boolean;
  nextOrderId: number;
  feeVolume: FeeVolume;
  marks: (SymbolMark | null)[];
  shadows: readonly PositionShadow[];
  gauge: PipelineState['gauge'];
  dayEndsAtMs: number;
  recentTrades: readonly ContractClosedTrade[];
  events: PipelineEvent[];
}

const NO_EVENTS: readonly PipelineEvent[] = Object.freeze([]);

/** A draft of `state` at `nowMs`. */
export function openDraft(state: PipelineState, config: PipelineConfig, nowMs: number): Draft {
  return {
    config,
    base: state,
    nowMs,
    ledger: state.ledger,
    risk: state.risk,
    orders: state.orders,
    ordersOwned: false,
    nextOrderId: state.nextOrderId,
    feeVolume: state.feeVolume,
    marks: state.marks.slice(),
    shadows: state.shadows,
    gauge: state.gauge,
    dayEndsAtMs: state.dayEndsAtMs,
    recentTrades: state.recentTrades,
    events: [],
  };
}

/** The draft's own, writable copy of the resting orders. */
export function ownOrders(d: Draft): RestingOrder[] {
  if (!d.ordersOwned) {
    d.orders = d.orders.slice();
    d.ordersOwned = true;
  }
  return d.orders as RestingOrder[];
}

/** Freezes a draft into the next state and the call's events. */
export function commit(d: Draft): PipelineResult {
  const state: PipelineState = {
    ledger: d.ledger,
    risk: d.risk,
    orders: d.orders,
    nextOrderId: d.nextOrderId,
    feeVolume: d.feeVolume,
    marks: d.marks,
    shadows: d.shadows,
    gauge: d.gauge,
    dayEndsAtMs: d.dayEndsAtMs,
    nowMs: d.nowMs,
    recentTrades: d.recentTrades,
  };
  return { state, events: d.events.length === 0 ? NO_EVENTS : d.events };
}

/** Float64 views of the ledger's positions, in ledger order. Pure. */
export function shadowsOf(ledger: Ledger, config: PipelineConfig): readonly PositionShadow[] {
  return ledger.positions.map((p) => {
    const symbolIndex = config.indexOf.get(p.symbol);
    if (symbolIndex === undefined) throw new PipelineError(`position ${p.tag} is in ${p.symbol}, which is not a configured market (${config.symbols.join(', ')})`);
    return {
      tag: p.tag,
      symbolIndex,
      qty: approx(p.qty),
      costBasis: approx(p.costBasis),
      avgEntry: approx(avgEntry(p)),
      stopLoss: p.stopLoss === null ? Number.NaN : approx(p.stopLoss),
      takeProfit: p.takeProfit === null ? Number.NaN : approx(p.takeProfit),
      openedAt: p.openedAt,
    };
  });
}

/** Re-derives the float views after the ledger changed. */
export function refreshViews(d: Draft): void {
  d.shadows = shadowsOf(d.ledger, d.config);
  d.gauge = { ...d.gauge, cash: approx(d.ledger.cash) };
}

/** The mid a symbol is valued and filled at: its latest close, exact. Null before the first candle. */
export function midOf(d: Draft, symbolIndex: number): Fixed | null {
  const mark = d.marks[symbolIndex];
  return mark ? priceFixed(mark.close) : null;
}

/** Total portfolio value, exact: cash + Σ qty × latest close (a position's last fill price if its market has no candle yet). */
export function exactEquity(d: Draft): Fixed {
  let total = d.ledger.cash;
  for (const p of d.ledger.positions) {
    const mark = d.marks[d.config.indexOf.get(p.symbol)!];
    total += mul(p.qty, mark ? priceFixed(mark.close) : p.lastPrice);
  }
  return total;
}

/** Total portfolio value in float64 (pre-screens only). */
export function floatEquity(d: Draft): number {
  let total = d.gauge.cash;
  for (const s of d.shadows) {
    const mark = d.marks[s.symbolIndex];
    total += s.qty * (mark ? mark.close : s.avgEntry);
  }
  return total;
}

/** The fee rates at the current 30-day volume. */
export function currentFees(d: Draft): FeeRatesPct {
  return feeRatesFor(d.config.fees, d.feeVolume.total);
}

/**
 * Writes the lows seen since the last flush into the ledger's MAE for `symbolIndex` (and marks the
 * positions at the latest close). Called before any ledger operation on the symbol, so the MAE of
 * a position only ever sees candles it held through. Equal to marking every candle, because MAE is
 * a running maximum and the average entry cannot change between flushes.
 */
export function flushSymbol(d: Draft, symbolIndex: number): void {
  const mark = d.marks[symbolIndex];
  if (!mark || mark.low === Number.POSITIVE_INFINITY) return;
  const symbol = d.config.symbols[symbolIndex]!;
  if (d.ledger.positions.some((p) => p.symbol === symbol)) {
    const price = priceFixed(mark.close);
    d.ledger = markToMarket(d.ledger, { [symbol]: { price, low: priceFixed(Math.min(mark.low, mark.close)) } });
  }
  d.marks[symbolIndex] = { close: mark.close, low: Number.POSITIVE_INFINITY, tsMs: mark.tsMs };
}

/** Flushes every symbol: afterwards the ledger's marks and MAE are current. */
export function flushAll(d: Draft): void {
  for (let i = 0; i < d.marks.length; i++) flushSymbol(d, i);
}

/** What an entry fill should give its position. `undefined` keeps (average-in) / leaves unset (new). */
export interface EntrySpec {
  readonly tag: string | null;
  readonly stopLoss: Fixed | undefined;
  readonly takeProfit: Fixed | undefined;
  readonly intent: Intent | undefined;
}

/** Who asked for a fill. */
export interface FillMeta {
  readonly orderId: number | null;
  readonly orderType: 'MARKET' | 'LIMIT';
  readonly source: FillSource;
  readonly signal: Signal | null;
}

/** A booked entry's position tag, or the ledger's refusal (nothing changed). */
export type BuyBooking = { readonly ok: true; readonly tag: string } | { readonly ok: false; readonly reason: LedgerRejection };

/**
 * Books a BUY fill: ledger, entry counter, fee volume, events, views, then the risk mark and
 * triggers.
 */
export function bookBuy(d: Draft, symbolIndex: number, fill: ModelFill, spec: EntrySpec, meta: FillMeta): BuyBooking {
  flushSymbol(d, symbolIndex);
  const symbol = d.config.symbols[symbolIndex]!;
  const r = applyBuy(d.ledger, {
    side: 'buy',
    symbol,
    ...(spec.tag === null ? {} : { tag: spec.tag }),
    qty: fill.qty,
    price: fill.price,
    fee: fill.fee,
    tsEvent: d.nowMs,
    dayKey: d.risk.dayKey,
    ...(spec.stopLoss === undefined ? {} : { stopLoss: spec.stopLoss }),
    ...(spec.takeProfit === undefined ? {} : { takeProfit: spec.takeProfit }),
    ...(spec.intent === undefined ? {} : { intent: spec.intent }),
  });
  if (!r.ok) return r;
  d.ledger = r.ledger;
  d.risk = onEntry(d.risk);
  d.feeVolume = addFeeVolume(d.feeVolume, d.nowMs, fill.notional);
  d.events.push({ type: 'order.filled', tsMs: d.nowMs, symbol, orderId: meta.orderId, tag: r.tag, orderType: meta.orderType, source: meta.source, fill, signal: meta.signal });
  if (r.opened) d.events.push({ type: 'position.opened', tsMs: d.nowMs, tag: r.tag, symbol });
  refreshViews(d);
  markAndTrigger(d);
  return { ok: true, tag: r.tag };
}

/**
 * Books a SELL fill from `tag` (or FIFO across the symbol's positions when null): ledger, one
 * `position.closed` per trade record, the loss streak and realized P&L, recent trades, resting
 * exit orders left without a position canceled, then the risk mark and triggers. Returns the
 * ledger's refusal (nothing changed) or null.
 */
export function bookSell(d: Draft, symbolIndex: number, fill: ModelFill, tag: string | null, reason: CloseReason, meta: FillMeta): LedgerRejection | null {
  flushSymbol(d, symbolIndex);
  const symbol = d.config.symbols[symbolIndex]!;
  const r = applySell(d.ledger, {
    side: 'sell',
    symbol,
    ...(tag === null ? {} : { tag }),
    qty: fill.qty,
    price: fill.price,
    fee: fill.fee,
    tsEvent: d.nowMs,
    dayKey: d.risk.dayKey,
    reason,
  });
  if (!r.ok) return r.reason;
  d.ledger = r.ledger;
  d.feeVolume = addFeeVolume(d.feeVolume, d.nowMs, fill.notional);
  d.events.push({ type: 'order.filled', tsMs: d.nowMs, symbol, orderId: meta.orderId, tag, orderType: meta.orderType, source: meta.source, fill, signal: meta.signal });
  let recent = d.recentTrades;
  for (const trade of r.closedTrades) {
    d.risk = onClose(d.risk, trade.pnl);
    d.events.push({ type: 'position.closed', tsMs: d.nowMs, trade, fullyClosed: r.closedTags.includes(trade.tag) });
    recent = [contractTrade(trade), ...recent];
  }
  d.recentTrades = recent.length > RECENT_TRADES_LIMIT ? recent.slice(0, RECENT_TRADES_LIMIT) : recent;
  if (r.closedTags.length > 0) cancelOrphanedExits(d, symbol);
  refreshViews(d);
  markAndTrigger(d);
  return null;
}

function contractTrade(t: ClosedTrade): ContractClosedTrade {
  return {
    tag: t.tag,
    symbol: t.symbol,
    side: 'long',
    qty: approx(t.qty),
    entryPrice: approx(t.entryPrice),
    exitPrice: approx(t.exitPrice),
    pnl: approx(t.pnl),
    pnlPct: approx(t.pnlFraction),
    fees: approx(t.fees),
    intent: t.intent,
    openedAt: t.openedAt,
    closedAt: t.closedAt,
  };
}

/** Resting SELL/CLOSE orders whose position is gone: their tag closed, or (untagged) the symbol holds nothing. */
function cancelOrphanedExits(d: Draft, symbol: string): void {
  const open = new Set(d.ledger.positions.map((p) => p.tag));
  const holds = d.ledger.positions.some((p) => p.symbol === symbol);
  for (const o of d.orders.slice()) {
    if (o.purpose === 'entry' || o.symbol !== symbol) continue;
    if (o.tag === null ? !holds : !open.has(o.tag)) {
      cancelOrder(d, o, 'noPosition', o.tag === null ? `no open position in ${symbol} is left to sell` : `position ${o.tag} is closed`);
    }
  }
}

/** Removes a resting order and records why. */
export function cancelOrder(d: Draft, order: RestingOrder, reason: CancelReason, detail: string): void {
  const i = d.orders.indexOf(order);
  if (i < 0) return;
  ownOrders(d).splice(i, 1);
  d.events.push({ type: 'order.canceled', tsMs: d.nowMs, order, reason, detail });
}

/** Removes a resting order that filled. */
export function removeOrder(d: Draft, order: RestingOrder): void {
  const i = d.orders.indexOf(order);
  if (i >= 0) ownOrders(d).splice(i, 1);
}

/**
 * Marks equity exactly into the risk state, then evaluates and records the halt and rollback
 * triggers; a new halt cancels every resting entry (nothing new opens while halted; exits stay).
 * The evaluation itself (bigint arithmetic over every condition) is skipped when `mightTrigger`
 * shows no condition within reach; `force` evaluates regardless.
 */
export function markAndTrigger(d: Draft, force = false): void {
  const equity = exactEquity(d);
  d.risk = onEquity(d.risk, equity);
  syncGauge(d);
  if (force || mightTrigger(d, approx(equity))) {
    const { state, fired } = applyTriggers(d.risk, d.config.limits, d.nowMs);
    d.risk = state;
    if (fired.halt) {
      d.events.push({ type: 'risk.halted', tsMs: d.nowMs, halt: fired.halt });
      for (const o of d.orders.slice()) {
        if (o.purpose === 'entry') cancelOrder(d, o, 'halted', `trading halted (${fired.halt.kind}): ${fired.halt.reason}`);
      }
    }
    if (fired.rollback) d.events.push({ type: 'strategy.rollbackRequested', tsMs: d.nowMs, rollback: fired.rollback });
    syncGauge(d);
  }
}

/** Relative margin of the float pre-screens; float64 equity is within ~1e-15 of the exact value. */
export const SCREEN_MARGIN = 1e-9;

/**
 * Whether any halt or rollback trigger could fire or change something at float equity `equity`:
 * a condition within `SCREEN_MARGIN` of its limit (or beyond it) whose outcome is not already in
 * place (a sticky halt makes drawdown moot; any halt makes the daily loss moot; a rollback
 * already requested today or for this streak makes its condition moot unless the halt could still
 * change). False means `applyTriggers` would return the state unchanged, so it can be skipped.
 * Reads the risk figures through the gauge, which `syncGauge` keeps current.
 */
export function mightTrigger(d: Draft, equity: number): boolean {
  const risk = d.risk;
  const limits = d.config.limits;
  const g = d.gauge;
  const m = SCREEN_MARGIN;
  const base = g.startOfDay > 0 ? g.startOfDay : equity;
  const halted = risk.halt !== null;
  const sticky = halted && !HALT_CLEARS_AT_NEW_DAY[risk.halt!.kind];
  if (!sticky && g.peak > 0 && g.peak - equity > g.peak * (limits.maxDrawdownPct - m)) return true;
  if (!halted) {
    const loss = limits.dailyLossIncludesUnrealized ? base - equity : -g.realizedToday;
    if (loss > base * (limits.maxDailyLossPct - m)) return true;
  }
  if ((!halted || !risk.rolledBackToday) && base - equity > base * (limits.rollbackDailyLossPct - m)) return true;
  if (risk.consecutiveLosses >= limits.rollbackConsecutiveLosses && !(sticky && risk.rolledBackThisStreak)) return true;
  return false;
}

/** Re-reads the float mirrors of the risk figures the pre-screens use. */
export function syncGauge(d: Draft): void {
  const r = d.risk;
  const g = d.gauge;
  const peak = approx(r.peakEquity);
  const startOfDay = approx(r.startOfDayEquity);
  const realizedToday = approx(r.realizedPnlToday);
  if (peak !== g.peak || startOfDay !== g.startOfDay || realizedToday !== g.realizedToday) d.gauge = { cash: g.cash, peak, startOfDay, realizedToday };
}

/** True when any open position is in `symbolIndex`. */
export function holds(d: Draft, symbolIndex: number): boolean {
  for (const s of d.shadows) if (s.symbolIndex === symbolIndex) return true;
  return false;
}

