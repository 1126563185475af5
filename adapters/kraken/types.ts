/**
 * What the Kraken parsers produce: Kraken's messages in domain terms. Money and quantities are
 * exact `Fixed` (1e-18 units); prices are quote per base; volumes are base units; timestamps
 * are integer ms since epoch, UTC (`ts…Ms`). Pair names are canonical (`BTC/USD`) next to the
 * Kraken key they came from. Lists are arrays (never records keyed by venue strings).
 */
import type { Fixed } from '../../domain/money/index.ts';

/** Kraken order side. */
export type KrakenSide = 'buy' | 'sell';

/** Kraken order types (AddOrder `ordertype`, kraken.md §6.1). */
export type KrakenOrderType =
  | 'market'
  | 'limit'
  | 'iceberg'
  | 'stop-loss'
  | 'take-profit'
  | 'stop-loss-limit'
  | 'take-profit-limit'
  | 'trailing-stop'
  | 'trailing-stop-limit'
  | 'settle-position';

/** Every `KrakenOrderType`, for validation. */
export const KRAKEN_ORDER_TYPES: readonly KrakenOrderType[] = Object.freeze([
  'market',
  'limit',
  'iceberg',
  'stop-loss',
  'take-profit',
  'stop-loss-limit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
  'settle-position',
]);

/** Engine state (SystemStatus, WS `status`). */
export type SystemState = 'online' | 'maintenance' | 'cancel_only' | 'post_only';
/** Every `SystemState`, for validation. */
export const SYSTEM_STATES: readonly SystemState[] = Object.freeze(['online', 'maintenance', 'cancel_only', 'post_only']);

/** `GET /0/public/Time`. */
export interface ServerTime {
  readonly tsMs: number;
  readonly rfc1123: string;
}

/** `GET /0/public/SystemStatus`. */
export interface SystemStatusInfo {
  readonly status: SystemState;
  readonly tsMs: number;
}

/** One row of a fee schedule: from this 30-day USD volume on, this percent fee (0.4 = 0.40 %). */
export interface FeeTier {
  readonly volumeUsd: Fixed;
  readonly pct: Fixed;
}

/** One AssetPairs entry. */
export interface AssetPairInfo {
  readonly key: string;
  readonly altname: string;
  readonly wsname: string | null;
  /** Canonical symbol, e.g. `BTC/USD`. */
  readonly symbol: string;
  /** Kraken asset ids as sent (`XXBT`, `ZUSD`). */
  readonly baseId: string;
  readonly quoteId: string;
  readonly pairDecimals: number;
  readonly costDecimals: number;
  readonly lotDecimals: number;
  /** Minimum order volume, base units; null when not sent. */
  readonly orderMin: Fixed | null;
  /** Minimum order cost, quote units; null when not sent. */
  readonly costMin: Fixed | null;
  /** Minimum price increment; null when not sent. */
  readonly tickSize: Fixed | null;
  /** `online`, `cancel_only`, `post_only`, `limit_only`, `reduce_only`; null when not sent. */
  readonly status: string | null;
  /** Taker schedule (`fees`), ascending volume. */
  readonly takerFees: readonly FeeTier[];
  /** Maker schedule (`fees_maker`), ascending volume. */
  readonly makerFees: readonly FeeTier[];
}

/** Best price with its volumes (Ticker `a`/`b`). */
export interface TickerQuote {
  readonly price: Fixed;
  readonly wholeLotVolume: Fixed;
  readonly lotVolume: Fixed;
}

/** Today / last-24-hours pair of values (today starts 00:00 UTC). */
export interface TodayAnd24h<T> {
  readonly today: T;
  readonly last24h: T;
}

/** One Ticker entry. */
export interface TickerInfo {
  readonly key: string;
  readonly symbol: string | null;
  readonly ask: TickerQuote;
  readonly bid: TickerQuote;
  readonly last: { readonly price: Fixed; readonly volume: Fixed };
  readonly volume: TodayAnd24h<Fixed>;
  readonly vwap: TodayAnd24h<Fixed>;
  readonly trades: TodayAnd24h<number>;
  readonly low: TodayAnd24h<Fixed>;
  readonly high: TodayAnd24h<Fixed>;
  readonly open: Fixed;
}

