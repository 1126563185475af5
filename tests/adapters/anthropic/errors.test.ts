/** The SDK-error table: real SDK error objects (as the SDK builds them from a status) map to one kind each. */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AnthropicError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifySdkError } from '../../../adapters/anthropic/index.ts';

const ctx = { abort: null, attempts: 3, requestTimeoutMs: 300_000 } as const;
const headers = new Headers({ 'request-id': 'req_123' });
const fromStatus = (status: number, type = 'api_error') => APIError.generate(status, { type: 'error', error: { type, message: `m${status}` } }, undefined, headers);

describe('classifySdkError', () => {
  it.each([
    [400, 'unavailable'],
    [401, 'unavailable'],
    [403, 'unavailable'],
    [404, 'unavailable'],
    [408, 'timeout'],
    [413, 'unavailable'],
    [429, 'rateLimited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'timeout'],
    [529, 'overloaded'],
    [599, 'unavailable'],
    [418, 'unavailable'],
  ] as const)('HTTP %i → %s', (status, kind) => {
    const e = classifySdkError(fromStatus(status), ctx);
    expect(e?.kind).toBe(kind);
    expect(e?.reason).toContain(`HTTP ${status}`);
    expect(e?.reason).toContain(`m${status}`);
    expect(e?.reason).toContain('[request req_123]');
  });

  it('connection errors, timeouts and aborts', () => {
    expect(classifySdkError(new APIConnectionTimeoutError(), ctx)).toEqual({ kind: 'timeout', reason: 'request timed out after 300000 ms per attempt (3 attempt(s))' });
    expect(classifySdkError(new APIConnectionError({ cause: new Error('ECONNREFUSED') }), ctx)).toEqual({ kind: 'unavailable', reason: 'connection failed after 3 attempt(s): ECONNREFUSED' });
    expect(classifySdkError(new APIUserAbortError(), ctx)?.kind).toBe('timeout');
    expect(classifySdkError(new APIUserAbortError(), { ...ctx, abort: 'deadline', deadlineMs: Date.UTC(2026, 10, 25, 6, 30) })?.reason).toBe(
      "the call's deadline (2026-11-25T06:30:00.000Z) passed before an answer arrived",
    );
    expect(classifySdkError(new AnthropicError('Streaming is required'), ctx)).toEqual({ kind: 'unavailable', reason: 'SDK error: Streaming is required' });
  });

  it('anything that is not an SDK error is not classified (a bug: the caller rethrows it)', () => {
    expect(classifySdkError(new TypeError('x is undefined'), ctx)).toBeNull();
  });
});
