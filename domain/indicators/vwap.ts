/**
 * Volume-weighted average price (StockCharts ChartSchool "Volume-Weighted Average Price
 * (VWAP)"):
 *
 *   typical price  tp = (high + low + close) / 3
 *   VWAP = Σ (tp · volume) / Σ volume      over the bars since the anchor
 *
 * Anchoring: by default the sums run from construction (cumulative) until `reset()`, which
 * starts a new anchor. With `sessionMs` the indicator also re-anchors by itself whenever a bar's
 * `tsOpen` (ms since epoch, UTC) falls in a new session, sessions being the UTC-aligned buckets
 * floor(tsOpen / sessionMs); e.g. `sessionMs: 86_400_000` gives a daily VWAP reset at 00:00 UTC.
 *
 * Warm-up: VWAP is defined (and `isReady()`) once the current anchor has seen positive volume,
 * which is the first bar unless that bar traded nothing; `warmUp` is 1. It becomes NaN / not
 * ready again at each new anchor until volume arrives.
 */
import {
  IndicatorError,
  checkSameLength,
  highBelowLow,
  negativeVolume,
  notFinite,
  outputArray,
  type HlcvBar,
  type Indicator,
} from './indicator.ts';

/** A VWAP input bar. `tsOpen` (ms since epoch, UTC) is required only when `sessionMs` is set. */
export interface VwapBar extends HlcvBar {
  readonly tsOpen?: number;
}

/** VWAP anchoring: omit `sessionMs` for a cumulative VWAP anchored only by `reset()`. */
export interface VwapParams {
  readonly sessionMs?: number;
}

/** Session anchoring for `vwapSeries`: one bar-open time per bar, and the session length. */
export interface VwapAnchor {
  readonly tsOpen: Float64Array;
  readonly sessionMs: number;
}

/** Streaming VWAP over bars `{ high, low, close, volume, tsOpen? }`. See the module doc. */
export class Vwap implements Indicator<VwapBar, number> {
  readonly warmUp = 1;
  /**
   * Session length in ms, 0 for cumulative anchoring. Always a number: a `number | undefined`
   * field measured ~2× slower in `update()`.
   */
  private readonly sessionLength: number;
  private sumPv = 0;
  private sumVolume = 0;
  private session = 0;
  private hasSession = false;
  /** [start, end) of the current session in ms; NaN (matching nothing) before the first bar. */
  private sessionStart = Number.NaN;
  private sessionEnd = Number.NaN;

  /** Throws `IndicatorError` unless `sessionMs`, when given, is a positive integer. */
  constructor(params: VwapParams = {}) {
    this.sessionLength = params.sessionMs === undefined ? 0 : checkSessionMs('Vwap', params.sessionMs);
  }

  /** Session length in ms, or undefined for cumulative anchoring. */
  get sessionMs(): number | undefined {
    return this.sessionLength === 0 ? undefined : this.sessionLength;
  }

  /**
   * Adds one bar; throws `IndicatorError` without changing state if a field is NaN/±Infinity,
   * high < low, volume < 0, or (with `sessionMs`) `tsOpen` is missing, not an integer, or in an
   * earlier session than the previous bar.
   */
  update(bar: VwapBar): void {
    const high = bar.high;
    const low = bar.low;
    const close = bar.close;
    const volume = bar.volume;
    if (high - high !== 0) notFinite('Vwap', 'high', high);
    if (low - low !== 0) notFinite('Vwap', 'low', low);
    if (close - close !== 0) notFinite('Vwap', 'close', close);
    if (volume - volume !== 0) notFinite('Vwap', 'volume', volume);
    if (high < low) highBelowLow('Vwap', high, low);
    if (volume < 0) negativeVolume('Vwap', volume);
    const sessionMs = this.sessionLength;
    if (sessionMs !== 0) {
      // Fast path: an integer time inside the current session. Anything else (first bar, new
      // session, missing or fractional time, NaN) takes the checked path.
      const ts = bar.tsOpen ?? Number.NaN;
      if (!(ts >= this.sessionStart && ts < this.sessionEnd && Math.floor(ts) === ts)) {
        const session = sessionOf('Vwap', bar.tsOpen, sessionMs, this.hasSession ? this.session : undefined);
        if (!this.hasSession || session !== this.session) {
          this.sumPv = 0;
          this.sumVolume = 0;
          this.session = session;
          this.hasSession = true;
          this.sessionStart = session * sessionMs;
          this.sessionEnd = this.sessionStart + sessionMs;
        }
      }
    }
    this.sumPv += ((high + low + close) / 3) * volume;
    this.sumVolume += volume;
  }

