import { crc32 } from 'node:zlib';
import { type Fixed, ONE, div, fromNumber, mul, round, toFixed } from '../../domain/money/index.ts';
import type { PairSpec } from './pairs.ts';

/**
 * The synthetic order book around the replayed last price.
 *
 * Best bid = last × (1 − spread/2) rounded down to the tick, best ask = last × (1 + spread/2)
 * rounded up (so bid < last-or-equal < ask and the book never crosses). Deeper levels sit on a
 * fixed price grid (`step`, a multiple of the tick chosen once per market) strictly beyond the
 * touch. Each level's quantity is a deterministic pseudo-random multiple of
 * `levelNotional / last`, seeded by (pair, price, epoch) so a level keeps its size while the
 * epoch (the source candle) lasts. Pure.
 */

/** One price level. */
export interface Level {
  readonly price: Fixed;
  readonly qty: Fixed;
}

/** Book sides: bids descending, asks ascending. */
export interface BookLevels {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** Parameters of the synthetic book of one market. */
export interface BookShape {
  /** Total quoted spread in basis points (> 0). */
  readonly spreadBps: number;
  /** Distance between deeper levels (a multiple of the tick). */
  readonly step: Fixed;
  /** Typical level size in quote units. */
  readonly levelNotional: Fixed;
  readonly seed: number;
}

/** Best bid and ask for a last price. */
export function touch(pair: PairSpec, last: Fixed, spreadBps: number): { bid: Fixed; ask: Fixed } {
  const half = div(fromNumber(spreadBps), fromNumber(20_000));
  const bid = roundToTick(mul(last, ONE - half, 'floor'), pair.tickSize, 'floor');
  const ask = roundToTick(mul(last, ONE + half, 'ceil'), pair.tickSize, 'ceil');
  return { bid, ask: ask > bid ? ask : bid + pair.tickSize };
}

/** Rounds a price onto the tick grid. */
function roundToTick(price: Fixed, tick: Fixed, mode: 'floor' | 'ceil'): Fixed {
  const q = price / tick;
  const exact = q * tick === price;
  if (exact) return price;
  return (mode === 'floor' ? q : q + 1n) * tick;
}

/** The level grid step for a market: `stepBps` of the reference price, at least one tick. */
export function gridStep(pair: PairSpec, referencePrice: Fixed, stepBps: number): Fixed {
  const raw = roundToTick(div(mul(referencePrice, fromNumber(stepBps)), fromNumber(10_000)), pair.tickSize, 'floor');
  return raw < pair.tickSize ? pair.tickSize : raw;
}

/** The top `depth` levels of each side for a last price. */
export function bookLevels(pair: PairSpec, last: Fixed, epoch: number, depth: number, shape: BookShape): BookLevels {
  const { bid, ask } = touch(pair, last, shape.spreadBps);
  const bids: Level[] = [];
  const asks: Level[] = [];
  bids.push({ price: bid, qty: levelQty(pair, last, bid, epoch, shape) });
  asks.push({ price: ask, qty: levelQty(pair, last, ask, epoch, shape) });
  let b = roundToTick(bid, shape.step, 'floor');
  if (b === bid) b -= shape.step;
  while (bids.length < depth && b > 0n) {
    bids.push({ price: b, qty: levelQty(pair, last, b, epoch, shape) });
    b -= shape.step;
  }
  let a = roundToTick(ask, shape.step, 'ceil');
  if (a === ask) a += shape.step;
  while (asks.length < depth) {
    asks.push({ price: a, qty: levelQty(pair, last, a, epoch, shape) });
    a += shape.step;
  }
  return { bids, asks };
}

/**
 * True when `price` belongs to the (unbounded) ladder of the book for `last`: the touch itself or
 * a grid point beyond it. Levels that fall outside the subscribed depth but stay on the ladder
 * are "pushed out of scope" (not deleted); the others were really removed.
 */
export function onLadder(pair: PairSpec, last: Fixed, side: 'bid' | 'ask', price: Fixed, shape: BookShape): boolean {
  const { bid, ask } = touch(pair, last, shape.spreadBps);
  if (side === 'bid') return price === bid || (price < bid && price % shape.step === 0n);
  return price === ask || (price > ask && price % shape.step === 0n);
}

/**
 * Kraken's WS v2 book checksum (reference/kraken.md §11): top 10 asks ascending then top 10 bids
 * descending, each as price (pair decimals) and qty (lot decimals) with the dot removed and
 * leading zeros stripped, concatenated; CRC32 (IEEE) as an unsigned 32-bit integer.
 */
export function bookChecksum(pair: PairSpec, levels: BookLevels): number {
  const part = (l: Level): string =>
    strip(toFixed(l.price, pair.pairDecimals)) + strip(toFixed(l.qty, pair.lotDecimals));
  const text = levels.asks.slice(0, 10).map(part).join('') + levels.bids.slice(0, 10).map(part).join('');
  return crc32(text) >>> 0;
}

function strip(text: string): string {
  return text.replace('.', '').replace(/^0+/, '');
}

function levelQty(pair: PairSpec, last: Fixed, price: Fixed, epoch: number, shape: BookShape): Fixed {
  const u = hash01(`${pair.key}|${toFixed(price, pair.pairDecimals)}|${epoch}|${shape.seed}`);
  // Size between 0.2× and 2× the typical level, on the lot grid, never below one lot unit.
  const factor = fromNumber(Math.round((0.2 + 1.8 * u) * 1e6) / 1e6);
  const qty = round(mul(div(shape.levelNotional, last), factor), pair.lotDecimals, 'floor');
  const unit = 10n ** BigInt(18 - pair.lotDecimals);
  return qty > 0n ? qty : unit;
}

/** FNV-1a of a string mapped to [0, 1). */
function hash01(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}
