import { afterEach, describe, expect, it } from 'vitest';
import { type FakeKraken, type FakeKrakenOptions, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { BTC_FILE, SOL_PATH, priv, readFixture, startWithFixtures } from './support.ts';

// Matching rules (docs/fake-kraken.md) on a hand-made SOL/USD path, every number computed by hand.
//
// The hand-made SOL/USD path SOL_PATH (support.ts): three flat history candles at 100, then
//   c3 (T0):       O 100   H 101   L 99  C 100.5 → trades 100 (T0), 99 (+75 s), 101 (+150 s), 100.5 (+225 s)
//   c4 (T0+5 m):   flat 100.5
//   c5 (T0+10 m):  O 95 H 96 L 94 C 95.5 — a gap down from 100.5 → trades 95, 94, 96, 95.5
//   c6, c7:        flat 95.5
// Quote with the default 1 bp spread: bid = floor(last × 0.99995), ask = ceil(last × 1.00005) on
// the 0.01 tick. At 100: bid 99.99 (99.995 floored), ask 100.01 (100.005 ceiled).
// Fees at $0 volume: taker 0.40 %, maker 0.25 %; cost/fee rounded to 5 decimals; ZUSD moves in 4.

const MIN = 60_000;

let k: FakeKraken | null = null;
afterEach(async () => {
  await k?.close();
  k = null;
});

async function sol(extra: Partial<FakeKrakenOptions> = {}): Promise<FakeKraken> {
  k = await startFakeKraken({ markets: [{ pair: 'SOL/USD', candles: SOL_PATH }], historyCandles: 3, balances: { ZUSD: '100000', SOL: '10' }, ...extra });
  return k;
}

async function order(x: FakeKraken, params: Record<string, string>): Promise<string> {
  const r = await priv(x, 'AddOrder', { pair: 'SOLUSD', ...params });
  expect(r.error).toEqual([]);
  return r.result.txid[0] as string;
}

function view(x: FakeKraken, txid: string) {
  return x.control.orders().find((o) => o.txid === txid)!;
}

describe('market orders', () => {
  it('fill at once at the ask with the taker fee, and move both balances', async () => {
    const x = await sol();
    expect(x.control.quote('SOLUSD')).toEqual({ bid: '99.99', ask: '100.01', last: '100.00' });
    const id = await order(x, { type: 'buy', ordertype: 'market', volume: '1' });
    // cost 1 × 100.01 = 100.01; fee 100.01 × 0.40 % = 0.40004.
    expect(view(x, id)).toMatchObject({ status: 'closed', volExec: '1', cost: '100.01', fee: '0.40004' });
    // ZUSD: 100000 − 100.41004 = 99899.58996 → the ledger moves in 4 decimals: −100.4100 (half-even).
    expect(x.control.balances()).toEqual({ ZUSD: '99899.59', SOL: '11' });
    const bal = await priv(x, 'Balance');
    expect(bal.result).toEqual({ ZUSD: '99899.5900', SOL: '11.0000000000' });
  });

  it('sell at the bid', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'market', volume: '2' });
    // cost 2 × 99.99 = 199.98; fee 0.79992; ZUSD + 199.18008 → +199.1801.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '199.98', fee: '0.79992' });
    expect(x.control.balances()).toEqual({ ZUSD: '100199.1801', SOL: '8' });
  });

  it('oflags=fcib charges the fee in base', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'market', volume: '1', oflags: 'fcib' });
    // cost 99.99, fee 0.39996 USD = 0.39996 / 99.99 = 0.004 SOL, taken from the SOL side.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99.99', fee: '0.39996' });
    expect(x.control.balances()).toEqual({ ZUSD: '100099.99', SOL: '8.996' });
    expect((await priv(x, 'QueryOrders', { txid: id })).result[id].oflags).toBe('fcib');
  });

  it('use the fee tier of the 30-day volume', async () => {
    const x = await sol({ volume30dUsd: '60000' });
    const id = await order(x, { type: 'buy', ordertype: 'market', volume: '1' });
    // $50,000 tier: taker 0.24 % → 100.01 × 0.0024 = 0.240024 → 0.24002.
    expect(view(x, id).fee).toBe('0.24002');
  });

  it('are refused without funds', async () => {
    const x = await sol({ balances: { ZUSD: '100' } });
    const r = await priv(x, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'market', volume: '1' });
    expect(r.error).toEqual(['EOrder:Insufficient funds']); // needs 100.01 + 0.40004
    const s = await priv(x, 'AddOrder', { pair: 'SOLUSD', type: 'sell', ordertype: 'market', volume: '1' });
    expect(s.error).toEqual(['EOrder:Insufficient funds']);
  });
});

