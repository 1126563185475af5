/**
 * Golden fixtures: every WebSocket v2 message shape of reference/kraken.md decoded into the
 * expected typed message. Values are read off the fixture text (tests/fixtures/kraken/SOURCES.md).
 */
import { describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { decodeWsMessage, type WsMessage } from '../../../adapters/kraken/index.ts';
import { fixture } from './support.ts';

function ws(name: string): WsMessage {
  const r = decodeWsMessage(fixture(name));
  if (!r.ok) throw new Error(`${name}: ${r.error.path} ${r.error.detail}`);
  return r.value;
}

describe('WS v2 golden fixtures', () => {
  it('status on connect: connection_id kept exactly (> 2^53)', () => {
    expect(ws('ws_status.json')).toEqual({
      type: 'status',
      status: { system: 'online', apiVersion: 'v2', connectionId: '12393906104898154338', version: '2.0.0' },
    });
    expect(ws('ws_status_maintenance.json')).toMatchObject({ type: 'status', status: { system: 'maintenance' } });
  });

  it('heartbeat and pong', () => {
    expect(ws('ws_heartbeat.json')).toEqual({ type: 'heartbeat' });
    expect(ws('ws_pong.json')).toEqual({ type: 'pong', reqId: 101 });
  });

  it('subscribe acks (one per symbol), with warnings', () => {
    expect(ws('ws_subscribe_ack_book.json')).toMatchObject({
      type: 'response',
      response: { method: 'subscribe', success: true, channel: 'book', symbol: 'MATIC/USD', error: null, reqId: null, tsInMs: Date.UTC(2023, 9, 6, 17, 35, 55, 219) },
    });
    expect(ws('ws_subscribe_ack_ohlc.json')).toMatchObject({
      type: 'response',
      response: { channel: 'ohlc', symbol: 'ALGO/USD', reqId: 7, warnings: ['timestamp is deprecated, use interval_begin'] },
    });
    expect(ws('ws_executions_subscribe_ack.json')).toMatchObject({ type: 'response', response: { channel: 'executions', success: true } });
  });

  it('subscribe failure carries the error and the top-level symbol', () => {
    expect(ws('ws_subscribe_error.json')).toMatchObject({
      type: 'response',
      response: { method: 'subscribe', success: false, error: 'Currency pair not supported xxx/USD', symbol: 'xxx/USD', reqId: 69, channel: null },
    });
  });

  it('trading method response (add_order)', () => {
    expect(ws('ws_add_order_ack.json')).toMatchObject({ type: 'response', response: { method: 'add_order', success: true, reqId: 123456789, warnings: ['post_only is deprecated'] } });
  });

  it('ticker snapshot with exact decimals and a negative change', () => {
    expect(ws('ws_ticker_snapshot.json')).toEqual({
      type: 'ticker',
      kind: 'snapshot',
      tickers: [
        {
          symbol: 'ALGO/USD',
          bid: f('0.10025'),
          bidQty: f('740'),
          ask: f('0.10036'),
          askQty: f('1361.44813783'),
          last: f('0.10035'),
          volume: f('997038.98383185'),
          vwap: f('0.10148'),
          low: f('0.09979'),
          high: f('0.10285'),
          change: f('-0.00017'),
          changePct: f('-0.17'),
          tsMs: Date.UTC(2023, 8, 25, 9, 4, 31, 742),
        },
      ],
    });
  });

  it('ohlc snapshot: interval_begin (9 fraction digits) is the candle start', () => {
    const m = ws('ws_ohlc_snapshot.json');
    expect(m.type).toBe('ohlc');
    if (m.type !== 'ohlc') return;
    expect(m.kind).toBe('snapshot');
    expect(m.candles).toEqual([
      {
        symbol: 'ALGO/USD',
        open: f('0.09875'),
        high: f('0.09875'),
        low: f('0.09875'),
        close: f('0.09875'),
        vwap: f('0.09875'),
        volume: f('201.86015'),
        trades: 1,
        intervalBeginMs: Date.UTC(2023, 9, 4, 15, 25),
        intervalMin: 5,
      },
      expect.objectContaining({ high: f('0.0988'), trades: 13, volume: f('16255.46368'), intervalBeginMs: Date.UTC(2023, 9, 4, 15, 30) }),
    ]);
  });

  it('ohlc updates carry the whole running candle', () => {
    const m = ws('ws_ohlc_update.json');
    expect(m).toMatchObject({ type: 'ohlc', kind: 'update', candles: [{ high: f('0.0989'), low: f('0.0987'), trades: 15, intervalBeginMs: Date.UTC(2023, 9, 4, 15, 30) }] });
    expect(ws('ws_ohlc_next_interval.json')).toMatchObject({ candles: [{ intervalBeginMs: Date.UTC(2023, 9, 4, 15, 35), open: f('0.09891') }] });
  });

  it('book snapshot and update keep every level and the checksum', () => {
    const s = ws('ws_book_snapshot.json');
    expect(s.type).toBe('book');
    if (s.type !== 'book') return;
    const b = s.books[0]!;
    expect(b.symbol).toBe('MATIC/USD');
    expect(b.checksum).toBe(2439117997);
    expect(b.bids).toHaveLength(10);
    expect(b.asks[0]).toEqual({ price: f('0.5668'), qty: f('4410.79769741') });
    expect(b.bids[6]).toEqual({ price: f('0.566'), qty: f('18097.1547') });
    expect(ws('ws_book_update.json')).toMatchObject({ type: 'book', kind: 'update', books: [{ checksum: 2114181697, asks: [], bids: [{ price: f('0.5657'), qty: f('1098.3947558') }] }] });
  });

  it('executions: pending_new (full), new (sparse), trade (fill fields), filled, canceled, snapshot', () => {
    expect(ws('ws_executions_pending_new.json')).toMatchObject({
      type: 'executions',
      kind: 'update',
      sequence: 8,
      executions: [{ orderId: 'OK4GJX-KSTLS-7DZZO5', execType: 'pending_new', orderStatus: 'pending_new', orderUserref: 3, side: 'sell', orderType: 'limit', orderQty: f('0.005'), limitPrice: f('26500'), timeInForce: 'GTC', execId: null }],
    });
    const sparse = ws('ws_executions_new.json');
    expect(sparse).toMatchObject({ sequence: 9, executions: [{ execType: 'new', orderStatus: 'new', symbol: null, side: null, orderQty: null, tsMs: Date.UTC(2023, 8, 22, 10, 33, 5, 709) }] });
    expect(ws('ws_executions_trade.json')).toMatchObject({
      sequence: 10,
      executions: [
        {
          execType: 'trade',
          orderStatus: 'partially_filled', // even though it completes the order (kraken.md §12)
          execId: 'TGBB7L-HT5LX-J3BZ4A',
          tradeId: 62887576,
          lastQty: f('0.005'),
          lastPrice: f('26599.9'),
          cost: f('132.9995'), // 0.005 × 26599.9
          liquidity: 'taker',
          cumQty: f('0.005'),
          avgPrice: f('26599.9'),
          fees: [{ asset: 'USD', qty: f('0.3458') }],
          feeUsdEquiv: f('0.3458'),
        },
      ],
    });
    expect(ws('ws_executions_filled.json')).toMatchObject({ executions: [{ execType: 'filled', orderStatus: 'filled', cumCost: f('132.9995') }] });
    expect(ws('ws_executions_canceled.json')).toMatchObject({ executions: [{ execType: 'canceled', reason: 'User requested', clientOrderId: 'b7f7c1f0-5a0e-4c55-9d62-0c3a8f1e2d11' }] });
    expect(ws('ws_executions_snapshot.json')).toMatchObject({ kind: 'snapshot', executions: [{ orderQty: f('1.25'), cumQty: f('0.375'), cumCost: f('11253.75'), postOnly: false }] });
  });

  it('channels we do not consume are reported as ignored', () => {
    expect(decodeWsMessage('{"channel":"trade","type":"update","data":[]}')).toEqual({ ok: true, value: { type: 'ignored', channel: 'trade' } });
    expect(decodeWsMessage('{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[]}}')).toEqual({ ok: true, value: { type: 'ignored', channel: 'instrument' } });
  });

  it('a trade event without its fill fields is malformed', () => {
    const text = fixture('ws_executions_trade.json').replace('"last_qty":0.005,', '');
    expect(decodeWsMessage(text)).toEqual({ ok: false, error: { kind: 'malformed', path: '$.data[0].last_qty', detail: 'a trade event must carry last_qty' } });
  });
});
