/**
 * The daily token budget: checked BEFORE each call against the call's worst case (nothing is
 * sent when it cannot be covered), counted per local day, and reserved while calls are in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN, FRAMING_TOKENS, createClaudeAdvisor, createMemoryBudgetLedger, estimateCallTokens } from '../../../adapters/anthropic/index.ts';
import { type FakeAnthropic, fakeReply, startFakeAnthropic } from '../../../adapters/fake-anthropic/index.ts';
import { ZERO_USAGE } from '../../../domain/advice/index.ts';
import type { CallRecord } from '../../../domain/ports/index.ts';
import { API_KEY, TIME_ZONE, advisorOptions, answer, noChange } from './support.ts';

let fake: FakeAnthropic | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function usageCall(tokens: number): CallRecord {
  return {
    model: 'claude-opus-5-5', purpose: 'decision', step: 'analysis', cycleId: null, promptSummary: '', responseText: '', thinkingText: '', parsed: null,
    stopReason: 'end_turn', usage: { ...ZERO_USAGE, inputTokens: tokens }, costUsd: 0n, startedAtMs: 0, durationMs: 0, messageId: null, outcome: 'ok', redactions: 0,
  };
}

describe('estimate', () => {
  it('is prompt and schema characters / 3, plus framing, plus the whole output cap', () => {
    expect(CHARS_PER_TOKEN).toBe(3);
    // ceil((9000 + 1001) / 3) = 3334; + 500 + 4096 = 7930
    expect(estimateCallTokens(9000, 1001, 4096)).toBe(3334 + FRAMING_TOKENS + 4096);
    expect(estimateCallTokens(9000, 1001, 4096)).toBe(7930);
  });
});

describe('enforcement before the call', () => {
  it('refuses as budgetExhausted without sending anything when today\'s tokens cannot cover the worst case', async () => {
    fake = await startFakeAnthropic({ apiKey: API_KEY });
    const now = Date.UTC(2026, 10, 25, 8, 0);
    const ledger = createMemoryBudgetLedger(TIME_ZONE, { dayOfMs: now, tokens: 1_490_000 });
    const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, { now: () => now }));
    fake.enqueue(fakeReply.json(noChange));
    const r = await advisor.decide({ strategyDocument: 'doc', data: [], maxCandidates: 3 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('budgetExhausted');
    expect(r.error.reason).toMatch(/^daily token budget: 1490000 of 1500000 tokens used or reserved today; this call needs up to \d+ \(prompt estimate \+ output cap 16384\)$/);
    expect(r.call).toBeUndefined();
    expect(fake.requests()).toHaveLength(0);
    expect(fake.pending()).toBe(1);
    expect(advisor.remainingToday()).toBe(10_000);
  });

  it('a call that fits goes out; the smaller ask model cap can still fit when the analysis cap does not', async () => {
    fake = await startFakeAnthropic({ apiKey: API_KEY });
    const now = Date.UTC(2026, 10, 25, 8, 0);
    // 1,500,000 − 1,480,000 = 20,000 left: an analysis call needs > 16,384 + 500 + prompt (≈ 1,900 for the system prompt and schema);
    // an ask call needs ≈ 4,096 + 500 + prompt.
    const ledger = createMemoryBudgetLedger(TIME_ZONE, { dayOfMs: now, tokens: 1_480_000 });
    const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, { now: () => now }));
    const d = await advisor.decide({ strategyDocument: 'doc', data: [{ kind: 'marketData', title: 'candles', content: 'x'.repeat(9000) }], maxCandidates: 3 });
    expect(!d.ok && d.error.kind).toBe('budgetExhausted');
    fake.enqueue(fakeReply.json(answer, { usage: { input_tokens: 2000, output_tokens: 100 } }));
    const a = await advisor.ask({ question: 'status?', data: [] });
    expect(a.ok).toBe(true);
    expect(fake.requests()).toHaveLength(1);
    expect(advisor.remainingToday()).toBe(20_000 - 2100);
  });

  it('counts per local day: yesterday\'s tokens do not count after local midnight', async () => {
    fake = await startFakeAnthropic({ apiKey: API_KEY });
    // 2026-11-25 23:30 in Toronto (UTC−5) = 2026-11-26 04:30 UTC; local midnight = 05:00 UTC.
    let now = Date.UTC(2026, 10, 26, 4, 30);
    const ledger = createMemoryBudgetLedger(TIME_ZONE, { dayOfMs: now, tokens: 1_499_000 });
    const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, { now: () => now }));
    expect(advisor.remainingToday()).toBe(1000);
    now = Date.UTC(2026, 10, 26, 5, 0);
    expect(advisor.remainingToday()).toBe(1_500_000);
    fake.enqueue(fakeReply.json(answer, { usage: { input_tokens: 10, output_tokens: 5 } }));
    expect((await advisor.ask({ question: 'q', data: [] })).ok).toBe(true);
    expect(advisor.remainingToday()).toBe(1_500_000 - 15);
  });

  it('reserves the worst case of calls in flight, so concurrent calls cannot overshoot together', async () => {
    fake = await startFakeAnthropic({ apiKey: API_KEY });
    const now = Date.UTC(2026, 10, 25, 8, 0);
    // room for one ask call's worst case (≈ 6,500 tokens) but not two
    const ledger = createMemoryBudgetLedger(TIME_ZONE, { dayOfMs: now, tokens: 1_500_000 - 9000 });
    const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, { now: () => now }));
    fake.enqueue(fakeReply.slow(fakeReply.json(answer, { usage: { input_tokens: 100, output_tokens: 10 } }), 150));
    const first = advisor.ask({ question: 'one', data: [] });
    await new Promise((r) => setTimeout(r, 50));
    expect(advisor.remainingToday()).toBeLessThan(9000 - 4096);
    const second = await advisor.ask({ question: 'two', data: [] });
    expect(!second.ok && second.error.kind).toBe('budgetExhausted');
    expect((await first).ok).toBe(true);
    expect(advisor.remainingToday()).toBe(9000 - 110);
    expect(fake.requests()).toHaveLength(1);
  });
});

describe('memory ledger', () => {
  it('sums budget tokens of recorded calls within the local day', () => {
    const ledger = createMemoryBudgetLedger(TIME_ZONE);
    const t = Date.UTC(2026, 10, 25, 12, 0);
    ledger.record(usageCall(100), t);
    ledger.record(usageCall(50), t + 1000);
    expect(ledger.tokensUsedOn(t + 2000)).toBe(150);
    expect(ledger.tokensUsedOn(t + 24 * 3_600_000)).toBe(0);
    expect(ledger.calls).toHaveLength(2);
  });
});
