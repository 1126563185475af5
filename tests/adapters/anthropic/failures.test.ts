/**
 * Failures are values: unusable answers keep their raw text (never NO_CHANGE), HTTP errors are
 * retried by the SDK and then classified, and deadlines end calls on time. All through the real
 * SDK against the fake Messages API; the fake's request log counts the attempts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeReply } from '../../../adapters/fake-anthropic/index.ts';
import { createCandidate, noChange, reflection, setup } from './support.ts';

let env: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  env = await setup({ requestTimeoutMs: 2000 });
});
afterAll(() => env.close());
beforeEach(() => env.fake.reset());

const decideInput = { strategyDocument: 'doc', data: [], maxCandidates: 3 } as const;

describe('unusable answers → invalidResponse with the raw text, never a default decision', () => {
  it('malformed JSON', async () => {
    const reply = fakeReply.malformed({ usage: { input_tokens: 1000, output_tokens: 40 } });
    env.fake.enqueue(reply);
    const r = await env.advisor.decide(decideInput);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('invalidResponse');
    expect(r.error.reason).toMatch(/^not valid JSON/);
    expect(r.error.rawText).toBe(reply.text);
    expect(r.call?.outcome).toBe('invalidResponse');
    expect(r.call?.parsed).toBeNull();
    expect(r.call?.responseText).toBe(reply.text);
    // a billed failure still counts: (1000×4 + 40×20) / 10^6 = 0.0048 USD
    expect(r.call?.costUsd).toBe(4_800_000_000_000_000n);
  });

  it('truncated JSON at max_tokens (the predecessor parsed this as NO_CHANGE)', async () => {
    const reply = fakeReply.truncated(noChange);
    env.fake.enqueue(reply);
    const r = await env.advisor.decide(decideInput);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('invalidResponse');
    expect(r.error.reason).toContain('max_tokens');
    expect(r.error.reason).toContain('16384');
    expect(r.error.rawText).toBe(reply.text);
    expect(r.call?.stopReason).toBe('max_tokens');
    // the fake bills the whole cap when it truncates
    expect(r.call?.usage.outputTokens).toBe(16_384);
  });

  it('complete JSON that still hit max_tokens is refused too (the text may be a cut-off prefix)', async () => {
    env.fake.enqueue(fakeReply.json(noChange, { stopReason: 'max_tokens' }));
    const r = await env.advisor.decide(decideInput);
    expect(r.ok || r.error.kind).toBe('invalidResponse');
  });

  it('a decision kind without what it needs', async () => {
    env.fake.enqueue(fakeReply.json({ ...createCandidate, changeRequest: null }));
    const r = await env.advisor.decide(decideInput);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('invalidResponse');
    expect(r.error.reason).toContain('changeRequest: is required for CREATE_CANDIDATE');
    expect(JSON.parse(r.error.rawText!)).toMatchObject({ decision: 'CREATE_CANDIDATE' });
  });

  it('a decision outside the closed set', async () => {
    env.fake.enqueue(fakeReply.json({ ...noChange, decision: 'STRATEGY_OVERHAUL' }));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.reason).toContain('decision: must be one of NO_CHANGE, CREATE_CANDIDATE');
  });

  it('a slot beyond max_candidates', async () => {
    env.fake.enqueue(fakeReply.json({ ...noChange, decision: 'CANCEL_CANDIDATE', targetSlot: 5 }));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error).toMatchObject({ kind: 'invalidResponse', reason: 'targetSlot: 5 does not exist; slots are 1..3 (max_candidates)' });
  });

  it('a reflection grading a prediction it was not given', async () => {
    env.fake.enqueue(fakeReply.json(reflection));
    const r = await env.advisor.reflect({ strategyDocument: 'doc', openPredictions: [], data: [] });
    expect(!r.ok && r.error).toMatchObject({ kind: 'invalidResponse', reason: 'gradedPredictions: unknown prediction id(s) 7; open ids are none' });
  });

  it('an empty text', async () => {
    env.fake.enqueue(fakeReply.text(''));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error).toMatchObject({ kind: 'invalidResponse', reason: 'empty response: no JSON text', rawText: '' });
  });

  it('a refusal → refused, with the API\'s explanation', async () => {
    env.fake.enqueue(fakeReply.refusal('Policy category general_harms.'));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.kind).toBe('refused');
    expect(!r.ok && r.error.reason).toContain('Policy category general_harms.');
  });
});

describe('HTTP errors, retried by the SDK then classified', () => {
  it('429 twice (retry-after-ms, then retry-after) then success: three requests, the SDK counting its retries', async () => {
    env.fake.enqueue(fakeReply.rateLimited({ retryAfterMs: 20 }), fakeReply.rateLimited({ retryAfterSeconds: 0.02 }), fakeReply.json(noChange));
    const r = await env.advisor.decide(decideInput);
    expect(r.ok).toBe(true);
    const log = env.fake.requests();
    expect(log.map((q) => q.status)).toEqual([429, 429, 200]);
    expect(log.map((q) => q.retryCount)).toEqual([0, 1, 2]);
  });

  it('429 on every attempt → rateLimited after maxRetries + 1 requests', async () => {
    env.fake.enqueue(fakeReply.rateLimited({ retryAfterMs: 10 }), fakeReply.rateLimited({ retryAfterMs: 10 }), fakeReply.rateLimited({ retryAfterMs: 10 }));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.kind).toBe('rateLimited');
    expect(!r.ok && r.error.reason).toContain('after 3 attempt(s)');
    expect(env.fake.requests()).toHaveLength(3);
    expect(!r.ok && r.call?.costUsd).toBe(0n);
  });

  it('529 overloaded on every attempt → overloaded', async () => {
    env.fake.enqueue(fakeReply.overloaded({ retryAfterMs: 10 }), fakeReply.overloaded({ retryAfterMs: 10 }), fakeReply.overloaded({ retryAfterMs: 10 }));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.kind).toBe('overloaded');
    expect(env.fake.requests().map((q) => q.status)).toEqual([529, 529, 529]);
  });

  it('529 once then success', async () => {
    env.fake.enqueue(fakeReply.overloaded({ retryAfterMs: 10 }), fakeReply.json(noChange));
    const r = await env.advisor.decide(decideInput);
    expect(r.ok).toBe(true);
    expect(env.fake.requests()).toHaveLength(2);
  });

  it('500 on every attempt → unavailable', async () => {
    env.fake.enqueue(fakeReply.serverError(500, { retryAfterMs: 10 }), fakeReply.serverError(500, { retryAfterMs: 10 }), fakeReply.serverError(500, { retryAfterMs: 10 }));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.kind).toBe('unavailable');
    expect(!r.ok && r.error.reason).toMatch(/^HTTP 500 API internal error after 3 attempt\(s\)/);
  });

  it('401 is not retried → unavailable naming the key', async () => {
    env.fake.enqueue(fakeReply.error(401, 'authentication_error', 'invalid x-api-key'));
    const r = await env.advisor.decide(decideInput);
    expect(!r.ok && r.error.kind).toBe('unavailable');
    expect(!r.ok && r.error.reason).toContain('check ANTHROPIC_API_KEY');
    expect(env.fake.requests()).toHaveLength(1);
  });
});

describe('deadlines and timeouts', () => {
  it('the call deadline ends a slow call as timeout, within the deadline', async () => {
    env.fake.enqueue(fakeReply.slow(fakeReply.json(noChange), 3000));
    const t0 = Date.now();
    const r = await env.advisor.decide(decideInput, { deadlineMs: t0 + 300 });
    const elapsed = Date.now() - t0;
    expect(!r.ok && r.error.kind).toBe('timeout');
    expect(!r.ok && r.error.reason).toContain('deadline');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
    expect(env.fake.requests()).toHaveLength(1);
  });

  it('the deadline also cuts the SDK\'s retry backoff short', async () => {
    env.fake.enqueue(fakeReply.rateLimited({ retryAfterMs: 5000 }), fakeReply.json(noChange));
    const t0 = Date.now();
    const r = await env.advisor.decide(decideInput, { deadlineMs: t0 + 300 });
    expect(!r.ok && r.error.kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(env.fake.requests()).toHaveLength(1);
  });

  it('the request timeout (per attempt, retried by the SDK) → timeout', async () => {
    const short = await setup({ requestTimeoutMs: 150, maxRetries: 1 });
    try {
      short.fake.enqueue(fakeReply.hang(), fakeReply.hang());
      const t0 = Date.now();
      const r = await short.advisor.decide(decideInput);
      expect(!r.ok && r.error.kind).toBe('timeout');
      expect(!r.ok && r.error.reason).toBe('request timed out after 150 ms per attempt (2 attempt(s))');
      expect(short.fake.requests()).toHaveLength(2);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await short.close();
    }
  });

  it('a caller abort ends the call as timeout', async () => {
    env.fake.enqueue(fakeReply.hang());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await env.advisor.decide(decideInput, { signal: ac.signal });
    expect(!r.ok && r.error).toMatchObject({ kind: 'timeout', reason: 'aborted by the caller before an answer arrived' });
  });

  it('a deadline already passed sends nothing', async () => {
    const r = await env.advisor.decide(decideInput, { deadlineMs: Date.now() - 1 });
    expect(!r.ok && r.error.kind).toBe('timeout');
    expect(!r.ok && r.call).toBeUndefined();
    expect(env.fake.requests()).toHaveLength(0);
  });
});
