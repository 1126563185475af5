import { type Fixed, ONE, ZERO, div, max, min, mul, toString } from '../money/index.ts';
import { assertDayKey, assertLevel, assertNonNegative, assertPositive, assertSymbol, assertTimestamp } from './checks.ts';
import { addFill, dayFor } from './day.ts';
import { adverseExcursion } from './mae.ts';
import { formatAutoTag, raiseTagCounters, tagSymbol } from './tags.ts';
import type {
  BuyBooked,
  BuyFill,
  ClosedTrade,
  FillInput,
  Ledger,
  LedgerMode,
  LedgerRejection,
  LedgerResult,
  ModifyInput,
  Position,
  SellBooked,
  SellFill,
} from './types.ts';

/** Options of a fresh ledger. */
export interface LedgerOptions {
  /** Quote units, ≥ 0. Persist it once; never re-derive it from config (L1). */
  readonly startingCapital: Fixed;
  readonly mode: LedgerMode;
  /** Automatic-tag prefix, default "auto". */
  readonly tagPrefix?: string;
}

/** A ledger with only cash. Pure; throws on a negative starting capital or an empty/odd prefix. */
export function createLedger(options: LedgerOptions): Ledger {
  assertNonNegative('startingCapital', options.startingCapital);
  const tagPrefix = options.tagPrefix ?? 'auto';
  if (!/^[A-Za-z0-9]+$/.test(tagPrefix)) throw new RangeError(`tagPrefix must be letters/digits only, got ${JSON.stringify(tagPrefix)}`);
  return {
    mode: options.mode,
    tagPrefix,
    startingCapital: options.startingCapital,
    cash: options.startingCapital,
    positions: [],
    nextSeq: 1,
    tagCounters: {},
    realizedPnl: ZERO,
    feesPaid: ZERO,
    capitalNet: ZERO,
    today: null,
  };
}

/** The open position with `tag`, or undefined. Pure. */
export function findPosition(ledger: Ledger, tag: string): Position | undefined {
  return ledger.positions.find((p) => p.tag === tag);
}

/** Open positions of `symbol` in FIFO order. Pure. */
export function positionsOf(ledger: Ledger, symbol: string): readonly Position[] {
  return ledger.positions.filter((p) => p.symbol === symbol);
}

/** Average entry price of a position = costBasis / qty (quote per base, rounded half-even). Pure. */
export function avgEntry(position: Position): Fixed {
  return div(position.costBasis, position.qty);
}

/** The next automatic tag for `symbol` (never reused; bumped past any open tag on collision). Pure. */
export function nextAutoTag(ledger: Ledger, symbol: string): string {
  return formatAutoTag(ledger.tagPrefix, symbol, nextAutoNumber(ledger, symbol));
}

function nextAutoNumber(ledger: Ledger, symbol: string): number {
  let n = (ledger.tagCounters[tagSymbol(symbol)] ?? 0) + 1;
  while (ledger.positions.some((p) => p.tag === formatAutoTag(ledger.tagPrefix, symbol, n))) n++;
  return n;
}

/** Books a buy or a sell. See `applyBuy` / `applySell`. Pure. */
export function applyFill(ledger: Ledger, fill: FillInput): LedgerResult<Partial<BuyBooked & SellBooked>> {
  return fill.side === 'buy' ? applyBuy(ledger, fill) : applySell(ledger, fill);
}

/**
 * Books a BUY fill (predecessor §3): no tag → new position with the next automatic tag; an open
 * tag of the same symbol → average in (qty, cost basis and entry fees add up; the average entry
 * follows); a new explicit tag → new position. Cash falls by qty·price + fee.
 * Refusals: `insufficientCash` in paper mode when cash would go negative (never sized down: the
 * caller sized the order, and a silently smaller position would break its risk arithmetic);
 * `tagSymbolMismatch` when the tag is open on another symbol. Throws on corrupt input
 * (qty/price ≤ 0, fee < 0, bad timestamp or day key, non-positive SL/TP).
 */
