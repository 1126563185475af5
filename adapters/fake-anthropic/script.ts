/**
 * Scripted replies of the fake Messages API: each request takes the next reply from the queue.
 * `fakeReply` builds the common ones — a structured (JSON) answer, malformed or truncated JSON,
 * a refusal, 429/529/5xx errors with retry headers, and slow or hanging replies for timeouts.
 */

/** The API's stop reasons (SDK 1.14 `StopReason`). */
export type FakeStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

/** Usage fields a script may fix; unset fields take the fake's defaults (see `startFakeAnthropic`). */
export interface FakeUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
  /** Part of `cache_creation_input_tokens` written with the 1-hour TTL (the rest is 5-minute). */
  readonly ephemeral_1h_input_tokens: number;
  /** Part of `output_tokens` spent thinking. */
  readonly thinking_tokens: number;
}

/** A 200 reply: one assistant message. */
export interface ScriptedMessage {
  readonly kind: 'message';
  /** The text block's text (for structured outputs: the JSON text, as the API sends it). */
  readonly text: string;
  readonly stopReason: FakeStopReason;
  readonly usage?: Partial<FakeUsage>;
  /** A thinking block placed before the text block (omitted when undefined). */
  readonly thinking?: string;
  /** `stop_details` of a refusal. */
  readonly refusal?: { readonly category: string | null; readonly explanation: string | null };
  /** Wait this long (real ms) before answering. */
  readonly delayMs?: number;
}

/** An error reply in the API's error shape `{ type: 'error', error: { type, message } }`. */
export interface ScriptedError {
  readonly kind: 'error';
  readonly status: number;
  /** API error type, e.g. `rate_limit_error`, `overloaded_error`, `api_error`. */
  readonly errorType: string;
  readonly message: string;
  /** Extra headers, e.g. `retry-after`, `retry-after-ms`, `x-should-retry`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

/** Never answers: the request stays open until the client gives up or the server closes. */
export interface ScriptedHang {
  readonly kind: 'hang';
}

/** One scripted reply. */
export type ScriptedReply = ScriptedMessage | ScriptedError | ScriptedHang;

/** Options shared by the message builders. */
export interface MessageOptions {
  readonly usage?: Partial<FakeUsage>;
  readonly thinking?: string;
  readonly delayMs?: number;
  readonly stopReason?: FakeStopReason;
}

function message(text: string, o: MessageOptions = {}): ScriptedMessage {
  return {
    kind: 'message',
    text,
    stopReason: o.stopReason ?? 'end_turn',
    ...(o.usage === undefined ? {} : { usage: o.usage }),
    ...(o.thinking === undefined ? {} : { thinking: o.thinking }),
    ...(o.delayMs === undefined ? {} : { delayMs: o.delayMs }),
  };
}

/** Builders for scripted replies. */
export const fakeReply = {
  /** A structured answer: `value` as JSON text in one text block, `stop_reason: end_turn`. */
  json(value: unknown, o: MessageOptions = {}): ScriptedMessage {
    return message(JSON.stringify(value), o);
  },
  /** A plain text answer. */
  text(text: string, o: MessageOptions = {}): ScriptedMessage {
    return message(text, o);
  },
  /** Text that is not JSON (a prose preamble and an unterminated object), `end_turn`. */
  malformed(o: MessageOptions = {}): ScriptedMessage {
    return message('Here is my decision: {"decision": "PROMOTE_CANDIDATE", "reasoning": "looks good",', o);
  },
  /**
   * `value` as JSON cut after `keepFraction` of its characters (default 0.5), with
   * `stop_reason: max_tokens` — what a response that hit its output cap looks like.
   */
  truncated(value: unknown, o: MessageOptions & { readonly keepFraction?: number } = {}): ScriptedMessage {
    const full = JSON.stringify(value);
    const keep = Math.max(1, Math.min(full.length - 1, Math.floor(full.length * (o.keepFraction ?? 0.5))));
    return message(full.slice(0, keep), { ...o, stopReason: 'max_tokens' });
  },
  /** A refusal: `stop_reason: refusal` with `stop_details`. */
  refusal(explanation = 'The request was declined.', o: MessageOptions = {}): ScriptedMessage {
    return { ...message('', o), stopReason: 'refusal', refusal: { category: null, explanation } };
  },
  /** HTTP 429 `rate_limit_error`; `retryAfterMs` sets `retry-after-ms`, `retryAfterSeconds` sets `retry-after`. */
  rateLimited(o: { readonly retryAfterMs?: number; readonly retryAfterSeconds?: number; readonly delayMs?: number } = {}): ScriptedError {
    const headers: Record<string, string> = {};
    if (o.retryAfterMs !== undefined) headers['retry-after-ms'] = String(o.retryAfterMs);
    if (o.retryAfterSeconds !== undefined) headers['retry-after'] = String(o.retryAfterSeconds);
    return { kind: 'error', status: 429, errorType: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit', headers, ...(o.delayMs === undefined ? {} : { delayMs: o.delayMs }) };
  },
  /** HTTP 529 `overloaded_error` (retry delay via `retry-after-ms` when given). */
  overloaded(o: { readonly retryAfterMs?: number } = {}): ScriptedError {
    const headers: Record<string, string> = o.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(o.retryAfterMs) };
    return { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers };
  },
  /** HTTP 5xx `api_error` (default 500). */
  serverError(status = 500, o: { readonly retryAfterMs?: number } = {}): ScriptedError {
    const headers: Record<string, string> = o.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(o.retryAfterMs) };
    return { kind: 'error', status, errorType: 'api_error', message: 'Internal server error', headers };
  },
  /** Any error reply. */
  error(status: number, errorType: string, messageText: string, headers: Readonly<Record<string, string>> = {}): ScriptedError {
    return { kind: 'error', status, errorType, message: messageText, headers };
  },
  /** `reply` answered after `delayMs` real milliseconds. */
  slow<R extends ScriptedMessage | ScriptedError>(reply: R, delayMs: number): R {
    return { ...reply, delayMs };
  },
  /** A request that is never answered. */
  hang(): ScriptedHang {
    return { kind: 'hang' };
  },
};
