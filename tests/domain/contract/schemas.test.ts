import { describe, expect, it } from 'vitest';
import {
  type Portfolio,
  RISK_LIMIT_KEYS,
  type RiskLimits,
  type SymbolData,
  parsePortfolio,
  parseRiskLimits,
  parseSymbolData,
} from '../../../domain/contract/index.ts';

/** The predecessor's HEAD risk_limits.toml defaults (predecessor §1.2) in our field names, plus our new switch. */
const HEAD_LIMITS: RiskLimits = {
  maxPositionPct: 0.25,
  maxPositions: 18,
  maxDailyLossPct: 0.1,
  maxDailyTrades: 20,
  maxTradePct: 0.1,
  defaultTradePct: 0.06,
  defaultStopLossPct: 0.03,
  defaultTakeProfitPct: 0.09,
  killSwitch: false,
  maxDrawdownPct: 0.4,
  rollbackDailyLossPct: 0.15,
  rollbackConsecutiveLosses: 999,
  dailyLossIncludesUnrealized: true,
};

describe('RiskLimits', () => {
  it('accepts the predecessor defaults and has exactly the agreed field names', () => {
    expect(parseRiskLimits(HEAD_LIMITS)).toEqual({ ok: true, value: HEAD_LIMITS });
    expect([...RISK_LIMIT_KEYS].sort()).toEqual(Object.keys(HEAD_LIMITS).sort());
  });
  it('names each bad field, the allowed range and the value', () => {
    expect(parseRiskLimits({ ...HEAD_LIMITS, maxTradePct: 0 })).toEqual({ ok: false, reason: 'maxTradePct: must be > 0, got 0' });
    expect(parseRiskLimits({ ...HEAD_LIMITS, maxPositions: 2.5 })).toEqual({ ok: false, reason: 'maxPositions: must be an integer, got 2.5' });
    expect(parseRiskLimits({ ...HEAD_LIMITS, maxDrawdownPct: 40 })).toEqual({ ok: false, reason: 'maxDrawdownPct: must be ≤ 1, got 40' });
    expect(parseRiskLimits({ ...HEAD_LIMITS, maxLeverage: 1 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^unknown field "maxLeverage"; allowed: maxPositionPct, /) });
    const { killSwitch: _k, ...noKill } = HEAD_LIMITS;
    expect(parseRiskLimits(noKill)).toEqual({ ok: false, reason: 'killSwitch: is required for RiskLimits' });
  });
  it('enforces defaultTradePct ≤ maxTradePct ≤ maxPositionPct (predecessor cross-field rules)', () => {
    expect(parseRiskLimits({ ...HEAD_LIMITS, maxTradePct: 0.3 })).toEqual({
      ok: false,
      reason: 'maxTradePct: must be ≤ maxPositionPct (0.25), got 0.3',
    });
    expect(parseRiskLimits({ ...HEAD_LIMITS, defaultTradePct: 0.12 })).toEqual({
      ok: false,
      reason: 'defaultTradePct: must be ≤ maxTradePct (0.1), got 0.12',
    });
  });
});

const DAY = 86_400_000;
const H = 3_600_000;
const FIVE = 300_000;
const candle = (tsOpen: number, close = 100) => ({ tsOpen, open: 100, high: Math.max(101, close), low: Math.min(99, close), close, volume: 5 });

const symbolData = (): SymbolData => ({
  symbol: 'BTC/USD',
  price: 100,
  spread: 0.001,
  volume24h: 1234.5,
  makerFeePct: 0.25,
  takerFeePct: 0.4,
  candles5m: [candle(1_700_000_100_000 - (1_700_000_100_000 % FIVE)), candle(1_700_000_100_000 - (1_700_000_100_000 % FIVE) + FIVE)],
  candles1h: [candle(1_699_999_200_000)],
  candles1d: [candle(1_699_920_000_000)],
});

describe('SymbolData', () => {
  it('accepts a well-formed market', () => {
    const d = symbolData();
    expect(parseSymbolData(d)).toEqual({ ok: true, value: d });
  });
  it('catches wrong-timeframe candles, disorder and impossible OHLC', () => {
    // 5m candles passed as 1h (the predecessor's scan did that when 1h history was empty).
    const d = symbolData();
    expect(parseSymbolData({ ...d, candles1h: d.candles5m })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^candles1h\[\d\]\.tsOpen: must be aligned to 1h \(a multiple of 3600000 ms\)/),
    });
    const t = 1_699_920_000_000;
    expect(parseSymbolData({ ...d, candles1d: [candle(t + DAY), candle(t)] })).toEqual({
      ok: false,
      reason: `candles1d[1].tsOpen: must be after the previous candle's ${t + DAY} (oldest first), got ${t}`,
    });
    expect(parseSymbolData({ ...d, candles1h: [{ tsOpen: 1_699_999_200_000, open: 100, high: 99, low: 98, close: 100, volume: 1 }] })).toEqual({
      ok: false,
      reason: 'candles1h[0]: needs low ≤ open, close ≤ high, got open 100 high 99 low 98 close 100',
    });
    expect(parseSymbolData({ ...d, takerFeePct: 40 })).toEqual({ ok: false, reason: 'takerFeePct: must be ≤ 10, got 40' });
    expect(parseSymbolData({ ...d, candles1h: [candle(H * 400_000)].map((c) => ({ ...c, volume: -1 })) })).toEqual({
      ok: false,
      reason: 'candles1h[0].volume: must be ≥ 0, got -1',
    });
  });
});

describe('Portfolio', () => {
  const position = {
    tag: 'auto_BTCUSD_001',
    symbol: 'BTC/USD',
    side: 'long' as const,
    qty: 0.001,
    avgEntry: 50_000,
    currentPrice: 51_000,
    unrealizedPnl: 1,
    unrealizedPnlPct: 0.02,
    intent: 'DAY' as const,
    stopLoss: 49_000,
    takeProfit: null,
    openedAt: 1_700_000_000_000,
  };
  const portfolio: Portfolio = {
    cash: 149,
    totalValue: 200,
    positions: [position],
    recentTrades: [],
    dailyPnl: -1.5,
    totalPnl: 0,
    feesToday: 0.2,
  };
  it('accepts a well-formed portfolio', () => {
    expect(parsePortfolio(portfolio)).toEqual({ ok: true, value: portfolio });
  });
  it('rejects duplicate tags and malformed positions', () => {
    expect(parsePortfolio({ ...portfolio, positions: [position, position] })).toEqual({
      ok: false,
      reason: 'positions[1].tag: must be unique among open positions, got "auto_BTCUSD_001" twice',
    });
    expect(parsePortfolio({ ...portfolio, positions: [{ ...position, side: 'short' }] })).toMatchObject({
      ok: false,
      reason: 'positions[0].side: must be one of long, got "short"',
    });
  });
});
