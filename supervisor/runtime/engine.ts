/**
 * The fund engine: the running fund's books and one market step at a time, through the same
 * decision pipeline as the backtester (domain/pipeline) and the same strategy port.
 *
 * Per step (the close time of the next 5m candle): `advanceMarket` (day roll, stop-loss and
 * take-profit exits, resting LIMIT fills, marks, triggers) → fills told to the strategy → the
 * symbol actors are told the candle closed (`candle.closed`); those that start evaluating get
 * one shared `analyze` call for the timestamp (one call for all symbols) → the signals of
 * symbols whose evaluation succeeded, with entries dropped unless the fund's trading state is
 * `active` → `applyDecision` → the actors hear what happened (positions opened and closed, risk
 * facts) → **one transaction** writes the candles, signal and trade rows, the open positions,
 * the checkpoint (books, step, strategy state) and the actor snapshot → only then are
 * notifications published. A crash anywhere before the commit leaves the previous step's
 * checkpoint, and the step is done again from the same inputs (DESIGN.md §3, persist then act).
 *
 * The engine talks to the actor system only through {@link ActorBridge}, so the pipeline part
 * stays testable without XState.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { type Signal, parseStrategyOutput } from '../../domain/contract/index.ts';
import type { NotifierEvent } from '../../domain/events/index.ts';
import { type Candle, TIMEFRAME_MS } from '../../domain/market/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import {
  type PipelineConfig,
  type PipelineEvent,
  type PipelineSettings,
  type PipelineState,
  advanceMarket,
  applyDecision,
  approx,
  createPipelineConfig,
  createPipelineState,
  portfolioView,
} from '../../domain/pipeline/index.ts';
import type { StrategyNotice, StrategyRunner } from '../../domain/ports/index.ts';
import { engageKillSwitch, haltTrading, onCapitalFlow, resume } from '../../domain/risk/index.ts';
import { type CapitalEvent, applyCapitalEvent } from '../../domain/portfolio/index.ts';
import { strategyNotices, warmupHistory } from '../backtest/index.ts';
import { decodeJson, encodeJson } from './codec.ts';
import { MarketMemory } from './market.ts';
import { notificationsFor } from './notify.ts';
import { writeStepRows } from './records.ts';

const STEP_MS = TIMEFRAME_MS['5m'];

/** Per-symbol outcome of the shared evaluation. */
export type EvaluationOutcome = { readonly ok: true; readonly signals: readonly Signal[] } | { readonly ok: false; readonly reason: string };

/** Whether new entries may open now, from the fund's trading state. */
export type EntryGate = { readonly ok: true } | { readonly ok: false; readonly state: string; readonly reason: string };

/** How the engine reaches the actor system (implemented by the runtime; a stub in pipeline tests). */
export interface ActorBridge {
  /** Sends `candle.closed` to the symbols that got a candle; returns those that started evaluating. */
  beginScan(nowMs: number, symbols: readonly string[]): readonly string[];
  /** Hands each evaluating symbol its outcome; resolves with the symbols whose evaluation succeeded once every one settled. */
  finishScan(outcomes: ReadonlyMap<string, EvaluationOutcome>): Promise<ReadonlySet<string>>;
  /** The fund's verdict on new entries (halted / paused / reducing refuse them). */
  entryGate(): EntryGate;
  /** Tells the actors what the step did (positions opened/closed, risk facts) — before the commit. */
  applyEvents(events: readonly PipelineEvent[], state: PipelineState): void;
  /** Writes the actor system's persisted snapshot (called inside the step's transaction). */
  persistSnapshot(nowMs: number): void;
  /** After the step committed and notifications went out (candidate shadow books step here). */
  afterCommit(nowMs: number, stepCandles: readonly (Candle | null)[], events: readonly PipelineEvent[]): Promise<void>;
}

/** An engine with no actor system: every symbol evaluates, entries always allowed (backtest parity tests). */
export const DIRECT_BRIDGE: ActorBridge = {
  beginScan: (_nowMs, symbols) => symbols,
  finishScan: async (outcomes) => new Set([...outcomes].filter(([, o]) => o.ok).map(([s]) => s)),
  entryGate: () => ({ ok: true }),
  applyEvents: () => {},
  persistSnapshot: () => {},
  afterCommit: async () => {},
};

