/**
 * The Kraken adapter (Spot REST `/0/...` and WebSocket v2), reference/kraken.md. Public door:
 *
 * - `createKrakenRestClient` — raw client, one method per endpoint (`addOrder`, `queryOrders`…);
 * - `createKrakenClient` — domain client named after intents (`submitOrder`, `lookupOrder`,
 *   `fetchCandles`…) with the retry / never-resend-an-order policy;
 * - `createKrakenWsClient` — WebSocket v2 feeds with reconnect, resubscribe, staleness,
 *   candle finalisation and book checksums, reporting typed events;
 * - the pure pieces: error table, signing, nonce port, call-counter model, pair names, parsers.
 *
 * URLs come from brain.toml `kraken.rest_url`, `ws_url`, `ws_auth_url`; time from an injected
 * `Runtime`; nonces from a `NonceStore` (libsql `systemMeta.nextNonce` in production).
 */
export {
  createKrakenRestClient,
  addOrderFields,
  isValidClientOrderId,
  type KrakenRestClient,
  type KrakenRestOptions,
  type KrakenCredentials,
  type RestResult,
  type AddOrderParams,
  type AddOrderType,
  type AmendOrderParams,
  type EditOrderParams,
  type CancelOrderParams,
  type OpenOrdersParams,
  type ClosedOrdersParams,
  type QueryOrdersParams,
  type TradesHistoryParams,
} from './rest-client.ts';
export {
  createKrakenClient,
  venueStatusOf,
  pairRulesOf,
  type KrakenClient,
  type KrakenClientOptions,
  type RetryPolicy,
  type LookupPolicy,
  type SubmitOrderRequest,
  type SubmitOrderType,
  type SubmitOutcome,
  type CancelOutcome,
  type OrderLookup,
  type OrderLookupFoundValue,
  type ClientResult,
  type AssetBalance,
  type Balances,
  type PairRulesEntry,
  type FeeSchedule,
  type CandleBatch,
} from './client.ts';
export {
  createKrakenWsClient,
  type KrakenWsClient,
  type KrakenWsOptions,
  type KrakenWsEvent,
  type FeedState,
  type DegradedCause,
  type PollFallback,
  type SocketFactory,
} from './ws-client.ts';
export { createEmitter, type Emitter, type EventSource, type TypedEvent } from './emitter.ts';
export {
  KRAKEN_ERROR_TABLE,
  classifyKrakenError,
  classifyKrakenErrors,
  findErrorRule,
  normaliseErrorText,
  isTransient,
  type KrakenError,
  type KrakenErrorClass,
  type KrakenErrorKind,
  type KrakenErrorRule,
  type OrderOutcome,
} from './errors.ts';
export { signRequest, decodeSecret, encodeForm, KrakenSecretError } from './signing.ts';
export { type NonceStore, createMemoryNonceStore, nonceStoreFrom, nonceCandidate, NONCE_UNITS_PER_MS, MAX_NONCE } from './nonce.ts';
export {
  createCallCounter,
  privateCallCost,
  KRAKEN_TIER_LIMITS,
  KRAKEN_PUBLIC_LIMITS,
  KRAKEN_PRIVATE_COSTS,
  type CallCounter,
  type CounterLimits,
  type KrakenTier,
  type Sleep,
} from './rate-limit.ts';
export { type Runtime, type TimerHandle, systemRuntime, sleepWith, backoffDelay } from './runtime.ts';
export {
  canonicalSymbol,
  restPairName,
  normaliseAsset,
  createPairRegistry,
  LEGACY_ASSETS,
  ALTNAME_ASSETS,
  BALANCE_SUFFIXES,
  type PairRegistry,
  type PairNames,
  type AssetCode,
} from './pairs.ts';
export { L2Book, bookChecksum, checksumField, BOOK_DEPTHS, type BookDepth, type BookPrecision, type BookApplyResult } from './book.ts';
export { CandleTracker, type CandleStep } from './candles.ts';
export { decodeJson, JsonNumber, type Json, type JsonObject, type Malformed, type Parsed } from './json.ts';
export * from './parse/index.ts';
/** The parsed domain objects (see types.ts). */
export type * from './types.ts';
export { KRAKEN_ORDER_TYPES, KRAKEN_ORDER_STATUSES, SYSTEM_STATES } from './types.ts';
export { createKrakenVenue, venueErrorOf, KRAKEN_VENUE_ERROR_KINDS, type KrakenVenue, type KrakenVenueOptions } from './venue.ts';
