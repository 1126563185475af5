/**
 * The domain client against a loopback Kraken: order placement is never blindly retried (a 5xx
 * or timeout on AddOrder leads to lookups by client order id, and AddOrder is sent exactly
 * once), reads retry transient errors, and results come back in domain terms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { createKrakenClient, createKrakenRestClient, createMemoryNonceStore, type KrakenClientOptions } from '../../../adapters/kraken/index.ts';
import { type LoopbackHttp, type Reply, type SeenRequest, TEST_KEY, TEST_SECRET, fixture, instantSleepRuntime, krakenError, ok, startHttp } from './support.ts';

let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const CLID = 'b7f7c1f0-5a0e-4c55-9d62-0c3a8f1e2d11';

/** A Kraken order object as OpenOrders/ClosedOrders return it, for our client order id. */
function orderObject(status: string, volExec: string, price: string, fee: string) {
  return {
    refid: null,
    userref: 0,
    cl_ord_id: CLID,
    status,
    reason: null,
    opentm: 1688666559.8974,
    closetm: status === 'open' ? 0 : 1688666560.1,
    starttm: 0,
    expiretm: 0,
    descr: { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', price: '30010.0', price2: '0', leverage: 'none', order: 'buy 0.01000000 XBTUSD @ limit 30010.0', close: '' },
    vol: '0.01000000',
    vol_exec: volExec,
    cost: '0.00000',
    fee,
    price,
    stopprice: '0.00000',
    limitprice: '0.00000',
    misc: '',
    oflags: 'fciq',
  };
}

async function setup(handle: (req: SeenRequest) => Reply | Promise<Reply>, options: Partial<KrakenClientOptions> & { timeoutMs?: number } = {}) {
  server = await startHttp(handle);
  const runtime = instantSleepRuntime();
  const rest = createKrakenRestClient({
    restUrl: server.url,
    credentials: { apiKey: TEST_KEY, apiSecret: TEST_SECRET },
    nonceStore: createMemoryNonceStore(),
    runtime,
    publicLimits: { max: 1000, decayPerSec: 1000 },
    privateLimits: { max: 1000, decayPerSec: 1000 },
    timeoutMs: options.timeoutMs ?? 2_000,
  });
  const { timeoutMs: _ignored, ...clientOptions } = options;
  return { runtime, client: createKrakenClient({ rest, runtime, ...clientOptions }) };
}

const LIMIT_BUY = { clientOrderId: CLID, symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('0.01'), limitPrice: f('30010') } as const;

describe('submitOrder', () => {
  it('accepted from the response; sends cl_ord_id, the altname pair and exact decimals', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_add_order.json') }));
    expect(await client.submitOrder({ ...LIMIT_BUY, postOnly: true })).toEqual({ kind: 'accepted', clientOrderId: CLID, venueOrderId: 'OUF4EM-FRGI2-MQMWZD', via: 'response', lookup: null });
    const form = server!.to('/0/private/AddOrder')[0]!.form;
    expect(Object.fromEntries([...form].filter(([k]) => k !== 'nonce'))).toEqual({
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.01',
      price: '30010',
      oflags: 'post',
      cl_ord_id: CLID,
    });
  });

  it('maps stop-loss-limit to price = trigger, price2 = limit', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_add_order.json') }));
    await client.submitOrder({ clientOrderId: 'sl-1', symbol: 'DOGE/USD', side: 'sell', type: 'stop-loss-limit', quantity: f('100'), triggerPrice: f('0.071'), limitPrice: f('0.0705') });
    const form = server!.to('/0/private/AddOrder')[0]!.form;
    expect([form.get('pair'), form.get('price'), form.get('price2')]).toEqual(['XDGUSD', '0.071', '0.0705']);
  });

  it('rejected when Kraken refuses it; no lookup, AddOrder once', async () => {
    const { client } = await setup(() => krakenError('EOrder:Insufficient funds'));
    const r = await client.submitOrder(LIMIT_BUY);
    expect(r).toMatchObject({ kind: 'rejected', clientOrderId: CLID, error: { kind: 'insufficientFunds', class: 'permanent' } });
    expect(server!.requests.map((q) => q.path)).toEqual(['/0/private/AddOrder']);
  });

  it('HTTP 5xx on AddOrder → looks the order up by client order id → accepted; AddOrder sent exactly once', async () => {
    const { client, runtime } = await setup((req) => {
      if (req.path === '/0/private/AddOrder') return { status: 502, body: 'Bad gateway' };
      if (req.path === '/0/private/OpenOrders') return ok({ open: { 'OABCDE-FGHIJ-KLMNOP': orderObject('open', '0.00000000', '0.00000', '0.00000') } });
      return krakenError('EGeneral:Unknown method');
    });
    const r = await client.submitOrder(LIMIT_BUY);
    expect(r).toMatchObject({ kind: 'accepted', venueOrderId: 'OABCDE-FGHIJ-KLMNOP', via: 'lookup', lookup: { venueStatus: 'open', filledQuantity: 0n, avgFillPrice: null } });
    expect(server!.to('/0/private/AddOrder')).toHaveLength(1);
    expect(server!.to('/0/private/OpenOrders')[0]!.form.get('cl_ord_id')).toBe(CLID);
    expect(runtime.sleeps).toEqual([1000]); // one lookup delay
  });

  it('timeout on AddOrder → found filled in ClosedOrders → accepted with the fill', async () => {
    const { client } = await setup(
      (req) => {
        if (req.path === '/0/private/AddOrder') return 'hang';
        if (req.path === '/0/private/OpenOrders') return ok({ open: {} });
        return ok({ closed: { 'OFILLD-AAAAA-BBBBBB': orderObject('closed', '0.01000000', '30009.5', '0.78025') }, count: 1 });
      },
      { timeoutMs: 150 },
    );
    const r = await client.submitOrder(LIMIT_BUY);
    expect(r).toMatchObject({ kind: 'accepted', via: 'lookup', venueOrderId: 'OFILLD-AAAAA-BBBBBB', lookup: { venueStatus: 'filled', filledQuantity: f('0.01'), avgFillPrice: f('30009.5'), fee: f('0.78025') } });
    expect(server!.to('/0/private/AddOrder')).toHaveLength(1);
  });

  it('EGeneral:Internal error and the order is nowhere → unknown/missing after the bounded lookups', async () => {
    const { client } = await setup(
      (req) => {
        if (req.path === '/0/private/AddOrder') return krakenError('EGeneral:Internal error');
        if (req.path === '/0/private/OpenOrders') return ok({ open: {} });
        return ok({ closed: {}, count: 0 });
      },
      { lookup: { attempts: 2, delayMs: 250 } },
    );
    const r = await client.submitOrder(LIMIT_BUY);
    expect(r).toMatchObject({ kind: 'unknown', clientOrderId: CLID, cause: { kind: 'internalError' }, lookup: 'missing' });
    expect(server!.to('/0/private/AddOrder')).toHaveLength(1);
    expect(server!.to('/0/private/OpenOrders')).toHaveLength(2);
    expect(server!.to('/0/private/ClosedOrders')).toHaveLength(2);
  });

  it('lookups failing too → unknown/failed, never a resend', async () => {
    const { client } = await setup(
      (req) => (req.path === '/0/private/AddOrder' ? krakenError('EService:Busy') : krakenError('EGeneral:Permission denied')),
      { lookup: { attempts: 3, delayMs: 10 } },
    );
    const r = await client.submitOrder(LIMIT_BUY);
    expect(r).toMatchObject({ kind: 'unknown', cause: { kind: 'busy' }, lookup: 'failed', lookupError: { kind: 'permissionDenied' } });
    expect(server!.to('/0/private/AddOrder')).toHaveLength(1);
  });

  it('EAPI:Invalid nonce (refused before the engine) is the one safe resend, with a fresh nonce', async () => {
    let first = true;
    const { client } = await setup(() => {
      if (first) {
        first = false;
        return krakenError('EAPI:Invalid nonce');
      }
      return { body: fixture('rest_add_order.json') };
    });
    expect(await client.submitOrder(LIMIT_BUY)).toMatchObject({ kind: 'accepted', via: 'response' });
    const nonces = server!.to('/0/private/AddOrder').map((q) => BigInt(q.form.get('nonce')!));
    expect(nonces).toHaveLength(2);
    expect(nonces[1]! > nonces[0]!).toBe(true);
  });

  it('validate only: validated, with validate=true on the wire', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_add_order_validate.json') }));
    expect(await client.submitOrder({ ...LIMIT_BUY, validateOnly: true })).toEqual({ kind: 'validated', clientOrderId: CLID, description: 'buy 1.25000000 XBTUSD @ limit 27500.0' });
    expect(server!.requests[0]!.form.get('validate')).toBe('true');
  });

  it('refuses bad requests locally (nothing sent): client order id, prices, decimals beyond the pair rules', async () => {
    const { client } = await setup((req) => (req.path === '/0/public/AssetPairs' ? { body: fixture('rest_asset_pairs.json') } : ok({})));
    expect(await client.submitOrder({ ...LIMIT_BUY, clientOrderId: 'not a valid id with spaces' })).toMatchObject({ kind: 'rejected', error: { kind: 'invalidRequest' } });
    expect(await client.submitOrder({ clientOrderId: 'x1', symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: f('1') })).toMatchObject({ error: { message: 'a limit order needs limitPrice' } });
    expect(await client.submitOrder({ clientOrderId: 'x1', symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: f('1'), limitPrice: f('1') })).toMatchObject({ error: { message: 'a market order takes no limitPrice' } });
    await client.fetchPairRules(['BTC/USD']);
    const requestsBefore = server!.requests.length;
    expect(await client.submitOrder({ ...LIMIT_BUY, quantity: f('0.000000001') })).toMatchObject({ error: { message: expect.stringMatching(/more than 8 decimals/) } });
    expect(await client.submitOrder({ ...LIMIT_BUY, limitPrice: f('30010.05') })).toMatchObject({ error: { message: expect.stringMatching(/more than 1 decimals/) } });
    expect(server!.requests.length).toBe(requestsBefore);
  });

  it('after fetchPairRules, orders use the canonical AssetPairs key', async () => {
    const { client } = await setup((req) => (req.path === '/0/public/AssetPairs' ? { body: fixture('rest_asset_pairs.json') } : { body: fixture('rest_add_order.json') }));
    const rules = await client.fetchPairRules();
    expect(rules.ok && rules.value.map((e) => [e.symbol, e.rules.lotDecimals, e.rules.pairDecimals])).toEqual([
      ['ETH/BTC', 8, 5],
      ['BTC/USD', 8, 1],
    ]);
    await client.submitOrder(LIMIT_BUY);
    expect(server!.to('/0/private/AddOrder')[0]!.form.get('pair')).toBe('XXBTZUSD');
    expect(client.pairs().symbolOf('XETHXXBT')).toBe('ETH/BTC');
  });
});

