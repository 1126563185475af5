import { type Fixed, ZERO, toFixed } from '../../domain/money/index.ts';
import type { PairSpec } from './pairs.ts';

/**
 * The order and trade records of the fake exchange, and the text Kraken derives from them
 * (`descr.order`). Mutable records owned by the engine.
 */

export type Side = 'buy' | 'sell';

/** Order types the fake exchange matches. */
export type OrderType = 'market' | 'limit' | 'stop-loss' | 'take-profit' | 'stop-loss-limit' | 'take-profit-limit';

/** Every order type string this module knows. */
export const ORDER_TYPES: readonly OrderType[] = ['market', 'limit', 'stop-loss', 'take-profit', 'stop-loss-limit', 'take-profit-limit'];

/** REST order status (reference/kraken.md §5). */
export type OrderStatus = 'pending' | 'open' | 'closed' | 'canceled' | 'expired';

export type TimeInForce = 'GTC' | 'IOC' | 'GTD' | 'FOK';

/** Who supplied liquidity in a fill. */
export type Liquidity = 'maker' | 'taker';

/** A normalised order request (REST and WS parse into this). */
export interface OrderRequest {
  readonly pair: PairSpec;
  readonly side: Side;
  readonly ordertype: OrderType;
  /** Base volume. */
  readonly volume: Fixed;
  /** Limit price (limit) or trigger price (stop/take-profit types); null for market. */
  readonly price: Fixed | null;
  /** Limit price after the trigger (the `-limit` types); null otherwise. */
  readonly price2: Fixed | null;
  readonly postOnly: boolean;
  /** Explicit fee currency from `oflags` (fcib/fciq), or null for the default. */
  readonly feeCurrency: 'base' | 'quote' | null;
  readonly timeInForce: TimeInForce;
  /** Scheduled start (sim ms) or null for now. */
  readonly startMs: number | null;
  /** GTD expiry (sim ms) or null. */
  readonly expireMs: number | null;
  readonly userref: number | null;
  readonly clOrdId: string | null;
}

/** One order as the engine keeps it. */
export interface Order {
  readonly txid: string;
  readonly pair: PairSpec;
  readonly side: Side;
  readonly ordertype: OrderType;
  vol: Fixed;
  volExec: Fixed;
  cost: Fixed;
  fee: Fixed;
  price: Fixed | null;
  price2: Fixed | null;
  postOnly: boolean;
  readonly feeCurrency: 'base' | 'quote';
  readonly timeInForce: TimeInForce;
  readonly startMs: number | null;
  readonly expireMs: number | null;
  userref: number | null;
  readonly clOrdId: string | null;
  status: OrderStatus;
  reason: string | null;
  readonly openMs: number;
  closeMs: number | null;
  /** Stop/take-profit types: set once the trigger fired. */
  triggered: boolean;
  /** Comma-list items of REST `misc` (`stopped`, `touched`, `partial`, `amended`). */
  readonly misc: Set<string>;
  readonly trades: string[];
  /** txid of the order this one replaced (EditOrder), else null. */
  readonly refid: string | null;
  /** A partial-fill fault in progress: pieces left and the size of each. */
  pieces: { left: number; size: Fixed; liquidity: Liquidity } | null;
  /** Sequence number of creation, for stable ordering. */
  readonly seq: number;
}

/** One execution. */
export interface TradeRecord {
  /** Trade txid (`T…`), the key of TradesHistory. */
  readonly txid: string;
  readonly ordertxid: string;
  readonly postxid: string;
  readonly pair: PairSpec;
  readonly atMs: number;
  readonly side: Side;
  readonly ordertype: OrderType;
  readonly price: Fixed;
  /** Quote cost, rounded to cost decimals. */
  readonly cost: Fixed;
  /** Fee in quote units, rounded to cost decimals (also when charged in base). */
  readonly fee: Fixed;
  readonly vol: Fixed;
  readonly maker: boolean;
  /** Integer trade id, sequential per pair. */
  readonly tradeId: number;
}

/** True for the triggered types. */
export function isTriggerType(t: OrderType): boolean {
  return t !== 'market' && t !== 'limit';
}

/** True while the order can still trade or be cancelled. */
export function isLive(order: Order): boolean {
  return order.status === 'open' || order.status === 'pending';
}

/** The limit price the order currently rests at, or null (market, untriggered stop). */
export function activeLimit(order: Order): Fixed | null {
  if (order.ordertype === 'limit') return order.price;
  if ((order.ordertype === 'stop-loss-limit' || order.ordertype === 'take-profit-limit') && order.triggered) return order.price2;
  return null;
}

/** Remaining base volume. */
export function remaining(order: Order): Fixed {
  const r = order.vol - order.volExec;
  return r > ZERO ? r : ZERO;
}

/** Kraken's human description, e.g. `buy 1.25000000 XBTUSD @ limit 27500.0`. */
export function describeOrder(o: { pair: PairSpec; side: Side; ordertype: OrderType; vol: Fixed; price: Fixed | null; price2: Fixed | null }): string {
  const px = (v: Fixed | null): string => (v === null ? '0' : toFixed(v, o.pair.pairDecimals));
  const what: Record<OrderType, string> = {
    market: 'market',
    limit: `limit ${px(o.price)}`,
    'stop-loss': `stop loss ${px(o.price)}`,
    'take-profit': `take profit ${px(o.price)}`,
    'stop-loss-limit': `stop loss ${px(o.price)} -> limit ${px(o.price2)}`,
    'take-profit-limit': `take profit ${px(o.price)} -> limit ${px(o.price2)}`,
  };
  return `${o.side} ${toFixed(o.vol, o.pair.lotDecimals)} ${o.pair.altname} @ ${what[o.ordertype]}`;
}
