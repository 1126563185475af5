import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuySignal, RiskLimits, Signal } from '../../../domain/contract/index.ts';
import { type Fixed, fromNumber } from '../../../domain/money/index.ts';
import { RISK_CHECKS, type RiskCheckName, type RiskContext, type RiskState, checkSignal } from '../../../domain/risk/index.ts';
import { runs } from '../../support/runs.ts';
import { NOW, TZ, buy, stateOf } from './support.ts';

// Values sit on coarse decimal grids (cents, 4-decimal fractions, 8-decimal quantities), so every
// product is exact at 18 decimals and the oracle below can compare exact products (36 decimals)
// without sharing any rounding with the implementation.
const S = 10n ** 18n;
const cents = (min: number, max: number) => fc.integer({ min, max }).map((c): Fixed => BigInt(c) * 10n ** 16n);
const bp = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 10_000);
const rarely = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'] as const;
/** Mostly `usual`, sometimes `any`: keeps approvals frequent while every check still gets hit. */
const mostly = <T>(usual: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: any, weight: 1 });

const limitsArb: fc.Arbitrary<RiskLimits> = fc
  .record({
    maxPositionPct: mostly(fc.integer({ min: 1000, max: 10_000 }).map((n) => n / 10_000), bp),
    maxPositions: mostly(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 1, max: 8 })),
    maxDailyLossPct: mostly(fc.integer({ min: 500, max: 10_000 }).map((n) => n / 10_000), bp),
    maxDailyTrades: mostly(fc.integer({ min: 10, max: 30 }), fc.integer({ min: 1, max: 30 })),
    maxTradePct: mostly(fc.integer({ min: 500, max: 10_000 }).map((n) => n / 10_000), bp),
    killSwitch: rarely,
    maxDrawdownPct: mostly(fc.integer({ min: 2000, max: 10_000 }).map((n) => n / 10_000), bp),
    rollbackDailyLossPct: bp,
    rollbackConsecutiveLosses: mostly(fc.integer({ min: 4, max: 10 }), fc.integer({ min: 1, max: 10 })),
    dailyLossIncludesUnrealized: fc.boolean(),
  })
  .map((l) => {
    const maxTradePct = Math.min(l.maxTradePct, l.maxPositionPct);
    return { ...l, maxTradePct, defaultTradePct: maxTradePct, defaultStopLossPct: 0.03, defaultTakeProfitPct: 0.09 };
  });

const positionsArb = fc
  .array(
    fc.record({
      symbol: fc.constantFrom(...SYMBOLS),
      qty: fc.integer({ min: 1, max: 100_000_000 }).map((u): Fixed => BigInt(u) * 10n ** 10n), // 1e-8 .. 1 base
      price: cents(1, 10_000_000), // 0.01 .. 100,000
    }),
    { maxLength: 8 },
  )
  .chain((ps) => mostly(fc.constant(ps.slice(0, 3)), fc.constant(ps)))
  .map((ps) => ps.map((p, i) => ({ tag: `p${i}`, ...p })));

const world = fc
  .record({
    limits: limitsArb,
    equity: cents(0, 5_000_000),
    startOfDay: mostly(fc.constant(-1n), cents(0, 5_000_000)), // -1: same as equity
    peak: mostly(fc.constant(0n), cents(0, 8_000_000)),
    realized: mostly(cents(-10_000, 500_000), cents(-1_000_000, 500_000)),
    entriesToday: mostly(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })),
    consecutiveLosses: mostly(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 10 })),
    halted: rarely,
    killSwitch: rarely,
    positions: positionsArb,
    size: mostly(fc.integer({ min: 1, max: 500 }).map((n) => n / 10_000), bp),
    symbol: fc.constantFrom(...SYMBOLS),
    tagPick: fc.integer({ min: -2, max: 8 }),
  })
  .map((w) => {
    const state: RiskState = stateOf('0', {
      equity: w.equity,
      startOfDayEquity: w.startOfDay < 0n ? w.equity : w.startOfDay,
      peakEquity: w.peak > w.equity ? w.peak : w.equity,
      realizedPnlToday: w.realized,
      entriesToday: w.entriesToday,
      consecutiveLosses: w.consecutiveLosses,
      halt: w.halted ? { kind: 'operator', reason: 'test', sinceMs: NOW } : null,
      killSwitch: w.killSwitch,
    });
    // tagPick: -2 none, -1 a new tag, 0..n an existing tag (possibly of another symbol).
    const existing = w.positions[w.tagPick];
    const tag = w.tagPick === -1 ? 'fresh' : existing?.tag;
    const signal = buy(w.size, { symbol: w.symbol, ...(tag === undefined ? {} : { tag }) });
    const ctx: RiskContext = { nowMs: NOW, timeZone: TZ, equity: w.equity, positions: w.positions };
    return { limits: w.limits, state, signal, ctx };
  });

