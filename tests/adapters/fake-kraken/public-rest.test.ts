import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKraken, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { BTC_FILE, type CsvRow, pub, readFixture, startWithFixtures } from './support.ts';

// Public REST endpoints against the real BTC/USD fixture (Kraken 5m, 2023-03-09..13).
// The replay starts at fixture row 721 (index 720): 2023-03-09 00:00 UTC + 720 × 5 min =
// 2023-03-11 12:00 UTC = 1678536000 s; the 720 rows before it are history.

const START_S = 1_678_536_000;
let k: FakeKraken;
let btc: CsvRow[];

/** Decimal text with exactly `d` places (the fixture never has more than `d`). */
function fmt(text: string, d: number): string {
  const [i, f = ''] = text.split('.');
  if (f.length > d) throw new Error(`${text} has more than ${d} decimals`);
  return d === 0 ? i! : `${i}.${f.padEnd(d, '0')}`;
}

/** Exact decimal arithmetic on text via bigint at 1e-8 (enough for these fixtures). */
const E8 = 100_000_000n;
function units(text: string): bigint {
  const [i, f = ''] = text.split('.');
  return BigInt(i!) * E8 + BigInt(f.padEnd(8, '0').slice(0, 8));
}
function fromUnits(u: bigint, d: number): string {
  const s = (u / 10n ** BigInt(8 - d)).toString().padStart(d + 1, '0');
  return d === 0 ? s : `${s.slice(0, -d)}.${s.slice(-d)}`;
}

beforeAll(async () => {
  k = await startWithFixtures();
  btc = readFixture(BTC_FILE);
});
afterAll(() => k.close());

describe('Time and SystemStatus', () => {
  it('reports the simulated clock', async () => {
    expect(k.control.now()).toBe(START_S * 1000);
    expect(btc[720]!.time).toBe(START_S);
    const r = await pub(k, 'Time');
    expect(r).toEqual({ error: [], result: { unixtime: START_S, rfc1123: 'Sat, 11 Mar 23 12:00:00 +0000' } });
  });

  it('reports the system status and follows control.setSystemStatus', async () => {
    expect(await pub(k, 'SystemStatus')).toEqual({ error: [], result: { status: 'online', timestamp: '2023-03-11T12:00:00Z' } });
    k.control.setSystemStatus('cancel_only');
    expect((await pub(k, 'SystemStatus')).result.status).toBe('cancel_only');
    k.control.setSystemStatus('online');
  });
});

describe('AssetPairs and Assets', () => {
  it('lists the three pairs under their canonical keys with the live precisions and minimums', async () => {
    const r = await pub(k, 'AssetPairs');
    expect(Object.keys(r.result)).toEqual(['XXBTZUSD', 'XETHZUSD', 'SOLUSD']);
    const x = r.result.XXBTZUSD;
    expect(x).toMatchObject({
      altname: 'XBTUSD',
      wsname: 'XBT/USD',
      base: 'XXBT',
      quote: 'ZUSD',
      pair_decimals: 1,
      cost_decimals: 5,
      lot_decimals: 8,
      ordermin: '0.00005',
      costmin: '0.5',
      tick_size: '0.1',
      fee_volume_currency: 'ZUSD',
      status: 'online',
    });
    // reference/kraken.md §9: 0.40 % taker / 0.25 % maker from $0, 0.35 / 0.20 from $10,000.
    expect(x.fees.slice(0, 2)).toEqual([
      [0, 0.4],
      [10000, 0.35],
    ]);
    expect(x.fees_maker.slice(0, 2)).toEqual([
      [0, 0.25],
      [10000, 0.2],
    ]);
    expect(r.result.XETHZUSD).toMatchObject({ altname: 'ETHUSD', wsname: 'ETH/USD', pair_decimals: 2, ordermin: '0.002' });
    expect(r.result.SOLUSD).toMatchObject({ altname: 'SOLUSD', wsname: 'SOL/USD', base: 'SOL', pair_decimals: 2, ordermin: '0.06' });
  });

  it('accepts every spelling of a pair and answers under the canonical key', async () => {
    for (const name of ['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD', 'xbtusd']) {
      expect(Object.keys((await pub(k, 'AssetPairs', { pair: name })).result)).toEqual(['XXBTZUSD']);
    }
  });

  it('rejects an unknown pair and honours info=fees', async () => {
    expect(await pub(k, 'AssetPairs', { pair: 'DOGEUSD' })).toEqual({ error: ['EQuery:Unknown asset pair'] });
    const fees = await pub(k, 'AssetPairs', { pair: 'SOLUSD', info: 'fees' });
    expect(Object.keys(fees.result.SOLUSD).sort()).toEqual(['fee_volume_currency', 'fees', 'fees_maker']);
  });

  it('lists the assets with Kraken ids and ledger decimals', async () => {
    const r = await pub(k, 'Assets');
    expect(r.result.XXBT).toMatchObject({ altname: 'XBT', decimals: 10 });
    expect(r.result.ZUSD).toMatchObject({ altname: 'USD', decimals: 4 });
  });
});

