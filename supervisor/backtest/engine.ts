/**
 * The backtest engine: one window of history on a simulated clock, through the same pipeline as
 * paper and live (domain/pipeline) and the same strategy port (any `StrategyRunner`).
 *
 * Per step (the close time of the next 5m candle of any symbol): `advanceMarket` (exits, resting
 * LIMIT fills, marks, triggers) → fills reported to the strategy → `analyze` with the candles
 * that closed since the last call (5m, and 1h/1d buckets that ended by now) and the portfolio →
 * `applyDecision`. Every 5m close is a decision (for a strategy with `scanIntervalMinutes` 5;
 * a longer interval is honoured as live mode would, on UTC-aligned multiples).
 *
 * Deterministic: no clock, no randomness (the runner seeds the strategy's); the same spec gives
 * the same events. Imports only domain/ (the pipeline, the strategy port) and this folder's
 * causal views and collector, so it could run wherever a runner does.
 */
import { type Candle, TIMEFRAME_MS, type Timeframe, aggregate, bucketStart } from '../../domain/market/index.ts';
import type { Portfolio } from '../../domain/contract/index.ts';
import type { FeeRatesPct } from '../../domain/execution/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import {
  type PipelineConfig,
  type PipelineEvent,
  type PipelineSettings,
  type PipelineState,
  advanceMarket,
  applyDecision,
  approx,
  closeBooks,
  createPipelineConfig,
  createPipelineState,
  feeRatesFor,
  portfolioView,
} from '../../domain/pipeline/index.ts';
import type { StrategyCallResult, StrategyDecision, StrategyNotice, StrategyRunner, StrategyTick, TickMarket } from '../../domain/ports/index.ts';
import { CausalAggregator, RollingVolume } from './causal.ts';
import { RunCollector } from './collect.ts';

const STEP_MS = TIMEFRAME_MS['5m'];
/** No new candles (shared, never written). */
const NONE: readonly Candle[] = Object.freeze([]);

/** One backtest window. */
export interface BacktestSpec {
  readonly symbols: readonly string[];
  /** 5m candles per symbol, oldest first, strictly increasing and aligned; those before `fromMs` serve as warm-up history. */
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
  /** Window start (inclusive, candle open times), ms since epoch, UTC; a multiple of 5 minutes. */
  readonly fromMs: number;
  /** Window end (exclusive, candle open times). */
  readonly toMs: number;
  /** How far before `fromMs` candles are handed to the strategy as history on load, ms. */
  readonly warmupMs: number;
  /** Pipeline settings; `markets` in `symbols` order. */
  readonly settings: PipelineSettings;
  readonly startingCapital: Fixed;
  readonly strategy: { readonly version: string; readonly code: string };
}

/** Optional instrumentation. */
export interface BacktestHooks {
  /** Called with the number of steps done (about every 1024 steps, and at the end). */
  onProgress?(stepsDone: number, stepsTotal: number): void;
  /** Awaited after every step (e.g. to yield to the event loop in a soak). */
  afterStep?(nowMs: number): void | Promise<void>;
  /** When set, each step's wall time (market + strategy + decision) is recorded with this clock, in ms. */
  clock?: () => number;
}

/** What a window produced: the collector's raw material for the report. */
export interface BacktestRun {
  readonly spec: BacktestSpec;
  readonly config: PipelineConfig;
  readonly state: PipelineState;
  readonly collector: RunCollector;
  /** Close time of the last step (or `fromMs` when the window had no candles). */
  readonly endMs: number;
  readonly steps: number;
  readonly decisions: number;
  /** Candles processed in the window, per symbol. */
  readonly candleCounts: Readonly<Record<string, number>>;
  /** Per-step latencies in ms when `hooks.clock` was given. */
  readonly latencies: Float64Array | null;
  /** The strategy failed to load: nothing ran. */
  readonly loadFailure: string | null;
}

/**
 * A runner that can answer without a promise round trip (the in-process runner): when a runner
 * has `analyzeNow` / `notifyNow`, the engine calls them and awaits only what returns a promise.
 * Such a runner must read the tick during the call and keep no reference to it: the engine reuses
 * the tick's objects from one step to the next (a runner with only `analyze` gets fresh copies).
 */
