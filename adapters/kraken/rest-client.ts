/**
 * The raw Kraken REST client: one method per endpoint, named after it (`addOrder` is
 * `POST /0/private/AddOrder`), Kraken's parameter names, results parsed into the adapter's
 * domain objects. It sends exactly one request per call — no retries, no lookups: policy lives
 * in the domain client. Private calls are signed (kraken.md §3), take their nonce from the
 * injected `NonceStore`, are serialised per key (so nonces reach Kraken in order) and pass the
 * call-counter model first (kraken.md §8.1). Every call accepts an AbortSignal and resolves to a
 * value, never rejects.
 */
import { createHash } from 'node:crypto';
import { type KrakenError, classifyKrakenErrors, httpError, invalidRequestError, malformedError } from './errors.ts';
import { type FetchLike, type HttpRequest, sendHttp } from './http.ts';
import type { Json, Parsed } from './json.ts';
import { type NonceStore, nonceCandidate } from './nonce.ts';
import { decodeRestEnvelope, parseResult } from './parse/envelope.ts';
import { parseAssetPairs } from './parse/asset-pairs.ts';
import { parseBalance, parseBalanceEx, parseTradeBalance } from './parse/balances.ts';
import { parseDepth } from './parse/depth.ts';
import { OHLC_INTERVALS, type OhlcInterval, parseOhlc } from './parse/ohlc.ts';
import { parseAddOrder, parseAmendOrder, parseCancel, parseClosedOrders, parseEditOrder, parseOpenOrders, parseQueryOrders } from './parse/orders.ts';
import { parseSystemStatus, parseTime, parseWebSocketsToken } from './parse/system.ts';
import { parseTicker } from './parse/ticker.ts';
import { parseTradeVolume } from './parse/trade-volume.ts';
import { parseTradesHistory } from './parse/trades.ts';
import { type CallCounter, type CounterLimits, KRAKEN_PRIVATE_COSTS, KRAKEN_PUBLIC_LIMITS, KRAKEN_TIER_LIMITS, type KrakenTier, createCallCounter, privateCallCost } from './rate-limit.ts';
import { type Runtime, systemRuntime } from './runtime.ts';
import { decodeSecret, encodeForm, signRequest } from './signing.ts';
import type {
  AddOrderResult,
  AmendOrderResult,
  AssetPairInfo,
  BalanceEntry,
  CancelResult,
  DepthBook,
  EditOrderResult,
  ExtendedBalanceEntry,
  KrakenSide,
  OhlcSeries,
  OrdersPage,
  ServerTime,
  SystemStatusInfo,
  TickerInfo,
  TradeBalanceInfo,
  TradesHistoryPage,
  TradeVolumeInfo,
  WebSocketsToken,
} from './types.ts';

/** The outcome of every REST call: the parsed result (plus any `W…` warnings) or a classified error. */
export type RestResult<T> = { readonly ok: true; readonly value: T; readonly warnings: readonly string[] } | { readonly ok: false; readonly error: KrakenError };

/** API key pair. The secret is the base64 text Kraken shows once. */
export interface KrakenCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Construction options. URLs come from brain.toml `kraken.rest_url`. */
export interface KrakenRestOptions {
  /** Base URL, e.g. `https://api.kraken.com` or the fake server's `http://127.0.0.1:PORT`. */
  readonly restUrl: string;
  /** Needed for private endpoints; without them private calls fail with `invalidRequest`. */
  readonly credentials?: KrakenCredentials;
  /** Durable nonce source (libsql `systemMeta.nextNonce`); required with credentials. */
  readonly nonceStore?: NonceStore;
  /** Nonce scope; default `kraken:<sha256(apiKey) prefix>` (never the key itself). */
  readonly nonceScope?: string;
  /** Clock, timers and sleep; default the system runtime. */
  readonly runtime?: Runtime;
  /** Whole-exchange timeout per request, ms (default 15 000). */
  readonly timeoutMs?: number;
  /** Account tier for the private call counter (default `starter`, the most conservative). */
  readonly tier?: KrakenTier;
  /** Overrides for the private counter limits. */
  readonly privateLimits?: CounterLimits;
  /** Limits for public calls (per IP; default 1 call/s). */
  readonly publicLimits?: CounterLimits;
  /** Per-endpoint costs on the private counter (default `KRAKEN_PRIVATE_COSTS`). */
  readonly costs?: Readonly<Record<string, number>>;
  /** `fetch` implementation (default the global one). */
  readonly fetch?: FetchLike;
  /** User-Agent header (Kraken asks for one). */
  readonly userAgent?: string;
}

