import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Fixed } from '../../domain/money/index.ts';
import { type BookLevels, type Level, bookChecksum, onLadder } from './book.ts';
import type { ExchangeContext } from './context.ts';
import type { EngineEvent } from './engine.ts';
import type { WsTarget } from './faults.ts';
import { rfc3339 } from './format.ts';
import { stringify } from './json.ts';
import { type MarketReplay, OHLC_INTERVALS_MIN, bucketOf } from './market.ts';
import { isLive } from './orders.ts';
import { type PairSpec, findPairBySymbol } from './pairs.ts';
import type { RequestLog } from './request-log.ts';
import {
  bookSnapshotData,
  executionData,
  instrumentData,
  levelRows,
  ohlcData,
  publicTradeData,
  recentTicks,
  snapshotOrderRow,
  snapshotTradeRows,
  tickerData,
} from './ws-messages.ts';

/**
 * The WebSocket v2 endpoints: a public one (market data) and an authenticated one (executions),
 * reference/kraken.md §10–§12. Connection status on connect, ping/pong, per-symbol subscribe and
 * unsubscribe acks, snapshots then updates driven by the engine, heartbeats only when idle and
 * only once subscribed, idle close, and the WS faults (drop, stall, refuse, wrong checksum).
 */

const PUBLIC_CHANNELS = ['ticker', 'ohlc', 'book', 'trade', 'instrument'];
const PRIVATE_CHANNELS = ['executions', 'balances'];
const BOOK_DEPTHS = [10, 25, 100, 500, 1000];

type Subscription =
  | { channel: 'ticker'; pair: PairSpec; eventTrigger: string }
  | { channel: 'ohlc'; pair: PairSpec; interval: number }
  | { channel: 'book'; pair: PairSpec; depth: number; bids: Map<bigint, Fixed>; asks: Map<bigint, Fixed> }
  | { channel: 'trade'; pair: PairSpec }
  | { channel: 'instrument' }
  | { channel: 'heartbeat' }
  | { channel: 'executions'; orderStatus: boolean };

/** One client connection. */
class Connection {
  readonly subs = new Map<string, Subscription>();
  lastSentReal: number;
  lastReceivedReal: number;
  stalled = false;
  sequence = 0;

  constructor(
    readonly kind: 'public' | 'private',
    readonly socket: WebSocket,
    readonly id: bigint,
    now: number,
  ) {
    this.lastSentReal = now;
    this.lastReceivedReal = now;
  }

  send(message: unknown, now: number): void {
    if (this.stalled || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(stringify(message));
    this.lastSentReal = now;
  }
}

/** The WebSocket side of a fake exchange. */
export class WsHub {
  private readonly servers: { public: WebSocketServer; private: WebSocketServer };
  private readonly connections = new Set<Connection>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly log: RequestLog,
    private readonly realNow: () => number,
  ) {
    this.servers = { public: new WebSocketServer({ noServer: true }), private: new WebSocketServer({ noServer: true }) };
    for (const kind of ['public', 'private'] as const) {
      this.servers[kind].on('connection', (socket: WebSocket) => this.onConnection(kind, socket));
    }
    this.unsubscribe = ctx.engine.on((e) => this.onEngineEvent(e));
    const period = Math.max(10, Math.min(ctx.behaviour.heartbeatMs, ctx.behaviour.wsIdleTimeoutMs) / 2);
    this.timer = setInterval(() => this.housekeeping(), period);
  }

  /** Accepts an HTTP upgrade on the public or private endpoint (or refuses it with 503 while that fault is armed). */
  handleUpgrade(kind: 'public' | 'private', req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.ctx.faults.refuseWsConnections > 0) {
      this.ctx.faults.refuseWsConnections--;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const server = this.servers[kind];
    server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
  }

  /** Number of open client connections per endpoint. */
  connectionCount(kind: WsTarget = 'all'): number {
    return [...this.connections].filter((c) => kind === 'all' || c.kind === kind).length;
  }

  /** Fault: closes client sockets abruptly (no close frame) or with a close frame (`code`). */
  drop(target: WsTarget, mode: 'terminate' | 'close', code = 1001): number {
    let n = 0;
    for (const c of [...this.connections]) {
      if (target !== 'all' && c.kind !== target) continue;
      if (mode === 'terminate') c.socket.terminate();
      else c.socket.close(code, 'fake-kraken: connection dropped by fault injection');
      n++;
    }
    return n;
  }