/** What the engine needs. */
export interface EngineDeps {
  readonly settings: PipelineSettings;
  readonly repos: Repositories;
  readonly runner: StrategyRunner;
  /** Seed capital of a fresh fund (paper: the persisted seed; never re-read from config, L1). */
  readonly startingCapital: Fixed;
  /** History handed to the strategy on load, ms before the first step. */
  readonly warmupMs: number;
  /** Publishes a notifier event (after the commit). */
  readonly publish: (event: NotifierEvent) => void;
  /** Wall-clock ms for `updated_at` columns (sim: the simulated clock). */
  readonly now: () => number;
  /** Reports a non-fatal problem (strategy failure, …) for the log. */
  readonly report?: (problem: { kind: string; detail: string; nowMs: number }) => void;
}

/** The strategy the engine runs. */
export interface EngineStrategy {
  readonly version: string;
  readonly code: string;
}

/** Result of one step. */
export interface StepResult {
  readonly nowMs: number;
  readonly step: number;
  readonly events: readonly PipelineEvent[];
  /** True when the step was already processed (a duplicate candle after a restart): nothing done. */
  readonly duplicate: boolean;
}

/** Why the engine cannot continue (corrupt checkpoint, …): named precisely; the fund faults. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** The running fund's books and steps (see module doc). */
export class FundEngine {
  readonly config: PipelineConfig;
  private state: PipelineState;
  private stepCount: number;
  private stepAtMs: number;
  private strategy: EngineStrategy | null = null;
  private strategyLoaded = false;
  private scanMs = STEP_MS;
  private market: MarketMemory;
  private readonly feed: StrategyNotice[] = [];
  private bridge: ActorBridge = DIRECT_BRIDGE;
  private savedStrategyState: { version: string; state: unknown } | null = null;

  private constructor(
    private readonly deps: EngineDeps,
    config: PipelineConfig,
    state: PipelineState,
    step: number,
    stepMs: number,
  ) {
    this.config = config;
    this.state = state;
    this.stepCount = step;
    this.stepAtMs = stepMs;
    this.market = new MarketMemory(config.symbols);
  }

  /**
   * Opens the books: the stored checkpoint when there is one (a restart), else a fresh fund whose
   * first step is at or after `startMs` (a multiple of 5 minutes). Throws `EngineError` on a
   * corrupt checkpoint (never silently starts over).
   */
  static open(deps: EngineDeps, startMs: number): FundEngine {
    const config = createPipelineConfig(deps.settings);
    const row = deps.repos.checkpoints.get();
    if (row === undefined) {
      const start = startMs - (startMs % STEP_MS);
      const state = createPipelineState(config, { kind: 'fresh', startingCapital: deps.startingCapital, nowMs: start });
      return new FundEngine(deps, config, state, 0, start);
    }
    let state: PipelineState;
    try {
      const { symbols: _symbols, ...decoded } = decodeJson(row.books) as PipelineState & { symbols?: readonly string[] };
      state = Object.keys(decoded).length > 0 ? (decoded as PipelineState) : (null as unknown as PipelineState);
      (state as PipelineState & { symbols?: readonly string[] } | null) && _symbols && Object.defineProperty(state, 'symbols', { value: _symbols, enumerable: false });
    } catch (err) {
      throw new EngineError(`fund_checkpoint.books cannot be decoded (${(err as Error).message}); restore a backup (brain db backup) rather than start over`);
    }
    if (!state || typeof state !== 'object' || !('ledger' in state) || !('risk' in state) || !Array.isArray(state.marks)) {
      throw new EngineError('fund_checkpoint.books is not a pipeline state; restore a backup (brain db backup) rather than start over');
    }
    const stored = (state as PipelineState & { symbols?: readonly string[] }).symbols;
    const sameMarkets = stored === undefined ? state.marks.length === config.markets.length : stored.join() === config.symbols.join();
    if (!sameMarkets) {
      // The configured symbols changed (predecessor landmine L3): positions or resting orders in a
      // symbol no longer configured would never be priced or protected again — refuse, naming them.
      const orphans = [
        ...state.ledger.positions.filter((p) => !config.indexOf.has(p.symbol)).map((p) => `position ${p.tag} (${p.symbol})`),
        ...state.orders.filter((o) => !config.indexOf.has(o.symbol)).map((o) => `resting order ${o.id} (${o.symbol})`),
      ];
      if (orphans.length > 0) {
        throw new EngineError(
          `markets.symbols no longer lists ${[...new Set(orphans.map((o) => o.replace(/.*\((.*)\)$/, '$1')))].join(', ')}, but the books hold ${orphans.join(', ')}; ` +
            'add the symbol back (and close the position) before removing it — nothing is closed automatically',
        );
      }
      state = createPipelineState(config, { kind: 'restored', nowMs: state.nowMs, ledger: state.ledger, risk: state.risk, orders: state.orders, feeVolume: state.feeVolume, recentTrades: state.recentTrades });
    }
    const engine = new FundEngine(deps, config, state, row.step, row.stepMs);
    if (row.strategyVersion !== null && row.strategyState !== null) {
      engine.savedStrategyState = { version: row.strategyVersion, state: JSON.parse(row.strategyState) };
    }
    return engine;
  }

