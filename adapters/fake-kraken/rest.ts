import type { IncomingMessage, ServerResponse } from 'node:http';
import { nonceFromBody } from './auth.ts';
import type { ExchangeContext } from './context.ts';
import type { ArmedRestFault } from './faults.ts';
import { stringify } from './json.ts';
import { ParamError, Params } from './params.ts';
import type { LoggedRequest, RequestLog } from './request-log.ts';
import { PRIVATE_HANDLERS, type PrivateReply } from './rest-private.ts';
import { PUBLIC_HANDLERS } from './rest-public.ts';

/**
 * The REST router: `/0/public/<Method>` and `/0/private/<Method>`, Kraken's `{error, result}`
 * envelope (HTTP 200 even for errors; `result` omitted on error), authentication of private
 * calls, the optional REST call counter, the request log and the REST faults.
 */

/** The optional REST call-rate counter (reference/kraken.md §8.1); null disables it. */
export interface RestRateLimit {
  /** Counter ceiling (Starter 15, Intermediate/Pro 20). */
  readonly max: number;
  /** Decay per real second (0.33 / 0.5 / 1). */
  readonly decayPerSecond: number;
  /** Cost of Ledgers/TradesHistory-style calls (2, or 4 in a newer doc mirror). */
  readonly historyCost: number;
}

const MAX_BODY = 1_000_000;
const HISTORY_CALLS = ['TradesHistory', 'QueryTrades', 'Ledgers', 'QueryLedgers'];
const COUNTER_FREE = ['AddOrder', 'CancelOrder', 'AddOrderBatch', 'CancelOrderBatch', 'AmendOrder', 'EditOrder'];

/** Replies held back by a delay fault, so `close()` can release them. */
export interface HeldReplies {
  readonly timers: Set<NodeJS.Timeout>;
  readonly responses: Set<ServerResponse>;
}

