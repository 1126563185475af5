/**
 * Response bodies in the Messages API's exact shapes (API version 2026-10-21, SDK 1.14 types):
 * a `Message` with content blocks, `stop_reason` and the full `usage` object, and the error
 * envelope. Pure functions of the scripted reply and the request.
 */
import type { FakeUsage, ScriptedError, ScriptedMessage } from './script.ts';

/** Default usage: about 4 characters per token, so unscripted replies still carry plausible counts. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** The `Message` body for a scripted message answering a request for `model` with `maxTokens`. */
export function messageBody(reply: ScriptedMessage, req: { readonly model: string; readonly maxTokens: number; readonly bodyChars: number }, id: string): Record<string, unknown> {
  const u = reply.usage ?? {};
  const outputDefault = reply.stopReason === 'max_tokens' ? req.maxTokens : estimateTokens(reply.text.length + (reply.thinking?.length ?? 0));
  const usage: FakeUsage = {
    input_tokens: u.input_tokens ?? estimateTokens(req.bodyChars),
    output_tokens: u.output_tokens ?? outputDefault,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    ephemeral_1h_input_tokens: u.ephemeral_1h_input_tokens ?? 0,
    thinking_tokens: u.thinking_tokens ?? 0,
  };
  const content: Record<string, unknown>[] = [];
  if (reply.thinking !== undefined) content.push({ type: 'thinking', thinking: reply.thinking, signature: `sig_${id}` });
  if (reply.text !== '' || reply.stopReason !== 'refusal') content.push({ type: 'text', text: reply.text, citations: null });
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    container: null,
    diagnostics: null,
    stop_reason: reply.stopReason,
    stop_sequence: null,
    stop_details: reply.refusal === undefined ? null : { type: 'refusal', category: reply.refusal.category, explanation: reply.refusal.explanation },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: {
        ephemeral_5m_input_tokens: usage.cache_creation_input_tokens - usage.ephemeral_1h_input_tokens,
        ephemeral_1h_input_tokens: usage.ephemeral_1h_input_tokens,
      },
      output_tokens_details: { thinking_tokens: usage.thinking_tokens },
      server_tool_use: null,
      service_tier: 'standard',
      speed: 'standard',
      inference_geo: 'global',
    },
  };
}

/** The error envelope `{ type: 'error', error: { type, message }, request_id }`. */
export function errorBody(errorType: string, message: string, requestId: string): Record<string, unknown> {
  return { type: 'error', error: { type: errorType, message }, request_id: requestId };
}

/** The error envelope of a scripted error. */
export function scriptedErrorBody(reply: ScriptedError, requestId: string): Record<string, unknown> {
  return errorBody(reply.errorType, reply.message, requestId);
}