describe('limit orders', () => {
  it('do not fill when the market only touches the limit, and fill at the limit when it trades through', async () => {
    const x = await sol();
    const atLow = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '99' });
    const above = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '99.01' });
    x.control.advance(10 * MIN - 1); // all of c3 and c4: the low is exactly 99
    expect(view(x, atLow).status).toBe('open');
    // 99.01 was traded through on the way 100 → 99: filled at its own price as a maker:
    // 99.01 × 0.25 % = 0.247525 → 5 decimals half-even → 0.24752.
    expect(view(x, above)).toMatchObject({ status: 'closed', cost: '99.01', fee: '0.24752' });
  });

  it('fill a resting limit at its own price when the market gaps through it', async () => {
    const x = await sol();
    const id = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '99' });
    x.control.advance(10 * MIN); // c5 opens at 95, through 99
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99', fee: '0.2475' });
  });

  it('fill on a touch under limitFillRule "touch"', async () => {
    const x = await sol({ limitFillRule: 'touch' });
    const id = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '99' });
    x.control.advance(75_000);
    expect(view(x, id).status).toBe('closed');
  });

  it('take liquidity at the touch when marketable on arrival', async () => {
    const x = await sol();
    const id = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '100.5' });
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '100.01', fee: '0.40004' });
    const trades = await priv(x, 'TradesHistory');
    expect(Object.values(trades.result.trades as Record<string, { maker: boolean }>)[0]!.maker).toBe(false);
  });

  it('post-only: cancelled when it would take, resting otherwise', async () => {
    const x = await sol();
    const crossing = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '100.01', oflags: 'post' });
    expect(view(x, crossing)).toMatchObject({ status: 'canceled', reason: 'Post only order' });
    const resting = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '100', oflags: 'post' });
    expect(view(x, resting).status).toBe('open');
  });

  it('post-only rejected outright under postOnlyCross "reject"', async () => {
    const x = await sol({ postOnlyCross: 'reject' });
    const r = await priv(x, 'AddOrder', { pair: 'SOLUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '100.01', oflags: 'post' });
    expect(r.error).toEqual(['EOrder:Post only order']);
  });

  it('IOC: the unfilled order is cancelled at once', async () => {
    const x = await sol();
    const id = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '99.5', timeinforce: 'IOC' });
    expect(view(x, id).status).toBe('canceled');
  });

  it('GTD: expires at expiretm', async () => {
    const x = await sol();
    const id = await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '50', timeinforce: 'GTD', expiretm: '+60' });
    x.control.advance(59_999);
    expect(view(x, id).status).toBe('open');
    x.control.advance(1);
    expect(view(x, id)).toMatchObject({ status: 'expired' });
  });

  it('reserve quote funds including the taker fee (BalanceEx hold_trade)', async () => {
    const x = await sol();
    await order(x, { type: 'buy', ordertype: 'limit', volume: '1', price: '90' });
    const r = await priv(x, 'BalanceEx');
    // 1 × 90 × 1.004 = 90.36.
    expect(r.result.ZUSD).toEqual({ balance: '100000.0000', hold_trade: '90.3600' });
    await order(x, { type: 'sell', ordertype: 'limit', volume: '2.5', price: '120' });
    expect((await priv(x, 'BalanceEx')).result.SOL).toEqual({ balance: '10.0000000000', hold_trade: '2.5000000000' });
  });
});

