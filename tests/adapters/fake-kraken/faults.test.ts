import { afterEach, describe, expect, it } from 'vitest';
import { type FakeKraken, type FakeKrakenOptions, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { SOL_PATH, WsClient, crc32, priv, privRaw, settle } from './support.ts';

// Every fault of the control surface, observed the way a client would see it. Market: the
// hand-made SOL/USD path (support.ts), SOL at 100 (bid 99.99 / ask 100.01) at the start.

let k: FakeKraken;
const clients: WsClient[] = [];

async function start(extra: Partial<FakeKrakenOptions> = {}): Promise<FakeKraken> {
  k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3, balances: { ZUSD: '100000', SOL: '10' }, ...extra });
  return k;
}
async function ws(url: string): Promise<WsClient> {
  const c = await WsClient.connect(url);
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await k?.close();
});

const limitBuy = (extra: Record<string, string> = {}) => priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90', ...extra });

describe('REST faults', () => {
  it('next N calls get a raw 5xx with a non-Kraken body, then service resumes', async () => {
    await start();
    k.control.httpErrorNext(1, 502);
    const r = await privRaw(k, 'Balance');
    expect(r.status).toBe(502);
    expect(r.text).toContain('cloudflare');
    expect(r.text.startsWith('{')).toBe(false);
    expect((await priv(k, 'Balance')).error).toEqual([]);
    k.control.httpErrorNext(1, 520);
    expect(await privRaw(k, 'Balance')).toEqual({ status: 520, text: 'error code: 520' });
    expect(k.control.requests({ endpoint: 'Balance' }).map((e) => e.fault)).toEqual(['http 502', null, 'http 520']);
  });

  it('EAPI:Rate limit exceeded, EService:Unavailable and EAPI:Invalid nonce for the next N calls', async () => {
    await start();
    k.control.rateLimitNext(2);
    expect((await priv(k, 'Balance')).error).toEqual(['EAPI:Rate limit exceeded']);
    expect((await priv(k, 'TradeBalance')).error).toEqual(['EAPI:Rate limit exceeded']);
    expect((await priv(k, 'Balance')).error).toEqual([]);
    k.control.unavailableNext(1);
    expect((await priv(k, 'Balance')).error).toEqual(['EService:Unavailable']);
    k.control.invalidNonceNext(1);
    expect((await priv(k, 'Balance')).error).toEqual(['EAPI:Invalid nonce']);
    expect((await priv(k, 'Balance')).error).toEqual([]);
  });

  it('can target one endpoint; an unprocessed AddOrder failure places nothing', async () => {
    await start();
    k.control.unavailableNext(1, { methods: ['AddOrder'] });
    expect((await priv(k, 'Balance')).error).toEqual([]);
    expect((await limitBuy()).error).toEqual(['EService:Unavailable']);
    expect(k.control.orders()).toEqual([]);
  });

  it('a processed failure: the client sees 502 / EGeneral:Internal error but the order exists', async () => {
    await start();
    k.control.httpErrorNext(1, 502, { methods: ['AddOrder'], processed: true });
    expect((await privRaw(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90', cl_ord_id: 'ghost-1' })).status).toBe(502);
    const open = await priv(k, 'OpenOrders', { cl_ord_id: 'ghost-1' });
    expect(Object.values(open.result.open)).toHaveLength(1);
    k.control.failRest({ kind: 'error', error: 'EGeneral:Internal error', methods: ['AddOrder'], processed: true });
    expect((await limitBuy({ cl_ord_id: 'ghost-2' })).error).toEqual(['EGeneral:Internal error']);
    expect(k.control.orders().map((o) => o.clOrdId)).toEqual(['ghost-2', 'ghost-1']);
  });

  it('delayed acknowledgement: AddOrder times out at the client, yet the order exists; AddOrder was sent once', async () => {
    await start();
    k.control.delayReplies({ delayMs: 1_000 });
    const timedOut = privRaw(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90', cl_ord_id: 'slow-1' }, { signal: AbortSignal.timeout(150) });
    await expect(timedOut).rejects.toThrow();
    expect(k.control.requests({ endpoint: 'AddOrder' })).toHaveLength(1);
    const found = await priv(k, 'OpenOrders', { cl_ord_id: 'slow-1' });
    expect(Object.values(found.result.open as Record<string, { cl_ord_id: string }>)[0]!.cl_ord_id).toBe('slow-1');
    // A blind retry with the same cl_ord_id is refused while the order is open.
    expect((await limitBuy({ cl_ord_id: 'slow-1' })).error).toEqual(['EOrder:Duplicate order']);
  });

  it('a delayed reply arrives after the delay when the client waits', async () => {
    await start();
    k.control.delayReplies({ delayMs: 120, methods: ['Balance'] });
    const t0 = Date.now();
    expect((await priv(k, 'Balance')).error).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });

  it('optional REST call counter: Balance costs 1, AddOrder is not counted', async () => {
    await start({ restRateLimit: { max: 3, decayPerSecond: 0, historyCost: 2 } });
    for (let i = 0; i < 3; i++) expect((await priv(k, 'Balance')).error).toEqual([]);
    expect((await priv(k, 'Balance')).error).toEqual(['EAPI:Rate limit exceeded']);
    expect((await limitBuy()).error).toEqual([]);
  });
});

describe('fills', () => {
  it('partial fills: a market order fills in K pieces, one per later replayed trade', async () => {
    await start();
    k.control.partialFills({ pieces: 3 });
    const id = (await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'market', volume: '1' })).result.txid[0];
    const o = () => k.control.orders().find((x) => x.txid === id)!;
    expect(o()).toMatchObject({ status: 'open', volExec: '0.33333333' });
    const q = await priv(k, 'QueryOrders', { txid: id });
    expect(q.result[id]).toMatchObject({ status: 'open', vol_exec: '0.33333333', misc: 'partial' });
    k.control.step();
    expect(o()).toMatchObject({ status: 'open', volExec: '0.66666666' });
    k.control.step();
    expect(o()).toMatchObject({ status: 'closed', volExec: '1' });
    expect(k.control.trades().map((t) => t.vol)).toEqual(['0.33333334', '0.33333333', '0.33333333']);
  });

  it('partial fill then cancel leaves a canceled order with its executed part', async () => {
    await start();
    k.control.partialFills({ pieces: 2 });
    const id = (await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '99.5' })).result.txid[0];
    k.control.advance(75_000); // 100 → 99 goes through 99.5: first half
    expect((await priv(k, 'CancelOrder', { txid: id })).result).toEqual({ count: 1 });
    expect(k.control.orders()[0]).toMatchObject({ status: 'canceled', volExec: '0.5' });
  });

  it('fill after cancel ("pending"): the cancel is acknowledged as pending, then the order fills', async () => {
    await start();
    const c = await ws(k.wsAuthUrl);
    c.send({ method: 'subscribe', params: { channel: 'executions', token: (await priv(k, 'GetWebSocketsToken')).result.token, snap_orders: false } });
    await c.take((j) => j.method === 'subscribe');
    const id = (await limitBuy()).result.txid[0];
    k.control.fillAfterCancel();
    expect(await priv(k, 'CancelOrder', { txid: id })).toEqual({ error: [], result: { count: 1, pending: true } });
    await settle(50);
    expect(k.control.orders()[0]).toMatchObject({ status: 'closed', volExec: '1', cost: '90' });
    const types = c.all((j) => j.channel === 'executions' && j.type === 'update').map((m) => m.json.data[0].exec_type);
    expect(types).toEqual(['pending_new', 'new', 'trade', 'filled']);
  });

  it('fill after cancel ("unknown"): the order filled first, the cancel gets EOrder:Unknown order', async () => {
    await start();
    const id = (await limitBuy()).result.txid[0];
    k.control.fillAfterCancel({ mode: 'unknown' });
    expect((await priv(k, 'CancelOrder', { txid: id })).error).toEqual(['EOrder:Unknown order']);
    expect(k.control.orders()[0]!.status).toBe('closed');
  });
});

