/**
 * The Kraken WebSocket v2 client (reference/kraken.md §10–§14), on the `ws` package.
 *
 * - Public channels: `ticker`, `ohlc` (candles finalised by `CandleTracker`: `candle.closed`
 *   once per candle), `book` (local L2 book with Kraken's CRC32 checksum; a mismatch
 *   resubscribes that symbol for a fresh snapshot), plus `status` and `heartbeat`.
 * - Private channel: `executions`, with a fresh token from `getToken` on every connection.
 * - Reconnects forever with capped exponential backoff + jitter (≥ 5 s after `maintenance`),
 *   resubscribes everything after a reconnect, detects silence (`feed.stale` after
 *   `staleAfterMs` without any message, then drops the socket), reports `feed.lost` after
 *   `lostAfterFailures` consecutive failed connections (and keeps trying) and `feed.restored`
 *   on recovery. While degraded, an optional REST polling hook runs.
 *
 * Time comes from the injected `Runtime`; events go out through a typed emitter.
 */
import WebSocket from 'ws';
import type { Candle, Timeframe } from '../../domain/market/index.ts';
import { L2Book, type BookDepth, type BookPrecision } from './book.ts';
import { CandleTracker } from './candles.ts';
import { createEmitter, type EventSource } from './emitter.ts';
import { type KrakenError, classifyKrakenError } from './errors.ts';
import type { Malformed } from './json.ts';
import { toCandle } from './parse/ohlc.ts';
import { type WsMessage, type WsResponse, type WsStatus, decodeWsMessage } from './parse/ws.ts';
import type { WsBookLevel } from './parse/ws-book.ts';
import type { WsExecution } from './parse/ws-executions.ts';
import type { WsCandle } from './parse/ws-ohlc.ts';
import type { WsTicker } from './parse/ws-ticker.ts';
import { type Runtime, type TimerHandle, backoffDelay, systemRuntime } from './runtime.ts';
import type { SystemState } from './types.ts';

/** Connection state as the supervisor's `feed` region sees it. */
export type FeedState = 'idle' | 'connecting' | 'live' | 'stale' | 'reconnecting' | 'lost' | 'stopped';

/** Why the feed was degraded before a `feed.restored`. */
export type DegradedCause = 'disconnected' | 'stale' | 'lost' | 'connectFailed';

/** Everything the client reports. `tsMs` is the local clock. */
export type KrakenWsEvent =
  | { readonly type: 'feed.connected'; readonly url: string; readonly tsMs: number }
  | { readonly type: 'feed.disconnected'; readonly code: number; readonly reason: string; readonly tsMs: number }
  | { readonly type: 'feed.stale'; readonly silentMs: number; readonly tsMs: number }
  | { readonly type: 'feed.lost'; readonly consecutiveFailures: number; readonly tsMs: number }
  | { readonly type: 'feed.restored'; readonly after: DegradedCause; readonly downMs: number; readonly tsMs: number }
  | { readonly type: 'feed.pollFailed'; readonly error: unknown; readonly tsMs: number }
  | { readonly type: 'system.statusReported'; readonly status: WsStatus; readonly tsMs: number }
  | { readonly type: 'ticker.updated'; readonly ticker: WsTicker; readonly tsMs: number }
  | { readonly type: 'candle.updated'; readonly candle: WsCandle; readonly tsMs: number }
  | {
      readonly type: 'candle.closed';
      readonly candle: WsCandle;
      /** The same candle as the domain's float64 `Candle`. */
      readonly domainCandle: Candle;
      /** '5m' | '1h' | '1d' when the interval is one of the store's tiers, else null. */
      readonly timeframe: Timeframe | null;
      readonly closedBy: 'nextCandle' | 'clock';
      readonly tsMs: number;
    }
  /** The book changed and its checksum matched; `asks`/`bids` are copies of the top 10 (see `book(symbol)` for all). */
  | { readonly type: 'book.updated'; readonly symbol: string; readonly asks: readonly WsBookLevel[]; readonly bids: readonly WsBookLevel[]; readonly tsMs: number }
  | { readonly type: 'book.checksumMismatch'; readonly symbol: string; readonly expected: number; readonly actual: number; readonly tsMs: number }
  | { readonly type: 'execution.reported'; readonly execution: WsExecution; readonly snapshot: boolean; readonly sequence: number | null; readonly tsMs: number }
  | { readonly type: 'subscription.failed'; readonly channel: string | null; readonly symbol: string | null; readonly error: KrakenError; readonly tsMs: number }
  | { readonly type: 'message.malformed'; readonly error: Malformed; readonly tsMs: number };

