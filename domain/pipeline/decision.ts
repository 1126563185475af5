/**
 * The one place where a strategy's raw output becomes orders and fills, in paper, live-shadow and
 * backtest alike: parse (`parseStrategyOutput`, untrusted) → per signal, in order: risk check
 * (`checkSignal`, BUY only) → sizing (size × total value, then the pair's lot and minimum rules)
 * → order (MARKET fills now at the mid ± spread/2 ± slippage; a LIMIT fills now as a taker if
 * marketable, else rests) → ledger booking → risk counters and triggers. Each signal sees the
 * books as the previous one left them, and triggers are evaluated after every booking, so a halt
 * fired by one signal stops the next entry in the same batch. Pure.
 */
import {
  type BuySignal,
  type CloseSignal,
  type ModifySignal,
  type SellSignal,
  type Signal,
  parseStrategyOutput,
} from '../contract/index.ts';
import {
  type PreparedOrder,
  type Quote,
  exitQty,
  fillMarketOrder,
  marketPrice,
  prepareOrder,
  qtyForNotional,
  submitLimitOrder,
} from '../execution/index.ts';
import { type Fixed, ONE, ZERO, div, fromNumber, mul } from '../money/index.ts';
import { applyModify, closeQuantity, findPosition, sellQuantity } from '../portfolio/index.ts';
import { type RiskPosition, checkSignal, tradeValue } from '../risk/index.ts';
import {
  type Draft,
  PipelineError,
  bookBuy,
  bookSell,
  commit,
  currentFees,
  exactEquity,
  midOf,
  openDraft,
  ownOrders,
  refreshViews,
} from './draft.ts';
import type { OrderPurpose, PipelineConfig, PipelineEvent, PipelineResult, PipelineState, RejectionStage, RestingOrder } from './types.ts';

const NO_EVENTS: readonly PipelineEvent[] = Object.freeze([]);

/** One strategy decision to apply. */
export interface DecisionInput {
  /** When the strategy decided (the step's time), ms since epoch. */
  readonly nowMs: number;
  /** The strategy's raw output: a signal array or `{ signals, regime }`. Untrusted. */
  readonly output: unknown;
  /** The module's `regime` attribute, if it has one; an output's own `regime` wins. */
  readonly regime?: string | null;
}

/** The next state, the events, and the regime label that was in force. */
export interface DecisionResult extends PipelineResult {
  readonly regime: string | null;
}

/**
 * Applies one decision (see the module doc). Rejections are events (`signal.rejected` with the
 * stage, the risk check or rejection code, and a reason naming the numbers), never exceptions.
 * Throws `PipelineError` only when called out of order: `nowMs` before the last processed time,
 * or in a local day `advanceMarket` has not rolled into yet.
 */
export function applyDecision(state: PipelineState, config: PipelineConfig, input: DecisionInput): DecisionResult {
  const { nowMs, output } = input;
  if (!Number.isSafeInteger(nowMs) || nowMs < state.nowMs) throw new PipelineError(`nowMs must be an integer ≥ the last processed time ${state.nowMs}, got ${nowMs}`);
  if (nowMs >= state.dayEndsAtMs) throw new PipelineError(`nowMs ${nowMs} is in a later local day than the state; call advanceMarket for it first`);
  const moduleRegime = input.regime ?? null;
  if (Array.isArray(output) && output.length === 0) {
    return { state: nowMs === state.nowMs ? state : { ...state, nowMs }, events: NO_EVENTS, regime: moduleRegime };
  }
  const d = openDraft(state, config, nowMs);
  const parsed = parseStrategyOutput(output, { symbols: config.symbols, prices: currentPrices(d) });
  if (!parsed.ok) {
    d.events.push({ type: 'signal.rejected', tsMs: nowMs, index: null, signal: null, stage: 'parse', code: 'invalidOutput', reason: parsed.reason, regime: moduleRegime });
    return { ...commit(d), regime: moduleRegime };
  }
  const regime = parsed.regime ?? moduleRegime;
  for (const result of parsed.results) {
    if (!result.ok) {
      d.events.push({ type: 'signal.rejected', tsMs: nowMs, index: result.index, signal: null, stage: 'parse', code: 'invalidSignal', reason: result.reason, regime });
      continue;
    }
    const outcome = handleSignal(d, result.signal);
    if (outcome === null) d.events.push({ type: 'signal.accepted', tsMs: nowMs, index: result.index, signal: result.signal, regime });
    else d.events.push({ type: 'signal.rejected', tsMs: nowMs, index: result.index, signal: result.signal, regime, ...outcome });
  }
  return { ...commit(d), regime };
}

