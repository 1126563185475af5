/**
 * Read retries (supervisor/execution/retry.ts) and client order ids: transient errors back off
 * with equal jitter up to a bound, permanent ones are returned at once, the venue's retryAfterMs
 * is honoured, a wait above the cap ends the retries; ids fit Kraken's 18-character cl_ord_id.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VenueError, VenueResult } from '../../../domain/ports/index.ts';
import { DEFAULT_READ_RETRY, MAX_CLIENT_ORDER_ID_LENGTH, createClientOrderIds, isOurClientOrderId, jitteredDelay, resultError, retryRead } from '../../../supervisor/execution/index.ts';
import { runs } from '../../support/runs.ts';
import { instantRuntime } from './support.ts';

const err = (cls: VenueError['class'], retryAfterMs?: number): VenueError => ({ kind: 'unavailable', class: cls, message: 'x', venueCodes: [], ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

/** A read that fails `failures` times with `error`, then succeeds. */
function flaky(failures: number, error: VenueError) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: async (): Promise<VenueResult<string>> => (++calls <= failures ? { ok: false, error } : { ok: true, value: 'done' }),
  };
}

describe('retryRead', () => {
  it('retries transient errors with capped exponential backoff, then succeeds', async () => {
    const rt = instantRuntime();
    const read = flaky(3, err('transient'));
    expect(await retryRead(read.call, resultError, rt)).toEqual({ ok: true, value: 'done' });
    expect(read.calls).toBe(4);
    expect(rt.sleeps).toEqual([375, 750, 1500]);
  });

  it('stops after the policy’s tries and returns the last error', async () => {
    const rt = instantRuntime();
    const read = flaky(10, err('transient'));
    const r = await retryRead(read.call, resultError, rt, { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 });
    expect(r.ok).toBe(false);
    expect(read.calls).toBe(3);
  });

  it('does not retry a permanent error', async () => {
    const rt = instantRuntime();
    const read = flaky(1, err('permanent'));
    expect((await retryRead(read.call, resultError, rt)).ok).toBe(false);
    expect(read.calls).toBe(1);
    expect(rt.sleeps).toEqual([]);
  });

  it('waits at least the venue’s retryAfterMs, and gives up when that exceeds the cap', async () => {
    const rt = instantRuntime();
    const read = flaky(1, err('transient', 3_000));
    await retryRead(read.call, resultError, rt);
    expect(rt.sleeps).toEqual([3_000]);
    const locked = flaky(5, err('transient', 15 * 60_000));
    const r = await retryRead(locked.call, resultError, instantRuntime());
    expect(r.ok).toBe(false);
    expect(locked.calls).toBe(1);
  });

  it('returns the last result when the caller aborts during a wait', async () => {
    const ac = new AbortController();
    ac.abort();
    const read = flaky(5, err('transient'));
    expect((await retryRead(read.call, resultError, instantRuntime(), DEFAULT_READ_RETRY, { signal: ac.signal })).ok).toBe(false);
    expect(read.calls).toBe(1);
  });

  it('jitter stays within [ceiling/2, ceiling] and the ceiling never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, rnd) => {
        const d = jitteredDelay(attempt, DEFAULT_READ_RETRY, () => rnd);
        const ceiling = Math.min(DEFAULT_READ_RETRY.maxDelayMs, DEFAULT_READ_RETRY.baseDelayMs * 2 ** (attempt - 1));
        return d >= Math.floor(ceiling / 2) && d <= ceiling;
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('client order ids', () => {
  it('are tb-<run>-<base36 seq>, recognisable, and fit 18 characters', () => {
    const store = new Map<string, string>();
    const meta = { get: (k: string) => store.get(k), set: (k: string, v: string) => void store.set(k, v) };
    const ids = createClientOrderIds(meta, 'abc123');
    expect([ids.next(0), ids.next(0)]).toEqual(['tb-abc123-1', 'tb-abc123-2']);
    expect(isOurClientOrderId('tb-abc123-2')).toBe(true);
    expect(isOurClientOrderId('manual-1')).toBe(false);
    store.set('execution.client_order_seq', String(36 ** 8 - 2));
    expect(ids.next(0)).toHaveLength(MAX_CLIENT_ORDER_ID_LENGTH);
    expect(() => ids.next(0)).toThrow(/exceeds 18 characters/);
    store.set('execution.client_order_seq', 'seven');
    expect(() => ids.next(0)).toThrow(/corrupt execution.client_order_seq in system_meta: "seven"/);
  });
});