/** The checks a BUY violates, in order, restated from predecessor §4.1 with our fixes, in exact arithmetic. */
function violations(signal: BuySignal, state: RiskState, limits: RiskLimits, ctx: RiskContext): RiskCheckName[] {
  const f = (x: number): bigint => fromNumber(x);
  const equity = ctx.equity;
  const peak = state.peakEquity > equity ? state.peakEquity : equity;
  const base = state.startOfDayEquity > 0n ? state.startOfDayEquity : equity;
  const pnl = limits.dailyLossIncludesUnrealized ? equity - base : state.realizedPnlToday;
  const isNew = signal.tag === undefined || !ctx.positions.some((p) => p.tag === signal.tag && p.symbol === signal.symbol);
  const held = ctx.positions.filter((p) => p.symbol === signal.symbol).reduce((a, p) => a + p.qty * p.price, 0n); // scale 1e36
  const trade = f(signal.size) * equity; // scale 1e36
  const out: RiskCheckName[] = [];
  if (limits.killSwitch || state.killSwitch) out.push('killSwitch');
  if (state.halt !== null) out.push('halt');
  if (-pnl * S > base * f(limits.maxDailyLossPct)) out.push('dailyLoss');
  if (state.entriesToday >= limits.maxDailyTrades) out.push('dailyTrades');
  if (isNew && ctx.positions.length >= limits.maxPositions) out.push('maxPositions');
  if (signal.size <= 0 || equity <= 0n || trade > f(limits.maxTradePct) * equity) out.push('tradeSize');
  if (held + trade > f(limits.maxPositionPct) * equity) out.push('positionSize');
  if (peak > 0n && (peak - equity) * S > peak * f(limits.maxDrawdownPct)) out.push('drawdown');
  if (state.consecutiveLosses >= limits.rollbackConsecutiveLosses) out.push('consecutiveLosses');
  return out;
}

describe('risk properties', () => {
  it('any BUY that passes satisfies every limit', () => {
    let passed = 0;
    fc.assert(
      fc.property(world, ({ limits, state, signal, ctx }) => {
        if (!checkSignal(signal, state, limits, ctx).ok) return;
        passed++;
        const f = (x: number): bigint => fromNumber(x);
        const equity = ctx.equity;
        const trade = f(signal.size) * equity;
        const held = ctx.positions.filter((p) => p.symbol === signal.symbol).reduce((a, p) => a + p.qty * p.price, 0n);
        const isNew = signal.tag === undefined || !ctx.positions.some((p) => p.tag === signal.tag && p.symbol === signal.symbol);
        const peak = state.peakEquity > equity ? state.peakEquity : equity;
        const base = state.startOfDayEquity > 0n ? state.startOfDayEquity : equity;
        const pnl = limits.dailyLossIncludesUnrealized ? equity - base : state.realizedPnlToday;
        expect(limits.killSwitch || state.killSwitch).toBe(false);
        expect(state.halt).toBeNull();
        expect(state.entriesToday + 1).toBeLessThanOrEqual(limits.maxDailyTrades); // after this entry
        if (isNew) expect(ctx.positions.length + 1).toBeLessThanOrEqual(limits.maxPositions); // average-ins are exempt
        expect(equity > 0n && signal.size > 0).toBe(true);
        expect(trade <= f(limits.maxTradePct) * equity).toBe(true);
        expect(held + trade <= f(limits.maxPositionPct) * equity).toBe(true);
        expect(-pnl * S <= base * f(limits.maxDailyLossPct)).toBe(true);
        expect((peak - equity) * S <= peak * f(limits.maxDrawdownPct)).toBe(true);
        expect(state.consecutiveLosses).toBeLessThan(limits.rollbackConsecutiveLosses);
      }),
      { numRuns: runs(1000) },
    );
    expect(passed).toBeGreaterThan(runs(1000) / 20);
  });

  it('a denied BUY names the first violated check in order; no violation means ok', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(world, ({ limits, state, signal, ctx }) => {
        const expected = violations(signal, state, limits, ctx);
        const decision = checkSignal(signal, state, limits, ctx);
        seen.add(decision.ok ? 'ok' : decision.check);
        if (expected.length === 0) expect(decision).toEqual({ ok: true });
        else expect(decision).toMatchObject({ ok: false, check: expected[0] });
      }),
      { numRuns: runs(2000) },
    );
    // The generator reaches every check and approvals too.
    expect([...seen].sort()).toEqual([...RISK_CHECKS, 'ok'].sort());
  });

  it('exits (SELL, CLOSE, MODIFY) always pass, whatever the state, limits or day', () => {
    const exit: fc.Arbitrary<Signal> = fc.oneof(
      fc.record({ action: fc.constant('SELL' as const), symbol: fc.constantFrom(...SYMBOLS), size: bp, orderType: fc.constantFrom('MARKET' as const, 'LIMIT' as const), confidence: fc.constant(0.5), reasoning: fc.constant('') }),
      fc.record({ action: fc.constant('CLOSE' as const), symbol: fc.constantFrom(...SYMBOLS), orderType: fc.constant('MARKET' as const), confidence: fc.constant(0.5), reasoning: fc.constant('') }),
      fc.record({ action: fc.constant('MODIFY' as const), symbol: fc.constantFrom(...SYMBOLS), tag: fc.constant('p0'), stopLoss: fc.constant(1), confidence: fc.constant(0.5), reasoning: fc.constant('') }),
    );
    fc.assert(
      fc.property(world, exit, fc.constantFrom('1999-01-01', '2024-07-01'), ({ limits, state, ctx }, signal, dayKey) => {
        expect(checkSignal(signal, { ...state, dayKey, killSwitch: true, halt: { kind: 'drawdown', reason: 'x', sinceMs: 0 } }, { ...limits, killSwitch: true }, ctx)).toEqual({ ok: true });
        expect(checkSignal(signal, state, limits, ctx)).toEqual({ ok: true });
      }),
      { numRuns: runs(1000) },
    );
  });
});