/** Why one signal was turned down; null when it was acted on. */
type Rejection = { readonly stage: RejectionStage; readonly code: string | null; readonly reason: string } | null;

function reject(stage: RejectionStage, code: string | null, reason: string): Rejection {
  return { stage, code, reason };
}

function currentPrices(d: Draft): Record<string, number> {
  const prices: Record<string, number> = {};
  d.marks.forEach((m, i) => {
    if (m) prices[d.config.symbols[i]!] = m.close;
  });
  return prices;
}

function handleSignal(d: Draft, signal: Signal): Rejection {
  const index = d.config.indexOf.get(signal.symbol)!;
  if (signal.action === 'MODIFY') return modify(d, signal);
  const mid = midOf(d, index);
  if (mid === null) return reject('market', 'noPrice', `no candle of ${signal.symbol} has closed yet, so there is no price to trade at`);
  const quote: Quote = { mid, spread: d.config.markets[index]!.spread };
  switch (signal.action) {
    case 'BUY':
      return buy(d, index, signal, quote);
    case 'SELL':
    case 'CLOSE':
      return sell(d, index, signal, quote);
  }
}

function slippageOf(signal: BuySignal | SellSignal | CloseSignal): Fixed | undefined {
  return signal.slippageTolerance === undefined ? undefined : fromNumber(signal.slippageTolerance);
}

/** Open positions plus resting entries, valued for the exposure and position-count checks. */
function riskPositions(d: Draft): RiskPosition[] {
  const out: RiskPosition[] = d.ledger.positions.map((p) => ({ tag: p.tag, symbol: p.symbol, qty: p.qty, price: midOf(d, d.config.indexOf.get(p.symbol)!) ?? p.lastPrice }));
  for (const o of d.orders) {
    if (o.purpose !== 'entry') continue;
    const pending = mul(o.order.qty, o.order.limitPrice!);
    const at = o.tag === null ? -1 : out.findIndex((p) => p.tag === o.tag && p.symbol === o.symbol);
    if (at >= 0) {
      // An average-in adds exposure to its tag but no new position: carry the total value (qty 1 × value).
      const held = out[at]!;
      out[at] = { tag: held.tag, symbol: held.symbol, qty: ONE, price: mul(held.qty, held.price) + pending };
    } else {
      out.push({ tag: o.tag ?? `order:${o.id}`, symbol: o.symbol, qty: o.order.qty, price: o.order.limitPrice! });
    }
  }
  return out;
}

function buy(d: Draft, index: number, signal: BuySignal, quote: Quote): Rejection {
  const { config } = d;
  const market = config.markets[index]!;
  const equity = exactEquity(d);
  const verdict = checkSignal(signal, d.risk, config.limits, { nowMs: d.nowMs, timeZone: config.timeZone, equity, positions: riskPositions(d) });
  if (!verdict.ok) return reject('risk', verdict.check, verdict.reason);
  const value = tradeValue(signal, equity);
  const slippage = slippageOf(signal);
  const limitPrice = signal.orderType === 'LIMIT' ? fromNumber(signal.limitPrice!) : undefined;
  const sizingPrice = limitPrice ?? marketPrice('buy', quote, slippage ?? config.slippage, market.rules);
  const qty = qtyForNotional(value, sizingPrice, market.rules);
  if (qty === ZERO) {
    return reject('order', 'sizeTooSmall', `size ${signal.size} of portfolio value is ${value} quote, which buys nothing at ${sizingPrice} with ${market.rules.lotDecimals} lot decimals`);
  }
  const prepared = prepareOrder({ side: 'buy', type: signal.orderType, qty, ...(limitPrice ? { limitPrice } : {}), ...(slippage ? { slippage } : {}) }, market.rules, sizingPrice);
  if (!prepared.ok) return reject('order', prepared.reason.code, prepared.reason.message);
  const spec = {
    tag: signal.tag ?? null,
    stopLoss: signal.stopLoss === undefined ? undefined : fromNumber(signal.stopLoss),
    takeProfit: signal.takeProfit === undefined ? undefined : fromNumber(signal.takeProfit),
    intent: signal.intent,
  };
  let fill;
  if (signal.orderType === 'MARKET') {
    fill = fillMarketOrder(prepared.order, quote, currentFees(d), market.rules, config.slippage);
  } else {
    const submitted = submitLimitOrder(prepared.order, quote, currentFees(d), market.rules, config.slippage);
    if (submitted.status === 'resting') {
      rest(d, signal, 'entry', prepared.order, spec.tag, spec.stopLoss ?? null, spec.takeProfit ?? null, signal.intent);
      return null;
    }
    fill = submitted.fill;
  }
  const booked = bookBuy(d, index, fill, spec, { orderId: null, orderType: signal.orderType, source: 'signal', signal });
  return booked.ok ? null : reject('ledger', booked.reason.code, booked.reason.message);
}

