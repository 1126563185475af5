/**
 * Walk-forward evaluation: the range is cut into N + 1 equal segments; fold k uses segment k − 1
 * as its in-sample window and segment k as its out-of-sample window (a rolling walk-forward).
 * Every window is an independent run with fresh capital and the same warm-up history before its
 * start, so an out-of-sample result never leans on positions or P&L from in-sample. The
 * out-of-sample windows together cover segments 1..N without overlap; their results are also
 * chained into one out-of-sample record (each window's equity compounded onto the previous
 * window's end), which is what the orchestrator's promotion gate reads.
 */
import { type DailySnapshotRow, type TradeRow, type TruthMetrics, type TruthMetricsInput, computeTruthMetrics } from '../../domain/metrics/index.ts';
import { TIMEFRAME_MS } from '../../domain/market/index.ts';
import { toNumber } from '../../domain/money/index.ts';
import type { BacktestRun } from './engine.ts';
import { truthInput } from './report.ts';

const STEP_MS = TIMEFRAME_MS['5m'];

/** One fold's two windows, [fromMs, toMs) each. */
export interface FoldWindows {
  readonly fold: number;
  readonly inSample: { readonly fromMs: number; readonly toMs: number };
  readonly outOfSample: { readonly fromMs: number; readonly toMs: number };
}

/**
 * The fold windows of [fromMs, toMs): N + 1 segments of equal length (a multiple of 5 minutes;
 * the last segment takes the remainder). Returns a reason when the range is too short for N
 * folds (each segment needs at least one 5-minute candle) or N is not an integer ≥ 1.
 */
export function foldWindows(fromMs: number, toMs: number, folds: number): { ok: true; folds: FoldWindows[] } | { ok: false; reason: string } {
  if (!Number.isInteger(folds) || folds < 1) return { ok: false, reason: `--folds must be an integer ≥ 1, got ${folds}` };
  const segment = Math.floor((toMs - fromMs) / (folds + 1) / STEP_MS) * STEP_MS;
  if (segment < STEP_MS) return { ok: false, reason: `the range is too short for ${folds} folds: ${folds + 1} segments of at least 5 minutes are needed` };
  const bound = (i: number): number => (i === folds + 1 ? toMs : fromMs + i * segment);
  const out: FoldWindows[] = [];
  for (let k = 1; k <= folds; k++) {
    out.push({ fold: k, inSample: { fromMs: bound(k - 1), toMs: bound(k) }, outOfSample: { fromMs: bound(k), toMs: bound(k + 1) } });
  }
  return { ok: true, folds: out };
}

/**
 * The out-of-sample runs as one record: trades and snapshots chained in time order. Window k's
 * equity (and trade P&L and fees) are scaled by (chained equity at its start) / (its starting
 * capital), so the chained curve compounds as if one account had traded every window in turn. A
 * local day split between two windows keeps the later window's snapshot.
 */
export function chainedInput(runs: readonly BacktestRun[]): TruthMetricsInput {
  const trades: TradeRow[] = [];
  const snapshots: DailySnapshotRow[] = [];
  const signals: { actedOn: boolean }[] = [];
  const scans: { createdAtMs: number }[] = [];
  let chain = runs.length > 0 ? toNumber(runs[0]!.spec.startingCapital) : 0;
  runs.forEach((run, k) => {
    const input = truthInput(run);
    const capital = toNumber(run.spec.startingCapital);
    const scale = capital > 0 ? chain / capital : 1;
    for (const t of input.trades) trades.push({ ...t, pnl: t.pnl * scale, fees: t.fees * scale });
    const rows = k === 0 ? input.snapshots : input.snapshots.slice(1);
    for (const s of rows) {
      const row = { date: s.date, portfolioValue: s.portfolioValue * scale, cash: s.cash * scale };
      if (snapshots.length > 0 && snapshots[snapshots.length - 1]!.date >= row.date) snapshots[snapshots.length - 1] = row;
      else snapshots.push(row);
    }
    const last = input.snapshots[input.snapshots.length - 1];
    if (last) chain = last.portfolioValue * scale;
    signals.push(...input.signals);
    scans.push(...input.scans);
  });
  const first = runs[0];
  const last = runs[runs.length - 1];
  return {
    trades,
    snapshots,
    signals,
    scans,
    strategyVersions: first ? [{ version: first.spec.strategy.version, deployedAtMs: first.spec.fromMs }] : [],
    openPositions: last ? last.state.ledger.positions.map((p) => ({ openedAtMs: p.openedAt })) : [],
    periodStartMs: first ? first.spec.fromMs : 0,
    nowMs: last ? Math.max(last.endMs, last.spec.fromMs) : 0,
  };
}

/** The chained out-of-sample truth metrics. */
export function chainedMetrics(runs: readonly BacktestRun[]): TruthMetrics {
  return computeTruthMetrics(chainedInput(runs));
}