/** Optional REST polling while the feed is degraded (stale, reconnecting, lost). */
export interface PollFallback {
  readonly intervalMs: number;
  /** Called immediately when the feed degrades, then every `intervalMs` until restored; aborted on restore/stop. */
  poll(signal: AbortSignal): Promise<void>;
}

/** A minimal socket surface (the `ws` WebSocket), injectable for tests. */
export type SocketFactory = (url: string, handshakeTimeoutMs: number) => WebSocket;

/** Construction options; URLs come from brain.toml `kraken.ws_url` / `kraken.ws_auth_url`. */
export interface KrakenWsOptions {
  readonly url: string;
  readonly runtime?: Runtime;
  /** Private feeds: fetches a WS token (REST GetWebSocketsToken) for each new connection. */
  readonly getToken?: (signal: AbortSignal) => Promise<{ ok: true; value: { token: string } } | { ok: false; error: KrakenError }>;
  /** Reconnect backoff: first delay ~`baseDelayMs`, doubling to `maxDelayMs` (default 1 s → 30 s). */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  /** Minimum reconnect delay after the engine reported `maintenance` (default 5 000 ms). */
  readonly maintenanceDelayMs?: number;
  /** Consecutive failed connections before `feed.lost` (default 5). */
  readonly lostAfterFailures?: number;
  /** Silence (no message at all) that makes the feed stale, ms (default 10 000; heartbeats come ~1/s). */
  readonly staleAfterMs?: number;
  /** A connection must stay live this long before its drop stops counting as a failure (default 30 000). */
  readonly stableAfterMs?: number;
  /** App-level ping period, ms (Kraken closes connections idle ~60 s; default 20 000). */
  readonly pingIntervalMs?: number;
  /** Housekeeping tick (stale check, ping, clock close), ms (default 1 000). */
  readonly tickMs?: number;
  /** WebSocket handshake timeout, ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Clock-based candle close: final once `interval_begin + interval + grace` passes. null disables (default). */
  readonly candleCloseGraceMs?: number | null;
  readonly pollFallback?: PollFallback;
  readonly createSocket?: SocketFactory;
  /** Called when an event handler throws (default: ignore). */
  readonly onHandlerError?: (error: unknown) => void;
}

/** The client. */
export interface KrakenWsClient extends EventSource<KrakenWsEvent> {
  /** Connects and keeps reconnecting until `stop()`. */
  start(): void;
  /** Closes the socket, cancels timers and polling. */
  stop(): Promise<void>;
  /** Level-1 ticker for `symbols` (v2 names, `BTC/USD`). */
  subscribeTicker(symbols: readonly string[], options?: { readonly eventTrigger?: 'trades' | 'bbo' }): void;
  /** Candles for `symbols` at `intervalMin` (default 5). */
  subscribeOhlc(symbols: readonly string[], intervalMin?: number): void;
  /** L2 book for `symbols` with checksum verification; `precision(symbol)` gives pair_decimals/lot_decimals. */
  subscribeBook(symbols: readonly string[], depth: BookDepth, precision: (symbol: string) => BookPrecision): void;
  /** Private executions (needs `getToken`). */
  subscribeExecutions(options?: { readonly snapOrders?: boolean; readonly snapTrades?: boolean }): void;
  /** Current state. */
  state(): FeedState;
  /** The engine state last reported by the `status` channel. */
  systemState(): SystemState | null;
  /** The local book of a symbol (after its snapshot). */
  book(symbol: string): L2Book | undefined;
}

type Subscription =
  | { readonly channel: 'ticker'; readonly symbols: readonly string[]; readonly eventTrigger?: 'trades' | 'bbo' }
  | { readonly channel: 'ohlc'; readonly symbols: readonly string[]; readonly interval: number }
  | { readonly channel: 'book'; readonly symbols: readonly string[]; readonly depth: BookDepth; readonly precision: (symbol: string) => BookPrecision }
  | { readonly channel: 'executions'; readonly snapOrders: boolean; readonly snapTrades: boolean };

const TIMEFRAME_OF: Readonly<Record<number, Timeframe>> = { 5: '5m', 60: '1h', 1440: '1d' };

