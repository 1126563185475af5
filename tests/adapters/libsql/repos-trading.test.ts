import { describe, expect, it } from 'vitest';
import { StoreError, createRepositories, signedCapitalAmount } from '../../../adapters/libsql/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import { BIG, T0, TINY, daily, order, position, signal, trade } from './fixtures.ts';
import { freshStore } from './support.ts';

function repos() {
  return createRepositories(freshStore().db);
}

describe('systemMeta', () => {
  it('sets, overwrites, lists and deletes keys', () => {
    const { systemMeta } = repos();
    systemMeta.set('paper_starting_capital', '200', T0);
    systemMeta.set('paper_starting_capital', '100', T0 + 1);
    systemMeta.set('a', 'x', T0);
    expect(systemMeta.get('paper_starting_capital')).toBe('100');
    expect(systemMeta.all()).toEqual([
      { key: 'a', value: 'x', updatedAt: T0 },
      { key: 'paper_starting_capital', value: '100', updatedAt: T0 + 1 },
    ]);
    expect(systemMeta.delete('a')).toBe(true);
    expect(systemMeta.delete('a')).toBe(false);
    expect(systemMeta.get('a')).toBeUndefined();
  });

  it('keeps nonces strictly increasing per scope, beyond 2^53, across clock steps back', () => {
    const { systemMeta } = repos();
    const ns = 1_735_689_600_000_000_000n; // a nanosecond clock: > 2^53
    expect(systemMeta.nextNonce('kraken:main', ns, T0)).toBe(ns);
    expect(systemMeta.nextNonce('kraken:main', ns, T0)).toBe(ns + 1n);
    expect(systemMeta.nextNonce('kraken:main', ns - 5_000n, T0)).toBe(ns + 2n); // clock stepped back
    expect(systemMeta.nextNonce('kraken:main', ns + 100n, T0)).toBe(ns + 100n);
    expect(systemMeta.lastNonce('kraken:main')).toBe(ns + 100n);
    expect(systemMeta.nextNonce('kraken:other', 7n, T0)).toBe(7n);
    expect(() => systemMeta.nextNonce('kraken:max', 2n ** 64n, T0)).toThrow(/2\^64/);
  });
});

describe('candles', () => {
  const c = (tsOpen: number, close: number): Candle => ({ tsOpen, open: close, high: close + 1, low: close - 1, close, volume: 0.1 + 0.2 });

  it('upserts many in one transaction, overwrites the same bucket, and queries ranges', () => {
    const { candles } = repos();
    const step = 300_000;
    expect(candles.upsertMany('BTC/USD', '5m', [c(T0, 100), c(T0 + step, 101), c(T0 + 2 * step, 102)])).toBe(3);
    expect(candles.upsertMany('BTC/USD', '5m', [c(T0 + 2 * step, 103)])).toBe(1); // the forming candle changed
    candles.upsertMany('BTC/USD', '1h', [c(T0, 50)]);
    candles.upsertMany('ETH/USD', '5m', [c(T0, 3000)]);
    expect(candles.range('BTC/USD', '5m', T0 + step, T0 + 3 * step)).toEqual([c(T0 + step, 101), c(T0 + 2 * step, 103)]);
    expect(candles.range('BTC/USD', '5m', T0, T0 + step)).toEqual([c(T0, 100)]); // end exclusive
    expect(candles.latest('BTC/USD', '5m', 2)).toEqual([c(T0 + step, 101), c(T0 + 2 * step, 103)]);
    expect(candles.latestTs('BTC/USD', '5m')).toBe(T0 + 2 * step);
    expect(candles.latestTs('SOL/USD', '5m')).toBeUndefined();
    expect(candles.count('BTC/USD', '5m')).toBe(3);
    expect(candles.series()).toEqual([
      { symbol: 'BTC/USD', timeframe: '1h', count: 1, firstTsOpen: T0, lastTsOpen: T0 },
      { symbol: 'BTC/USD', timeframe: '5m', count: 3, firstTsOpen: T0, lastTsOpen: T0 + 2 * step },
      { symbol: 'ETH/USD', timeframe: '5m', count: 1, firstTsOpen: T0, lastTsOpen: T0 },
    ]);
    expect(candles.deleteBefore('5m', T0 + step)).toBe(2); // BTC and ETH at T0; 1h untouched
    expect(candles.count('BTC/USD', '1h')).toBe(1);
  });

  it('round-trips float64 prices bit-exactly', () => {
    const { candles } = repos();
    const odd: Candle = { tsOpen: T0, open: 0.1 + 0.2, high: 1e-9 + 1, low: 5e-324, close: 0.30000000000000004, volume: 1.7976931348623157e308 };
    candles.upsertMany('X/USD', '1d', [odd]);
    expect(candles.range('X/USD', '1d', T0, T0 + 1)).toEqual([odd]);
  });

  it('writes nothing of a batch that contains an impossible candle', () => {
    const { candles } = repos();
    const bad: Candle = { tsOpen: T0 + 300_000, open: 10, high: 9, low: 8, close: 9, volume: 1 }; // open above high
    expect(() => candles.upsertMany('BTC/USD', '5m', [c(T0, 100), bad])).toThrow(/CHECK constraint/);
    expect(() => candles.upsertMany('BTC/USD', '5m', [c(T0, 100), { ...c(T0 + 1, 1), close: Number.NaN }])).toThrow(StoreError);
    expect(() => candles.upsertMany('BTC/USD', '5m', [{ ...c(T0, 100), tsOpen: T0 + 0.5 }])).toThrow(StoreError);
    expect(candles.count('BTC/USD', '5m')).toBe(0);
  });
});

