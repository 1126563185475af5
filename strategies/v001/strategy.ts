/**
 * v001 — the seed strategy (reference/predecessor.md §8.1, §21), long-only on 5m candles:
 *
 * - BUY (MARKET, size = `limits.defaultTradePct` of portfolio value, intent DAY) when EMA(9)
 *   crosses above EMA(21) on the latest closed candle, RSI(14) is strictly between 30 and 70,
 *   and the candle's volume is above 1.2 × the mean volume of the 20 candles before it; with a
 *   stop-loss 2 % below and a take-profit 4 % above the current price. No second entry while
 *   the symbol is held.
 * - CLOSE the symbol's positions when EMA(9) crosses back below EMA(21) (the crossover's exit;
 *   the stop and the target are the other two).
 *
 * Indicators follow the toolkit's definitions (domain/indicators): EMA seeded with the simple
 * mean of its first `period` closes, k = 2/(period+1); Wilder RSI; the volume baseline excludes
 * the current candle. They are computed incrementally: each call processes only the candles
 * that closed since the previous one, so a call costs O(1) however long the history is.
 *
 * Self-contained on purpose (no imports, plain ESM exports) so the same file runs in-process
 * and inside the sandbox. `regime` is the strategy's own label (bullish / bearish / mixed by the
 * EMAs across its symbols): an opinion stored with the signals, not truth.
 */

