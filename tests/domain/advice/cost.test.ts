/**
 * Exact token cost. Examples are hand-computed from the platform prices quoted in
 * reference/ecosystem.md §4 (USD per million tokens); properties check additivity and an
 * independent float computation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TokenUsage, UsageError, ZERO_USAGE, addUsage, budgetTokens, costUsd, modelPrice } from '../../../domain/advice/index.ts';
import { ONE, fromString, toNumber } from '../../../domain/money/index.ts';
import { runs } from '../../support/runs.ts';

const opus = modelPrice({ input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 });
const haiku = modelPrice({ input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 });
const u = (p: Partial<TokenUsage>): TokenUsage => ({ ...ZERO_USAGE, ...p });

describe('costUsd', () => {
  it('one million tokens of each kind cost exactly the listed price', () => {
    expect(costUsd(u({ inputTokens: 1_000_000 }), opus)).toBe(4n * ONE);
    expect(costUsd(u({ outputTokens: 1_000_000 }), opus)).toBe(20n * ONE);
    expect(costUsd(u({ cacheReadTokens: 1_000_000 }), opus)).toBe(fromString('0.2'));
    expect(costUsd(u({ cacheWriteTokens: 1_000_000 }), opus)).toBe(5n * ONE);
    // 1-hour writes default to 2 × input = 8 (the pricing table's 1 h column for Opus 5.5)
    expect(costUsd(u({ cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000 }), opus)).toBe(8n * ONE);
  });

  it('a configured 1-hour price wins over the default', () => {
    const p = modelPrice({ input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2, cacheWrite1h: 7.5 });
    // 600 × 5 + 400 × 7.5 = 3000 + 3000 = 6000 → 0.006
    expect(costUsd(u({ cacheWriteTokens: 1000, cacheWrite1hTokens: 400 }), p)).toBe(fromString('0.006'));
  });

  it('a mixed Haiku call, by hand: (1234×0.1 + 567×0.5 + 8901×0.01 + 23×0.125)/10^6', () => {
    // 123.4 + 283.5 + 89.01 + 2.875 = 498.785 → 0.000498785
    expect(costUsd(u({ inputTokens: 1234, outputTokens: 567, cacheReadTokens: 8901, cacheWriteTokens: 23 }), haiku)).toBe(fromString('0.000498785'));
  });

  it('thinking tokens are inside output tokens and not billed twice', () => {
    expect(costUsd(u({ outputTokens: 1000, thinkingTokens: 800 }), opus)).toBe(costUsd(u({ outputTokens: 1000 }), opus));
  });

  it('refuses corrupt usage and prices', () => {
    expect(() => costUsd(u({ inputTokens: -1 }), opus)).toThrow(UsageError);
    expect(() => costUsd(u({ outputTokens: 1.5 }), opus)).toThrow('usage outputTokens: must be a non-negative integer token count, got 1.5');
    expect(() => costUsd(u({ cacheWriteTokens: 1, cacheWrite1hTokens: 2 }), opus)).toThrow('exceeds cacheWriteTokens');
    expect(() => costUsd(u({ outputTokens: 1, thinkingTokens: 2 }), opus)).toThrow('exceeds outputTokens');
    expect(() => modelPrice({ input: Number.NaN, output: 1, cacheWrite: 1, cacheRead: 1 })).toThrow('price input: must be a finite number ≥ 0');
  });

  const count = fc.integer({ min: 0, max: 5_000_000 });
  const usageArb = fc.record({ inputTokens: count, outputTokens: count, cacheReadTokens: count, cacheWriteTokens: count }).chain((b) =>
    fc.record({ cacheWrite1hTokens: fc.integer({ min: 0, max: b.cacheWriteTokens }), thinkingTokens: fc.integer({ min: 0, max: b.outputTokens }) }).map((x) => ({ ...b, ...x })),
  );
  // prices in micro-dollars per million tokens (≤ 6 decimals), so every cost is exact
  const micro = fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1e6);
  const priceArb = fc.record({ input: micro, output: micro, cacheWrite: micro, cacheRead: micro, cacheWrite1h: micro });

  it('property: additive over calls, exactly (a day\'s cost is the sum of its calls)', () => {
    fc.assert(
      fc.property(usageArb, usageArb, priceArb, (a, b, p) => {
        const price = modelPrice(p);
        expect(costUsd(addUsage(a, b), price)).toBe(costUsd(a, price) + costUsd(b, price));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('property: agrees with an independent float computation and is never negative', () => {
    fc.assert(
      fc.property(usageArb, priceArb, (x, p) => {
        const exact = costUsd(x, modelPrice(p));
        const float =
          (x.inputTokens * p.input + x.outputTokens * p.output + x.cacheReadTokens * p.cacheRead + (x.cacheWriteTokens - x.cacheWrite1hTokens) * p.cacheWrite + x.cacheWrite1hTokens * p.cacheWrite1h) / 1e6;
        expect(exact >= 0n).toBe(true);
        expect(Math.abs(toNumber(exact) - float)).toBeLessThanOrEqual(1e-9 * Math.max(1, float));
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('budgetTokens', () => {
  it('counts the whole prompt and the output; thinking is already in the output', () => {
    // 100 + 20 + 300 + 50 = 470
    expect(budgetTokens(u({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 300, cacheWriteTokens: 50, cacheWrite1hTokens: 10, thinkingTokens: 5 }))).toBe(470);
  });
});
