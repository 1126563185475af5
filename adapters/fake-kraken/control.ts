import { type Fixed, fromString, toFixed, toString } from '../../domain/money/index.ts';
import type { ExchangeContext } from './context.ts';
import type { SystemStatus } from './engine.ts';
import type { RestFaultSpec, WsTarget } from './faults.ts';
import { type Order, type TradeRecord } from './orders.ts';
import { type PairSpec, findPairByRestName } from './pairs.ts';
import type { LoggedRequest, RequestFilter, RequestLog } from './request-log.ts';
import type { WsHub } from './ws.ts';

/**
 * The test/demo control surface of a running fake exchange: the simulated clock, account and
 * market inspection, fault injection and the request log.
 */

/** Options shared by the REST fault shortcuts. */
export interface RestFaultOptions {
  /** Endpoint names affected (default: every endpoint). */
  readonly methods?: readonly string[];
  /** Execute the call anyway before failing (default false). */
  readonly processed?: boolean;
}

/** An order as the control surface shows it (decimals as canonical text). */
export interface OrderView {
  readonly txid: string;
  readonly clOrdId: string | null;
  readonly userref: number | null;
  /** WS v2 symbol, e.g. `BTC/USD`. */
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly ordertype: string;
  readonly status: string;
  readonly reason: string | null;
  readonly vol: string;
  readonly volExec: string;
  readonly price: string | null;
  readonly price2: string | null;
  readonly cost: string;
  readonly fee: string;
  readonly trades: readonly string[];
}

/** A fill as the control surface shows it. */
export interface TradeView {
  readonly txid: string;
  readonly ordertxid: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly vol: string;
  readonly cost: string;
  readonly fee: string;
  readonly maker: boolean;
  readonly timeMs: number;
}

/** The control surface. Every method is synchronous. */
export interface FakeKrakenControl {
  /** Simulated time, ms. */
  now(): number;
  /** Moves the simulated clock forward by `ms`, replaying everything due; returns the new time. */
  advance(ms: number): number;
  /** Moves the simulated clock to `ms` (not backwards); returns it. */
  advanceTo(ms: number): number;
  /** Jumps to the next replayed trade or order timer; returns its time, or null at the end of the data. */
  step(): number | null;
  /** Simulated ms per real ms (0 stops the real-time driver). */
  setSpeed(speed: number): void;
  /** Last traded price of a pair (any Kraken spelling) as text. */
  lastPrice(pair: string): string;
  /** Best bid/ask and last of a pair as text with the pair's decimals. */
  quote(pair: string): { bid: string; ask: string; last: string };
  /** Every balance as canonical decimal text. */
  balances(): Record<string, string>;
  /** Sets one balance (asset id such as `ZUSD`, `XXBT`). */
  setBalance(asset: string, amount: string): void;
  /** Every order, newest first. */
  orders(): OrderView[];
  /** Every fill, newest first. */
  trades(): TradeView[];
  /** Changes the system status (SystemStatus, WS status channel, order acceptance). */
  setSystemStatus(status: SystemStatus): void;

  /** Arms a REST fault (generic form). */
  failRest(spec: RestFaultSpec): void;
  /** The next `count` REST calls get a raw HTTP `status` (default 502) with a Cloudflare-like body. */
  httpErrorNext(count?: number, status?: number, options?: RestFaultOptions): void;
  /** The next `count` REST calls get `EAPI:Rate limit exceeded`. */
  rateLimitNext(count?: number, options?: RestFaultOptions): void;
  /** The next `count` REST calls get `EService:Unavailable`. */
  unavailableNext(count?: number, options?: RestFaultOptions): void;
  /** The next `count` REST calls get `EAPI:Invalid nonce`. */
  invalidNonceNext(count?: number, options?: RestFaultOptions): void;
  /**
   * The next `count` replies of `methods` (default `['AddOrder']`) are held back `delayMs` real
   * ms (null: never sent) — the call is executed, so an AddOrder's order exists.
   */
  delayReplies(options: { delayMs: number | null; count?: number; methods?: readonly string[] }): void;
  /** The next `orders` orders that start filling fill in `pieces` pieces, one per later replayed trade. */
  partialFills(options: { pieces: number; orders?: number }): void;
  /**
   * The next `count` cancels of a single live order fill it instead: `pending` (default) replies
   * `{count: 1, pending: true}` and fills right after the reply; `unknown` fills first and
   * replies `EOrder:Unknown order`.
   */
  fillAfterCancel(options?: { mode?: 'pending' | 'unknown'; count?: number }): void;
  /** Drops WS connections: `terminate` (default, no close frame) or `close` (close frame, code 1001). */
  dropWs(options?: { target?: WsTarget; mode?: 'terminate' | 'close' }): number;
  /** Stops all sending (data, heartbeats, pongs) on WS connections while they stay open. */
  stallWs(options?: { target?: WsTarget }): void;
  /** Undoes `stallWs`. */
  resumeWs(options?: { target?: WsTarget }): void;
  /** The next `count` WS connection attempts are refused with HTTP 503. */
  refuseWsConnections(count: number): void;
  /** The next `count` book messages carry a wrong checksum. */
  corruptBookChecksum(count?: number): void;
  /** Invalidates every issued WS token. */
  expireWsTokens(): void;
  /** Disarms every fault and resumes stalled connections. */
  clearFaults(): void;

