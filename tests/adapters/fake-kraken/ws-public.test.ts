import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKraken, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { BTC_FILE, type CsvRow, WsClient, crc32, pub, readFixture, settle, startWithFixtures } from './support.ts';

// WebSocket v2 public endpoint (reference/kraken.md §10–§11) against the fixture replay, with a
// plain `ws` client. The replay starts at BTC fixture row index 720 (2023-03-11 12:00 UTC).

let k: FakeKraken;
let btc: CsvRow[];
const clients: WsClient[] = [];

async function connect(url = k.wsUrl): Promise<WsClient> {
  const c = await WsClient.connect(url);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  k = await startWithFixtures({ heartbeatMs: 60 });
  btc = readFixture(BTC_FILE);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(() => k.close());

/** Price/qty pairs of one side of a raw book message, keeping the text as sent. */
function rawLevels(text: string, side: 'bids' | 'asks'): [string, string][] {
  const m = new RegExp(`"${side}":\\[(.*?)\\]`).exec(text);
  if (!m) return [];
  return [...m[1]!.matchAll(/\{"price":([0-9.]+),"qty":([0-9.]+)\}/g)].map((x) => [x[1]!, x[2]!]);
}

/** Kraken checksum from level texts, computed with the independent CRC32 (kraken.md §11). */
function checksumOf(asks: [string, string][], bids: [string, string][]): number {
  const part = ([p, q]: [string, string]): string => p.replace('.', '').replace(/^0+/, '') + q.replace('.', '').replace(/^0+/, '');
  return crc32(asks.slice(0, 10).map(part).join('') + bids.slice(0, 10).map(part).join(''));
}

describe('checksum algorithm', () => {
  it('our independent CRC32 reproduces Kraken\'s published book example (3310070434)', () => {
    // docs.kraken.com/api/docs/websocket-v2/book, BTC/USD snapshot (reference/kraken.md §11).
    const asks: [string, string][] = [
      ['45285.2', '0.00100000'], ['45286.4', '1.54571953'], ['45286.6', '1.54571109'], ['45289.6', '1.54560911'], ['45290.2', '0.15890660'],
      ['45291.8', '1.54553491'], ['45294.7', '0.04454749'], ['45296.1', '0.35380000'], ['45297.5', '0.09945542'], ['45299.5', '0.18772827'],
    ];
    const bids: [string, string][] = [
      ['45283.5', '0.10000000'], ['45283.4', '1.54582015'], ['45282.1', '0.10000000'], ['45281.0', '0.10000000'], ['45280.3', '1.54592586'],
      ['45279.0', '0.07990000'], ['45277.6', '0.03310103'], ['45277.5', '0.30000000'], ['45277.3', '1.54602737'], ['45276.6', '0.15445238'],
    ];
    expect(checksumOf(asks, bids)).toBe(3310070434);
  });
});

describe('connection', () => {
  it('pushes a status update on connect with a 64-bit connection id', async () => {
    const c = await connect();
    const m = await c.take((j) => j.channel === 'status');
    expect(m.json).toMatchObject({ channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'online' }] });
    expect(m.text).toMatch(/"connection_id":\d{19,20}[,}]/); // beyond 2^53, written as a raw integer
  });

  it('answers ping with pong echoing req_id, with time_in/time_out', async () => {
    const c = await connect();
    c.send({ method: 'ping', req_id: 101 });
    const m = await c.take((j) => j.method === 'pong');
    expect(m.json.req_id).toBe(101);
    expect(m.json.time_in).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(m.json.time_out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('sends heartbeats only once subscribed, and only while idle', async () => {
    const c = await connect();
    await settle(200);
    expect(c.all((j) => j.channel === 'heartbeat')).toHaveLength(0);
    c.send({ method: 'subscribe', params: { channel: 'heartbeat' } });
    await c.take((j) => j.method === 'subscribe' && j.success === true);
    await c.take((j) => j.channel === 'heartbeat', 1000);
    expect(c.messages.at(-1)!.text).toBe('{"channel":"heartbeat"}');
  });

  it('pushes a new status when the system status changes', async () => {
    const c = await connect();
    await c.take((j) => j.channel === 'status');
    k.control.setSystemStatus('maintenance');
    const m = await c.take((j) => j.channel === 'status');
    expect(m.json.data[0].system).toBe('maintenance');
    k.control.setSystemStatus('online');
  });
});

describe('subscribe / unsubscribe', () => {
  it('acks once per symbol and refuses v1 names with Kraken\'s message', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD', 'ETH/USD', 'XBT/USD'] }, req_id: 7 });
    const acks = [await c.take((j) => j.method === 'subscribe'), await c.take((j) => j.method === 'subscribe'), await c.take((j) => j.method === 'subscribe')];
    expect(acks[0]!.json).toMatchObject({ method: 'subscribe', req_id: 7, success: true, result: { channel: 'ticker', event_trigger: 'trades', snapshot: true, symbol: 'BTC/USD' } });
    expect(acks[1]!.json.result.symbol).toBe('ETH/USD');
    expect(acks[2]!.json).toMatchObject({ method: 'subscribe', req_id: 7, success: false, error: 'Currency pair not supported XBT/USD', symbol: 'XBT/USD' });
    c.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD'] } });
    expect((await c.take((j) => j.method === 'subscribe')).json).toMatchObject({ success: false, error: 'Already subscribed' });
  });

  it('refuses private channels on the public endpoint', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'executions', token: 'x' } });
    expect((await c.take((j) => j.method === 'subscribe')).json).toMatchObject({
      success: false,
      error: 'Private data and trading are unavailable on this endpoint. Try ws-auth.kraken.com',
    });
  });

  it('refuses unsupported depths and intervals', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 7 } });
    expect((await c.take((j) => j.method === 'subscribe')).json.error).toBe('Subscription depth not supported');
    c.send({ method: 'subscribe', params: { channel: 'ohlc', symbol: ['BTC/USD'], interval: 2 } });
    expect((await c.take((j) => j.method === 'subscribe')).json.error).toBe('Subscription ohlc interval not supported');
  });

  it('unsubscribes per symbol and stops the updates', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'trade', symbol: ['SOL/USD'] } });
    await c.take((j) => j.method === 'subscribe');
    c.send({ method: 'unsubscribe', params: { channel: 'trade', symbol: ['SOL/USD'] }, req_id: 3 });
    expect((await c.take((j) => j.method === 'unsubscribe')).json).toMatchObject({ req_id: 3, success: true, result: { channel: 'trade', symbol: 'SOL/USD' } });
    k.control.advance(75_000);
    await settle();
    expect(c.all((j) => j.channel === 'trade')).toHaveLength(0);
    c.send({ method: 'unsubscribe', params: { channel: 'trade', symbol: ['SOL/USD'] } });
    expect((await c.take((j) => j.method === 'unsubscribe')).json.error).toBe('Subscription Not Found');
  });
});

