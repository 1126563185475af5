/**
 * The host's reading of what the harness returned: bounded, depth-limited JSON without
 * `__proto__` keys, checked with zod, and then checked per call (load's scan interval, analyze's
 * output shape and regime). Pure.
 */
import { z } from 'zod';
import { MAX_REGIME_CHARS, describeValue, parseStrategyOutput } from '../../../domain/contract/index.ts';
import type { StrategyFailure } from '../../../domain/ports/strategy.ts';
import { parseUntrustedJson, sanitizeText } from '../protocol/json.ts';

/** Largest scan interval accepted, minutes (one day). */
export const MAX_SCAN_INTERVAL_MINUTES = 1440;
/** Scan interval when the strategy does not say (predecessor default). */
export const DEFAULT_SCAN_INTERVAL_MINUTES = 5;

const MAX_LOG_LINES = 60;
const MAX_LOG_LINE_CHARS = 600;

const guestSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown(), logs: z.array(z.string()).max(MAX_LOG_LINES) }),
  z.strictObject({
    ok: z.literal(false),
    kind: z.enum(['threw', 'invalidOutput', 'memory', 'rejected']),
    reason: z.string(),
    logs: z.array(z.string()).max(MAX_LOG_LINES),
  }),
]);

/** A harness result as the host accepts it: value or failure, plus sanitised log lines. */
export type GuestReading = { ok: true; value: unknown; logs: string[] } | { ok: false; error: StrategyFailure; logs: string[] };

/** Parses the harness's JSON text. `maxChars` bounds the whole text (output cap + envelope). Never throws. */
export function readGuest(text: string, what: string, maxChars: number): GuestReading {
  const parsed = parseUntrustedJson(text, what, { maxChars });
  if (!parsed.ok) return { ok: false, error: { kind: 'invalidOutput', reason: sanitizeText(parsed.reason) }, logs: [] };
  const envelope = guestSchema.safeParse(parsed.value);
  if (!envelope.success) return { ok: false, error: { kind: 'invalidOutput', reason: `${what}: the sandbox returned a malformed result` }, logs: [] };
  const e = envelope.data;
  const logs = e.logs.map((l) => sanitizeText(l, MAX_LOG_LINE_CHARS));
  if (!e.ok) return { ok: false, error: { kind: e.kind, reason: sanitizeText(e.reason) }, logs };
  return { ok: true, value: e.value, logs };
}

const loadedSchema = z.strictObject({
  scanIntervalMinutes: z.unknown(),
  callbacks: z.strictObject({ onFill: z.boolean(), onPositionClosed: z.boolean(), getState: z.boolean(), loadState: z.boolean() }),
});

/** The load result: the scan interval (default 5, else an integer 1–1440 minutes) and which callbacks exist. */
export function readLoaded(value: unknown): { ok: true; scanIntervalMinutes: number; callbacks: z.infer<typeof loadedSchema>['callbacks'] } | { ok: false; error: StrategyFailure } {
  const v = loadedSchema.safeParse(value);
  if (!v.success) return { ok: false, error: { kind: 'invalidOutput', reason: 'load: the sandbox returned a malformed result' } };
  const minutes = v.data.scanIntervalMinutes;
  if (minutes === null) return { ok: true, scanIntervalMinutes: DEFAULT_SCAN_INTERVAL_MINUTES, callbacks: v.data.callbacks };
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SCAN_INTERVAL_MINUTES) {
    return {
      ok: false,
      error: { kind: 'rejected', reason: `scanIntervalMinutes must be a whole number of minutes from 1 to ${MAX_SCAN_INTERVAL_MINUTES} (or absent for ${DEFAULT_SCAN_INTERVAL_MINUTES}), got ${describeValue(minutes)}` },
    };
  }
  return { ok: true, scanIntervalMinutes: minutes, callbacks: v.data.callbacks };
}

const decisionSchema = z.strictObject({ out: z.unknown(), regime: z.unknown() });

/**
 * The analyze result: the output must be a signal array or `{ signals, regime }` (checked with
 * `parseStrategyOutput`; each signal stays untrusted for the caller to parse with its market
 * context); `regime` from the output wins over the strategy's `regime` property.
 */
export function readDecision(value: unknown): { ok: true; rawSignals: unknown[]; regime: string | null } | { ok: false; error: StrategyFailure } {
  const v = decisionSchema.safeParse(value);
  if (!v.success) return { ok: false, error: { kind: 'invalidOutput', reason: 'analyze: the sandbox returned a malformed result' } };
  const { out, regime } = v.data;
  const parsed = parseStrategyOutput(out);
  if (!parsed.ok) return { ok: false, error: { kind: 'invalidOutput', reason: `analyze() ${sanitizeText(parsed.reason)}` } };
  // A bare array that is unusable as a whole (too many signals) comes back as one index-null result.
  const whole = parsed.results.find((r) => !r.ok && r.index === null);
  if (whole !== undefined && !whole.ok) return { ok: false, error: { kind: 'invalidOutput', reason: `analyze() ${sanitizeText(whole.reason)}` } };
  const rawSignals = Array.isArray(out) ? out : ((out as { signals: unknown[] }).signals);
  if (parsed.regime !== null) return { ok: true, rawSignals, regime: parsed.regime };
  if (regime === null) return { ok: true, rawSignals, regime: null };
  if (typeof regime !== 'string' || regime.length === 0 || regime.length > MAX_REGIME_CHARS) {
    return { ok: false, error: { kind: 'invalidOutput', reason: `regime: must be a string of 1 to ${MAX_REGIME_CHARS} characters or null, got ${sanitizeText(describeValue(regime), 200)}` } };
  }
  return { ok: true, rawSignals, regime };
}

const stateSchema = z.strictObject({ hasState: z.boolean(), state: z.unknown() });

/** The getState result: the state (JSON), or null when the strategy has no getState(). */
export function readState(value: unknown): { ok: true; hasState: boolean; state: unknown } | { ok: false; error: StrategyFailure } {
  const v = stateSchema.safeParse(value);
  if (!v.success) return { ok: false, error: { kind: 'invalidOutput', reason: 'getState: the sandbox returned a malformed result' } };
  return { ok: true, hasState: v.data.hasState, state: v.data.hasState ? v.data.state : null };
}
