import { describe, expect, it } from 'vitest';
import { appendTick, packHistory, prepareLoad, prepareNotices, prepareTick, withoutCandles } from '../../../strategies/sandbox/host/inputs.ts';
import { LIMITS, PORTFOLIO, candle, candles, tickAt } from './support.ts';

const caps = { '5m': 10, '1h': 10, '1d': 10 } as const;
const base = { version: 'v1', code: 'export function analyze() { return []; }', limits: LIMITS, symbols: ['BTC/USD'], history: {} };

describe('load input', () => {
  it('copies the history, trimmed to the caps, and packs candles as arrays', () => {
    const r = prepareLoad({ ...base, history: { 'BTC/USD': { '5m': candles(0, 15) } } }, caps);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kept = r.value.history.get('BTC/USD')!['5m'];
    expect(kept.map((c) => c.tsOpen / 300_000)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(packHistory(r.value.history)['BTC/USD']!['5m']![0]).toEqual([1_500_000, 100, 101, 99, 100, 10]);
    expect(r.value.hasState).toBe(false);
  });

  it.each([
    [{ version: '' }, 'version: must be a string of 1 to 200 characters'],
    [{ code: '  ' }, 'code: must be the non-empty JavaScript source of the strategy module'],
    [{ symbols: ['BTC/USD', 'BTC/USD'] }, 'symbols: must not repeat a symbol'],
    [{ symbols: ['btc'] }, 'symbols: [0]: must be a pair like "BTC/USD" (A-Z, 0-9, one "/"), got "btc"'],
    [{ history: { 'ETH/USD': {} } }, 'history: "ETH/USD" is not one of the symbols (BTC/USD)'],
    [{ history: { 'BTC/USD': { '4h': [] } } }, 'history.BTC/USD: unknown timeframe "4h"; allowed: 5m, 1h, 1d'],
    [{ state: 10n }, 'state: must be a JSON value (a prior getState() result)'],
  ] as const)('refuses %o', (over, reason) => {
    const r = prepareLoad({ ...base, ...over } as never, caps);
    expect(r).toEqual({ ok: false, reason });
  });

  it('catches wrong-timeframe history (5m candles given as 1h)', () => {
    const r = prepareLoad({ ...base, history: { 'BTC/USD': { '1h': [candle(1)] } } }, caps);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^history\.BTC\/USD\.1h: .*aligned to 1h/);
  });

  it('refuses limits that break the predecessor rules', () => {
    const r = prepareLoad({ ...base, limits: { ...LIMITS, maxTradePct: 0.5 } }, caps);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^limits: .*maxTradePct/);
  });
});

describe('tick input', () => {
  const loaded = () => {
    const r = prepareLoad({ ...base, history: { 'BTC/USD': { '5m': candles(0, 3) } } }, caps);
    if (!r.ok) throw new Error(r.reason);
    return r.value.history;
  };

  it('packs the new candles and the portfolio', () => {
    const r = prepareTick(tickAt(3, ['BTC/USD']), loaded());
    expect(r.ok && r.value).toEqual([1_200_000, [['BTC/USD', 100, 0.001, 1000, 0.25, 0.4, [[900_000, 100, 101, 99, 100, 10]], 0, 0]], PORTFOLIO]);
    expect(r.ok && withoutCandles(r.value)[1]).toEqual([['BTC/USD', 100, 0.001, 1000, 0.25, 0.4, 0, 0, 0]]);
  });

  it('refuses candles that are not newer than the history', () => {
    expect(prepareTick(tickAt(2, ['BTC/USD']), loaded())).toEqual({
      ok: false,
      reason: 'markets.BTC/USD.newCandles.5m[0].tsOpen: must be after the last 5m candle already sent (600000), got 600000',
    });
  });

  it('refuses unknown symbols, bad numbers and a bad portfolio', () => {
    expect(prepareTick(tickAt(3, ['ETH/USD']), loaded())).toEqual({ ok: false, reason: 'markets: "ETH/USD" is not one of the loaded symbols (BTC/USD)' });
    const t = tickAt(3, ['BTC/USD']);
    const bad = { ...t, markets: { 'BTC/USD': { ...t.markets['BTC/USD']!, spread: 1.5 } } };
    const r = prepareTick(bad, loaded());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^markets\.BTC\/USD: spread/);
    const r2 = prepareTick({ ...t, portfolio: { ...PORTFOLIO, feesToday: -1 } }, loaded());
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.reason).toMatch(/^portfolio: feesToday/);
  });

  it('appends to the kept history, trimming in slabs past cap + cap/8', () => {
    const history = loaded();
    for (let i = 3; i < 12; i++) appendTick(history, tickAt(i, ['BTC/USD']), caps);
    // 12 candles: above 10 + 10/8 = 11, trimmed back to the newest 10.
    expect(history.get('BTC/USD')!['5m'].map((c) => c.tsOpen / 300_000)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('notices', () => {
  it('accepts fills and closes of loaded symbols, refuses the rest', () => {
    const history = new Map([['BTC/USD', { '5m': [], '1h': [], '1d': [] }]]);
    const fill = { type: 'fill', symbol: 'BTC/USD', action: 'BUY', qty: 0.1, price: 100, intent: 'DAY', tag: 't1' } as const;
    expect(prepareNotices([fill], history)).toEqual({ ok: true, value: [fill] });
    expect(prepareNotices([{ ...fill, symbol: 'ETH/USD' }], history)).toEqual({ ok: false, reason: 'events[0].symbol: "ETH/USD" is not one of the loaded symbols' });
    const r = prepareNotices([{ ...fill, qty: -1 }], history);
    expect(r.ok).toBe(false);
  });
});
