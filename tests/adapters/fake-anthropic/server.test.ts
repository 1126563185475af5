/**
 * The fake Messages API, driven only through the real `@anthropic-ai/sdk` (`baseURL`): the SDK
 * accepts its message shape (content blocks, stop reason, full usage), its errors become the
 * SDK's typed errors, and its log shows what arrived.
 */
import Anthropic, { AuthenticationError, BadRequestError, OverloadedError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeAnthropic, checkBody, fakeReply, startFakeAnthropic } from '../../../adapters/fake-anthropic/index.ts';

const KEY = 'sk-fake-test-key-000111';
let fake: FakeAnthropic;
let client: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  client = new Anthropic({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 0, timeout: 2000, logLevel: 'off' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ask = (c: Anthropic = client, extra: Record<string, unknown> = {}) =>
  c.messages.create({ model: 'claude-haiku-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra } as Anthropic.MessageCreateParamsNonStreaming);

describe('message shape', () => {
  it('a scripted message arrives with content blocks, stop reason and every usage field', async () => {
    fake.enqueue(
      fakeReply.text('hello', {
        thinking: 'thinking…',
        usage: { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 3, cache_creation_input_tokens: 5, ephemeral_1h_input_tokens: 2, thinking_tokens: 4 },
      }),
    );
    const m = await ask();
    expect(m.type).toBe('message');
    expect(m.role).toBe('assistant');
    expect(m.model).toBe('claude-haiku-5-5');
    expect(m.id).toMatch(/^msg_fake_/);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(m.content[1]).toMatchObject({ type: 'text', text: 'hello' });
    expect(m.usage).toEqual({
      input_tokens: 11,
      output_tokens: 7,
      cache_creation_input_tokens: 5,
      cache_read_input_tokens: 3,
      cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 2 },
      output_tokens_details: { thinking_tokens: 4 },
      server_tool_use: null,
      service_tier: 'standard',
      speed: 'standard',
      inference_geo: 'global',
    });
  });

  it('structured output: the JSON text in one text block, parsed by the SDK\'s messages.parse', async () => {
    const Schema = z.object({ answer: z.number() });
    fake.enqueue(fakeReply.json({ answer: 4 }));
    const m = await client.messages.parse({ model: 'claude-haiku-5-5', max_tokens: 50, messages: [{ role: 'user', content: '2+2?' }], output_config: { format: zodOutputFormat(Schema) } });
    expect(m.parsed_output).toEqual({ answer: 4 });
    const body = fake.requests()[0]!.body as { output_config: { format: { type: string; schema: { properties: object } } } };
    expect(body.output_config.format.type).toBe('json_schema');
    expect(Object.keys(body.output_config.format.schema.properties)).toEqual(['answer']);
  });

  it('truncated replies cut the JSON and bill the whole output cap', async () => {
    fake.enqueue(fakeReply.truncated({ answer: 'a fairly long answer text' }));
    const m = await ask();
    expect(m.stop_reason).toBe('max_tokens');
    expect(m.usage.output_tokens).toBe(100);
    const text = (m.content[0] as { text: string }).text;
    expect(() => JSON.parse(text)).toThrow();
    expect(JSON.stringify({ answer: 'a fairly long answer text' }).startsWith(text)).toBe(true);
  });

  it('refusals carry stop_details and no text block', async () => {
    fake.enqueue(fakeReply.refusal('declined'));
    const m = await ask();
    expect(m.stop_reason).toBe('refusal');
    expect(m.stop_details).toEqual({ type: 'refusal', category: null, explanation: 'declined' });
    expect(m.content).toEqual([]);
  });

  it('unscripted usage defaults to about 4 characters per token', async () => {
    fake.enqueue(fakeReply.text('12345678'));
    const m = await ask();
    const bodyChars = fake.requests()[0]!.bodyText.length;
    expect(m.usage.input_tokens).toBe(Math.ceil(bodyChars / 4));
    expect(m.usage.output_tokens).toBe(2);
  });
});

describe('auth and request checks', () => {
  it('accepts the SDK\'s Authorization: Bearer and a plain x-api-key header', async () => {
    fake.enqueue(fakeReply.text('a'), fakeReply.text('b'));
    await ask();
    const viaHeader = new Anthropic({ apiKey: null, authToken: null, baseURL: fake.baseURL, maxRetries: 0, defaultHeaders: { 'x-api-key': KEY }, logLevel: 'off' });
    await ask(viaHeader);
    expect(fake.requests().map((r) => r.auth)).toEqual(['bearer', 'x-api-key']);
    expect(fake.requests().map((r) => r.status)).toEqual([200, 200]);
  });

  it('a wrong key is a 401 authentication_error (and consumes no script)', async () => {
    fake.enqueue(fakeReply.text('unused'));
    const wrong = new Anthropic({ apiKey: 'sk-wrong', baseURL: fake.baseURL, maxRetries: 0, logLevel: 'off' });
    await expect(ask(wrong)).rejects.toBeInstanceOf(AuthenticationError);
    expect(fake.pending()).toBe(1);
    expect(fake.requests()[0]!.reply).toBe('invalid:invalid API key');
  });

  it('sampling parameters removed in API 2026-10-21 are refused as the real API would', async () => {
    fake.enqueue(fakeReply.text('unused'));
    const err = await ask(client, { temperature: 0.3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).apiMessage).toBe('temperature: Extra inputs are not permitted (removed in API version 2026-10-21)');
  });

  it('an empty queue answers 400 naming the cause, and is not retried', async () => {
    const retrying = new Anthropic({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 2, logLevel: 'off' });
    const err = await ask(retrying).catch((e: unknown) => e);
    expect((err as BadRequestError).apiMessage).toBe('fake-anthropic: no scripted reply left for this request');
    expect(fake.requests()).toHaveLength(1);
  });

  it('checkBody lists what the API requires', () => {
    expect(checkBody([])).toBe('body: must be a JSON object');
    expect(checkBody({ max_tokens: 1, messages: [{}] })).toBe('model: is required (a model id string)');
    expect(checkBody({ model: 'm', max_tokens: 1.5, messages: [{}] })).toBe('max_tokens: must be an integer ≥ 0, got 1.5');
    expect(checkBody({ model: 'm', max_tokens: 1, messages: [] })).toBe('messages: must be a non-empty array');
    expect(checkBody({ model: 'm', max_tokens: 1, messages: [{}], stream: true })).toBe('stream: the fake answers non-streaming requests only');
    expect(checkBody({ model: 'm', max_tokens: 1, messages: [{}], output_config: { format: { type: 'text' } } })).toBe('output_config.format.type: must be "json_schema", got "text"');
    expect(checkBody({ model: 'm', max_tokens: 1, messages: [{}] })).toBeNull();
  });
});

describe('errors, delays and the log', () => {
  it('529 becomes the SDK\'s OverloadedError; 429 is retried after retry-after-ms', async () => {
    fake.enqueue(fakeReply.overloaded());
    await expect(ask()).rejects.toBeInstanceOf(OverloadedError);
    fake.reset();
    const retrying = new Anthropic({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 1, logLevel: 'off' });
    fake.enqueue(fakeReply.rateLimited({ retryAfterMs: 30 }), fakeReply.text('ok'));
    const t0 = Date.now();
    await ask(retrying);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(30);
    const log = fake.requests();
    expect(log.map((r) => [r.status, r.retryCount, r.reply])).toEqual([
      [429, 0, 'error:rate_limit_error'],
      [200, 1, 'message:end_turn'],
    ]);
    expect(log[0]!.receivedAtMs).toBeLessThanOrEqual(log[1]!.receivedAtMs);
  });

  it('slow replies arrive after their delay; a hang ends only when the client gives up', async () => {
    fake.enqueue(fakeReply.slow(fakeReply.text('late'), 120));
    const t0 = Date.now();
    await ask();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(120);
    fake.enqueue(fakeReply.hang());
    const impatient = new Anthropic({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 0, timeout: 100, logLevel: 'off' });
    await expect(ask(impatient)).rejects.toThrow(/timed out/i);
    expect(fake.requests().at(-1)!.reply).toBe('hang');
  });

  it('logs each request\'s path, headers and raw body; reset empties the queue and the log', async () => {
    fake.enqueue(fakeReply.text('x'), fakeReply.text('left over'));
    await ask();
    const [r] = fake.requests();
    expect(r).toMatchObject({ seq: expect.any(Number), method: 'POST', path: '/v1/messages', auth: 'bearer', retryCount: 0, status: 200 });
    expect(JSON.parse(r!.bodyText)).toEqual(r!.body);
    expect(r!.headers['anthropic-version']).toBe('2026-10-21');
    expect(fake.pending()).toBe(1);
    fake.reset();
    expect(fake.pending()).toBe(0);
    expect(fake.requests()).toEqual([]);
  });
});
