/**
 * Accumulates what a backtest window did, from the pipeline's events and one cheap float64
 * observation per step, for the report. Nothing here affects the simulation.
 */
import type { Candle } from '../../domain/market/index.ts';
import { type Fixed, ZERO } from '../../domain/money/index.ts';
import type { BooksSnapshot, PipelineConfig, PipelineEvent, PipelineState } from '../../domain/pipeline/index.ts';
import type { ClosedTrade } from '../../domain/portfolio/index.ts';
import type { StrategyFailure } from '../../domain/ports/index.ts';

/** Order counts of one symbol. */
export interface OrderCounts {
  /** MARKET orders filled (signals). */
  market: number;
  /** LIMIT signals that became orders: filled at once (marketable) or rested. */
  limitAttempted: number;
  /** LIMIT orders filled: at once as a taker, or later as a maker. */
  limitFilled: number;
  /** LIMIT orders that rested. */
  limitRested: number;
  /** Resting LIMIT orders a later candle filled. */
  limitFilledResting: number;
  limitExpired: number;
  /** Resting orders canceled for another reason (halt, position gone, cash). */
  limitCanceled: number;
  stopLosses: number;
  takeProfits: number;
}

/** One rejection reason: how often, and its first full text. */
export interface RejectionTally {
  readonly stage: string;
  readonly code: string | null;
  count: number;
  readonly example: string;
}

/** A halt, rollback or halt-cleared moment. */
export interface RiskMoment {
  readonly tsMs: number;
  readonly kind: string;
  readonly reason: string;
}

/** Caps on what is kept in full (counts are always complete). */
const MAX_MOMENTS = 100;

function emptyCounts(): OrderCounts {
  return { market: 0, limitAttempted: 0, limitFilled: 0, limitRested: 0, limitFilledResting: 0, limitExpired: 0, limitCanceled: 0, stopLosses: 0, takeProfits: 0 };
}

/** The accumulator of one window. */
export class RunCollector {
  readonly trades: ClosedTrade[] = [];
  readonly snapshots: BooksSnapshot[] = [];
  readonly orders: Record<string, OrderCounts> = {};
  readonly rejections = new Map<string, RejectionTally>();
  readonly halts: RiskMoment[] = [];
  readonly rollbacks: RiskMoment[] = [];
  haltCount = 0;
  rollbackCount = 0;
  haltsCleared = 0;
  signalsAccepted = 0;
  signalsRejected = 0;
  /** Strategy outputs rejected as a whole (not an array of signals, too many…). */
  invalidOutputs = 0;
  /** Accepted signals per action, and per regime label. */
  readonly accepted: Record<string, number> = {};
  readonly regimes: Record<string, number> = {};
  fills = 0;
  makerFees: Fixed = ZERO;
  takerFees: Fixed = ZERO;
  tradedNotional: Fixed = ZERO;
  strategyErrors = 0;
  firstStrategyError: { tsMs: number; kind: string; reason: string } | null = null;
  /** Per step: close time and how many symbols had a candle (the truth metrics' scan rows). */
  readonly scanTimes: number[] = [];
  readonly scanCounts: number[] = [];
  steps = 0;
  exposedSteps = 0;
  /** Σ over steps of invested value / equity (float64). */
  exposureSum = 0;
  equityPeak = 0;
  maxIntradayDrawdown = 0;

  constructor(
    private readonly config: PipelineConfig,
    readonly fromMs: number,
  ) {
    for (const s of config.symbols) this.orders[s] = emptyCounts();
  }

