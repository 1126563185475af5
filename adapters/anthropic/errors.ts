/**
 * One explicit table from SDK errors to advisor failure kinds (STYLE.md 5): callers decide from
 * the kind, never from message text. The SDK has already retried what it retries (408, 409, 429,
 * 5xx, connection errors) when an error reaches this table.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AnthropicError,
} from '@anthropic-ai/sdk';
import type { AdvisorError, AdvisorErrorKind } from '../../domain/ports/index.ts';

/** HTTP status → kind, for statuses that reach us as `APIError`s. */
export const STATUS_KINDS: ReadonlyMap<number, { readonly kind: AdvisorErrorKind; readonly what: string }> = new Map([
  [400, { kind: 'unavailable', what: 'request rejected (bad request): a bug in the request or an unsupported model/parameter' }],
  [401, { kind: 'unavailable', what: 'authentication failed: check ANTHROPIC_API_KEY' }],
  [402, { kind: 'unavailable', what: 'payment required: check the account\'s billing' }],
  [403, { kind: 'unavailable', what: 'permission denied for this key or model' }],
  [404, { kind: 'unavailable', what: 'not found: check the model id and base URL' }],
  [408, { kind: 'timeout', what: 'the API timed out the request' }],
  [409, { kind: 'unavailable', what: 'conflict' }],
  [413, { kind: 'unavailable', what: 'request too large: the prompt exceeds the API\'s size limit' }],
  [422, { kind: 'unavailable', what: 'unprocessable request' }],
  [429, { kind: 'rateLimited', what: 'rate limited' }],
  [500, { kind: 'unavailable', what: 'API internal error' }],
  [502, { kind: 'unavailable', what: 'bad gateway' }],
  [503, { kind: 'unavailable', what: 'service unavailable' }],
  [504, { kind: 'timeout', what: 'gateway timeout' }],
  [529, { kind: 'overloaded', what: 'API overloaded' }],
]);

/** Why the call was aborted, when it was. */
export type AbortCause = 'deadline' | 'caller' | null;

/**
 * Maps an error thrown by the SDK to an `AdvisorError`. `attempts` is the SDK's attempt budget
 * (maxRetries + 1), quoted in reasons. Returns null for anything that is not an SDK error (a bug
 * on our side, which the caller rethrows).
 */
export function classifySdkError(err: unknown, ctx: { readonly abort: AbortCause; readonly attempts: number; readonly requestTimeoutMs: number; readonly deadlineMs?: number }): AdvisorError | null {
  if (ctx.abort === 'deadline') return { kind: 'timeout', reason: `the call's deadline (${ctx.deadlineMs === undefined ? 'unknown' : new Date(ctx.deadlineMs).toISOString()}) passed before an answer arrived` };
  if (ctx.abort === 'caller' || err instanceof APIUserAbortError) return { kind: 'timeout', reason: 'aborted by the caller before an answer arrived' };
  if (err instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', reason: `request timed out after ${ctx.requestTimeoutMs} ms per attempt (${ctx.attempts} attempt(s))` };
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { kind: 'unavailable', reason: `connection failed after ${ctx.attempts} attempt(s)${cause}` };
  }
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const entry = STATUS_KINDS.get(status) ?? (status >= 500 ? { kind: 'unavailable' as const, what: 'API server error' } : { kind: 'unavailable' as const, what: 'request refused by the API' });
    const retried = status === 429 || status === 408 || status === 409 || status >= 500 ? ` after ${ctx.attempts} attempt(s)` : '';
    const detail = err.apiMessage ?? err.message;
    const id = err.requestID ? ` [request ${err.requestID}]` : '';
    return { kind: entry.kind, reason: `HTTP ${status} ${entry.what}${retried}: ${detail}${id}` };
  }
  if (err instanceof AnthropicError) return { kind: 'unavailable', reason: `SDK error: ${err.message}` };
  return null;
}
