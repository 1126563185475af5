/**
 * Test helpers for the Kraken adapter: golden fixtures, a loopback HTTP server that speaks
 * Kraken's REST envelope and checks signatures, and runtimes with a controllable clock.
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Runtime, decodeSecret, signRequest } from '../../../adapters/kraken/index.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/kraken/', import.meta.url));

/** A fixture's exact text. */
export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8').trim();
}

/**
 * Kraken's official test key (reference/kraken.md §3.2) — a published example, not a secret.
 */
export const TEST_SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
export const TEST_KEY = 'test-public-key';

/** One request as the loopback server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly form: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** For private calls: whether API-Sign matched the body (recomputed with TEST_SECRET). */
  readonly signatureOk: boolean | null;
}

/** What a handler returns: a reply, or `hang` (never answer; for timeouts). */
export type Reply = { readonly status?: number; readonly body: string } | 'hang';

/** A loopback HTTP server. */
export interface LoopbackHttp {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Requests to one endpoint path, e.g. `/0/private/AddOrder`. */
  to(path: string): SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0; `handle` decides each reply. */
export async function startHttp(handle: (req: SeenRequest) => Reply | Promise<Reply>): Promise<LoopbackHttp> {
  const requests: SeenRequest[] = [];
  const hanging: ServerResponse[] = [];
  const secret = decodeSecret(TEST_SECRET);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const form = new URLSearchParams(body);
      let signatureOk: boolean | null = null;
      if (url.pathname.startsWith('/0/private/')) {
        const nonce = form.get('nonce') ?? '';
        signatureOk = req.headers['api-sign'] === signRequest(url.pathname, nonce, body, secret);
      }
      const seen: SeenRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, body, form, headers: req.headers, signatureOk };
      requests.push(seen);
      Promise.resolve(handle(seen)).then((reply) => {
        if (reply === 'hang') {
          hanging.push(res);
          return;
        }
        res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
        res.end(reply.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Kraken success envelope. */
export function ok(result: unknown): Reply {
  return { body: JSON.stringify({ error: [], result }) };
}

/** Kraken error envelope (HTTP 200, as Kraken does). */
export function krakenError(...errors: string[]): Reply {
  return { body: JSON.stringify({ error: errors }) };
}

/**
 * Real timers and clock, but `sleep` resolves at once and records the requested waits: REST
 * tests over real sockets stay instant while the rate limiter and backoff are still observed.
 */
export function instantSleepRuntime(): Runtime & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
}

/** Polls `cond` every few ms (real time) until true or `timeoutMs` passes. */
export async function waitFor(cond: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