  /** Connects the actor system (before the first step). */
  attach(bridge: ActorBridge): void {
    this.bridge = bridge;
  }

  /** Loads `strategy` into the runner with history from the store (and its saved state when the version matches). */
  async loadStrategy(strategy: EngineStrategy): Promise<{ ok: true } | { ok: false; reason: string }> {
    const fromMs = this.stepAtMs;
    const warmStart = fromMs - this.deps.warmupMs - TIMEFRAME_MS['1d'];
    const candles: Record<string, Candle[]> = {};
    for (const symbol of this.config.symbols) candles[symbol] = this.deps.repos.candles.range(symbol, '5m', warmStart, fromMs) as Candle[];
    const history = warmupHistory(this.config.symbols, candles, fromMs, this.deps.warmupMs);
    const saved = this.savedStrategyState?.version === strategy.version ? this.savedStrategyState.state : undefined;
    const loaded = await this.deps.runner.load({
      version: strategy.version,
      code: strategy.code,
      limits: this.config.limits,
      symbols: this.config.symbols,
      history,
      ...(saved === undefined ? {} : { state: saved }),
    });
    this.market = new MarketMemory(this.config.symbols);
    this.market.seed(this.config.symbols.map((s) => candles[s]!), fromMs);
    if (!loaded.ok) {
      this.strategy = strategy;
      this.strategyLoaded = false;
      return { ok: false, reason: loaded.error.reason };
    }
    this.strategy = strategy;
    this.strategyLoaded = true;
    this.scanMs = loaded.value.scanIntervalMinutes * 60_000;
    return { ok: true };
  }

  /** The books (exact). */
  books(): PipelineState {
    return this.state;
  }

  /** The books as the checkpoint stores them (codec JSON, with the market list). */
  booksJson(): string {
    return encodeJson({ ...this.state, symbols: this.config.symbols });
  }

  /** Steps processed and the close time of the last one (the next step must be later). */
  progress(): { step: number; stepMs: number } {
    return { step: this.stepCount, stepMs: this.stepAtMs };
  }

  /** The strategy version in force (null before one loaded). */
  strategyVersion(): string | null {
    return this.strategy?.version ?? null;
  }

  /**
   * One market step at `nowMs` (a 5m close time) with each market's candle (index = market
   * index; null = none this step). A step at or before the last processed one is a duplicate
   * and does nothing (a replayed candle after a restart).
   */
  async step(nowMs: number, stepCandles: readonly (Candle | null)[]): Promise<StepResult> {
    if (nowMs <= this.stepAtMs && this.stepCount > 0) return { nowMs, step: this.stepCount, events: [], duplicate: true };
    if (nowMs % STEP_MS !== 0) throw new EngineError(`step time ${nowMs} is not a 5-minute close`);
    const events: PipelineEvent[] = [];
    const market = advanceMarket(this.state, this.config, { nowMs, candles: stepCandles });
    this.state = market.state;
    events.push(...market.events);
    this.market.push(nowMs, stepCandles);
    strategyNotices(market.events, this.feed);
    await this.tellStrategy(nowMs);

    const withCandles = this.config.symbols.filter((_, i) => stepCandles[i] != null);
    const evaluating = withCandles.length > 0 ? this.bridge.beginScan(nowMs, withCandles) : [];
    if (evaluating.length > 0) {
      const decided = await this.decide(nowMs, evaluating);
      events.push(...decided);
    }
    this.stepCount += 1;
    this.stepAtMs = nowMs;
    await this.commit(nowMs, events, stepCandles);
    return { nowMs, step: this.stepCount, events, duplicate: false };
  }

