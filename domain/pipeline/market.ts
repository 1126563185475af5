/**
 * Per-candle processing: what the market did to the fund while the strategy was not asked.
 * For each closed 5m candle, in this order: the local day rolls (daily snapshot, counters reset);
 * stop-loss / take-profit exits of positions held through the candle (stop first when both
 * levels are inside the range, gaps filled at the open); resting LIMIT orders the candle trades
 * through; the mark (close) and the MAE low; expiries; then the equity mark and the halt /
 * rollback triggers. Pure.
 */
import type { Candle } from '../market/index.ts';
import { TIMEFRAME_MS } from '../market/index.ts';
import { exitQty, fillExit, findExitTrigger, matchLimitOrder } from '../execution/index.ts';
import { onEquity, resetIfNewDay } from '../risk/index.ts';
import { closeQuantity, findPosition } from '../portfolio/index.ts';
import { min } from '../money/index.ts';
import { nextLocalMidnight } from '../time/index.ts';
import {
  type Draft,
  PipelineError,
  bookBuy,
  bookSell,
  cancelOrder,
  commit,
  currentFees,
  exactEquity,
  floatEquity,
  SCREEN_MARGIN as MARGIN,
  markAndTrigger,
  mightTrigger,
  openDraft,
  removeOrder,
  syncGauge,
} from './draft.ts';
import { rollFeeVolume } from './fees.ts';
import { approx } from './price.ts';
import type { PipelineConfig, PipelineEvent, PipelineResult, PipelineState, RestingOrder, SymbolMark } from './types.ts';

/** The candles that closed at one instant. */
export interface MarketStep {
  /** The simulated (backtest) or wall (paper) time, ms since epoch: every candle here closed at or before it. */
  readonly nowMs: number;
  /** One 5m candle per market, in `config.markets` order; null where a market has none at this step. */
  readonly candles: readonly (Candle | null)[];
}

const CANDLE_MS = TIMEFRAME_MS['5m'];

/**
 * Applies one step of closed 5m candles to the fund (see the module doc for the order). Returns
 * the next state and the events (`day.closed`, `order.filled`, `position.closed`,
 * `order.canceled`, `risk.halted`, `strategy.rollbackRequested`, …). Call it before
 * `applyDecision` for the same `nowMs`. Throws `PipelineError` when time goes backwards, a
 * candle has not closed by `nowMs`, a candle repeats or precedes the market's last one, or the
 * candle list does not match the markets.
 */
export function advanceMarket(state: PipelineState, config: PipelineConfig, step: MarketStep): PipelineResult {
  const { nowMs, candles } = step;
  if (candles.length !== config.markets.length) {
    throw new PipelineError(`expected one candle slot per market (${config.markets.length}: ${config.symbols.join(', ')}), got ${candles.length}`);
  }
  if (!Number.isSafeInteger(nowMs) || nowMs < state.nowMs) {
    throw new PipelineError(`nowMs must be an integer ≥ the last processed time ${state.nowMs}, got ${nowMs}`);
  }
  const feeVolume = rollFeeVolume(state.feeVolume, nowMs);
  if (state.shadows.length === 0 && state.orders.length === 0 && nowMs < state.dayEndsAtMs) return quietStep(state, config, step, feeVolume);
  const d = openDraft(state, config, nowMs);
  rollDay(d);
  d.feeVolume = feeVolume;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i];
    if (!c) continue;
    const prev = d.marks[i] ?? null;
    const closeMs = c.tsOpen + CANDLE_MS;
    checkCandle(config, i, c, closeMs, nowMs, prev);
    // The close marks the market now; the low joins the MAE only after this candle's fills.
    d.marks[i] = { close: c.close, low: prev === null ? Number.POSITIVE_INFINITY : prev.low, tsMs: closeMs };
    if (d.shadows.length > 0) exitPositions(d, i, c);
    if (d.orders.length > 0) matchOrders(d, i, c);
    const m = d.marks[i]!;
    if (c.low < m.low) d.marks[i] = { close: m.close, low: c.low, tsMs: m.tsMs };
  }
  if (d.orders.length > 0) expireOrders(d);
  screenEquity(d);
  return commit(d);
}

const NO_EVENTS: readonly PipelineEvent[] = Object.freeze([]);

/**
 * The common step with nothing open, nothing resting and no new day: only the marks move (there
 * is no position to exit or value, no order to match or expire, no day to roll), so no draft is
 * needed.
 */
