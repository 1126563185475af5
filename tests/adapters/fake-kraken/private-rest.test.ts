import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { nextNonce, priv, privRaw, sign, startWithFixtures } from './support.ts';

// Private REST endpoint shapes and behaviour (reference/kraken.md §5–§6), on the BTC/USD fixture
// (replay starts 2023-03-11 12:00 UTC near 20,190 USD) with 100,000 ZUSD and 1 XBT.

let k: FakeKraken;
beforeEach(async () => {
  k = await startWithFixtures({ balances: { ZUSD: '100000', XXBT: '1' } });
});
afterEach(() => k.close());

const ORDER_ID = /^O[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$/;
const TRADE_ID = /^T[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$/;

async function limitBuy(extra: Record<string, string> = {}): Promise<string> {
  const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000.0', ...extra });
  expect(r.error).toEqual([]);
  return r.result.txid[0] as string;
}

describe('account endpoints', () => {
  it('Balance: asset ids with ledger decimals as strings', async () => {
    expect(await priv(k, 'Balance')).toEqual({ error: [], result: { ZUSD: '100000.0000', XXBT: '1.0000000000' } });
  });

  it('BalanceEx: balance and hold_trade per asset', async () => {
    await limitBuy();
    const r = await priv(k, 'BalanceEx');
    // hold = 0.01 × 15000 × 1.004 = 150.6
    expect(r.result).toEqual({ ZUSD: { balance: '100000.0000', hold_trade: '150.6000' }, XXBT: { balance: '1.0000000000', hold_trade: '0.0000000000' } });
  });

  it('TradeBalance: equivalent balance in ZUSD and in another asset', async () => {
    const last = k.control.lastPrice('XBTUSD');
    const r = await priv(k, 'TradeBalance');
    expect(Object.keys(r.result).sort()).toEqual(['c', 'e', 'eb', 'm', 'mf', 'n', 'tb', 'uv', 'v']);
    // 100000 + 1 × last (one price decimal) → 4 decimals.
    expect(r.result.eb).toBe(`${100000 + Number(last.split('.')[0])}.${last.split('.')[1]}000`);
    const inXbt = await priv(k, 'TradeBalance', { asset: 'XXBT' });
    expect(Number(inXbt.result.eb)).toBeCloseTo((100000 + Number(last)) / Number(last), 3);
  });

  it('TradeVolume: 30-day volume and the current, next and extreme fee tiers of the named pairs', async () => {
    const r = await priv(k, 'TradeVolume', { pair: 'XBTUSD' });
    expect(r.result).toEqual({
      currency: 'ZUSD',
      volume: '0.0000',
      fees: { XXBTZUSD: { fee: '0.4000', minfee: '0.0500', maxfee: '0.4000', nextfee: '0.3500', nextvolume: '10000.0000', tiervolume: '0.0000' } },
      fees_maker: { XXBTZUSD: { fee: '0.2500', minfee: '0.0000', maxfee: '0.2500', nextfee: '0.2000', nextvolume: '10000.0000', tiervolume: '0.0000' } },
    });
    expect((await priv(k, 'TradeVolume')).result).toEqual({ currency: 'ZUSD', volume: '0.0000' });
  });

  it('GetWebSocketsToken: a token valid for 900 s', async () => {
    const r = await priv(k, 'GetWebSocketsToken');
    expect(r.result.expires).toBe(900);
    expect(r.result.token).toMatch(/^[A-Za-z0-9+/]{43}$/);
  });
});

describe('AddOrder', () => {
  it('answers descr.order and txid as an ARRAY', async () => {
    const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '1.25', price: '15000' });
    expect(r.result.descr).toEqual({ order: 'buy 1.25000000 XBTUSD @ limit 15000.0' });
    expect(r.result.txid).toHaveLength(1);
    expect(r.result.txid[0]).toMatch(ORDER_ID);
  });

  it('validate=true checks without placing (no txid) — and so does validate=false, as Kraken historically did', async () => {
    for (const validate of ['true', 'false']) {
      const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000', validate });
      expect(r).toEqual({ error: [], result: { descr: { order: 'buy 0.01000000 XBTUSD @ limit 15000.0' } } });
    }
    expect(k.control.orders()).toEqual([]);
    const bad = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.00001', price: '15000', validate: 'true' });
    expect(bad.error).toEqual(['EOrder:Order minimum not met']);
  });

  it('describes every supported order type', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ type: 'sell', ordertype: 'market' }, 'sell 0.01000000 XBTUSD @ market'],
      [{ type: 'sell', ordertype: 'stop-loss', price: '15000' }, 'sell 0.01000000 XBTUSD @ stop loss 15000.0'],
      [{ type: 'sell', ordertype: 'take-profit', price: '30000' }, 'sell 0.01000000 XBTUSD @ take profit 30000.0'],
      [{ type: 'sell', ordertype: 'stop-loss-limit', price: '15000', price2: '14900' }, 'sell 0.01000000 XBTUSD @ stop loss 15000.0 -> limit 14900.0'],
      [{ type: 'sell', ordertype: 'take-profit-limit', price: '30000', price2: '29900' }, 'sell 0.01000000 XBTUSD @ take profit 30000.0 -> limit 29900.0'],
    ];
    for (const [p, text] of cases) {
      const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', volume: '0.01', validate: 'true', ...p });
      expect(r.result?.descr.order).toBe(text);
    }
  });

  it('refuses in Kraken\'s order: pair, arguments, minimum volume, minimum cost, price decimals, funds', async () => {
    const base = { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000' };
    const cases: [Record<string, string>, string][] = [
      [{ pair: 'DOGEUSD' }, 'EQuery:Unknown asset pair'],
      [{ type: 'hold' }, 'EGeneral:Invalid arguments:type'],
      [{ ordertype: 'iceberg' }, 'EGeneral:Invalid arguments:ordertype'],
      [{ volume: 'abc' }, 'EGeneral:Invalid arguments:volume'],
      [{ price: '' }, 'EGeneral:Invalid arguments:price'],
      [{ volume: '0.00004' }, 'EOrder:Order minimum not met'], // ordermin 0.00005
      [{ volume: '0.00005', price: '9000' }, 'EOrder:Cost minimum not met'], // 0.45 < costmin 0.5
      [{ price: '15000.05' }, 'EOrder:Invalid price:XXBTZUSD price can only be specified up to 1 decimals.'],
      [{ volume: '0.000000001' }, 'EOrder:Order minimum not met'],
      [{ volume: '0.123456789' }, 'EGeneral:Invalid arguments:volume'], // 9 decimals > lot_decimals 8
      [{ volume: '7' }, 'EOrder:Insufficient funds'], // 7 × 15000 > 100000
      [{ 'close[ordertype]': 'limit', 'close[price]': '30000' }, 'EGeneral:Invalid arguments:close'],
      [{ cl_ord_id: 'this-is-far-too-long-for-free-text' }, 'EGeneral:Invalid arguments:cl_ord_id'],
      [{ timeinforce: 'GTD' }, 'EGeneral:Invalid arguments:expiretm'],
    ];
    for (const [p, error] of cases) {
      expect((await priv(k, 'AddOrder', { ...base, ...p })).error, JSON.stringify(p)).toEqual([error]);
    }
  });

  it('accepts relative prices sent with %2B and refuses a raw "+" (it decodes to a space)', async () => {
    const last = Number(k.control.lastPrice('XBTUSD'));
    const nonce = nextNonce();
    const body = `nonce=${nonce}&pair=XBTUSD&type=sell&ordertype=limit&volume=0.01&price=%2B100`;
    const res = await fetch(`${k.restUrl}/0/private/AddOrder`, { method: 'POST', body, headers: { 'API-Key': k.credentials[0]!.apiKey, 'API-Sign': sign('/0/private/AddOrder', nonce, body, k.credentials[0]!.apiSecret) } });
    const r = (await res.json()) as { result: { descr: { order: string } } };
    expect(r.result.descr.order).toBe(`sell 0.01000000 XBTUSD @ limit ${(last + 100).toFixed(1)}`);
    const n2 = nextNonce();
    const raw = `nonce=${n2}&pair=XBTUSD&type=sell&ordertype=limit&volume=0.01&price=+100`;
    const res2 = await fetch(`${k.restUrl}/0/private/AddOrder`, { method: 'POST', body: raw, headers: { 'API-Key': k.credentials[0]!.apiKey, 'API-Sign': sign('/0/private/AddOrder', n2, raw, k.credentials[0]!.apiSecret) } });
    expect(((await res2.json()) as { error: string[] }).error).toEqual(['EGeneral:Invalid arguments:price']);
  });

  it('refuses a cl_ord_id already used by an open order, and accepts it again once that order is closed', async () => {
    const id = 'c5f2a3b4-1111-4222-8333-944455556666';
    const first = await limitBuy({ cl_ord_id: id });
    expect((await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000', cl_ord_id: id })).error).toEqual([
      'EOrder:Duplicate order',
    ]);
    await priv(k, 'CancelOrder', { txid: first });
    expect((await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000', cl_ord_id: id })).error).toEqual([]);
  });

  it('holds a scheduled order as pending until starttm', async () => {
    const id = await limitBuy({ starttm: '+120' });
    expect(k.control.orders()[0]!.status).toBe('pending');
    k.control.advance(120_000);
    expect(k.control.orders().find((o) => o.txid === id)!.status).toBe('open');
  });

  it('accepts a JSON body', async () => {
    const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '15000' }, { json: true });
    expect(r.result.txid[0]).toMatch(ORDER_ID);
  });
});

