/**
 * The provider switch and option checks: `provider = "vertex"` without `@anthropic-ai/vertex-sdk`
 * is an `unavailable` value naming the install command (nothing sent); with a Vertex client
 * available the same calls flow through it; invalid options fail at construction, all listed.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisorOptionsError, VERTEX_NOT_INSTALLED, createClaudeAdvisor, createMemoryBudgetLedger } from '../../../adapters/anthropic/index.ts';
import { type FakeAnthropic, fakeReply, startFakeAnthropic } from '../../../adapters/fake-anthropic/index.ts';
import { API_KEY, TIME_ZONE, advisorOptions, answer } from './support.ts';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
});
afterAll(() => fake.close());

describe('vertex provider', () => {
  it('without @anthropic-ai/vertex-sdk installed: unavailable, with the install command, nothing sent', async () => {
    fake.reset();
    const ledger = createMemoryBudgetLedger(TIME_ZONE);
    const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, { provider: 'vertex', apiKey: undefined, vertex: { projectId: 'my-project', region: 'us-east5' } }));
    const r = await advisor.ask({ question: 'q', data: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({ kind: 'unavailable', reason: VERTEX_NOT_INSTALLED });
    expect(r.error.reason).toBe('provider "vertex" needs @anthropic-ai/vertex-sdk, which is not installed: npm install @anthropic-ai/vertex-sdk');
    expect(fake.requests()).toHaveLength(0);
  });

  it('with a Vertex client: project, region, timeout and retries are passed; calls flow through it', async () => {
    fake.reset();
    const seen: Record<string, unknown>[] = [];
    // Stands in for AnthropicVertex (not installed here): records its options, then talks to the fake through the real SDK.
    class AnthropicVertex extends Anthropic {
      constructor(opts: Record<string, unknown>) {
        seen.push(opts);
        super({ apiKey: API_KEY, baseURL: fake.baseURL, timeout: opts.timeout as number, maxRetries: opts.maxRetries as number });
      }
    }
    const ledger = createMemoryBudgetLedger(TIME_ZONE);
    const advisor = createClaudeAdvisor(
      advisorOptions(fake, ledger, { provider: 'vertex', apiKey: undefined, vertex: { projectId: 'my-project', region: 'global' }, loadVertexSdk: async () => ({ AnthropicVertex }) }),
    );
    fake.enqueue(fakeReply.json(answer), fakeReply.json(answer));
    expect((await advisor.ask({ question: 'q', data: [] })).ok).toBe(true);
    expect((await advisor.ask({ question: 'q', data: [] })).ok).toBe(true);
    expect(seen).toEqual([{ projectId: 'my-project', region: 'global', timeout: 5000, maxRetries: 2 }]);
  });

  it('a Vertex SDK that fails to load for another reason says so', async () => {
    const advisor = createClaudeAdvisor(
      advisorOptions(fake, createMemoryBudgetLedger(TIME_ZONE), {
        provider: 'vertex',
        vertex: { projectId: 'p', region: 'r' },
        loadVertexSdk: async () => {
          throw new Error('google-auth-library missing');
        },
      }),
    );
    const r = await advisor.ask({ question: 'q', data: [] });
    expect(!r.ok && r.error).toEqual({ kind: 'unavailable', reason: '@anthropic-ai/vertex-sdk failed to load: google-auth-library missing' });
  });
});

describe('options', () => {
  it('lists every problem at construction', () => {
    const ledger = createMemoryBudgetLedger(TIME_ZONE);
    const bad = () =>
      createClaudeAdvisor(
        advisorOptions(fake, ledger, {
          apiKey: '',
          codeModel: 'claude-unknown-1',
          dailyTokenLimit: 0,
          requestTimeoutMs: 1.5,
          prices: { 'claude-opus-5-5': { input: 4, output: -1, cacheWrite: 5, cacheRead: 0.2 }, 'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 } },
        }),
      );
    expect(bad).toThrow(AdvisorOptionsError);
    try {
      bad();
    } catch (err) {
      expect((err as AdvisorOptionsError).problems).toEqual([
        'apiKey: required for provider "anthropic" (ANTHROPIC_API_KEY)',
        'prices: no entry for codeModel "claude-unknown-1"; known: claude-opus-5-5, claude-haiku-5-5',
        'dailyTokenLimit: must be an integer ≥ 1, got 0',
        'requestTimeoutMs: must be an integer ≥ 1, got 1.5',
        'prices.claude-opus-5-5.output: must be a number ≥ 0 (USD per million tokens), got -1',
      ]);
    }
  });

  it('vertex needs a project id', () => {
    expect(() => createClaudeAdvisor(advisorOptions(fake, createMemoryBudgetLedger(TIME_ZONE), { provider: 'vertex', vertex: { projectId: '', region: 'us-east5' } }))).toThrow(
      'vertex.projectId: required for provider "vertex"',
    );
  });
});
