/**
 * A candidate's shadow book (issue #8 §3): its own pipeline state (domain/pipeline) with THE
 * SAME settings as the fund — risk limits, fee schedule, spreads, slippage, LIMIT fill rule and
 * TTL (only the automatic tag prefix differs, `c<slot>`) — stepped with the same closed 5m
 * candles the fund sees. Each step mirrors the backtest engine (supervisor/backtest/engine.ts)
 * exactly: `advanceMarket` → fills and closes reported to the strategy → `analyze` (through the
 * `StrategyRunner` port, with the candles closed since the last call and the causal 1h/1d views)
 * → `applyDecision`. So the same strategy on the same candles makes the same fills as a backtest
 * or the fund's paper pipeline (tested).
 *
 * Optionally persisted to the candidate books (`candidate_signals`, `candidate_trades`,
 * `candidate_positions`, `candidate_daily_performance`); closed trades are returned per step for the fund machine's
 * `paperTest.tradeClosed`.
 */
import { type Candle, TIMEFRAME_MS, type Timeframe, bucketStart } from '../../domain/market/index.ts';
import type { Portfolio, Signal } from '../../domain/contract/index.ts';
import { type Fixed, ZERO, div, fromNumber, sum, toNumber, toString } from '../../domain/money/index.ts';
import type { ClosedTrade } from '../../domain/portfolio/index.ts';
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
  feeRatesFor,
  markEquity,
  portfolioView,
} from '../../domain/pipeline/index.ts';
import type { StrategyFailure, StrategyNotice, StrategyRunner, TickMarket } from '../../domain/ports/index.ts';
import { addDays, startOfDayKey } from '../../domain/time/index.ts';
import { CausalAggregator, RollingVolume, lowerBound, strategyNotices, warmupHistory } from '../backtest/index.ts';
import { tradeRowOf } from '../runtime/records.ts';

const STEP_MS = TIMEFRAME_MS['5m'];
const NONE: readonly Candle[] = Object.freeze([]);

/** The candidate-book repositories a shadow book writes (a subset of adapters/libsql `Repositories`). */
export interface ShadowStore {
  readonly candidateTrades: { insert(row: Record<string, unknown>): number };
  readonly candidatePositions: {
    list(candidateId: number): readonly { readonly tag: string }[];
    insert(row: Record<string, unknown>): number;
    update(candidateId: number, tag: string, patch: Record<string, unknown>): boolean;
    delete(candidateId: number, tag: string): boolean;
  };
  readonly candidateDailyPerformance: { upsert(row: Record<string, unknown>): void };
  readonly candidateSignals: { insert(row: Record<string, unknown>): number };
}

/** Options of `createShadowBook`. */
export interface ShadowBookOptions {
  /** The candidate's id in `candidates` (for persistence); null: not persisted. */
  readonly candidateId: number | null;
  /** Its slot (tags `c<slot>_…`); null keeps the settings' prefix. */
  readonly slot: number | null;
  readonly version: string;
  /** JavaScript module source for `StrategyRunner.load`. */
  readonly code: string;
  /** The FUND's pipeline settings (risk limits, fees, spreads, slippage, fill rule). */
  readonly settings: PipelineSettings;
  readonly startingCapital: Fixed;
  /** The book starts at this instant (ms UTC, 5m aligned): the first step is a later close. */
  readonly startMs: number;
  /** 5m candles per symbol closed before `startMs` (warm-up history; the last day also seeds the 24 h volume and the running 1h/1d buckets). */
  readonly history: Readonly<Record<string, readonly Candle[]>>;
  /** How much of `history` the strategy receives on load, ms (snapped down to a UTC day, as the backtest engine does). */
  readonly warmupMs: number;
  readonly runner: StrategyRunner;
  readonly store?: ShadowStore;
}

/** What one step did. */
export interface ShadowStepResult {
  readonly nowMs: number;
  readonly events: readonly PipelineEvent[];
  /** Trades closed in this step (for `paperTest.tradeClosed`). */
  readonly closedTrades: readonly ClosedTrade[];
  /** A failed strategy call this step (no signals that step), or null. */
  readonly strategyError: StrategyFailure | null;
}

/** Summary for the gate, status and the thought spool. Money as exact decimal text. */
export interface ShadowSummary {
  readonly version: string;
  readonly slot: number | null;
  readonly startedAtMs: number;
  readonly lastStepMs: number;
  readonly steps: number;
  readonly trades: number;
  readonly fills: number;
  readonly realizedPnl: string;
  readonly equity: string;
  readonly breaches: number;
  readonly strategyErrors: number;
}