describe('OHLC', () => {
  it('returns the 720 most recent rows, the forming candle last, `last` = newest committed start', async () => {
    const r = await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5 });
    const rows = r.result.XXBTZUSD as unknown[][];
    expect(rows).toHaveLength(720);
    expect(rows[719]![0]).toBe(START_S);
    expect(rows[0]![0]).toBe(START_S - 719 * 300);
    expect(r.result.last).toBe(START_S - 300);
  });

  it('renders committed rows exactly as the source candles: prices with pair decimals, volume with 8, count as integer', async () => {
    const rows = (await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5 })).result.XXBTZUSD as unknown[][];
    for (const [i, row] of rows.slice(0, 719).entries()) {
      const csv = btc[720 - 719 + i]!;
      expect(row[0]).toBe(csv.time);
      expect(row.slice(1, 5)).toEqual([fmt(csv.open, 1), fmt(csv.high, 1), fmt(csv.low, 1), fmt(csv.close, 1)]);
      expect(row[6]).toBe(fmt(csv.volume, 8));
      expect(row[7]).toBe(4); // four replayed trades per source candle (docs/fake-kraken.md)
    }
  });

  it('shows the forming candle growing tick by tick and committed after its interval', async () => {
    const csv = btc[720]!;
    const bullish = units(csv.close) >= units(csv.open);
    const path = bullish ? [csv.open, csv.low, csv.high, csv.close] : [csv.open, csv.high, csv.low, csv.close];
    const forming = async (): Promise<unknown[]> => {
      const rows = (await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5, since: START_S - 1 })).result.XXBTZUSD as unknown[][];
      return rows.find((r) => r[0] === START_S)!;
    };
    let row = await forming();
    expect(row.slice(1, 5)).toEqual([fmt(csv.open, 1), fmt(csv.open, 1), fmt(csv.open, 1), fmt(csv.open, 1)]);
    expect(row[7]).toBe(1);
    k.control.advance(75_000); // second replayed trade: the first extreme
    row = await forming();
    expect(row[4]).toBe(fmt(path[1]!, 1));
    expect(row[7]).toBe(2);
    k.control.advance(225_000); // to the next candle's open
    row = await forming();
    expect(row.slice(1, 5)).toEqual([fmt(csv.open, 1), fmt(csv.high, 1), fmt(csv.low, 1), fmt(csv.close, 1)]);
    expect(row[6]).toBe(fmt(csv.volume, 8));
    expect(row[7]).toBe(4);
    const r = await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5 });
    expect(r.result.last).toBe(START_S);
  });

  it('treats `since` as exclusive', async () => {
    const r = await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 5, since: START_S - 300 });
    expect((r.result.XXBTZUSD as unknown[][]).map((x) => x[0])).toEqual([START_S, START_S + 300]);
  });

  it('aggregates 15-minute candles from three 5-minute ones', async () => {
    const rows = (await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 15 })).result.XXBTZUSD as unknown[][];
    const committed = rows[rows.length - 2]!;
    const start = committed[0] as number;
    const parts = btc.filter((c) => c.time >= start && c.time < start + 900);
    expect(parts).toHaveLength(3);
    const high = parts.map((c) => units(c.high)).reduce((a, b) => (a > b ? a : b));
    const low = parts.map((c) => units(c.low)).reduce((a, b) => (a < b ? a : b));
    const volume = parts.map((c) => units(c.volume)).reduce((a, b) => a + b);
    expect(committed.slice(1, 5)).toEqual([fmt(parts[0]!.open, 1), fromUnits(high, 1), fromUnits(low, 1), fmt(parts[2]!.close, 1)]);
    expect(committed[6]).toBe(fromUnits(volume, 8));
    expect(committed[7]).toBe(12);
  });

  it('rejects an interval Kraken does not offer', async () => {
    expect(await pub(k, 'OHLC', { pair: 'XBTUSD', interval: 7 })).toEqual({ error: ['EGeneral:Invalid arguments:interval'] });
  });
});