export function applyBuy(ledger: Ledger, fill: BuyFill): LedgerResult<BuyBooked> {
  checkFill(fill);
  assertLevel('stopLoss', fill.stopLoss);
  assertLevel('takeProfit', fill.takeProfit);
  const notional = mul(fill.qty, fill.price);
  const required = notional + fill.fee;
  if (ledger.mode === 'paper' && ledger.cash - required < 0n) {
    return refuse({
      code: 'insufficientCash',
      required,
      available: ledger.cash,
      message: `insufficient cash: BUY ${toString(fill.qty)} ${fill.symbol} @ ${toString(fill.price)} needs ${toString(required)} (notional ${toString(notional)} + fee ${toString(fill.fee)}), cash is ${toString(ledger.cash)}`,
    });
  }
  const existing = fill.tag === undefined ? undefined : findPosition(ledger, fill.tag);
  if (existing && existing.symbol !== fill.symbol) return refuse(mismatch(existing, fill.symbol));

  const day = addFill(dayFor(ledger.today, fill.dayKey), fill.fee, ZERO);
  const base = { ...ledger, cash: ledger.cash - required, feesPaid: ledger.feesPaid + fill.fee, today: day };

  if (existing) {
    const averaged: Position = {
      ...existing,
      qty: existing.qty + fill.qty,
      costBasis: existing.costBasis + notional,
      entryFees: existing.entryFees + fill.fee,
      stopLoss: fill.stopLoss === undefined ? existing.stopLoss : fill.stopLoss,
      takeProfit: fill.takeProfit === undefined ? existing.takeProfit : fill.takeProfit,
      intent: fill.intent ?? existing.intent,
      lastPrice: fill.price,
    };
    return { ok: true, ledger: { ...base, positions: ledger.positions.map((p) => (p === existing ? averaged : p)) }, tag: existing.tag, opened: false };
  }

  const auto = fill.tag === undefined ? nextAutoNumber(ledger, fill.symbol) : 0;
  const tag = fill.tag ?? formatAutoTag(ledger.tagPrefix, fill.symbol, auto);
  const opened: Position = {
    tag,
    symbol: fill.symbol,
    qty: fill.qty,
    costBasis: notional,
    entryFees: fill.fee,
    openedAt: fill.tsEvent,
    seq: ledger.nextSeq,
    stopLoss: fill.stopLoss ?? null,
    takeProfit: fill.takeProfit ?? null,
    intent: fill.intent ?? 'DAY',
    lastPrice: fill.price,
    mae: ZERO,
  };
  return {
    ok: true,
    ledger: {
      ...base,
      positions: insertFifo(ledger.positions, opened),
      nextSeq: ledger.nextSeq + 1,
      tagCounters:
        fill.tag === undefined
          ? { ...ledger.tagCounters, [tagSymbol(fill.symbol)]: auto }
          : raiseTagCounters(ledger.tagCounters, ledger.tagPrefix, [tag]),
    },
    tag,
    opened: true,
  };
}

/**
 * Books a SELL fill: from the tagged position, or FIFO (oldest first) across the symbol's
 * positions when untagged. Each position touched yields a `ClosedTrade` with its exact pro-rata
 * share of cost basis and entry fees, its share of the exit proceeds and fee, and
 * pnl = proceeds − cost − entryFee − exitFee (= (exit − avgEntry)·qty − fees). A position that
 * reaches exactly zero is removed. Cash rises by qty·price − fee.
 * Refusals: `unknownTag`, `tagSymbolMismatch`, `noPosition`, `insufficientQuantity` (selling more
 * than is held: use `sellQuantity`/`closeQuantity` to size), `insufficientCash` in paper mode if a
 * fee above the proceeds would make cash negative. Throws on corrupt input.
 */