describe('cancelOrder, lookupOrder and the reads', () => {
  it('cancel: success, unknown order (already final), and a transient failure retried', async () => {
    let flaky = 0;
    const { client, runtime } = await setup((req) => {
      const target = req.form.get('cl_ord_id') ?? req.form.get('txid');
      if (target === 'gone') return krakenError('EOrder:Unknown order');
      if (target === 'flaky' && ++flaky < 3) return { status: 503, body: 'unavailable' };
      return { body: fixture('rest_cancel_order.json') };
    });
    expect(await client.cancelOrder({ venueOrderId: 'OQCLML-BW3P3-BUCMWZ' })).toEqual({ kind: 'canceled', count: 1, pending: false });
    expect(await client.cancelOrder({ clientOrderId: 'gone' })).toMatchObject({ kind: 'notFound', error: { kind: 'unknownOrder' } });
    expect(await client.cancelOrder({ clientOrderId: 'flaky' })).toEqual({ kind: 'canceled', count: 1, pending: false });
    // Two retries with equal-jitter backoff at random 0.5: 500·(½+½·½) = 375 ms, then 1000·¾ = 750 ms.
    expect(runtime.sleeps).toEqual([375, 750]);
  });

  it('lookupOrder ignores orders whose cl_ord_id differs (a server that ignores the filter)', async () => {
    const other = { ...orderObject('open', '0', '0', '0'), cl_ord_id: 'someone-else' };
    const { client } = await setup((req) => (req.path === '/0/private/OpenOrders' ? ok({ open: { 'OOTHER-AAAAA-BBBBBB': other } }) : ok({ closed: {}, count: 0 })));
    expect(await client.lookupOrder(CLID)).toEqual({ kind: 'missing' });
  });

  it('reads retry transient errors (respecting retryAfter) and stop at permanent ones', async () => {
    let n = 0;
    const { client, runtime } = await setup((req) => {
      if (req.path === '/0/private/BalanceEx') {
        n += 1;
        return n < 3 ? krakenError('EService:Unavailable') : { body: fixture('rest_balance_ex.json') };
      }
      return krakenError('EGeneral:Permission denied');
    });
    const b = await client.fetchBalances();
    expect(b).toEqual({
      ok: true,
      value: {
        tradable: [
          { asset: 'USD', total: f('25435.21'), hold: f('8249.76'), available: f('17185.45') },
          { asset: 'BTC', total: f('1.2435'), hold: f('0.8423'), available: f('0.4012') },
        ],
        readOnly: [],
      },
    });
    expect(runtime.sleeps).toEqual([5000, 5000]); // EService:Unavailable: ≥ 5 s
    expect(await client.fetchFees(['BTC/USD'])).toMatchObject({ ok: false, error: { kind: 'permissionDenied' } });
    expect(server!.to('/0/private/TradeVolume')).toHaveLength(1);
  });

  it('fetchFees: taker and maker percent per canonical symbol', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_trade_volume.json') }));
    expect(await client.fetchFees(['BTC/USD'])).toEqual({
      ok: true,
      value: { currency: 'ZUSD', volume30d: f('200709587.4223'), bySymbol: [{ symbol: 'BTC/USD', rates: { takerPct: f('0.1'), makerPct: 0n } }] },
    });
    expect(server!.requests[0]!.form.get('pair')).toBe('XBTUSD');
  });

  it('fetchCandles: committed candles only, running one apart, since in seconds', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_ohlc.json') }));
    const r = await client.fetchCandles('BTC/USD', 1, { sinceMs: 1_688_671_140_999 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.candles.map((c) => c.tsOpen)).toEqual([1_688_671_200_000, 1_688_671_260_000, 1_688_671_320_000]);
    expect(r.value.candles[2]).toEqual({ tsOpen: 1_688_671_320_000, open: 30300, high: 30300, low: 30300, close: 30300, volume: 0 });
    expect(r.value.running?.tsOpen).toBe(1_688_671_380_000);
    expect(r.value.lastCommittedMs).toBe(1_688_671_320_000);
    expect(Object.fromEntries(server!.requests[0]!.query)).toEqual({ pair: 'XBTUSD', interval: '1', since: '1688671140' });
  });

  it('fetchCandles maps timeframes to Kraken intervals and rejects misaligned rows', async () => {
    const { client } = await setup(() => ({ body: fixture('rest_ohlc.json') }));
    const r = await client.fetchCandles('BTC/USD', '5m');
    expect(server!.requests[0]!.query.get('interval')).toBe('5');
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', message: expect.stringMatching(/5-minute boundary/) } });
    expect(await client.fetchCandles('BTCUSD', '5m')).toMatchObject({ ok: false, error: { kind: 'invalidRequest', message: expect.stringMatching(/BASE\/QUOTE/) } });
    expect(server!.requests).toHaveLength(1);
  });

  it('an abort during the lookup wait leaves the outcome unknown without more requests', async () => {
    const controller = new AbortController();
    const { client } = await setup(() => {
      controller.abort();
      return { status: 500, body: 'oops' };
    });
    const r = await client.submitOrder(LIMIT_BUY, controller.signal);
    expect(r).toMatchObject({ kind: 'unknown', lookup: 'skipped' });
    expect(server!.requests.map((q) => q.path)).toEqual(['/0/private/AddOrder']);
  });
});