/** Order types this client places (kraken.md §6.1). */
export type AddOrderType = 'market' | 'limit' | 'stop-loss' | 'take-profit' | 'stop-loss-limit' | 'take-profit-limit';

/** `POST /0/private/AddOrder` parameters, Kraken's names. Decimals are strings, sent verbatim. */
export interface AddOrderParams {
  readonly pair: string;
  readonly type: KrakenSide;
  readonly ordertype: AddOrderType;
  /** Base units. */
  readonly volume: string;
  /** Limit price (limit), trigger price (stop-loss, take-profit, *-limit). Absent for market. */
  readonly price?: string;
  /** Limit price of stop-loss-limit / take-profit-limit. */
  readonly price2?: string;
  readonly trigger?: 'last' | 'index';
  /** `post` (post-only, limit only), `fcib`, `fciq`, `viqc` (buy market only). */
  readonly oflags?: readonly ('post' | 'fcib' | 'fciq' | 'viqc')[];
  readonly timeinforce?: 'GTC' | 'IOC' | 'GTD' | 'FOK';
  readonly starttm?: string;
  readonly expiretm?: string;
  /** Client order id: UUID (36), 32 hex characters, or ASCII ≤ 18. Exclusive with `userref`. */
  readonly cl_ord_id?: string;
  /** int32 group tag. Exclusive with `cl_ord_id`. */
  readonly userref?: number;
  /** RFC3339, now+2 s … now+60 s. */
  readonly deadline?: string;
  /** Validate only; the field is sent ONLY when true (any value used to mean validate). */
  readonly validate?: boolean;
}

/** `POST /0/private/AmendOrder` parameters. */
export interface AmendOrderParams {
  readonly txid?: string;
  readonly cl_ord_id?: string;
  readonly order_qty?: string;
  readonly display_qty?: string;
  readonly limit_price?: string;
  readonly trigger_price?: string;
  readonly post_only?: boolean;
  readonly deadline?: string;
}

/** `POST /0/private/EditOrder` parameters (legacy cancel-replace; prefer `amendOrder`). */
export interface EditOrderParams {
  readonly txid: string;
  readonly pair: string;
  readonly volume?: string;
  readonly price?: string;
  readonly price2?: string;
  readonly oflags?: readonly 'post'[];
  readonly deadline?: string;
  readonly cancel_response?: boolean;
  readonly validate?: boolean;
  readonly userref?: number;
}

/** `POST /0/private/CancelOrder`: by txid, userref (cancels the group) or cl_ord_id. */
export type CancelOrderParams = { readonly txid: string } | { readonly userref: number } | { readonly cl_ord_id: string };

/** `POST /0/private/OpenOrders` parameters. */
export interface OpenOrdersParams {
  readonly trades?: boolean;
  readonly userref?: number;
  readonly cl_ord_id?: string;
}

/** `POST /0/private/ClosedOrders` parameters. */
export interface ClosedOrdersParams extends OpenOrdersParams {
  readonly start?: number | string;
  readonly end?: number | string;
  readonly ofs?: number;
  readonly closetime?: 'open' | 'close' | 'both';
  readonly consolidate_taker?: boolean;
  readonly without_count?: boolean;
}

/** `POST /0/private/QueryOrders` parameters (≤ 50 txids). */
export interface QueryOrdersParams {
  readonly txid: readonly string[];
  readonly trades?: boolean;
  readonly userref?: number;
  readonly consolidate_taker?: boolean;
}

/** `POST /0/private/TradesHistory` parameters. */
export interface TradesHistoryParams {
  readonly type?: 'all' | 'any position' | 'closed position' | 'closing position' | 'no position';
  readonly trades?: boolean;
  readonly start?: number | string;
  readonly end?: number | string;
  readonly ofs?: number;
  readonly consolidate_taker?: boolean;
  readonly ledgers?: boolean;
}