  /** Fault: stops (or resumes) all sending on matching connections, heartbeats and pongs included. */
  stall(target: WsTarget, stalled: boolean): void {
    for (const c of this.connections) if (target === 'all' || c.kind === target) c.stalled = stalled;
  }

  /** Closes every connection and both servers. */
  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    this.servers.public.close();
    this.servers.private.close();
  }

  // ------------------------------------------------------------ connections

  private onConnection(kind: 'public' | 'private', socket: WebSocket): void {
    const conn = new Connection(kind, socket, this.ctx.ids.connectionId(), this.realNow());
    this.connections.add(conn);
    socket.on('message', (data) => this.onMessage(conn, data.toString()));
    socket.on('close', () => this.connections.delete(conn));
    socket.on('error', () => this.connections.delete(conn));
    conn.send(this.statusMessage(conn), this.realNow());
  }

  private statusMessage(conn: Connection): unknown {
    return { channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: conn.id, system: this.ctx.engine.systemStatus, version: '2.0.10' }] };
  }

  private housekeeping(): void {
    const now = this.realNow();
    for (const c of [...this.connections]) {
      if (now - c.lastReceivedReal >= this.ctx.behaviour.wsIdleTimeoutMs) {
        c.socket.close(1000, 'idle');
        this.connections.delete(c);
        continue;
      }
      if (c.subs.size > 0 && now - c.lastSentReal >= this.ctx.behaviour.heartbeatMs) c.send({ channel: 'heartbeat' }, now);
    }
  }

  private onMessage(conn: Connection, text: string): void {
    const now = this.realNow();
    conn.lastReceivedReal = now;
    const timeIn = rfc3339(this.ctx.engine.now);
    let msg: { method?: unknown; params?: unknown; req_id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
      if (msg === null || typeof msg !== 'object') throw new Error('not an object');
    } catch {
      this.log.add({ transport: 'ws', endpoint: 'ws:invalid', path: conn.kind, params: { text }, apiKey: null, simTimeMs: this.ctx.engine.now });
      conn.send({ error: 'Malformed request', success: false, time_in: timeIn, time_out: rfc3339(this.ctx.engine.now) }, now);
      return;
    }
    const method = typeof msg.method === 'string' ? msg.method : '';
    const reqId = typeof msg.req_id === 'number' ? msg.req_id : undefined;
    const params = (msg.params !== null && typeof msg.params === 'object' ? msg.params : {}) as Record<string, unknown>;
    const entry = this.log.add({ transport: 'ws', endpoint: `ws:${method}`, path: conn.kind, params: redactToken(params), apiKey: null, simTimeMs: this.ctx.engine.now });
    const reply = (body: Record<string, unknown>): void => {
      conn.send({ method, req_id: reqId, ...body, time_in: timeIn, time_out: rfc3339(this.ctx.engine.now) }, this.realNow());
      if (body.success === false) entry.errors = [...(entry.errors ?? []), String(body.error)];
    };
    switch (method) {
      case 'ping':
        conn.send({ method: 'pong', req_id: reqId, time_in: timeIn, time_out: rfc3339(this.ctx.engine.now) }, now);
        return;
      case 'subscribe':
        this.subscribe(conn, params, reply);
        return;
      case 'unsubscribe':
        this.unsubscribeFrom(conn, params, reply);
        return;
      default:
        reply({ success: false, error: method === '' ? 'Missing method' : `Method not supported by the fake exchange: ${method}` });
    }
  }

  // ------------------------------------------------------------ subscribe

  private channelRefusal(conn: Connection, channel: string): string | null {
    if (channel === 'heartbeat') return null;
    if (conn.kind === 'public' && PRIVATE_CHANNELS.includes(channel)) return 'Private data and trading are unavailable on this endpoint. Try ws-auth.kraken.com';
    if (conn.kind === 'private' && PUBLIC_CHANNELS.includes(channel)) {
      return 'Public market data subscriptions are unavailable on this endpoint. Try ws.kraken.com';
    }
    if (!PUBLIC_CHANNELS.includes(channel) && !PRIVATE_CHANNELS.includes(channel)) return `Channel not supported: ${channel}`;
    if (channel === 'balances') return 'Channel not supported by the fake exchange: balances';
    return null;
  }

  private subscribe(conn: Connection, params: Record<string, unknown>, reply: (b: Record<string, unknown>) => void): void {
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (channel === '') return reply({ success: false, error: 'Missing channel' });
    const refused = this.channelRefusal(conn, channel);
    if (refused) return reply({ success: false, error: refused });
    const now = this.realNow();
    if (channel === 'heartbeat') {
      conn.subs.set('heartbeat', { channel: 'heartbeat' });
      return reply({ success: true, result: { channel: 'heartbeat' } });
    }
    if (channel === 'instrument') {
      if (conn.subs.has('instrument')) return reply({ success: false, error: 'Already subscribed' });
      const snapshot = params.snapshot !== false;
      conn.subs.set('instrument', { channel: 'instrument' });
      reply({ success: true, result: { channel, snapshot } });
      if (snapshot) conn.send({ channel: 'instrument', type: 'snapshot', data: instrumentData(this.ctx.pairs) }, now);
      return;
    }
    if (channel === 'executions') return this.subscribeExecutions(conn, params, reply);

    // Per-symbol market data channels.
    let interval = 0;
    let depth = 10;
    if (channel === 'ohlc') {
      interval = typeof params.interval === 'number' ? params.interval : NaN;
      if (!OHLC_INTERVALS_MIN.includes(interval)) return reply({ success: false, error: 'Subscription ohlc interval not supported' });
    }
    if (channel === 'book') {
      depth = params.depth === undefined ? 10 : typeof params.depth === 'number' ? params.depth : NaN;
      if (!BOOK_DEPTHS.includes(depth)) return reply({ success: false, error: 'Subscription depth not supported' });
    }
    const eventTrigger = params.event_trigger === undefined ? 'trades' : String(params.event_trigger);
    if (channel === 'ticker' && eventTrigger !== 'trades' && eventTrigger !== 'bbo') return reply({ success: false, error: 'Invalid event_trigger' });
    if (!Array.isArray(params.symbol) || params.symbol.length === 0) return reply({ success: false, error: 'Missing symbol' });
    const snapshot = typeof params.snapshot === 'boolean' ? params.snapshot : channel !== 'trade';
    for (const raw of params.symbol) {
      const symbol = String(raw);
      const pair = findPairBySymbol(this.ctx.pairs, symbol);
      if (!pair) {
        reply({ success: false, error: `Currency pair not supported ${symbol}`, symbol });
        continue;
      }
      const key = subKey(channel, pair, interval);
      if (conn.subs.has(key)) {
        reply({ success: false, error: 'Already subscribed', symbol });
        continue;
      }
      const market = this.ctx.engine.market(pair);
      const simNow = this.ctx.engine.now;
      switch (channel) {
        case 'ticker':
          conn.subs.set(key, { channel, pair, eventTrigger });
          reply({ success: true, result: { channel, event_trigger: eventTrigger, snapshot, symbol } });
          if (snapshot) conn.send({ channel, type: 'snapshot', data: [tickerData(this.ctx, market, simNow)] }, this.realNow());
          break;
        case 'ohlc': {
          conn.subs.set(key, { channel, pair, interval });
          reply({ success: true, result: { channel, interval, snapshot, symbol, warnings: ['timestamp is deprecated, use interval_begin'] } });
          if (snapshot) {
            const bars = market.recentBars(interval * 60_000, simNow, this.ctx.behaviour.wsOhlcSnapshotSize);
            conn.send({ channel, type: 'snapshot', timestamp: rfc3339(simNow), data: bars.map((b) => ohlcData(pair, b, interval)) }, this.realNow());
          }
          break;
        }
        case 'book': {
          const sub = { channel: 'book' as const, pair, depth, bids: new Map<bigint, Fixed>(), asks: new Map<bigint, Fixed>() };
          conn.subs.set(key, sub);
          reply({ success: true, result: { channel, depth, snapshot, symbol } });
          if (snapshot) {
            const levels = this.ctx.books.levels(market, simNow, depth);
            remember(sub, levels);
            conn.send({ channel, type: 'snapshot', data: [bookSnapshotData(pair, levels, this.checksum(pair, levels), market.tickAtOrBefore(simNow)!.atMs)] }, this.realNow());
          }
          break;
        }
        case 'trade':
          conn.subs.set(key, { channel, pair });
          reply({ success: true, result: { channel, snapshot, symbol } });
          if (snapshot) conn.send({ channel, type: 'snapshot', data: recentTicks(market, simNow, 50).map((t) => publicTradeData(market, t)) }, this.realNow());
          break;
        default:
          break;
      }
    }
  }

  private subscribeExecutions(conn: Connection, params: Record<string, unknown>, reply: (b: Record<string, unknown>) => void): void {
    const token = typeof params.token === 'string' ? params.token : '';
    if (!this.ctx.tokens.isValid(token)) return reply({ channel: 'executions', error: 'ESession:Invalid session', status: 'error', success: false });
    if (conn.subs.has('executions')) return reply({ success: false, error: 'Already subscribed' });
    const snapOrders = typeof params.snap_orders === 'boolean' ? params.snap_orders : typeof params.snapshot === 'boolean' ? params.snapshot : true;
    const snapTrades = typeof params.snap_trades === 'boolean' ? params.snap_trades : params.snapshot_trades === true;
    const orderStatus = params.order_status !== false;
    const warnings = [
      ...(params.snapshot !== undefined ? ['snapshot is deprecated, use snap_orders'] : []),
      ...(params.snapshot_trades !== undefined ? ['snapshot_trades is deprecated, use snap_trades'] : []),
    ];
    conn.subs.set('executions', { channel: 'executions', orderStatus });
    reply({
      success: true,
      result: { channel: 'executions', maxratecount: this.ctx.behaviour.maxRateCount, snap_orders: snapOrders, snap_trades: snapTrades, warnings: warnings.length > 0 ? warnings : undefined },
    });
    if (snapOrders || snapTrades) {
      const simNow = this.ctx.engine.now;
      const rows = [
        ...(snapOrders ? this.ctx.engine.liveOrders().filter(isLive).map((o) => snapshotOrderRow(o, simNow)) : []),
        ...(snapTrades ? snapshotTradeRows(this.ctx, 50) : []),
      ];
      conn.send({ channel: 'executions', type: 'snapshot', data: rows, sequence: ++conn.sequence }, this.realNow());
    }
  }

  private unsubscribeFrom(conn: Connection, params: Record<string, unknown>, reply: (b: Record<string, unknown>) => void): void {
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (channel === '') return reply({ success: false, error: 'Missing channel' });
    if (channel === 'heartbeat' || channel === 'instrument' || channel === 'executions') {
      if (!conn.subs.delete(channel)) return reply({ success: false, error: 'Subscription Not Found' });
      return reply({ success: true, result: { channel } });
    }
    const interval = typeof params.interval === 'number' ? params.interval : 0;
    const symbols = Array.isArray(params.symbol) ? params.symbol.map(String) : [];
    if (symbols.length === 0) return reply({ success: false, error: 'Missing symbol' });
    for (const symbol of symbols) {
      const pair = findPairBySymbol(this.ctx.pairs, symbol);
      const key = pair ? subKey(channel, pair, interval) : '';
      const sub = conn.subs.get(key);
      if (!pair || !sub) {
        reply({ success: false, error: 'Subscription Not Found', symbol });
        continue;
      }
      conn.subs.delete(key);
      const extra = sub.channel === 'ohlc' ? { interval: sub.interval } : sub.channel === 'book' ? { depth: sub.depth } : sub.channel === 'ticker' ? { event_trigger: sub.eventTrigger } : {};
      reply({ success: true, result: { channel, symbol, ...extra } });
    }
  }

  // ------------------------------------------------------------ engine events

  private onEngineEvent(e: EngineEvent): void {
    const now = this.realNow();
    switch (e.kind) {
      case 'tick':
        for (const c of this.connections) if (c.kind === 'public') this.publishTick(c, e.market, now);
        return;
      case 'system':
        for (const c of this.connections) c.send(this.statusMessage(c), now);
        return;
      case 'exec':
      case 'trade': {
        const quietTypes = ['pending_new', 'amended', 'status'];
        for (const c of this.connections) {
          const sub = c.subs.get('executions');
          if (!sub || sub.channel !== 'executions') continue;
          if (e.kind === 'exec' && !sub.orderStatus && quietTypes.includes(e.type)) continue;
          const data = e.kind === 'trade' ? executionData({ type: 'trade', order: e.order, atMs: e.atMs, trade: e.trade }) : executionData(e);
          c.send({ channel: 'executions', type: 'update', data: [data], sequence: ++c.sequence }, now);
        }
        return;
      }
    }
  }

  private publishTick(c: Connection, market: MarketReplay, now: number): void {
    const simNow = this.ctx.engine.now;
    const tick = market.tickAtOrBefore(simNow)!;
    for (const sub of c.subs.values()) {
      if (!('pair' in sub) || sub.pair.key !== market.pair.key) continue;
      switch (sub.channel) {
        case 'ticker':
          c.send({ channel: 'ticker', type: 'update', data: [tickerData(this.ctx, market, simNow)] }, now);
          break;
        case 'ohlc': {
          const intervalMs = sub.interval * 60_000;
          const bar = market.bar(intervalMs, bucketOf(tick.atMs, intervalMs), simNow);
          if (bar !== null) c.send({ channel: 'ohlc', type: 'update', timestamp: rfc3339(simNow), data: [ohlcData(sub.pair, bar, sub.interval)] }, now);
          break;
        }
        case 'trade':
          c.send({ channel: 'trade', type: 'update', data: [publicTradeData(market, tick)] }, now);
          break;
        case 'book':
          this.publishBook(c, sub, market, now);
          break;
      }
    }
  }

  private publishBook(c: Connection, sub: Extract<Subscription, { channel: 'book' }>, market: MarketReplay, now: number): void {
    const simNow = this.ctx.engine.now;
    const levels = this.ctx.books.levels(market, simNow, sub.depth);
    const last = this.ctx.books.lastOf(market, simNow);
    const shape = this.ctx.books.shape(sub.pair);
    const bids = diffSide(sub.bids, levels.bids, (p) => onLadder(sub.pair, last, 'bid', p, shape));
    const asks = diffSide(sub.asks, levels.asks, (p) => onLadder(sub.pair, last, 'ask', p, shape));
    remember(sub, levels);
    if (bids.length === 0 && asks.length === 0) return;
    const tickAt = market.tickAtOrBefore(simNow)!.atMs;
    c.send(
      { channel: 'book', type: 'update', data: [{ symbol: sub.pair.symbol, bids: levelRows(sub.pair, bids), asks: levelRows(sub.pair, asks), checksum: this.checksum(sub.pair, levels), timestamp: rfc3339(tickAt) }] },
      now,
    );
  }

  private checksum(pair: PairSpec, levels: BookLevels): number {
    const sum = bookChecksum(pair, levels);
    if (this.ctx.faults.corruptChecksums > 0) {
      this.ctx.faults.corruptChecksums--;
      return (sum ^ 1) >>> 0;
    }
    return sum;
  }
}

