/**
 * The inspection server: an HTTP + WebSocket server on loopback that streams the actor system's
 * sanitized inspection frames (the `@statelyai/inspect` wire format) to every connected client —
 * our dashboard, a `createWebSocketReceiver` from `@statelyai/inspect`, or the `/stately` bridge
 * page that feeds the hosted Stately inspector.
 *
 * Who may connect: on loopback the Host header must be a loopback name (no DNS rebinding); a
 * browser's Origin must be this server itself (the bridge page) or one of `allowedOrigins` (a
 * random web page cannot read the stream); the token, when set, must be presented
 * (`?token=` or `Authorization: Bearer`). Clients cannot send anything (inbound messages are
 * ignored; more than 4 KiB closes the socket).
 *
 * Routes: `GET /` → a short text help; `GET /stately` → the bridge page; WebSocket upgrade on any
 * path → the stream.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { AnyActorRef, InspectionEvent, Subscription } from 'xstate';
import { isLoopbackHost } from '../config/index.ts';
import { scrubSecrets } from '../logger/index.ts';
import { bridgePageHtml } from './bridge-page.ts';
import { type InspectionStats, createInspectionHub } from './hub.ts';
import { DEFAULT_SERVER_OPTIONS, type InspectionServerOptions, checkInspectionServerOptions } from './options.ts';
import { MIN_SECRET_LENGTH } from './sanitize.ts';

/** A running inspection server. */
export interface InspectionServer {
  /** The inspection observer for `createActor(root, { inspect })`. Never throws. */
  readonly inspect: (event: InspectionEvent) => void;
  /** Inspects an already running root actor instead (see `InspectionHub.attach`). */
  attach(root: AnyActorRef): Subscription;
  /** Bound address and port (the actual port when 0 was asked). */
  readonly host: string;
  readonly port: number;
  /** WebSocket URL of the stream, without the token (add `?token=…` when one is set). */
  readonly url: string;
  /** URL of the bridge page for the hosted Stately inspector, without the token. */
  readonly statelyBridgeUrl: string;
  stats(): InspectionStats;
  /** Closes every client, the WebSocket and HTTP servers; resolves when nothing is left open. Idempotent. */
  close(): Promise<void>;
}

/** Outcome of {@link createInspectionServer}. */
export type InspectionServerResult = { readonly ok: true; readonly server: InspectionServer } | { readonly ok: false; readonly reason: string };

/** Largest inbound WebSocket message; clients have nothing to say. */
const MAX_INBOUND_BYTES = 4096;
/** Grace for clients to answer a close before their sockets are destroyed. */
const CLOSE_GRACE_MS = 1000;

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Host-header hostname without port and brackets, lower-cased. */
function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token a request presents (Authorization: Bearer, or `?token=`), if any. */
function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  try {
    return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  try {
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  } catch {
    socket.destroy();
  }
}

/**
 * Validates the options, binds the server and starts accepting clients. Expected failures (a
 * non-loopback host without permission, a bad option, a port in use) come back as
 * `{ ok: false, reason }`; nothing is left open then.
 */
