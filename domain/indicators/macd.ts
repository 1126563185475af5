/**
 * MACD (Gerald Appel; StockCharts ChartSchool "MACD (Moving Average Convergence/Divergence
 * Oscillator)"), built from SMA-seeded EMAs (see `ema.ts`):
 *
 *   line      = EMA(fast) − EMA(slow)              defined from value index slow−1
 *   signal    = EMA(signal) of the line            defined from index slow+signal−2
 *   histogram = line − signal
 *
 * Defaults 12/26/9. Each EMA is seeded independently on its own first values (the StockCharts
 * spreadsheet method; TA-Lib aligns the fast EMA's seed with the slow one, so its first few
 * values differ). Warm-up: `slow + signal − 1` values for all three outputs.
 */
import { Ema, emaInto } from './ema.ts';
import { IndicatorError, checkPeriod, notFinite, outputArray, type Indicator } from './indicator.ts';

/** MACD periods, in values (bars). */
export interface MacdParams {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
}

/** The classic 12/26/9. */
export const MACD_DEFAULTS: MacdParams = Object.freeze({ fast: 12, slow: 26, signal: 9 });

/** One MACD reading. Fields not yet defined during warm-up are NaN. */
export interface MacdValue {
  readonly line: number;
  readonly signal: number;
  readonly histogram: number;
}

/** MACD output columns, each as long as the input; NaN before each column is defined. */
export interface MacdSeries {
  readonly line: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/** Streaming MACD over plain numbers (e.g. closes). See the module doc for the formulas. */
export class Macd implements Indicator<number, MacdValue> {
  readonly warmUp: number;
  readonly params: MacdParams;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly signal: Ema;
  private line = Number.NaN;

  /** Throws `IndicatorError` unless 1 ≤ fast < slow and signal ≥ 1 (integers). */
  constructor(params: Partial<MacdParams> = {}) {
    const p = checkMacdParams('Macd', params);
    this.params = p;
    this.warmUp = p.slow + p.signal - 1;
    this.fast = new Ema(p.fast);
    this.slow = new Ema(p.slow);
    this.signal = new Ema(p.signal);
  }

  /** Adds one value; throws `IndicatorError` on NaN/±Infinity without changing state. */
  update(x: number): void {
    if (x - x !== 0) notFinite('Macd', 'value', x);
    this.fast.update(x);
    this.slow.update(x);
    if (this.slow.isReady()) {
      this.line = this.fast.value() - this.slow.value();
      this.signal.update(this.line);
    }
  }

  /** The current reading (a new small object per call; `update` itself allocates nothing). */
  value(): MacdValue {
    const signal = this.signal.value();
    return { line: this.line, signal, histogram: this.line - signal };
  }

  isReady(): boolean {
    return this.signal.isReady();
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.signal.reset();
    this.line = Number.NaN;
  }
}

/**
 * MACD of every prefix of `values`, arithmetic identical to `Macd`. Writes into `out` when given
 * (three distinct arrays of the input's length; `out` itself is returned), else allocates three
 * arrays. Throws `IndicatorError` on bad periods, a bad `out`, or any NaN/±Infinity input
 * (naming its index).
 */
export function macdSeries(values: Float64Array, params: Partial<MacdParams> = {}, out?: MacdSeries): MacdSeries {
  const p = checkMacdParams('macdSeries', params);
  const n = values.length;
  const line = outputArray('macdSeries', n, out?.line);
  const slowThenHistogram = outputArray('macdSeries', n, out?.histogram);
  const signal = outputArray('macdSeries', n, out?.signal);
  if (line === signal || line === slowThenHistogram || signal === slowThenHistogram) {
    throw new IndicatorError(
      'parameter',
      'macdSeries: out.line, out.signal and out.histogram must be distinct arrays',
    );
  }
  emaInto('macdSeries', values, 0, p.fast, line);
  emaInto('macdSeries', values, 0, p.slow, slowThenHistogram);
  for (let i = 0; i < n; i++) line[i] = line[i]! - slowThenHistogram[i]!;
  const lineStart = Math.min(n, p.slow - 1);
  signal.fill(Number.NaN, 0, lineStart);
  emaInto('macdSeries', line, lineStart, p.signal, signal);
  for (let i = 0; i < n; i++) slowThenHistogram[i] = line[i]! - signal[i]!;
  return out ?? { line, signal, histogram: slowThenHistogram };
}

function checkMacdParams(where: string, params: Partial<MacdParams>): MacdParams {
  const fast = checkPeriod(where, 'fast', params.fast ?? MACD_DEFAULTS.fast);
  const slow = checkPeriod(where, 'slow', params.slow ?? MACD_DEFAULTS.slow);
  const signal = checkPeriod(where, 'signal', params.signal ?? MACD_DEFAULTS.signal);
  if (fast >= slow) {
    throw new IndicatorError('parameter', `${where}: fast (${fast}) must be smaller than slow (${slow})`);
  }
  return Object.freeze({ fast, slow, signal });
}