describe('system status', () => {
  it('maintenance refuses orders; cancel_only refuses new orders and stops matching; post_only takes only post-only limits', async () => {
    await start();
    k.control.setSystemStatus('maintenance');
    expect((await limitBuy()).error).toEqual(['EService:Unavailable']);
    k.control.setSystemStatus('cancel_only');
    expect((await limitBuy()).error).toEqual(['EService:Market in cancel_only mode']);
    k.control.setSystemStatus('online');
    const id = (await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '99.5' })).result.txid[0];
    k.control.setSystemStatus('cancel_only');
    k.control.advance(75_000); // would fill at 99.5 if matching ran
    expect(k.control.orders().find((o) => o.txid === id)!.status).toBe('open');
    k.control.setSystemStatus('post_only');
    expect((await limitBuy()).error).toEqual(['EService:Market in post_only mode']);
    expect((await limitBuy({ oflags: 'post' })).error).toEqual([]);
  });
});

describe('WebSocket faults', () => {
  it('drop: terminate (no close frame, 1006) or close (1001)', async () => {
    await start();
    const a = await ws(k.wsUrl);
    const b = await ws(k.wsAuthUrl);
    expect(k.control.dropWs({ target: 'public' })).toBe(1);
    expect((await a.waitClosed()).code).toBe(1006);
    expect(b.closed).toBeNull();
    k.control.dropWs({ target: 'private', mode: 'close' });
    expect((await b.waitClosed()).code).toBe(1001);
  });

  it('stall: the socket stays open but nothing is sent, not even pong; resume restores it', async () => {
    await start();
    const c = await ws(k.wsUrl);
    c.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['SOL/USD'], snapshot: false } });
    await c.take((j) => j.method === 'subscribe');
    k.control.stallWs();
    c.send({ method: 'ping', req_id: 1 });
    k.control.advance(75_000);
    await settle(150);
    expect(c.all((j) => j.method === 'pong' || j.channel === 'ticker')).toHaveLength(0);
    expect(c.closed).toBeNull();
    k.control.resumeWs();
    c.send({ method: 'ping', req_id: 2 });
    expect((await c.take((j) => j.method === 'pong')).json.req_id).toBe(2);
  });

  it('refused connections get HTTP 503', async () => {
    await start();
    k.control.refuseWsConnections(1);
    await expect(WsClient.connect(k.wsUrl)).rejects.toThrow(/503/);
    await ws(k.wsUrl);
    expect(k.control.wsConnections('public')).toBe(1);
  });

  it('a corrupted book checksum differs from the CRC32 of the levels sent', async () => {
    await start();
    const c = await ws(k.wsUrl);
    k.control.corruptBookChecksum(1);
    c.send({ method: 'subscribe', params: { channel: 'book', symbol: ['SOL/USD'], depth: 10 } });
    const snap = await c.take((j) => j.channel === 'book');
    const part = (l: { price: number; qty: number }) => l.price.toFixed(2).replace('.', '').replace(/^0+/, '') + l.qty.toFixed(8).replace('.', '').replace(/^0+/, '');
    const d = snap.json.data[0];
    const honest = crc32(d.asks.map(part).join('') + d.bids.map(part).join(''));
    expect(d.checksum).not.toBe(honest);
    expect(d.checksum).toBe((honest ^ 1) >>> 0);
  });

  it('closes a connection that stays silent longer than wsIdleTimeoutMs', async () => {
    await start({ wsIdleTimeoutMs: 100, heartbeatMs: 40 });
    const c = await ws(k.wsUrl);
    expect((await c.waitClosed(1000)).code).toBe(1000);
  });
});

describe('request log', () => {
  it('records endpoint, params, key and outcome of every call, REST and WS', async () => {
    await start();
    await limitBuy({ cl_ord_id: 'log-1' });
    await priv(k, 'Balance', {}, { apiKey: 'wrong' });
    const c = await ws(k.wsUrl);
    c.send({ method: 'ping', req_id: 9 });
    await c.take((j) => j.method === 'pong');
    const log = k.control.requests();
    expect(log.map((e) => e.endpoint)).toEqual(['AddOrder', 'Balance', 'ws:ping']);
    expect(log[0]).toMatchObject({ transport: 'rest', path: '/0/private/AddOrder', apiKey: k.credentials[0]!.apiKey, httpStatus: 200, errors: null });
    expect(log[0]!.params).toMatchObject({ pair: 'SOLUSD', cl_ord_id: 'log-1' });
    expect(log[1]).toMatchObject({ apiKey: 'wrong', errors: ['EAPI:Invalid key'] });
    k.control.clearRequests();
    expect(k.control.requests()).toEqual([]);
  });
});
