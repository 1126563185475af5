import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore, nonceCandidate, nonceStoreFrom } from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';

describe('nonces (kraken.md §3.3)', () => {
  it('candidates are wall-clock microseconds: ms × 1000', () => {
    expect(nonceCandidate(1_616_492_376_594)).toBe(1_616_492_376_594_000n);
    expect(nonceCandidate(1.9)).toBe(1000n);
    expect(() => nonceCandidate(Number.NaN)).toThrow(RangeError);
  });

  it('the store returns max(candidate, last + 1) per scope', () => {
    const store = createMemoryNonceStore();
    expect(store.next('a', 100n)).toBe(100n);
    expect(store.next('a', 50n)).toBe(101n); // clock stepped back
    expect(store.next('a', 101n)).toBe(102n); // same instant
    expect(store.next('a', 500n)).toBe(500n);
    expect(store.next('b', 7n)).toBe(7n);
  });

  it('survives a restart: a store seeded with the persisted last value continues above it', () => {
    const first = createMemoryNonceStore();
    first.next('key', 1_000n);
    const restarted = createMemoryNonceStore([['key', first.last('key')!]]);
    expect(restarted.next('key', 10n)).toBe(1_001n);
  });

  it('adapts the libsql repository (scope, candidate, injected nowMs)', () => {
    const calls: [string, bigint, number][] = [];
    const store = nonceStoreFrom({ nextNonce: (s, c, n) => (calls.push([s, c, n]), c + 1n) }, () => 1234.7);
    expect(store.next('kraken:abc', 5n)).toBe(6n);
    expect(calls).toEqual([['kraken:abc', 5n, 1234]]);
  });

  it('property: any sequence of candidates yields strictly increasing nonces', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 18n }), { minLength: 1, maxLength: 100 }), (candidates) => {
        const store = createMemoryNonceStore();
        let prev = -1n;
        for (const c of candidates) {
          const n = store.next('k', c);
          expect(n > prev).toBe(true);
          expect(n >= c).toBe(true);
          prev = n;
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