describe('OHLC gaps and 1-minute candles', () => {
  let g: FakeKraken;
  let rows: CsvRow[];
  beforeAll(async () => {
    rows = readFixture(BTC_FILE).slice(0, 740);
    // Drop the source candle 2 after the replay start: an interval without trades.
    const candles = rows
      .filter((_, i) => i !== 722)
      .map((c) => ({ tsOpenMs: c.time * 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
    g = await startFakeKraken({ markets: [{ pair: 'BTC/USD', candles }] });
  });
  afterAll(() => g.close());

  it('fills a missing interval with the previous close, vwap 0, volume 0 and count 0', async () => {
    g.control.advance(20 * 60_000);
    const rest = (await pub(g, 'OHLC', { pair: 'XBTUSD', interval: 5 })).result.XXBTZUSD as unknown[][];
    const gap = rest.find((r) => r[0] === rows[722]!.time)!;
    const c = fmt(rows[721]!.close, 1);
    expect(gap).toEqual([rows[722]!.time, c, c, c, c, '0.0', '0.00000000', 0]);
  });

  it('builds 1-minute candles from the four replayed trades of a 5-minute candle', async () => {
    const csv = rows[720]!;
    const path = units(csv.close) >= units(csv.open) ? [csv.open, csv.low, csv.high, csv.close] : [csv.open, csv.high, csv.low, csv.close];
    const one = (await pub(g, 'OHLC', { pair: 'XBTUSD', interval: 1, since: csv.time - 1 })).result.XXBTZUSD as unknown[][];
    // Trades at +0 s, +75 s, +150 s and +225 s fall into minutes 0, 1, 2 and 3; minute 4 has none.
    expect(one.slice(0, 5).map((r) => r[4])).toEqual([...path.map((p) => fmt(p, 1)), fmt(csv.close, 1)]);
    expect(one.slice(0, 5).map((r) => r[7])).toEqual([1, 1, 1, 1, 0]);
  });
});

describe('Ticker', () => {
  it('shows ask ≥ last ≥ bid, 5-decimal prices, and today\'s statistics from the replay', async () => {
    const r = await pub(k, 'Ticker', { pair: 'XBTUSD' });
    const t = r.result.XXBTZUSD;
    for (const v of [t.a[0], t.b[0], t.c[0], t.o, ...t.l, ...t.h, ...t.p]) expect(v).toMatch(/^\d+\.\d{5}$/);
    expect(Number(t.a[0])).toBeGreaterThan(Number(t.c[0]));
    expect(Number(t.b[0])).toBeLessThan(Number(t.c[0]));
    expect(t.a[1]).toMatch(/^\d+$/);
    expect(t.a[2]).toMatch(/^\d+\.\d{3}$/);
    // Today started at 2023-03-11 00:00 UTC = row index 576: its open is today's open.
    expect(t.o).toBe(fmt(btc[576]!.open, 5));
    // Today's trades: four per candle since 00:00 plus the open of the candle forming now (the
    // clock always sits on a candle open here); today's volume: those candles' volumes plus the
    // forming candle's first quarter (floored to 1e-8).
    const nowS = k.control.now() / 1000;
    const dayStart = Math.floor(nowS / 86_400) * 86_400;
    expect(nowS % 300).toBe(0);
    const today = btc.filter((r) => r.time >= dayStart && r.time < nowS);
    const forming = btc.find((r) => r.time === nowS)!;
    expect(t.t[0]).toBe(today.length * 4 + 1);
    const volume = today.reduce((a, r) => a + units(r.volume), 0n) + units(forming.volume) / 4n;
    expect(t.v[0]).toBe(fromUnits(volume, 8));
    expect(Number(t.v[0])).toBeLessThanOrEqual(Number(t.v[1]));
  });

  it('returns every pair when none is named', async () => {
    expect(Object.keys((await pub(k, 'Ticker')).result)).toEqual(['XXBTZUSD', 'XETHZUSD', 'SOLUSD']);
  });
});

describe('Depth', () => {
  it('returns `count` levels per side, asks ascending above bids descending', async () => {
    const r = await pub(k, 'Depth', { pair: 'BTC/USD', count: 5 });
    const book = r.result.XXBTZUSD;
    expect(book.asks).toHaveLength(5);
    expect(book.bids).toHaveLength(5);
    const asks = book.asks.map((l: string[]) => Number(l[0]));
    const bids = book.bids.map((l: string[]) => Number(l[0]));
    expect([...asks].sort((a, b) => a - b)).toEqual(asks);
    expect([...bids].sort((a, b) => b - a)).toEqual(bids);
    expect(asks[0]).toBeGreaterThan(bids[0]);
    for (const l of [...book.asks, ...book.bids]) {
      expect(l[0]).toMatch(/^\d+\.\d{5}$/);
      expect(l[1]).toMatch(/^\d+\.\d{3}$/);
      expect(Number.isInteger(l[2])).toBe(true);
    }
  });

  it('rejects a count outside 1..500', async () => {
    expect(await pub(k, 'Depth', { pair: 'XBTUSD', count: 501 })).toEqual({ error: ['EGeneral:Invalid arguments:count'] });
  });
});

describe('routing', () => {
  it('answers an unknown method with EGeneral:Unknown method and unknown paths with 404', async () => {
    expect(await pub(k, 'Nope')).toEqual({ error: ['EGeneral:Unknown method'] });
    expect((await fetch(`${k.restUrl}/1/public/Time`)).status).toBe(404);
  });

  it('accepts public calls as POST with a form body', async () => {
    const res = await fetch(`${k.restUrl}/0/public/Ticker`, { method: 'POST', body: 'pair=SOLUSD', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(Object.keys(((await res.json()) as { result: object }).result)).toEqual(['SOLUSD']);
  });
});
