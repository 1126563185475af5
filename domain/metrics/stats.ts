/** Small float64 statistics shared by the metrics. Pure. */

/** Arithmetic mean; 0 for an empty list. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let total = 0;
  for (const x of xs) total += x;
  return total / xs.length;
}

/** Sample variance Σ(x − x̄)² / (n − 1); 0 when n < 2. */
export function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let total = 0;
  for (const x of xs) total += (x - m) ** 2;
  return total / (xs.length - 1);
}

/** Central moments of a sample with divisor n: m2 = Σ(x − x̄)²/n, likewise m3 and m4. */
export function centralMoments(xs: readonly number[]): { mean: number; m2: number; m3: number; m4: number } {
  const m = mean(xs);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const n = xs.length === 0 ? 1 : xs.length;
  return { mean: m, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/**
 * Sample skewness γ₃ = m3 / m2^{3/2} and (non-excess) kurtosis γ₄ = m4 / m2², from moments with
 * divisor n (the plain moment estimators; scipy's `skew` and `kurtosis(fisher=False)` defaults).
 * Null when the sample has no spread (m2 = 0). A normal sample gives about 0 and 3.
 */
export function skewnessAndKurtosis(xs: readonly number[]): { skewness: number; kurtosis: number } | null {
  const { m2, m3, m4 } = centralMoments(xs);
  if (!(m2 > 0)) return null;
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}
