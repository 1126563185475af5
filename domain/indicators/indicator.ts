/**
 * The one shape every incremental indicator has, the bar shapes they read, and the shared
 * checks. Pure: no I/O, no clock. Indicators work in float64 (they are signals, not money).
 */

/**
 * An incremental (streaming) indicator: feed one input at a time with `update`, read the
 * current output with `value`.
 *
 * - `update` allocates nothing and runs in O(1). It throws `IndicatorError` (kind `input`) on
 *   corrupt input (NaN, ±Infinity, high < low, negative volume, out-of-order session time),
 *   and the state is left exactly as it was before that call, so one bad value never poisons
 *   later outputs.
 * - `value` is the output after the latest update. Before `isReady()` it is NaN (numeric
 *   outputs) or an object whose not-yet-defined fields are NaN.
 * - `isReady` is true once `warmUp` valid inputs have been accepted since construction or the
 *   last `reset` (VWAP is the one exception: see its doc).
 * - `reset` returns the indicator to its freshly constructed state, keeping its parameters.
 */
export interface Indicator<In, Out> {
  /** Number of inputs after which `isReady()` first becomes true. */
  readonly warmUp: number;
  update(input: In): void;
  value(): Out;
  isReady(): boolean;
  reset(): void;
}

/** The high/low/close of one bar (a `Candle` from `domain/market` fits). */
export interface HlcBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** The high/low/close/volume of one bar (a `Candle` from `domain/market` fits). */
export interface HlcvBar extends HlcBar {
  readonly volume: number;
}

/**
 * Thrown for invalid parameters (`kind: 'parameter'`, a programmer error) or corrupt input data
 * (`kind: 'input'`). The message names the indicator, the field, the offending value and what is
 * allowed.
 */
export class IndicatorError extends Error {
  override readonly name = 'IndicatorError';
  constructor(
    readonly kind: 'parameter' | 'input',
    message: string,
  ) {
    super(message);
  }
}

/** Largest accepted period: a bound on ring-buffer memory, far beyond any real use. */
export const MAX_PERIOD = 1_000_000;

/** Throws unless `period` is an integer in [min, MAX_PERIOD]. Returns it for chaining. */
export function checkPeriod(where: string, name: string, period: number, min = 1): number {
  if (!Number.isInteger(period) || period < min || period > MAX_PERIOD) {
    throw new IndicatorError(
      'parameter',
      `${where}: ${name} must be an integer in [${min}, ${MAX_PERIOD}], got ${String(period)}`,
    );
  }
  return period;
}

/** Throws an input error for a non-finite value. Kept out of line so hot paths stay small. */
export function notFinite(where: string, field: string, value: number, index?: number): never {
  const at = index === undefined ? '' : ` at index ${index}`;
  throw new IndicatorError(
    'input',
    `${where}: ${field}${at} must be a finite number, got ${String(value)} (corrupt data)`,
  );
}

/** Throws an input error for a bar whose high is below its low. */
export function highBelowLow(where: string, high: number, low: number, index?: number): never {
  const at = index === undefined ? '' : ` at index ${index}`;
  throw new IndicatorError(
    'input',
    `${where}: high${at} (${high}) is below low (${low}); a bar needs high >= low (corrupt data)`,
  );
}

/** Throws an input error for a negative volume. */
export function negativeVolume(where: string, volume: number, index?: number): never {
  const at = index === undefined ? '' : ` at index ${index}`;
  throw new IndicatorError(
    'input',
    `${where}: volume${at} must be >= 0, got ${volume} (corrupt data)`,
  );
}

/** Throws unless every array has the same length as the first. */
export function checkSameLength(where: string, arrays: Readonly<Record<string, Float64Array>>): number {
  let length = -1;
  let first = '';
  for (const [name, array] of Object.entries(arrays)) {
    if (length === -1) {
      length = array.length;
      first = name;
    } else if (array.length !== length) {
      throw new IndicatorError(
        'parameter',
        `${where}: ${name} has length ${array.length} but ${first} has length ${length}; ` +
          'all inputs must be the same length',
      );
    }
  }
  return length;
}

/** Returns `out` (checked to have `length` elements) or a new Float64Array of that length. */
export function outputArray(where: string, length: number, out: Float64Array | undefined): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (out.length !== length) {
    throw new IndicatorError(
      'parameter',
      `${where}: out has length ${out.length} but the input has length ${length}; they must match`,
    );
  }
  return out;
}
