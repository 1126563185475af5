/**
 * The two baselines the backtest benchmark is compared with, on the same data and the same
 * strategy rules as v001 (EMA 9/21 crossover entry with RSI 14 strictly in 30–70 and volume above
 * 1.2× the previous 20 bars' mean; exit on the cross back down, a 2 % stop or a 4 % target):
 *
 * - a plain hand-written loop over Float64Array columns, with streaming indicators and no
 *   allocation: the practical limit of JavaScript for this work;
 * - grademark 0.3.0 (with data-forge), set up as in reference/performance.md §B1: indicator
 *   columns precomputed (not timed), then `backtest()` timed.
 *
 * Both follow grademark's semantics exactly (the signal at a bar's close, the fill at the next
 * bar's open, the stop and target intrabar at their levels, no fees), so they must produce the
 * same trades: a cross-check that the comparison is like for like.
 */
import { createRequire } from 'node:module';
import { emaSeries, rsiSeries, volumeRatioSeries } from '../domain/indicators/index.ts';
import type { Series } from './data.ts';

const FAST = 9;
const SLOW = 21;
const RSI_PERIOD = 14;
const VOLUME_PERIOD = 20;

/** What a baseline run produced, for the cross-check. */
export interface BaselineTrades {
  readonly trades: number;
  /** Σ of (exit / entry − 1) over trades: a fingerprint of entries and exits. */
  readonly sumReturns: number;
}

/**
 * The hand loop over one series: indicators updated in place from the columns, the grademark
 * state machine (None → Enter → Position → Exit) in local variables.
 */
export function handLoop(s: Series): BaselineTrades {
  const { open, high, low, close, volume } = s;
  const n = close.length;
  const kFast = 2 / (FAST + 1);
  const kSlow = 2 / (SLOW + 1);
  const invRsi = 1 / RSI_PERIOD;
  const ring = new Float64Array(VOLUME_PERIOD);
  let fast = Number.NaN;
  let slow = Number.NaN;
  let fastSum = 0;
  let slowSum = 0;
  let prevClose = 0;
  let gainSum = 0;
  let lossSum = 0;
  let avgGain = 0;
  let avgLoss = 0;
  let rsi = Number.NaN;
  let volSum = 0;
  let slot = 0;
  let status = 0; // 0 none, 1 enter next bar, 2 in position, 3 exit next bar
  let entry = 0;
  let stop = 0;
  let target = 0;
  let trades = 0;
  let sumReturns = 0;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    const prevFast = fast;
    const prevSlow = slow;
    const count = i + 1;
    if (count <= FAST) {
      fastSum += x;
      if (count === FAST) fast = fastSum / FAST;
    } else fast += kFast * (x - fast);
    if (count <= SLOW) {
      slowSum += x;
      if (count === SLOW) slow = slowSum / SLOW;
    } else slow += kSlow * (x - slow);
    if (i > 0) {
      const change = x - prevClose;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      if (i <= RSI_PERIOD) {
        gainSum += gain;
        lossSum += loss;
        if (i === RSI_PERIOD) {
          avgGain = gainSum / RSI_PERIOD;
          avgLoss = lossSum / RSI_PERIOD;
        }
      } else {
        avgGain += (gain - avgGain) * invRsi;
        avgLoss += (loss - avgLoss) * invRsi;
      }
      if (i >= RSI_PERIOD) {
        const total = avgGain + avgLoss;
        rsi = total === 0 ? 50 : 100 * (avgGain / total);
      }
    }
    prevClose = x;
    const v = volume[i]!;
    let volumeRatio = Number.NaN;
    if (i >= VOLUME_PERIOD) {
      const mean = volSum / VOLUME_PERIOD;
      volumeRatio = mean > 0 ? v / mean : v > 0 ? Number.POSITIVE_INFINITY : 1;
      volSum -= ring[slot]!;
    }
    ring[slot] = v;
    volSum += v;
    slot = slot + 1 === VOLUME_PERIOD ? 0 : slot + 1;

    if (status === 0) {
      if (prevFast <= prevSlow && fast > slow && rsi > 30 && rsi < 70 && volumeRatio > 1.2) status = 1;
    } else if (status === 1) {
      entry = open[i]!;
      stop = entry - entry * 0.02;
      target = entry + entry * 0.04;
      status = 2;
    } else if (status === 2) {
      if (low[i]! <= stop) {
        trades++;
        sumReturns += stop / entry - 1;
        status = 0;
      } else if (high[i]! >= target) {
        trades++;
        sumReturns += target / entry - 1;
        status = 0;
      } else if (prevFast >= prevSlow && fast < slow) status = 3;
    } else {
      trades++;
      sumReturns += open[i]! / entry - 1;
      status = 0;
    }
  }
  if (status === 2 || status === 3) {
    trades++;
    sumReturns += close[n - 1]! / entry - 1;
  }
  return { trades, sumReturns };
}

interface GrademarkBar {
  time: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  crossUp: boolean;
  crossDown: boolean;
  rsi: number;
  volumeRatio: number;
}

/** The data-forge frame grademark runs on, with the indicator columns precomputed (untimed). */
export function grademarkInput(s: Series): unknown {
  const require = createRequire(import.meta.url);
  const { DataFrame } = require('data-forge') as { DataFrame: new (rows: unknown[]) => unknown };
  const fast = emaSeries(s.close, FAST);
  const slow = emaSeries(s.close, SLOW);
  const rsi = rsiSeries(s.close, RSI_PERIOD);
  const ratio = volumeRatioSeries(s.volume, VOLUME_PERIOD);
  const bars: GrademarkBar[] = [];
  for (let i = 0; i < s.close.length; i++) {
    const pf = i > 0 ? fast[i - 1]! : Number.NaN;
    const ps = i > 0 ? slow[i - 1]! : Number.NaN;
    bars.push({
      time: new Date(s.time[i]!),
      open: s.open[i]!,
      high: s.high[i]!,
      low: s.low[i]!,
      close: s.close[i]!,
      volume: s.volume[i]!,
      crossUp: pf <= ps && fast[i]! > slow[i]!,
      crossDown: pf >= ps && fast[i]! < slow[i]!,
      rsi: rsi[i]!,
      volumeRatio: ratio[i]!,
    });
  }
  return new DataFrame(bars);
}

/** Runs grademark's `backtest()` on a prepared frame. */
export function grademark(frame: unknown): BaselineTrades {
  const require = createRequire(import.meta.url);
  const { backtest } = require('grademark') as { backtest: (strategy: unknown, input: unknown) => { entryPrice: number; exitPrice: number }[] };
  const trades = backtest(
    {
      entryRule: (enter: () => void, args: { bar: GrademarkBar }) => {
        const b = args.bar;
        if (b.crossUp && b.rsi > 30 && b.rsi < 70 && b.volumeRatio > 1.2) enter();
      },
      exitRule: (exit: () => void, args: { bar: GrademarkBar }) => {
        if (args.bar.crossDown) exit();
      },
      stopLoss: (args: { entryPrice: number }) => args.entryPrice * 0.02,
      profitTarget: (args: { entryPrice: number }) => args.entryPrice * 0.04,
    },
    frame,
  );
  let sumReturns = 0;
  for (const t of trades) sumReturns += t.exitPrice / t.entryPrice - 1;
  return { trades: trades.length, sumReturns };
}
