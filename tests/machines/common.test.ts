import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertPolicy,
  backoffDelayMs,
  describeError,
  eventTimeMs,
  failedChildId,
  nowAfter,
  recentRestarts,
  remainingMs,
} from '../../machines/common.ts';
import { runs } from '../support/runs.ts';

const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxRestarts: 2, windowMs: 60_000 };

describe('backoffDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    // 1000 × 2^k: 1000, 2000, 4000, 8000, then capped at 8000
    expect([0, 1, 2, 3, 4, 40].map((a) => backoffDelayMs(policy, a))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('rejects a negative or fractional attempt', () => {
    expect(() => backoffDelayMs(policy, -1)).toThrow(/non-negative integer, got -1/);
    expect(() => backoffDelayMs(policy, 1.5)).toThrow(/got 1.5/);
  });

  it('is monotone and within [base, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.nat(100), (base, extra, a) => {
        const p = { baseDelayMs: base, maxDelayMs: base + extra };
        const d = backoffDelayMs(p, a);
        return d >= base && d <= base + extra && backoffDelayMs(p, a + 1) >= d && Number.isFinite(d);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('time helpers', () => {
  it('remainingMs never goes negative', () => {
    expect(remainingMs(10_000, 4_000)).toBe(6_000);
    expect(remainingMs(10_000, 12_000)).toBe(0);
  });

  it('eventTimeMs reads nowMs, then output.nowMs', () => {
    expect(eventTimeMs({ type: 'x', nowMs: 5 })).toBe(5);
    expect(eventTimeMs({ type: 'xstate.done.actor.a', output: { nowMs: 7 } })).toBe(7);
    expect(eventTimeMs({ type: 'xstate.after.d.x' })).toBeUndefined();
    expect(eventTimeMs({ type: 'x', nowMs: Number.NaN })).toBeUndefined();
    expect(eventTimeMs(null)).toBeUndefined();
  });

  it('nowAfter never moves time backwards', () => {
    expect(nowAfter(100, { type: 'x', nowMs: 150 })).toBe(150);
    expect(nowAfter(100, { type: 'x', nowMs: 50 })).toBe(100);
    expect(nowAfter(100, { type: 'x' })).toBe(100);
  });

  it('recentRestarts keeps only restarts inside the window', () => {
    // window 60 s at t = 100 s: 30 s and 40 s are 70 s and 60 s old (out); 41 s and 99 s are in
    expect(recentRestarts([30_000, 40_000, 41_000, 99_000], policy, 100_000)).toEqual([41_000, 99_000]);
  });
});

describe('error helpers', () => {
  it('failedChildId extracts the id of an xstate.error.actor event', () => {
    expect(failedChildId('xstate.error.actor.symbol:BTC/USD')).toBe('symbol:BTC/USD');
    expect(failedChildId('xstate.done.actor.x')).toBeUndefined();
  });

  it('describeError gives one JSON-safe line', () => {
    expect(describeError(new TypeError('bad'))).toBe('TypeError: bad');
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ code: 42 })).toBe('{"code":42}');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(describeError(cyclic)).toBe('[object Object]');
  });

  it('assertPolicy names the bad field and what is allowed', () => {
    expect(() => assertPolicy('supervision', { ...policy, baseDelayMs: 0 })).toThrow('supervision.baseDelayMs = 0 is invalid; allowed: a number > 0');
    expect(() => assertPolicy('supervision', { ...policy, maxDelayMs: 10 })).toThrow(/maxDelayMs = 10 .* ≥ baseDelayMs \(1000\)/);
    expect(() => assertPolicy('s', { ...policy, maxRestarts: 1.5 })).toThrow(/maxRestarts = 1.5/);
    expect(() => assertPolicy('s', { ...policy, windowMs: -1 })).toThrow(/windowMs = -1/);
    expect(() => assertPolicy('s', policy)).not.toThrow();
  });
});
