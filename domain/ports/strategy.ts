import type { Portfolio } from '../contract/portfolio.ts';
import type { RiskLimits } from '../contract/limits.ts';
import type { Candle, Timeframe } from '../market/candle.ts';

/**
 * The strategy port: how the fund (backtest, paper, live, candidates) talks to a strategy,
 * wherever it runs — in-process for trusted test strategies, in the sandbox runner process for
 * everything written by a person or the AI. Strategy output is untrusted: the host parses it with
 * `parseStrategyOutput` (domain/contract) and the risk checks before anything acts on it.
 *
 * Inputs are incremental: each call carries only the candles that closed since the previous call,
 * so a runner keeps history (and indicator state) on its side; `load` replays history once.
 */
export interface StrategyRunner {
  /** Loads the module, calls `initialize(limits, symbols)` and replays `history`; `state` is a prior `getState()`. */
  load(input: StrategyLoadInput, signal?: AbortSignal): Promise<StrategyCallResult<StrategyLoaded>>;
  /** One `analyze(markets, portfolio, time)` call for all symbols at one timestamp. */
  analyze(input: StrategyTick, signal?: AbortSignal): Promise<StrategyCallResult<StrategyDecision>>;
  /** Forwards fills and closes to the strategy's optional callbacks (`onFill`, `onPositionClosed`). */
  notify(events: readonly StrategyNotice[], signal?: AbortSignal): Promise<StrategyCallResult<void>>;
  /** The strategy's `getState()` (JSON), for persistence. */
  getState(signal?: AbortSignal): Promise<StrategyCallResult<unknown>>;
  /** Releases the runner (kills the process for sandboxed runners). Idempotent. */
  close(): Promise<void>;
}

/** Every call's outcome: a failed evaluation is a value (timeout, crash, invalid output), never a throw. */
export type StrategyCallResult<T> = { ok: true; value: T } | { ok: false; error: StrategyFailure };

export interface StrategyFailure {
  readonly kind: 'timeout' | 'crashed' | 'memory' | 'invalidOutput' | 'threw' | 'rejected' | 'unavailable';
  /** A clear, stored reason (never contains host secrets). */
  readonly reason: string;
}

export interface StrategyLoadInput {
  /** Identifies the version (for logs and records). */
  readonly version: string;
  /** JavaScript module source (TypeScript is stripped before it gets here). */
  readonly code: string;
  readonly limits: RiskLimits;
  readonly symbols: readonly string[];
  /** Candles already closed, per symbol and timeframe, oldest first. */
  readonly history: Readonly<Record<string, Partial<Record<Timeframe, readonly Candle[]>>>>;
  /** A prior `getState()` to restore, if any. */
  readonly state?: unknown;
}

export interface StrategyLoaded {
  /** The module's `scanIntervalMinutes` (default 5). */
  readonly scanIntervalMinutes: number;
}

/** Market facts at one timestamp, per symbol, plus the candles closed since the last call. */
export interface StrategyTick {
  /** ms since epoch, UTC: the close time of the newest candle. */
  readonly nowMs: number;
  readonly markets: Readonly<Record<string, TickMarket>>;
  readonly portfolio: Portfolio;
}

export interface TickMarket {
  readonly price: number;
  /** Fraction (0.001 = 0.1 %). */
  readonly spread: number;
  readonly volume24h: number;
  /** Percent units as Kraken publishes them (0.25 = 0.25 %). */
  readonly makerFeePct: number;
  readonly takerFeePct: number;
  /** Candles that closed since the previous call, per timeframe, oldest first. */
  readonly newCandles: Partial<Record<Timeframe, readonly Candle[]>>;
}

/** Raw strategy output (validated by the host) and the strategy's optional regime label. */
export interface StrategyDecision {
  /** Untrusted: pass through `parseStrategyOutput` before acting. */
  readonly rawSignals: unknown;
  readonly regime: string | null;
}

export type StrategyNotice =
  | {
      readonly type: 'fill';
      readonly symbol: string;
      readonly action: 'BUY' | 'SELL' | 'CLOSE';
      readonly qty: number;
      readonly price: number;
      readonly intent: string;
      readonly tag: string;
    }
  | { readonly type: 'positionClosed'; readonly symbol: string; readonly pnl: number; readonly pnlPct: number; readonly tag: string };
