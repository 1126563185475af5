/**
 * Falsifiable predictions (predecessor §10.7): what the advisor expects to happen, how that
 * could be shown wrong, and when to check. Made in nightly decisions and reflections, graded by
 * later reflections. Pure zod schema.
 */
import { z } from 'zod';
import { boundedText } from './text.ts';

/** Confidence levels a prediction may state. */
export const PREDICTION_CONFIDENCE = ['low', 'medium', 'high'] as const;
export type PredictionConfidence = (typeof PREDICTION_CONFIDENCE)[number];

/** Most predictions accepted in one response. */
export const MAX_PREDICTIONS = 20;

/** One falsifiable prediction; the text caps follow the predecessor's stored columns. */
export const predictionSchema = z
  .strictObject({
    claim: boundedText(1, 2000, 'What you expect to happen, stated so it can be checked.'),
    evidence: boundedText(0, 2000, 'What in the data supports the claim.'),
    falsification: boundedText(1, 2000, 'The observation that would prove the claim wrong.'),
    confidence: z.enum(PREDICTION_CONFIDENCE).describe('How sure you are.'),
    timeframe: boundedText(1, 100, 'When to evaluate it, e.g. "7 days" or "next 20 trades".'),
    category: boundedText(1, 100, 'A short topic label, e.g. "regime", "strategy", "execution".'),
  })
  .describe('A falsifiable prediction.');

/** A validated prediction. */
export type Prediction = z.infer<typeof predictionSchema>;

/** The list field used by decisions and reflections. */
export const predictionsSchema = z.array(predictionSchema).max(MAX_PREDICTIONS);