/** Builds the request listener of the HTTP server. */
export function createRestListener(
  ctx: ExchangeContext,
  log: RequestLog,
  held: HeldReplies,
  rateLimit: RestRateLimit | null,
  realNow: () => number,
): (req: IncomingMessage, res: ServerResponse) => void {
  const counters = new Map<string, { value: number; atMs: number }>();

  const counterAllows = (apiKey: string, method: string): boolean => {
    if (rateLimit === null || COUNTER_FREE.includes(method)) return true;
    const now = realNow();
    const c = counters.get(apiKey) ?? { value: 0, atMs: now };
    c.value = Math.max(0, c.value - ((now - c.atMs) / 1000) * rateLimit.decayPerSecond);
    c.atMs = now;
    counters.set(apiKey, c);
    const cost = HISTORY_CALLS.includes(method) ? rateLimit.historyCost : 1;
    if (c.value + cost > rateLimit.max) return false;
    c.value += cost;
    return true;
  };

  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      handle(req, res, Buffer.concat(chunks));
    });
  };

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/0\/(public|private)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`fake-kraken: no endpoint at ${url.pathname}; REST lives under /0/public/ and /0/private/`);
      return;
    }
    const scope = m[1] as 'public' | 'private';
    const method = m[2]!;
    const rawBody = body.toString('utf8');
    const isJson = (req.headers['content-type'] ?? '').toLowerCase().includes('application/json');
    const apiKeyHeader = headerOf(req, 'api-key');
    let params: Params;
    let paramError: string | null = null;
    try {
      const bodyParams = isJson ? Params.fromJson(rawBody) : Params.fromForm(rawBody);
      params = scope === 'public' ? Params.merge(Params.fromForm(url.search.slice(1)), bodyParams) : bodyParams;
    } catch (err) {
      params = Params.fromForm('');
      paramError = err instanceof ParamError ? err.krakenError : 'EGeneral:Invalid arguments';
    }
    const entry = log.add({
      transport: 'rest',
      endpoint: method,
      path: url.pathname,
      params: params.toObject(),
      apiKey: scope === 'private' ? (apiKeyHeader ?? null) : null,
      simTimeMs: ctx.engine.now,
    });

    const fault = ctx.faults.takeRest(method);
    if (fault !== null && !fault.processed) {
      entry.fault = faultName(fault);
      if (fault.fault.kind === 'http') return sendHttpFault(res, entry, fault.fault.status);
      if (fault.fault.kind === 'error') return sendEnvelope(res, entry, { error: [fault.fault.error] });
    }

    let reply: { envelope: { error: string[]; result?: unknown }; afterResponse?: () => void };
    try {
      if (paramError !== null) throw new ParamError(paramError);
      reply = scope === 'public' ? runPublic(method, params) : runPrivate(req, method, params, rawBody, isJson);
    } catch (err) {
      if (err instanceof ParamError) reply = { envelope: { error: [err.krakenError] } };
      else {
        entry.internalError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        reply = { envelope: { error: ['EGeneral:Internal error'] } };
      }
    }

    if (fault !== null && fault.processed) {
      entry.fault = faultName(fault);
      if (fault.fault.kind === 'http') {
        sendHttpFault(res, entry, fault.fault.status);
        reply.afterResponse?.();
        return;
      }
      if (fault.fault.kind === 'error') {
        sendEnvelope(res, entry, { error: [fault.fault.error] }, reply.afterResponse);
        return;
      }
      const delayMs = fault.fault.delayMs;
      held.responses.add(res);
      res.on('close', () => held.responses.delete(res));
      if (delayMs === null) return; // held until the client gives up or the server closes
      const timer = setTimeout(() => {
        held.timers.delete(timer);
        held.responses.delete(res);
        if (!res.destroyed) sendEnvelope(res, entry, reply.envelope, reply.afterResponse);
      }, delayMs);
      held.timers.add(timer);
      return;
    }
    sendEnvelope(res, entry, reply.envelope, reply.afterResponse);
  }

  function runPublic(method: string, params: Params): { envelope: { error: string[]; result?: unknown } } {
    const handler = PUBLIC_HANDLERS[method];
    if (!handler) throw new ParamError('EGeneral:Unknown method');
    return { envelope: { error: [], result: handler(ctx, params) } };
  }

  function runPrivate(
    req: IncomingMessage,
    method: string,
    params: Params,
    rawBody: string,
    isJson: boolean,
  ): { envelope: { error: string[]; result?: unknown }; afterResponse?: () => void } {
    const handler = PRIVATE_HANDLERS[method];
    if (!handler) throw new ParamError('EGeneral:Unknown method');
    if (req.method !== 'POST') throw new ParamError('EGeneral:Invalid arguments:private endpoints take POST');
    const path = `/0/private/${method}`;
    const auth = ctx.auth.check(headerOf(req, 'api-key'), headerOf(req, 'api-sign'), path, nonceFromBody(rawBody, isJson), Buffer.from(rawBody, 'utf8'));
    if (!auth.ok) throw new ParamError(auth.error);
    if (!counterAllows(auth.apiKey, method)) throw new ParamError('EAPI:Rate limit exceeded');
    const out: PrivateReply = handler(ctx, params);
    return { envelope: { error: [], result: out.result }, afterResponse: out.afterResponse };
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function faultName(f: ArmedRestFault): string {
  const what = f.fault.kind === 'http' ? `http ${f.fault.status}` : f.fault.kind === 'error' ? f.fault.error : `delay ${f.fault.delayMs ?? 'forever'}`;
  return f.processed && f.fault.kind !== 'delay' ? `${what} (after processing)` : what;
}

function sendEnvelope(res: ServerResponse, entry: LoggedRequest, envelope: { error: string[]; result?: unknown }, afterResponse?: () => void): void {
  entry.httpStatus = 200;
  entry.errors = envelope.error.length > 0 ? [...envelope.error] : null;
  const body = envelope.error.length > 0 ? stringify({ error: envelope.error }) : stringify({ error: [], result: envelope.result });
  if (afterResponse) res.once('finish', afterResponse);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

function sendHttpFault(res: ServerResponse, entry: LoggedRequest, status: number): void {
  entry.httpStatus = status;
  const body =
    status === 520 || status === 522 || status === 524
      ? `error code: ${status}`
      : `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>cloudflare</center></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}
