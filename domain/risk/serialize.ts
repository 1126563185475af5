/**
 * `RiskState` ⇄ JSON, for persisted actor snapshots (bigint `Fixed` does not survive
 * `JSON.stringify`). Money as canonical decimal strings. Pure.
 */
import { z } from 'zod';
import { formatIssues } from '../contract/index.ts';
import { fromString, toString } from '../money/index.ts';
import type { HaltKind } from './halts.ts';
import type { RiskState } from './state.ts';

/** Format version of `RiskStateJson`; bump on any change and keep a reader for the old one. */
export const RISK_STATE_VERSION = 1;

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, { error: 'must be a decimal string like "-12.5"' });
const HALT_KINDS = ['dailyLoss', 'dailyDrop', 'drawdown', 'consecutiveLosses', 'operator'] as const satisfies readonly HaltKind[];

const riskStateJsonSchema = z.strictObject({
  version: z.literal(RISK_STATE_VERSION),
  dayKey: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date 'YYYY-MM-DD'" }),
  entriesToday: z.number().int().min(0),
  realizedPnlToday: decimal,
  startOfDayEquity: decimal,
  equity: decimal,
  peakEquity: decimal,
  consecutiveLosses: z.number().int().min(0),
  halt: z.strictObject({ kind: z.enum(HALT_KINDS), reason: z.string(), sinceMs: z.number().int() }).nullable(),
  killSwitch: z.boolean(),
  rolledBackToday: z.boolean(),
  rolledBackThisStreak: z.boolean(),
});

/** The JSON form of a `RiskState`. */
export type RiskStateJson = z.output<typeof riskStateJsonSchema>;

/** Encodes a state for persistence. Pure. */
export function riskStateToJson(state: RiskState): RiskStateJson {
  return {
    version: RISK_STATE_VERSION,
    ...state,
    realizedPnlToday: toString(state.realizedPnlToday),
    startOfDayEquity: toString(state.startOfDayEquity),
    equity: toString(state.equity),
    peakEquity: toString(state.peakEquity),
    halt: state.halt === null ? null : { ...state.halt },
  };
}

/** Decodes a persisted state; a corrupt or foreign value yields a reason (fall back to `restoreRiskState`). Pure. */
export function riskStateFromJson(raw: unknown): { ok: true; state: RiskState } | { ok: false; reason: string } {
  const r = riskStateJsonSchema.safeParse(raw, { reportInput: true });
  if (!r.success) return { ok: false, reason: formatIssues(r.error.issues, { subject: 'RiskState' }) };
  const { version: _version, ...j } = r.data;
  return {
    ok: true,
    state: {
      ...j,
      realizedPnlToday: fromString(j.realizedPnlToday),
      startOfDayEquity: fromString(j.startOfDayEquity),
      equity: fromString(j.equity),
      peakEquity: fromString(j.peakEquity),
    },
  };
}
