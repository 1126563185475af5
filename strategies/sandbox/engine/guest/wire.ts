/**
 * What crosses into and out of the engine, as JSON text. Shared by the host (which builds the
 * inputs and validates the outputs) and the harness (which runs inside QuickJS). Types only, plus
 * the candle packing both sides agree on.
 */
import type { RiskLimits } from '../../../../domain/contract/limits.ts';
import type { Portfolio } from '../../../../domain/contract/portfolio.ts';
import type { Candle, Timeframe } from '../../../../domain/market/candle.ts';
import type { StrategyNotice } from '../../../../domain/ports/strategy.ts';

/** A candle packed for the wire: [tsOpen, open, high, low, close, volume]. */
export type WireCandle = readonly [number, number, number, number, number, number];

/** Candles per timeframe, oldest first. */
export type WireSeries = Partial<Record<Timeframe, readonly WireCandle[]>>;

/** Input of the harness's `load`. */
export interface GuestLoadInput {
  readonly version: string;
  /** Seed of the deterministic `Math.random` (uint32). */
  readonly seed: number;
  readonly limits: RiskLimits;
  readonly symbols: readonly string[];
  readonly history: Readonly<Record<string, WireSeries>>;
  /** Most candles kept per timeframe. */
  readonly caps: Readonly<Record<Timeframe, number>>;
  readonly hasState: boolean;
  readonly state: unknown;
  /** Longest JSON text a call may return. */
  readonly maxOutputChars: number;
  /** For reasons only. */
  readonly memoryMb: number;
  readonly stackKb: number;
}

/**
 * Input of the harness's `runModule`: one call of a one-shot module (an analysis module), whose
 * `analyze(...args)` gets `args` (plain JSON) and returns a JSON report.
 */
export interface GuestRunInput {
  /** Seed of the deterministic `Math.random` (uint32). */
  readonly seed: number;
  readonly args: readonly unknown[];
  /** Longest JSON text the call may return. */
  readonly maxOutputChars: number;
  /** For reasons only. */
  readonly memoryMb: number;
  readonly stackKb: number;
}

/**
 * One symbol's facts in the harness's `analyze` input:
 * [symbol, price, spread, volume24h, makerFeePct, takerFeePct, new 5m, new 1h, new 1d candles]
 * (0 when a timeframe has none). Positional because QuickJS parses JSON arrays about three times
 * faster than objects with keys, and this crosses on every call.
 */
export type GuestMarket = readonly [
  symbol: string,
  price: number,
  spread: number,
  volume24h: number,
  makerFeePct: number,
  takerFeePct: number,
  candles5m: readonly WireCandle[] | 0,
  candles1h: readonly WireCandle[] | 0,
  candles1d: readonly WireCandle[] | 0,
];

/** Input of the harness's `analyze`: [nowMs, markets, portfolio]. */
export type GuestAnalyzeInput = readonly [nowMs: number, markets: readonly GuestMarket[], portfolio: Portfolio];

/** Input of the harness's `notify`. */
export interface GuestNotifyInput {
  readonly events: readonly StrategyNotice[];
}

/** Failure kinds the harness itself can report (the engine adds timeout and crashed). */
export type GuestFailureKind = 'threw' | 'invalidOutput' | 'memory' | 'rejected';

/** Every harness call returns this, as JSON text. Untrusted: the strategy shares the harness's realm. */
export type GuestResult<T> =
  | { readonly ok: true; readonly value: T; readonly logs: readonly string[] }
  | { readonly ok: false; readonly kind: GuestFailureKind; readonly reason: string; readonly logs: readonly string[] };

/** `load` value. */
export interface GuestLoaded {
  readonly scanIntervalMinutes: unknown;
  readonly callbacks: { readonly onFill: boolean; readonly onPositionClosed: boolean; readonly getState: boolean; readonly loadState: boolean };
}

/** `analyze` value: the raw return of `analyze()` and the strategy's `regime` property after it. */
export interface GuestDecision {
  readonly out: unknown;
  readonly regime: unknown;
}

/** `getState` value. */
export interface GuestState {
  readonly hasState: boolean;
  readonly state: unknown;
}

/** Packs a candle for the wire. Pure. */
export function packCandle(c: Candle): WireCandle {
  return [c.tsOpen, c.open, c.high, c.low, c.close, c.volume];
}
