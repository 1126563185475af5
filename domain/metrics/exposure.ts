import type { OpenPositionRow, TradeRow } from './rows.ts';

/**
 * Exposure time: the fraction of [periodStartMs, nowMs] during which at least one position was
 * open. Each closed trade row contributes [openedAtMs, closedAtMs] and each open position
 * [openedAtMs, nowMs]; overlapping intervals (several positions, or the rows of one position's
 * partial closes) count once, and everything is clipped to the period. Null when the period is
 * empty (nowMs ≤ periodStartMs). Pure.
 */
export function exposureTime(
  trades: readonly TradeRow[],
  openPositions: readonly OpenPositionRow[],
  periodStartMs: number,
  nowMs: number,
): number | null {
  if (nowMs <= periodStartMs) return null;
  const intervals: Array<[number, number]> = [
    ...trades.map((t): [number, number] => [t.openedAtMs, t.closedAtMs]),
    ...openPositions.map((p): [number, number] => [p.openedAtMs, nowMs]),
  ]
    .map(([a, b]): [number, number] => [Math.max(a, periodStartMs), Math.min(b, nowMs)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let runStart = Number.NEGATIVE_INFINITY;
  let runEnd = Number.NEGATIVE_INFINITY;
  for (const [a, b] of intervals) {
    if (a > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = a;
      runEnd = b;
    } else if (b > runEnd) {
      runEnd = b;
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return covered / (nowMs - periodStartMs);
}
