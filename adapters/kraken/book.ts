/**
 * A local L2 order book for one symbol, maintained from WS v2 `book` messages, with Kraken's
 * CRC32 checksum (reference/kraken.md §11 book): asks ascending then bids descending, top 10
 * each, price rendered with the pair's price precision and qty with its qty precision, `.`
 * removed, leading zeros stripped, concatenated; CRC32 (IEEE, zlib) as unsigned 32-bit. Levels
 * pushed beyond the subscribed depth are dropped after every message (the server sends no
 * delete for them). Not pure (mutable state), but no I/O.
 */
import { crc32 } from 'node:zlib';
import { type Fixed, toFixed } from '../../domain/money/index.ts';
import type { WsBookData, WsBookLevel } from './parse/ws-book.ts';

/** Decimal places Kraken uses for this pair: AssetPairs `pair_decimals` / `lot_decimals`. */
export interface BookPrecision {
  readonly price: number;
  readonly qty: number;
}

/** Book depths Kraken accepts. */
export const BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;
/** One of `BOOK_DEPTHS`. */
export type BookDepth = (typeof BOOK_DEPTHS)[number];

/** Result of applying one message: whether our checksum matches Kraken's. */
export interface BookApplyResult {
  readonly ok: boolean;
  readonly expected: number;
  readonly actual: number;
}

/** One side's levels with the best price first. */
export interface BookSide {
  readonly levels: readonly WsBookLevel[];
}

/** Renders one value for the checksum: fixed decimals, no `.`, no leading zeros. Pure. */
export function checksumField(value: Fixed, decimals: number): string {
  return toFixed(value, decimals).replace('.', '').replace(/^0+/, '');
}

/** Kraken's book checksum over the top 10 levels of each side. Pure. */
export function bookChecksum(asks: readonly WsBookLevel[], bids: readonly WsBookLevel[], precision: BookPrecision): number {
  let s = '';
  for (const l of asks.slice(0, 10)) s += checksumField(l.price, precision.price) + checksumField(l.qty, precision.qty);
  for (const l of bids.slice(0, 10)) s += checksumField(l.price, precision.price) + checksumField(l.qty, precision.qty);
  return crc32(s) >>> 0;
}

/** The book state of one symbol. */
export class L2Book {
  private asks: WsBookLevel[] = [];
  private bids: WsBookLevel[] = [];

  constructor(
    readonly symbol: string,
    readonly depth: number,
    readonly precision: BookPrecision,
  ) {
    if (!Number.isInteger(depth) || depth < 10) throw new RangeError(`book depth must be an integer ≥ 10, got ${depth}`);
  }

  /** Best-first asks (ascending price). */
  get askLevels(): readonly WsBookLevel[] {
    return this.asks;
  }

  /** Best-first bids (descending price). */
  get bidLevels(): readonly WsBookLevel[] {
    return this.bids;
  }

  /** Replaces the state with a snapshot and verifies its checksum. */
  applySnapshot(data: WsBookData): BookApplyResult {
    this.asks = [];
    this.bids = [];
    return this.applyUpdate(data);
  }

  /** Applies changed levels in order (qty 0 removes), truncates to depth, verifies the checksum. */
  applyUpdate(data: WsBookData): BookApplyResult {
    for (const l of data.asks) upsert(this.asks, l, true);
    for (const l of data.bids) upsert(this.bids, l, false);
    if (this.asks.length > this.depth) this.asks.length = this.depth;
    if (this.bids.length > this.depth) this.bids.length = this.depth;
    const actual = this.checksum();
    return { ok: actual === data.checksum, expected: data.checksum, actual };
  }

  /** Our checksum of the current state. */
  checksum(): number {
    return bookChecksum(this.asks, this.bids, this.precision);
  }

  /** Clears the book (e.g. after a checksum mismatch, before a fresh snapshot). */
  clear(): void {
    this.asks = [];
    this.bids = [];
  }
}

/** Inserts/replaces/removes `level` in a best-first sorted side (binary search). */
function upsert(side: WsBookLevel[], level: WsBookLevel, ascending: boolean): void {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = side[mid]!.price;
    const before = ascending ? p < level.price : p > level.price;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  const existing = side[lo];
  const same = existing !== undefined && existing.price === level.price;
  if (level.qty === 0n) {
    if (same) side.splice(lo, 1);
    return;
  }
  if (same) side[lo] = level;
  else side.splice(lo, 0, level);
}
