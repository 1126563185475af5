/**
 * The raw REST client against a loopback HTTP server that speaks Kraken's envelope and checks
 * signatures byte for byte (real HTTP through global fetch).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { createKrakenRestClient, createMemoryNonceStore, type KrakenRestOptions } from '../../../adapters/kraken/index.ts';
import { type LoopbackHttp, TEST_KEY, TEST_SECRET, fixture, instantSleepRuntime, krakenError, ok, startHttp } from './support.ts';

let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function client(url: string, extra: Partial<KrakenRestOptions> = {}) {
  return createKrakenRestClient({
    restUrl: url,
    credentials: { apiKey: TEST_KEY, apiSecret: TEST_SECRET },
    nonceStore: createMemoryNonceStore(),
    runtime: instantSleepRuntime(),
    publicLimits: { max: 1000, decayPerSec: 1000 },
    privateLimits: { max: 1000, decayPerSec: 1000 },
    timeoutMs: 2_000,
    ...extra,
  });
}

describe('raw REST client over loopback HTTP', () => {
  it('public calls are GETs with the parameters in the query string', async () => {
    server = await startHttp((req) => (req.path === '/0/public/OHLC' ? { body: fixture('rest_ohlc.json') } : { body: fixture('rest_time.json') }));
    const c = client(server.url);
    expect(await c.time()).toEqual({ ok: true, value: { tsMs: 1_688_669_448_000, rfc1123: 'Thu, 06 Jul 23 18:50:48 +0000' }, warnings: [] });
    const r = await c.ohlc({ pair: 'XBTUSD', interval: 1, since: 1688671100 });
    expect(r.ok && r.value.rows.length).toBe(4);
    const req = server.to('/0/public/OHLC')[0]!;
    expect(req.method).toBe('GET');
    expect(Object.fromEntries(req.query)).toEqual({ pair: 'XBTUSD', interval: '1', since: '1688671100' });
    expect(req.headers['user-agent']).toMatch(/trading-brain/);
  });

  it('private calls are signed POSTs Kraken would accept (signature recomputed by the server)', async () => {
    server = await startHttp(() => ({ body: fixture('rest_balance.json') }));
    const r = await client(server.url).balance();
    expect(r.ok).toBe(true);
    const req = server.to('/0/private/Balance')[0]!;
    expect(req.method).toBe('POST');
    expect(req.signatureOk).toBe(true);
    expect(req.headers['api-key']).toBe(TEST_KEY);
    expect(req.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(req.body).toMatch(/^nonce=\d+$/);
  });

  it('nonces strictly increase even when the clock steps back, and arrive in order under concurrency', async () => {
    server = await startHttp(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { body: fixture('rest_trade_balance.json') };
    });
    let t = 1_700_000_000_000;
    const c = client(server.url, { runtime: { ...instantSleepRuntime(), now: () => (t -= 1000) } });
    await Promise.all([c.tradeBalance(), c.tradeBalance(), c.tradeBalance(), c.balance(), c.tradeBalance()]);
    const nonces = server.requests.map((r) => BigInt(r.form.get('nonce')!));
    expect(nonces).toHaveLength(5);
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]! > nonces[i - 1]!).toBe(true);
    expect(server.requests.every((r) => r.signatureOk)).toBe(true);
  });

  it('AddOrder: Kraken parameter names, fixed order, validate only when true, signature valid', async () => {
    server = await startHttp(() => ({ body: fixture('rest_add_order.json') }));
    const c = client(server.url);
    const r = await c.addOrder({ pair: 'XBTUSD', type: 'buy', ordertype: 'stop-loss-limit', volume: '1.25', price: '27500', price2: '27400.5', cl_ord_id: 'my-order-0001', validate: false });
    expect(r).toMatchObject({ ok: true, value: { txids: ['OUF4EM-FRGI2-MQMWZD'] } });
    const body = server.requests[0]!.body;
    expect(body.replace(/^nonce=\d+&/, '')).toBe('pair=XBTUSD&type=buy&ordertype=stop-loss-limit&volume=1.25&price=27500&price2=27400.5&cl_ord_id=my-order-0001');
    await c.addOrder({ pair: 'XBTUSD', type: 'sell', ordertype: 'limit', volume: '0.5', price: '31000', oflags: ['post'], userref: 42, validate: true });
    expect(server.requests[1]!.body.replace(/^nonce=\d+&/, '')).toBe('pair=XBTUSD&type=sell&ordertype=limit&volume=0.5&price=31000&oflags=post&userref=42&validate=true');
    await c.addOrder({ pair: 'XBTUSD', type: 'sell', ordertype: 'take-profit', volume: '0.5', price: '35000', trigger: 'index' });
    expect(server.requests[2]!.form.get('trigger')).toBe('index');
    expect(server.requests.every((q) => q.signatureOk)).toBe(true);
  });

  it.each([
    [{ ordertype: 'market', price: '1' }, /takes no price/],
    [{ ordertype: 'limit' }, /needs price/],
    [{ ordertype: 'stop-loss-limit', price: '1' }, /needs price2/],
    [{ ordertype: 'market', oflags: ['post'] }, /post-only/],
    [{ ordertype: 'market', cl_ord_id: 'x', userref: 1 }, /mutually exclusive/],
    [{ ordertype: 'market', cl_ord_id: 'this-id-is-far-too-long-for-kraken' }, /cl_ord_id must be/],
    [{ ordertype: 'market', volume: '1e-3' }, /plain decimal/],
    [{ ordertype: 'market', volume: '0' }, /> 0/],
  ] as const)('AddOrder refuses %j locally without sending', async (patch, reason) => {
    server = await startHttp(() => ok({}));
    const r = await client(server.url).addOrder({ pair: 'XBTUSD', type: 'buy', volume: '1', ...patch } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalidRequest');
      expect(r.error.message).toMatch(reason);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('maps Kraken errors, HTTP 5xx, malformed bodies, timeouts, aborts and refused connections to classified errors', async () => {
    let mode = 'funds';
    server = await startHttp(() => {
      switch (mode) {
        case 'funds':
          return krakenError('EOrder:Insufficient funds');
        case '502':
          return { status: 502, body: '<html>Bad gateway</html>' };
        case 'garbage':
          return { body: '{"error":[],"result":{"unixtime":"soon"}}' };
        default:
          return 'hang';
      }
    });
    const c = client(server.url, { timeoutMs: 150 });
    const funds = await c.balance();
    expect(funds).toMatchObject({ ok: false, error: { kind: 'insufficientFunds', class: 'permanent', krakenErrors: ['EOrder:Insufficient funds'] } });
    mode = '502';
    expect(await c.time()).toMatchObject({ ok: false, error: { kind: 'http', class: 'transient', httpStatus: 502, orderOutcome: 'unknown' } });
    mode = 'garbage';
    expect(await c.time()).toMatchObject({ ok: false, error: { kind: 'malformed', path: '$.result.unixtime' } });
    mode = 'hang';
    expect(await c.time()).toMatchObject({ ok: false, error: { kind: 'timeout', class: 'transient' } });
    const controller = new AbortController();
    const pending = c.time(controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    const url = server.url;
    await server.close();
    server = null;
    expect(await client(url).time()).toMatchObject({ ok: false, error: { kind: 'network', class: 'transient' } });
  });

  it('the call counter delays calls instead of hitting EAPI:Rate limit exceeded', async () => {
    server = await startHttp(() => ({ body: fixture('rest_balance.json') }));
    const runtime = { ...instantSleepRuntime(), now: () => 1_700_000_000_000 };
    const c = client(server.url, { runtime, privateLimits: undefined, tier: 'starter' });
    for (let i = 0; i < 16; i++) await c.balance();
    // Starter: 15 free, the 16th waits 1 / 0.33 s → 3031 ms (clock frozen in this test).
    expect(runtime.sleeps).toEqual([3031]);
    await c.tradesHistory().catch(() => undefined); // cost 2: 2 / 0.33 s more on top of the reservation
    expect(runtime.sleeps[1]).toBe(9091); // (15 + 1 + 2 − 15) / 0.33 s = 9090.9 ms
  });

  it('after EAPI:Rate limit exceeded the model is penalised so the next call waits', async () => {
    let first = true;
    server = await startHttp(() => {
      if (first) {
        first = false;
        return krakenError('EAPI:Rate limit exceeded');
      }
      return { body: fixture('rest_balance.json') };
    });
    const runtime = { ...instantSleepRuntime(), now: () => 1_700_000_000_000 };
    const c = client(server.url, { runtime, privateLimits: { max: 20, decayPerSec: 1 } });
    expect(await c.balance()).toMatchObject({ ok: false, error: { kind: 'rateLimited', class: 'transient' } });
    expect(runtime.sleeps).toEqual([]);
    expect((await c.balance()).ok).toBe(true);
    expect(runtime.sleeps).toEqual([1000]);
  });

  it('private endpoints without credentials fail locally', async () => {
    server = await startHttp(() => ok({}));
    const c = createKrakenRestClient({ restUrl: server.url, runtime: instantSleepRuntime() });
    expect(await c.balance()).toMatchObject({ ok: false, error: { kind: 'invalidRequest', message: expect.stringMatching(/KRAKEN_API_KEY/) } });
    expect(server.requests).toHaveLength(0);
    expect(() => createKrakenRestClient({ restUrl: server!.url, credentials: { apiKey: 'k', apiSecret: TEST_SECRET } })).toThrow(/NonceStore/);
  });

  it('every other endpoint sends its parameters and parses its fixture', async () => {
    const bodies: Record<string, string> = {
      '/0/public/SystemStatus': fixture('rest_system_status.json'),
      '/0/public/AssetPairs': fixture('rest_asset_pairs.json'),
      '/0/public/Ticker': fixture('rest_ticker.json'),
      '/0/public/Depth': fixture('rest_depth.json'),
      '/0/private/BalanceEx': fixture('rest_balance_ex.json'),
      '/0/private/TradeVolume': fixture('rest_trade_volume.json'),
      '/0/private/AmendOrder': fixture('rest_amend_order.json'),
      '/0/private/EditOrder': fixture('rest_edit_order.json'),
      '/0/private/CancelOrder': fixture('rest_cancel_order.json'),
      '/0/private/CancelAll': fixture('rest_cancel_all.json'),
      '/0/private/OpenOrders': fixture('rest_open_orders.json'),
      '/0/private/ClosedOrders': fixture('rest_closed_orders.json'),
      '/0/private/QueryOrders': fixture('rest_query_orders.json'),
      '/0/private/TradesHistory': fixture('rest_trades_history.json'),
      '/0/private/GetWebSocketsToken': fixture('rest_ws_token.json'),
    };
    server = await startHttp((req) => ({ body: bodies[req.path] ?? '{"error":["EGeneral:Unknown method"]}' }));
    const c = client(server.url);
    const results = await Promise.all([
      c.systemStatus(),
      c.assetPairs({ pair: ['XBTUSD', 'ETHXBT'] }),
      c.ticker({ pair: ['XBTUSD'] }),
      c.depth({ pair: 'XBTUSD', count: 3 }),
      c.balanceEx(),
      c.tradeVolume({ pair: ['XBTUSD'] }),
      c.amendOrder({ cl_ord_id: 'abc', limit_price: '30100.5', order_qty: '0.5' }),
      c.editOrder({ txid: 'OHYO67-6LP66-HMQ437', pair: 'XBTGBP', price: '19500', volume: '0.0003' }),
      c.cancelOrder({ cl_ord_id: 'abc' }),
      c.cancelAll(),
      c.openOrders({ trades: true }),
      c.closedOrders({ cl_ord_id: 'abc', closetime: 'close' }),
      c.queryOrders({ txid: ['OBCMZD-JIEE7-77TH3F', 'OMMDB2-FSB6Z-7W3HPO'], trades: true }),
      c.tradesHistory({ start: 1688667000 }),
      c.getWebSocketsToken(),
    ]);
    for (const r of results) expect(r.ok).toBe(true);
    const form = (p: string) => Object.fromEntries([...server!.to(p)[0]!.form].filter(([k]) => k !== 'nonce'));
    expect(Object.fromEntries(server.to('/0/public/AssetPairs')[0]!.query)).toEqual({ pair: 'XBTUSD,ETHXBT' });
    expect(Object.fromEntries(server.to('/0/public/Depth')[0]!.query)).toEqual({ pair: 'XBTUSD', count: '3' });
    expect(form('/0/private/AmendOrder')).toEqual({ cl_ord_id: 'abc', order_qty: '0.5', limit_price: '30100.5' });
    expect(form('/0/private/EditOrder')).toEqual({ txid: 'OHYO67-6LP66-HMQ437', pair: 'XBTGBP', volume: '0.0003', price: '19500' });
    expect(form('/0/private/CancelOrder')).toEqual({ cl_ord_id: 'abc' });
    expect(form('/0/private/ClosedOrders')).toEqual({ cl_ord_id: 'abc', closetime: 'close' });
    expect(form('/0/private/QueryOrders')).toEqual({ trades: 'true', txid: 'OBCMZD-JIEE7-77TH3F,OMMDB2-FSB6Z-7W3HPO' });
    expect(form('/0/private/TradesHistory')).toEqual({ start: '1688667000' });
    expect(results[4]).toMatchObject({ ok: true, value: [{ asset: 'USD', available: f('17185.45') }, { asset: 'BTC' }] });
    expect(server.requests.filter((q) => q.path.startsWith('/0/private/')).every((q) => q.signatureOk)).toBe(true);
  });
});
