/**
 * Fees by volume tier: Kraken charges maker/taker rates that fall as the account's 30-day traded
 * volume (USD, all crypto pairs) rises (reference/kraken.md §9). The pipeline keeps the fills of
 * the last 30 days and looks the rate up at every fill, so a backtest that trades a lot pays what
 * Kraken would charge, and one that trades little pays the $0-tier rates. Pure.
 */
import type { FeeRatesPct } from '../execution/index.ts';
import { type Fixed, ZERO, fromString, toString } from '../money/index.ts';

/** One tier: from `minVolume` (quote units of 30-day volume) on, these rates in PERCENT units (0.4 = 0.40 %). */
export interface FeeTier {
  readonly minVolume: Fixed;
  readonly makerPct: Fixed;
  readonly takerPct: Fixed;
}

/** Tiers in ascending `minVolume`, the first at 0. */
export type FeeSchedule = readonly FeeTier[];

/** Length of the volume window that sets the tier: 30 days in ms. */
export const FEE_VOLUME_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

function tier(minVolume: string, makerPct: string, takerPct: string): FeeTier {
  return Object.freeze({ minVolume: fromString(minVolume), makerPct: fromString(makerPct), takerPct: fromString(takerPct) });
}

/**
 * Kraken Pro's crypto schedule as AssetPairs `fees`/`fees_maker` reported it in 2025–2026
 * (reference/kraken.md §9): 0.25 %/0.40 % below $10k of 30-day volume, down to 0 %/0.05 % from
 * $500M. The maker schedule ends at 0 % from $10M.
 */
export const KRAKEN_PRO_FEE_SCHEDULE: FeeSchedule = Object.freeze([
  tier('0', '0.25', '0.40'),
  tier('10000', '0.20', '0.35'),
  tier('50000', '0.14', '0.24'),
  tier('100000', '0.12', '0.22'),
  tier('250000', '0.10', '0.20'),
  tier('500000', '0.08', '0.18'),
  tier('1000000', '0.06', '0.16'),
  tier('2500000', '0.04', '0.14'),
  tier('5000000', '0.02', '0.12'),
  tier('10000000', '0.00', '0.10'),
  tier('100000000', '0.00', '0.08'),
  tier('500000000', '0.00', '0.05'),
]);

/** A schedule with one tier: the same rates at any volume. */
export function flatFeeSchedule(rates: FeeRatesPct): FeeSchedule {
  return Object.freeze([Object.freeze({ minVolume: ZERO, makerPct: rates.makerPct, takerPct: rates.takerPct })]);
}

/**
 * Why a schedule is unusable, or null: it must be non-empty, start at volume 0, rise strictly,
 * and have rates in 0..100 %. Pure.
 */
export function feeScheduleProblem(schedule: FeeSchedule): string | null {
  if (schedule.length === 0) return 'fee schedule must have at least one tier';
  if (schedule[0]!.minVolume !== ZERO) return `the first fee tier must start at volume 0, got ${toString(schedule[0]!.minVolume)}`;
  const hundred = fromString('100');
  for (let i = 0; i < schedule.length; i++) {
    const t = schedule[i]!;
    if (i > 0 && t.minVolume <= schedule[i - 1]!.minVolume) {
      return `fee tiers must rise strictly in volume: tier ${i} starts at ${toString(t.minVolume)}, not above ${toString(schedule[i - 1]!.minVolume)}`;
    }
    for (const [name, pct] of [['makerPct', t.makerPct], ['takerPct', t.takerPct]] as const) {
      if (pct < ZERO || pct > hundred) return `fee tier ${i} ${name} must be within 0..100 (percent units), got ${toString(pct)}`;
    }
  }
  return null;
}

/** The rates of the highest tier whose `minVolume` ≤ `volume`. Pure; the schedule must be valid. */
export function feeRatesFor(schedule: FeeSchedule, volume: Fixed): FeeRatesPct {
  let chosen = schedule[0]!;
  for (let i = 1; i < schedule.length; i++) {
    const t = schedule[i]!;
    if (t.minVolume > volume) break;
    chosen = t;
  }
  return chosen;
}

/** One fill's contribution to the 30-day volume. */
export interface FeeFill {
  readonly tsMs: number;
  /** Quote units, ≥ 0. */
  readonly notional: Fixed;
}

/**
 * Fills of the last `FEE_VOLUME_WINDOW_MS` and their sum. Persistent: `fills[start, end)` are this
 * value's fills, oldest first, in an array that later values may share and extend past `end`
 * (never change below it), so adding a fill costs O(1) instead of a copy. Read it with
 * `feeVolumeFills`.
 */
export interface FeeVolume {
  readonly fills: readonly FeeFill[];
  readonly start: number;
  readonly end: number;
  readonly total: Fixed;
}

/** No volume yet. */
export const EMPTY_FEE_VOLUME: FeeVolume = Object.freeze({ fills: Object.freeze([]) as readonly FeeFill[], start: 0, end: 0, total: ZERO });

/** The fills counted in `volume`, oldest first (a copy). Pure. */
export function feeVolumeFills(volume: FeeVolume): FeeFill[] {
  return volume.fills.slice(volume.start, volume.end);
}

/** A volume of the given fills (oldest first), e.g. restored from the store. Pure. */
export function feeVolumeOf(fills: readonly FeeFill[]): FeeVolume {
  let total = ZERO;
  for (const f of fills) total += f.notional;
  return { fills: [...fills], start: 0, end: fills.length, total };
}

/**
 * Drops fills that left the window: those at or before `nowMs − 30 days`. Returns the same object
 * when nothing left (the common case, O(1)). Pure.
 */
export function rollFeeVolume(volume: FeeVolume, nowMs: number): FeeVolume {
  const cutoff = nowMs - FEE_VOLUME_WINDOW_MS;
  const { fills, end } = volume;
  let start = volume.start;
  if (start === end || fills[start]!.tsMs > cutoff) return volume;
  let total = volume.total;
  while (start < end && fills[start]!.tsMs <= cutoff) total -= fills[start++]!.notional;
  // Compact once most of the shared array has left the window.
  if (start > 1024 && start * 2 > end) return { fills: fills.slice(start, end), start: 0, end: end - start, total };
  return { fills, start, end, total };
}

/** Adds one fill's notional (quote, ≥ 0) at `tsMs`. Pure (appends past every existing value's end, or copies). */
export function addFeeVolume(volume: FeeVolume, tsMs: number, notional: Fixed): FeeVolume {
  const fill: FeeFill = { tsMs, notional };
  if (volume.fills.length === volume.end && !Object.isFrozen(volume.fills)) {
    (volume.fills as FeeFill[]).push(fill);
    return { fills: volume.fills, start: volume.start, end: volume.end + 1, total: volume.total + notional };
  }
  const fills = volume.fills.slice(volume.start, volume.end);
  fills.push(fill);
  return { fills, start: 0, end: fills.length, total: volume.total + notional };
}