function quietStep(state: PipelineState, config: PipelineConfig, step: MarketStep, feeVolume: PipelineState['feeVolume']): PipelineResult {
  const { nowMs, candles } = step;
  const marks = state.marks.slice();
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i];
    if (!c) continue;
    const prev = marks[i] ?? null;
    const closeMs = c.tsOpen + CANDLE_MS;
    checkCandle(config, i, c, closeMs, nowMs, prev);
    marks[i] = { close: c.close, low: prev === null || c.low < prev.low ? c.low : prev.low, tsMs: closeMs };
  }
  return {
    state: {
      ledger: state.ledger,
      risk: state.risk,
      orders: state.orders,
      nextOrderId: state.nextOrderId,
      feeVolume,
      marks,
      shadows: state.shadows,
      gauge: state.gauge,
      dayEndsAtMs: state.dayEndsAtMs,
      nowMs,
      recentTrades: state.recentTrades,
    },
    events: NO_EVENTS,
  };
}

function checkCandle(config: PipelineConfig, i: number, c: Candle, closeMs: number, nowMs: number, prev: SymbolMark | null): void {
  if (closeMs > nowMs) throw new PipelineError(`${config.symbols[i]} candle ${c.tsOpen} closes at ${closeMs}, after nowMs ${nowMs} (look-ahead)`);
  if (prev !== null && c.tsOpen < prev.tsMs) {
    throw new PipelineError(`${config.symbols[i]} candle ${c.tsOpen} starts before the end of the previous one (${prev.tsMs}): candles must arrive once, in order`);
  }
}

/** At the first step of a new local day: the closing snapshot of the old day, then the counter reset. */
function rollDay(d: Draft): void {
  if (d.nowMs < d.dayEndsAtMs) return;
  const equity = exactEquity(d);
  d.risk = onEquity(d.risk, equity);
  d.events.push({ type: 'day.closed', tsMs: d.nowMs, dayKey: d.risk.dayKey, equity, cash: d.ledger.cash });
  const before = d.risk.halt;
  d.risk = resetIfNewDay(d.risk, d.nowMs, d.config.timeZone);
  if (before !== null && d.risk.halt === null) d.events.push({ type: 'risk.haltCleared', tsMs: d.nowMs, halt: before });
  d.dayEndsAtMs = nextLocalMidnight(d.nowMs, d.config.timeZone);
  syncGauge(d);
}

/** Stop-loss / take-profit of positions in market `i` that were open before candle `c` started. */
function exitPositions(d: Draft, i: number, c: Candle): void {
  for (const s of d.shadows) {
    if (s.symbolIndex !== i || s.openedAt > c.tsOpen) continue;
    // Cheap reject: neither level is inside the candle's range (open lies within [low, high]).
    if (!(c.low <= s.stopLoss * (1 + MARGIN)) && !(c.high >= s.takeProfit * (1 - MARGIN))) continue;
    const position = findPosition(d.ledger, s.tag);
    if (!position) continue;
    const trigger = findExitTrigger(position, c);
    if (trigger === null) continue;
    triggerExit(d, i, position.tag, trigger);
  }
}

function triggerExit(d: Draft, i: number, tag: string, trigger: NonNullable<ReturnType<typeof findExitTrigger>>): void {
  const position = findPosition(d.ledger, tag)!;
  const market = d.config.markets[i]!;
  const fill = fillExit(trigger, position.qty, { spread: market.spread, slippage: d.config.slippage, fees: currentFees(d), rules: market.rules });
  const source = trigger.kind;
  const refused = bookSell(d, i, fill, tag, source === 'stopLoss' ? 'stop_loss' : 'take_profit', { orderId: null, orderType: 'MARKET', source, signal: null });
  if (refused !== null) throw new PipelineError(`the ledger refused a ${source} exit of ${tag}: ${refused.message}`);
}

/** Resting LIMIT orders of market `i` placed before candle `c` started. */
function matchOrders(d: Draft, i: number, c: Candle): void {
  const market = d.config.markets[i]!;
  for (const o of d.orders.slice()) {
    if (o.symbol !== market.symbol || o.placedAtMs > c.tsOpen || !d.orders.includes(o)) continue;
    const limit = approx(o.order.limitPrice!);
    if (o.order.side === 'buy' ? c.low > limit * (1 + MARGIN) : c.high < limit * (1 - MARGIN)) continue;
    if (o.purpose === 'entry') fillEntry(d, i, o, c);
    else fillRestingExit(d, i, o, c);
  }
}