describe('positions', () => {
  it('round-trips every field exactly and updates, lists FIFO, deletes', () => {
    const { positions } = repos();
    const id = positions.insert(position());
    expect(positions.byTag('auto_BTCUSD_001')).toEqual({ id, ...position() });
    positions.insert(position({ tag: 'b', seq: 1, openedAt: T0 - 1, stopLoss: null, takeProfit: null, strategyVersion: null, strategyRegime: null }));
    positions.insert(position({ tag: 'c', seq: 0, symbol: 'ETH/USD' }));
    expect(positions.list().map((p) => p.tag)).toEqual(['b', 'c', 'auto_BTCUSD_001']);
    expect(positions.listBySymbol('BTC/USD').map((p) => p.tag)).toEqual(['b', 'auto_BTCUSD_001']);
    expect(positions.byTag('b')).toMatchObject({ stopLoss: null, takeProfit: null, strategyVersion: null });

    expect(positions.update('auto_BTCUSD_001', { qty: BIG, stopLoss: null, intent: 'DAY', updatedAt: T0 + 9 })).toBe(true);
    expect(positions.byTag('auto_BTCUSD_001')).toEqual({ id, ...position(), qty: BIG, stopLoss: null, intent: 'DAY', updatedAt: T0 + 9 });
    expect(positions.update('nope', { updatedAt: 1 })).toBe(false);
    expect(positions.delete('b')).toBe(true);
    expect(positions.byTag('b')).toBeUndefined();
  });

  it('refuses a duplicate tag, a zero or negative quantity, and non-exact inputs', () => {
    const { positions } = repos();
    positions.insert(position());
    expect(() => positions.insert(position())).toThrow(/UNIQUE/);
    expect(() => positions.insert(position({ tag: 'z', qty: 0n }))).toThrow(/CHECK constraint/);
    expect(() => positions.insert(position({ tag: 'n', qty: -TINY }))).toThrow(/CHECK constraint/);
    expect(() => positions.insert(position({ tag: 'f', qty: 0.5 as unknown as bigint }))).toThrow(/positions\.qty must be a Fixed/);
    expect(() => positions.insert(position({ tag: 't', openedAt: T0 + 0.5 }))).toThrow(/positions\.opened_at must be a safe integer/);
  });
});

describe('trades', () => {
  it('round-trips and filters by symbol and close time', () => {
    const { trades } = repos();
    const id = trades.insert(trade());
    trades.insert(trade({ symbol: 'ETH/USD', closedAt: T0 + 120_000, pnl: BIG }));
    trades.insert(trade({ closedAt: T0 + 180_000 }));
    expect(trades.list({ limit: 10 }).at(-1)).toEqual({ id, ...trade() });
    expect(trades.list({ symbol: 'BTC/USD' }).map((t) => t.closedAt)).toEqual([T0 + 180_000, T0 + 60_000]);
    expect(trades.list({ sinceMs: T0 + 100_000, untilMs: T0 + 180_000 }).map((t) => t.symbol)).toEqual(['ETH/USD']);
    expect(trades.closedBetween(T0, T0 + 180_000).map((t) => t.closedAt)).toEqual([T0 + 60_000, T0 + 120_000]);
    expect(trades.latest(2).map((t) => t.closedAt)).toEqual([T0 + 120_000, T0 + 180_000]);
    expect(trades.count()).toBe(3);
  });

  it('refuses a close before its open and an unknown close reason', () => {
    const { trades } = repos();
    expect(() => trades.insert(trade({ closedAt: T0 - 1 }))).toThrow(/CHECK constraint/);
    expect(() => trades.insert(trade({ closeReason: 'whim' as 'signal' }))).toThrow(/CHECK constraint/);
  });
});