function subKey(channel: string, pair: PairSpec, interval: number): string {
  return channel === 'ohlc' ? `ohlc|${pair.symbol}|${interval}` : `${channel}|${pair.symbol}`;
}

function remember(sub: { bids: Map<bigint, Fixed>; asks: Map<bigint, Fixed> }, levels: BookLevels): void {
  sub.bids = new Map(levels.bids.map((l) => [l.price, l.qty]));
  sub.asks = new Map(levels.asks.map((l) => [l.price, l.qty]));
}

/**
 * Changes that bring a client's view (`view`, the levels it was last sent) to `next`: new or
 * changed levels, and `qty 0` for levels that left the ladder. Levels still on the ladder but
 * pushed below the subscribed depth are not deleted — the client truncates them (Kraken's rule).
 */
function diffSide(view: Map<bigint, Fixed>, next: readonly Level[], stillOnLadder: (price: Fixed) => boolean): Level[] {
  const out: Level[] = [];
  const nextPrices = new Set(next.map((l) => l.price));
  for (const [price] of view) {
    if (!nextPrices.has(price) && !stillOnLadder(price)) out.push({ price, qty: 0n });
  }
  for (const l of next) if (view.get(l.price) !== l.qty) out.push(l);
  return out;
}

function redactToken(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = k === 'token' ? '<token>' : typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