  private async tellStrategy(nowMs: number): Promise<void> {
    if (this.feed.length === 0 || !this.strategyLoaded) {
      this.feed.length = 0;
      return;
    }
    const told = await this.deps.runner.notify(this.feed.splice(0));
    if (!told.ok) this.deps.report?.({ kind: 'strategy.notifyFailed', detail: told.error.reason, nowMs });
  }

  private async decide(nowMs: number, evaluating: readonly string[]): Promise<PipelineEvent[]> {
    const outcomes = new Map<string, EvaluationOutcome>();
    let raw: unknown = [];
    let regime: string | null = null;
    if (!this.strategyLoaded) {
      for (const s of evaluating) outcomes.set(s, { ok: false, reason: 'no strategy is loaded' });
    } else if (nowMs % this.scanMs !== 0) {
      for (const s of evaluating) outcomes.set(s, { ok: true, signals: [] });
    } else {
      const tick = { nowMs, markets: this.market.take(this.state, this.config, nowMs), portfolio: portfolioView(this.state) };
      const r = await this.deps.runner.analyze(tick);
      if (!r.ok) {
        this.deps.report?.({ kind: 'strategy.analyzeFailed', detail: r.error.reason, nowMs });
        for (const s of evaluating) outcomes.set(s, { ok: false, reason: `${r.error.kind}: ${r.error.reason}` });
      } else {
        raw = r.value.rawSignals;
        regime = r.value.regime;
        const parsed = parseStrategyOutput(raw, { symbols: this.config.symbols });
        for (const s of evaluating) {
          outcomes.set(s, parsed.ok ? { ok: true, signals: parsed.results.flatMap((p) => (p.ok && p.signal.symbol === s ? [p.signal] : [])) } : { ok: false, reason: parsed.reason });
        }
      }
    }
    const succeeded = await this.bridge.finishScan(outcomes);
    const { output, dropped } = this.gate(raw, succeeded, nowMs, regime);
    const applied = applyDecision(this.state, this.config, { nowMs, output, regime });
    this.state = applied.state;
    return [...dropped, ...applied.events];
  }

  /**
   * Keeps the strategy's raw items whose symbol's evaluation succeeded, and drops entries the
   * fund's trading state forbids (recorded as risk rejections naming the state). Items that are
   * not objects with a known symbol are kept: the pipeline's parser rejects them with its reason.
   */
  private gate(raw: unknown, succeeded: ReadonlySet<string>, nowMs: number, regime: string | null): { output: unknown; dropped: PipelineEvent[] } {
    const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null && Array.isArray((raw as { signals?: unknown }).signals) ? (raw as { signals: unknown[] }).signals : null;
    if (list === null) return { output: raw, dropped: [] };
    const gate = this.bridge.entryGate();
    const dropped: PipelineEvent[] = [];
    const kept: unknown[] = [];
    list.forEach((item, index) => {
      const symbol = typeof item === 'object' && item !== null ? (item as { symbol?: unknown }).symbol : undefined;
      const known = typeof symbol === 'string' && this.config.indexOf.has(symbol);
      if (known && !succeeded.has(symbol)) return; // the symbol actor did not evaluate (stale, disabled, warming up, failed)
      const action = (item as { action?: unknown } | null)?.action;
      if (known && action === 'BUY' && !gate.ok) {
        const parsed = parseStrategyOutput([item], { symbols: this.config.symbols });
        const signal = parsed.ok && parsed.results[0]?.ok ? parsed.results[0].signal : null;
        dropped.push({ type: 'signal.rejected', tsMs: nowMs, index, signal, stage: 'risk', code: 'halt', reason: gate.reason, regime });
        return;
      }
      kept.push(item);
    });
    return { output: Array.isArray(raw) ? kept : { ...(raw as object), signals: kept }, dropped };
  }

