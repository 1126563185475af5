/**
 * Token usage and its exact cost in USD. Prices are USD per million tokens (as the pricing page
 * and `[ai.prices]` state them); the cost is one exact sum, divided by 10^6 and rounded once
 * (half-even, 18 decimals) — exact whenever the prices have at most 12 decimals. Pure.
 */
import { ONE, ZERO, div, fromNumber, type Fixed } from '../money/index.ts';

/**
 * Tokens of one call (or a sum of calls), as the Messages API reports them:
 * - `inputTokens`: prompt tokens read neither from nor into the cache (`input_tokens`);
 * - `cacheWriteTokens`: prompt tokens written to the cache (`cache_creation_input_tokens`), all TTLs;
 * - `cacheWrite1hTokens`: the part of `cacheWriteTokens` written with the 1-hour TTL;
 * - `cacheReadTokens`: prompt tokens read from the cache (`cache_read_input_tokens`);
 * - `outputTokens`: generated tokens, thinking included (`output_tokens`);
 * - `thinkingTokens`: the part of `outputTokens` spent thinking (informational).
 */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheWrite1hTokens: number;
  readonly thinkingTokens: number;
}

/** No tokens. */
export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  thinkingTokens: 0,
});

/**
 * A model's prices, exact, USD per million tokens. `cacheWrite` is the 5-minute cache write;
 * `cacheWrite1h` the 1-hour one (absent: 2 × `input`, the multiplier every row of the pricing
 * table in reference/ecosystem.md §4 shows, e.g. Opus 5.5: input 4, 1 h write 8).
 */
export interface ModelPrice {
  readonly input: Fixed;
  readonly output: Fixed;
  readonly cacheWrite: Fixed;
  readonly cacheRead: Fixed;
  readonly cacheWrite1h?: Fixed;
}

/** Prices as plain numbers (USD per million tokens), the way `[ai.prices]` holds them. */
export interface ModelPriceNumbers {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
  readonly cacheWrite1h?: number;
}

/** Thrown for corrupt usage or prices (negative, fractional or non-finite): programmer error. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const MILLION: Fixed = 1_000_000n * ONE;

/**
 * Converts configured prices to exact ones; each number becomes its shortest decimal (0.2 is
 * exactly 0.2). Throws `UsageError` on a negative or non-finite price.
 */
export function modelPrice(p: ModelPriceNumbers): ModelPrice {
  const one = (name: string, v: number): Fixed => {
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`price ${name}: must be a finite number ≥ 0 (USD per million tokens), got ${v}`);
    return fromNumber(v);
  };
  return {
    input: one('input', p.input),
    output: one('output', p.output),
    cacheWrite: one('cacheWrite', p.cacheWrite),
    cacheRead: one('cacheRead', p.cacheRead),
    ...(p.cacheWrite1h === undefined ? {} : { cacheWrite1h: one('cacheWrite1h', p.cacheWrite1h) }),
  };
}

/** Throws `UsageError` unless every count is a safe non-negative integer and the parts fit their totals. */
export function assertUsage(u: TokenUsage): void {
  for (const [k, v] of Object.entries(u)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`usage ${k}: must be a non-negative integer token count, got ${v}`);
  }
  if (u.cacheWrite1hTokens > u.cacheWriteTokens) {
    throw new UsageError(`usage cacheWrite1hTokens (${u.cacheWrite1hTokens}) exceeds cacheWriteTokens (${u.cacheWriteTokens})`);
  }
  if (u.thinkingTokens > u.outputTokens) {
    throw new UsageError(`usage thinkingTokens (${u.thinkingTokens}) exceeds outputTokens (${u.outputTokens})`);
  }
}

/**
 * Exact cost in USD:
 *   (input·p.input + output·p.output + cacheRead·p.cacheRead
 *    + (cacheWrite − cacheWrite1h)·p.cacheWrite + cacheWrite1h·p.cacheWrite1h) / 10^6
 * rounded half-even to 18 decimals. Thinking tokens are output tokens (billed as such). Throws
 * `UsageError` on corrupt usage. Pure.
 */
export function costUsd(usage: TokenUsage, price: ModelPrice): Fixed {
  assertUsage(usage);
  const write1h = price.cacheWrite1h ?? 2n * price.input;
  const total =
    BigInt(usage.inputTokens) * price.input +
    BigInt(usage.outputTokens) * price.output +
    BigInt(usage.cacheReadTokens) * price.cacheRead +
    BigInt(usage.cacheWriteTokens - usage.cacheWrite1hTokens) * price.cacheWrite +
    BigInt(usage.cacheWrite1hTokens) * write1h;
  return total === ZERO ? ZERO : div(total, MILLION);
}

/**
 * Tokens a call counts against the daily budget: the whole prompt (uncached, cache writes and
 * cache reads) plus the output. The predecessor's limit (1.5 M) counted input + output without
 * a cache, so counting cache reads keeps its meaning. Pure.
 */
export function budgetTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens + usage.outputTokens;
}

/** Component-wise sum of two usages. Pure. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    thinkingTokens: a.thinkingTokens + b.thinkingTokens,
  };
}