export function applySell(ledger: Ledger, fill: SellFill): LedgerResult<SellBooked> {
  checkFill(fill);
  const targets = sellTargets(ledger, fill.symbol, fill.tag);
  if (!targets.ok) return targets;
  const available = targets.positions.reduce((s, p) => s + p.qty, ZERO);
  if (fill.qty > available) {
    return refuse({
      code: 'insufficientQuantity',
      requested: fill.qty,
      available,
      message: `cannot sell ${toString(fill.qty)} ${fill.symbol}${fill.tag ? ` from ${fill.tag}` : ''}: only ${toString(available)} held`,
    });
  }
  const proceedsTotal = mul(fill.qty, fill.price);
  const cashAfter = ledger.cash + proceedsTotal - fill.fee;
  if (ledger.mode === 'paper' && cashAfter < 0n) {
    return refuse({
      code: 'insufficientCash',
      required: fill.fee - proceedsTotal,
      available: ledger.cash,
      message: `insufficient cash: SELL fee ${toString(fill.fee)} exceeds proceeds ${toString(proceedsTotal)} by more than cash ${toString(ledger.cash)}`,
    });
  }

  const closedTrades: ClosedTrade[] = [];
  const closedTags: string[] = [];
  const replaced = new Map<string, Position | null>();
  let remaining = fill.qty;
  let proceedsLeft = proceedsTotal;
  let feeLeft = fill.fee;
  let realized = ZERO;
  for (const position of targets.positions) {
    if (remaining === 0n) break;
    const part = min(remaining, position.qty);
    const last = part === remaining;
    // Shares of the fill: the last part takes the remainder so the parts sum exactly.
    const proceeds = last ? proceedsLeft : mul(part, fill.price);
    const exitFee = last ? feeLeft : proRata(fill.fee, part, fill.qty);
    const costBasis = proRata(position.costBasis, part, position.qty);
    const entryFee = proRata(position.entryFees, part, position.qty);
    const pnl = proceeds - costBasis - entryFee - exitFee;
    const mae = max(position.mae, adverseExcursion(avgEntry(position), fill.price));
    closedTrades.push({
      symbol: position.symbol,
      tag: position.tag,
      intent: position.intent,
      qty: part,
      entryPrice: div(costBasis, part),
      exitPrice: fill.price,
      costBasis,
      proceeds,
      entryFee,
      exitFee,
      fees: entryFee + exitFee,
      pnl,
      pnlFraction: costBasis === 0n ? ZERO : div(pnl, costBasis),
      openedAt: position.openedAt,
      closedAt: fill.tsEvent,
      closeReason: fill.reason ?? 'signal',
      mae,
    });
    if (part === position.qty) {
      replaced.set(position.tag, null);
      closedTags.push(position.tag);
    } else {
      replaced.set(position.tag, {
        ...position,
        qty: position.qty - part,
        costBasis: position.costBasis - costBasis,
        entryFees: position.entryFees - entryFee,
        lastPrice: fill.price,
        mae,
      });
    }
    realized += pnl;
    remaining -= part;
    proceedsLeft -= proceeds;
    feeLeft -= exitFee;
  }

  const positions: Position[] = [];
  for (const p of ledger.positions) {
    const r = replaced.get(p.tag);
    if (r === undefined) positions.push(p);
    else if (r !== null) positions.push(r);
  }
  return {
    ok: true,
    ledger: {
      ...ledger,
      cash: cashAfter,
      positions,
      realizedPnl: ledger.realizedPnl + realized,
      feesPaid: ledger.feesPaid + fill.fee,
      today: addFill(dayFor(ledger.today, fill.dayKey), fill.fee, realized),
    },
    closedTrades,
    closedTags,
  };
}

/**
 * Quantity a CLOSE must sell: the tagged position's qty, or the total of the symbol's positions
 * when untagged (predecessor §3). Book the resulting fill with `applySell` and the same tag (or
 * none) to close exactly those positions. Pure.
 */
export function closeQuantity(ledger: Ledger, symbol: string, tag?: string): { ok: true; qty: Fixed } | { ok: false; reason: LedgerRejection } {
  const targets = sellTargets(ledger, symbol, tag);
  return targets.ok ? { ok: true, qty: targets.positions.reduce((s, p) => s + p.qty, ZERO) } : targets;
}