describe('order queries', () => {
  it('OpenOrders: the documented order object', async () => {
    const id = await limitBuy({ userref: '42' });
    const r = await priv(k, 'OpenOrders');
    const o = r.result.open[id];
    expect(o).toMatchObject({
      refid: null,
      userref: 42,
      cl_ord_id: null,
      status: 'open',
      reason: null,
      starttm: 0,
      expiretm: 0,
      descr: { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', price: '15000.0', price2: '0', leverage: 'none', order: 'buy 0.01000000 XBTUSD @ limit 15000.0', close: '' },
      vol: '0.01000000',
      vol_exec: '0.00000000',
      cost: '0.00000',
      fee: '0.00000',
      price: '0.00000',
      stopprice: '0.00000',
      limitprice: '0.00000',
      misc: '',
      oflags: 'fciq',
    });
    expect(o.opentm).toBe(k.control.now() / 1000);
    expect(Object.keys((await priv(k, 'OpenOrders', { userref: '7' })).result.open)).toEqual([]);
  });

  it('ClosedOrders, QueryOrders and TradesHistory after a market fill', async () => {
    const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'market', volume: '0.01', cl_ord_id: 'mkt-1' });
    const id = r.result.txid[0] as string;
    const closed = await priv(k, 'ClosedOrders', { trades: 'true' });
    expect(closed.result.count).toBe(1);
    const o = closed.result.closed[id];
    expect(o).toMatchObject({ status: 'closed', cl_ord_id: 'mkt-1', vol_exec: '0.01000000', descr: { ordertype: 'market', price: '0' } });
    expect(o.price).toMatch(/^\d+\.\d$/); // average price with pair decimals
    expect(o.trades).toHaveLength(1);
    expect(o.trades[0]).toMatch(TRADE_ID);
    const q = await priv(k, 'QueryOrders', { txid: id });
    expect(Object.keys(q.result)).toEqual([id]);
    expect((await priv(k, 'QueryOrders', { cl_ord_id: 'mkt-1' })).result[id].status).toBe('closed');
    const th = await priv(k, 'TradesHistory');
    expect(th.result.count).toBe(1);
    const [tid, t] = Object.entries(th.result.trades as Record<string, any>)[0]!;
    expect(tid).toBe(o.trades[0]);
    expect(t).toMatchObject({ ordertxid: id, pair: 'XXBTZUSD', type: 'buy', ordertype: 'market', vol: '0.01000000', margin: '0.00000', misc: '', maker: false });
    expect(t.price).toMatch(/^\d+\.\d{5}$/);
    expect(t.cost).toMatch(/^\d+\.\d{5}$/);
    expect(Number.isInteger(t.trade_id)).toBe(true);
    expect((await priv(k, 'QueryOrders', { txid: 'OAAAAA-BBBBB-CCCCCC' })).error).toEqual(['EOrder:Unknown order']);
  });

  it('ClosedOrders pages 50 per call, newest first', async () => {
    for (let i = 0; i < 52; i++) await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'market', volume: '0.0001' });
    const p1 = await priv(k, 'ClosedOrders');
    const p2 = await priv(k, 'ClosedOrders', { ofs: '50' });
    expect(p1.result.count).toBe(52);
    expect(Object.keys(p1.result.closed)).toHaveLength(50);
    expect(Object.keys(p2.result.closed)).toHaveLength(2);
    const newest = k.control.orders()[0]!.txid;
    expect(Object.keys(p1.result.closed)[0]).toBe(newest);
  });
});

