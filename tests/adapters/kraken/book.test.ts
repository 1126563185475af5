import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { L2Book, bookChecksum, checksumField, decodeWsMessage, type WsBookData } from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';
import { fixture } from './support.ts';

function bookData(name: string): WsBookData {
  const r = decodeWsMessage(fixture(name));
  if (!r.ok || r.value.type !== 'book') throw new Error(`${name} is not a book message`);
  return r.value.books[0]!;
}

const MATIC = { price: 4, qty: 8 }; // MATIC/USD price_precision 4, qty_precision 8
const BTC = { price: 1, qty: 8 }; // BTC/USD pair_decimals 1, lot_decimals 8

describe('L2 book and Kraken CRC32 checksum (kraken.md §11 book)', () => {
  it('renders fields as Kraken does: fixed decimals, no dot, no leading zeros', () => {
    // kraken.md §11 example: ask 45285.2 / 0.00100000 → "452852" + "100000".
    expect(checksumField(f('45285.2'), 1)).toBe('452852');
    expect(checksumField(f('0.001'), 8)).toBe('100000');
    expect(checksumField(f('0.566'), 4)).toBe('5660'); // trailing zero restored from the precision
  });

  it('verifies the three published checksums (2439117997, 2114181697, 3310070434)', () => {
    const book = new L2Book('MATIC/USD', 10, MATIC);
    expect(book.applySnapshot(bookData('ws_book_snapshot.json'))).toEqual({ ok: true, expected: 2439117997, actual: 2439117997 });
    expect(book.applyUpdate(bookData('ws_book_update.json'))).toEqual({ ok: true, expected: 2114181697, actual: 2114181697 });
    expect(book.bidLevels.at(-1)).toEqual({ price: f('0.5657'), qty: f('1098.3947558') });
    const btc = new L2Book('BTC/USD', 10, BTC);
    expect(btc.applySnapshot(bookData('ws_book_snapshot_btcusd.json')).ok).toBe(true);
  });

  it('detects a wrong precision or a changed level', () => {
    const data = bookData('ws_book_snapshot.json');
    expect(new L2Book('MATIC/USD', 10, { price: 4, qty: 7 }).applySnapshot(data).ok).toBe(false);
    const tampered: WsBookData = { ...data, asks: [{ price: f('0.5668'), qty: f('4410.79769742') }, ...data.asks.slice(1)] };
    const r = new L2Book('MATIC/USD', 10, MATIC).applySnapshot(tampered);
    expect(r.ok).toBe(false);
    expect(r.expected).toBe(2439117997);
  });

  it('qty 0 removes a level; repeated prices apply in order; depth is enforced', () => {
    const book = new L2Book('MATIC/USD', 10, MATIC);
    book.applySnapshot(bookData('ws_book_snapshot.json'));
    book.applyUpdate({
      symbol: 'MATIC/USD',
      bids: [
        { price: f('0.5667'), qty: f('5') }, // new best bid → 11 levels → worst (0.5657) pushed out
        { price: f('0.5665'), qty: f('1') },
        { price: f('0.5665'), qty: 0n }, // same price again in the same message: removed
      ],
      asks: [{ price: f('0.5668'), qty: 0n }],
      checksum: 0,
      tsMs: null,
    });
    expect(book.bidLevels.map((l) => l.price)).toEqual(['0.5667', '0.5666', '0.5664', '0.5663', '0.5662', '0.5661', '0.566', '0.5659', '0.5658', '0.5657'].map(f));
    expect(book.askLevels[0]?.price).toBe(f('0.5669'));
    expect(book.askLevels).toHaveLength(9);
    book.applyUpdate({ symbol: 'MATIC/USD', bids: [{ price: f('0.56675'), qty: f('1') }], asks: [], checksum: 0, tsMs: null });
    expect(book.bidLevels).toHaveLength(10);
    expect(book.bidLevels.at(-1)?.price).toBe(f('0.5658'));
  });

  it('property: sides stay strictly sorted best-first, within depth, with no zero quantities', () => {
    const level = fc.record({ price: fc.integer({ min: 1, max: 60 }).map((n) => BigInt(n) * 10n ** 16n), qty: fc.integer({ min: 0, max: 5 }).map((n) => BigInt(n) * 10n ** 17n) });
    fc.assert(
      fc.property(fc.array(fc.record({ bids: fc.array(level, { maxLength: 8 }), asks: fc.array(level, { maxLength: 8 }) }), { maxLength: 30 }), (updates) => {
        const book = new L2Book('X/USD', 10, { price: 2, qty: 1 });
        for (const u of updates) {
          const r = book.applyUpdate({ symbol: 'X/USD', bids: u.bids, asks: u.asks, checksum: 0, tsMs: null });
          expect(r.actual).toBe(bookChecksum(book.askLevels, book.bidLevels, { price: 2, qty: 1 }));
          expect(book.askLevels.length).toBeLessThanOrEqual(10);
          expect(book.bidLevels.length).toBeLessThanOrEqual(10);
          for (let i = 1; i < book.askLevels.length; i++) expect(book.askLevels[i]!.price > book.askLevels[i - 1]!.price).toBe(true);
          for (let i = 1; i < book.bidLevels.length; i++) expect(book.bidLevels[i]!.price < book.bidLevels[i - 1]!.price).toBe(true);
          for (const l of [...book.askLevels, ...book.bidLevels]) expect(l.qty > 0n).toBe(true);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