  /** The request log (REST and WS), oldest first, optionally filtered. */
  requests(filter?: RequestFilter): LoggedRequest[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Open WS connections. */
  wsConnections(target?: WsTarget): number;
}

/** Builds the control surface over a running exchange. */
export function createControl(ctx: ExchangeContext, log: RequestLog, hub: WsHub, setSpeed: (s: number) => void): FakeKrakenControl {
  const engine = ctx.engine;
  const pairOf = (name: string): PairSpec => {
    const p = findPairByRestName(ctx.pairs, name);
    if (!p) throw new RangeError(`unknown pair ${JSON.stringify(name)}; listed: ${ctx.pairs.map((x) => x.symbol).join(', ')}`);
    return p;
  };
  const countOk = (count: number): number => {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be an integer ≥ 1, got ${count}`);
    return count;
  };
  const error = (err: string, count: number, options: RestFaultOptions = {}): void =>
    ctx.faults.armRest({ kind: 'error', error: err, count: countOk(count), ...options });
  return {
    now: () => engine.now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
      engine.advanceTo(engine.now + ms);
      return engine.now;
    },
    advanceTo(ms) {
      engine.advanceTo(ms);
      return engine.now;
    },
    step: () => engine.step(),
    setSpeed,
    lastPrice: (pair) => {
      const p = pairOf(pair);
      return toFixed(engine.lastPrice(p), p.pairDecimals);
    },
    quote(pair) {
      const p = pairOf(pair);
      const q = engine.quote(p);
      return { bid: toFixed(q.bid, p.pairDecimals), ask: toFixed(q.ask, p.pairDecimals), last: toFixed(q.last, p.pairDecimals) };
    },
    balances: () => Object.fromEntries([...engine.balanceSnapshot()].map(([k, v]) => [k, toString(v)])),
    setBalance(asset, amount) {
      const v: Fixed = fromString(amount);
      if (v < 0n) throw new RangeError(`balance must be ≥ 0, got ${amount}`);
      engine.setBalance(asset, v);
    },
    orders: () => engine.allOrders().map(orderView),
    trades: () => engine.allTrades().map(tradeView),
    setSystemStatus: (status) => engine.setSystemStatus(status),

    failRest: (spec) => ctx.faults.armRest(spec),
    httpErrorNext: (count = 1, status = 502, options = {}) => ctx.faults.armRest({ kind: 'http', status, count: countOk(count), ...options }),
    rateLimitNext: (count = 1, options) => error('EAPI:Rate limit exceeded', count, options),
    unavailableNext: (count = 1, options) => error('EService:Unavailable', count, options),
    invalidNonceNext: (count = 1, options) => error('EAPI:Invalid nonce', count, options),
    delayReplies: ({ delayMs, count = 1, methods = ['AddOrder'] }) => ctx.faults.armRest({ kind: 'delay', delayMs, count: countOk(count), methods }),
    partialFills({ pieces, orders = 1 }) {
      if (!Number.isInteger(pieces) || pieces < 2) throw new RangeError(`pieces must be an integer ≥ 2, got ${pieces}`);
      engine.planPartialFills(pieces, countOk(orders));
    },
    fillAfterCancel({ mode = 'pending', count = 1 } = {}) {
      ctx.faults.fillAfterCancel = { mode, remaining: countOk(count) };
    },
    dropWs: ({ target = 'all', mode = 'terminate' } = {}) => hub.drop(target, mode),
    stallWs: ({ target = 'all' } = {}) => hub.stall(target, true),
    resumeWs: ({ target = 'all' } = {}) => hub.stall(target, false),
    refuseWsConnections(count) {
      ctx.faults.refuseWsConnections = countOk(count);
    },
    corruptBookChecksum(count = 1) {
      ctx.faults.corruptChecksums = countOk(count);
    },
    expireWsTokens: () => ctx.tokens.expireAll(),
    clearFaults() {
      ctx.faults.clear();
      engine.planPartialFills(0, 0);
      hub.stall('all', false);
    },

    requests: (filter) => log.list(filter),
    clearRequests: () => log.clear(),
    wsConnections: (target = 'all') => hub.connectionCount(target),
  };
}

function orderView(o: Order): OrderView {
  return {
    txid: o.txid,
    clOrdId: o.clOrdId,
    userref: o.userref,
    symbol: o.pair.symbol,
    side: o.side,
    ordertype: o.ordertype,
    status: o.status,
    reason: o.reason,
    vol: toString(o.vol),
    volExec: toString(o.volExec),
    price: o.price === null ? null : toString(o.price),
    price2: o.price2 === null ? null : toString(o.price2),
    cost: toString(o.cost),
    fee: toString(o.fee),
    trades: [...o.trades],
  };
}

function tradeView(t: TradeRecord): TradeView {
  return {
    txid: t.txid,
    ordertxid: t.ordertxid,
    symbol: t.pair.symbol,
    side: t.side,
    price: toString(t.price),
    vol: toString(t.vol),
    cost: toString(t.cost),
    fee: toString(t.fee),
    maker: t.maker,
    timeMs: t.atMs,
  };
}
