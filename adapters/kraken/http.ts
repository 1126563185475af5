/**
 * One HTTP exchange with a timeout and the caller's AbortSignal, mapped to values: a status and
 * body text, or a classified transport error (`timeout`, `network`, `aborted`). Uses the global
 * `fetch` (Node 20 undici) unless another is injected.
 */
import { type KrakenError, abortedError, networkError, timeoutError } from './errors.ts';
import type { Runtime } from './runtime.ts';

/** What `fetch`-compatible functions must offer. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** One request. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** A response that arrived (any status). */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Largest body read, in characters; bigger bodies are cut (and then fail to parse). */
export const MAX_BODY_CHARS = 8 * 1024 * 1024;

/**
 * Sends `request`; resolves to the response or a transport error, never rejects. The timeout
 * covers the whole exchange including reading the body.
 */
export async function sendHttp(
  fetchFn: FetchLike,
  runtime: Pick<Runtime, 'setTimeout' | 'clearTimeout'>,
  request: HttpRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ ok: true; response: HttpResponse } | { ok: false; error: KrakenError }> {
  if (signal?.aborted) return { ok: false, error: abortedError() };
  const controller = new AbortController();
  let timedOut = false;
  const timer = runtime.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
    });
    const text = await res.text();
    return { ok: true, response: { status: res.status, body: text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text } };
  } catch (e) {
    if (timedOut) return { ok: false, error: timeoutError(timeoutMs) };
    if (signal?.aborted) return { ok: false, error: abortedError() };
    return { ok: false, error: networkError(describeFetchError(e)) };
  } finally {
    runtime.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function describeFetchError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${e.message} (${code})` : `${e.message}: ${cause.message}`;
    }
    return e.message;
  }
  return String(e);
}
