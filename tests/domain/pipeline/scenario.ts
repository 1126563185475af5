/**
 * Random scenarios for the pipeline's property tests: two markets moving by random walks (with
 * missing candles), random limits, and random — often invalid — strategy output at every step.
 */
import fc from 'fast-check';
import type { RiskLimits } from '../../../domain/contract/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import { type Fixed, mul } from '../../../domain/money/index.ts';
import {
  type PipelineConfig,
  type PipelineEvent,
  type PipelineState,
  advanceMarket,
  applyDecision,
  markEquity,
  priceFixed,
} from '../../../domain/pipeline/index.ts';
import { M5, fresh } from './support.ts';

const SYMBOLS = ['BTC/USD', 'ETH/USD'];
/** 2024-01-01 23:00 UTC: runs of up to 24 steps cross into the next day about half the time. */
const START = Date.UTC(2024, 0, 1, 23, 0);

const limitsArb: fc.Arbitrary<Partial<RiskLimits>> = fc
  .record({
    maxPositions: fc.integer({ min: 1, max: 4 }),
    maxDailyTrades: fc.integer({ min: 1, max: 8 }),
    maxTradePct: fc.double({ min: 0.02, max: 0.9, noNaN: true }),
    extraPositionPct: fc.double({ min: 0, max: 1, noNaN: true }),
    maxDrawdownPct: fc.double({ min: 0.002, max: 0.2, noNaN: true }),
    maxDailyLossPct: fc.double({ min: 0.002, max: 0.2, noNaN: true }),
    rollbackDailyLossPct: fc.double({ min: 0.002, max: 0.3, noNaN: true }),
    rollbackConsecutiveLosses: fc.integer({ min: 1, max: 5 }),
    dailyLossIncludesUnrealized: fc.boolean(),
  })
  .map(({ extraPositionPct, ...l }) => ({ ...l, maxPositionPct: Math.min(1, l.maxTradePct + extraPositionPct), defaultTradePct: l.maxTradePct }));

/** One market move: a return, the wick sizes, and whether the candle is missing. */
const moveArb = fc.record({
  ret: fc.double({ min: -0.15, max: 0.15, noNaN: true }),
  up: fc.double({ min: 0, max: 0.04, noNaN: true }),
  down: fc.double({ min: 0, max: 0.04, noNaN: true }),
  missing: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
});

const tagArb = fc.constantFrom('a', 'b', 'bt_BTCUSD_001', 'bt_ETHUSD_001');

/**
 * A strategy signal relative to the market: prices as multiples of the current price, a BUY's
 * size as a multiple of maxTradePct (so most pass the size check, some do not). Valid more often
 * than not; `fc.anything()` stands for arbitrary garbage.
 */
const signalArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    action: fc.constant('BUY'),
    symbol: fc.constantFrom(...SYMBOLS),
    size: fc.double({ min: 0.0001, max: 1.2, noNaN: true }),
    limit: fc.option(fc.double({ min: 0.96, max: 1.03, noNaN: true }), { nil: undefined }),
    stop: fc.option(fc.double({ min: 0.9, max: 0.999, noNaN: true }), { nil: undefined }),
    target: fc.option(fc.double({ min: 1.04, max: 1.2, noNaN: true }), { nil: undefined }),
    tag: fc.option(tagArb, { nil: undefined }),
  }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('SELL'), symbol: fc.constantFrom(...SYMBOLS), size: fc.double({ min: 0.0001, max: 1, noNaN: true }), limit: fc.option(fc.double({ min: 0.95, max: 1.1, noNaN: true }), { nil: undefined }), tag: fc.option(tagArb, { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('CLOSE'), symbol: fc.constantFrom(...SYMBOLS), limit: fc.option(fc.double({ min: 0.95, max: 1.1, noNaN: true }), { nil: undefined }), tag: fc.option(tagArb, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('MODIFY'), symbol: fc.constantFrom(...SYMBOLS), tag: tagArb, stop: fc.double({ min: 0.5, max: 1.2, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.anything() },
);

type SignalSpec = Record<string, unknown>;

/** Turns a relative spec into a raw signal (raw: the parser decides what is valid). */
function rawSignal(spec: unknown, prices: Record<string, number>, maxTradePct: number): unknown {
  if (typeof spec !== 'object' || spec === null || !('action' in spec)) return spec;
  const s = spec as SignalSpec;
  const p = prices[s.symbol as string] ?? 100;
  const round = (x: number): number => Math.round(x * 100) / 100;
  const out: SignalSpec = { action: s.action, symbol: s.symbol };
  if (s.size !== undefined) out.size = s.action === 'BUY' ? Math.min(1, (s.size as number) * maxTradePct) : s.size;
  if (s.tag !== undefined) out.tag = s.tag;
  if (s.limit !== undefined) {
    out.orderType = 'LIMIT';
    out.limitPrice = round(p * (s.limit as number));
  }
  if (s.action === 'BUY' && s.stop !== undefined) out.stopLoss = round(p * (s.stop as number));
  if (s.action === 'BUY' && s.target !== undefined) out.takeProfit = round(p * (s.target as number));
  if (s.action === 'MODIFY') out.stopLoss = round(p * (s.stop as number));
  return out;
}

/** A scenario: limits and up to 24 steps of market moves and strategy output. */
export const scenarioArb = fc.record({
  limits: limitsArb,
  steps: fc.array(fc.record({ moves: fc.tuple(moveArb, moveArb), signals: fc.array(signalArb, { maxLength: 3 }) }), { minLength: 4, maxLength: 24 }),
});
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Plays a scenario; `visit` sees every call's events and resulting state. `exact` marks and evaluates after every call. */
export function play(
  scenario: Scenario,
  config: PipelineConfig,
  visit: (kind: 'market' | 'decision', before: PipelineState, events: readonly PipelineEvent[], after: PipelineState) => void,
  exact = false,
): PipelineState {
  let state = fresh(config, '1000', START);
  const closes = [100, 2000];
  scenario.steps.forEach((st, k) => {
    const tsOpen = START + k * M5;
    const candles: (Candle | null)[] = st.moves.map((m, i) => {
      if (m.missing) return null;
      const open = closes[i]!;
      const close = Math.max(0.01, Math.round(open * (1 + m.ret) * 100) / 100);
      const c = { tsOpen, open, high: Math.round(Math.max(open, close) * (1 + m.up) * 100) / 100, low: Math.max(0.01, Math.round(Math.min(open, close) * (1 - m.down) * 100) / 100), close, volume: 1 };
      closes[i] = close;
      return c;
    });
    let before = state;
    let r = advanceMarket(state, config, { nowMs: tsOpen + M5, candles });
    if (exact) {
      const m = markEquity(r.state, config, tsOpen + M5);
      r = { state: m.state, events: [...r.events, ...m.events] };
    }
    visit('market', before, r.events, r.state);
    state = r.state;
    before = state;
    const prices: Record<string, number> = {};
    state.marks.forEach((m, i) => m && (prices[SYMBOLS[i]!] = m.close));
    let d = applyDecision(state, config, { nowMs: tsOpen + M5, output: st.signals.map((s) => rawSignal(s, prices, config.limits.maxTradePct)) });
    if (exact) {
      const m = markEquity(d.state, config, tsOpen + M5);
      d = { ...d, state: m.state, events: [...d.events, ...m.events] };
    }
    visit('decision', before, d.events, d.state);
    state = d.state;
  });
  return state;
}

/** Exact equity at the marks (positions without a mark at their last fill). */
export function equityOf(state: PipelineState, config: PipelineConfig): Fixed {
  let total = state.ledger.cash;
  for (const p of state.ledger.positions) {
    const mark = state.marks[config.indexOf.get(p.symbol)!];
    total += mul(p.qty, mark ? priceFixed(mark.close) : p.lastPrice);
  }
  return total;
}

