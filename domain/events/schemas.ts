/**
 * zod schemas of every notifier event (predecessor §14, with this design's additions): the
 * envelope `{ type, tsEvent, data }` and one strict data schema per type. Money and quantities
 * are canonical decimal strings (exact, JSON-safe); times are integer ms since epoch (UTC).
 * Long free text is clipped, not refused, to the predecessor's caps (500 characters for reasons
 * and summaries, 4,000 for reports) so an over-long message can never lose an alert. Pure.
 */
import { z } from 'zod';
import { ACTIONS, INTENTS, symbolSchema, tagSchema } from '../contract/index.ts';
import { CYCLE_OUTCOMES, HALT_SOURCES, TRADE_CLOSE_REASONS, TRADING_STATES } from './vocabulary.ts';

/** Longest reason/summary text kept in an event (predecessor: `message ≤500`, `changes ≤500`). */
export const REASON_CHARS = 500;
/** Longest report text kept in an event (a Telegram message is ≤ 4,096 characters). */
export const REPORT_CHARS = 4000;

/** `text` cut to at most `max` characters, ending in '…' when cut. Pure. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const DECIMAL_RE = /^-?(0|[1-9]\d*)(\.\d{0,17}[1-9])?$/;
/** A canonical decimal string as `domain/money` `toString` writes it ("-12.5", "0.0001", "42"). */
export const decimalText = z.string().regex(DECIMAL_RE, { error: 'must be a canonical decimal string like "12.5" (no exponent, no trailing zeros, ≤ 18 decimals)' });
const positiveDecimal = decimalText.refine((s) => !s.startsWith('-') && s !== '0', { error: 'must be > 0' });
const nonNegativeDecimal = decimalText.refine((s) => !s.startsWith('-'), { error: 'must be ≥ 0' });
const ms = z.number().int();
const count = z.number().int().min(0);
const slot = z.number().int().min(1);
const version = z.string().min(1).max(200);
const reason = z.string().min(1).transform((s) => clipText(s, REASON_CHARS));
const report = z.string().min(1).transform((s) => clipText(s, REPORT_CHARS));
const dayLabel = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a day label 'YYYY-MM-DD'" });

/** A fill of the fund (or of a candidate's shadow book). */
const tradeData = {
  symbol: symbolSchema,
  tag: tagSchema,
  action: z.enum(['BUY', 'SELL', 'CLOSE']),
  quantity: positiveDecimal,
  price: positiveDecimal,
  fee: nonNegativeDecimal,
  intent: z.enum(INTENTS),
  /** Realized P&L of an exit, net of fees (null for an entry). */
  pnl: decimalText.nullable(),
  /** `pnl / costBasis` as a fraction (0.05 = +5 %); null for an entry. */
  pnlFraction: decimalText.nullable(),
  closeReason: z.enum(TRADE_CLOSE_REASONS).nullable(),
  strategyVersion: version.nullable(),
};

/** A stop-loss or take-profit that fired. */
const stopData = {
  symbol: symbolSchema,
  tag: tagSchema,
  trigger: z.enum(['stopLoss', 'takeProfit']),
  /** Execution price of the exit. */
  price: positiveDecimal,
  quantity: positiveDecimal,
  pnl: decimalText.nullable(),
};

