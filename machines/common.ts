/**
 * Small pure helpers shared by the machines: time taken from events, absolute deadlines,
 * exponential backoff and restart windows. Nothing here reads a clock; "now" is always the
 * `nowMs` an event carried (stamped by the supervisor from the injected clock) or the last one
 * the machine remembered.
 */

/** Restart/retry policy: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms (> 0). */
  readonly baseDelayMs: number;
  /** Upper bound of any single delay, ms (≥ baseDelayMs). */
  readonly maxDelayMs: number;
}

/**
 * Supervision policy (OTP-style intensity): at most `maxRestarts` restarts within any `windowMs`;
 * one more failure inside the window gives up (the child is marked degraded, or a startup phase
 * faults).
 */
export interface SupervisionPolicy extends BackoffPolicy {
  /** Restarts allowed inside the window (≥ 0; 0 = give up on the first failure). */
  readonly maxRestarts: number;
  /** Sliding window for counting restarts, ms (> 0). */
  readonly windowMs: number;
}

/**
 * Backoff delay before retry number `attempt` (0-based): `min(maxDelayMs, baseDelayMs × 2^attempt)`.
 * Deterministic (no jitter: machines are pure). Throws on a negative or non-integer attempt.
 */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`backoffDelayMs: attempt must be a non-negative integer, got ${attempt}`);
  }
  // 2^31 already exceeds any sane maxDelayMs; clamping the exponent avoids Infinity.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 31));
}

/** Milliseconds left until an absolute deadline, never negative: `max(0, deadlineMs - nowMs)`. */
export function remainingMs(deadlineMs: number, nowMs: number): number {
  return Math.max(0, deadlineMs - nowMs);
}

/**
 * The time an event carries, if any: `event.nowMs`, or `event.output.nowMs` for the done event
 * of an actor whose output reports its completion time. Undefined when the event has none
 * (delayed `xstate.after.*` events, for example).
 */
export function eventTimeMs(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { nowMs?: unknown; output?: unknown };
  if (typeof e.nowMs === 'number' && Number.isFinite(e.nowMs)) return e.nowMs;
  if (typeof e.output === 'object' && e.output !== null) {
    const o = (e.output as { nowMs?: unknown }).nowMs;
    if (typeof o === 'number' && Number.isFinite(o)) return o;
  }
  return undefined;
}

/**
 * The machine's notion of now after `event`: the event's time if it has one and it is not
 * earlier than what the machine already saw (time never runs backwards inside a machine),
 * otherwise the remembered `contextNowMs`.
 */
export function nowAfter(contextNowMs: number, event: unknown): number {
  const t = eventTimeMs(event);
  return t === undefined ? contextNowMs : Math.max(contextNowMs, t);
}

/**
 * Restart times still inside the policy window at `nowMs`, oldest first. Used to decide whether
 * one more restart is allowed: `recentRestarts(...).length < policy.maxRestarts`.
 */
export function recentRestarts(restartTimesMs: readonly number[], policy: SupervisionPolicy, nowMs: number): number[] {
  return restartTimesMs.filter((t) => nowMs - t < policy.windowMs);
}

/** A JSON-safe one-line description of a thrown value (for context and alerts). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Prefix of the error event XState sends to a parent when a child actor fails. */
export const ACTOR_ERROR_PREFIX = 'xstate.error.actor.';

/** The child id of an `xstate.error.actor.<id>` event type, or undefined for any other type. */
export function failedChildId(eventType: string): string | undefined {
  return eventType.startsWith(ACTOR_ERROR_PREFIX) ? eventType.slice(ACTOR_ERROR_PREFIX.length) : undefined;
}

/**
 * Validates a backoff/supervision policy; throws a RangeError naming the field (programmer or
 * config error: the supervisor validates config at the edge, this is the last line).
 */
export function assertPolicy(name: string, policy: BackoffPolicy & Partial<SupervisionPolicy>): void {
  const bad = (field: string, value: unknown, allowed: string) => {
    throw new RangeError(`${name}.${field} = ${String(value)} is invalid; allowed: ${allowed}`);
  };
  if (!(policy.baseDelayMs > 0)) bad('baseDelayMs', policy.baseDelayMs, 'a number > 0');
  if (!(policy.maxDelayMs >= policy.baseDelayMs)) bad('maxDelayMs', policy.maxDelayMs, `a number ≥ baseDelayMs (${policy.baseDelayMs})`);
  if (policy.maxRestarts !== undefined && !(Number.isInteger(policy.maxRestarts) && policy.maxRestarts >= 0)) {
    bad('maxRestarts', policy.maxRestarts, 'an integer ≥ 0');
  }
  if (policy.windowMs !== undefined && !(policy.windowMs > 0)) bad('windowMs', policy.windowMs, 'a number > 0');
}
