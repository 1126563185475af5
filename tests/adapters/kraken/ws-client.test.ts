/**
 * The WebSocket v2 client against a loopback `ws` server: subscribe, candle finalisation,
 * drop → reconnect + resubscribe, staleness, feed.lost / feed.restored, book checksum pass and
 * fail, private executions with a fresh token per connection. Real sockets, small real timers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { createKrakenWsClient, systemRuntime, type KrakenWsClient, type KrakenWsEvent, type KrakenWsOptions, type Runtime } from '../../../adapters/kraken/index.ts';
import { fixture, waitFor } from './support.ts';
import { type WsLoopback, startWs } from './ws-support.ts';

let server: WsLoopback | null = null;
let client: KrakenWsClient | null = null;
afterEach(async () => {
  await client?.stop();
  await server?.close();
  client = null;
  server = null;
});

function start(options: Partial<KrakenWsOptions> = {}): { client: KrakenWsClient; events: KrakenWsEvent[] } {
  const events: KrakenWsEvent[] = [];
  const c = createKrakenWsClient({
    url: server!.url,
    reconnect: { baseDelayMs: 10, maxDelayMs: 40 },
    staleAfterMs: 10_000,
    tickMs: 10,
    ...options,
  });
  c.onAny((e) => events.push(e));
  client = c;
  return { client: c, events };
}

const ofType = <T extends KrakenWsEvent['type']>(events: KrakenWsEvent[], type: T) => events.filter((e): e is Extract<KrakenWsEvent, { type: T }> => e.type === type);

describe('WS v2 client over a loopback server', () => {
  it('subscribes with Kraken v2 parameters and reports ticker updates with exact decimals', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel === 'ticker') conn.send(fixture('ws_ticker_snapshot.json'));
    };
    const { client: c, events } = start();
    c.subscribeTicker(['ALGO/USD']);
    c.subscribeOhlc(['ALGO/USD', 'BTC/USD']);
    c.start();
    await waitFor(() => ofType(events, 'ticker.updated').length === 1, 3000, 'ticker');
    const subs = server.all().filter((r) => r.method === 'subscribe');
    expect(subs.map((r) => r.params)).toEqual([
      { channel: 'ticker', symbol: ['ALGO/USD'] },
      { channel: 'ohlc', symbol: ['ALGO/USD', 'BTC/USD'], interval: 5 },
    ]);
    expect(ofType(events, 'ticker.updated')[0]!.ticker).toMatchObject({ symbol: 'ALGO/USD', bid: f('0.10025'), change: f('-0.00017') });
    expect(ofType(events, 'system.statusReported')[0]!.status.connectionId).toBe('12393906104898154338');
    expect(c.state()).toBe('live');
    expect(c.systemState()).toBe('online');
  });

  it('emits candle.closed once per candle, when a later interval_begin arrives', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel !== 'ohlc') return;
      conn.send(fixture('ws_ohlc_snapshot.json'));
      conn.send(fixture('ws_ohlc_update.json'));
      conn.send(fixture('ws_ohlc_update.json')); // a repeat changes nothing
      conn.send(fixture('ws_ohlc_next_interval.json'));
    };
    const { client: c, events } = start();
    c.subscribeOhlc(['ALGO/USD'], 5);
    c.start();
    await waitFor(() => ofType(events, 'candle.closed').length === 2, 3000, 'two closed candles');
    await new Promise((r) => setTimeout(r, 30));
    const closed = ofType(events, 'candle.closed');
    expect(closed).toHaveLength(2);
    expect(closed.map((e) => e.candle.intervalBeginMs)).toEqual([Date.UTC(2023, 9, 4, 15, 25), Date.UTC(2023, 9, 4, 15, 30)]);
    expect(closed[1]).toMatchObject({ timeframe: '5m', closedBy: 'nextCandle', domainCandle: { tsOpen: Date.UTC(2023, 9, 4, 15, 30), open: 0.09875, high: 0.0989, low: 0.0987, close: 0.0989, volume: 17255.46368 } });
    expect(ofType(events, 'candle.updated').at(-1)!.candle.intervalBeginMs).toBe(Date.UTC(2023, 9, 4, 15, 35));
  });

  it('a dropped socket reconnects, resubscribes, and a repeated snapshot closes nothing twice', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel !== 'ohlc') return;
      conn.send(fixture('ws_ohlc_snapshot.json'));
      conn.send(fixture('ws_ohlc_next_interval.json'));
    };
    const { client: c, events } = start();
    c.subscribeOhlc(['ALGO/USD']);
    c.start();
    await waitFor(() => ofType(events, 'candle.closed').length === 2, 3000, 'first closes');
    server.connections[0]!.socket.terminate();
    await waitFor(() => server!.connections.length === 2 && server!.connections[1]!.received.length > 0, 3000, 'resubscribe');
    await waitFor(() => ofType(events, 'feed.restored').length === 1, 3000, 'restored');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections[1]!.received[0]).toMatchObject({ method: 'subscribe', params: { channel: 'ohlc', symbol: ['ALGO/USD'], interval: 5 } });
    expect(ofType(events, 'feed.disconnected')).toHaveLength(1);
    expect(ofType(events, 'feed.restored')[0]).toMatchObject({ after: 'disconnected' });
    expect(ofType(events, 'candle.closed')).toHaveLength(2); // the replayed snapshot closed nothing again
    expect(c.state()).toBe('live');
  });

  it('silence → feed.stale, REST polling while degraded, reconnect, feed.restored', async () => {
    server = await startWs();
    let polls = 0;
    let pollAborted = false;
    const { client: c, events } = start({
      staleAfterMs: 150,
      pollFallback: {
        intervalMs: 20,
        poll: async (signal) => {
          polls += 1;
          signal.addEventListener('abort', () => (pollAborted = true));
        },
      },
    });
    c.subscribeTicker(['BTC/USD']);
    c.start();
    await waitFor(() => ofType(events, 'feed.stale').length === 1, 3000, 'stale');
    expect(ofType(events, 'feed.stale')[0]!.silentMs).toBeGreaterThanOrEqual(150);
    expect(polls).toBeGreaterThanOrEqual(1);
    await waitFor(() => ofType(events, 'feed.restored').length >= 1, 3000, 'restored');
    expect(ofType(events, 'feed.restored')[0]).toMatchObject({ after: 'stale' });
    expect(pollAborted).toBe(true);
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => server!.connections[1]!.received.some((r) => r.method === 'subscribe'), 3000, 'resubscribe on the new connection');
  });

  it('feed.lost after K consecutive failures, keeps retrying, feed.restored when the exchange is back', async () => {
    server = await startWs();
    server.accept = false;
    const { client: c, events } = start({ lostAfterFailures: 3 });
    c.subscribeTicker(['BTC/USD']);
    c.start();
    await waitFor(() => ofType(events, 'feed.lost').length === 1, 3000, 'lost');
    expect(ofType(events, 'feed.lost')[0]!.consecutiveFailures).toBe(3);
    expect(c.state()).toBe('lost');
    await waitFor(() => server!.rejected >= 5, 3000, 'more retries after lost'); // the predecessor gave up after 5
    expect(ofType(events, 'feed.lost')).toHaveLength(1);
    server.accept = true;
    await waitFor(() => ofType(events, 'feed.restored').length === 1, 3000, 'restored');
    expect(ofType(events, 'feed.restored')[0]).toMatchObject({ after: 'lost' });
    expect(c.state()).toBe('live');
    await waitFor(() => server!.all().some((r) => r.method === 'subscribe'), 3000, 'resubscribe');
  });

  it('book: checksum verified on snapshot and update; a mismatch resubscribes the symbol for a fresh snapshot', async () => {
    server = await startWs();
    let snapshots = 0;
    server.onRequest = (conn, req) => {
      if (req.method !== 'subscribe' || req.params?.channel !== 'book') return;
      snapshots += 1;
      conn.send(fixture('ws_book_snapshot.json'));
      if (snapshots === 1) {
        conn.send(fixture('ws_book_update.json'));
        conn.send(fixture('ws_book_update.json').replace('2114181697', '12345'));
      }
    };
    const { client: c, events } = start();
    c.subscribeBook(['MATIC/USD'], 10, () => ({ price: 4, qty: 8 }));
    c.start();
    await waitFor(() => ofType(events, 'book.updated').length === 3, 3000, 'snapshot, update, fresh snapshot');
    const mismatch = ofType(events, 'book.checksumMismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({ symbol: 'MATIC/USD', expected: 12345 });
    const bookRequests = server.all().filter((r) => r.params?.channel === 'book').map((r) => [r.method, r.params?.symbol]);
    expect(bookRequests).toEqual([
      ['subscribe', ['MATIC/USD']],
      ['unsubscribe', ['MATIC/USD']],
      ['subscribe', ['MATIC/USD']],
    ]);
    expect(ofType(events, 'book.updated')[1]!.bids.at(-1)).toEqual({ price: f('0.5657'), qty: f('1098.3947558') });
    expect(c.book('MATIC/USD')?.checksum()).toBe(2439117997); // the fresh snapshot
  });

  it('reports failed subscriptions with the classified error', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel === 'ticker') conn.send(JSON.stringify({ method: 'subscribe', error: 'Currency pair not supported XBT/USD', success: false, symbol: 'XBT/USD', req_id: req.req_id }));
    };
    const { client: c, events } = start();
    c.subscribeTicker(['XBT/USD']);
    c.start();
    await waitFor(() => ofType(events, 'subscription.failed').length === 1, 3000, 'failure');
    expect(ofType(events, 'subscription.failed')[0]).toMatchObject({ symbol: 'XBT/USD', error: { kind: 'pairNotSupported', class: 'permanent' } });
  });

  it('private executions: a fresh token on every connection, execution reports out', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel === 'executions') conn.send(fixture('ws_executions_trade.json'));
    };
    let n = 0;
    const { client: c, events } = start({ getToken: async () => ({ ok: true, value: { token: `tok-${++n}` } }) });
    c.subscribeExecutions({ snapTrades: true });
    c.start();
    await waitFor(() => ofType(events, 'execution.reported').length === 1, 3000, 'execution');
    expect(ofType(events, 'execution.reported')[0]).toMatchObject({ snapshot: false, sequence: 10, execution: { execType: 'trade', lastQty: f('0.005'), lastPrice: f('26599.9') } });
    server.connections[0]!.socket.terminate();
    await waitFor(() => ofType(events, 'execution.reported').length === 2, 3000, 'second execution');
    const subs = server.all().filter((r) => r.params?.channel === 'executions');
    expect(subs.map((r) => r.params)).toEqual([
      { channel: 'executions', token: 'tok-1', snap_orders: true, snap_trades: true },
      { channel: 'executions', token: 'tok-2', snap_orders: true, snap_trades: true },
    ]);
  });

  it('a token failure counts as a failed connection and is retried', async () => {
    server = await startWs();
    let n = 0;
    const { client: c, events } = start({
      getToken: async () => (++n < 3 ? { ok: false, error: { kind: 'timeout', class: 'transient', orderOutcome: 'unknown', message: 'x', krakenErrors: [] } } : { ok: true, value: { token: 'good' } }),
    });
    c.subscribeExecutions();
    c.start();
    await waitFor(() => server!.all().some((r) => r.params?.channel === 'executions'), 3000, 'private subscribe');
    expect(server.all().find((r) => r.params?.channel === 'executions')?.params?.['token']).toBe('good');
    expect(ofType(events, 'feed.connected').length).toBeGreaterThanOrEqual(3);
  });

  it('malformed frames are reported and the connection carries on; pings keep idle connections alive', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.params?.channel === 'ticker') {
        conn.send('{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":"NaN"}]}');
        conn.send('not json');
        conn.send(fixture('ws_ticker_snapshot.json'));
      }
    };
    const { client: c, events } = start({ pingIntervalMs: 30 });
    c.subscribeTicker(['BTC/USD']);
    c.start();
    await waitFor(() => ofType(events, 'ticker.updated').length === 1, 3000, 'ticker after garbage');
    expect(ofType(events, 'message.malformed').map((e) => e.error.path)).toEqual(['$.data[0].bid', '$']);
    await waitFor(() => server!.all().some((r) => r.method === 'ping'), 3000, 'ping');
  });

  it('after a maintenance status, reconnects wait at least maintenanceDelayMs', async () => {
    server = await startWs();
    server.onRequest = (conn, req) => {
      if (req.method === 'subscribe') {
        conn.send(fixture('ws_status_maintenance.json'));
        setTimeout(() => conn.socket.terminate(), 10);
      }
    };
    const delays: number[] = [];
    const runtime: Runtime = { ...systemRuntime, setTimeout: (fn, ms) => (delays.push(ms), systemRuntime.setTimeout(fn, ms)) };
    const { client: c, events } = start({ runtime, maintenanceDelayMs: 200, tickMs: 1_000 });
    c.subscribeTicker(['BTC/USD']);
    c.start();
    await waitFor(() => ofType(events, 'feed.disconnected').length === 1, 3000, 'drop');
    expect(c.systemState()).toBe('maintenance');
    expect(delays.filter((d) => d !== 1_000).at(-1)).toBe(200);
  });

  it('stop() closes the socket and no reconnect follows', async () => {
    server = await startWs();
    const { client: c, events } = start();
    c.subscribeTicker(['BTC/USD']);
    c.start();
    await waitFor(() => c.state() === 'live', 3000, 'live');
    await c.stop();
    expect(c.state()).toBe('stopped');
    await new Promise((r) => setTimeout(r, 80));
    expect(server.connections).toHaveLength(1);
    expect(ofType(events, 'feed.disconnected')).toHaveLength(0);
  });
});