/** The raw client. Every method resolves (never rejects) to a `RestResult`. */
export interface KrakenRestClient {
  /** `GET /0/public/Time`. */
  time(signal?: AbortSignal): Promise<RestResult<ServerTime>>;
  /** `GET /0/public/SystemStatus`. */
  systemStatus(signal?: AbortSignal): Promise<RestResult<SystemStatusInfo>>;
  /** `GET /0/public/AssetPairs` (all pairs when `pair` is omitted). */
  assetPairs(params?: { readonly pair?: readonly string[]; readonly info?: 'info' | 'leverage' | 'fees' | 'margin' }, signal?: AbortSignal): Promise<RestResult<AssetPairInfo[]>>;
  /** `GET /0/public/Ticker`. */
  ticker(params?: { readonly pair?: readonly string[] }, signal?: AbortSignal): Promise<RestResult<TickerInfo[]>>;
  /** `GET /0/public/OHLC`; `since` is unix SECONDS (exclusive). ≤ 720 rows, last one still open. */
  ohlc(params: { readonly pair: string; readonly interval?: OhlcInterval; readonly since?: number }, signal?: AbortSignal): Promise<RestResult<OhlcSeries>>;
  /** `GET /0/public/Depth`; `count` 1..500. */
  depth(params: { readonly pair: string; readonly count?: number }, signal?: AbortSignal): Promise<RestResult<DepthBook>>;
  /** `POST /0/private/Balance`. */
  balance(signal?: AbortSignal): Promise<RestResult<BalanceEntry[]>>;
  /** `POST /0/private/BalanceEx`. */
  balanceEx(signal?: AbortSignal): Promise<RestResult<ExtendedBalanceEntry[]>>;
  /** `POST /0/private/TradeBalance` (`asset` default ZUSD). */
  tradeBalance(params?: { readonly asset?: string }, signal?: AbortSignal): Promise<RestResult<TradeBalanceInfo>>;
  /** `POST /0/private/TradeVolume` (fees only for the listed pairs). */
  tradeVolume(params?: { readonly pair?: readonly string[] }, signal?: AbortSignal): Promise<RestResult<TradeVolumeInfo>>;
  /** `POST /0/private/AddOrder`. Sent once; never retried here. */
  addOrder(params: AddOrderParams, signal?: AbortSignal): Promise<RestResult<AddOrderResult>>;
  /** `POST /0/private/AmendOrder` (in place; keeps ids and, where possible, queue priority). */
  amendOrder(params: AmendOrderParams, signal?: AbortSignal): Promise<RestResult<AmendOrderResult>>;
  /** `POST /0/private/EditOrder` (legacy cancel-replace). */
  editOrder(params: EditOrderParams, signal?: AbortSignal): Promise<RestResult<EditOrderResult>>;
  /** `POST /0/private/CancelOrder`. */
  cancelOrder(params: CancelOrderParams, signal?: AbortSignal): Promise<RestResult<CancelResult>>;
  /** `POST /0/private/CancelAll`. */
  cancelAll(signal?: AbortSignal): Promise<RestResult<CancelResult>>;
  /** `POST /0/private/OpenOrders`. */
  openOrders(params?: OpenOrdersParams, signal?: AbortSignal): Promise<RestResult<OrdersPage>>;
  /** `POST /0/private/ClosedOrders` (50 per page, newest first). */
  closedOrders(params?: ClosedOrdersParams, signal?: AbortSignal): Promise<RestResult<OrdersPage>>;
  /** `POST /0/private/QueryOrders`. */
  queryOrders(params: QueryOrdersParams, signal?: AbortSignal): Promise<RestResult<OrdersPage>>;
  /** `POST /0/private/TradesHistory` (50 per page, newest first; costs 2 on the counter). */
  tradesHistory(params?: TradesHistoryParams, signal?: AbortSignal): Promise<RestResult<TradesHistoryPage>>;
  /** `POST /0/private/GetWebSocketsToken` (use within 15 min). */
  getWebSocketsToken(signal?: AbortSignal): Promise<RestResult<WebSocketsToken>>;
}

type Fields = [string, string][];
type ResultParser<T> = (result: Json, path: string) => T;

const DECIMAL_TEXT = /^\d{1,30}(\.\d{1,18})?$/;
const CL_ORD_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|[\x21-\x7e]{1,18})$/;

