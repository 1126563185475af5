/**
 * Fake Kraken exchange: a real HTTP + WebSocket server on 127.0.0.1 speaking Kraken Spot REST and
 * WS v2 (reference/kraken.md), replaying real candles on a controllable clock, matching orders
 * and injecting faults. See docs/fake-kraken.md.
 */
export { type FakeKraken, WS_AUTH_PATH, WS_PUBLIC_PATH, startFakeKraken } from './server.ts';
export { type FakeKrakenOptions, FakeKrakenOptionsError, type MarketOptions, defaultCredential } from './options.ts';
export type { FakeKrakenControl, OrderView, RestFaultOptions, TradeView } from './control.ts';
export type { RestFaultKind, RestFaultSpec, WsTarget } from './faults.ts';
export type { LoggedRequest, RequestFilter } from './request-log.ts';
export type { RestRateLimit } from './rest.ts';
export type { SystemStatus } from './engine.ts';
export { type ApiCredential, krakenSignature } from './auth.ts';
export { type CandleInput, CandleDataError, type CandleSeries, type SourceCandle, candleAt, loadCandleFile, parseCandleCsv } from './candles.ts';
export { KNOWN_PAIRS, type PairSpec } from './pairs.ts';