describe('channels', () => {
  it('ticker: snapshot then an update per replayed trade, numbers with the pair\'s precision', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD'] } });
    const snap = await c.take((j) => j.channel === 'ticker' && j.type === 'snapshot');
    const t = snap.json.data[0];
    expect(t.symbol).toBe('BTC/USD');
    expect(t.bid).toBeLessThan(t.last);
    expect(t.ask).toBeGreaterThan(t.last);
    expect(snap.text).toMatch(/"bid":\d+\.\d,"bid_qty":\d+\.\d{8},"ask":\d+\.\d,"ask_qty":\d+\.\d{8},"last":\d+\.\d,"volume":\d+\.\d{8}/);
    k.control.advance(75_000);
    const upd = await c.take((j) => j.channel === 'ticker' && j.type === 'update');
    expect(upd.json.data[0].last).toBe(Number(k.control.lastPrice('XBTUSD')));
  });

  it('trade: updates carry sequential trade ids', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'trade', symbol: ['ETH/USD'] } });
    expect((await c.take((j) => j.method === 'subscribe')).json.result).toEqual({ channel: 'trade', snapshot: false, symbol: 'ETH/USD' });
    k.control.advance(150_000);
    const a = await c.take((j) => j.channel === 'trade');
    const b = await c.take((j) => j.channel === 'trade');
    expect(b.json.data[0].trade_id).toBe(a.json.data[0].trade_id + 1);
    expect(a.text).toMatch(/"price":\d+\.\d\d,"qty":\d+\.\d{8},"ord_type":"market"/);
  });

  it('instrument: a snapshot object with assets and pairs (v2 symbols, precisions)', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'instrument' } });
    const m = await c.take((j) => j.channel === 'instrument');
    expect(m.json.data.pairs.find((p: { symbol: string }) => p.symbol === 'BTC/USD')).toMatchObject({ base: 'BTC', quote: 'USD', price_precision: 1, qty_precision: 8 });
    expect(m.json.data.assets.map((a: { id: string }) => a.id)).toContain('BTC');
  });
});