describe('signals', () => {
  it('round-trips, records outcomes and counts', () => {
    const { signals } = repos();
    const id = signals.insert(signal());
    expect(signals.byId(id)).toEqual({ id, ...signal() });
    const modify = signals.insert(
      signal({ action: 'MODIFY', size: null, orderType: null, limitPrice: null, slippageTolerance: null, intent: null, createdAt: T0 + 10 }),
    );
    expect(signals.byId(modify)).toMatchObject({ size: null, orderType: null, intent: null });
    expect(signals.setOutcome(id, { actedOn: false, rejectedReason: 'max_positions' })).toBe(true);
    expect(signals.setOutcome(modify, { actedOn: true })).toBe(true);
    expect(signals.byId(id)).toMatchObject({ actedOn: false, rejectedReason: 'max_positions' });
    expect(signals.byId(modify)).toMatchObject({ actedOn: true, rejectedReason: null });
    expect(signals.list().map((s) => s.id)).toEqual([modify, id]);
    expect(signals.latestAt()).toBe(T0 + 10);
    expect(signals.countBetween(T0, T0 + 10)).toBe(1);
    expect(signals.deleteBefore(T0 + 10)).toBe(1);
    expect(signals.byId(id)).toBeUndefined();
  });

  it('refuses a rejection reason on an acted-on signal', () => {
    const { signals } = repos();
    expect(() => signals.insert(signal({ actedOn: true, rejectedReason: 'x' }))).toThrow(/CHECK constraint/);
  });
});

describe('orders and fills', () => {
  it('round-trips an order, finds it by either id, updates it and lists open ones', () => {
    const { orders, signals } = repos();
    const signalId = signals.insert(signal());
    const id = orders.insert(order({ signalId }));
    expect(orders.byClientOrderId(order().clientOrderId)).toEqual({ id, ...order({ signalId }) });
    expect(orders.byVenueOrderId('OABCDE-FGHIJ-KLMNOP')?.id).toBe(id);

    const market = order({ clientOrderId: 'm1', venueOrderId: null, type: 'market', limitPrice: null, status: 'new', tsEvent: null, tag: null, tsInit: T0 + 1 });
    const stop = order({ clientOrderId: 's1', venueOrderId: null, type: 'stop-loss', side: 'sell', purpose: 'stopLoss', limitPrice: null, triggerPrice: fromString('90000'), status: 'accepted', tsInit: T0 + 2 });
    orders.insert(market);
    orders.insert(stop);
    expect(orders.update('m1', { status: 'filled', filledQuantity: BIG, venueOrderId: 'OM1', updatedAt: T0 + 9 })).toBe(true);
    expect(orders.byClientOrderId('m1')).toMatchObject({ status: 'filled', filledQuantity: BIG, venueOrderId: 'OM1', updatedAt: T0 + 9, tag: null });
    expect(orders.listOpen().map((o) => o.clientOrderId)).toEqual([order().clientOrderId, 's1']);
    expect(orders.listByStatus(['filled', 'accepted']).map((o) => o.clientOrderId)).toEqual(['m1', 's1']);
    expect(orders.listByTag('auto_BTCUSD_001').map((o) => o.clientOrderId)).toEqual([order().clientOrderId, 's1']);
    expect(orders.list({ sinceMs: T0 + 1 }).map((o) => o.clientOrderId)).toEqual(['s1', 'm1']);
  });

  it('refuses a duplicate client order id and prices that do not match the type', () => {
    const { orders } = repos();
    orders.insert(order());
    expect(() => orders.insert(order({ venueOrderId: null }))).toThrow(/UNIQUE/);
    expect(() => orders.insert(order({ clientOrderId: 'x', venueOrderId: null, limitPrice: null }))).toThrow(/CHECK constraint/);
    expect(() => orders.insert(order({ clientOrderId: 'y', venueOrderId: null, type: 'market' }))).toThrow(/CHECK constraint/);
    expect(() => orders.insert(order({ clientOrderId: 'z'.repeat(37), venueOrderId: null }))).toThrow(/CHECK constraint/);
  });

  it('records each execution once, by venue trade id', () => {
    const { orders, fills } = repos();
    orders.insert(order());
    const fill = { clientOrderId: order().clientOrderId, tradeId: 'TXYZ-1', quantity: TINY, price: BIG, fee: fromString('0.0000025'), liquidity: 'maker' as const, tsEvent: T0 + 5, tsInit: T0 + 7 };
    expect(fills.record(fill)).toEqual({ inserted: true });
    expect(fills.record(fill)).toEqual({ inserted: false }); // replay from REST after WS
    expect(() => fills.record({ ...fill, quantity: BIG })).toThrow(/already recorded with different data/);
    fills.record({ ...fill, tradeId: 'TXYZ-2', liquidity: null, tsEvent: T0 + 6 });
    const stored = fills.byOrder(order().clientOrderId);
    expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual([fill, { ...fill, tradeId: 'TXYZ-2', liquidity: null, tsEvent: T0 + 6 }]);
    expect(fills.byTradeId('TXYZ-1')?.price).toBe(BIG);
    expect(fills.between(T0 + 6, T0 + 7).map((f) => f.tradeId)).toEqual(['TXYZ-2']);
  });
});

