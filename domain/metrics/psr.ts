import { normalCdf, normalQuantile } from './normal.ts';
import type { DailySnapshotRow } from './rows.ts';
import { dailyReturns } from './snapshots.ts';
import { mean, sampleVariance, skewnessAndKurtosis } from './stats.ts';

/** The sample statistics PSR needs, all in the returns' own frequency (not annualised). */
export interface SharpeSample {
  /** Estimated Sharpe ratio ŜR = mean / standard deviation of the returns. */
  readonly sharpe: number;
  /** Number of returns T. */
  readonly observations: number;
  /** Skewness γ₃ of the returns. */
  readonly skewness: number;
  /** Kurtosis γ₄ of the returns, non-excess (3 for normal returns). */
  readonly kurtosis: number;
}

/**
 * Probabilistic Sharpe Ratio (D. H. Bailey & M. López de Prado, "The Sharpe Ratio Efficient
 * Frontier", Journal of Risk 15(2), 2012): the probability that the true Sharpe ratio exceeds
 * `benchmark`, given a sample:
 *
 *   PSR(SR*) = Φ( (ŜR − SR*)·√(T − 1) / √(1 − γ₃·ŜR + (γ₄ − 1)/4·ŜR²) )
 *
 * Sharpe ratios are per period (daily returns → daily Sharpe). Null when T < 2 or the term under
 * the root is not positive (only degenerate two-valued samples reach 0). Pure.
 */
export function probabilisticSharpe(sample: SharpeSample, benchmark = 0): number | null {
  const { sharpe, observations, skewness, kurtosis } = sample;
  if (observations < 2) return null;
  const radicand = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(radicand > 0)) return null;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(radicand));
}

/** The Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio among `trials` independent strategies with no skill whose
 * Sharpe estimates have variance `variance` (Bailey & López de Prado, "The Deflated Sharpe
 * Ratio", Journal of Portfolio Management 40(5), 2014):
 *
 *   E[max ŜR] ≈ √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))
 *
 * Used as the benchmark SR* of `probabilisticSharpe` this gives the Deflated Sharpe Ratio: the
 * gate for a strategy picked as the best of N tries. 0 for N ≤ 1. Pure.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1) return 0;
  const typical = normalQuantile(1 - 1 / trials);
  const extreme = normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * typical + EULER_GAMMA * extreme);
}

/**
 * The PSR inputs from daily snapshots, on the same returns as `sharpeRatio` (same
 * preconditions: ≥ 3 snapshots, ≥ 2 returns): ŜR = mean / sample standard deviation (n − 1),
 * not annualised; γ₃ and γ₄ from the central moments with divisor n. Null when the
 * preconditions fail or the returns have no spread.
 */
export function sharpeSample(snapshots: readonly DailySnapshotRow[]): SharpeSample | null {
  if (snapshots.length < 3) return null;
  const returns = dailyReturns(snapshots);
  if (returns.length < 2) return null;
  const sd = Math.sqrt(sampleVariance(returns));
  const shape = skewnessAndKurtosis(returns);
  if (!(sd > 0) || shape === null) return null;
  return { sharpe: mean(returns) / sd, observations: returns.length, ...shape };
}

/**
 * PSR(SR*) of the fund's daily snapshot returns: the probability that its true daily Sharpe
 * ratio exceeds `benchmark` (default 0: "is there any skill at all"). Null when
 * `sharpeSample` is null or PSR is undefined.
 */
export function probabilisticSharpeRatio(snapshots: readonly DailySnapshotRow[], benchmark = 0): number | null {
  const sample = sharpeSample(snapshots);
  return sample === null ? null : probabilisticSharpe(sample, benchmark);
}
