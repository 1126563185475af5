import type {
  AskAnswer,
  BacktestReview,
  CodeReview,
  Decision,
  GeneratedCode,
  PredictionConfidence,
  Reflection,
  TokenUsage,
} from '../advice/index.ts';
import type { Fixed } from '../money/index.ts';

/**
 * The advisor port (DESIGN.md §6): the AI (Claude) behind the orchestrator and `/ask`. Every
 * method resolves to a value and never rejects:
 * - `ok: true` carries a value validated by the `domain/advice` schema (and the call's own checks,
 *   such as slots that exist), plus the `CallRecord` for the thought spool;
 * - `ok: false` carries an `AdvisorError`. A response that fails validation — not JSON,
 *   truncated at the output cap, breaking the schema — is `invalidResponse` WITH its raw text;
 *   it is never turned into NO_CHANGE or any other default.
 *
 * The daily token budget is enforced before each call: a call whose worst case (prompt estimate
 * + output cap) would pass `daily_token_limit` is refused as `budgetExhausted` without sending
 * anything. `remainingToday()` lets the orchestrator skip a cycle below `cycle_token_reserve`.
 *
 * Everything the caller passes as `DataBlock`s reaches the model wrapped and labelled as data;
 * the instructions come only from the advisor's own system prompts. No secret ever enters a
 * prompt.
 */
export interface Advisor {
  /** The nightly decision from the gathered context (analysis model). */
  decide(input: DecisionInput, options?: AdvisorCallOptions): Promise<AdvisorResult<Decision>>;
  /** Writes a full module — a strategy or an analysis module (`input.module`) — for a change request (code model). */
  generateStrategy(input: GenerateInput, options?: AdvisorCallOptions): Promise<AdvisorResult<GeneratedCode>>;
  /** Reviews generated code: contract, safety, correctness (for analysis modules: the math) (analysis model). */
  reviewCode(input: CodeReviewInput, options?: AdvisorCallOptions): Promise<AdvisorResult<CodeReview>>;
  /** Reviews a candidate's backtest: deploy to shadow test, revise, or abandon (analysis model). */
  reviewBacktest(input: BacktestReviewInput, options?: AdvisorCallOptions): Promise<AdvisorResult<BacktestReview>>;
  /** Grades open predictions and rewrites the strategy document (analysis model). */
  reflect(input: ReflectionInput, options?: AdvisorCallOptions): Promise<AdvisorResult<Reflection>>;
  /** Answers an operator's question (`/ask`, ask model). */
  ask(input: AskInput, options?: AdvisorCallOptions): Promise<AdvisorResult<AskAnswer>>;
  /**
   * Tokens left in today's budget (local day): `daily_token_limit` − tokens used today − tokens
   * reserved by calls in flight, never below 0.
   */
  remainingToday(): number;
}

/** Outcome of one advisor call. `call` is present whenever a request was sent. */
export type AdvisorResult<T> =
  | { readonly ok: true; readonly value: T; readonly call: CallRecord<T> }
  | { readonly ok: false; readonly error: AdvisorError; readonly call?: CallRecord<T> };

/**
 * Why a call failed. Callers decide from `kind`, never from `reason`:
 * - `budgetExhausted`: refused before sending; today's budget cannot cover the call;
 * - `timeout`: the request timed out (after retries), the cycle deadline passed, or the caller aborted;
 * - `invalidResponse`: the model answered but the answer is unusable (not JSON, truncated at
 *   `max_tokens`, schema or check failed, no text); `rawText` holds what it said;
 * - `rateLimited`: HTTP 429 after the SDK's retries;
 * - `overloaded`: HTTP 529 after the SDK's retries;
 * - `unavailable`: the service or the client cannot serve (5xx, connection, authentication,
 *   bad request, provider SDK not installed);
 * - `refused`: the model declined (`stop_reason: refusal`); `rawText` holds any text.
 */
export interface AdvisorError {
  readonly kind: AdvisorErrorKind;
  readonly reason: string;
  readonly rawText?: string;
}

/** The closed set of failure kinds. */
export type AdvisorErrorKind = 'budgetExhausted' | 'timeout' | 'invalidResponse' | 'rateLimited' | 'overloaded' | 'unavailable' | 'refused';

/** What the call was for; picks the model, output cap and system prompt. */
export type AdvisorPurpose = 'decision' | 'generate' | 'reviewCode' | 'reviewBacktest' | 'reflection' | 'ask';

/**
 * One AI call as the thought spool (`orchestrator_thoughts`) and `token_usage` store it. Money
 * is exact; times are ms (epoch UTC for `startedAtMs`).
 */
export interface CallRecord<T = unknown> {
  /** Model id that was asked (the price key). */
  readonly model: string;
  readonly purpose: AdvisorPurpose;
  /** Thought-spool step name (e.g. `analysis`, `candidate_gen_o1_i2`). */
  readonly step: string;
  /** Cycle that asked, or null outside a cycle (`/ask`). */
  readonly cycleId: string | null;
  /** What was asked: system prompt id, the data blocks (kind, title, size), output cap. */
  readonly promptSummary: string;
  /** Every text block of the response, joined ('' when there was no response or no text). */
  readonly responseText: string;
  /** Any thinking text the response carried (summarized by the API), '' when none. */
  readonly thinkingText: string;
  /** The validated value, or null when the call failed. */
  readonly parsed: T | null;
  /** The API's `stop_reason`, or null when no response arrived. */
  readonly stopReason: string | null;
  /** Tokens billed (all zero when no response arrived). */
  readonly usage: TokenUsage;
  /** Exact cost in USD from the configured prices. */
  readonly costUsd: Fixed;
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** The API's message id (`msg_…`), when a response arrived. */
  readonly messageId: string | null;
  /** `ok`, or the failure kind. */
  readonly outcome: 'ok' | AdvisorErrorKind;
  /** How many secret values were found in the prompt and replaced before sending (should be 0). */
  readonly redactions: number;
}