/** Creates a client; call `start()` to connect. */
export function createKrakenWsClient(options: KrakenWsOptions): KrakenWsClient {
  const runtime = options.runtime ?? systemRuntime;
  const baseDelay = options.reconnect?.baseDelayMs ?? 1_000;
  const maxDelay = options.reconnect?.maxDelayMs ?? 30_000;
  const maintenanceDelay = options.maintenanceDelayMs ?? 5_000;
  const lostAfter = options.lostAfterFailures ?? 5;
  const staleAfter = options.staleAfterMs ?? 10_000;
  const stableAfter = options.stableAfterMs ?? 30_000;
  const pingEvery = options.pingIntervalMs ?? 20_000;
  const tickMs = options.tickMs ?? 1_000;
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const graceMs = options.candleCloseGraceMs ?? null;
  const createSocket: SocketFactory = options.createSocket ?? ((url, handshakeTimeout) => new WebSocket(url, { handshakeTimeout }));
  const emitter = createEmitter<KrakenWsEvent>((error) => options.onHandlerError?.(error));

  const subscriptions: Subscription[] = [];
  const tracker = new CandleTracker();
  const books = new Map<string, L2Book>();
  const bookSubs = new Map<string, Subscription & { channel: 'book' }>();

  let state: FeedState = 'idle';
  let socket: WebSocket | null = null;
  let generation = 0;
  let failures = 0;
  let lostReported = false;
  let degraded: { cause: DegradedCause; sinceMs: number } | null = null;
  let liveSinceMs: number | null = null;
  let lastMessageMs = 0;
  let lastPingMs = 0;
  let everLive = false;
  let system: SystemState | null = null;
  let reqId = 0;
  let reconnectTimer: TimerHandle | null = null;
  let tickTimer: TimerHandle | null = null;
  let pollTimer: TimerHandle | null = null;
  let pollAbort: AbortController | null = null;
  let tokenAbort: AbortController | null = null;
  let closedResolvers: (() => void)[] = [];

  const now = () => runtime.now();
  const emit = (e: KrakenWsEvent) => emitter.emit(e);

  function send(payload: unknown): void {
    if (socket !== null && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function subscribeMessage(sub: Subscription, token: string | null, method: 'subscribe' | 'unsubscribe' = 'subscribe', only?: readonly string[]): unknown {
    reqId += 1;
    switch (sub.channel) {
      case 'ticker':
        return { method, params: { channel: 'ticker', symbol: only ?? sub.symbols, ...(sub.eventTrigger ? { event_trigger: sub.eventTrigger } : {}) }, req_id: reqId };
      case 'ohlc':
        return { method, params: { channel: 'ohlc', symbol: only ?? sub.symbols, interval: sub.interval }, req_id: reqId };
      case 'book':
        return { method, params: { channel: 'book', symbol: only ?? sub.symbols, depth: sub.depth }, req_id: reqId };
      case 'executions':
        return { method, params: { channel: 'executions', token, snap_orders: sub.snapOrders, snap_trades: sub.snapTrades }, req_id: reqId };
    }
  }

  /** Sends every public subscription (private ones go through `subscribeWithToken`). */
  function sendPublicSubscriptions(): void {
    for (const sub of subscriptions) if (sub.channel !== 'executions') send(subscribeMessage(sub, null));
  }

  /**
   * Fetches a fresh token for this connection and sends the private subscriptions with it. A
   * token failure drops the connection, which then counts as failed and is retried with backoff.
   */
  function subscribeWithToken(gen: number, subs: readonly Subscription[]): void {
    const getToken = options.getToken;
    if (!getToken) return;
    const controller = new AbortController();
    tokenAbort = controller;
    const drop = () => {
      if (gen === generation && !controller.signal.aborted) socket?.terminate();
    };
    getToken(controller.signal).then((r) => {
      if (gen !== generation || controller.signal.aborted) return;
      if (!r.ok) return drop();
      for (const sub of subs) send(subscribeMessage(sub, r.value.token));
    }, drop);
  }

  function addSubscription(sub: Subscription): void {
    subscriptions.push(sub);
    if (sub.channel === 'book') for (const s of sub.symbols) bookSubs.set(s, sub);
    if (socket !== null && socket.readyState === WebSocket.OPEN) {
      if (sub.channel === 'executions') subscribeWithToken(generation, [sub]);
      else send(subscribeMessage(sub, null));
    }
  }

  function degrade(cause: DegradedCause): void {
    if (degraded === null) {
      degraded = { cause, sinceMs: now() };
      startPolling();
    } else if (cause === 'lost' || cause === 'stale') {
      degraded = { ...degraded, cause: degraded.cause === 'lost' ? 'lost' : cause };
    }
  }

  function startPolling(): void {
    const fb = options.pollFallback;
    if (!fb || pollAbort !== null) return;
    const controller = new AbortController();
    pollAbort = controller;
    const run = () => {
      if (controller.signal.aborted) return;
      fb.poll(controller.signal).then(
        () => schedule(),
        (error: unknown) => {
          if (!controller.signal.aborted) emit({ type: 'feed.pollFailed', error, tsMs: now() });
          schedule();
        },
      );
    };
    const schedule = () => {
      if (!controller.signal.aborted) pollTimer = runtime.setTimeout(run, fb.intervalMs);
    };
    run();
  }

  function stopPolling(): void {
    pollAbort?.abort();
    pollAbort = null;
    if (pollTimer !== null) runtime.clearTimeout(pollTimer);
    pollTimer = null;
  }

  function becameLive(): void {
    state = 'live';
    liveSinceMs = now();
    everLive = true;
    if (degraded !== null) {
      const d = degraded;
      degraded = null;
      stopPolling();
      emit({ type: 'feed.restored', after: d.cause, downMs: now() - d.sinceMs, tsMs: now() });
    }
    lostReported = false;
  }

  function connect(): void {
    if (state === 'stopped') return;
    reconnectTimer = null;
    generation += 1;
    const gen = generation;
    if (state !== 'lost') state = everLive ? 'reconnecting' : 'connecting';
    let opened = false;
    let ws: WebSocket;
    try {
      ws = createSocket(options.url, connectTimeout);
    } catch {
      onConnectionEnded(gen, false, 1006, 'socket creation failed');
      return;
    }
    socket = ws;
    ws.on('open', () => {
      if (gen !== generation) return;
      opened = true;
      lastMessageMs = now();
      lastPingMs = now();
      emit({ type: 'feed.connected', url: options.url, tsMs: now() });
      sendPublicSubscriptions();
      const privateSubs = subscriptions.filter((s) => s.channel === 'executions');
      if (privateSubs.length > 0) subscribeWithToken(gen, privateSubs);
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (gen !== generation || isBinary) return;
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      lastMessageMs = now();
      if (state !== 'live' && state !== 'stopped') becameLive();
      handleMessage(text);
    });
    ws.on('error', () => {
      /* followed by 'close'; the close handler decides */
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (gen !== generation) return;
      onConnectionEnded(gen, opened, code, reason.toString('utf8'));
    });
  }

  function onConnectionEnded(gen: number, opened: boolean, code: number, reason: string): void {
    if (gen !== generation) return;
    socket = null;
    tokenAbort?.abort();
    tokenAbort = null;
    if (state === 'stopped') {
      for (const r of closedResolvers) r();
      closedResolvers = [];
      return;
    }
    const wasLive = state === 'live' || state === 'stale';
    const livedMs = liveSinceMs === null ? 0 : now() - liveSinceMs;
    liveSinceMs = null;
    if (wasLive) emit({ type: 'feed.disconnected', code, reason, tsMs: now() });
    if (wasLive && livedMs >= stableAfter) failures = 0;
    else failures += 1;
    degrade(opened || wasLive ? 'disconnected' : 'connectFailed');
    if (failures >= lostAfter && !lostReported) {
      lostReported = true;
      state = 'lost';
      degrade('lost');
      emit({ type: 'feed.lost', consecutiveFailures: failures, tsMs: now() });
    } else if (state !== 'lost') state = 'reconnecting';
    let delay = failures === 0 ? Math.round(baseDelay / 2) : backoffDelay(failures, baseDelay, maxDelay, () => runtime.random());
    if (system === 'maintenance') delay = Math.max(delay, maintenanceDelay);
    reconnectTimer = runtime.setTimeout(connect, delay);
  }

  function tick(): void {
    if (state === 'stopped') return;
    const t = now();
    if (state === 'live' && t - lastMessageMs >= staleAfter) {
      state = 'stale';
      degrade('stale');
      emit({ type: 'feed.stale', silentMs: t - lastMessageMs, tsMs: t });
      socket?.terminate(); // a silent socket is dead; the close handler reconnects
    } else if (state === 'live' && t - lastPingMs >= pingEvery) {
      lastPingMs = t;
      reqId += 1;
      send({ method: 'ping', req_id: reqId });
    }
    if (graceMs !== null) {
      for (const c of tracker.closeDue(t, graceMs)) emitClosed(c, 'clock', t);
    }
    tickTimer = runtime.setTimeout(tick, tickMs);
  }

  function emitClosed(candle: WsCandle, closedBy: 'nextCandle' | 'clock', t: number): void {
    emit({ type: 'candle.closed', candle, domainCandle: toCandle({ ...candle, tsOpenMs: candle.intervalBeginMs }), timeframe: TIMEFRAME_OF[candle.intervalMin] ?? null, closedBy, tsMs: t });
  }

  function handleResponse(r: WsResponse, t: number): void {
    if (r.success || r.method === 'unsubscribe') return;
    const error = classifyKrakenError(r.error ?? 'unknown WS error', t);
    if (error.kind === 'alreadySubscribed') return;
    emit({ type: 'subscription.failed', channel: r.channel, symbol: r.symbol, error, tsMs: t });
  }

  function handleMessage(text: string): void {
    const t = now();
    const decoded = decodeWsMessage(text);
    if (!decoded.ok) {
      emit({ type: 'message.malformed', error: decoded.error, tsMs: t });
      return;
    }
    const m: WsMessage = decoded.value;
    switch (m.type) {
      case 'heartbeat':
      case 'pong':
      case 'ignored':
        return;
      case 'status':
        system = m.status.system;
        emit({ type: 'system.statusReported', status: m.status, tsMs: t });
        return;
      case 'response':
        handleResponse(m.response, t);
        return;
      case 'ticker':
        for (const ticker of m.tickers) emit({ type: 'ticker.updated', ticker, tsMs: t });
        return;
      case 'ohlc': {
        const step = tracker.apply(m.candles);
        for (const c of step.closed) emitClosed(c, 'nextCandle', t);
        for (const c of step.updated) emit({ type: 'candle.updated', candle: c, tsMs: t });
        return;
      }
      case 'book':
        for (const data of m.books) {
          const sub = bookSubs.get(data.symbol);
          if (sub === undefined) continue;
          let book = books.get(data.symbol);
          if (m.kind === 'snapshot') {
            book = new L2Book(data.symbol, sub.depth, sub.precision(data.symbol));
            books.set(data.symbol, book);
          } else if (book === undefined) continue; // update before its snapshot: wait for the snapshot
          const result = m.kind === 'snapshot' ? book.applySnapshot(data) : book.applyUpdate(data);
          if (result.ok) {
            emit({ type: 'book.updated', symbol: data.symbol, asks: book.askLevels.slice(0, 10), bids: book.bidLevels.slice(0, 10), tsMs: t });
          } else {
            emit({ type: 'book.checksumMismatch', symbol: data.symbol, expected: result.expected, actual: result.actual, tsMs: t });
            books.delete(data.symbol);
            send(subscribeMessage(sub, null, 'unsubscribe', [data.symbol]));
            send(subscribeMessage(sub, null, 'subscribe', [data.symbol]));
          }
        }
        return;
      case 'executions':
        for (const execution of m.executions) emit({ type: 'execution.reported', execution, snapshot: m.kind === 'snapshot', sequence: m.sequence, tsMs: t });
        return;
    }
  }

  return {
    on: emitter.on,
    onAny: emitter.onAny,
    start() {
      if (state !== 'idle') return;
      state = 'connecting';
      connect();
      tickTimer = runtime.setTimeout(tick, tickMs);
    },
    stop() {
      if (state === 'stopped') return Promise.resolve();
      state = 'stopped';
      stopPolling();
      tokenAbort?.abort();
      for (const h of [reconnectTimer, tickTimer]) if (h !== null) runtime.clearTimeout(h);
      reconnectTimer = null;
      tickTimer = null;
      const ws = socket;
      if (ws === null || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closedResolvers.push(resolve);
        ws.terminate();
      });
    },
    subscribeTicker(symbols, opts = {}) {
      addSubscription({ channel: 'ticker', symbols: [...symbols], ...(opts.eventTrigger ? { eventTrigger: opts.eventTrigger } : {}) });
    },
    subscribeOhlc(symbols, intervalMin = 5) {
      addSubscription({ channel: 'ohlc', symbols: [...symbols], interval: intervalMin });
    },
    subscribeBook(symbols, depth, precision) {
      addSubscription({ channel: 'book', symbols: [...symbols], depth, precision });
    },
    subscribeExecutions(opts = {}) {
      if (!options.getToken) throw new RangeError('subscribeExecutions needs getToken (a private feed on ws_auth_url)');
      addSubscription({ channel: 'executions', snapOrders: opts.snapOrders ?? true, snapTrades: opts.snapTrades ?? false });
    },
    state: () => state,
    systemState: () => system,
    book: (symbol) => books.get(symbol),
  };
}
