/**
 * Golden fixtures: every REST message shape of reference/kraken.md parsed into the expected
 * domain objects. Expected values are read off the fixture text (see tests/fixtures/kraken/SOURCES.md);
 * derived numbers are computed in comments.
 */
import { describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import {
  type Json,
  decodeRestEnvelope,
  parseAddOrder,
  parseAmendOrder,
  parseAssetPairs,
  parseBalance,
  parseBalanceEx,
  parseCancel,
  parseClosedOrders,
  parseDepth,
  parseEditOrder,
  parseOhlc,
  parseOpenOrders,
  parseQueryOrders,
  parseResult,
  parseSystemStatus,
  parseTicker,
  parseTime,
  parseTradeBalance,
  parseTradesHistory,
  parseTradeVolume,
  parseWebSocketsToken,
  pairRulesOf,
  splitCommitted,
  toCandle,
} from '../../../adapters/kraken/index.ts';
import { fixture } from './support.ts';

function rest<T>(name: string, parser: (r: Json, p: string) => T): T {
  const env = decodeRestEnvelope(fixture(name));
  if (!env.ok) throw new Error(`${name}: ${env.error.path} ${env.error.detail}`);
  expect(env.value.errors).toEqual([]);
  const parsed = parseResult(env.value, parser);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error.path} ${parsed.error.detail}`);
  return parsed.value;
}

describe('REST golden fixtures', () => {
  it('Time', () => {
    expect(rest('rest_time.json', parseTime)).toEqual({ tsMs: 1_688_669_448_000, rfc1123: 'Thu, 06 Jul 23 18:50:48 +0000' });
  });

  it('SystemStatus', () => {
    // 2023-07-06T18:52:00Z = 1688669520 s.
    expect(rest('rest_system_status.json', parseSystemStatus)).toEqual({ status: 'online', tsMs: 1_688_669_520_000 });
  });

  it('AssetPairs → names, precisions, minimums, fee schedules, and PairRules', () => {
    const pairs = rest('rest_asset_pairs.json', parseAssetPairs);
    expect(pairs.map((p) => [p.key, p.symbol, p.altname, p.wsname])).toEqual([
      ['XETHXXBT', 'ETH/BTC', 'ETHXBT', 'ETH/XBT'],
      ['XXBTZUSD', 'BTC/USD', 'XBTUSD', 'XBT/USD'],
    ]);
    const btc = pairs[1]!;
    expect(btc).toMatchObject({ baseId: 'XXBT', quoteId: 'ZUSD', pairDecimals: 1, costDecimals: 5, lotDecimals: 8, status: 'online' });
    expect(btc.orderMin).toBe(f('0.0001'));
    expect(btc.costMin).toBe(f('0.5'));
    expect(btc.tickSize).toBe(f('0.1'));
    expect(btc.takerFees[0]).toEqual({ volumeUsd: 0n, pct: f('0.26') });
    expect(btc.takerFees.at(-1)).toEqual({ volumeUsd: f('10000000'), pct: f('0.1') });
    expect(btc.makerFees).toHaveLength(9);
    expect(btc.makerFees.at(-1)).toEqual({ volumeUsd: f('10000000'), pct: 0n });
    expect(pairRulesOf(btc)).toEqual({ lotDecimals: 8, pairDecimals: 1, orderMin: f('0.0001'), costMin: f('0.5'), tickSize: f('0.1') });
    expect(pairs[0]!.costMin).toBe(f('0.00002'));
  });

  it('Ticker', () => {
    const [t] = rest('rest_ticker.json', parseTicker);
    expect(t).toEqual({
      key: 'XXBTZUSD',
      symbol: 'BTC/USD',
      ask: { price: f('3537.5'), wholeLotVolume: f('1'), lotVolume: f('1') },
      bid: { price: f('3537.4'), wholeLotVolume: f('16'), lotVolume: f('16') },
      last: { price: f('3537.5'), volume: f('0.25') },
      volume: { today: f('2945.40515179'), last24h: f('4009.6991835') },
      vwap: { today: f('3537.46886'), last24h: f('3535.79747') },
      trades: { today: 5773, last24h: 6815 },
      low: { today: f('3504.2'), last24h: f('3504.2') },
      high: { today: f('3565'), last24h: f('3565') },
      open: f('3530.6'),
    });
  });

  it('OHLC: rows, committed vs running candle, zero-volume minute, domain Candle', () => {
    const s = rest('rest_ohlc.json', (r, p) => parseOhlc(r, p, 1));
    expect(s.key).toBe('XXBTZUSD');
    expect(s.symbol).toBe('BTC/USD');
    expect(s.lastCommittedMs).toBe(1_688_671_320_000);
    expect(s.rows).toHaveLength(4);
    expect(s.rows[0]).toEqual({
      tsOpenMs: 1_688_671_200_000,
      open: f('30306.1'),
      high: f('30306.2'),
      low: f('30305.7'),
      close: f('30305.7'),
      vwap: f('30306.1'),
      volume: f('3.39243896'),
      count: 23,
    });
    // The no-trade minute: O=H=L=C = previous close (30300.0), volume 0, count 0.
    expect(s.rows[2]).toMatchObject({ open: f('30300'), close: f('30300'), vwap: 0n, volume: 0n, count: 0 });
    const { committed, running } = splitCommitted(s);
    expect(committed.map((r) => r.tsOpenMs)).toEqual([1_688_671_200_000, 1_688_671_260_000, 1_688_671_320_000]);
    expect(running?.tsOpenMs).toBe(1_688_671_380_000);
    expect(toCandle(s.rows[0]!)).toEqual({ tsOpen: 1_688_671_200_000, open: 30306.1, high: 30306.2, low: 30305.7, close: 30305.7, volume: 3.39243896 });
  });

  it("OHLC: Kraken's published example (its `last` is later than every row) → all rows committed", () => {
    const s = rest('rest_ohlc_openapi_example.json', (r, p) => parseOhlc(r, p, 1));
    expect(s.rows).toHaveLength(4);
    expect(splitCommitted(s)).toEqual({ committed: s.rows, running: null });
  });

  it('OHLC: the published example with a repeated row is rejected (rows must ascend)', () => {
    const env = decodeRestEnvelope(fixture('rest_ohlc_duplicate_rows.json'));
    expect(env.ok).toBe(true);
    if (!env.ok) return;
    const r = parseResult(env.value, parseOhlc);
    expect(r).toEqual({ ok: false, error: { kind: 'malformed', path: '$.result.XXBTZUSD[1]', detail: 'rows must be strictly ascending by time' } });
  });

  it('Depth', () => {
    const d = rest('rest_depth.json', parseDepth);
    expect(d.symbol).toBe('BTC/USD');
    expect(d.asks[0]).toEqual({ price: f('30384.1'), volume: f('2.059'), tsMs: 1_688_671_659_000 });
    expect(d.bids.map((l) => l.price)).toEqual([f('30297'), f('30296.7'), f('30289.8')]);
  });

  it('Balance: canonical codes, read-only suffixes apart, exact amounts', () => {
    const b = rest('rest_balance.json', parseBalance);
    expect(b.find((e) => e.assetId === 'XXBT')).toEqual({ assetId: 'XXBT', asset: 'BTC', suffix: null, amount: f('1011.19088779') });
    expect(b.find((e) => e.assetId === 'ETH2.S')).toEqual({ assetId: 'ETH2.S', asset: 'ETH2', suffix: '.S', amount: f('198.39708') });
    expect(b.find((e) => e.assetId === 'USD.M')?.suffix).toBe('.M');
    expect(b.find((e) => e.assetId === 'DAI')?.amount).toBe(f('9999.9999999999'));
    expect(b).toHaveLength(10);
  });

  it('BalanceEx (numbers, not strings): available = balance − hold_trade', () => {
    const b = rest('rest_balance_ex.json', parseBalanceEx);
    // ZUSD: 25435.21 − 8249.76 = 17185.45; XXBT: 1.2435 − 0.8423 = 0.4012.
    expect(b).toEqual([
      { assetId: 'ZUSD', asset: 'USD', suffix: null, balance: f('25435.21'), holdTrade: f('8249.76'), credit: 0n, creditUsed: 0n, available: f('17185.45') },
      { assetId: 'XXBT', asset: 'BTC', suffix: null, balance: f('1.2435'), holdTrade: f('0.8423'), credit: 0n, creditUsed: 0n, available: f('0.4012') },
    ]);
  });

  it('TradeBalance', () => {
    expect(rest('rest_trade_balance.json', parseTradeBalance)).toEqual({
      equivalentBalance: f('1101.3425'),
      tradeBalance: f('392.2264'),
      margin: f('7.0354'),
      unrealisedPnl: f('-10.0232'),
      cost: f('21.1063'),
      valuation: f('31.1297'),
      equity: f('382.2032'),
      freeMargin: f('375.1678'),
      marginLevel: f('5432.57'),
      unexecutedValue: null,
    });
  });

  it('TradeVolume: taker from fees, maker from fees_maker, null next tier at the best tier', () => {
    const v = rest('rest_trade_volume.json', parseTradeVolume);
    expect(v.currency).toBe('ZUSD');
    expect(v.volume).toBe(f('200709587.4223'));
    expect(v.takerFees).toEqual([
      { key: 'XXBTZUSD', symbol: 'BTC/USD', fee: f('0.1'), minFee: f('0.1'), maxFee: f('0.26'), nextFee: null, nextVolume: null, tierVolume: f('10000000') },
    ]);
    expect(v.makerFees[0]?.fee).toBe(0n);
    expect(v.makerFees[0]?.maxFee).toBe(f('0.16'));
  });

  it('OpenOrders: partially filled limit order', () => {
    const { orders, count } = rest('rest_open_orders.json', parseOpenOrders);
    expect(count).toBeNull();
    expect(orders).toHaveLength(2);
    expect(orders[0]).toEqual({
      txid: 'OQCLML-BW3P3-BUCMWZ',
      refid: null,
      userref: 0,
      clientOrderId: null,
      status: 'open',
      reason: null,
      tsOpenedMs: 1_688_666_559_897,
      tsClosedMs: null,
      tsStartMs: null,
      tsExpireMs: null,
      pair: 'XBTUSD',
      symbol: 'BTC/USD',
      side: 'buy',
      orderType: 'limit',
      descrPrice: '30010.0',
      descrPrice2: '0',
      leverage: 'none',
      description: 'buy 1.25000000 XBTUSD @ limit 30010.0',
      volume: f('1.25'),
      volumeExecuted: f('0.375'),
      cost: f('11253.7'),
      fee: 0n,
      avgPrice: f('30010'),
      stopPrice: null,
      limitPrice: null,
      trigger: 'last',
      misc: [],
      oflags: ['fciq'],
      tradeIds: ['TCCCTY-WE2O6-P3NB37'],
    });
    expect(orders[1]).toMatchObject({ userref: 45326, leverage: '5:1', avgPrice: null, volumeExecuted: 0n, tradeIds: [] });
  });

  it('ClosedOrders: canceled trigger orders with count', () => {
    const { orders, count } = rest('rest_closed_orders.json', parseClosedOrders);
    expect(count).toBe(2);
    expect(orders[0]).toMatchObject({
      txid: 'O37652-RJWRT-IMO74O',
      status: 'canceled',
      reason: 'User requested',
      orderType: 'stop-loss-limit',
      pair: 'XBTGBP',
      symbol: 'BTC/GBP',
      trigger: 'index',
      tsOpenedMs: 1_688_148_493_770,
      tsClosedMs: 1_688_148_610_048,
    });
    expect(orders[1]?.symbol).toBe('BTC/EUR');
  });

  it('QueryOrders: filled orders with average price and fee', () => {
    const { orders } = rest('rest_query_orders.json', parseQueryOrders);
    expect(orders.map((o) => [o.txid, o.status, o.side, o.orderType])).toEqual([
      ['OBCMZD-JIEE7-77TH3F', 'closed', 'buy', 'stop-loss-limit'],
      ['OMMDB2-FSB6Z-7W3HPO', 'closed', 'sell', 'market'],
    ]);
    expect(orders[1]).toMatchObject({ volumeExecuted: f('0.25'), cost: f('7500'), fee: f('7.5'), avgPrice: f('30000'), oflags: ['fcib'], tradeIds: ['TJUW2K-FLX2N-AR2FLU'] });
  });

  it('AddOrder: txid array and the conditional-close description', () => {
    expect(rest('rest_add_order.json', parseAddOrder)).toEqual({
      txids: ['OUF4EM-FRGI2-MQMWZD'],
      description: 'buy 2.12340000 XBTUSD @ limit 25000.1 with 2:1 leverage',
      closeDescription: 'close position @ stop loss 22000.0 -> limit 21000.0',
    });
  });

  it('AddOrder with validate=true: description only, no txid', () => {
    expect(rest('rest_add_order_validate.json', parseAddOrder)).toEqual({ txids: [], description: 'buy 1.25000000 XBTUSD @ limit 27500.0', closeDescription: null });
  });

  it('AmendOrder', () => {
    expect(rest('rest_amend_order.json', parseAmendOrder)).toEqual({ amendId: 'TF6VAW-VUWMX-6SXTCH' });
  });

  it('EditOrder: txid as a string', () => {
    expect(rest('rest_edit_order.json', parseEditOrder)).toEqual({
      status: 'ok',
      txid: 'OFVXHJ-KPQ3B-VS7ELA',
      originalTxid: 'OHYO67-6LP66-HMQ437',
      volume: f('0.0003'),
      price: f('19500'),
      price2: f('32500'),
      ordersCancelled: 1,
      description: 'buy 0.00030000 XXBTZGBP @ limit 19500.0',
    });
  });

  it('CancelOrder and CancelAll', () => {
    expect(rest('rest_cancel_order.json', parseCancel)).toEqual({ count: 1, pending: false });
    expect(rest('rest_cancel_all.json', parseCancel)).toEqual({ count: 4, pending: false });
  });

  it('TradesHistory', () => {
    const page = rest('rest_trades_history.json', parseTradesHistory);
    expect(page.count).toBe(2);
    expect(page.trades[0]).toEqual({
      tradeTxid: 'THVRQM-33VKH-UCI7BS',
      orderTxid: 'OQCLML-BW3P3-BUCMWZ',
      positionTxid: 'TKH2SE-M7IF5-CFI7LT',
      key: 'XXBTZUSD',
      symbol: 'BTC/USD',
      tsMs: 1_688_667_796_880,
      side: 'buy',
      orderType: 'limit',
      price: f('30010'),
      cost: f('600.2'),
      fee: 0n,
      volume: f('0.02'),
      margin: 0n,
      misc: [],
      tradeId: 40274859,
      maker: true,
    });
  });

  it('GetWebSocketsToken', () => {
    expect(rest('rest_ws_token.json', parseWebSocketsToken)).toEqual({ token: '1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw', expiresSec: 900 });
  });

  it('error envelopes and warnings', () => {
    const e = decodeRestEnvelope(fixture('rest_error_insufficient_funds.json'));
    expect(e).toEqual({ ok: true, value: { errors: ['EOrder:Insufficient funds'], warnings: [], result: undefined } });
    const p = decodeRestEnvelope(fixture('rest_error_invalid_price.json'));
    expect(p.ok && p.value.errors).toEqual(['EOrder:Invalid price:XBTUSD price can only be specified up to 1 decimals.']);
    const w = decodeRestEnvelope(fixture('rest_warning_with_result.json'));
    expect(w.ok && w.value.warnings).toEqual(['WGeneral:Deprecated endpoint']);
    expect(w.ok && w.value.errors).toEqual([]);
  });

  it('a success envelope without a result is malformed', () => {
    expect(decodeRestEnvelope('{"error":[]}')).toEqual({ ok: false, error: { kind: 'malformed', path: '$.result', detail: 'success envelope without a result' } });
    expect(decodeRestEnvelope('{"result":{}}')).toMatchObject({ ok: false, error: { path: '$.error' } });
  });
});
