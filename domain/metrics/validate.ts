import { daysFromCivil } from './dates.ts';
import type { TruthMetricsInput } from './rows.ts';

/** Thrown for corrupt metric input (NaN money, fractional ms, impossible dates): a bug upstream, never an expected outcome. */
export class MetricsInputError extends Error {
  override readonly name = 'MetricsInputError';
  constructor(readonly problems: readonly string[]) {
    super(`corrupt truth-metrics input: ${problems.join('; ')}`);
  }
}

/**
 * Checks every row and collects all problems: finite numbers, integer ms timestamps, a trade
 * closing no earlier than it opened, real and unique snapshot dates. Throws `MetricsInputError`
 * listing them; returns nothing when the input is sound. Pure.
 */
export function checkTruthInput(input: TruthMetricsInput): void {
  const problems: string[] = [];
  // The row's name is built only for a problem: the checks run over every scan row (one per
  // symbol per step, hundreds of thousands in a backtest), so valid rows must cost no string.
  const finite = (list: string, i: number, field: string, value: number): void => {
    if (!Number.isFinite(value)) problems.push(`${list}[${i}].${field} must be a finite number, got ${value}`);
  };
  const ms = (list: string, i: number, field: string, value: number): void => {
    if (!Number.isSafeInteger(value)) problems.push(`${list}[${i}].${field} must be integer ms since epoch, got ${value}`);
  };
  const trades = input.trades;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]!;
    finite('trades', i, 'pnl', t.pnl);
    finite('trades', i, 'pnlPct', t.pnlPct);
    finite('trades', i, 'fees', t.fees);
    ms('trades', i, 'openedAtMs', t.openedAtMs);
    ms('trades', i, 'closedAtMs', t.closedAtMs);
    if (t.closedAtMs < t.openedAtMs) problems.push(`trades[${i}] closes (${t.closedAtMs}) before it opens (${t.openedAtMs})`);
  }
  const dates = new Set<string>();
  input.snapshots.forEach((s, i) => {
    if (daysFromCivil(s.date) === null) problems.push(`snapshots[${i}].date must be a YYYY-MM-DD calendar date, got ${JSON.stringify(s.date)}`);
    else if (dates.has(s.date)) problems.push(`snapshots[${i}].date ${s.date} appears twice (one snapshot per date)`);
    dates.add(s.date);
    finite('snapshots', i, 'portfolioValue', s.portfolioValue);
    finite('snapshots', i, 'cash', s.cash);
  });
  const scans = input.scans;
  for (let i = 0; i < scans.length; i++) ms('scans', i, 'createdAtMs', scans[i]!.createdAtMs);
  input.strategyVersions.forEach((v, i) => {
    if (v.deployedAtMs !== null) ms('strategyVersions', i, 'deployedAtMs', v.deployedAtMs);
  });
  input.openPositions.forEach((p, i) => ms('openPositions', i, 'openedAtMs', p.openedAtMs));
  if (!Number.isSafeInteger(input.periodStartMs)) problems.push(`periodStartMs must be integer ms since epoch, got ${input.periodStartMs}`);
  if (!Number.isSafeInteger(input.nowMs)) problems.push(`nowMs must be integer ms since epoch, got ${input.nowMs}`);
  if (problems.length > 0) throw new MetricsInputError(problems);
}