export async function createInspectionServer(options: InspectionServerOptions): Promise<InspectionServerResult> {
  const problems = checkInspectionServerOptions(options);
  if (problems.length > 0) return { ok: false, reason: `inspection server refused: ${problems.join('; ')}` };

  const host = options.host ?? DEFAULT_SERVER_OPTIONS.host;
  const token = options.token;
  const tokenDigest = token === undefined ? undefined : digest(token);
  const maxClients = options.maxClients ?? DEFAULT_SERVER_OPTIONS.maxClients;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_SERVER_OPTIONS.heartbeatMs;
  const statelyUrl = options.statelyUrl ?? DEFAULT_SERVER_OPTIONS.statelyUrl;
  const hub = createInspectionHub({ ...options, secrets: [...(options.secrets ?? []), token] });

  const httpServer: Server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES, perMessageDeflate: false, clientTracking: true });
  const alive = new WeakMap<WebSocket, boolean>();
  let port = options.port;

  const loopbackOnly = isLoopbackHost(host);
  const allowedHostnames = new Set([hostnameOf(hostForUrl(host)), 'localhost', '127.0.0.1', '::1']);
  const allowedOrigins = new Set(options.allowedOrigins ?? []);

  /** Why a request is refused (status, reason phrase, message), or null. */
  const refusal = (req: IncomingMessage, upgrade: boolean): [number, string, string] | null => {
    const hostHeader = req.headers.host;
    // On loopback the Host must be a loopback name: a DNS-rebinding page sends its own name.
    // Exposed (allowNonLoopback) servers are reached by any name and rely on the token.
    if (loopbackOnly && hostHeader !== undefined) {
      const name = hostnameOf(hostHeader);
      if (!allowedHostnames.has(name) && !isLoopbackHost(name)) {
        return [403, 'Forbidden', `Host "${hostHeader}" is not this inspection server`];
      }
    }
    if (!upgrade) return null;
    const origin = req.headers.origin;
    const sameOrigin = origin !== undefined && hostHeader !== undefined && (origin === `http://${hostHeader}` || origin === `https://${hostHeader}`);
    if (origin !== undefined && !sameOrigin && !allowedOrigins.has(origin)) {
      return [403, 'Forbidden', `Origin "${origin}" may not read the inspection stream (add it to allowedOrigins)`];
    }
    if (tokenDigest !== undefined) {
      const presented = presentedToken(req);
      if (presented === undefined || !timingSafeEqual(digest(presented), tokenDigest)) {
        return [401, 'Unauthorized', 'the inspection stream needs the token (?token=… or Authorization: Bearer …)'];
      }
    }
    if (wss.clients.size >= maxClients) return [503, 'Service Unavailable', `inspection server is full (${maxClients} clients)`];
    return null;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const refused = refusal(req, false);
      if (refused) {
        res.writeHead(refused[0], { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${refused[2]}\n`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/stately') {
        const nonce = randomBytes(16).toString('base64');
        res
          .writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            'Referrer-Policy': 'no-referrer',
            'X-Content-Type-Options': 'nosniff',
            'Content-Security-Policy':
              `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; ` +
              `frame-src ${new URL(statelyUrl).origin}; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'`,
          })
          .end(req.method === 'HEAD' ? undefined : bridgePageHtml(statelyUrl, nonce));
        return;
      }
      if (path === '/') {
        res
          .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
          .end(
            'Trading Brain inspection stream (@statelyai/inspect frames).\n' +
              `WebSocket: ws://${hostForUrl(host)}:${port}/${token === undefined ? '' : '?token=<token>'}\n` +
              `Hosted Stately inspector bridge: http://${hostForUrl(host)}:${port}/stately${token === undefined ? '' : '?token=<token>'}\n`,
          );
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    } catch (err) {
      hubReport(err);
      try {
        res.destroy();
      } catch {
        // already gone
      }
    }
  };

  const secretList = [...(options.secrets ?? []), token].filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
  const hubReport = (err: unknown): void => {
    try {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      options.onError?.(scrubSecrets(text, secretList).slice(0, 500), 'server');
    } catch {
      // never let reporting throw
    }
  };

  const onConnection = (ws: WebSocket): void => {
    alive.set(ws, true);
    const client = hub.connect({
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (text, done) => ws.send(text, done),
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', () => {
      // clients have nothing to say; ignored
    });
    ws.on('error', (err) => hubReport(err));
    ws.on('close', () => client.close());
  };

  httpServer.on('request', onRequest);
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const refused = refusal(req, true);
      if (refused) {
        refuseUpgrade(socket, refused[0], refused[1], refused[2]);
        return;
      }
      wss.handleUpgrade(req, socket, head, onConnection);
    } catch (err) {
      hubReport(err);
      socket.destroy();
    }
  });
  httpServer.on('clientError', (_err, socket) => socket.destroy());
  wss.on('error', (err) => hubReport(err));

  const listened = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      resolve({ ok: false, reason: `inspection server could not listen on ${hostForUrl(host)}:${options.port}: ${err.code ?? err.message}` });
    };
    httpServer.once('error', onError);
    httpServer.listen({ host, port: options.port, exclusive: true }, () => {
      httpServer.off('error', onError);
      resolve({ ok: true });
    });
  });
  if (!listened.ok) {
    hub.close();
    wss.close();
    httpServer.close();
    return listened;
  }
  httpServer.on('error', (err) => hubReport(err));
  const address = httpServer.address();
  if (address !== null && typeof address === 'object') port = address.port;

  const heartbeat =
    heartbeatMs > 0
      ? setInterval(() => {
          for (const ws of wss.clients) {
            if (alive.get(ws) === false) {
              ws.terminate();
              continue;
            }
            alive.set(ws, false);
            try {
              ws.ping();
            } catch {
              ws.terminate();
            }
          }
        }, heartbeatMs)
      : null;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (heartbeat !== null) clearInterval(heartbeat);
      hub.close();
      const sockets = [...wss.clients];
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close(1001, 'inspection server closing');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    })();
    return closing;
  };

  const server: InspectionServer = {
    inspect: hub.inspect,
    attach: (root) => hub.attach(root),
    host,
    port,
    url: `ws://${hostForUrl(host)}:${port}/`,
    statelyBridgeUrl: `http://${hostForUrl(host)}:${port}/stately`,
    stats: () => hub.stats(),
    close,
  };
  return { ok: true, server };
}
