/**
 * REFLECTION output (predecessor §10.7): grades for open predictions, the rewritten strategy
 * document, a summary and new predictions. Pure zod schema; the call checks that every graded id
 * was one of the open predictions it was given.
 */
import { z } from 'zod';
import { predictionsSchema } from './prediction.ts';
import { boundedText } from './text.ts';

/** Prediction grades. */
export const PREDICTION_GRADES = ['confirmed', 'refuted', 'partiallyConfirmed', 'inconclusive'] as const;
export type PredictionGrade = (typeof PREDICTION_GRADES)[number];

/** Shortest strategy document accepted (the predecessor kept the old one below 50 characters). */
export const MIN_STRATEGY_DOCUMENT_CHARS = 50;

const gradedSchema = z.strictObject({
  predictionId: z.number().int().min(1).describe('The id of the open prediction.'),
  grade: z.enum(PREDICTION_GRADES),
  evidence: boundedText(1, 2000, 'The observations that decide the grade.'),
  learning: boundedText(0, 2000, 'What the fund should learn from it.'),
});

/** One graded prediction. */
export type GradedPrediction = z.infer<typeof gradedSchema>;

/** The reflection; each prediction id is graded at most once. */
export const reflectionSchema = z
  .strictObject({
    gradedPredictions: z.array(gradedSchema).max(200).describe('Grades for open predictions whose timeframe has passed or that the data already decides.'),
    strategyDocument: boundedText(MIN_STRATEGY_DOCUMENT_CHARS, 60_000, 'The full rewritten strategy document (it replaces the current one).'),
    summary: boundedText(1, 5000, 'What changed in your understanding.'),
    newPredictions: predictionsSchema.describe('New falsifiable predictions.'),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<number>();
    r.gradedPredictions.forEach((g, i) => {
      if (seen.has(g.predictionId)) ctx.addIssue({ code: 'custom', path: ['gradedPredictions', i, 'predictionId'], message: `prediction ${g.predictionId} is graded twice` });
      seen.add(g.predictionId);
    });
  });

/** A validated reflection. */
export type Reflection = z.infer<typeof reflectionSchema>;

/**
 * Checks that every graded id is one of `openIds`. Returns null when it holds, else the reason
 * naming the unknown ids. Pure.
 */
export function checkGradedIds(reflection: Reflection, openIds: readonly number[]): string | null {
  const open = new Set(openIds);
  const unknown = reflection.gradedPredictions.map((g) => g.predictionId).filter((id) => !open.has(id));
  if (unknown.length === 0) return null;
  return `gradedPredictions: unknown prediction id(s) ${unknown.join(', ')}; open ids are ${openIds.length > 0 ? openIds.join(', ') : 'none'}`;
}
