/**
 * The promotion gate (DESIGN.md §6, issue #8 §4): a candidate may replace the incumbent only
 * after enough shadow trades over a minimum duration, when its out-of-sample (walk-forward) and
 * shadow results beat the incumbent by a Probabilistic Sharpe Ratio threshold, with no shadow
 * risk-limit breach and no operator veto. Fewer trades than required by the deadline is
 * `inconclusive` (the incumbent stays; the candidate may be extended once).
 *
 * Sharpe ratios here are PER TRADE (mean / sample standard deviation of the trades' net return
 * fractions): a shadow test lasts days, far too few daily returns for a PSR, while the trade
 * count is what `min_paper_test_trades` already requires. The benchmark SR* is the incumbent's
 * per-trade Sharpe on the same data (0 — "any skill at all" — when the incumbent's is not
 * computable: fewer than two trades or no spread). Pure.
 */
import { mean, probabilisticSharpe, sampleVariance, skewnessAndKurtosis } from '../../domain/metrics/index.ts';

/** Gate thresholds (from `[orchestrator]`). */
export interface GateRules {
  /** `min_paper_test_trades`. */
  readonly minTrades: number;
  /** `min_paper_test_days` in ms. */
  readonly minDurationMs: number;
  /** `promotion_min_psr`, a probability in [0, 1]. */
  readonly minPsr: number;
}

/** Everything the gate looks at. Returns are fractions per trade (0.01 = +1 %). */
export interface GateInput {
  readonly nowMs: number;
  readonly shadowStartedAtMs: number;
  /** The running paper test's deadline (ms UTC). */
  readonly deadlineMs: number;
  readonly candidateOos: readonly number[];
  readonly incumbentOos: readonly number[];
  readonly candidateShadow: readonly number[];
  readonly incumbentShadow: readonly number[];
  /** Risk-limit breaches in the shadow book (halts, rollback triggers). */
  readonly breaches: number;
  /** Operator veto, with its reason; null when none. */
  readonly veto: string | null;
}

/** `pending`: not judgeable yet (too early, or too few trades before the deadline). */
export type GateVerdict = 'passed' | 'failed' | 'inconclusive' | 'pending';

/** The verdict, each check's reason, and the two PSRs (null when not computable). */
export interface GateResult {
  readonly verdict: GateVerdict;
  readonly reasons: readonly string[];
  readonly psrOos: number | null;
  readonly psrShadow: number | null;
  readonly trades: number;
}

/** Per-trade Sharpe sample of `returns`, or null (fewer than 2 returns, no spread). */
export function tradeSharpe(returns: readonly number[]): { sharpe: number; observations: number; skewness: number; kurtosis: number } | null {
  if (returns.length < 2) return null;
  const sd = Math.sqrt(sampleVariance(returns));
  const shape = skewnessAndKurtosis(returns);
  if (!(sd > 0) || shape === null) return null;
  return { sharpe: mean(returns) / sd, observations: returns.length, ...shape };
}

/** PSR of `candidate` against the incumbent's per-trade Sharpe (0 when not computable); null when the candidate's is not computable. */
export function psrAgainst(candidate: readonly number[], incumbent: readonly number[]): number | null {
  const c = tradeSharpe(candidate);
  if (c === null) return null;
  const benchmark = tradeSharpe(incumbent)?.sharpe ?? 0;
  return probabilisticSharpe(c, benchmark);
}

/**
 * Judges a candidate. Order: veto → breach → too early → too few trades (inconclusive at the
 * deadline, else pending) → PSR out of sample and in shadow (failed at the deadline, else pending
 * so the shadow test can gather more evidence) → passed.
 */
export function evaluateGate(input: GateInput, rules: GateRules): GateResult {
  const trades = input.candidateShadow.length;
  const psrOos = psrAgainst(input.candidateOos, input.incumbentOos);
  const psrShadow = psrAgainst(input.candidateShadow, input.incumbentShadow);
  const base = { psrOos, psrShadow, trades };
  if (input.veto !== null) return { verdict: 'failed', reasons: [`vetoed by the operator: ${input.veto}`], ...base };
  if (input.breaches > 0) return { verdict: 'failed', reasons: [`${input.breaches} shadow risk-limit breach(es)`], ...base };
  const atDeadline = input.nowMs >= input.deadlineMs;
  const ran = input.nowMs - input.shadowStartedAtMs;
  if (trades < rules.minTrades) {
    return atDeadline
      ? { verdict: 'inconclusive', reasons: [`${trades} shadow trades by the deadline, ${rules.minTrades} needed`], ...base }
      : { verdict: 'pending', reasons: [`${trades} of ${rules.minTrades} shadow trades so far`], ...base };
  }
  if (ran < rules.minDurationMs && !atDeadline) {
    return { verdict: 'pending', reasons: [`shadow test ran ${(ran / 86_400_000).toFixed(2)} of ${(rules.minDurationMs / 86_400_000).toFixed(2)} days`], ...base };
  }
  const failures: string[] = [];
  const fmt = (p: number | null) => (p === null ? 'n/a' : p.toFixed(3));
  if (psrOos === null || psrOos < rules.minPsr) failures.push(`out-of-sample PSR ${fmt(psrOos)} vs incumbent is below ${rules.minPsr}`);
  if (psrShadow === null || psrShadow < rules.minPsr) failures.push(`shadow PSR ${fmt(psrShadow)} vs incumbent is below ${rules.minPsr}`);
  if (failures.length > 0) return atDeadline ? { verdict: 'failed', reasons: failures, ...base } : { verdict: 'pending', reasons: failures, ...base };
  return { verdict: 'passed', reasons: [`${trades} trades; PSR out of sample ${fmt(psrOos)}, shadow ${fmt(psrShadow)} ≥ ${rules.minPsr}`], ...base };
}