export interface SynchronousAnalyze {
  analyzeNow(tick: StrategyTick): StrategyCallResult<StrategyDecision> | Promise<StrategyCallResult<StrategyDecision>>;
  notifyNow(events: readonly StrategyNotice[]): StrategyCallResult<void> | Promise<StrategyCallResult<void>>;
}

/** Thrown for an unusable spec (misaligned window, unsorted candles): a caller bug, named precisely. */
export class BacktestSpecError extends Error {
  override readonly name = 'BacktestSpecError';
}

/**
 * Candle lists already found aligned and strictly increasing. The lists are readonly by contract,
 * so a list checked once need not be walked again by the next window of the same request (a
 * walk-forward runs 2N + 1 windows over the same lists; each walk touches every candle).
 */
const checkedLists = new WeakSet<readonly Candle[]>();

function checkSpec(spec: BacktestSpec): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(spec.fromMs) || spec.fromMs % STEP_MS !== 0) problems.push(`fromMs must be a multiple of 5 minutes, got ${spec.fromMs}`);
  if (!Number.isSafeInteger(spec.toMs) || spec.toMs <= spec.fromMs) problems.push(`toMs must be an integer after fromMs (${spec.fromMs}), got ${spec.toMs}`);
  if (!Number.isSafeInteger(spec.warmupMs) || spec.warmupMs < 0) problems.push(`warmupMs must be an integer ≥ 0, got ${spec.warmupMs}`);
  if (spec.settings.markets.map((m) => m.symbol).join() !== spec.symbols.join()) problems.push(`settings.markets (${spec.settings.markets.map((m) => m.symbol).join(', ')}) must list the symbols in order (${spec.symbols.join(', ')})`);
  for (const symbol of spec.symbols) {
    const list = spec.candles[symbol] ?? [];
    if (checkedLists.has(list)) continue;
    let sound = true;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.tsOpen % STEP_MS !== 0 || (i > 0 && c.tsOpen <= list[i - 1]!.tsOpen)) {
        problems.push(`${symbol} candle ${i} (tsOpen ${c.tsOpen}) must be aligned to 5m and after the previous one`);
        sound = false;
        break;
      }
    }
    if (sound) checkedLists.add(list);
  }
  if (problems.length > 0) throw new BacktestSpecError(`invalid backtest spec: ${problems.join('; ')}`);
}