/** A running shadow book. */
export interface ShadowBook {
  readonly version: string;
  readonly candidateId: number | null;
  readonly slot: number | null;
  readonly config: PipelineConfig;
  /**
   * One step at `nowMs` (a 5m close, after the previous step) with the candles that closed at
   * it, by symbol (absent/null: none for that symbol this step). Throws `PipelineError` for
   * out-of-order input (a caller bug); strategy failures are results, not throws.
   */
  onStep(nowMs: number, candles: Readonly<Record<string, Candle | null | undefined>>): Promise<ShadowStepResult>;
  state(): PipelineState;
  /** Closed trades, oldest first. */
  trades(): readonly ClosedTrade[];
  /** Every `order.filled` event, oldest first. */
  fills(): readonly Extract<PipelineEvent, { type: 'order.filled' }>[];
  /** Net return fraction of each closed trade (the gate's per-trade returns). */
  returns(): number[];
  /** Halts and rollback triggers the candidate's book hit (risk-limit breaches). */
  breaches(): number;
  summary(): ShadowSummary;
  /** Releases the runner. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates and loads a shadow book. Rejects (throws) when the settings are invalid
 * (`PipelineConfigError`) or the strategy cannot be loaded (an Error naming the version and the
 * runner's reason).
 */
export async function createShadowBook(options: ShadowBookOptions): Promise<ShadowBook> {
  const settings: PipelineSettings = options.slot === null ? options.settings : { ...options.settings, tagPrefix: `c${options.slot}` };
  const config = createPipelineConfig(settings);
  const symbols = config.symbols;
  const n = symbols.length;
  let state = createPipelineState(config, { kind: 'fresh', startingCapital: options.startingCapital, nowMs: options.startMs });
  const runner = options.runner;
  const loaded = await runner.load({
    version: options.version,
    code: options.code,
    limits: settings.limits,
    symbols,
    history: warmupHistory(symbols, options.history, options.startMs, options.warmupMs),
  });
  if (!loaded.ok) {
    await runner.close();
    throw new Error(`shadow book ${options.version}: the strategy could not be loaded (${loaded.error.kind}): ${loaded.error.reason}`);
  }
  const scanMs = loaded.value.scanIntervalMinutes * 60_000;
  const hourly = symbols.map(() => new CausalAggregator('1h'));
  const daily = symbols.map(() => new CausalAggregator('1d'));
  const volumes = symbols.map(() => new RollingVolume());
  const hourStart = bucketStart(options.startMs, '1h');
  const dayStart = bucketStart(options.startMs, '1d');
  const volumeStart = options.startMs - TIMEFRAME_MS['1d'];
  symbols.forEach((s, i) => {
    const list = options.history[s] ?? [];
    const end = lowerBound(list, options.startMs);
    for (let k = lowerBound(list, Math.min(dayStart, volumeStart)); k < end; k++) {
      const c = list[k]!;
      if (c.tsOpen >= volumeStart) volumes[i]!.push(c.tsOpen, c.volume);
      if (c.tsOpen >= hourStart) hourly[i]!.push(c);
      if (c.tsOpen >= dayStart) daily[i]!.push(c);
    }
  });
  const pending = symbols.map(() => ({ '5m': NONE as readonly Candle[], '1h': NONE as readonly Candle[], '1d': NONE as readonly Candle[] }));
  const lastOpen = symbols.map(() => Number.NEGATIVE_INFINITY);
  const trades: ClosedTrade[] = [];
  const fills: Extract<PipelineEvent, { type: 'order.filled' }>[] = [];
  let breaches = 0;
  let steps = 0;
  let strategyErrors = 0;
  let lastStepMs = options.startMs;
  let closed = false;
  const store = options.store;
  const candidateId = options.candidateId;

  function persist(events: readonly PipelineEvent[]): void {
    if (!store || candidateId === null || events.length === 0) return;
    let positionsMoved = false;
    for (const e of events) {
      if ((e.type === 'signal.accepted' || e.type === 'signal.rejected') && e.signal !== null) {
        const sig = e.signal as Signal & { size?: number; orderType?: string; limitPrice?: number; stopLoss?: number; takeProfit?: number; slippageTolerance?: number; intent?: string; tag?: string };
        const exact = (x: number | undefined) => (x === undefined ? null : fromNumber(x));
        store.candidateSignals.insert({
          candidateId,
          symbol: sig.symbol,
          action: sig.action,
          size: exact(sig.size),
          orderType: sig.orderType ?? null,
          limitPrice: exact(sig.limitPrice),
          stopLoss: exact(sig.stopLoss),
          takeProfit: exact(sig.takeProfit),
          slippageTolerance: exact(sig.slippageTolerance),
          intent: sig.intent ?? null,
          confidence: sig.confidence ?? 0,
          reasoning: sig.reasoning ?? '',
          tag: sig.tag ?? null,
          strategyVersion: options.version,
          strategyRegime: e.regime,
          actedOn: e.type === 'signal.accepted',
          rejectedReason: e.type === 'signal.rejected' ? e.reason.slice(0, 2000) : null,
          createdAt: e.tsMs,
        });
      }
      if (e.type === 'position.closed') {
        const t = e.trade;
        store.candidateTrades.insert({ candidateId, ...tradeRowOf(e.trade, options.version) });
      }
      if (e.type === 'order.filled' || e.type === 'position.closed' || e.type === 'position.opened' || e.type === 'position.modified') positionsMoved = true;
      if (e.type === 'day.closed') {
        const dayStartAt = startOfDayKey(e.dayKey, config.timeZone);
        const dayEndAt = startOfDayKey(addDays(e.dayKey, 1), config.timeZone);
        const today = trades.filter((t) => t.closedAt >= dayStartAt && t.closedAt < dayEndAt);
        const wins = today.filter((t) => t.pnl > ZERO).length;
        const net = sum(today.map((t) => t.pnl));
        const fees = sum(today.map((t) => t.fees));
        const peak = state.risk.peakEquity;
        store.candidateDailyPerformance.upsert({
          candidateId,
          date: e.dayKey,
          dayStartAt,
          dayEndAt,
          portfolioValue: e.equity,
          cash: e.cash,
          totalTrades: today.length,
          wins,
          losses: today.length - wins,
          grossPnl: net + fees,
          netPnl: net,
          feesTotal: fees,
          winRate: today.length === 0 ? null : wins / today.length,
          expectancy: today.length === 0 ? null : div(net, BigInt(today.length) * 10n ** 18n),
          maxDrawdownPct: peak > ZERO && peak > e.equity ? div(peak - e.equity, peak) : ZERO,
          sharpe: null,
          strategyVersion: options.version,
          recordedAt: e.tsMs,
        });
      }
    }
    if (!positionsMoved) return;
    const stored = new Set(store.candidatePositions.list(candidateId).map((p) => p.tag));
    const live = new Set<string>();
    for (const p of state.ledger.positions) {
      live.add(p.tag);
      const fields = {
        qty: p.qty,
        costBasis: p.costBasis,
        entryFees: p.entryFees,
        lastPrice: p.lastPrice,
        stopLoss: p.stopLoss,
        takeProfit: p.takeProfit,
        intent: p.intent,
        mae: p.mae,
        updatedAt: state.nowMs,
      };
      if (stored.has(p.tag)) store.candidatePositions.update(candidateId, p.tag, fields);
      else store.candidatePositions.insert({ candidateId, tag: p.tag, symbol: p.symbol, side: 'long', seq: p.seq, strategyVersion: options.version, strategyRegime: null, openedAt: p.openedAt, ...fields });
    }
    for (const tag of stored) if (!live.has(tag)) store.candidatePositions.delete(candidateId, tag);
  }

  function absorb(events: readonly PipelineEvent[], closedNow: ClosedTrade[], feed: StrategyNotice[]): void {
    for (const e of events) {
      if (e.type === 'position.closed') {
        trades.push(e.trade);
        closedNow.push(e.trade);
      } else if (e.type === 'order.filled') fills.push(e);
      else if (e.type === 'risk.halted' || e.type === 'strategy.rollbackRequested') breaches++;
    }
    strategyNotices(events, feed);
  }

  return {
    version: options.version,
    candidateId,
    slot: options.slot,
    config,
    async onStep(nowMs, candles) {
      if (closed) throw new Error(`shadow book ${options.version} is closed`);
      const stepCandles: (Candle | null)[] = new Array<Candle | null>(n).fill(null);
      for (let i = 0; i < n; i++) {
        const c = candles[symbols[i]!] ?? null;
        // A candle the book already has (a repeated feed delivery) is ignored, never double-counted.
        if (c === null || c.tsOpen <= lastOpen[i]!) continue;
        lastOpen[i] = c.tsOpen;
        stepCandles[i] = c;
        const p = pending[i]!;
        volumes[i]!.push(c.tsOpen, c.volume);
        p['5m'] = [...p['5m'], c];
        const h = hourly[i]!.push(c);
        if (h) p['1h'] = [...p['1h'], h];
        const d = daily[i]!.push(c);
        if (d) p['1d'] = [...p['1d'], d];
      }
      for (let i = 0; i < n; i++) {
        const p = pending[i]!;
        const h = hourly[i]!.completeBy(nowMs);
        if (h) p['1h'] = [...p['1h'], h];
        const d = daily[i]!.completeBy(nowMs);
        if (d) p['1d'] = [...p['1d'], d];
      }
      const all: PipelineEvent[] = [];
      const closedNow: ClosedTrade[] = [];
      const feed: StrategyNotice[] = [];
      let strategyError: StrategyFailure | null = null;
      const market = advanceMarket(state, config, { nowMs, candles: stepCandles });
      state = market.state;
      all.push(...market.events);
      absorb(market.events, closedNow, feed);
      if (feed.length > 0) {
        const told = await runner.notify(feed.splice(0));
        if (!told.ok) strategyError = told.error;
      }
      if (nowMs % scanMs === 0) {
        const fees = feeRatesFor(config.fees, state.feeVolume.total);
        const markets: Record<string, TickMarket> = {};
        for (let i = 0; i < n; i++) {
          const mark = state.marks[i];
          if (!mark) continue;
          const p = pending[i]!;
          markets[symbols[i]!] = {
            price: mark.close,
            spread: config.spreadNumbers[i]!,
            volume24h: volumes[i]!.at(nowMs),
            makerFeePct: approx(fees.makerPct),
            takerFeePct: approx(fees.takerPct),
            newCandles: { ...(p['5m'].length > 0 ? { '5m': p['5m'] } : {}), ...(p['1h'].length > 0 ? { '1h': p['1h'] } : {}), ...(p['1d'].length > 0 ? { '1d': p['1d'] } : {}) },
          };
          pending[i] = { '5m': NONE, '1h': NONE, '1d': NONE };
        }
        const portfolio: Portfolio = portfolioView(state);
        const decided = await runner.analyze({ nowMs, markets, portfolio });
        if (!decided.ok) strategyError = decided.error;
        else {
          const applied = applyDecision(state, config, { nowMs, output: decided.value.rawSignals, regime: decided.value.regime });
          state = applied.state;
          all.push(...applied.events);
          absorb(applied.events, closedNow, feed);
        }
      }
      if (strategyError !== null) strategyErrors++;
      steps++;
      lastStepMs = nowMs;
      persist(all);
      return { nowMs, events: all, closedTrades: closedNow, strategyError };
    },
    state: () => state,
    trades: () => trades,
    fills: () => fills,
    returns: () => trades.map((t) => toNumber(t.pnlFraction)),
    breaches: () => breaches,
    summary() {
      let equity: Fixed = state.ledger.cash;
      try {
        equity = markEquity(state, config, state.nowMs).state.risk.equity;
      } catch {
        // A state whose day has not been rolled yet: cash plus cost is close enough for a summary.
        equity = state.ledger.cash + sum(state.ledger.positions.map((p) => p.costBasis));
      }
      return {
        version: options.version,
        slot: options.slot,
        startedAtMs: options.startMs,
        lastStepMs,
        steps,
        trades: trades.length,
        fills: fills.length,
        realizedPnl: toString(sum(trades.map((t) => t.pnl))),
        equity: toString(equity),
        breaches,
        strategyErrors,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await runner.close();
    },
  };
}

/** The fund machine's `paperTest.tradeClosed` events for a step's closed trades. */
export function tradeClosedEvents(version: string, result: ShadowStepResult): { type: 'paperTest.tradeClosed'; candidateVersion: string; pnl: string; nowMs: number }[] {
  return result.closedTrades.map((t) => ({ type: 'paperTest.tradeClosed' as const, candidateVersion: version, pnl: toString(t.pnl), nowMs: result.nowMs }));
}
