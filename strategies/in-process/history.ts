/**
 * The candles a runner keeps for one symbol, per timeframe, oldest first, and the look-ahead
 * guard: a candle is accepted only if it has closed by `nowMs` and comes after the last one.
 */
import { type Candle, TIMEFRAME_MS, type Timeframe } from '../../domain/market/index.ts';

/** Timeframes a strategy receives, in `SymbolData` order. */
export const TIMEFRAMES: readonly Timeframe[] = ['5m', '1h', '1d'];

/**
 * Candles kept per timeframe: the predecessor's scan depth (30 days of 5m, 1 year of 1h, 7 years
 * of 1d). A series holds between this many and twice this many (trimmed in one copy when it
 * reaches twice, so appending stays O(1) amortized).
 */
export const DEFAULT_MAX_HISTORY: Readonly<Record<Timeframe, number>> = Object.freeze({ '5m': 8640, '1h': 8760, '1d': 2555 });

/** One timeframe's candles. `candles` is handed to the strategy as it is: read-only by contract. */
export class Series {
  candles: Candle[] = [];
  private readonly step: number;

  constructor(
    readonly timeframe: Timeframe,
    private readonly max: number,
  ) {
    this.step = TIMEFRAME_MS[timeframe];
  }

  /**
   * Why `candle` cannot be appended at `nowMs`, or null: it must be aligned to the timeframe,
   * start after the last candle kept (or `previous`, the candle before it in the same batch), and
   * have closed by `nowMs` (no look-ahead).
   */
  problem(candle: Candle, nowMs: number, previous?: Candle): string | null {
    const tf = this.timeframe;
    if (!Number.isSafeInteger(candle.tsOpen / this.step)) return `${tf} candle tsOpen ${candle.tsOpen} is not aligned to ${tf}`;
    const closes = candle.tsOpen + this.step;
    if (closes > nowMs) return `look-ahead: a ${tf} candle opening at ${candle.tsOpen} closes at ${closes}, after now (${nowMs})`;
    const last = previous ?? this.candles[this.candles.length - 1];
    if (last !== undefined && candle.tsOpen <= last.tsOpen) return `${tf} candle ${candle.tsOpen} is not after the last one kept (${last.tsOpen}); candles arrive once, oldest first`;
    return null;
  }

  /** Why a batch of candles (oldest first) cannot be appended at `nowMs`, or null. */
  batchProblem(list: readonly Candle[] | undefined, nowMs: number): string | null {
    if (list === undefined) return null;
    for (let k = 0; k < list.length; k++) {
      const problem = this.problem(list[k]!, nowMs, k === 0 ? undefined : list[k - 1]);
      if (problem !== null) return problem;
    }
    return null;
  }

  /** Appends checked candles, trimming the series when it reaches twice its limit. */
  append(list: readonly Candle[] | undefined): void {
    if (list === undefined || list.length === 0) return;
    const candles = this.candles;
    for (let k = 0; k < list.length; k++) candles.push(list[k]!);
    if (candles.length >= 2 * this.max) this.candles = candles.slice(candles.length - this.max);
  }
}

/** One symbol's three series. */
export class SymbolHistory {
  readonly five: Series;
  readonly hour: Series;
  readonly day: Series;

  constructor(maxHistory: Readonly<Record<Timeframe, number>>) {
    this.five = new Series('5m', maxHistory['5m']);
    this.hour = new Series('1h', maxHistory['1h']);
    this.day = new Series('1d', maxHistory['1d']);
  }

  /** The series of `tf`. */
  of(tf: Timeframe): Series {
    return tf === '5m' ? this.five : tf === '1h' ? this.hour : this.day;
  }
}
