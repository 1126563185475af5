/**
 * Kraken errors carry their consequence (STYLE.md §5). One explicit table maps every Kraken
 * error string of reference/kraken.md §7 (plus the order-validation strings of §6.1 and the WS
 * strings of §10.4) to a class — `transient` (retry with backoff + jitter) or `permanent`
 * (reject, alert) — a kind that callers branch on, and what the error says about an order
 * placement that received it. Callers decide from `class`/`kind`/`orderOutcome`, never from the
 * text. Pure.
 */

/** Retry policy of an error: `transient` → retry with backoff; `permanent` → reject and alert. */
export type KrakenErrorClass = 'transient' | 'permanent';

/**
 * For an AddOrder that failed with this error: `notPlaced` when Kraken guarantees the order did
 * not reach the book (rejected at the API gate or by validation), `unknown` when it may have
 * (timeouts, 5xx, internal errors, `EService:Busy`): look it up by client order id, never resend.
 */
export type OrderOutcome = 'notPlaced' | 'unknown';

/** What went wrong, as a closed set of names. */
export type KrakenErrorKind =
  // EAPI
  | 'invalidKey'
  | 'invalidSignature'
  | 'invalidNonce'
  | 'rateLimited'
  | 'badRequest'
  | 'featureDisabled'
  // EGeneral
  | 'lockout'
  | 'invalidArguments'
  | 'permissionDenied'
  | 'internalError'
  | 'unknownMethod'
  // EQuery
  | 'unknownPair'
  | 'unknownAsset'
  // EOrder
  | 'insufficientFunds'
  | 'orderMinimum'
  | 'costMinimum'
  | 'tickSize'
  | 'invalidPrice'
  | 'invalidOrder'
  | 'unknownOrder'
  | 'ordersLimit'
  | 'orderRateLimited'
  | 'postOnlyRejected'
  | 'duplicateOrder'
  // EService
  | 'unavailable'
  | 'busy'
  | 'marketCancelOnly'
  | 'marketPostOnly'
  | 'deadlineElapsed'
  | 'throttled'
  // WebSocket v2 request errors
  | 'alreadySubscribed'
  | 'depthNotSupported'
  | 'pairNotSupported'
  | 'messageRateExceeded'
  // transport and local
  | 'http'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'malformed'
  | 'invalidRequest'
  | 'unrecognized';

/** One row of the table: the Kraken string (prefix before any `:detail`) and its consequence. */
export interface KrakenErrorRule {
  readonly text: string;
  readonly kind: KrakenErrorKind;
  readonly class: KrakenErrorClass;
  readonly orderOutcome: OrderOutcome;
  /** Minimum wait before a retry makes sense, ms (e.g. ≥ 5 s for `EService:Unavailable`). */
  readonly retryAfterMs?: number;
  /** Why, in a few words (kraken.md §7 guidance). */
  readonly note: string;
}

/**
 * The table. Matching is on the normalised text (`"EService: Throttled: 123"` →
 * `"EService:Throttled:123"`): a rule matches when the text equals `rule.text` or continues
 * with `:` or a space after it (`"Currency pair not supported XBT/USD"`); the longest matching
 * rule wins (`EQuery:Unknown asset pair` over `EQuery:Unknown asset`).
 */
