import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiCredential, Authenticator } from './auth.ts';
import { BookService, type ExchangeContext, TokenStore } from './context.ts';
import { type FakeKrakenControl, createControl } from './control.ts';
import { Engine } from './engine.ts';
import { FaultState } from './faults.ts';
import { IdSource } from './ids.ts';
import { MarketReplay } from './market.ts';
import { type FakeKrakenOptions, resolveOptions } from './options.ts';
import { RequestLog } from './request-log.ts';
import { createRestListener } from './rest.ts';
import { WsHub } from './ws.ts';

/** A running fake exchange. */
export interface FakeKraken {
  /** REST base URL, e.g. `http://127.0.0.1:43123` (endpoints under `/0/public/` and `/0/private/`). */
  readonly restUrl: string;
  /** Public WS v2 URL (stands in for `wss://ws.kraken.com/v2`). */
  readonly wsUrl: string;
  /** Authenticated WS v2 URL (stands in for `wss://ws-auth.kraken.com/v2`). */
  readonly wsAuthUrl: string;
  /** The API keys of the account (the first is the default one). */
  readonly credentials: readonly ApiCredential[];
  /** Clock, inspection and fault injection. */
  readonly control: FakeKrakenControl;
  /** Stops everything: timers, held replies, WS connections and the HTTP server. Idempotent. */
  close(): Promise<void>;
}

/** Path of the public WS endpoint. */
export const WS_PUBLIC_PATH = '/v2';
/** Path of the authenticated WS endpoint. */
export const WS_AUTH_PATH = '/ws-auth/v2';

/**
 * Starts a fake Kraken exchange on 127.0.0.1: REST and WebSocket v2 in Kraken's formats, a
 * candle replay on a simulated clock, order matching and fault injection. Resolves once
 * listening. Rejects with `FakeKrakenOptionsError` on invalid options (all problems listed) or
 * with the listen error.
 */
export async function startFakeKraken(options: FakeKrakenOptions): Promise<FakeKraken> {
  const o = resolveOptions(options);
  const ids = new IdSource(o.seed);
  const markets = o.markets.map((m) => new MarketReplay(m.pair, m.candles, m.intervalMs, o.startMs, o.historyCandles));
  const engine = new Engine({
    markets,
    startMs: o.startMs,
    ids,
    balances: o.balances,
    volume30dUsd: o.volume30dUsd,
    spreadBps: o.spreadBps,
    limitFillRule: o.limitFillRule,
    postOnlyCross: o.postOnlyCross,
    duplicateClOrdIdError: o.duplicateClOrdIdError,
    systemStatus: o.systemStatus,
  });
  const ctx: ExchangeContext = {
    engine,
    pairs: markets.map((m) => m.pair),
    books: new BookService(markets, o.startMs, { spreadBps: o.spreadBps, stepBps: o.bookStepBps, levelNotionalUsd: o.bookLevelNotionalUsd, seed: o.seed }),
    auth: new Authenticator(o.credentials),
    ids,
    tokens: new TokenStore(ids, o.tokenTtlMs, o.realNow),
    behaviour: {
      validateAnyValue: o.validateAnyValue,
      wsOhlcSnapshotSize: o.wsOhlcSnapshotSize,
      heartbeatMs: o.heartbeatMs,
      wsIdleTimeoutMs: o.wsIdleTimeoutMs,
      maxRateCount: o.maxRateCount,
    },
    faults: new FaultState(),
  };
  const log = new RequestLog();
  const held = { timers: new Set<NodeJS.Timeout>(), responses: new Set<ServerResponse>() };
  const server: Server = createServer(createRestListener(ctx, log, held, o.restRateLimit, o.realNow));
  const hub = new WsHub(ctx, log, o.realNow);
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === WS_PUBLIC_PATH) hub.handleUpgrade('public', req, socket, head);
    else if (path === WS_AUTH_PATH) hub.handleUpgrade('private', req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });

  // Real-time driver: advances the simulated clock by elapsed real time × speed.
  let speed = o.speed;
  let lastReal = o.realNow();
  let carry = 0;
  const driver = setInterval(() => {
    const now = o.realNow();
    const elapsed = (now - lastReal) * speed + carry;
    lastReal = now;
    const whole = Math.floor(elapsed);
    carry = elapsed - whole;
    if (speed > 0 && whole > 0) engine.advanceTo(engine.now + whole);
  }, o.realtimeStepMs);
  const setSpeed = (s: number): void => {
    if (!Number.isFinite(s) || s < 0) throw new RangeError(`speed must be a number ≥ 0, got ${s}`);
    lastReal = o.realNow();
    carry = 0;
    speed = s;
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${WS_PUBLIC_PATH}`,
    wsAuthUrl: `ws://127.0.0.1:${port}${WS_AUTH_PATH}`,
    credentials: o.credentials,
    control: createControl(ctx, log, hub, setSpeed),
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(driver);
        for (const t of held.timers) clearTimeout(t);
        held.timers.clear();
        for (const r of held.responses) r.destroy();
        held.responses.clear();
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
