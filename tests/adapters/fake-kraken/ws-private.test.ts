import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKraken, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { SOL_PATH, WsClient, priv, settle } from './support.ts';

// The authenticated WS v2 endpoint and the `executions` channel (reference/kraken.md §10.3, §12)
// on the hand-made SOL/USD path (support.ts): at the start SOL trades at 100 (bid 99.99, ask
// 100.01); 75 s later at 99, 150 s later at 101.

let k: FakeKraken;
let clients: WsClient[] = [];

beforeEach(async () => {
  k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3, balances: { ZUSD: '100000', SOL: '10' } });
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await k.close();
});

async function token(): Promise<string> {
  return (await priv(k, 'GetWebSocketsToken')).result.token as string;
}

async function subscribed(params: Record<string, unknown> = {}): Promise<WsClient> {
  const c = await WsClient.connect(k.wsAuthUrl);
  clients.push(c);
  c.send({ method: 'subscribe', params: { channel: 'executions', token: await token(), ...params }, req_id: 1 });
  const ack = await c.take((j) => j.method === 'subscribe');
  expect(ack.json.success).toBe(true);
  return c;
}

const execs = (c: WsClient) => c.all((j) => j.channel === 'executions' && j.type === 'update');

describe('executions subscription', () => {
  it('refuses a missing or unknown token with ESession:Invalid session', async () => {
    const c = await WsClient.connect(k.wsAuthUrl);
    clients.push(c);
    c.send({ method: 'subscribe', params: { channel: 'executions', token: 'nope' } });
    const m = await c.take((j) => j.method === 'subscribe');
    expect(m.json).toMatchObject({ channel: 'executions', error: 'ESession:Invalid session', status: 'error', success: false });
  });

  it('refuses public channels on the auth endpoint', async () => {
    const c = await WsClient.connect(k.wsAuthUrl);
    clients.push(c);
    c.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['SOL/USD'] } });
    expect((await c.take((j) => j.method === 'subscribe')).json.error).toBe(
      'Public market data subscriptions are unavailable on this endpoint. Try ws.kraken.com',
    );
  });

  it('acks with maxratecount and snapshots the open orders', async () => {
    const placed = await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90', cl_ord_id: 'snap-1' });
    const c = await WsClient.connect(k.wsAuthUrl);
    clients.push(c);
    c.send({ method: 'subscribe', params: { channel: 'executions', token: await token() }, req_id: 5 });
    const ack = await c.take((j) => j.method === 'subscribe');
    expect(ack.json).toMatchObject({ req_id: 5, success: true, result: { channel: 'executions', maxratecount: 180, snap_orders: true, snap_trades: false } });
    const snap = await c.take((j) => j.channel === 'executions' && j.type === 'snapshot');
    expect(snap.json.data).toHaveLength(1);
    expect(snap.json.data[0]).toMatchObject({ order_id: placed.result.txid[0], cl_ord_id: 'snap-1', exec_type: 'new', order_status: 'new', order_type: 'limit', side: 'buy' });
    expect(snap.text).toMatch(/"order_qty":1\.00000000,"limit_price":90\.00/);
    expect(snap.json.sequence).toBe(1);
  });

  it('refuses an expired token for a new subscription', async () => {
    const t = await token();
    k.control.expireWsTokens();
    const c = await WsClient.connect(k.wsAuthUrl);
    clients.push(c);
    c.send({ method: 'subscribe', params: { channel: 'executions', token: t } });
    expect((await c.take((j) => j.method === 'subscribe')).json.error).toBe('ESession:Invalid session');
  });
});

