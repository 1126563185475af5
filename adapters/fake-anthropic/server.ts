/**
 * The fake Messages API: a real HTTP server on 127.0.0.1 that answers `POST /v1/messages` the way
 * api.anthropic.com does (API version 2026-10-21), from a queue of scripted replies. Tests drive
 * it only through the real `@anthropic-ai/sdk` (`baseURL`), so retries, timeouts, headers and
 * parsing are the SDK's own. It checks what the real API would refuse (no key, no version
 * header, sampling parameters the 2026-10-21 API removed, a malformed body) and logs every
 * request with its raw body.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, messageBody, scriptedErrorBody } from './format.ts';
import { type FakeAnthropicRequest, FakeRequestLog } from './request-log.ts';
import type { ScriptedReply } from './script.ts';

/** Options of `startFakeAnthropic`. */
export interface FakeAnthropicOptions {
  /** When set, requests must carry exactly this key (Bearer or x-api-key); otherwise any non-empty key passes. */
  readonly apiKey?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
}

/** A running fake Messages API. */
export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:43123` (the SDK appends `/v1/messages`). */
  readonly baseURL: string;
  /** Appends replies to the queue; each request to `/v1/messages` takes the next one. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Scripted replies not used yet. */
  pending(): number;
  /** Copies of the logged requests, oldest first. */
  requests(): FakeAnthropicRequest[];
  /** Empties the queue and the log (between tests). */
  reset(): void;
  /** Stops the server, answering nothing more; held and delayed requests are dropped. Idempotent. */
  close(): Promise<void>;
}

/** The path the SDK posts to. */
export const MESSAGES_PATH = '/v1/messages';
/** Sampling parameters API 2026-10-21 no longer accepts (reference/ecosystem.md §4). */
const REMOVED_PARAMS = ['temperature', 'top_p', 'top_k'] as const;

interface Held {
  readonly timers: Set<NodeJS.Timeout>;
  readonly responses: Set<ServerResponse>;
}

/** Starts the fake on 127.0.0.1; resolves once listening. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const queue: ScriptedReply[] = [];
  const log = new FakeRequestLog();
  const held: Held = { timers: new Set(), responses: new Set() };
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_fake_${String(++counter).padStart(6, '0')}`;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function send(res: ServerResponse, entry: FakeAnthropicRequest, status: number, body: unknown, reply: string, headers: Readonly<Record<string, string>> = {}): void {
    entry.status = status;
    entry.reply = reply;
    const text = JSON.stringify(body);
    const requestId = typeof (body as { request_id?: unknown }).request_id === 'string' ? (body as { request_id: string }).request_id : nextId('req');
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': requestId, ...headers });
    res.end(text);
  }

  function refuse(res: ServerResponse, entry: FakeAnthropicRequest, status: number, errorType: string, message: string): void {
    send(res, entry, status, errorBody(errorType, message, nextId('req')), `invalid:${message}`, { 'x-should-retry': 'false' });
  }

  function later(res: ServerResponse, delayMs: number | undefined, write: () => void): void {
    if (delayMs === undefined || delayMs <= 0) return write();
    held.responses.add(res);
    const timer = setTimeout(() => {
      held.timers.delete(timer);
      held.responses.delete(res);
      if (!res.destroyed && !res.writableEnded) write();
    }, delayMs);
    held.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      held.timers.delete(timer);
      held.responses.delete(res);
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, bodyText: string): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const xKey = headers['x-api-key'];
    const key = bearer ?? xKey ?? null;
    let body: unknown = null;
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = null;
    }
    const retry = headers['x-stainless-retry-count'];
    const entry = log.add({
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
      headers,
      auth: bearer !== undefined ? 'bearer' : xKey !== undefined ? 'x-api-key' : null,
      retryCount: retry === undefined ? null : Number(retry),
      bodyText,
      body,
      receivedAtMs: Date.now(),
    });

    if (entry.path !== MESSAGES_PATH) return refuse(res, entry, 404, 'not_found_error', `no route ${entry.method} ${entry.path}; the fake serves POST ${MESSAGES_PATH}`);
    if (entry.method !== 'POST') return refuse(res, entry, 405, 'invalid_request_error', `method ${entry.method} not allowed; use POST`);
    if (key === null || key === '') return refuse(res, entry, 401, 'authentication_error', 'missing API key: send Authorization: Bearer <key> or x-api-key');
    if (options.apiKey !== undefined && key !== options.apiKey) return refuse(res, entry, 401, 'authentication_error', 'invalid API key');
    if (headers['anthropic-version'] === undefined) return refuse(res, entry, 400, 'invalid_request_error', 'anthropic-version: header is required');
    const problem = checkBody(body);
    if (problem !== null) return refuse(res, entry, 400, 'invalid_request_error', problem);

    const reply = queue.shift();
    if (reply === undefined) return refuse(res, entry, 400, 'invalid_request_error', 'fake-anthropic: no scripted reply left for this request');
    const b = body as { model: string; max_tokens: number };
    switch (reply.kind) {
      case 'hang':
        entry.reply = 'hang';
        held.responses.add(res);
        res.on('close', () => held.responses.delete(res));
        return;
      case 'error':
        return later(res, reply.delayMs, () => {
          const id = nextId('req');
          send(res, entry, reply.status, scriptedErrorBody(reply, id), `error:${reply.errorType}`, reply.headers ?? {});
        });
      case 'message':
        return later(res, reply.delayMs, () => {
          const msg = messageBody(reply, { model: b.model, maxTokens: b.max_tokens, bodyChars: bodyText.length }, nextId('msg'));
          send(res, entry, 200, msg, `message:${reply.stopReason}`);
        });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    enqueue: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    requests: () => log.list(),
    reset() {
      queue.length = 0;
      log.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of held.timers) clearTimeout(t);
        held.timers.clear();
        for (const r of held.responses) r.destroy();
        held.responses.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** What the real API would refuse in a request body, or null when it is acceptable. */
export function checkBody(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body: must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return 'model: is required (a model id string)';
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 0) return `max_tokens: must be an integer ≥ 0, got ${JSON.stringify(b.max_tokens)}`;
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: must be a non-empty array';
  for (const p of REMOVED_PARAMS) if (p in b) return `${p}: Extra inputs are not permitted (removed in API version 2026-10-21)`;
  if (b.stream === true) return 'stream: the fake answers non-streaming requests only';
  const format = (b.output_config as { format?: unknown } | undefined)?.format;
  if (format !== undefined && format !== null) {
    const f = format as { type?: unknown; schema?: unknown };
    if (f.type !== 'json_schema') return `output_config.format.type: must be "json_schema", got ${JSON.stringify(f.type)}`;
    if (f.schema === null || typeof f.schema !== 'object') return 'output_config.format.schema: must be a JSON schema object';
  }
  return null;
}
