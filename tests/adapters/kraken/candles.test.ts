import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromString as f } from '../../../domain/money/index.ts';
import { CandleTracker, decodeWsMessage, type WsCandle } from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';
import { fixture } from './support.ts';

function candles(name: string): WsCandle[] {
  const r = decodeWsMessage(fixture(name));
  if (!r.ok || r.value.type !== 'ohlc') throw new Error(`${name} is not an ohlc message`);
  return [...r.value.candles];
}

const T1525 = Date.UTC(2023, 9, 4, 15, 25);
const T1530 = Date.UTC(2023, 9, 4, 15, 30);
const T1535 = Date.UTC(2023, 9, 4, 15, 35);

describe('candle finalisation from the WS ohlc stream (kraken.md §11 ohlc)', () => {
  it('a candle closes when a later interval_begin arrives, with its last running values', () => {
    const t = new CandleTracker();
    const snap = t.apply(candles('ws_ohlc_snapshot.json'));
    expect(snap.closed.map((c) => c.intervalBeginMs)).toEqual([T1525]); // older snapshot candle is final
    expect(snap.updated.map((c) => c.intervalBeginMs)).toEqual([T1525, T1530]);
    const upd = t.apply(candles('ws_ohlc_update.json'));
    expect(upd.closed).toEqual([]);
    expect(t.runningCandle('ALGO/USD', 5)?.trades).toBe(15);
    const next = t.apply(candles('ws_ohlc_next_interval.json'));
    expect(next.closed).toHaveLength(1);
    expect(next.closed[0]).toMatchObject({ intervalBeginMs: T1530, high: f('0.0989'), low: f('0.0987'), close: f('0.0989'), trades: 15 });
  });

  it('never closes a candle twice: a snapshot repeated after a reconnect is ignored', () => {
    const t = new CandleTracker();
    t.apply(candles('ws_ohlc_snapshot.json'));
    t.apply(candles('ws_ohlc_next_interval.json')); // closes 15:30
    const again = t.apply(candles('ws_ohlc_snapshot.json'));
    expect(again.closed).toEqual([]);
    expect(again.ignored.map((c) => c.intervalBeginMs)).toEqual([T1525, T1530]);
  });

  it('ignores an out-of-order update for an older, still unclosed interval', () => {
    const t = new CandleTracker();
    const [, c1530] = candles('ws_ohlc_snapshot.json');
    const [c1535] = candles('ws_ohlc_next_interval.json');
    t.apply([c1535!]);
    const late = t.apply([c1530!]);
    expect(late.ignored).toHaveLength(1);
    expect(late.closed).toEqual([]);
    expect(t.runningCandle('ALGO/USD', 5)?.intervalBeginMs).toBe(T1535);
  });

  it('optional clock close: final once begin + interval + grace has passed; later updates ignored', () => {
    const t = new CandleTracker();
    const [c1535] = candles('ws_ohlc_next_interval.json');
    t.apply([c1535!]);
    expect(t.closeDue(T1535 + 5 * 60_000 + 1_999, 2_000)).toEqual([]);
    expect(t.closeDue(T1535 + 5 * 60_000 + 2_000, 2_000).map((c) => c.intervalBeginMs)).toEqual([T1535]);
    expect(t.apply([c1535!]).ignored).toHaveLength(1);
  });

  it('property: each (symbol, interval start) closes at most once, in increasing order, with its last values', () => {
    const update = fc.record({ sym: fc.constantFrom('BTC/USD', 'ETH/USD'), slot: fc.integer({ min: 0, max: 6 }), close: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(fc.array(update, { minLength: 1, maxLength: 4 }), { maxLength: 40 }), (messages) => {
        const t = new CandleTracker();
        const closedAt = new Map<string, number[]>();
        const lastSeen = new Map<string, bigint>();
        for (const msg of messages) {
          const batch: WsCandle[] = msg.map((u) => {
            const price = BigInt(u.close) * 10n ** 18n;
            return { symbol: u.sym, open: price, high: price, low: price, close: price, vwap: price, volume: 1n, trades: 1, intervalBeginMs: T1525 + u.slot * 300_000, intervalMin: 5 };
          });
          const step = t.apply(batch);
          for (const c of step.updated) lastSeen.set(`${c.symbol}|${c.intervalBeginMs}`, c.close);
          for (const c of step.closed) {
            const list = closedAt.get(c.symbol) ?? [];
            expect(list.includes(c.intervalBeginMs)).toBe(false);
            if (list.length > 0) expect(c.intervalBeginMs).toBeGreaterThan(list.at(-1)!);
            list.push(c.intervalBeginMs);
            closedAt.set(c.symbol, list);
            expect(c.close).toBe(lastSeen.get(`${c.symbol}|${c.intervalBeginMs}`));
          }
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