describe('order lifecycle on executions', () => {
  it('resting limit: pending_new (full) → new (sparse) → trade (partially_filled, maker) → filled', async () => {
    const c = await subscribed({ snap_orders: false });
    const r = await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '99.01', cl_ord_id: 'life-1' });
    const id = r.result.txid[0] as string;
    k.control.advance(75_000); // 100 → 99 trades through 99.01
    await settle();
    const msgs = execs(c);
    expect(msgs.map((m) => m.json.data[0].exec_type)).toEqual(['pending_new', 'new', 'trade', 'filled']);
    const [pending, fresh, trade, filled] = msgs.map((m) => m.json.data[0]);
    expect(pending).toMatchObject({ order_id: id, cl_ord_id: 'life-1', order_status: 'pending_new', symbol: 'SOL/USD', side: 'buy', order_type: 'limit', time_in_force: 'GTC' });
    expect(Object.keys(fresh).sort()).toEqual(['cl_ord_id', 'exec_type', 'order_id', 'order_status', 'timestamp']);
    expect(fresh.order_status).toBe('new');
    // The completing trade still says partially_filled; completion comes with `filled`.
    expect(trade).toMatchObject({ order_id: id, order_status: 'partially_filled', liquidity_ind: 'm', last_qty: 1, last_price: 99.01, cum_qty: 1, avg_price: 99.01 });
    expect(trade.exec_id).toMatch(/^T[A-Z2-7]{5}-/);
    expect(Number.isInteger(trade.trade_id)).toBe(true);
    // 99.01 × 0.25 % = 0.247525 → 0.24752 (5 decimals, half-even).
    expect(msgs[2]!.text).toMatch(/"cost":99\.01000,/);
    expect(msgs[2]!.text).toContain('"fees":[{"asset":"USD","qty":0.24752}]');
    expect(filled).toMatchObject({ order_id: id, order_status: 'filled', cum_qty: 1 });
    const seqs = msgs.map((m) => m.json.sequence);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('market order: trade as taker', async () => {
    const c = await subscribed({ snap_orders: false });
    await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'sell', ordertype: 'market', volume: '2' });
    await settle();
    const trade = execs(c).find((m) => m.json.data[0].exec_type === 'trade')!.json.data[0];
    expect(trade).toMatchObject({ liquidity_ind: 't', last_price: 99.99, last_qty: 2, side: 'sell', order_type: 'market' });
  });

  it('cancel: canceled with the reason', async () => {
    const c = await subscribed({ snap_orders: false });
    const id = (await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90', userref: '77' })).result.txid[0];
    await priv(k, 'CancelOrder', { txid: id });
    await settle();
    const last = execs(c).at(-1)!.json.data[0];
    expect(last).toMatchObject({ order_id: id, order_userref: 77, exec_type: 'canceled', order_status: 'canceled', reason: 'User requested' });
  });

  it('stop-loss: a status event when the trigger fires, then the fill', async () => {
    const c = await subscribed({ snap_orders: false });
    await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'sell', ordertype: 'stop-loss', volume: '1', price: '99.5' });
    k.control.advance(75_000);
    await settle();
    const types = execs(c).map((m) => m.json.data[0].exec_type);
    expect(types).toEqual(['pending_new', 'new', 'status', 'trade', 'filled']);
    const status = execs(c)[2]!.json.data[0];
    expect(status.triggers).toMatchObject({ reference: 'last', price: 99.5, price_type: 'static', status: 'triggered' });
  });

  it('amend: an amended event with the new values', async () => {
    const c = await subscribed({ snap_orders: false });
    const id = (await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '90' })).result.txid[0];
    await priv(k, 'AmendOrder', { txid: id, limit_price: '91.5' });
    await settle();
    const last = execs(c).at(-1)!;
    expect(last.json.data[0]).toMatchObject({ exec_type: 'amended', amended: true, order_status: 'new' });
    expect(last.text).toContain('"limit_price":91.50');
  });

  it('order_status=false streams only the open/close transitions (and fills)', async () => {
    const c = await subscribed({ snap_orders: false, order_status: false });
    await priv(k, 'AddOrder', { pair: 'SOLUSD', type: 'sell', ordertype: 'stop-loss', volume: '1', price: '99.5' });
    k.control.advance(75_000);
    await settle();
    expect(execs(c).map((m) => m.json.data[0].exec_type)).toEqual(['new', 'trade', 'filled']);
  });
});