describe('stop-loss and take-profit', () => {
  it('stop-loss sell triggers inside the candle at the stop and sells at the bid of the stop', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'stop-loss', volume: '1', price: '99.5' });
    x.control.advance(74_999);
    expect(view(x, id).status).toBe('open');
    x.control.advance(1); // 100 → 99 passes 99.5
    // bid(99.5) = floor(99.5 × 0.99995 = 99.495025) = 99.49; fee 0.39796.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99.49', fee: '0.39796' });
    const q = await priv(x, 'QueryOrders', { txid: id });
    expect(q.result[id].misc).toBe('stopped');
    expect(q.result[id].descr.order).toBe('sell 1.00000000 SOLUSD @ stop loss 99.50');
  });

  it('stop-loss sell gapped through executes from the open', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'stop-loss', volume: '1', price: '97' });
    x.control.advance(10 * MIN - 1);
    expect(view(x, id).status).toBe('open');
    x.control.advance(1); // c5 opens at 95
    // bid(95) = floor(95 × 0.99995 = 94.99525) = 94.99.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '94.99' });
  });

  it('take-profit sell triggers when the high reaches it', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'take-profit', volume: '1', price: '100.8' });
    x.control.advance(75_000);
    expect(view(x, id).status).toBe('open');
    x.control.advance(75_000); // 99 → 101
    // bid(100.8) = floor(100.79496) = 100.79.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '100.79' });
  });

  it('stop-loss buy triggers on the way up and buys at the ask of the stop', async () => {
    const x = await sol();
    const id = await order(x, { type: 'buy', ordertype: 'stop-loss', volume: '1', price: '100.5' });
    x.control.advance(150_000);
    // ask(100.5) = ceil(100.505025) = 100.51.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '100.51' });
  });

  it('stop-loss-limit: fills as a taker when the limit is marketable at the trigger', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'stop-loss-limit', volume: '1', price: '99.5', price2: '99.4' });
    x.control.advance(75_000);
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99.49' });
  });

  it('stop-loss-limit: rests as a limit after the trigger and fills as a maker when traded through', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'stop-loss-limit', volume: '1', price: '99.5', price2: '99.6' });
    x.control.advance(75_000); // triggered at 99.5; bid 99.49 < 99.6 → rests
    const q = await priv(x, 'QueryOrders', { txid: id });
    expect(q.result[id]).toMatchObject({ status: 'open', misc: 'stopped', stopprice: '99.50', limitprice: '99.60' });
    x.control.advance(75_000); // 99 → 101 goes through 99.6
    // maker 0.25 % of 99.6 = 0.249.
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99.6', fee: '0.249' });
  });

  it('triggers at once when placed beyond the trigger', async () => {
    const x = await sol();
    const id = await order(x, { type: 'sell', ordertype: 'stop-loss', volume: '1', price: '100.5' });
    expect(view(x, id)).toMatchObject({ status: 'closed', cost: '99.99' });
  });
});

describe('real data', () => {
  it('a market buy on the BTC/USD fixture fills at the ask of the replayed open', async () => {
    k = await startWithFixtures();
    const open = readFixture(BTC_FILE)[720]!.open; // the first replayed trade
    // ask = last × 1.00005 rounded up to 0.1, computed on integer tenths.
    const tenths = BigInt(Math.round(Number(open) * 10));
    const ask = (tenths * 100_005n + 100_000n - 1n) / 100_000n;
    const r = await priv(k, 'AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'market', volume: '0.01' });
    expect(r.error).toEqual([]);
    // cost = 0.01 × ask = ask-in-tenths / 1000, written canonically.
    const cost = `${ask / 1000n}.${(ask % 1000n).toString().padStart(3, '0')}`.replace(/0+$/, '').replace(/\.$/, '');
    expect(k.control.orders()[0]!.cost).toBe(cost);
  });
});
