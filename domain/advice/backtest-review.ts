/**
 * BACKTEST REVIEW output (predecessor §10.5): after a candidate's walk-forward backtest, deploy it
 * as a shadow candidate, send it back with instructions, or abandon the goal. Pure zod schema.
 */
import { z } from 'zod';
import { boundedText, hasText, optionalText } from './text.ts';

/** Backtest review verdicts. */
export const BACKTEST_VERDICTS = ['deploy', 'revise', 'abandon'] as const;
export type BacktestVerdict = (typeof BACKTEST_VERDICTS)[number];

/** The review; `revise` must say what to change. */
export const backtestReviewSchema = z
  .strictObject({
    verdict: z
      .enum(BACKTEST_VERDICTS)
      .describe('deploy: start its shadow paper test; revise: another attempt with your instructions; abandon: stop pursuing this change.'),
    reasoning: boundedText(1, 10_000, 'Why, from the out-of-sample results.'),
    concerns: z.array(boundedText(1, 2000, 'One concern.')).max(20).describe('Risks that remain even if deployed.'),
    revisionInstructions: optionalText(10_000, 'For revise: what the next attempt must change (it replaces the accumulated request). Otherwise null.'),
  })
  .superRefine((r, ctx) => {
    if (r.verdict === 'revise' && !hasText(r.revisionInstructions)) {
      ctx.addIssue({ code: 'custom', path: ['revisionInstructions'], message: 'is required for verdict revise' });
    }
  });

/** A validated backtest review. */
export type BacktestReview = z.infer<typeof backtestReviewSchema>;
