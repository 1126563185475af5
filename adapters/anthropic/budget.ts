/**
 * The daily token budget (predecessor §10.1, without its UTC/local mismatch): tokens are counted
 * per LOCAL day (the fund's one day boundary, `domain/time`), checked BEFORE each call against
 * the call's worst case, and reserved while the call is in flight so concurrent calls cannot
 * overshoot together.
 */
import { budgetTokens } from '../../domain/advice/index.ts';
import type { BudgetLedger, CallRecord } from '../../domain/ports/index.ts';
import { nextLocalMidnight, startOfLocalDay } from '../../domain/time/index.ts';

/** Characters per token assumed by the estimate: conservative for prose, JSON and code (≈ 4 for English prose). */
export const CHARS_PER_TOKEN = 3;
/** Tokens added for message framing and the structured-output schema the API injects. */
export const FRAMING_TOKENS = 500;

/**
 * Worst-case tokens of one call: the prompt estimate (characters of prompt and schema / 3, plus
 * framing) plus the whole output cap. Pure.
 */
export function estimateCallTokens(promptChars: number, schemaChars: number, maxOutputTokens: number): number {
  return Math.ceil((promptChars + schemaChars) / CHARS_PER_TOKEN) + FRAMING_TOKENS + maxOutputTokens;
}

/** Tokens reserved by calls in flight. */
export class Reservations {
  private readonly held = new Map<number, number>();
  private next = 1;

  /** Reserves `tokens`; returns the id to release. */
  reserve(tokens: number): number {
    const id = this.next++;
    this.held.set(id, tokens);
    return id;
  }

  release(id: number): void {
    this.held.delete(id);
  }

  /** Sum of reservations. */
  total(): number {
    let n = 0;
    for (const t of this.held.values()) n += t;
    return n;
  }
}

/**
 * An in-memory ledger (tests, or a process without a store): tokens per local day of
 * `timeZone`, forgotten when the day changes. Production wires a ledger over `token_usage`.
 */
export function createMemoryBudgetLedger(timeZone: string, initial: { readonly dayOfMs: number; readonly tokens: number } | null = null): BudgetLedger & { readonly calls: readonly CallRecord[] } {
  let day = initial === null ? null : { start: startOfLocalDay(initial.dayOfMs, timeZone), next: nextLocalMidnight(initial.dayOfMs, timeZone), tokens: initial.tokens };
  const calls: CallRecord[] = [];
  const dayOf = (nowMs: number) => {
    if (day === null || nowMs < day.start || nowMs >= day.next) day = { start: startOfLocalDay(nowMs, timeZone), next: nextLocalMidnight(nowMs, timeZone), tokens: 0 };
    return day;
  };
  return {
    calls,
    tokensUsedOn: (nowMs) => {
      const d = day;
      return d !== null && nowMs >= d.start && nowMs < d.next ? d.tokens : 0;
    },
    record(call, nowMs) {
      calls.push(call);
      dayOf(nowMs).tokens += budgetTokens(call.usage);
    },
  };
}