/**
 * Quantity a SELL of `requested` base units may book: min(requested, held by the tag or by the
 * symbol), as the predecessor clamps (§3). Pure; throws on requested ≤ 0.
 */
export function sellQuantity(ledger: Ledger, symbol: string, tag: string | undefined, requested: Fixed): { ok: true; qty: Fixed } | { ok: false; reason: LedgerRejection } {
  assertPositive('requested qty', requested);
  const held = closeQuantity(ledger, symbol, tag);
  return held.ok ? { ok: true, qty: min(requested, held.qty) } : held;
}

/**
 * MODIFY: changes stop-loss, take-profit and/or intent of one tag, fee-free, no trade record.
 * `undefined` keeps a field, `null` clears a level. Refusals: `unknownTag`; `noChange` when
 * nothing would differ (the predecessor's `execution_failed`). Throws on non-positive levels.
 */
export function applyModify(ledger: Ledger, input: ModifyInput): LedgerResult {
  assertLevel('stopLoss', input.stopLoss);
  assertLevel('takeProfit', input.takeProfit);
  const position = findPosition(ledger, input.tag);
  if (!position) return refuse(unknownTag(input.tag));
  const next: Position = {
    ...position,
    stopLoss: input.stopLoss === undefined ? position.stopLoss : input.stopLoss,
    takeProfit: input.takeProfit === undefined ? position.takeProfit : input.takeProfit,
    intent: input.intent ?? position.intent,
  };
  if (next.stopLoss === position.stopLoss && next.takeProfit === position.takeProfit && next.intent === position.intent) {
    return refuse({ code: 'noChange', tag: input.tag, message: `MODIFY ${input.tag} changes nothing: stop-loss, take-profit and intent are already as given` });
  }
  return { ok: true, ledger: { ...ledger, positions: ledger.positions.map((p) => (p === position ? next : p)) } };
}

/** x × part / whole with one half-even rounding; exactly x when part = whole. */
function proRata(x: Fixed, part: Fixed, whole: Fixed): Fixed {
  return part === whole ? x : div(x * part, whole * ONE);
}

function sellTargets(ledger: Ledger, symbol: string, tag: string | undefined): { ok: true; positions: readonly Position[] } | { ok: false; reason: LedgerRejection } {
  if (tag !== undefined) {
    const position = findPosition(ledger, tag);
    if (!position) return refuse(unknownTag(tag));
    if (position.symbol !== symbol) return refuse(mismatch(position, symbol));
    return { ok: true, positions: [position] };
  }
  const positions = positionsOf(ledger, symbol);
  if (positions.length === 0) return refuse({ code: 'noPosition', symbol, message: `no open position in ${symbol}` });
  return { ok: true, positions };
}

function insertFifo(positions: readonly Position[], p: Position): Position[] {
  const i = positions.findIndex((q) => q.openedAt > p.openedAt);
  return i < 0 ? [...positions, p] : [...positions.slice(0, i), p, ...positions.slice(i)];
}

function checkFill(fill: FillInput): void {
  assertSymbol(fill.symbol);
  assertPositive(`${fill.side} qty`, fill.qty);
  assertPositive(`${fill.side} price`, fill.price);
  assertNonNegative(`${fill.side} fee`, fill.fee);
  assertTimestamp('tsEvent', fill.tsEvent);
  assertDayKey(fill.dayKey);
  if (fill.tag !== undefined && fill.tag.trim() === '') throw new RangeError('tag must be non-empty when given');
}

function unknownTag(tag: string): LedgerRejection {
  return { code: 'unknownTag', tag, message: `no open position with tag ${JSON.stringify(tag)}` };
}

function mismatch(position: Position, symbol: string): LedgerRejection {
  return {
    code: 'tagSymbolMismatch',
    tag: position.tag,
    symbol,
    positionSymbol: position.symbol,
    message: `tag ${JSON.stringify(position.tag)} is a ${position.symbol} position, not ${symbol}`,
  };
}

function refuse(reason: LedgerRejection): { ok: false; reason: LedgerRejection } {
  return { ok: false, reason };
}