describe('ohlc', () => {
  it('sends a snapshot, then the running candle on every trade, then the next candle — never a close message', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'ohlc', symbol: ['BTC/USD'], interval: 5 } });
    const ack = await c.take((j) => j.method === 'subscribe');
    expect(ack.json.result).toEqual({ channel: 'ohlc', interval: 5, snapshot: true, symbol: 'BTC/USD', warnings: ['timestamp is deprecated, use interval_begin'] });
    const snap = await c.take((j) => j.channel === 'ohlc' && j.type === 'snapshot');
    const bars = snap.json.data;
    expect(bars.length).toBeGreaterThan(1);
    const now = k.control.now();
    const formingBegin = new Date(Math.floor(now / 300_000) * 300_000).toISOString().replace('.000Z', '.000000000Z');
    expect(bars.at(-1).interval_begin).toBe(formingBegin);
    // Deprecated `timestamp` = the END of the interval.
    expect(bars.at(-1).timestamp).toBe(new Date(Math.floor(now / 300_000) * 300_000 + 300_000).toISOString().replace('.000Z', '.000000Z'));

    const row = btc.find((r) => r.time * 1000 === Math.floor(now / 300_000) * 300_000)!;
    const updates: any[] = [];
    for (let i = 0; i < 4; i++) {
      k.control.advance(75_000);
      updates.push((await c.take((j) => j.channel === 'ohlc' && j.type === 'update')).json);
    }
    // Three updates of the same running candle, then the next candle's first update.
    expect(updates.slice(0, 3).map((u) => u.data[0].interval_begin)).toEqual([formingBegin, formingBegin, formingBegin]);
    expect(updates[3].data[0].interval_begin).not.toBe(formingBegin);
    const final = updates[2].data[0];
    expect([final.open, final.high, final.low, final.close, final.volume]).toEqual([row.open, row.high, row.low, row.close, row.volume].map(Number));
    expect(final.trades).toBe(4);
    expect(c.all((j) => j.channel === 'ohlc' && j.type !== 'snapshot' && j.type !== 'update')).toHaveLength(0);
  });

  it('writes numbers with trailing zeros (engine precision)', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'ohlc', symbol: ['SOL/USD'], interval: 1 } });
    const snap = await c.take((j) => j.channel === 'ohlc' && j.type === 'snapshot');
    expect(snap.text).toMatch(/"open":\d+\.\d\d,"high":\d+\.\d\d,"low":\d+\.\d\d,"close":\d+\.\d\d,"trades":\d+,"volume":\d+\.\d{8},"vwap":\d+\.\d\d/);
  });

  it('sends nothing for an interval without trades', async () => {
    const rows = readFixture(BTC_FILE).slice(0, 730);
    const candles = rows.filter((_, i) => i !== 722).map((r) => ({ tsOpenMs: r.time * 1000, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
    const g = await startFakeKraken({ markets: [{ pair: 'BTC/USD', candles }] });
    try {
      const c = await connect(g.wsUrl);
      c.send({ method: 'subscribe', params: { channel: 'ohlc', symbol: ['BTC/USD'], interval: 5, snapshot: false } });
      await c.take((j) => j.method === 'subscribe');
      g.control.advance(20 * 60_000);
      await settle();
      const begins = new Set(c.all((j) => j.channel === 'ohlc').map((m) => m.json.data[0].interval_begin));
      const t = (i: number): string => new Date(rows[i]!.time * 1000).toISOString().replace('.000Z', '.000000000Z');
      // 20 minutes from the open of row 720 reach the open of row 724; row 722 is missing.
      expect([...begins]).toEqual([t(720), t(721), t(723), t(724)]);
    } finally {
      await g.close();
    }
  });
});

describe('book', () => {
  it('snapshot and every update keep a client book whose CRC32 matches the server checksum', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 10 } });
    expect((await c.take((j) => j.method === 'subscribe')).json.result).toEqual({ channel: 'book', depth: 10, snapshot: true, symbol: 'BTC/USD' });
    const snap = await c.take((j) => j.channel === 'book' && j.type === 'snapshot');
    const bids = new Map(rawLevels(snap.text, 'bids'));
    const asks = new Map(rawLevels(snap.text, 'asks'));
    expect(bids.size).toBe(10);
    expect(asks.size).toBe(10);
    const sorted = (m: Map<string, string>, dir: 1 | -1): [string, string][] =>
      [...m.entries()].sort((a, b) => dir * (Number(a[0]) - Number(b[0]))).slice(0, 10);
    expect(checksumOf(sorted(asks, 1), sorted(bids, -1))).toBe(snap.json.data[0].checksum);

    // 12 candles of replay (48 trades), crossing candle boundaries where every level is refreshed.
    for (let i = 0; i < 48; i++) k.control.step();
    await settle(50);
    const updates = c.all((j) => j.channel === 'book' && j.type === 'update');
    expect(updates.length).toBeGreaterThan(20);
    for (const u of updates) {
      for (const [p, q] of rawLevels(u.text, 'bids')) Number(q) === 0 ? bids.delete(p) : bids.set(p, q);
      for (const [p, q] of rawLevels(u.text, 'asks')) Number(q) === 0 ? asks.delete(p) : asks.set(p, q);
      // Truncate to the subscribed depth, as Kraken asks clients to.
      for (const [m, dir] of [[bids, -1], [asks, 1]] as const) {
        const keep = new Set(sorted(m, dir).map(([p]) => p));
        for (const p of [...m.keys()]) if (!keep.has(p)) m.delete(p);
      }
      expect(checksumOf(sorted(asks, 1), sorted(bids, -1))).toBe(u.json.data[0].checksum);
    }
    // The client's book is the exchange's book: compare prices with REST Depth.
    const depth = (await pub(k, 'Depth', { pair: 'XBTUSD', count: 10 })).result.XXBTZUSD;
    expect(sorted(bids, -1).map(([p]) => Number(p))).toEqual(depth.bids.map((l: string[]) => Number(l[0])));
    expect(sorted(asks, 1).map(([p]) => Number(p))).toEqual(depth.asks.map((l: string[]) => Number(l[0])));
  });

  it('a deeper subscription gets that many levels but the checksum still covers the top 10', async () => {
    const c = await connect();
    c.send({ method: 'subscribe', params: { channel: 'book', symbol: ['ETH/USD'], depth: 25 } });
    const snap = await c.take((j) => j.channel === 'book' && j.type === 'snapshot');
    const asks = rawLevels(snap.text, 'asks');
    const bids = rawLevels(snap.text, 'bids');
    expect(asks).toHaveLength(25);
    expect(asks[0]![0]).toMatch(/^\d+\.\d\d$/); // ETH/USD price precision 2
    expect(checksumOf(asks, bids)).toBe(snap.json.data[0].checksum);
  });
});
