/**
 * Fake Anthropic Messages API: a loopback HTTP server speaking `POST /v1/messages` with scripted
 * replies (structured JSON, malformed or truncated JSON, refusals, 429/529/5xx, slow and hanging
 * replies) and a request log. Drive it only through the real SDK via `baseURL`. See docs/advisor.md.
 */
export { type FakeAnthropic, type FakeAnthropicOptions, MESSAGES_PATH, checkBody, startFakeAnthropic } from './server.ts';
export { type FakeStopReason, type FakeUsage, type MessageOptions, type ScriptedError, type ScriptedHang, type ScriptedMessage, type ScriptedReply, fakeReply } from './script.ts';
export type { FakeAnthropicRequest } from './request-log.ts';
export { estimateTokens } from './format.ts';