/** True when `id` is a Kraken-acceptable `cl_ord_id` (UUID, 32 hex, or printable ASCII ≤ 18). Pure. */
export function isValidClientOrderId(id: string): boolean {
  return CL_ORD_ID.test(id);
}

/** Creates the raw client. Throws `KrakenSecretError` on a malformed secret (misconfiguration). */
export function createKrakenRestClient(options: KrakenRestOptions): KrakenRestClient {
  const runtime = options.runtime ?? systemRuntime;
  const base = options.restUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const fetchFn: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const userAgent = options.userAgent ?? 'trading-brain/0.1 (+kraken-adapter)';
  const costs = options.costs ?? KRAKEN_PRIVATE_COSTS;
  const privateCounter: CallCounter = createCallCounter(options.privateLimits ?? KRAKEN_TIER_LIMITS[options.tier ?? 'starter'], () => runtime.now(), runtime.sleep);
  const publicCounter: CallCounter = createCallCounter(options.publicLimits ?? KRAKEN_PUBLIC_LIMITS, () => runtime.now(), runtime.sleep);
  const creds = options.credentials;
  const secret = creds ? decodeSecret(creds.apiSecret) : null;
  if (creds && !options.nonceStore) throw new RangeError('a NonceStore is required with Kraken credentials (nonces must survive restarts)');
  const scope = options.nonceScope ?? (creds ? `kraken:${createHash('sha256').update(creds.apiKey).digest('hex').slice(0, 16)}` : 'kraken:none');
  // Private calls run one at a time so nonces arrive in the order they were issued.
  let privateQueue: Promise<unknown> = Promise.resolve();

  function finish<T>(status: number, body: string, parser: ResultParser<T>, counter: CallCounter): RestResult<T> {
    if (status < 200 || status > 299) return { ok: false, error: httpError(status, body.slice(0, 200).replace(/\s+/g, ' ').trim()) };
    const env = decodeRestEnvelope(body);
    if (!env.ok) return { ok: false, error: malformedError(env.error.path, env.error.detail) };
    const failure = classifyKrakenErrors(env.value.errors, runtime.now());
    if (failure !== null) {
      if (failure.kind === 'rateLimited') counter.penalise(runtime.now());
      return { ok: false, error: failure };
    }
    const parsed: Parsed<T> = parseResult(env.value, parser);
    if (!parsed.ok) return { ok: false, error: malformedError(parsed.error.path, parsed.error.detail) };
    return { ok: true, value: parsed.value, warnings: env.value.warnings };
  }

  async function publicCall<T>(method: string, fields: Fields, parser: ResultParser<T>, signal?: AbortSignal): Promise<RestResult<T>> {
    const waited = await acquire(publicCounter, 1, signal);
    if (waited !== null) return { ok: false, error: waited };
    const query = fields.length > 0 ? `?${encodeForm(fields)}` : '';
    const req: HttpRequest = { method: 'GET', url: `${base}/0/public/${method}${query}`, headers: { 'User-Agent': userAgent } };
    const sent = await sendHttp(fetchFn, runtime, req, timeoutMs, signal);
    if (!sent.ok) return sent;
    return finish(sent.response.status, sent.response.body, parser, publicCounter);
  }

  function privateCall<T>(method: string, fields: Fields, parser: ResultParser<T>, signal?: AbortSignal): Promise<RestResult<T>> {
    if (!creds || !secret || !options.nonceStore) {
      return Promise.resolve({ ok: false, error: invalidRequestError(`${method} is a private endpoint: configure KRAKEN_API_KEY and KRAKEN_API_SECRET`) });
    }
    const nonceStore = options.nonceStore;
    const run = async (): Promise<RestResult<T>> => {
      const waited = await acquire(privateCounter, privateCallCost(method, costs), signal);
      if (waited !== null) return { ok: false, error: waited };
      const nonce = nonceStore.next(scope, nonceCandidate(runtime.now())).toString();
      const body = encodeForm([['nonce', nonce], ...fields]);
      const path = `/0/private/${method}`;
      const req: HttpRequest = {
        method: 'POST',
        url: `${base}${path}`,
        headers: {
          'API-Key': creds.apiKey,
          'API-Sign': signRequest(path, nonce, body, secret),
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          'User-Agent': userAgent,
        },
        body,
      };
      const sent = await sendHttp(fetchFn, runtime, req, timeoutMs, signal);
      if (!sent.ok) return sent;
      return finish(sent.response.status, sent.response.body, parser, privateCounter);
    };
    const result = privateQueue.then(run, run);
    privateQueue = result.catch(() => undefined);
    return result;
  }

  async function acquire(counter: CallCounter, cost: number, signal?: AbortSignal): Promise<KrakenError | null> {
    try {
      await counter.acquire(cost, signal);
      return null;
    } catch {
      return { kind: 'aborted', class: 'permanent', orderOutcome: 'notPlaced', message: 'aborted while waiting for the rate limiter', krakenErrors: [] };
    }
  }

  const reject = <T>(detail: string): Promise<RestResult<T>> => Promise.resolve({ ok: false, error: invalidRequestError(detail) });

  return {
    time: (signal) => publicCall('Time', [], parseTime, signal),
    systemStatus: (signal) => publicCall('SystemStatus', [], parseSystemStatus, signal),
    assetPairs: (params = {}, signal) => {
      const f: Fields = [];
      if (params.pair && params.pair.length > 0) f.push(['pair', params.pair.join(',')]);
      if (params.info) f.push(['info', params.info]);
      return publicCall('AssetPairs', f, parseAssetPairs, signal);
    },
    ticker: (params = {}, signal) => publicCall('Ticker', params.pair && params.pair.length > 0 ? [['pair', params.pair.join(',')]] : [], parseTicker, signal),
    ohlc: (params, signal) => {
      const interval = params.interval ?? 1;
      if (!(OHLC_INTERVALS as readonly number[]).includes(interval)) return reject(`OHLC interval must be one of ${OHLC_INTERVALS.join(', ')}, got ${interval}`);
      if (params.since !== undefined && (!Number.isSafeInteger(params.since) || params.since < 0)) return reject(`OHLC since must be integer unix seconds ≥ 0, got ${params.since}`);
      const f: Fields = [
        ['pair', params.pair],
        ['interval', String(interval)],
      ];
      if (params.since !== undefined) f.push(['since', String(params.since)]);
      return publicCall('OHLC', f, (r, p) => parseOhlc(r, p, interval), signal);
    },
    depth: (params, signal) => {
      if (params.count !== undefined && (!Number.isInteger(params.count) || params.count < 1 || params.count > 500)) return reject(`Depth count must be 1..500, got ${params.count}`);
      const f: Fields = [['pair', params.pair]];
      if (params.count !== undefined) f.push(['count', String(params.count)]);
      return publicCall('Depth', f, parseDepth, signal);
    },
    balance: (signal) => privateCall('Balance', [], parseBalance, signal),
    balanceEx: (signal) => privateCall('BalanceEx', [], parseBalanceEx, signal),
    tradeBalance: (params = {}, signal) => privateCall('TradeBalance', params.asset ? [['asset', params.asset]] : [], parseTradeBalance, signal),
    tradeVolume: (params = {}, signal) => privateCall('TradeVolume', params.pair && params.pair.length > 0 ? [['pair', params.pair.join(',')]] : [], parseTradeVolume, signal),
    addOrder: (params, signal) => {
      const built = addOrderFields(params);
      if (typeof built === 'string') return reject(built);
      return privateCall('AddOrder', built, parseAddOrder, signal);
    },
    amendOrder: (params, signal) => {
      if ((params.txid === undefined) === (params.cl_ord_id === undefined)) return reject('AmendOrder needs exactly one of txid or cl_ord_id');
      for (const k of ['order_qty', 'display_qty', 'limit_price', 'trigger_price'] as const) {
        const v = params[k];
        if (v !== undefined && !/^[+-]?\d{1,30}(\.\d{1,18})?%?$/.test(v)) return reject(`AmendOrder ${k} must be a decimal (optionally +/- prefixed, % suffixed), got ${JSON.stringify(v)}`);
      }
      const f: Fields = [];
      if (params.txid !== undefined) f.push(['txid', params.txid]);
      if (params.cl_ord_id !== undefined) f.push(['cl_ord_id', params.cl_ord_id]);
      for (const k of ['order_qty', 'display_qty', 'limit_price', 'trigger_price'] as const) if (params[k] !== undefined) f.push([k, params[k]!]);
      if (params.post_only) f.push(['post_only', 'true']);
      if (params.deadline !== undefined) f.push(['deadline', params.deadline]);
      return privateCall('AmendOrder', f, parseAmendOrder, signal);
    },
    editOrder: (params, signal) => {
      for (const k of ['volume', 'price', 'price2'] as const) {
        const v = params[k];
        if (v !== undefined && !DECIMAL_TEXT.test(v)) return reject(`EditOrder ${k} must be a plain decimal, got ${JSON.stringify(v)}`);
      }
      const f: Fields = [
        ['txid', params.txid],
        ['pair', params.pair],
      ];
      for (const k of ['volume', 'price', 'price2'] as const) if (params[k] !== undefined) f.push([k, params[k]!]);
      if (params.oflags && params.oflags.length > 0) f.push(['oflags', params.oflags.join(',')]);
      if (params.deadline !== undefined) f.push(['deadline', params.deadline]);
      if (params.cancel_response) f.push(['cancel_response', 'true']);
      if (params.userref !== undefined) f.push(['userref', String(params.userref)]);
      if (params.validate) f.push(['validate', 'true']);
      return privateCall('EditOrder', f, parseEditOrder, signal);
    },
    cancelOrder: (params, signal) => {
      let value: string;
      let key = 'txid';
      if ('txid' in params) value = params.txid;
      else if ('userref' in params) value = String(params.userref);
      else {
        key = 'cl_ord_id';
        value = params.cl_ord_id;
      }
      if (value.trim() === '') return reject('CancelOrder needs a non-empty txid, userref or cl_ord_id');
      return privateCall('CancelOrder', [[key, value]], parseCancel, signal);
    },
    cancelAll: (signal) => privateCall('CancelAll', [], parseCancel, signal),
    openOrders: (params = {}, signal) => privateCall('OpenOrders', orderQueryFields(params), parseOpenOrders, signal),
    closedOrders: (params = {}, signal) => {
      const f = orderQueryFields(params);
      if (params.start !== undefined) f.push(['start', String(params.start)]);
      if (params.end !== undefined) f.push(['end', String(params.end)]);
      if (params.ofs !== undefined) f.push(['ofs', String(params.ofs)]);
      if (params.closetime !== undefined) f.push(['closetime', params.closetime]);
      if (params.consolidate_taker !== undefined) f.push(['consolidate_taker', String(params.consolidate_taker)]);
      if (params.without_count) f.push(['without_count', 'true']);
      return privateCall('ClosedOrders', f, parseClosedOrders, signal);
    },
    queryOrders: (params, signal) => {
      if (params.txid.length === 0 || params.txid.length > 50) return reject(`QueryOrders takes 1..50 txids, got ${params.txid.length}`);
      const f: Fields = [];
      if (params.trades) f.push(['trades', 'true']);
      if (params.userref !== undefined) f.push(['userref', String(params.userref)]);
      f.push(['txid', params.txid.join(',')]);
      if (params.consolidate_taker !== undefined) f.push(['consolidate_taker', String(params.consolidate_taker)]);
      return privateCall('QueryOrders', f, parseQueryOrders, signal);
    },
    tradesHistory: (params = {}, signal) => {
      const f: Fields = [];
      if (params.type !== undefined) f.push(['type', params.type]);
      if (params.trades) f.push(['trades', 'true']);
      if (params.start !== undefined) f.push(['start', String(params.start)]);
      if (params.end !== undefined) f.push(['end', String(params.end)]);
      if (params.ofs !== undefined) f.push(['ofs', String(params.ofs)]);
      if (params.consolidate_taker !== undefined) f.push(['consolidate_taker', String(params.consolidate_taker)]);
      if (params.ledgers) f.push(['ledgers', 'true']);
      return privateCall('TradesHistory', f, parseTradesHistory, signal);
    },
    getWebSocketsToken: (signal) => privateCall('GetWebSocketsToken', [], parseWebSocketsToken, signal),
  };
}