/** Index of the first candle with tsOpen ≥ ms (binary search). */
export function lowerBound(list: readonly Candle[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.tsOpen < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Warm-up history for `runner.load`: 5m candles from `fromMs − warmupMs` (snapped down to a UTC
 * day, so no 1d bucket is cut short) up to `fromMs`, and the 1h/1d buckets complete by `fromMs`.
 * Shared with the runtime (paper replay loads the same history as a backtest of the same window).
 */
export function warmupHistory(
  symbols: readonly string[],
  candles: Readonly<Record<string, readonly Candle[]>>,
  fromMs: number,
  warmupMs: number,
): Record<string, Partial<Record<Timeframe, readonly Candle[]>>> {
  const out: Record<string, Partial<Record<Timeframe, readonly Candle[]>>> = {};
  const warmStart = warmupMs === 0 ? fromMs : bucketStart(fromMs - warmupMs, '1d');
  for (const symbol of symbols) {
    const list = candles[symbol] ?? [];
    const warm = list.slice(lowerBound(list, warmStart), lowerBound(list, fromMs));
    const coarse = (tf: '1h' | '1d'): Candle[] =>
      aggregate(warm, '5m', tf, { closedAtMs: fromMs }).buckets.filter((b) => b.complete && b.candle.tsOpen + TIMEFRAME_MS[tf] <= fromMs).map((b) => b.candle);
    out[symbol] = { '5m': warm, '1h': coarse('1h'), '1d': coarse('1d') };
  }
  return out;
}

function history(spec: BacktestSpec): Record<string, Partial<Record<Timeframe, readonly Candle[]>>> {
  return warmupHistory(spec.symbols, spec.candles, spec.fromMs, spec.warmupMs);
}

/**
 * Fills and closes as the strategy's callbacks receive them. A sell reports the tag and intent of
 * the position it closed (the first one, for an untagged sell across several); a stop-loss or
 * take-profit is a CLOSE.
 */
export function strategyNotices(events: readonly PipelineEvent[], out: StrategyNotice[]): void {
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    if (e.type === 'order.filled') {
      let tag = e.tag;
      let intent: string = e.signal?.action === 'BUY' ? e.signal.intent : 'DAY';
      if (e.fill.side === 'sell') {
        const closed = events.slice(k + 1).find((x) => x.type === 'position.closed' && x.trade.symbol === e.symbol);
        if (closed && closed.type === 'position.closed') {
          tag ??= closed.trade.tag;
          intent = closed.trade.intent;
        }
      }
      const action = e.fill.side === 'buy' ? 'BUY' : e.signal?.action === 'SELL' ? 'SELL' : 'CLOSE';
      out.push({ type: 'fill', symbol: e.symbol, action, qty: approx(e.fill.qty), price: approx(e.fill.price), intent, tag: tag ?? '' });
    } else if (e.type === 'position.closed') {
      out.push({ type: 'positionClosed', symbol: e.trade.symbol, pnl: approx(e.trade.pnl), pnlPct: approx(e.trade.pnlFraction), tag: e.trade.tag });
    }
  }
}

/**
 * Runs one window: loads the strategy (with warm-up history), steps through every 5m close in
 * [fromMs, toMs), and returns the run. Strategy failures are counted, not thrown (a failed call
 * means no signals that step); a strategy that cannot load yields `loadFailure`. Throws
 * `BacktestSpecError` for an unusable spec and `PipelineConfigError` for invalid settings.
 */
export async function runBacktest(spec: BacktestSpec, runner: StrategyRunner, hooks: BacktestHooks = {}): Promise<BacktestRun> {
  checkSpec(spec);
  const config = createPipelineConfig(spec.settings);
  const collector = new RunCollector(config, spec.fromMs);
  const state = createPipelineState(config, { kind: 'fresh', startingCapital: spec.startingCapital, nowMs: spec.fromMs });
  const loaded = await runner.load({ version: spec.strategy.version, code: spec.strategy.code, limits: spec.settings.limits, symbols: spec.symbols, history: history(spec) });
  if (!loaded.ok) {
    const candleCounts: Record<string, number> = {};
    for (const s of spec.symbols) {
      const list = spec.candles[s] ?? [];
      candleCounts[s] = lowerBound(list, spec.toMs) - lowerBound(list, spec.fromMs);
    }
    return { spec, config, state, collector, endMs: spec.fromMs, steps: 0, decisions: 0, candleCounts, latencies: null, loadFailure: loaded.error.reason };
  }
  const sim = new Simulation(spec, config, state, collector, runner, hooks, loaded.value.scanIntervalMinutes * 60_000);
  for (let pending = sim.run(); pending !== null; pending = sim.run()) await pending;
  return sim.finish();
}

/**
 * The stepping itself, as a resumable synchronous loop: `run()` advances as far as it can
 * without waiting and returns a promise only when a runner call or hook answered with one (the
 * in-process runner never does). Keeping the loop out of the async function lets V8 optimise it:
 * async functions are not compiled on-stack, so a hot loop inside one stays in the interpreter.
 */
class Simulation {
  private state: PipelineState;
  private readonly n: number;
  private readonly lists: readonly (readonly Candle[])[];
  private readonly cursors: number[];
  private readonly ends: number[];
  private readonly hourly: CausalAggregator[];
  private readonly daily: CausalAggregator[];
  private readonly volumes: RollingVolume[];
  /** The candles each symbol's strategy has not received yet: `newCandles` of its reusable tick market (see `SynchronousAnalyze`). */
  private readonly pending: { '5m': readonly Candle[]; '1h': readonly Candle[]; '1d': readonly Candle[] }[];
  /** Per symbol, a one-candle array reused for the usual case of exactly one new 5m candle. */
  private readonly single: Candle[][];
  private readonly tickMarkets: { price: number; spread: number; volume24h: number; makerFeePct: number; takerFeePct: number; newCandles: Partial<Record<Timeframe, readonly Candle[]>> }[];
  private readonly tick: { nowMs: number; markets: Record<string, TickMarket>; portfolio: Portfolio };
  private priced = 0;
  /** The 30-day volume and fee tier of the last decision, and the tier's rates as numbers (percent units). */
  private feeVolume: PipelineState['feeVolume'] | null = null;
  private feeTier: FeeRatesPct | null = null;
  private makerFeePct = 0;
  private takerFeePct = 0;
  private viewOf: PipelineState | null = null;
  private readonly stepCandles: (Candle | null)[];
  private readonly feed: StrategyNotice[] = [];
  /** The runner itself where it has the synchronous fast path, else null (called as its own method: no bound wrapper in the way of inlining). */
  private readonly syncAnalyze: Pick<SynchronousAnalyze, 'analyzeNow'> | null;
  private readonly syncNotify: Pick<SynchronousAnalyze, 'notifyNow'> | null;
  private readonly stepsTotal: number;
  private readonly latencies: Float64Array | null;
  private readonly candleCounts: Record<string, number> = {};
  private nowMs = 0;
  private started = 0;
  private phase: 'next' | 'decide' | 'close' = 'next';
  private steps = 0;
  private decisions = 0;
  private endMs: number;

  constructor(
    private readonly spec: BacktestSpec,
    private readonly config: PipelineConfig,
    state: PipelineState,
    private readonly collector: RunCollector,
    private readonly runner: StrategyRunner,
    private readonly hooks: BacktestHooks,
    private readonly scanMs: number,
  ) {
    this.state = state;
    this.endMs = spec.fromMs;
    const symbols = spec.symbols;
    this.n = symbols.length;
    this.lists = symbols.map((s) => spec.candles[s] ?? []);
    this.cursors = this.lists.map((l) => lowerBound(l, spec.fromMs));
    this.ends = this.lists.map((l) => lowerBound(l, spec.toMs));
    symbols.forEach((s, i) => (this.candleCounts[s] = this.ends[i]! - this.cursors[i]!));
    this.stepsTotal = hooks.clock || hooks.onProgress ? countSteps(this.lists, this.cursors, this.ends) : 0;
    this.latencies = hooks.clock ? new Float64Array(this.stepsTotal) : null;
    const sync = runner as Partial<SynchronousAnalyze>;
    this.syncAnalyze = typeof sync.analyzeNow === 'function' ? (runner as StrategyRunner & Pick<SynchronousAnalyze, 'analyzeNow'>) : null;
    this.syncNotify = typeof sync.notifyNow === 'function' ? (runner as StrategyRunner & Pick<SynchronousAnalyze, 'notifyNow'>) : null;
    this.hourly = symbols.map(() => new CausalAggregator('1h'));
    this.daily = symbols.map(() => new CausalAggregator('1d'));
    this.volumes = symbols.map(() => new RollingVolume());
    // Seed the causal views with the candles before the window: the last 24 h of volume, and the
    // part of the running hour and day that the history (complete buckets only) did not include.
    const hourStart = bucketStart(spec.fromMs, '1h');
    const dayStart = bucketStart(spec.fromMs, '1d');
    const volumeStart = spec.fromMs - TIMEFRAME_MS['1d'];
    this.lists.forEach((list, i) => {
      for (let k = lowerBound(list, Math.min(dayStart, volumeStart)); k < this.cursors[i]!; k++) {
        const c = list[k]!;
        if (c.tsOpen >= volumeStart) this.volumes[i]!.push(c.tsOpen, c.volume);
        if (c.tsOpen >= hourStart) this.hourly[i]!.push(c);
        if (c.tsOpen >= dayStart) this.daily[i]!.push(c);
      }
    });
    this.pending = symbols.map(() => ({ '5m': NONE, '1h': NONE, '1d': NONE }));
    this.single = symbols.map(() => [null as unknown as Candle]);
    // NaN, not 0, so the fields are doubles from the start (every later write is a double); a
    // market's fields are set before it is first handed to the strategy.
    this.tickMarkets = symbols.map((_, i) => ({ price: Number.NaN, spread: config.spreadNumbers[i]!, volume24h: Number.NaN, makerFeePct: Number.NaN, takerFeePct: Number.NaN, newCandles: this.pending[i]! }));
    this.tick = { nowMs: 0, markets: {}, portfolio: portfolioView(state) };
    this.stepCandles = new Array<Candle | null>(this.n).fill(null);
  }

  /** Advances until the window ends (null) or something must be awaited (its promise; call again after). */
  run(): Promise<unknown> | null {
    for (;;) {
      if (this.phase === 'next') {
        if (!this.nextStep()) return null;
        this.market();
        this.phase = 'decide';
        if (this.feed.length > 0) {
          const told = this.notify();
          if (told instanceof Promise) return told.then((r) => this.told(r));
          this.told(told);
        }
      }
      if (this.phase === 'decide') {
        this.phase = 'close';
        if (this.nowMs % this.scanMs === 0) {
          const decided = this.analyze();
          if (decided instanceof Promise) return decided.then((r) => this.decided(r));
          this.decided(decided);
        }
      }
      this.phase = 'next';
      const after = this.closeStep();
      if (after instanceof Promise) return after;
    }
  }

  /** Picks the next close time and moves each symbol's candle into the step and the views. */
  private nextStep(): boolean {
    const { n, lists, cursors, ends, stepCandles, pending, volumes, hourly, daily, single } = this;
    let nowMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const k = cursors[i]!;
      if (k < ends[i]!) {
        const t = lists[i]![k]!.tsOpen + STEP_MS;
        if (t < nowMs) nowMs = t;
      }
    }
    if (nowMs === Number.POSITIVE_INFINITY) return false;
    this.nowMs = nowMs;
    if (this.latencies !== null) this.started = this.hooks.clock!();
    for (let i = 0; i < n; i++) {
      const k = cursors[i]!;
      const p = pending[i]!;
      if (k < ends[i]!) {
        const c = lists[i]![k]!;
        if (c.tsOpen + STEP_MS === nowMs) {
          stepCandles[i] = c;
          cursors[i] = k + 1;
          volumes[i]!.push(c.tsOpen, c.volume);
          if (p['5m'] === NONE) {
            const one = single[i]!;
            one[0] = c;
            p['5m'] = one;
          } else p['5m'] = [...p['5m'], c];
          const h = hourly[i]!.push(c);
          if (h !== null) p['1h'] = [...p['1h'], h];
          const d = daily[i]!.push(c);
          if (d !== null) p['1d'] = [...p['1d'], d];
        } else stepCandles[i] = null;
      } else stepCandles[i] = null;
      const h = hourly[i]!.completeBy(nowMs);
      if (h !== null) p['1h'] = [...p['1h'], h];
      const d = daily[i]!.completeBy(nowMs);
      if (d !== null) p['1d'] = [...p['1d'], d];
    }
    return true;
  }

  private market(): void {
    const r = advanceMarket(this.state, this.config, { nowMs: this.nowMs, candles: this.stepCandles });
    this.state = r.state;
    if (r.events.length > 0) this.absorb(r.events);
  }

  private absorb(events: readonly PipelineEvent[]): void {
    this.collector.onEvents(events);
    strategyNotices(events, this.feed);
  }

  private notify(): StrategyCallResult<void> | Promise<StrategyCallResult<void>> {
    const events = this.feed.splice(0);
    return this.syncNotify === null ? this.runner.notify(events) : this.syncNotify.notifyNow(events);
  }

  private told(r: StrategyCallResult<void>): void {
    if (!r.ok) this.collector.onStrategyError(this.nowMs, r.error);
  }

  /** Updates the reusable tick and asks the strategy. */
  private analyze(): StrategyCallResult<StrategyDecision> | Promise<StrategyCallResult<StrategyDecision>> {
    const { n, state, tick, tickMarkets } = this;
    if (state.feeVolume !== this.feeVolume) {
      // The 30-day volume changes only with a fill or when one leaves the window, and the tier
      // only when it crosses a boundary: look the rates up then, not at every step.
      this.feeVolume = state.feeVolume;
      const fees = feeRatesFor(this.config.fees, state.feeVolume.total);
      if (fees !== this.feeTier) {
        this.feeTier = fees;
        this.makerFeePct = approx(fees.makerPct);
        this.takerFeePct = approx(fees.takerPct);
      }
    }
    const { makerFeePct, takerFeePct } = this;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const mark = state.marks[i];
      if (!mark) continue;
      count++;
      const m = tickMarkets[i]!;
      m.price = mark.close;
      m.volume24h = this.volumes[i]!.at(this.nowMs);
      m.makerFeePct = makerFeePct;
      m.takerFeePct = takerFeePct;
    }
    if (count !== this.priced) {
      // A market got its first candle: the record lists the markets with a price, in order.
      const record: Record<string, TickMarket> = {};
      for (let i = 0; i < n; i++) if (state.marks[i]) record[this.spec.symbols[i]!] = tickMarkets[i]!;
      tick.markets = record;
      this.priced = count;
    }
    if (this.viewOf === null || !sameView(this.viewOf, state)) {
      tick.portfolio = portfolioView(state);
      this.viewOf = state;
    }
    tick.nowMs = this.nowMs;
    this.decisions++;
    const decided = this.syncAnalyze === null ? this.runner.analyze(freshTick(tick)) : this.syncAnalyze.analyzeNow(tick);
    // The runner has read the new candles: forget what it received (symbols without a price keep theirs).
    for (let i = 0; i < n; i++) {
      if (!state.marks[i]) continue;
      const p = this.pending[i]!;
      p['5m'] = NONE;
      p['1h'] = NONE;
      p['1d'] = NONE;
    }
    return decided;
  }

  private decided(r: StrategyCallResult<StrategyDecision>): void {
    if (!r.ok) {
      this.collector.onStrategyError(this.nowMs, r.error);
      return;
    }
    const applied = applyDecision(this.state, this.config, { nowMs: this.nowMs, output: r.value.rawSignals, regime: r.value.regime });
    this.state = applied.state;
    if (applied.events.length > 0) this.absorb(applied.events);
  }

  private closeStep(): void | Promise<void> {
    this.collector.onStep(this.state, this.stepCandles);
    if (this.latencies) this.latencies[this.steps] = this.hooks.clock!() - this.started;
    this.steps++;
    this.endMs = this.nowMs;
    if (this.hooks.onProgress && (this.steps & 1023) === 0) this.hooks.onProgress(this.steps, this.stepsTotal);
    return this.hooks.afterStep ? this.hooks.afterStep(this.nowMs) : undefined;
  }

  /** The last fills reported, the books closed, the run. */
  async finish(): Promise<BacktestRun> {
    if (this.feed.length > 0) this.told(await this.notify());
    const closed = closeBooks(this.state, this.config, Math.max(this.endMs, this.state.nowMs));
    this.state = closed.state;
    this.collector.onFinalSnapshot(closed.snapshot);
    this.hooks.onProgress?.(this.steps, this.stepsTotal);
    return {
      spec: this.spec,
      config: this.config,
      state: this.state,
      collector: this.collector,
      endMs: this.endMs,
      steps: this.steps,
      decisions: this.decisions,
      candleCounts: this.candleCounts,
      latencies: this.latencies,
      loadFailure: null,
    };
  }
}

