import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KRAKEN_TIER_LIMITS, createCallCounter, privateCallCost, type CounterLimits } from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';

/** A clock whose sleep advances time instantly; records the waits. */
function fakeClock(start = 0) {
  let t = start;
  const waits: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

describe('REST call-counter model (kraken.md §8.1)', () => {
  it('lets a starter account burst 15 calls, then spaces them by 1/0.33 s', async () => {
    const c = fakeClock();
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.starter, c.now, c.sleep);
    for (let i = 0; i < 15; i++) expect(await counter.acquire(1)).toBe(0);
    // Counter at 15 = max; the 16th call needs 1 unit of decay: 1 / 0.33 s = 3030.3 ms → 3031 ms.
    expect(await counter.acquire(1)).toBe(3031);
    expect(c.now()).toBe(3031);
  });

  it('pro tier: max 20, decay 1/s; a history call (cost 2) waits 2 s on a full counter', async () => {
    const c = fakeClock();
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.pro, c.now, c.sleep);
    for (let i = 0; i < 20; i++) await counter.acquire(1);
    expect(await counter.acquire(privateCallCost('TradesHistory'))).toBe(2000);
  });

  it('decays continuously: 5 s after filling a pro counter, 5 calls are free and the 6th waits 1 s', async () => {
    const c = fakeClock();
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.pro, c.now, c.sleep);
    for (let i = 0; i < 20; i++) await counter.acquire(1);
    c.advance(5_000);
    expect(counter.level(c.now())).toBe(15);
    for (let i = 0; i < 5; i++) expect(await counter.acquire(1)).toBe(0);
    expect(await counter.acquire(1)).toBe(1000);
  });

  it('queues concurrent callers deterministically (1 s, 2 s, 3 s on a full pro counter)', async () => {
    const t = 0;
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.pro, () => t, async () => {});
    for (let i = 0; i < 20; i++) await counter.acquire(1);
    const all = await Promise.all([counter.acquire(1), counter.acquire(1), counter.acquire(1)]);
    expect(all).toEqual([1000, 2000, 3000]);
  });

  it('AddOrder and CancelOrder cost nothing here (engine limiter instead); other private calls cost 1', () => {
    expect(privateCallCost('AddOrder')).toBe(0);
    expect(privateCallCost('CancelOrder')).toBe(0);
    expect(privateCallCost('Balance')).toBe(1);
    expect(privateCallCost('Ledgers')).toBe(2);
    expect(privateCallCost('TradesHistory', { TradesHistory: 4 })).toBe(4);
  });

  it('after Kraken says "Rate limit exceeded" the model assumes a full counter', async () => {
    const c = fakeClock();
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.intermediate, c.now, c.sleep);
    await counter.acquire(1);
    counter.penalise(c.now());
    expect(counter.level(c.now())).toBe(20);
    expect(await counter.acquire(1)).toBe(2000); // 1 unit at 0.5/s
  });

  it('refuses nonsense limits and costs (programmer error)', async () => {
    const c = fakeClock();
    expect(() => createCallCounter({ max: 0, decayPerSec: 1 }, c.now, c.sleep)).toThrow(RangeError);
    const counter = createCallCounter(KRAKEN_TIER_LIMITS.pro, c.now, c.sleep);
    await expect(counter.acquire(21)).rejects.toThrow(/exceeds the counter max/);
    await expect(counter.acquire(-1)).rejects.toThrow(RangeError);
  });

  it('property: whatever the call pattern, the counter Kraken would see never exceeds max at a call start', async () => {
    const tiers: CounterLimits[] = Object.values(KRAKEN_TIER_LIMITS);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tiers),
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 4_000 }), cost: fc.constantFrom(0, 1, 1, 1, 2) }), { minLength: 1, maxLength: 60 }),
        async (limits, calls) => {
          const c = fakeClock(1_000_000);
          const counter = createCallCounter(limits, c.now, c.sleep);
          // Reference: Kraken's counter, evaluated independently at each call start.
          let level = 0;
          let last = c.now();
          for (const call of calls) {
            c.advance(call.gapMs);
            await counter.acquire(call.cost);
            const start = c.now();
            level = Math.max(0, level - (limits.decayPerSec * (start - last)) / 1000) + call.cost;
            last = start;
            expect(level).toBeLessThanOrEqual(limits.max + 1e-6);
          }
        },
      ),
      { numRuns: runs(1000) },
    );
  });
});