/** Per-call metadata and cancellation. */
export interface AdvisorCallOptions {
  /** Cycle id for the records; null/absent outside a cycle. */
  readonly cycleId?: string | null;
  /** Thought-spool step name; defaults per purpose (`analysis`, `code_gen`, `code_review`, `backtest_review`, `reflection`, `user_ask`). */
  readonly step?: string;
  /** Absolute deadline (ms since epoch, UTC), e.g. the cycle's; the call ends as `timeout` when it passes. */
  readonly deadlineMs?: number;
  /** Aborts the call (e.g. the invoking state was left); ends as `timeout`. */
  readonly signal?: AbortSignal;
}

/**
 * What a data block holds. Every block is presented to the model as data, never as
 * instructions; the kind orders blocks (stable material first, market data last) and labels them.
 */
export type DataKind =
  | 'reference'
  | 'strategyDocument'
  | 'strategyCode'
  | 'analysisCode'
  | 'groundTruth'
  | 'performance'
  | 'versions'
  | 'candidates'
  | 'predictions'
  | 'observations'
  | 'analysisOutput'
  | 'trades'
  | 'signals'
  | 'backtest'
  | 'review'
  | 'feedback'
  | 'changeRequest'
  | 'diff'
  | 'budget'
  | 'question'
  | 'marketData';

/** A labelled piece of context. `content` is untrusted text (market data, strategy output, trade notes, AI-written text). */
export interface DataBlock {
  readonly kind: DataKind;
  /** Short label, e.g. "Truth benchmarks" or "BTC/USD 1h candles". */
  readonly title: string;
  readonly content: string;
}

/** Input of `decide`. */
export interface DecisionInput {
  /** The strategy document (the fund's institutional memory). */
  readonly strategyDocument: string;
  /** Everything gathered for tonight: ground truth, analysis outputs, code, trades, signals, budget, market data… */
  readonly data: readonly DataBlock[];
  /** Configured candidate slots (`max_candidates`): a decision naming a higher slot is invalid. */
  readonly maxCandidates: number;
}

/** Which module a generation or review is about. */
export type ModuleKind = 'strategy' | 'marketAnalysis' | 'tradeAnalysis';

/** Input of `generateStrategy`. */
export interface GenerateInput {
  readonly module: ModuleKind;
  /** What to build or change (from the decision or the backtest review). */
  readonly changeRequest: string;
  /** The current module source ('' when writing from scratch). */
  readonly currentSource: string;
  /** Why earlier attempts were refused (review issues, sandbox or backtest errors), oldest first. */
  readonly feedback: readonly string[];
  /** More context: the strategy document, the contract's type declarations, performance, the DB schema… */
  readonly data: readonly DataBlock[];
}

/** Input of `reviewCode`. */
export interface CodeReviewInput {
  readonly module: ModuleKind;
  readonly changeRequest: string;
  /** The proposed source. */
  readonly source: string;
  /** Unified diff against the current version ('' for a new module). */
  readonly diff: string;
  /** More context: the static check and sandbox results, the contract… */
  readonly data: readonly DataBlock[];
}

/** Input of `reviewBacktest`. */
export interface BacktestReviewInput {
  readonly changeRequest: string;
  /** The candidate's walk-forward backtest report (in and out of sample). */
  readonly backtestReport: string;
  /** The incumbent's report on the same data, for comparison ('' if none). */
  readonly incumbentReport: string;
  /** Earlier attempts of this cycle and how they ended, oldest first. */
  readonly attempts: readonly string[];
  readonly data: readonly DataBlock[];
}

/** An open (ungraded) prediction given to a reflection. */
export interface OpenPrediction {
  readonly id: number;
  readonly claim: string;
  readonly evidence: string;
  readonly falsification: string;
  readonly confidence: PredictionConfidence;
  readonly timeframe: string;
  readonly category: string;
  /** When it was made, ms since epoch (UTC). */
  readonly madeAtMs: number;
}

/** Input of `reflect`. */
export interface ReflectionInput {
  readonly strategyDocument: string;
  /** Predictions to grade; a grade for any other id is invalid. */
  readonly openPredictions: readonly OpenPrediction[];
  /** Observations, flagged nights, trades, positions, performance, lifecycle, versions, signals… */
  readonly data: readonly DataBlock[];
}

/** Input of `ask`. */
export interface AskInput {
  /** The operator's question. */
  readonly question: string;
  /** Current state to answer from (status, positions, performance…). */
  readonly data: readonly DataBlock[];
}

/**
 * The daily token budget's memory: tokens counted per local day (see `budgetTokens` in
 * `domain/advice`). Backed by `token_usage` in the store, or by memory in tests.
 */
export interface BudgetLedger {
  /** Tokens counted in the local day that contains `nowMs` (ms since epoch, UTC). */
  tokensUsedOn(nowMs: number): number;
  /** Records a finished call that was billed (the advisor calls it once per call with a response). */
  record(call: CallRecord, nowMs: number): void;
}