  private async commit(nowMs: number, events: readonly PipelineEvent[], stepCandles: readonly (Candle | null)[]): Promise<void> {
    this.bridge.applyEvents(events, this.state);
    let strategyState: string | null = null;
    if (this.strategyLoaded) {
      const got = await this.deps.runner.getState();
      if (got.ok && got.value !== undefined) strategyState = JSON.stringify(got.value);
    }
    const { repos } = this.deps;
    const ctx = { strategyVersion: this.strategy?.version ?? null, nowMs };
    repos.transaction(() => {
      this.config.symbols.forEach((symbol, i) => {
        const c = stepCandles[i];
        if (c) repos.candles.upsertMany(symbol, '5m', [c]);
      });
      writeStepRows(repos, events, this.state, ctx, this.config.symbols);
      this.saveCheckpoint(strategyState);
      this.bridge.persistSnapshot(nowMs);
    });
    if (strategyState !== null && this.strategy) this.savedStrategyState = { version: this.strategy.version, state: JSON.parse(strategyState) };
    for (const n of notificationsFor(events, this.strategy?.version ?? null)) this.deps.publish(n);
    if (stepCandles.length > 0) await this.bridge.afterCommit(nowMs, stepCandles, events);
  }

  private saveCheckpoint(strategyState: string | null): void {
    this.deps.repos.checkpoints.save({
      fundId: 1,
      step: this.stepCount,
      stepMs: this.stepAtMs,
      books: this.booksJson(),
      strategyVersion: this.strategy?.version ?? null,
      strategyState: strategyState ?? (this.savedStrategyState ? JSON.stringify(this.savedStrategyState.state) : null),
      updatedAt: this.deps.now(),
    });
  }

  /**
   * Closes positions at the current marks (operator kill: all; close by tag: one), as CLOSE
   * signals through the same pipeline, and persists. Returns the pipeline events.
   */
  async closePositions(reason: string, tag: string | null): Promise<readonly PipelineEvent[]> {
    const nowMs = Math.max(this.state.nowMs, this.stepAtMs);
    const targets = this.state.ledger.positions.filter((p) => tag === null || p.tag === tag);
    if (targets.length === 0) return [];
    const output = targets.map((p) => ({ action: 'CLOSE', symbol: p.symbol, tag: p.tag, orderType: 'MARKET', reasoning: reason }));
    const applied = applyDecision(this.state, this.config, { nowMs, output, regime: null });
    this.state = applied.state;
    await this.commit(nowMs, applied.events, []);
    return applied.events;
  }

  /**
   * Books an operator capital event (deposit/withdrawal, already recorded in `capital_events` by
   * the operator surface) into the running ledger and the risk baseline, and persists. Returns the
   * ledger's refusal (e.g. a withdrawal beyond cash) as a value.
   */
  applyCapital(event: CapitalEvent): { ok: true } | { ok: false; reason: string } {
    const booked = applyCapitalEvent(this.state.ledger, event);
    if (!booked.ok) return { ok: false, reason: booked.reason.message };
    const risk = onCapitalFlow(this.state.risk, booked.ledger.cash - this.state.ledger.cash);
    this.state = { ...this.state, ledger: booked.ledger, risk, gauge: { ...this.state.gauge, cash: approx(booked.ledger.cash) } };
    this.replaceRisk(risk, true);
    return { ok: true };
  }

  /** Applies an operator/system halt to the books' risk state (the fund machine holds its own record) and persists. */
  haltBooks(reason: string, kill: boolean): void {
    const risk = kill ? engageKillSwitch(this.state.risk) : haltTrading(this.state.risk, { kind: 'operator', reason }, this.state.nowMs);
    this.replaceRisk(risk);
  }

  /** Operator resume: clears the books' halt and kill switch (domain `resume`) and persists. */
  resumeBooks(): void {
    this.replaceRisk(resume(this.state.risk, this.config.limits));
  }

  private replaceRisk(risk: PipelineState['risk'], force = false): void {
    if (risk === this.state.risk && !force) return;
    this.state = { ...this.state, risk, gauge: { ...this.state.gauge, peak: approx(risk.peakEquity), startOfDay: approx(risk.startOfDayEquity), realizedToday: approx(risk.realizedPnlToday) } };
    this.deps.repos.transaction(() => {
      this.saveCheckpoint(null);
      this.bridge.persistSnapshot(this.state.nowMs);
    });
  }
}
