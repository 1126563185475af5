/**
 * Every structured call through the real SDK against the fake Messages API: the value is parsed
 * and validated, and the record carries the usage and the exact cost. Costs are hand-computed
 * from the default prices (reference/ecosystem.md §4, USD per million tokens).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeReply } from '../../../adapters/fake-anthropic/index.ts';
import { budgetTokens } from '../../../domain/advice/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { answer, approve, bodyOf, deploy, generated, noChange, reflection, setup } from './support.ts';

let env: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());
beforeEach(() => env.fake.reset());

const openPrediction = { id: 7, claim: 'BTC stays within ±5%', evidence: 'ATR fell', falsification: 'a close outside ±5%', confidence: 'medium', timeframe: '7 days', category: 'regime', madeAtMs: 1_790_000_000_000 } as const;

describe('structured calls', () => {
  it('decide: parses the decision and prices opus usage with cache reads and writes', async () => {
    env.fake.enqueue(fakeReply.json(noChange, { usage: { input_tokens: 1200, output_tokens: 350, cache_read_input_tokens: 3000, cache_creation_input_tokens: 800 } }));
    const r = await env.advisor.decide({ strategyDocument: 'doc', data: [{ kind: 'marketData', title: 'BTC/USD', content: 'close 97000' }], maxCandidates: 3 }, { cycleId: '20261125_033000' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(noChange);
    // (1200×4 + 350×20 + 3000×0.2 + 800×5) / 10^6 = (4800 + 7000 + 600 + 4000) / 10^6 = 0.0164
    expect(r.call.costUsd).toBe(fromString('0.0164'));
    expect(r.call.usage).toEqual({ inputTokens: 1200, outputTokens: 350, cacheReadTokens: 3000, cacheWriteTokens: 800, cacheWrite1hTokens: 0, thinkingTokens: 0 });
    expect(r.call).toMatchObject({ model: 'claude-opus-5-5', purpose: 'decision', step: 'analysis', cycleId: '20261125_033000', outcome: 'ok', stopReason: 'end_turn', parsed: noChange, redactions: 0 });
    expect(JSON.parse(r.call.responseText)).toEqual(noChange);
    expect(r.call.messageId).toMatch(/^msg_/);
    expect(r.call.promptSummary).toContain('system decision.v1');
    expect(r.call.promptSummary).toContain('marketData "BTC/USD"');
    expect(bodyOf(env.fake).max_tokens).toBe(16_384);
    expect(bodyOf(env.fake).model).toBe('claude-opus-5-5');
  });

  it('generateStrategy: uses the code model and its cap; unwraps a fenced source but keeps the raw text', async () => {
    const fenced = { ...generated, source: '```ts\nexport function analyze() { return []; }\n```' };
    env.fake.enqueue(fakeReply.json(fenced, { usage: { input_tokens: 2000, output_tokens: 5000, cache_read_input_tokens: 10_000 } }));
    const r = await env.advisor.generateStrategy(
      { module: 'strategy', changeRequest: 'never trade', currentSource: 'export function analyze() { return [1]; }', feedback: ['review: missing stop-loss'], data: [] },
      { cycleId: 'c1', step: 'candidate_gen_o1_i2' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.source).toBe('export function analyze() { return []; }');
    expect(r.call.responseText).toContain('```ts');
    // (2000×2 + 5000×10 + 10000×0.2) / 10^6 = (4000 + 50000 + 2000) / 10^6 = 0.056
    expect(r.call.costUsd).toBe(fromString('0.056'));
    expect(r.call).toMatchObject({ model: 'claude-sonnet-5-5', purpose: 'generate', step: 'candidate_gen_o1_i2' });
    const texts = bodyOf(env.fake).messages[0]!.content.map((b) => b.text).join('\n');
    expect(texts).toContain('review: missing stop-loss');
    expect(texts).toContain('never trade');
  });

  it('reviewCode: approve with a minor issue', async () => {
    env.fake.enqueue(fakeReply.json(approve, { usage: { input_tokens: 7000, output_tokens: 900 } }));
    const r = await env.advisor.reviewCode({ module: 'strategy', changeRequest: 'x', source: 'export function analyze() { return []; }', diff: '', data: [] });
    expect(r.ok && r.value).toEqual(approve);
    // (7000×4 + 900×20) / 10^6 = (28000 + 18000) / 10^6 = 0.046
    expect(r.ok && r.call.costUsd).toBe(fromString('0.046'));
  });

  it('reviewBacktest: prices 1-hour cache writes at 2 × input when no 1-hour price is configured', async () => {
    env.fake.enqueue(fakeReply.json(deploy, { usage: { input_tokens: 3000, output_tokens: 1200, cache_creation_input_tokens: 2000, ephemeral_1h_input_tokens: 500 } }));
    const r = await env.advisor.reviewBacktest({ changeRequest: 'x', backtestReport: 'oos sharpe 1.1', incumbentReport: 'oos sharpe 0.7', attempts: [], data: [] });
    expect(r.ok && r.value).toEqual(deploy);
    // 3000×4 + 1200×20 + 1500×5 (5-minute writes) + 500×8 (1-hour writes, 2×4) = 12000 + 24000 + 7500 + 4000 = 47500 → 0.0475
    expect(r.ok && r.call.costUsd).toBe(fromString('0.0475'));
    expect(r.ok && r.call.usage.cacheWrite1hTokens).toBe(500);
  });

  it('reflect: grades known ids; thinking tokens are output tokens and the thinking text is kept', async () => {
    env.fake.enqueue(fakeReply.json(reflection, { usage: { input_tokens: 20_000, output_tokens: 6000, thinking_tokens: 2000 }, thinking: 'Let me grade prediction 7.' }));
    const r = await env.advisor.reflect({ strategyDocument: 'old doc', openPredictions: [openPrediction], data: [] }, { cycleId: 'c2' });
    expect(r.ok && r.value).toEqual(reflection);
    // (20000×4 + 6000×20) / 10^6 = 200000 / 10^6 = 0.2 (thinking is part of output_tokens)
    expect(r.ok && r.call.costUsd).toBe(fromString('0.2'));
    expect(r.ok && r.call.thinkingText).toBe('Let me grade prediction 7.');
    expect(r.ok && r.call.usage.thinkingTokens).toBe(2000);
    const texts = bodyOf(env.fake).messages[0]!.content.map((b) => b.text).join('\n');
    expect(texts).toContain('"id": 7');
  });

  it('ask: uses the ask model and cap, outside a cycle', async () => {
    env.fake.enqueue(fakeReply.json(answer, { usage: { input_tokens: 1500, output_tokens: 200, cache_read_input_tokens: 4000 } }));
    const r = await env.advisor.ask({ question: 'What is open?', data: [{ kind: 'performance', title: 'Positions', content: 'BTC/USD, ETH/USD' }] });
    expect(r.ok && r.value).toEqual(answer);
    // (1500×0.1 + 200×0.5 + 4000×0.01) / 10^6 = (150 + 100 + 40) / 10^6 = 0.00029
    expect(r.ok && r.call.costUsd).toBe(fromString('0.00029'));
    expect(r.ok && r.call).toMatchObject({ model: 'claude-haiku-5-5', purpose: 'ask', step: 'user_ask', cycleId: null });
    expect(bodyOf(env.fake).max_tokens).toBe(4096);
  });

  it('records every billed call in the ledger, and the budget counts the whole prompt plus output', async () => {
    const before = env.ledger.calls.length;
    const usedBefore = env.ledger.tokensUsedOn(Date.now());
    env.fake.enqueue(fakeReply.json(answer, { usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 300, cache_creation_input_tokens: 50 } }));
    const r = await env.advisor.ask({ question: 'q', data: [] });
    expect(r.ok).toBe(true);
    expect(env.ledger.calls.length).toBe(before + 1);
    // 100 + 50 + 300 + 20 = 470
    expect(budgetTokens(env.ledger.calls.at(-1)!.usage)).toBe(470);
    expect(env.ledger.tokensUsedOn(Date.now()) - usedBefore).toBe(470);
  });
});

describe('request shape', () => {
  it('sends the system prompt first with cache_control, data only in the user turn, market data last, a JSON schema output format and no sampling parameters', async () => {
    env.fake.enqueue(fakeReply.json(noChange));
    await env.advisor.decide({
      strategyDocument: 'THE-DOC',
      data: [
        { kind: 'marketData', title: 'ETH/USD 1h', content: 'MARKET-ETH' },
        { kind: 'groundTruth', title: 'Truth benchmarks', content: 'TRUTH' },
        { kind: 'trades', title: 'Last 50 trades', content: 'TRADES' },
        { kind: 'strategyCode', title: 'v001', content: 'CODE' },
      ],
      maxCandidates: 3,
    });
    const body = bodyOf(env.fake);
    expect(body.system).toHaveLength(1);
    expect(body.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.role).toBe('user');
    const blocks = body.messages[0]!.content;
    const order = blocks.map((b) => /kind="(\w+)"/.exec(b.text)![1]);
    expect(order).toEqual(['strategyDocument', 'strategyCode', 'groundTruth', 'candidates', 'trades', 'marketData']);
    for (const b of blocks) expect(b.text).toMatch(/^<untrusted-data kind="\w+" title="[^"]*">\n[\s\S]*\n<\/untrusted-data>$/);
    // the stable prefix (document + code) ends with a cache breakpoint; nothing else carries one
    expect(blocks.map((b) => b.cache_control !== undefined)).toEqual([false, true, false, false, false, false]);
    expect(body.output_config?.format?.type).toBe('json_schema');
    const schema = body.output_config!.format!.schema;
    expect(schema.type).toBe('object');
    expect((schema.required as string[]).sort()).toEqual(Object.keys(noChange).sort());
    for (const p of ['temperature', 'top_p', 'top_k', 'stream']) expect(body).not.toHaveProperty(p);
    const req = env.fake.requests()[0]!;
    expect(req.auth).toBe('bearer');
    expect(req.headers['anthropic-version']).toBe('2026-10-21');
  });

  it('labels analysis-module code as analysisCode', async () => {
    env.fake.enqueue(fakeReply.json(generated));
    await env.advisor.generateStrategy({ module: 'tradeAnalysis', changeRequest: 'add expectancy', currentSource: 'export function run() {}', feedback: [], data: [] });
    const first = bodyOf(env.fake).messages[0]!.content[0]!.text;
    expect(first).toMatch(/^<untrusted-data kind="analysisCode" title="Current trade performance module source \(module = tradeAnalysis\)">/);
  });
});

describe('remainingToday', () => {
  it('is the limit minus what the ledger counted today', async () => {
    const used = env.ledger.tokensUsedOn(Date.now());
    expect(env.advisor.remainingToday()).toBe(1_500_000 - used);
  });
});