  /** The VWAP since the current anchor, NaN while the anchor has no volume. */
  value(): number {
    return this.sumVolume > 0 ? this.sumPv / this.sumVolume : Number.NaN;
  }

  /** True once the current anchor has seen positive volume. */
  isReady(): boolean {
    return this.sumVolume > 0;
  }

  /** Starts a new anchor (and forgets the current session, if session-anchored). */
  reset(): void {
    this.sumPv = 0;
    this.sumVolume = 0;
    this.session = 0;
    this.hasSession = false;
    this.sessionStart = Number.NaN;
    this.sessionEnd = Number.NaN;
  }
}

/**
 * VWAP at every bar of the parallel columns, arithmetic identical to `Vwap`: cumulative from
 * bar 0, or re-anchored per UTC session when `anchor` is given. NaN while the anchor has no
 * volume. Writes into `out` when given, else allocates. Throws `IndicatorError` on mismatched
 * lengths, NaN/±Infinity, high < low, negative volume, or bad/out-of-order `tsOpen`.
 */
export function vwapSeries(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  anchor?: VwapAnchor,
  out?: Float64Array,
): Float64Array {
  const n = checkSameLength('vwapSeries', { high, low, close, volume, ...(anchor ? { tsOpen: anchor.tsOpen } : {}) });
  const sessionMs = anchor === undefined ? undefined : checkSessionMs('vwapSeries', anchor.sessionMs);
  const result = outputArray('vwapSeries', n, out);
  let sumPv = 0;
  let sumVolume = 0;
  let session = 0;
  let sessionStart = Number.NaN;
  let sessionEnd = Number.NaN;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (h - h !== 0) notFinite('vwapSeries', 'high', h, i);
    if (l - l !== 0) notFinite('vwapSeries', 'low', l, i);
    if (c - c !== 0) notFinite('vwapSeries', 'close', c, i);
    if (v - v !== 0) notFinite('vwapSeries', 'volume', v, i);
    if (h < l) highBelowLow('vwapSeries', h, l, i);
    if (v < 0) negativeVolume('vwapSeries', v, i);
    if (sessionMs !== undefined) {
      const ts = anchor!.tsOpen[i]!;
      if (!(ts >= sessionStart && ts < sessionEnd && Math.floor(ts) === ts)) {
        const s = sessionOf('vwapSeries', ts, sessionMs, i === 0 ? undefined : session, i);
        if (i === 0 || s !== session) {
          sumPv = 0;
          sumVolume = 0;
          session = s;
          sessionStart = s * sessionMs;
          sessionEnd = sessionStart + sessionMs;
        }
      }
    }
    sumPv += ((h + l + c) / 3) * v;
    sumVolume += v;
    result[i] = sumVolume > 0 ? sumPv / sumVolume : Number.NaN;
  }
  return result;
}

function checkSessionMs(where: string, sessionMs: number): number {
  if (!Number.isSafeInteger(sessionMs) || sessionMs <= 0) {
    throw new IndicatorError(
      'parameter',
      `${where}: sessionMs must be a positive integer number of ms, got ${String(sessionMs)}`,
    );
  }
  return sessionMs;
}

/** The UTC session index of `tsOpen`; throws on a missing/non-integer time or one going back. */
function sessionOf(
  where: string,
  tsOpen: number | undefined,
  sessionMs: number,
  previous: number | undefined,
  index?: number,
): number {
  if (tsOpen === undefined || !Number.isSafeInteger(tsOpen)) {
    throw new IndicatorError(
      'input',
      `${where}: tsOpen${atIndex(index)} must be an integer ms timestamp when sessionMs is set, got ${String(tsOpen)}`,
    );
  }
  const session = Math.floor(tsOpen / sessionMs);
  if (previous !== undefined && session < previous) {
    throw new IndicatorError(
      'input',
      `${where}: tsOpen${atIndex(index)} (${tsOpen}) belongs to an earlier session than the previous bar; ` +
        'bars must arrive in time order (corrupt data)',
    );
  }
  return session;
}

function atIndex(index: number | undefined): string {
  return index === undefined ? '' : ` at index ${index}`;
}
