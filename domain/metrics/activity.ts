import type { ScanRow, SignalRow, StrategyVersionRow } from './rows.ts';

/** Truth metrics over signals, scans and strategy versions (predecessor §11 #14–21). Pure. */

/** #14 Number of signals (acted on or not). */
export function totalSignals(signals: readonly SignalRow[]): number {
  return signals.length;
}

/** #15 Number of signals acted on. */
export function actedSignals(signals: readonly SignalRow[]): number {
  return signals.filter((s) => s.actedOn).length;
}

/** #16 actedSignals / totalSignals, a fraction; 0 when there are no signals. */
export function signalActRate(signals: readonly SignalRow[]): number {
  return signals.length === 0 ? 0 : actedSignals(signals) / signals.length;
}

/** #17 Number of scan rows (one per symbol per scan, within the store's retention). */
export function totalScans(scans: readonly ScanRow[]): number {
  return scans.length;
}

/** #18 Earliest scan time, ms since epoch; null when there are no scans. */
export function firstScanAt(scans: readonly ScanRow[]): number | null {
  if (scans.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < scans.length; i++) min = Math.min(min, scans[i]!.createdAtMs);
  return min;
}

/** #19 Latest scan time, ms since epoch; null when there are no scans. */
export function lastScanAt(scans: readonly ScanRow[]): number | null {
  if (scans.length === 0) return null;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scans.length; i++) max = Math.max(max, scans[i]!.createdAtMs);
  return max;
}

/**
 * #20 The version deployed most recently (greatest `deployedAtMs`; on a tie the later row);
 * null when none was ever deployed.
 */
export function currentStrategyVersion(versions: readonly StrategyVersionRow[]): string | null {
  let best: StrategyVersionRow | null = null;
  for (const v of versions) {
    if (v.deployedAtMs !== null && (best === null || v.deployedAtMs >= best.deployedAtMs!)) best = v;
  }
  return best?.version ?? null;
}

/** #21 Number of strategy versions recorded (candidates included). */
export function strategyVersionCount(versions: readonly StrategyVersionRow[]): number {
  return versions.length;
}