describe('conditionalOrders', () => {
  it('keeps one active pair per tag, with history', () => {
    const { orders, conditionalOrders } = repos();
    for (const id of ['e', 's', 't', 's2']) orders.insert(order({ clientOrderId: id, venueOrderId: null }));
    const row = {
      tag: 'auto_BTCUSD_001', symbol: 'BTC/USD', quantity: TINY, entryClientOrderId: 'e', stopClientOrderId: 's', takeProfitClientOrderId: 't',
      stopPrice: fromString('90000'), takeProfitPrice: fromString('110000'), status: 'active' as const, createdAt: T0, updatedAt: T0,
    };
    const first = conditionalOrders.insert(row);
    expect(conditionalOrders.activeByTag(row.tag)).toEqual({ id: first, ...row });
    expect(() => conditionalOrders.insert(row)).toThrow(/UNIQUE/);
    expect(conditionalOrders.update(first, { status: 'canceled', updatedAt: T0 + 1 })).toBe(true);
    const second = conditionalOrders.insert({ ...row, stopClientOrderId: 's2', takeProfitClientOrderId: null, takeProfitPrice: null, createdAt: T0 + 2 });
    expect(conditionalOrders.listActive().map((c) => c.id)).toEqual([second]);
    expect(conditionalOrders.historyByTag(row.tag).map((c) => c.status)).toEqual(['canceled', 'active']);
    expect(() => conditionalOrders.insert({ ...row, tag: 'x', stopClientOrderId: null, takeProfitClientOrderId: null, stopPrice: null, takeProfitPrice: null })).toThrow(
      /CHECK constraint/,
    );
  });
});

describe('dailyPerformance', () => {
  it('upserts by day label and lists by range', () => {
    const { dailyPerformance } = repos();
    dailyPerformance.upsert(daily());
    expect(dailyPerformance.byDate('2025-01-01')).toEqual(daily());
    dailyPerformance.upsert(daily({ netPnl: fromString('-3'), recordedAt: T0 + 86_399_000 }));
    expect(dailyPerformance.byDate('2025-01-01')?.netPnl).toBe(fromString('-3'));
    const quiet = daily({ date: '2025-01-02', dayStartAt: T0 + 86_400_000, dayEndAt: T0 + 172_800_000, totalTrades: 0, wins: 0, losses: 0, winRate: null, expectancy: null, sharpe: null });
    dailyPerformance.upsert(quiet);
    expect(dailyPerformance.latest()).toEqual(quiet);
    expect(dailyPerformance.list({ fromDate: '2025-01-01', toDate: '2025-01-01' }).map((d) => d.date)).toEqual(['2025-01-01']);
    expect(dailyPerformance.list().map((d) => d.date)).toEqual(['2025-01-02', '2025-01-01']);
  });

  it('refuses a win rate without trades and a malformed day label', () => {
    const { dailyPerformance } = repos();
    expect(() => dailyPerformance.upsert(daily({ totalTrades: 0, wins: 0, losses: 0 }))).toThrow(/CHECK constraint/);
    expect(() => dailyPerformance.upsert(daily({ date: '2025-1-1' }))).toThrow(/CHECK constraint/);
  });
});

