/**
 * `RiskLimits`: the human-set limits (predecessor §1.2, `risk_limits.toml`; the AI can never
 * change them). Fractions are 0..1 of portfolio value (0.10 = 10 %), counts are integers. The
 * config layer maps brain.toml onto this shape; strategies receive it in `initialize()`.
 */
import { z } from 'zod';
import { formatIssues } from './issues.ts';

export interface RiskLimits {
  /** Max value of one symbol (all tags, at current price, incl. the new trade) / portfolio value. */
  readonly maxPositionPct: number;
  /** Max open positions (tags); average-ins into an existing tag are exempt. */
  readonly maxPositions: number;
  /** Daily loss beyond this fraction of start-of-day equity denies entries and halts (auto-clears next local day). */
  readonly maxDailyLossPct: number;
  /** Max entries (BUY executions) per local day. */
  readonly maxDailyTrades: number;
  /** Max size of one BUY, fraction of portfolio value. */
  readonly maxTradePct: number;
  /** Suggested BUY size for strategies (not enforced). */
  readonly defaultTradePct: number;
  /** Suggested stop-loss / take-profit distances for strategies, fractions of entry (not enforced). */
  readonly defaultStopLossPct: number;
  readonly defaultTakeProfitPct: number;
  /** Config kill switch: no entries at all while true; only the config can clear it. */
  readonly killSwitch: boolean;
  /** Peak-to-current equity drop beyond this fraction halts (sticky until operator resume). */
  readonly maxDrawdownPct: number;
  /** Start-of-day-to-current equity drop beyond this fraction reverts the strategy (and halts for the day). */
  readonly rollbackDailyLossPct: number;
  /** This many losing closes in a row revert the strategy and halt (sticky). */
  readonly rollbackConsecutiveLosses: number;
  /** true: the daily-loss check uses equity change since start of day (realized + unrealized); false: realized P&L only. */
  readonly dailyLossIncludesUnrealized: boolean;
}

const pct = z.number().gt(0).lte(1);
const count = z.number().int().min(1);

/** Schema of `RiskLimits` (strict), with the predecessor's cross-field rules: defaultTradePct ≤ maxTradePct ≤ maxPositionPct. */
export const riskLimitsSchema = z
  .strictObject({
    maxPositionPct: pct,
    maxPositions: count,
    maxDailyLossPct: pct,
    maxDailyTrades: count,
    maxTradePct: pct,
    defaultTradePct: pct,
    defaultStopLossPct: z.number().gt(0).lt(1),
    defaultTakeProfitPct: pct,
    killSwitch: z.boolean(),
    maxDrawdownPct: pct,
    rollbackDailyLossPct: pct,
    rollbackConsecutiveLosses: count,
    dailyLossIncludesUnrealized: z.boolean(),
  })
  .superRefine((l, ctx) => {
    // Compare only values that passed their own range check (zod runs this after range issues too).
    const ok = (x: number): boolean => x > 0 && x <= 1;
    if (ok(l.maxTradePct) && ok(l.maxPositionPct) && l.maxTradePct > l.maxPositionPct) {
      ctx.addIssue({ code: 'custom', path: ['maxTradePct'], message: `must be ≤ maxPositionPct (${l.maxPositionPct}), got ${l.maxTradePct}` });
    }
    if (ok(l.defaultTradePct) && ok(l.maxTradePct) && l.defaultTradePct > l.maxTradePct) {
      ctx.addIssue({ code: 'custom', path: ['defaultTradePct'], message: `must be ≤ maxTradePct (${l.maxTradePct}), got ${l.defaultTradePct}` });
    }
  });

/** Field names of `RiskLimits`, in declaration order. */
export const RISK_LIMIT_KEYS = Object.keys(riskLimitsSchema.shape) as readonly (keyof RiskLimits)[];

/** Validates `RiskLimits`; the reason names every bad field. Pure; never throws. */
export function parseRiskLimits(raw: unknown): { ok: true; value: RiskLimits } | { ok: false; reason: string } {
  const r = riskLimitsSchema.safeParse(raw, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: formatIssues(r.error.issues, { subject: 'RiskLimits', allowedKeys: new Map([['', RISK_LIMIT_KEYS]]) }) };
}