/** One OHLC row; `tsOpenMs` is the candle START. */
export interface OhlcRow {
  readonly tsOpenMs: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly vwap: Fixed;
  readonly volume: Fixed;
  readonly count: number;
}

/**
 * `GET /0/public/OHLC`. `rows` are ascending; the last row is the still-open candle.
 * `lastCommittedMs` is Kraken's `last` (start of the newest committed candle) in ms.
 */
export interface OhlcSeries {
  readonly key: string;
  readonly symbol: string | null;
  readonly rows: readonly OhlcRow[];
  readonly lastCommittedMs: number;
}

/** One Depth level. */
export interface DepthLevel {
  readonly price: Fixed;
  readonly volume: Fixed;
  readonly tsMs: number;
}

/** `GET /0/public/Depth`: asks ascending, bids descending. */
export interface DepthBook {
  readonly key: string;
  readonly symbol: string | null;
  readonly asks: readonly DepthLevel[];
  readonly bids: readonly DepthLevel[];
}

/** One `Balance` entry. */
export interface BalanceEntry {
  /** Kraken's code as sent (`XXBT`, `ETH2.S`). */
  readonly assetId: string;
  /** Canonical code (`BTC`, `ETH2`). */
  readonly asset: string;
  /** Read-only mirror suffix (`.S`, `.M`, `.B`, `.F`, `.T`) or null for a tradable balance. */
  readonly suffix: string | null;
  readonly amount: Fixed;
}

/** One `BalanceEx` entry; `available = balance + credit − creditUsed − holdTrade`. */
export interface ExtendedBalanceEntry {
  readonly assetId: string;
  readonly asset: string;
  readonly suffix: string | null;
  readonly balance: Fixed;
  readonly holdTrade: Fixed;
  readonly credit: Fixed;
  readonly creditUsed: Fixed;
  readonly available: Fixed;
}

/** `POST /0/private/TradeBalance` (quote units of the requested asset, ZUSD by default). */
export interface TradeBalanceInfo {
  /** `eb`: equivalent balance (all currencies). */
  readonly equivalentBalance: Fixed;
  /** `tb`: trade balance (equity currencies). */
  readonly tradeBalance: Fixed;
  /** `m`: margin amount of open positions. */
  readonly margin: Fixed;
  /** `n`: unrealised P&L of open positions. */
  readonly unrealisedPnl: Fixed;
  /** `c`: cost basis of open positions. */
  readonly cost: Fixed;
  /** `v`: current floating valuation of open positions. */
  readonly valuation: Fixed;
  /** `e`: equity = trade balance + unrealised P&L. */
  readonly equity: Fixed;
  /** `mf`: free margin. */
  readonly freeMargin: Fixed;
  /** `ml`: margin level (percent); null without positions. */
  readonly marginLevel: Fixed | null;
  /** `uv`: unexecuted value; null when not sent. */
  readonly unexecutedValue: Fixed | null;
}

/** One pair's fee from TradeVolume, in PERCENT (0.26 = 0.26 %). */
export interface PairFeeInfo {
  readonly key: string;
  readonly symbol: string | null;
  readonly fee: Fixed;
  readonly minFee: Fixed | null;
  readonly maxFee: Fixed | null;
  /** null at the best tier. */
  readonly nextFee: Fixed | null;
  readonly nextVolume: Fixed | null;
  readonly tierVolume: Fixed | null;
}

/** `POST /0/private/TradeVolume`: `takerFees` from `fees`, `makerFees` from `fees_maker`. */
export interface TradeVolumeInfo {
  readonly currency: string;
  /** 30-day volume in `currency`. */
  readonly volume: Fixed;
  readonly takerFees: readonly PairFeeInfo[];
  readonly makerFees: readonly PairFeeInfo[];
}

/** Kraken REST order status. */
export type KrakenOrderStatus = 'pending' | 'open' | 'closed' | 'canceled' | 'expired';
/** Every `KrakenOrderStatus`, for validation. */
export const KRAKEN_ORDER_STATUSES: readonly KrakenOrderStatus[] = Object.freeze(['pending', 'open', 'closed', 'canceled', 'expired']);