describe('capitalEvents', () => {
  it('stores magnitudes with the kind giving the sign, and sums exactly', () => {
    const { capitalEvents } = repos();
    const base = { currency: 'USD', dayKey: '2025-01-01', recordedAt: T0 };
    capitalEvents.record({ ...base, kind: 'deposit', amount: BIG, tsEvent: T0 });
    capitalEvents.record({ ...base, kind: 'withdrawal', amount: fromString('0.123456789'), tsEvent: T0 + 1 });
    capitalEvents.record({ ...base, kind: 'adjustment', amount: -TINY, tsEvent: T0 + 2, note: 'rounding' });
    capitalEvents.record({ ...base, kind: 'adjustment', amount: fromString('5'), tsEvent: T0 + 3 });
    capitalEvents.record({ ...base, kind: 'deposit', amount: fromString('7'), tsEvent: T0 + 4, currency: 'CAD' });
    // 123456789.123456789 − 0.123456789 − 0.00000001 + 5 = 123456793.99999999 (by hand)
    expect(capitalEvents.net('USD')).toBe(fromString('123456793.99999999'));
    expect(capitalEvents.net('USD', T0 + 2)).toBe(fromString('123456789'));
    expect(capitalEvents.list().map((e) => signedCapitalAmount(e))).toEqual([BIG, fromString('-0.123456789'), -TINY, fromString('5'), fromString('7')]);
    expect(capitalEvents.list()[2]).toMatchObject({ note: 'rounding', venueRef: null });
  });

  it('records a venue-referenced event once and refuses impossible amounts', () => {
    const { capitalEvents } = repos();
    const deposit = { kind: 'deposit' as const, amount: fromString('100'), currency: 'USD', tsEvent: T0, dayKey: '2025-01-01', venueRef: 'L4UESK-KG3EQ-UFO4T5', recordedAt: T0 };
    const id = capitalEvents.record(deposit);
    expect(capitalEvents.record(deposit)).toBeUndefined();
    expect(() => capitalEvents.record({ ...deposit, amount: fromString('101') })).toThrow(/already recorded as deposit 100 USD/);
    expect(capitalEvents.byVenueRef('L4UESK-KG3EQ-UFO4T5')).toEqual({ id, ...deposit, note: null });
    expect(() => capitalEvents.record({ ...deposit, venueRef: null, amount: fromString('-1') })).toThrow(/deposit amount must be positive/);
    expect(() => capitalEvents.record({ ...deposit, venueRef: null, kind: 'adjustment', amount: 0n })).toThrow(/non-zero/);
  });
});

describe('scanResults', () => {
  it('records scans, marks signals and reports the extent', () => {
    const { scanResults } = repos();
    const id = scanResults.insert({ scannedAt: T0, symbol: 'BTC/USD', price: BIG, spread: fromString('0.0001'), signalGenerated: false });
    scanResults.insert({ scannedAt: T0 + 300_000, symbol: 'ETH/USD', price: null, spread: null, signalGenerated: false });
    expect(scanResults.markSignal(id, 'BUY', 0.8)).toBe(true);
    expect(scanResults.list({ symbol: 'BTC/USD' })).toEqual([
      { id, scannedAt: T0, symbol: 'BTC/USD', price: BIG, spread: fromString('0.0001'), signalGenerated: true, signalAction: 'BUY', signalConfidence: 0.8 },
    ]);
    expect(scanResults.stats()).toEqual({ count: 2, firstAt: T0, lastAt: T0 + 300_000 });
    expect(scanResults.countSince(T0 + 1)).toBe(1);
    expect(scanResults.deleteBefore(T0 + 1)).toBe(1);
    expect(scanResults.stats()).toEqual({ count: 1, firstAt: T0 + 300_000, lastAt: T0 + 300_000 });
  });
});

describe('feeSchedule', () => {
  it('returns the newest rates per pair and prunes old checks but never the newest', () => {
    const { feeSchedule } = repos();
    const row = { symbol: 'BTC/USD', makerFee: fromString('0.0025'), takerFee: fromString('0.004'), volume30d: BIG, tierVolume: fromString('0'), checkedAt: T0 };
    feeSchedule.insert(row);
    const newer = feeSchedule.insert({ ...row, makerFee: fromString('0.0016'), checkedAt: T0 + 10 });
    const eth = feeSchedule.insert({ ...row, symbol: 'ETH/USD', volume30d: null, tierVolume: null, checkedAt: T0 - 100 });
    expect(feeSchedule.latest('BTC/USD')).toEqual({ ...row, id: newer, makerFee: fromString('0.0016'), checkedAt: T0 + 10 });
    expect(feeSchedule.latestAll().map((f) => f.id)).toEqual([newer, eth]);
    expect(feeSchedule.deleteBefore(T0 + 100)).toBe(1); // only BTC's older check; ETH's only row is kept
    expect(feeSchedule.latestAll().map((f) => f.id)).toEqual([newer, eth]);
    expect(feeSchedule.latest('SOL/USD')).toBeUndefined();
  });
});