interface Candle {
  readonly tsOpen: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

interface Market {
  readonly price: number;
  readonly candles5m: readonly Candle[];
}

interface Portfolio {
  readonly positions: readonly { readonly symbol: string }[];
}

interface Limits {
  readonly defaultTradePct: number;
}

interface Signal {
  readonly action: 'BUY' | 'CLOSE';
  readonly symbol: string;
  readonly size?: number;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  readonly intent?: 'DAY';
  readonly confidence?: number;
  readonly reasoning: string;
}

const FAST = 9;
const SLOW = 21;
const RSI_PERIOD = 14;
const RSI_LOW = 30;
const RSI_HIGH = 70;
const VOLUME_PERIOD = 20;
const VOLUME_FACTOR = 1.2;
const STOP_LOSS = 0.02;
const TAKE_PROFIT = 0.04;
const STATE_VERSION = 1;

/** Incremental indicator state of one symbol (plain JSON, so `getState` can return it). */
interface Track {
  /** tsOpen of the newest candle processed (−1 before the first). */
  lastTs: number;
  count: number;
  fastSum: number;
  slowSum: number;
  fast: number;
  slow: number;
  prevFast: number;
  prevSlow: number;
  rsiPrev: number;
  gainSum: number;
  lossSum: number;
  avgGain: number;
  avgLoss: number;
  rsi: number;
  volumes: number[];
  volumeSlot: number;
  volumeSum: number;
  /** Volume of the newest candle / mean of the 20 before it (NaN until 21 volumes). */
  volumeRatio: number;
}

/** Runs every 5 minutes, on each 5m close. */
export const scanIntervalMinutes = 5;

/** The strategy's market-regime opinion after the latest call (null while warming up). */
export let regime: string | null = null;

let size = 0.03;
let symbols: readonly string[] = [];
let tracks: Record<string, Track> = {};

function freshTrack(): Track {
  return {
    lastTs: -1,
    count: 0,
    fastSum: 0,
    slowSum: 0,
    fast: Number.NaN,
    slow: Number.NaN,
    prevFast: Number.NaN,
    prevSlow: Number.NaN,
    rsiPrev: 0,
    gainSum: 0,
    lossSum: 0,
    avgGain: 0,
    avgLoss: 0,
    rsi: Number.NaN,
    volumes: [],
    volumeSlot: 0,
    volumeSum: 0,
    volumeRatio: Number.NaN,
  };
}

/** Called once with the fund's risk limits and symbols; sizes every entry at `defaultTradePct`. */
export function initialize(limits: Limits, symbolList: readonly string[]): void {
  size = limits.defaultTradePct;
  symbols = [...symbolList];
  tracks = {};
  for (const s of symbols) tracks[s] = freshTrack();
  regime = null;
}

function ema(previous: number, sum: number, count: number, period: number, x: number): number {
  if (count < period) return Number.NaN;
  if (count === period) return sum / period;
  return previous + (2 / (period + 1)) * (x - previous);
}

function update(t: Track, c: Candle): void {
  const x = c.close;
  t.count++;
  const n = t.count;
  t.prevFast = t.fast;
  t.prevSlow = t.slow;
  if (n <= FAST) t.fastSum += x;
  if (n <= SLOW) t.slowSum += x;
  t.fast = ema(t.fast, t.fastSum, n, FAST, x);
  t.slow = ema(t.slow, t.slowSum, n, SLOW, x);
  // Wilder RSI: `RSI_PERIOD` changes seed the averages, then avg += (value − avg) / period.
  if (n > 1) {
    const change = x - t.rsiPrev;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (n <= RSI_PERIOD + 1) {
      t.gainSum += gain;
      t.lossSum += loss;
      if (n === RSI_PERIOD + 1) {
        t.avgGain = t.gainSum / RSI_PERIOD;
        t.avgLoss = t.lossSum / RSI_PERIOD;
      }
    } else {
      t.avgGain += (gain - t.avgGain) * (1 / RSI_PERIOD);
      t.avgLoss += (loss - t.avgLoss) * (1 / RSI_PERIOD);
    }
    if (n > RSI_PERIOD) {
      const total = t.avgGain + t.avgLoss;
      t.rsi = total === 0 ? 50 : 100 * (t.avgGain / total);
    }
  }
  t.rsiPrev = x;
  // Volume against the mean of the previous VOLUME_PERIOD candles (the current one excluded).
  const v = c.volume;
  if (t.volumes.length === VOLUME_PERIOD) {
    const mean = t.volumeSum / VOLUME_PERIOD;
    t.volumeRatio = mean > 0 ? v / mean : v > 0 ? Number.POSITIVE_INFINITY : 1;
    t.volumeSum -= t.volumes[t.volumeSlot]!;
    t.volumes[t.volumeSlot] = v;
    t.volumeSlot = (t.volumeSlot + 1) % VOLUME_PERIOD;
    // Re-add from scratch once per lap so rounding from the running subtraction cannot build up.
    t.volumeSum = t.volumeSlot === 0 ? t.volumes.reduce((a, b) => a + b, 0) : t.volumeSum + v;
  } else {
    t.volumes.push(v);
    t.volumeSum += v;
  }
  t.lastTs = c.tsOpen;
}

/**
 * One decision for every symbol at `time` (ms since epoch; the close of the newest candle). Reads
 * only the candles that closed since the previous call.
 */
export function analyze(markets: Readonly<Record<string, Market | undefined>>, portfolio: Portfolio, time: number): Signal[] {
  void time;
  const signals: Signal[] = [];
  const positions = portfolio.positions;
  let seen = 0;
  let rising = 0;
  for (let s = 0; s < symbols.length; s++) {
    const symbol = symbols[s]!;
    const market = markets[symbol];
    const t = tracks[symbol];
    if (market === undefined || t === undefined) continue;
    const candles = market.candles5m;
    let i = candles.length;
    while (i > 0 && candles[i - 1]!.tsOpen > t.lastTs) i--;
    const fresh = i < candles.length;
    for (; i < candles.length; i++) update(t, candles[i]!);
    if (!(t.slow === t.slow)) continue; // EMA(21) not ready yet
    seen++;
    if (t.fast > t.slow) rising++;
    if (!fresh || !(t.prevSlow === t.prevSlow)) continue;
    const crossedUp = t.prevFast <= t.prevSlow && t.fast > t.slow;
    const crossedDown = t.prevFast >= t.prevSlow && t.fast < t.slow;
    if (!crossedUp && !crossedDown) continue;
    let held = false;
    for (let p = 0; p < positions.length && !held; p++) held = positions[p]!.symbol === symbol;
    if (held && crossedDown) {
      signals.push({ action: 'CLOSE', symbol, reasoning: `EMA${FAST} ${t.fast.toFixed(4)} crossed below EMA${SLOW} ${t.slow.toFixed(4)}` });
    } else if (!held && crossedUp && t.rsi > RSI_LOW && t.rsi < RSI_HIGH && t.volumeRatio > VOLUME_FACTOR) {
      const price = market.price;
      signals.push({
        action: 'BUY',
        symbol,
        size,
        stopLoss: price * (1 - STOP_LOSS),
        takeProfit: price * (1 + TAKE_PROFIT),
        intent: 'DAY',
        confidence: 0.5,
        reasoning: `EMA${FAST} crossed above EMA${SLOW}; RSI ${t.rsi.toFixed(1)}; volume ${t.volumeRatio.toFixed(2)}x its ${VOLUME_PERIOD}-bar mean`,
      });
    }
  }
  regime = seen === 0 ? null : rising === seen ? 'bullish' : rising === 0 ? 'bearish' : 'mixed';
  return signals;
}

/** The indicator state of every symbol, as JSON (non-finite numbers written as "NaN" / "Infinity"). */
export function getState(): unknown {
  const out: Record<string, unknown> = {};
  for (const s of symbols) {
    const t = tracks[s]!;
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) row[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    out[s] = row;
  }
  return { version: STATE_VERSION, tracks: out };
}

/** Restores `getState()` output; state of another version or shape is ignored (the strategy warms up again). */
export function loadState(state: unknown): void {
  if (typeof state !== 'object' || state === null) return;
  const { version, tracks: saved } = state as { version?: unknown; tracks?: unknown };
  if (version !== STATE_VERSION || typeof saved !== 'object' || saved === null) return;
  for (const s of symbols) {
    const row = (saved as Record<string, unknown>)[s];
    if (typeof row !== 'object' || row === null) continue;
    const t = freshTrack();
    const numbers = t as unknown as Record<string, number>;
    for (const key of Object.keys(t) as (keyof Track)[]) {
      const v = (row as Record<string, unknown>)[key];
      if (key === 'volumes') {
        if (Array.isArray(v) && v.length <= VOLUME_PERIOD && v.every((x) => typeof x === 'number')) t.volumes = [...(v as number[])];
      } else if (typeof v === 'number') {
        numbers[key] = v;
      } else if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
        numbers[key] = Number(v);
      }
    }
    tracks[s] = t;
  }
}
