/**
 * The closed value sets the schema's CHECK constraints enforce, as TypeScript constants. The SQL
 * lists in `migrations/*.sql` must equal these (a test inserts every value and one outsider).
 * Changing a set needs a new migration that rebuilds the table.
 */

/** Position intent (informational metadata carried from the signal). */
export const INTENTS = ['DAY', 'SWING', 'POSITION'] as const;
export type Intent = (typeof INTENTS)[number];

/** Strategy signal actions. */
export const SIGNAL_ACTIONS = ['BUY', 'SELL', 'CLOSE', 'MODIFY'] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** Strategy signal order types. */
export const SIGNAL_ORDER_TYPES = ['MARKET', 'LIMIT'] as const;
export type SignalOrderType = (typeof SIGNAL_ORDER_TYPES)[number];

/** Order lifecycle states (DESIGN §2 "order"; the transition table lives in domain/orders). */
export const ORDER_STATUSES = [
  'new',
  'submitted',
  'accepted',
  'partiallyFilled',
  'filled',
  'pendingCancel',
  'canceled',
  'rejected',
  'expired',
  'unknown',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Order statuses after which nothing more can happen to the order. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired'];

export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

/** Order types sent to the venue (domain/orders `OrderType`, Kraken's names). */
export const ORDER_TYPES = ['market', 'limit', 'stop-loss', 'take-profit'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Why an order exists. */
export const ORDER_PURPOSES = ['entry', 'exit', 'stopLoss', 'takeProfit'] as const;
export type OrderPurpose = (typeof ORDER_PURPOSES)[number];

export const LIQUIDITIES = ['maker', 'taker'] as const;
export type Liquidity = (typeof LIQUIDITIES)[number];

export const CONDITIONAL_STATUSES = ['active', 'canceled', 'filledStopLoss', 'filledTakeProfit'] as const;
export type ConditionalStatus = (typeof CONDITIONAL_STATUSES)[number];

/**
 * Why a position (or part of it) was closed: domain/portfolio `CloseReason` (the predecessor's
 * stored values) plus 'operator' (a manual close) and 'rollback'.
 */
export const CLOSE_REASONS = [
  'signal',
  'stop_loss',
  'take_profit',
  'emergency',
  'reconciliation',
  'promotion',
  'operator',
  'rollback',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const CAPITAL_EVENT_TYPES = ['deposit', 'withdrawal', 'adjustment'] as const;
export type CapitalEventType = (typeof CAPITAL_EVENT_TYPES)[number];

export const CANDIDATE_STATUSES = ['running', 'promoted', 'rejected', 'canceled'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export const PAPER_TEST_STATUSES = ['running', 'passed', 'failed', 'inconclusive', 'canceled'] as const;
export type PaperTestStatus = (typeof PAPER_TEST_STATUSES)[number];

export const PREDICTION_CONFIDENCES = ['low', 'medium', 'high'] as const;
export type PredictionConfidence = (typeof PREDICTION_CONFIDENCES)[number];

export const PREDICTION_GRADES = ['confirmed', 'refuted', 'partiallyConfirmed', 'inconclusive'] as const;
export type PredictionGrade = (typeof PREDICTION_GRADES)[number];

export const ACTIVITY_CATEGORIES = ['trade', 'risk', 'system', 'scan', 'orchestrator', 'strategy', 'candidate', 'operator'] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

export const ACTIVITY_SEVERITIES = ['info', 'warning', 'error'] as const;
export type ActivitySeverity = (typeof ACTIVITY_SEVERITIES)[number];
