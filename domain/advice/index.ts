/**
 * What the AI advisor may answer, as zod schemas (DESIGN.md §6, STYLE.md 11): the nightly
 * decision (a closed set), generated code, code and backtest reviews, reflections and /ask
 * answers; the parser that turns response text into a value or a reason; and exact token cost.
 * Pure: no I/O, no clock.
 */
export { type AskAnswer, askAnswerSchema } from './ask.ts';
export { BACKTEST_VERDICTS, type BacktestReview, type BacktestVerdict, backtestReviewSchema } from './backtest-review.ts';
export {
  CODE_REVIEW_VERDICTS,
  type CodeReview,
  type CodeReviewVerdict,
  type DeclaredParameter,
  type GeneratedCode,
  ISSUE_SEVERITIES,
  type IssueSeverity,
  MAX_PARAMETERS,
  MAX_SOURCE_CHARS,
  PARAMETER_NAME_RE,
  type ReviewIssue,
  codeReviewSchema,
  generatedCodeSchema,
  unwrapCodeFence,
} from './code.ts';
export {
  type ModelPrice,
  type ModelPriceNumbers,
  type TokenUsage,
  UsageError,
  ZERO_USAGE,
  addUsage,
  assertUsage,
  budgetTokens,
  costUsd,
  modelPrice,
} from './cost.ts';
export {
  DECISION_KINDS,
  type Decision,
  type DecisionKind,
  KINDS_ALLOWING_SLOT,
  KINDS_NEEDING_CHANGE_REQUEST,
  KINDS_NEEDING_SLOT,
  MAX_SLOT,
  POSITION_HANDLING,
  type PositionHandling,
  checkDecisionSlots,
  decisionSchema,
} from './decision.ts';
export { type AdviceParse, MAX_LISTED_ISSUES, parseAdvice } from './parse.ts';
export { MAX_PREDICTIONS, PREDICTION_CONFIDENCE, type Prediction, type PredictionConfidence, predictionSchema, predictionsSchema } from './prediction.ts';
export { MIN_STRATEGY_DOCUMENT_CHARS, PREDICTION_GRADES, type GradedPrediction, type PredictionGrade, type Reflection, checkGradedIds, reflectionSchema } from './reflection.ts';
export { hasText } from './text.ts';