function fillEntry(d: Draft, i: number, o: RestingOrder, c: Candle): void {
  const market = d.config.markets[i]!;
  const fill = matchLimitOrder(o.order, c, currentFees(d), market.rules, d.config.limitFillRule);
  if (fill === null) return;
  // The pre-trade checks ran at placement; the two counts that other fills can move since then
  // are checked again, so the daily entry limit and the position limit hold at every fill.
  const limits = d.config.limits;
  if (d.risk.entriesToday >= limits.maxDailyTrades) {
    cancelOrder(d, o, 'riskLimit', `${d.risk.entriesToday} entries today reach the limit of ${limits.maxDailyTrades} per day`);
    return;
  }
  const averaging = o.tag !== null && d.ledger.positions.some((p) => p.tag === o.tag && p.symbol === o.symbol);
  if (!averaging && d.ledger.positions.length >= limits.maxPositions) {
    cancelOrder(d, o, 'riskLimit', `${d.ledger.positions.length} open positions reach the limit of ${limits.maxPositions}`);
    return;
  }
  removeOrder(d, o);
  const booked = bookBuy(
    d,
    i,
    fill,
    { tag: o.tag, stopLoss: o.stopLoss ?? undefined, takeProfit: o.takeProfit ?? undefined, intent: o.intent ?? undefined },
    { orderId: o.id, orderType: 'LIMIT', source: 'limit', signal: o.signal },
  );
  if (!booked.ok) {
    d.events.push({ type: 'order.canceled', tsMs: d.nowMs, order: o, reason: 'insufficientCash', detail: booked.reason.message });
    return;
  }
  // The rest of the entry candle happened after the fill: the price went on to the candle's low
  // (a buy limit fills on the way down) and ended at its close; whether the high came before or
  // after the fill is unknown, so only the stop can fire here (pessimistic and exact).
  const tag = booked.tag;
  const position = findPosition(d.ledger, tag);
  if (!position) return;
  const price = approx(fill.price);
  const rest: Candle = { tsOpen: c.tsOpen, open: price, high: Math.max(price, c.close), low: Math.min(c.low, price), close: c.close, volume: c.volume };
  const trigger = findExitTrigger(position, rest);
  if (trigger !== null) triggerExit(d, i, tag, trigger);
}

function fillRestingExit(d: Draft, i: number, o: RestingOrder, c: Candle): void {
  const market = d.config.markets[i]!;
  const held = closeQuantity(d.ledger, o.symbol, o.tag ?? undefined);
  if (!held.ok) {
    cancelOrder(d, o, 'noPosition', held.reason.message);
    return;
  }
  const qty = o.purpose === 'close' ? held.qty : exitQty(min(o.order.qty, held.qty), held.qty, market.rules);
  const order = qty === o.order.qty ? o.order : { ...o.order, qty };
  const fill = matchLimitOrder(order, c, currentFees(d), market.rules, d.config.limitFillRule);
  if (fill === null) return;
  removeOrder(d, o);
  const refused = bookSell(d, i, fill, o.tag, 'signal', { orderId: o.id, orderType: 'LIMIT', source: 'limit', signal: o.signal });
  if (refused !== null) d.events.push({ type: 'order.canceled', tsMs: d.nowMs, order: o, reason: 'insufficientCash', detail: refused.message });
}

/** Orders whose lifetime ended by now (after this step's matching: the last candle of their life could still fill them). */
function expireOrders(d: Draft): void {
  for (const o of d.orders.slice()) {
    if (o.expiresAtMs <= d.nowMs) cancelOrder(d, o, 'expired', `unfilled after ${Math.round((o.expiresAtMs - o.placedAtMs) / 60_000)} min (limit ${approx(o.order.limitPrice!)})`);
  }
}

/**
 * The exact equity mark and triggers are costly (bigint), so a float64 pre-screen decides when
 * they can matter: a possible new peak (exact mark only), or a trigger within reach
 * (`mightTrigger`: mark and evaluate). Within the screen's margin the float equity cannot be
 * wrong about which side of a limit the exact equity is on, so this fires on exactly the steps
 * where marking every step exactly would (a property test compares both).
 */
function screenEquity(d: Draft): void {
  if (d.shadows.length === 0) return; // equity = cash, unchanged since the last booking's mark
  const equity = floatEquity(d);
  if (mightTrigger(d, equity)) markAndTrigger(d, true);
  else if (equity > d.gauge.peak * (1 - MARGIN)) {
    d.risk = onEquity(d.risk, exactEquity(d));
    syncGauge(d);
  }
}

/**
 * Marks equity exactly at the latest closes and evaluates the halt / rollback triggers now, as
 * every booking does. `advanceMarket` does this only when a float pre-screen says it can matter;
 * call it when an exact mark is wanted regardless (startup, operator request). Pure.
 */
export function markEquity(state: PipelineState, config: PipelineConfig, nowMs: number): PipelineResult {
  if (!Number.isSafeInteger(nowMs) || nowMs < state.nowMs) throw new PipelineError(`nowMs must be an integer ≥ the last processed time ${state.nowMs}, got ${nowMs}`);
  if (nowMs >= state.dayEndsAtMs) throw new PipelineError(`nowMs ${nowMs} is in a later local day than the state; call advanceMarket for it first`);
  const d = openDraft(state, config, nowMs);
  markAndTrigger(d, true);
  return commit(d);
}