export const KRAKEN_ERROR_TABLE: readonly KrakenErrorRule[] = Object.freeze([
  // EAPI — rejected at the API gate: nothing reached the engine.
  { text: 'EAPI:Invalid key', kind: 'invalidKey', class: 'permanent', orderOutcome: 'notPlaced', note: 'unknown or missing API key' },
  { text: 'EAPI:Invalid signature', kind: 'invalidSignature', class: 'permanent', orderOutcome: 'notPlaced', note: 'bad API-Sign: a bug' },
  { text: 'EAPI:Invalid nonce', kind: 'invalidNonce', class: 'transient', orderOutcome: 'notPlaced', note: 'retry once with a fresh nonce' },
  { text: 'EAPI:Rate limit exceeded', kind: 'rateLimited', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 3_000, note: 'REST call counter over max: retry after decay' },
  { text: 'EAPI:Bad request', kind: 'badRequest', class: 'permanent', orderOutcome: 'notPlaced', note: 'request not understood' },
  { text: 'EAPI:Feature disabled', kind: 'featureDisabled', class: 'permanent', orderOutcome: 'notPlaced', note: 'endpoint disabled for this key' },
  // EGeneral
  { text: 'EGeneral:Temporary lockout', kind: 'lockout', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 15 * 60_000, note: 'too many bad auth attempts: wait ~15 min' },
  { text: 'EGeneral:Invalid arguments', kind: 'invalidArguments', class: 'permanent', orderOutcome: 'notPlaced', note: 'bad or ambiguous parameters' },
  { text: 'EGeneral:Permission denied', kind: 'permissionDenied', class: 'permanent', orderOutcome: 'notPlaced', note: 'key lacks permission' },
  { text: 'EGeneral:Internal error', kind: 'internalError', class: 'transient', orderOutcome: 'unknown', note: 'outcome unknown: reads retry, orders reconcile first' },
  { text: 'EGeneral:Unknown method', kind: 'unknownMethod', class: 'permanent', orderOutcome: 'notPlaced', note: 'endpoint does not exist' },
  // EQuery
  { text: 'EQuery:Unknown asset pair', kind: 'unknownPair', class: 'permanent', orderOutcome: 'notPlaced', note: 'bad pair' },
  { text: 'EQuery:Unknown asset', kind: 'unknownAsset', class: 'permanent', orderOutcome: 'notPlaced', note: 'bad asset' },
  // EOrder — validation and engine pre-checks: the order was refused.
  { text: 'EOrder:Insufficient funds', kind: 'insufficientFunds', class: 'permanent', orderOutcome: 'notPlaced', note: 'not enough available balance' },
  { text: 'EOrder:Order minimum not met', kind: 'orderMinimum', class: 'permanent', orderOutcome: 'notPlaced', note: 'volume below ordermin' },
  { text: 'EOrder:Cost minimum not met', kind: 'costMinimum', class: 'permanent', orderOutcome: 'notPlaced', note: 'price × volume below costmin' },
  { text: 'EOrder:Tick size check failed', kind: 'tickSize', class: 'permanent', orderOutcome: 'notPlaced', note: 'price not on the tick grid' },
  { text: 'EOrder:Invalid price', kind: 'invalidPrice', class: 'permanent', orderOutcome: 'notPlaced', note: 'too many price decimals or bad price' },
  { text: 'EOrder:Invalid order', kind: 'invalidOrder', class: 'permanent', orderOutcome: 'notPlaced', note: 'order parameters rejected' },
  { text: 'EOrder:Unknown order', kind: 'unknownOrder', class: 'permanent', orderOutcome: 'notPlaced', note: 'cancel/amend target unknown or already final: reconcile' },
  { text: 'EOrder:Orders limit exceeded', kind: 'ordersLimit', class: 'permanent', orderOutcome: 'notPlaced', note: 'open orders per pair at cap: not until some close' },
  { text: 'EOrder:Rate limit exceeded', kind: 'orderRateLimited', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 5_000, note: 'per-pair engine counter over threshold: retry after decay' },
  { text: 'EOrder:Post only order', kind: 'postOnlyRejected', class: 'permanent', orderOutcome: 'notPlaced', note: 'post-only order would take liquidity' },
  // A cl_ord_id already used by an open order. The text is NOT in reference/kraken.md (Kraken does
  // not document it); this is the fake exchange's default (`duplicateClOrdIdError`). Resending
  // cannot help (permanent); the outcome stays `unknown` so the client looks the id up: an open
  // order with identical parameters is our own earlier submit (accepted), anything else is a clash.
  { text: 'EOrder:Duplicate order', kind: 'duplicateOrder', class: 'permanent', orderOutcome: 'unknown', note: 'cl_ord_id already used by an open order (text unconfirmed): look the id up, never resend' },
  // EService
  { text: 'EService:Unavailable', kind: 'unavailable', class: 'transient', orderOutcome: 'unknown', retryAfterMs: 5_000, note: 'engine/API offline: ≥ 5 s backoff, check SystemStatus' },
  { text: 'EService:Busy', kind: 'busy', class: 'transient', orderOutcome: 'unknown', retryAfterMs: 1_000, note: 'overloaded: reconcile orders before resubmitting' },
  { text: 'EService:Market in cancel_only mode', kind: 'marketCancelOnly', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 60_000, note: 'engine accepts cancels only: later' },
  { text: 'EService:Market in post_only mode', kind: 'marketPostOnly', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 60_000, note: 'engine accepts post-only limits only: later' },
  { text: 'EService:Deadline elapsed', kind: 'deadlineElapsed', class: 'transient', orderOutcome: 'notPlaced', note: 'not processed before deadline: retry with a new deadline' },
  { text: 'EService:Throttled', kind: 'throttled', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 1_000, note: 'too many concurrent requests: after the given unix time' },
  // WebSocket v2 request errors (kraken.md §10.4)
  { text: 'Already subscribed', kind: 'alreadySubscribed', class: 'permanent', orderOutcome: 'notPlaced', note: 'duplicate subscription: harmless' },
  { text: 'Subscription depth not supported', kind: 'depthNotSupported', class: 'permanent', orderOutcome: 'notPlaced', note: 'book depth not one of 10/25/100/500/1000' },
  { text: 'Currency pair not supported', kind: 'pairNotSupported', class: 'permanent', orderOutcome: 'notPlaced', note: 'WS v2 symbol unknown (XBT/USD instead of BTC/USD?)' },
  { text: 'Exceeded msg rate', kind: 'messageRateExceeded', class: 'transient', orderOutcome: 'notPlaced', retryAfterMs: 1_000, note: 'connection message rate exceeded: slow down' },
] satisfies KrakenErrorRule[]);