  /** Tallies one call's events. */
  onEvents(events: readonly PipelineEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'signal.accepted': {
          this.signalsAccepted++;
          this.accepted[e.signal.action] = (this.accepted[e.signal.action] ?? 0) + 1;
          if (e.regime !== null) this.regimes[e.regime] = (this.regimes[e.regime] ?? 0) + 1;
          if (e.signal.action !== 'MODIFY' && e.signal.orderType === 'LIMIT') this.orders[e.signal.symbol]!.limitAttempted++;
          break;
        }
        case 'signal.rejected': {
          if (e.index === null) this.invalidOutputs++;
          else this.signalsRejected++;
          const key = `${e.stage}:${e.code ?? ''}`;
          const t = this.rejections.get(key);
          if (t) t.count++;
          else this.rejections.set(key, { stage: e.stage, code: e.code, count: 1, example: e.reason });
          break;
        }
        case 'order.placed':
          this.orders[e.order.symbol]!.limitRested++;
          break;
        case 'order.canceled': {
          const c = this.orders[e.order.symbol]!;
          if (e.reason === 'expired') c.limitExpired++;
          else c.limitCanceled++;
          break;
        }
        case 'order.filled': {
          const c = this.orders[e.symbol]!;
          this.fills++;
          this.tradedNotional += e.fill.notional;
          if (e.fill.liquidity === 'maker') this.makerFees += e.fill.fee;
          else this.takerFees += e.fill.fee;
          if (e.source === 'stopLoss') c.stopLosses++;
          else if (e.source === 'takeProfit') c.takeProfits++;
          else if (e.orderType === 'MARKET') c.market++;
          else {
            c.limitFilled++;
            if (e.source === 'limit') c.limitFilledResting++;
          }
          break;
        }
        case 'position.closed':
          this.trades.push(e.trade);
          break;
        case 'risk.halted':
          this.haltCount++;
          if (this.halts.length < MAX_MOMENTS) this.halts.push({ tsMs: e.tsMs, kind: e.halt.kind, reason: e.halt.reason });
          break;
        case 'risk.haltCleared':
          this.haltsCleared++;
          break;
        case 'strategy.rollbackRequested':
          this.rollbackCount++;
          if (this.rollbacks.length < MAX_MOMENTS) this.rollbacks.push({ tsMs: e.tsMs, kind: e.rollback.kinds.join('+'), reason: e.rollback.reason });
          break;
        case 'day.closed':
          this.snapshots.push({ dayKey: e.dayKey, equity: e.equity, cash: e.cash });
          break;
        case 'position.opened':
        case 'position.modified':
          break;
      }
    }
  }

  /** A failed strategy call: counted, the first kept (the step then has no signals). */
  onStrategyError(tsMs: number, error: StrategyFailure): void {
    this.strategyErrors++;
    this.firstStrategyError ??= { tsMs, kind: error.kind, reason: error.reason };
  }

  /** One float64 observation per step: scans, exposure and intraday drawdown. */
  onStep(state: PipelineState, candles: readonly (Candle | null)[]): void {
    let scanned = 0;
    for (const c of candles) if (c !== null) scanned++;
    this.scanTimes.push(state.nowMs);
    this.scanCounts.push(scanned);
    this.steps++;
    let invested = 0;
    for (const s of state.shadows) {
      const mark = state.marks[s.symbolIndex];
      invested += s.qty * (mark ? mark.close : s.avgEntry);
    }
    const equity = state.gauge.cash + invested;
    if (invested > 0) {
      this.exposedSteps++;
      if (equity > 0) this.exposureSum += invested / equity;
    }
    if (equity > this.equityPeak) this.equityPeak = equity;
    else if (this.equityPeak > 0) {
      const dd = (this.equityPeak - equity) / this.equityPeak;
      if (dd > this.maxIntradayDrawdown) this.maxIntradayDrawdown = dd;
    }
  }

  /** The books at the end of the window (the last, partial day's snapshot). */
  onFinalSnapshot(snapshot: BooksSnapshot): void {
    const last = this.snapshots[this.snapshots.length - 1];
    if (last !== undefined && last.dayKey === snapshot.dayKey) this.snapshots[this.snapshots.length - 1] = snapshot;
    else this.snapshots.push(snapshot);
  }

  /** The configured symbols, in order. */
  get symbols(): readonly string[] {
    return this.config.symbols;
  }
}