function orderQueryFields(params: OpenOrdersParams): Fields {
  const f: Fields = [];
  if (params.trades) f.push(['trades', 'true']);
  if (params.userref !== undefined) f.push(['userref', String(params.userref)]);
  if (params.cl_ord_id !== undefined) f.push(['cl_ord_id', params.cl_ord_id]);
  return f;
}

const PRICE_REQUIRED: Readonly<Record<AddOrderType, { price: boolean; price2: boolean }>> = {
  market: { price: false, price2: false },
  limit: { price: true, price2: false },
  'stop-loss': { price: true, price2: false },
  'take-profit': { price: true, price2: false },
  'stop-loss-limit': { price: true, price2: true },
  'take-profit-limit': { price: true, price2: true },
};

/** Validates AddOrder parameters and builds the body fields in a fixed order; a string is the reason for refusing. */
export function addOrderFields(p: AddOrderParams): Fields | string {
  const rule = Object.hasOwn(PRICE_REQUIRED, p.ordertype) ? PRICE_REQUIRED[p.ordertype] : undefined;
  if (rule === undefined) return `ordertype must be one of ${Object.keys(PRICE_REQUIRED).join(', ')}, got ${JSON.stringify(p.ordertype)}`;
  if (p.type !== 'buy' && p.type !== 'sell') return `type must be buy or sell, got ${JSON.stringify(p.type)}`;
  if (!p.pair || !/^[A-Za-z0-9/.]{2,32}$/.test(p.pair)) return `pair must be a Kraken pair name, got ${JSON.stringify(p.pair)}`;
  if (!DECIMAL_TEXT.test(p.volume) || /^0+(\.0+)?$/.test(p.volume)) return `volume must be a plain decimal > 0 (base units), got ${JSON.stringify(p.volume)}`;
  if (rule.price && p.price === undefined) return `a ${p.ordertype} order needs price`;
  if (!rule.price && p.price !== undefined) return `a ${p.ordertype} order takes no price`;
  if (rule.price2 && p.price2 === undefined) return `a ${p.ordertype} order needs price2 (the limit price)`;
  if (!rule.price2 && p.price2 !== undefined) return `a ${p.ordertype} order takes no price2`;
  for (const [k, v] of [
    ['price', p.price],
    ['price2', p.price2],
  ] as const) {
    if (v !== undefined && (!DECIMAL_TEXT.test(v) || /^0+(\.0+)?$/.test(v))) return `${k} must be a plain decimal > 0, got ${JSON.stringify(v)}`;
  }
  const flags = p.oflags ?? [];
  if (flags.includes('post') && p.ordertype !== 'limit') return 'post-only (oflags=post) applies to limit orders only';
  if (flags.includes('viqc') && !(p.ordertype === 'market' && p.type === 'buy')) return 'viqc (volume in quote) applies to buy market orders only';
  if (flags.includes('fcib') && flags.includes('fciq')) return 'oflags fcib and fciq are exclusive';
  if (p.cl_ord_id !== undefined && p.userref !== undefined) return 'cl_ord_id and userref are mutually exclusive';
  if (p.cl_ord_id !== undefined && !isValidClientOrderId(p.cl_ord_id)) {
    return `cl_ord_id must be a UUID, 32 hex characters or printable ASCII of at most 18 characters, got ${JSON.stringify(p.cl_ord_id)}`;
  }
  if (p.userref !== undefined && (!Number.isInteger(p.userref) || p.userref < -(2 ** 31) || p.userref > 2 ** 31 - 1)) return `userref must be an int32, got ${p.userref}`;
  if (p.timeinforce === 'GTD' && p.expiretm === undefined) return 'timeinforce GTD needs expiretm';
  const f: Fields = [
    ['pair', p.pair],
    ['type', p.type],
    ['ordertype', p.ordertype],
    ['volume', p.volume],
  ];
  if (p.price !== undefined) f.push(['price', p.price]);
  if (p.price2 !== undefined) f.push(['price2', p.price2]);
  if (p.trigger !== undefined) f.push(['trigger', p.trigger]);
  if (flags.length > 0) f.push(['oflags', flags.join(',')]);
  if (p.timeinforce !== undefined) f.push(['timeinforce', p.timeinforce]);
  if (p.starttm !== undefined) f.push(['starttm', p.starttm]);
  if (p.expiretm !== undefined) f.push(['expiretm', p.expiretm]);
  if (p.cl_ord_id !== undefined) f.push(['cl_ord_id', p.cl_ord_id]);
  if (p.userref !== undefined) f.push(['userref', String(p.userref)]);
  if (p.deadline !== undefined) f.push(['deadline', p.deadline]);
  if (p.validate === true) f.push(['validate', 'true']);
  return f;
}