/** A deep copy of the reusable tick, for a runner that may keep it past the call. */
function freshTick(tick: StrategyTick): StrategyTick {
  const markets: Record<string, TickMarket> = {};
  for (const symbol of Object.keys(tick.markets)) {
    const m = tick.markets[symbol]!;
    const fresh: Partial<Record<Timeframe, readonly Candle[]>> = {};
    for (const tf of ['5m', '1h', '1d'] as const) {
      const list = m.newCandles[tf];
      if (list && list.length > 0) fresh[tf] = list.slice();
    }
    markets[symbol] = { ...m, newCandles: fresh };
  }
  return { nowMs: tick.nowMs, markets, portfolio: tick.portfolio };
}

/** A portfolio view can be reused when no position is open and nothing the view shows changed. */
function sameView(a: PipelineState, b: PipelineState): boolean {
  return (
    a.ledger === b.ledger &&
    b.shadows.length === 0 &&
    a.recentTrades === b.recentTrades &&
    a.risk.startOfDayEquity === b.risk.startOfDayEquity &&
    a.risk.dayKey === b.risk.dayKey
  );
}

/** How many steps (distinct 5m close times across the symbols) a window [fromMs, toMs) has. */
export function countWindowSteps(candles: Readonly<Record<string, readonly Candle[]>>, symbols: readonly string[], fromMs: number, toMs: number): number {
  const lists = symbols.map((s) => candles[s] ?? []);
  return countSteps(lists, lists.map((l) => lowerBound(l, fromMs)), lists.map((l) => lowerBound(l, toMs)));
}

function countSteps(lists: readonly (readonly Candle[])[], start: readonly number[], end: readonly number[]): number {
  const cursors = [...start];
  let steps = 0;
  for (;;) {
    let t = Number.POSITIVE_INFINITY;
    for (let i = 0; i < lists.length; i++) if (cursors[i]! < end[i]!) t = Math.min(t, lists[i]![cursors[i]!]!.tsOpen);
    if (t === Number.POSITIVE_INFINITY) return steps;
    for (let i = 0; i < lists.length; i++) if (cursors[i]! < end[i]! && lists[i]![cursors[i]!]!.tsOpen === t) cursors[i]!++;
    steps++;
  }
}
