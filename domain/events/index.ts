/**
 * The notifier event catalogue (predecessor §14 plus this design's additions): every event the
 * fund announces, as a typed discriminated union with strict zod schemas, each with its Telegram
 * switch, activity category and severity, and a one-line summary. Pure: no I/O, no clock.
 */
export {
  ACTIVITY_CATEGORIES,
  ACTIVITY_SEVERITIES,
  CYCLE_OUTCOMES,
  HALT_SOURCES,
  RISK_TIER_NAMES,
  TRADE_CLOSE_REASONS,
  TRADING_STATES,
  type ActivityCategory,
  type ActivitySeverity,
  type CycleOutcomeName,
  type HaltSourceName,
  type TradeCloseReason,
  type TradingStateName,
  riskTierName,
} from './vocabulary.ts';
export {
  EVENT_DATA_SCHEMAS,
  NOTIFIER_EVENT_TYPES,
  REASON_CHARS,
  REPORT_CHARS,
  type NotifierEvent,
  type NotifierEventData,
  type NotifierEventInput,
  type NotifierEventType,
  type TypedNotifierEvent,
  clipText,
  decimalText,
  notifierEventSchema,
} from './schemas.ts';
export { EVENT_CATALOGUE, NOTIFICATION_SWITCHES, type EventSpec, recordsActivity, severityOf, specOf } from './catalogue.ts';
export { type NotifierEventResult, notifierEvent, parseNotifierEvent } from './build.ts';
export { formatFraction, summarizeEvent } from './summary.ts';