/** An error from the Kraken adapter, classified. `message` is for humans and logs only. */
export interface KrakenError {
  readonly kind: KrakenErrorKind;
  readonly class: KrakenErrorClass;
  readonly orderOutcome: OrderOutcome;
  readonly message: string;
  /** Every error string Kraken returned, verbatim (empty for transport/local errors). */
  readonly krakenErrors: readonly string[];
  /** Minimum wait before retrying, ms; absent when the caller's backoff alone decides. */
  readonly retryAfterMs?: number;
  /** HTTP status for `http` errors. */
  readonly httpStatus?: number;
  /** JSON path of the problem for `malformed` errors. */
  readonly path?: string;
}

/** Collapses spaces around `:` so `"EService: Throttled: 1"` matches `"EService:Throttled"`. */
export function normaliseErrorText(text: string): string {
  return text
    .split(':')
    .map((part) => part.trim())
    .join(':');
}

/** The table row for a Kraken error string, or null when it is not in the table. Pure. */
export function findErrorRule(text: string): KrakenErrorRule | null {
  const t = normaliseErrorText(text);
  let best: KrakenErrorRule | null = null;
  for (const rule of KRAKEN_ERROR_TABLE) {
    if (t === rule.text || t.startsWith(`${rule.text}:`) || t.startsWith(`${rule.text} `)) {
      if (best === null || rule.text.length > best.text.length) best = rule;
    }
  }
  return best;
}

/**
 * Classifies one Kraken error string (REST `error[]` entry or WS `error`). Unknown strings are
 * `unrecognized`, `permanent` (alert a human) and, for orders, `unknown` (look the order up:
 * an unknown error proves nothing about placement). `nowMs` turns `EService:Throttled:<unix s>`
 * into a wait. Pure.
 */
