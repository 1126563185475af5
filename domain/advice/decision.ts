/**
 * The nightly DECISION (DESIGN.md §6, predecessor §10.3): one of a closed set of kinds, with the
 * reasoning behind it, observations, falsifiable predictions and — where the kind needs one —
 * a change request or a candidate slot. Pure zod schema; the cross-field rules are part of it,
 * so a response that names a kind without what that kind needs is invalid, never guessed into
 * NO_CHANGE (predecessor §20.1).
 */
import { z } from 'zod';
import { predictionsSchema } from './prediction.ts';
import { boundedText, hasText, optionalText } from './text.ts';

/** Every decision the advisor may take, and nothing else. */
export const DECISION_KINDS = [
  'NO_CHANGE',
  'CREATE_CANDIDATE',
  'CANCEL_CANDIDATE',
  'PROMOTE_CANDIDATE',
  'MARKET_ANALYSIS_UPDATE',
  'TRADE_ANALYSIS_UPDATE',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** What happens to the fund's open positions when a candidate is promoted. */
export const POSITION_HANDLING = ['keep', 'closeAll'] as const;
export type PositionHandling = (typeof POSITION_HANDLING)[number];

/** Highest slot number the schema accepts (the config's `max_candidates` ceiling); the call checks the configured count. */
export const MAX_SLOT = 10;

/** Kinds that need a non-empty `changeRequest` (what to build or change). */
export const KINDS_NEEDING_CHANGE_REQUEST: readonly DecisionKind[] = ['CREATE_CANDIDATE', 'MARKET_ANALYSIS_UPDATE', 'TRADE_ANALYSIS_UPDATE'];
/** Kinds that need `targetSlot`. */
export const KINDS_NEEDING_SLOT: readonly DecisionKind[] = ['CANCEL_CANDIDATE', 'PROMOTE_CANDIDATE'];
/** Kinds that may carry `targetSlot` (CREATE_CANDIDATE: the slot to replace when none is free). */
export const KINDS_ALLOWING_SLOT: readonly DecisionKind[] = ['CREATE_CANDIDATE', 'CANCEL_CANDIDATE', 'PROMOTE_CANDIDATE'];

const shape = z.strictObject({
  decision: z.enum(DECISION_KINDS).describe('The one decision you take tonight.'),
  reasoning: boundedText(1, 20_000, 'Why this decision, from the evidence; say what you are unsure of.'),
  marketObservations: boundedText(0, 10_000, 'What you observe about the markets (empty if nothing new).'),
  crossReferenceFindings: boundedText(0, 10_000, 'Where the data sources agree or disagree (empty if nothing new).'),
  changeRequest: optionalText(
    20_000,
    'CREATE_CANDIDATE, MARKET_ANALYSIS_UPDATE, TRADE_ANALYSIS_UPDATE: what to build or change, specific enough for a programmer. Otherwise null.',
  ),
  targetSlot: z
    .number()
    .int()
    .min(1)
    .max(MAX_SLOT)
    .nullable()
    .describe('CANCEL_CANDIDATE, PROMOTE_CANDIDATE: the candidate slot. CREATE_CANDIDATE: the slot to replace when none is free, else null. Otherwise null.'),
  positionHandling: z
    .enum(POSITION_HANDLING)
    .nullable()
    .describe('PROMOTE_CANDIDATE: keep the fund\'s open positions or close them all first. Otherwise null.'),
  evaluationDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .nullable()
    .describe('CREATE_CANDIDATE: how many days you intend to watch the candidate (informational). Otherwise null.'),
  docFlag: z.boolean().describe('True when tonight is significant for the next reflection.'),
  flagReason: optionalText(2000, 'Why tonight is significant (required when docFlag is true), else null.'),
  predictions: predictionsSchema.describe('Falsifiable predictions (encouraged whenever you act).'),
});

/**
 * The decision schema: the shape, then the rules each kind imposes. Issues name the field, the
 * kind and what is allowed.
 */
export const decisionSchema = shape.superRefine((d, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (KINDS_NEEDING_CHANGE_REQUEST.includes(d.decision)) {
    if (!hasText(d.changeRequest)) issue('changeRequest', `is required for ${d.decision} (what to build or change)`);
  } else if (hasText(d.changeRequest)) {
    issue('changeRequest', `must be null for ${d.decision}; only ${KINDS_NEEDING_CHANGE_REQUEST.join(', ')} carry one`);
  }
  if (KINDS_NEEDING_SLOT.includes(d.decision) && d.targetSlot === null) {
    issue('targetSlot', `is required for ${d.decision} (a slot 1..${MAX_SLOT})`);
  }
  if (!KINDS_ALLOWING_SLOT.includes(d.decision) && d.targetSlot !== null) {
    issue('targetSlot', `must be null for ${d.decision}; only ${KINDS_ALLOWING_SLOT.join(', ')} name a slot`);
  }
  if (d.decision === 'PROMOTE_CANDIDATE' && d.positionHandling === null) {
    issue('positionHandling', `is required for PROMOTE_CANDIDATE ('keep' or 'closeAll')`);
  }
  if (d.decision !== 'PROMOTE_CANDIDATE' && d.positionHandling !== null) {
    issue('positionHandling', `must be null for ${d.decision}; only PROMOTE_CANDIDATE uses it`);
  }
  if (d.decision !== 'CREATE_CANDIDATE' && d.evaluationDays !== null) {
    issue('evaluationDays', `must be null for ${d.decision}; only CREATE_CANDIDATE uses it`);
  }
  if (d.docFlag && !hasText(d.flagReason)) issue('flagReason', 'is required when docFlag is true');
});

/** A validated nightly decision. */
export type Decision = z.infer<typeof decisionSchema>;

/**
 * Checks a validated decision against tonight's configuration: a slot it names must exist
 * (1..`maxCandidates`). Returns null when it holds, else the reason. Pure.
 */
export function checkDecisionSlots(decision: Decision, maxCandidates: number): string | null {
  if (decision.targetSlot !== null && decision.targetSlot > maxCandidates) {
    return `targetSlot: ${decision.targetSlot} does not exist; slots are 1..${maxCandidates} (max_candidates)`;
  }
  return null;
}