describe('cancel, amend, edit', () => {
  it('CancelOrder by txid, by cl_ord_id and by userref; unknown → EOrder:Unknown order', async () => {
    const a = await limitBuy();
    await limitBuy({ cl_ord_id: 'abc' });
    await limitBuy({ userref: '9' });
    await limitBuy({ userref: '9' });
    expect(await priv(k, 'CancelOrder', { txid: a })).toEqual({ error: [], result: { count: 1 } });
    expect((await priv(k, 'CancelOrder', { cl_ord_id: 'abc' })).result).toEqual({ count: 1 });
    expect((await priv(k, 'CancelOrder', { txid: '9' })).result).toEqual({ count: 2 });
    expect((await priv(k, 'CancelOrder', { txid: a })).error).toEqual(['EOrder:Unknown order']);
    const cancelled = k.control.orders().filter((o) => o.status === 'canceled');
    expect(cancelled).toHaveLength(4);
    expect(cancelled.every((o) => o.reason === 'User requested')).toBe(true);
  });

  it('CancelAll counts what it cancelled', async () => {
    await limitBuy();
    await limitBuy();
    expect((await priv(k, 'CancelAll')).result).toEqual({ count: 2 });
    expect((await priv(k, 'CancelAll')).result).toEqual({ count: 0 });
  });

  it('AmendOrder keeps the txid and changes price and quantity', async () => {
    const id = await limitBuy({ cl_ord_id: 'amend-me' });
    const r = await priv(k, 'AmendOrder', { cl_ord_id: 'amend-me', limit_price: '15500', order_qty: '0.02' });
    expect(r.result.amend_id).toMatch(TRADE_ID);
    const o = (await priv(k, 'QueryOrders', { txid: id })).result[id];
    expect(o).toMatchObject({ vol: '0.02000000', misc: 'amended', descr: { price: '15500.0' } });
    expect((await priv(k, 'AmendOrder', { txid: 'OAAAAA-BBBBB-CCCCCC', limit_price: '1' })).error).toEqual(['EOrder:Unknown order']);
  });

  it('EditOrder replaces the order with a new txid', async () => {
    const id = await limitBuy();
    const r = await priv(k, 'EditOrder', { txid: id, pair: 'XBTUSD', price: '16000', volume: '0.02' });
    expect(r.result).toMatchObject({ status: 'ok', originaltxid: id, volume: '0.02000000', price: '16000.0', price2: '0', orders_cancelled: 1, descr: { order: 'buy 0.02000000 XBTUSD @ limit 16000.0' } });
    expect(r.result.txid).toMatch(ORDER_ID);
    expect(r.result.txid).not.toBe(id);
    const orders = k.control.orders();
    expect(orders.find((o) => o.txid === id)).toMatchObject({ status: 'canceled', reason: 'Order replaced' });
    expect(orders.find((o) => o.txid === r.result.txid)).toMatchObject({ status: 'open', price: '16000' });
  });

  it('CancelAllOrdersAfter cancels every order when the simulated timer runs out', async () => {
    await limitBuy();
    const r = await priv(k, 'CancelAllOrdersAfter', { timeout: '60' });
    expect(r.result).toEqual({ currentTime: '2023-03-11T12:00:00Z', triggerTime: '2023-03-11T12:01:00Z' });
    k.control.advance(60_000);
    expect(k.control.orders()[0]!.status).toBe('canceled');
  });
});

describe('transport', () => {
  it('requires POST for private endpoints', async () => {
    const res = await fetch(`${k.restUrl}/0/private/Balance`);
    expect(((await res.json()) as { error: string[] }).error[0]).toMatch(/^EGeneral:Invalid arguments/);
  });

  it('answers unknown private methods with EGeneral:Unknown method', async () => {
    expect((await privRaw(k, 'Withdraw')).text).toBe('{"error":["EGeneral:Unknown method"]}');
  });
});