/** An order from OpenOrders / ClosedOrders / QueryOrders. `descr.order` is kept as text, never parsed. */
export interface KrakenOrder {
  readonly txid: string;
  /** Creating order's txid (parent of a conditional close), or null. */
  readonly refid: string | null;
  /** Kraken sends 0 when unset; kept as sent (null when absent/null). */
  readonly userref: number | null;
  readonly clientOrderId: string | null;
  readonly status: KrakenOrderStatus;
  readonly reason: string | null;
  readonly tsOpenedMs: number;
  readonly tsClosedMs: number | null;
  readonly tsStartMs: number | null;
  readonly tsExpireMs: number | null;
  /** `descr.pair` (altname, e.g. `XBTUSD`) and its canonical symbol. */
  readonly pair: string;
  readonly symbol: string | null;
  readonly side: KrakenSide;
  readonly orderType: KrakenOrderType;
  /** `descr.price` / `descr.price2` as sent (may be relative like `+5%` for trailing types). */
  readonly descrPrice: string;
  readonly descrPrice2: string;
  readonly leverage: string | null;
  /** `descr.order`, human text. */
  readonly description: string;
  readonly volume: Fixed;
  readonly volumeExecuted: Fixed;
  /** Cumulative cost, quote. */
  readonly cost: Fixed;
  /** Cumulative fee, quote. */
  readonly fee: Fixed;
  /** Average fill price; null when nothing filled (Kraken sends 0). */
  readonly avgPrice: Fixed | null;
  readonly stopPrice: Fixed | null;
  readonly limitPrice: Fixed | null;
  readonly trigger: 'last' | 'index';
  readonly misc: readonly string[];
  readonly oflags: readonly string[];
  readonly tradeIds: readonly string[];
}

/** `POST /0/private/AddOrder`: `txids` is empty for `validate=true`. */
export interface AddOrderResult {
  readonly txids: readonly string[];
  readonly description: string;
  readonly closeDescription: string | null;
}

/** `POST /0/private/AmendOrder`. */
export interface AmendOrderResult {
  readonly amendId: string;
}

/** `POST /0/private/EditOrder` (cancel-replace: a new txid). */
export interface EditOrderResult {
  readonly status: string;
  readonly txid: string | null;
  readonly originalTxid: string | null;
  readonly volume: Fixed | null;
  readonly price: Fixed | null;
  readonly price2: Fixed | null;
  readonly ordersCancelled: number | null;
  readonly description: string | null;
}

/** `POST /0/private/CancelOrder` and `CancelAll`. */
export interface CancelResult {
  readonly count: number;
  /** True when the cancel is pending (Kraken's `pending` flag). */
  readonly pending: boolean;
}

/** One fill from TradesHistory. */
export interface KrakenTrade {
  readonly tradeTxid: string;
  readonly orderTxid: string;
  readonly positionTxid: string | null;
  readonly key: string;
  readonly symbol: string | null;
  readonly tsMs: number;
  readonly side: KrakenSide;
  readonly orderType: KrakenOrderType;
  /** Average price of the fill, quote per base. */
  readonly price: Fixed;
  readonly cost: Fixed;
  readonly fee: Fixed;
  readonly volume: Fixed;
  readonly margin: Fixed;
  readonly misc: readonly string[];
  /** Kraken's sequential trade id (integer), null when absent. */
  readonly tradeId: number | null;
  /** True for maker fills; null when Kraken did not say. */
  readonly maker: boolean | null;
}

/** `POST /0/private/TradesHistory` (50 per page, newest first). */
export interface TradesHistoryPage {
  readonly trades: readonly KrakenTrade[];
  readonly count: number | null;
}

/** `POST /0/private/OpenOrders`, `ClosedOrders`, `QueryOrders`. */
export interface OrdersPage {
  readonly orders: readonly KrakenOrder[];
  /** ClosedOrders' total `count`; null for the others. */
  readonly count: number | null;
}

/** `POST /0/private/GetWebSocketsToken`. */
export interface WebSocketsToken {
  readonly token: string;
  readonly expiresSec: number;
}