/** Data schema of each event type, in the order of the config's notification switches. */
export const EVENT_DATA_SCHEMAS = {
  'trade.executed': z.strictObject(tradeData),
  'stop.triggered': z.strictObject(stopData),
  'signal.rejected': z.strictObject({
    symbol: symbolSchema,
    action: z.enum(ACTIONS),
    tag: tagSchema.nullable(),
    reason,
  }),
  'risk.halted': z.strictObject({ source: z.enum(HALT_SOURCES), reason }),
  'risk.resumed': z.strictObject({
    /** The halt this resume cleared (null when trading was only paused). */
    clearedHalt: z.strictObject({ source: z.enum(HALT_SOURCES), reason }).nullable(),
  }),
  'strategy.rolledBack': z.strictObject({ fromVersion: version, toVersion: version, trigger: reason }),
  'scan.completed': z.strictObject({ symbolCount: count, signalCount: count }),
  'strategy.deployed': z.strictObject({
    version,
    /** 0 promotion, 1 tweak, 2 restructure, 3 overhaul; null when unknown. */
    riskTier: z.number().int().min(0).max(3).nullable(),
    changes: reason,
  }),
  'paperTest.started': z.strictObject({
    candidateVersion: version,
    slot: slot.nullable(),
    durationMs: z.number().int().min(1),
    deadlineMs: ms,
    minTrades: z.number().int().min(1),
  }),
  'paperTest.completed': z.strictObject({
    candidateVersion: version,
    verdict: z.enum(['passed', 'failed']),
    trades: count,
    pnl: decimalText,
    /** Probabilistic Sharpe ratio of the shadow returns in [0, 1]; null when not computable. */
    psr: z.number().min(0).max(1).nullable(),
  }),
  'paperTest.inconclusive': z.strictObject({
    candidateVersion: version,
    trades: count,
    minTrades: z.number().int().min(1),
    pnl: decimalText,
  }),
  'orchestrator.cycleStarted': z.strictObject({ cycleId: version, source: z.enum(['schedule', 'operator']) }),
  'orchestrator.cycleCompleted': z.strictObject({
    cycleId: version,
    outcome: z.enum(CYCLE_OUTCOMES),
    reason,
    candidateVersion: version.nullable(),
  }),
  'report.dailyPublished': z.strictObject({ date: dayLabel, text: report }),
  'report.weeklyPublished': z.strictObject({ weekEnding: dayLabel, text: report }),
  'system.online': z.strictObject({
    mode: z.enum(['paper', 'live']),
    version,
    portfolioValue: nonNegativeDecimal,
    positions: count,
    strategyVersion: version.nullable(),
    trading: z.enum(TRADING_STATES),
  }),
  'system.shutdownStarted': z.strictObject({ reason }),
  'system.errorOccurred': z.strictObject({
    /** The component that reports it ('scan', 'orchestrator', 'kraken', ...). */
    source: z.string().min(1).max(100),
    message: reason,
  }),
  'feed.lost': z.strictObject({ attempts: z.number().int().min(1), lastError: reason.nullable() }),
  'feed.restored': z.strictObject({ downForMs: z.number().int().min(0).nullable() }),
  'candidate.created': z.strictObject({ slot, version, evaluationDays: z.number().int().min(1), description: reason }),
  'candidate.canceled': z.strictObject({ slot, version, reason, by: z.enum(['orchestrator', 'operator']) }),
  'candidate.promoted': z.strictObject({ slot, version, forced: z.boolean() }),
  'candidate.tradeExecuted': z.strictObject({ ...tradeData, slot }),
  'candidate.stopTriggered': z.strictObject({ ...stopData, slot }),
  'reflection.completed': z.strictObject({
    predictionsGraded: count,
    newPredictions: count,
    summary: reason,
  }),
  'operator.commanded': z.strictObject({
    /** The operator command ('pause', 'deposit', ...). */
    command: z.string().min(1).max(50),
    ok: z.boolean(),
    /** What was done, or why it was refused. */
    detail: reason,
    /** Where it came from ('telegram', 'http', 'cli', ...). */
    via: z.string().min(1).max(50),
    /** The fund's state after the command, as the operator surface describes it. */
    state: reason,
  }),
} as const;

/** Every notifier event type, in catalogue order. */
export const NOTIFIER_EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as (keyof typeof EVENT_DATA_SCHEMAS)[];
/** One of {@link NOTIFIER_EVENT_TYPES}. */
export type NotifierEventType = keyof typeof EVENT_DATA_SCHEMAS;

/** The data of event type `T` as a producer writes it (text not yet clipped). */
export type NotifierEventInput<T extends NotifierEventType> = z.input<(typeof EVENT_DATA_SCHEMAS)[T]>;
/** The data of event type `T` after validation. */
export type NotifierEventData<T extends NotifierEventType> = z.output<(typeof EVENT_DATA_SCHEMAS)[T]>;

/** One validated event of type `T`. `tsEvent`: when it happened, ms since epoch (UTC). */
export interface TypedNotifierEvent<T extends NotifierEventType> {
  readonly type: T;
  readonly tsEvent: number;
  readonly data: NotifierEventData<T>;
}

/** A notifier event: the discriminated union over every type. */
export type NotifierEvent = { [T in NotifierEventType]: TypedNotifierEvent<T> }[NotifierEventType];

/** zod schema of the whole envelope (strict; discriminated on `type`). */
export const notifierEventSchema = z.discriminatedUnion(
  'type',
  NOTIFIER_EVENT_TYPES.map((type) => z.strictObject({ type: z.literal(type), tsEvent: ms, data: EVENT_DATA_SCHEMAS[type] })) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
);