function sell(d: Draft, index: number, signal: SellSignal | CloseSignal, quote: Quote): Rejection {
  const { config } = d;
  const market = config.markets[index]!;
  const tag = signal.tag;
  let qty: Fixed;
  if (signal.action === 'CLOSE') {
    const held = closeQuantity(d.ledger, signal.symbol, tag);
    if (!held.ok) return reject('ledger', held.reason.code, held.reason.message);
    qty = held.qty;
  } else {
    // qty = size × total value / price, capped at the holding (predecessor §3), never leaving dust.
    const requested = div(mul(fromNumber(signal.size), exactEquity(d)), quote.mid, 'floor');
    if (requested <= ZERO) return reject('order', 'sizeTooSmall', `size ${signal.size} of portfolio value sells nothing at ${quote.mid}`);
    const capped = sellQuantity(d.ledger, signal.symbol, tag, requested);
    if (!capped.ok) return reject('ledger', capped.reason.code, capped.reason.message);
    const held = closeQuantity(d.ledger, signal.symbol, tag);
    qty = exitQty(capped.qty, held.ok ? held.qty : capped.qty, market.rules);
  }
  const slippage = slippageOf(signal);
  const limitPrice = signal.orderType === 'LIMIT' ? fromNumber(signal.limitPrice!) : undefined;
  const prepared = prepareOrder(
    { side: 'sell', type: signal.orderType, qty, ...(limitPrice ? { limitPrice } : {}), ...(slippage ? { slippage } : {}) },
    market.rules,
    limitPrice ?? quote.mid,
  );
  if (!prepared.ok) return reject('order', prepared.reason.code, prepared.reason.message);
  let fill;
  if (signal.orderType === 'MARKET') {
    fill = fillMarketOrder(prepared.order, quote, currentFees(d), market.rules, config.slippage);
  } else {
    const submitted = submitLimitOrder(prepared.order, quote, currentFees(d), market.rules, config.slippage);
    if (submitted.status === 'resting') {
      rest(d, signal, signal.action === 'CLOSE' ? 'close' : 'reduce', prepared.order, tag ?? null, null, null, null);
      return null;
    }
    fill = submitted.fill;
  }
  const refused = bookSell(d, index, fill, tag ?? null, 'signal', { orderId: null, orderType: signal.orderType, source: 'signal', signal });
  return refused === null ? null : reject('ledger', refused.code, refused.message);
}

function modify(d: Draft, signal: ModifySignal): Rejection {
  const position = findPosition(d.ledger, signal.tag);
  if (position && position.symbol !== signal.symbol) {
    return reject('ledger', 'tagSymbolMismatch', `tag ${JSON.stringify(signal.tag)} is a ${position.symbol} position, not ${signal.symbol}`);
  }
  const r = applyModify(d.ledger, {
    tag: signal.tag,
    ...(signal.stopLoss === undefined ? {} : { stopLoss: fromNumber(signal.stopLoss) }),
    ...(signal.takeProfit === undefined ? {} : { takeProfit: fromNumber(signal.takeProfit) }),
    ...(signal.intent === undefined ? {} : { intent: signal.intent }),
  });
  if (!r.ok) return reject('ledger', r.reason.code, r.reason.message);
  d.ledger = r.ledger;
  refreshViews(d);
  d.events.push({ type: 'position.modified', tsMs: d.nowMs, tag: signal.tag, symbol: signal.symbol });
  return null;
}

function rest(
  d: Draft,
  signal: Signal,
  purpose: OrderPurpose,
  order: PreparedOrder,
  tag: string | null,
  stopLoss: Fixed | null,
  takeProfit: Fixed | null,
  intent: RestingOrder['intent'],
): void {
  const resting: RestingOrder = {
    id: d.nextOrderId++,
    symbol: signal.symbol,
    purpose,
    order,
    tag,
    stopLoss,
    takeProfit,
    intent,
    placedAtMs: d.nowMs,
    expiresAtMs: d.nowMs + d.config.limitOrderTtlMs,
    signal,
  };
  ownOrders(d).push(resting);
  d.events.push({ type: 'order.placed', tsMs: d.nowMs, order: resting });
}