export function classifyKrakenError(text: string, nowMs?: number): KrakenError {
  const rule = findErrorRule(text);
  if (rule === null) {
    return { kind: 'unrecognized', class: 'permanent', orderOutcome: 'unknown', message: `unrecognized Kraken error ${JSON.stringify(text)}`, krakenErrors: [text] };
  }
  let retryAfterMs = rule.retryAfterMs;
  if (rule.kind === 'throttled' && nowMs !== undefined) {
    const until = /:(\d{9,12})$/.exec(normaliseErrorText(text));
    if (until !== null) retryAfterMs = Math.max(rule.retryAfterMs ?? 0, Number(until[1]) * 1000 - nowMs);
  }
  return {
    kind: rule.kind,
    class: rule.class,
    orderOutcome: rule.orderOutcome,
    message: `${text} (${rule.note})`,
    krakenErrors: [text],
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/**
 * Classifies a REST `error` array (warnings, strings starting with `W`, are not errors and are
 * skipped). With several errors, the first one decides, except that an `unknown` order outcome
 * anywhere wins (never claim "not placed" when any error says "maybe"). Returns null when the
 * array holds only warnings. Pure.
 */
export function classifyKrakenErrors(texts: readonly string[], nowMs?: number): KrakenError | null {
  const errors = texts.filter((t) => !t.startsWith('W'));
  if (errors.length === 0) return null;
  const classified = errors.map((t) => classifyKrakenError(t, nowMs));
  const first = classified[0]!;
  const unknown = classified.find((e) => e.orderOutcome === 'unknown');
  const decisive = first.orderOutcome === 'unknown' || unknown === undefined ? first : unknown;
  return { ...decisive, message: errors.join('; '), krakenErrors: errors };
}

/** HTTP status outside 2xx (Cloudflare 5xx/52x carry no Kraken envelope). 5xx/429 → transient. */
export function httpError(status: number, bodySnippet: string): KrakenError {
  const transient = status >= 500 || status === 429 || status === 408;
  return {
    kind: 'http',
    class: transient ? 'transient' : 'permanent',
    orderOutcome: transient ? 'unknown' : 'notPlaced',
    message: `HTTP ${status}${bodySnippet ? `: ${bodySnippet}` : ''}`,
    krakenErrors: [],
    httpStatus: status,
  };
}

/** The request produced no response (DNS, refused, reset). Transient; for orders the outcome is unknown. */
export function networkError(detail: string): KrakenError {
  return { kind: 'network', class: 'transient', orderOutcome: 'unknown', message: `network error: ${detail}`, krakenErrors: [] };
}

/** No response within the timeout. Transient; for orders the outcome is unknown. */
export function timeoutError(timeoutMs: number): KrakenError {
  return { kind: 'timeout', class: 'transient', orderOutcome: 'unknown', message: `no response within ${timeoutMs} ms`, krakenErrors: [] };
}

/** The caller aborted the call (AbortSignal). Not retried; for orders the outcome is unknown. */
export function abortedError(): KrakenError {
  return { kind: 'aborted', class: 'permanent', orderOutcome: 'unknown', message: 'aborted by the caller', krakenErrors: [] };
}

/** The response body could not be parsed. Permanent (alert); for orders the outcome is unknown. */
export function malformedError(path: string, detail: string): KrakenError {
  return { kind: 'malformed', class: 'permanent', orderOutcome: 'unknown', message: `malformed Kraken response at ${path}: ${detail}`, krakenErrors: [], path };
}

/** The request was refused locally before sending (bad parameters). Nothing was sent. */
export function invalidRequestError(detail: string): KrakenError {
  return { kind: 'invalidRequest', class: 'permanent', orderOutcome: 'notPlaced', message: detail, krakenErrors: [] };
}

/** True when retrying later can help. */
export function isTransient(error: KrakenError): boolean {
  return error.class === 'transient';
}
