import { type Fixed, ONE, ZERO, div, max, min, mul, round } from '../../domain/money/index.ts';
import { touch } from './book.ts';
import type { IdSource } from './ids.ts';
import type { MarketReplay, Tick } from './market.ts';
import {
  type Liquidity,
  type Order,
  type OrderRequest,
  type TradeRecord,
  activeLimit,
  describeOrder,
  isLive,
  isTriggerType,
  remaining,
} from './orders.ts';
import { type FeeTier, type PairSpec, tierFor } from './pairs.ts';

/**
 * The matching engine and account of the fake exchange: balances per asset, orders, fills, fees,
 * and the simulated clock that drives the candle replay.
 *
 * Matching rules (docs/fake-kraken.md has the full text):
 * - market orders fill at once, whole, at the touch: buys at the ask, sells at the bid (taker);
 * - a limit that is marketable on arrival (buy: ask ≤ limit; sell: bid ≥ limit) fills at once at
 *   the touch as a taker, unless post-only (then it is cancelled, or rejected — configurable);
 * - a resting limit fills whole, at its own price, as a maker, when a later replayed trade goes
 *   strictly through it (buy: a trade below the limit; sell: above) — or merely touches it under
 *   `limitFillRule: 'touch'`;
 * - stop-loss / take-profit trigger when the last trade reaches the trigger (touch): from inside a
 *   candle at the trigger price, across a gap (the candle's open) at the open; the triggered
 *   market order fills at the touch of that reference price; `-limit` variants then behave as a
 *   limit at `price2`;
 * - fees: the pair's maker/taker tier for the 30-day USD volume; cost and fee rounded half-even to
 *   the pair's cost decimals; balances move in each asset's ledger decimals.
 */

/** System status values of SystemStatus and the WS status channel. */
export type SystemStatus = 'online' | 'maintenance' | 'cancel_only' | 'post_only';

/** Something the engine did, for the WebSocket feeds. Records are live objects: format at once. */
export type EngineEvent =
  | { readonly kind: 'tick'; readonly market: MarketReplay; readonly tick: Tick }
  | { readonly kind: 'exec'; readonly type: 'pending_new' | 'new' | 'filled' | 'amended' | 'status'; readonly order: Order; readonly atMs: number }
  | { readonly kind: 'exec'; readonly type: 'canceled' | 'expired'; readonly order: Order; readonly atMs: number; readonly reason: string }
  | { readonly kind: 'trade'; readonly order: Order; readonly trade: TradeRecord; readonly atMs: number }
  | { readonly kind: 'system'; readonly status: SystemStatus };

/** Engine configuration (validated by the server options). */
export interface EngineConfig {
  readonly markets: readonly MarketReplay[];
  readonly startMs: number;
  readonly ids: IdSource;
  readonly balances: ReadonlyMap<string, Fixed>;
  readonly volume30dUsd: Fixed;
  readonly spreadBps: number;
  readonly limitFillRule: 'through' | 'touch';
  readonly postOnlyCross: 'cancel' | 'reject';
  readonly duplicateClOrdIdError: string;
  readonly systemStatus: SystemStatus;
}

/** `{ ok: true, … }` or a Kraken error string. */
export type EngineResult<T> = ({ ok: true } & T) | { ok: false; error: string };

const DAY_MS = 86_400_000;
const FIRST_TRADE_ID = 40_000_000;

/** The exchange core. Single-threaded; every method runs to completion. */
export class Engine {
  private nowMs: number;
  private readonly markets: Map<string, MarketReplay>;
  private readonly prevPrice = new Map<string, Fixed>();
  private readonly balances = new Map<string, Fixed>();
  private readonly orders = new Map<string, Order>();
  private readonly live = new Map<string, Order>();
  private readonly trades: TradeRecord[] = [];
  private readonly volumeLog: { atMs: number; usd: Fixed }[] = [];
  private readonly nextTradeId = new Map<string, number>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private status: SystemStatus;
  private seq = 0;
  private partialPlan: { pieces: number; orders: number } | null = null;
  private deadManMs: number | null = null;

  constructor(private readonly config: EngineConfig) {
    this.nowMs = config.startMs;
    this.status = config.systemStatus;
    this.markets = new Map(config.markets.map((m) => [m.pair.key, m]));
    for (const m of config.markets) {
      const p = m.lastPrice(this.nowMs);
      if (p === null) throw new RangeError(`${m.pair.symbol}: no price at the start time`);
      this.prevPrice.set(m.pair.key, p);
      this.nextTradeId.set(m.pair.key, FIRST_TRADE_ID);
    }
    for (const [asset, amount] of config.balances) this.balances.set(asset, amount);
  }

  // ---------------------------------------------------------------- clock

  /** Current simulated time, ms. */
  get now(): number {
    return this.nowMs;
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Moves the clock to `targetMs`, replaying every tick and order timer due on the way, in time
   * order. Throws `RangeError` when asked to go back in time.
   */
  advanceTo(targetMs: number): void {
    if (!Number.isFinite(targetMs) || targetMs < this.nowMs) throw new RangeError(`cannot move the clock back from ${this.nowMs} to ${targetMs}`);
    for (;;) {
      const next = this.nextEventMs();
      if (next === null || next > targetMs) break;
      this.nowMs = next;
      this.runDue();
    }
    this.nowMs = targetMs;
    this.runTimers();
  }

  /** Moves the clock to the next tick or order timer; returns the new time, or null when nothing is left. */
  step(): number | null {
    const next = this.nextEventMs();
    if (next === null) return null;
    this.nowMs = next;
    this.runDue();
    return next;
  }

  /** Time of the next tick of any market or order timer after now; null when none is left. */
  nextEventMs(): number | null {
    let next: number | null = null;
    for (const m of this.config.markets) {
      const t = m.tickAfter(this.nowMs);
      if (t !== null && (next === null || t.atMs < next)) next = t.atMs;
    }
    for (const o of this.live.values()) {
      for (const at of [o.status === 'pending' ? o.startMs : null, o.expireMs]) {
        if (at !== null && at > this.nowMs && (next === null || at < next)) next = at;
      }
    }
    if (this.deadManMs !== null && this.deadManMs > this.nowMs && (next === null || this.deadManMs < next)) next = this.deadManMs;
    return next;
  }

  private runDue(): void {
    this.runTimers();
    for (const m of this.config.markets) {
      const t = m.tickAtOrBefore(this.nowMs);
      if (t !== null && t.atMs === this.nowMs) this.onTick(m, t);
    }
  }

  private runTimers(): void {
    if (this.deadManMs !== null && this.deadManMs <= this.nowMs) {
      this.deadManMs = null;
      for (const o of this.liveOrders()) this.close(o, 'canceled', 'Cancel all orders after timeout');
    }
    for (const o of this.liveOrders()) {
      if (o.status === 'pending' && o.startMs !== null && o.startMs <= this.nowMs) {
        o.status = 'open';
        this.emit({ kind: 'exec', type: 'new', order: o, atMs: this.nowMs });
        this.matchNow(o);
      }
      if (isLive(o) && o.expireMs !== null && o.expireMs <= this.nowMs) this.close(o, 'expired', 'Order expired');
    }
  }

  // ---------------------------------------------------------------- market data

  /** The replay of a pair. Throws for a pair without data (programmer error). */
  market(pair: PairSpec): MarketReplay {
    const m = this.markets.get(pair.key);
    if (!m) throw new RangeError(`no market data for ${pair.symbol}`);
    return m;
  }

  /** Last traded price of a pair now. */
  lastPrice(pair: PairSpec): Fixed {
    return this.market(pair).lastPrice(this.nowMs)!;
  }

  /** Best bid and ask of a pair now. */
  quote(pair: PairSpec): { bid: Fixed; ask: Fixed; last: Fixed } {
    const last = this.lastPrice(pair);
    return { ...touch(pair, last, this.config.spreadBps), last };
  }

  /** Current system status. */
  get systemStatus(): SystemStatus {
    return this.status;
  }

  /** Changes the system status and announces it. */
  setSystemStatus(status: SystemStatus): void {
    this.status = status;
    this.emit({ kind: 'system', status });
  }

  private onTick(market: MarketReplay, tick: Tick): void {
    const key = market.pair.key;
    const prev = this.prevPrice.get(key)!;
    this.prevPrice.set(key, tick.price);
    this.emit({ kind: 'tick', market, tick });
    if (this.status !== 'online') return; // cancel_only, post_only and maintenance do not match
    for (const o of this.liveOrders()) {
      if (o.pair.key !== key || o.status !== 'open') continue;
      if (o.pieces !== null) {
        this.continuePieces(o);
        continue;
      }
      this.matchSegment(o, prev, tick.price, tick.k === 0);
    }
  }

  // ---------------------------------------------------------------- account

  /** Balance of every asset that was ever touched, exact. */
  balanceSnapshot(): Map<string, Fixed> {
    return new Map(this.balances);
  }

  /** Balance of one asset (0 when never held). */
  balanceOf(asset: string): Fixed {
    return this.balances.get(asset) ?? ZERO;
  }

  /** Sets an asset balance (control surface). */
  setBalance(asset: string, amount: Fixed): void {
    this.balances.set(asset, amount);
  }

  /** Amount of `asset` reserved by live orders, leaving out `except`. */
  holdOf(asset: string, ...except: Order[]): Fixed {
    let total = ZERO;
    for (const o of this.live.values()) {
      if (except.includes(o)) continue;
      total += this.reservation(o, asset);
    }
    return total;
  }

  /** Rolling 30-day USD volume (initial volume plus fills in the window). */
  volume30d(): Fixed {
    let v = this.config.volume30dUsd;
    for (const e of this.volumeLog) if (e.atMs > this.nowMs - 30 * DAY_MS) v += e.usd;
    return v;
  }

  /** The fee tier in force for `pair` and liquidity side. */
  feeTier(pair: PairSpec, liquidity: Liquidity): { index: number; tier: FeeTier; schedule: readonly FeeTier[] } {
    const schedule = liquidity === 'maker' ? pair.feesMaker : pair.feesTaker;
    return { ...tierFor(schedule, this.volume30d()), schedule };
  }

  // ---------------------------------------------------------------- queries

  /** All orders, newest first. */
  allOrders(): Order[] {
    return [...this.orders.values()].sort((a, b) => b.seq - a.seq);
  }

  /** One order by txid. */
  order(txid: string): Order | undefined {
    return this.orders.get(txid);
  }

  /** All trades, newest first. */
  allTrades(): TradeRecord[] {
    return [...this.trades].reverse();
  }

  /** Live orders in creation order. */
  liveOrders(): Order[] {
    return [...this.live.values()].sort((a, b) => a.seq - b.seq);
  }

  // ---------------------------------------------------------------- commands

  /**
   * Validates and (unless `validateOnly`) places an order. Checks, in Kraken's order: system
   * status, minimum volume, minimum cost, price/volume decimals and tick, duplicate cl_ord_id
   * among open orders, funds. On success the order is live and has already been matched against
   * the current quote.
   */
  addOrder(req: OrderRequest, validateOnly: boolean): EngineResult<{ order: Order | null; descr: string }> {
    const denied = this.statusDenies(req);
    if (denied) return { ok: false, error: denied };
    const checked = this.checkOrder(req);
    if (checked) return { ok: false, error: checked };
    const descr = describeOrder({ ...req, vol: req.volume });
    if (validateOnly) return { ok: true, order: null, descr };
    if (req.clOrdId !== null && [...this.live.values()].some((o) => o.clOrdId === req.clOrdId)) {
      return { ok: false, error: this.config.duplicateClOrdIdError };
    }
    if (req.postOnly && this.config.postOnlyCross === 'reject' && this.wouldTake(req.pair, req.side, req.price!)) {
      return { ok: false, error: 'EOrder:Post only order' };
    }
    const order = this.newOrder(req, null);
    if (!this.fundsFor(order, null)) return { ok: false, error: 'EOrder:Insufficient funds' };
    this.orders.set(order.txid, order);
    this.live.set(order.txid, order);
    this.emit({ kind: 'exec', type: 'pending_new', order, atMs: this.nowMs });
    if (order.status === 'open') {
      this.emit({ kind: 'exec', type: 'new', order, atMs: this.nowMs });
      this.matchNow(order);
    }
    return { ok: true, order, descr };
  }

  /**
   * AmendOrder: changes qty, limit price, trigger price or post-only in place (same txid).
   * Returns the new amend id. Unknown or final orders give `EOrder:Unknown order`.
   */
  amendOrder(
    order: Order | undefined,
    changes: { orderQty: Fixed | null; limitPrice: Fixed | null; triggerPrice: Fixed | null; postOnly: boolean | null },
  ): EngineResult<{ amendId: string }> {
    if (order === undefined || !isLive(order)) return { ok: false, error: 'EOrder:Unknown order' };
    if (this.status === 'maintenance') return { ok: false, error: 'EService:Unavailable' };
    const hasLimit = order.ordertype === 'limit' || order.ordertype === 'stop-loss-limit' || order.ordertype === 'take-profit-limit';
    if (changes.limitPrice !== null && !hasLimit) return { ok: false, error: 'EGeneral:Invalid arguments:limit_price' };
    if (changes.triggerPrice !== null && (!isTriggerType(order.ordertype) || order.triggered)) {
      return { ok: false, error: 'EGeneral:Invalid arguments:trigger_price' };
    }
    for (const p of [changes.limitPrice, changes.triggerPrice]) {
      if (p !== null) {
        const bad = this.priceProblem(order.pair, p);
        if (bad) return { ok: false, error: bad };
      }
    }
    if (changes.orderQty !== null && changes.orderQty !== round(changes.orderQty, order.pair.lotDecimals)) {
      return { ok: false, error: 'EGeneral:Invalid arguments:order_qty' };
    }
    const before = { vol: order.vol, price: order.price, price2: order.price2, postOnly: order.postOnly };
    if (changes.orderQty !== null) order.vol = changes.orderQty;
    if (changes.limitPrice !== null) {
      if (order.ordertype === 'limit') order.price = changes.limitPrice;
      else order.price2 = changes.limitPrice;
    }
    if (changes.triggerPrice !== null) order.price = changes.triggerPrice;
    if (changes.postOnly !== null) order.postOnly = changes.postOnly;
    const limit = activeLimit(order);
    const revert = (error: string): EngineResult<{ amendId: string }> => {
      order.vol = before.vol;
      order.price = before.price;
      order.price2 = before.price2;
      order.postOnly = before.postOnly;
      return { ok: false, error };
    };
    if (order.postOnly && limit !== null && this.wouldTake(order.pair, order.side, limit)) return revert('EOrder:Post only order');
    if (order.vol > order.volExec && !this.fundsFor(order, null)) return revert('EOrder:Insufficient funds');
    order.misc.add('amended');
    const amendId = this.config.ids.krakenId('T');
    if (order.vol <= order.volExec) {
      // Reducing the quantity to (or below) what already traded cancels the rest.
      order.vol = before.vol;
      this.close(order, 'canceled', 'User requested');
      return { ok: true, amendId };
    }
    this.emit({ kind: 'exec', type: 'amended', order, atMs: this.nowMs });
    if (this.status === 'online') this.matchNow(order);
    return { ok: true, amendId };
  }

  /**
   * EditOrder (legacy cancel-replace): cancels `order` and places a new one with the changed
   * volume/prices and a new txid. Not for orders with a cl_ord_id or of a triggered type.
   */
  editOrder(
    order: Order | undefined,
    changes: { volume: Fixed | null; price: Fixed | null; price2: Fixed | null; postOnly: boolean | null; userref: number | null },
    validateOnly: boolean,
  ): EngineResult<{ replacement: Order | null; request: OrderRequest; descr: string }> {
    if (order === undefined || !isLive(order)) return { ok: false, error: 'EOrder:Unknown order' };
    if (order.clOrdId !== null || isTriggerType(order.ordertype)) return { ok: false, error: 'EOrder:Invalid order' };
    const volume = (changes.volume ?? order.vol) - order.volExec;
    if (volume <= ZERO) return { ok: false, error: 'EGeneral:Invalid arguments:volume' };
    const request: OrderRequest = {
      pair: order.pair,
      side: order.side,
      ordertype: order.ordertype,
      volume,
      price: changes.price ?? order.price,
      price2: changes.price2 ?? order.price2,
      postOnly: changes.postOnly ?? order.postOnly,
      feeCurrency: order.feeCurrency,
      timeInForce: order.timeInForce,
      startMs: null,
      expireMs: order.expireMs,
      userref: changes.userref ?? order.userref,
      clOrdId: null,
    };
    const denied = this.statusDenies(request);
    if (denied) return { ok: false, error: denied };
    const checked = this.checkOrder(request);
    if (checked) return { ok: false, error: checked };
    const descr = describeOrder({ ...request, vol: request.volume });
    if (validateOnly) return { ok: true, replacement: null, request, descr };
    const replacement = this.newOrder(request, order.txid);
    if (!this.fundsFor(replacement, order)) return { ok: false, error: 'EOrder:Insufficient funds' };
    this.close(order, 'canceled', 'Order replaced');
    this.orders.set(replacement.txid, replacement);
    this.live.set(replacement.txid, replacement);
    this.emit({ kind: 'exec', type: 'pending_new', order: replacement, atMs: this.nowMs });
    this.emit({ kind: 'exec', type: 'new', order: replacement, atMs: this.nowMs });
    this.matchNow(replacement);
    return { ok: true, replacement, request, descr };
  }

  /** Cancels live orders; returns how many. Reason `User requested`. */
  cancel(orders: readonly Order[]): number {
    let count = 0;
    for (const o of orders) {
      if (!isLive(o)) continue;
      this.close(o, 'canceled', 'User requested');
      count++;
    }
    return count;
  }

  /**
   * CancelAllOrdersAfter: arms (timeout > 0) or disarms (0) the dead man's switch, in simulated
   * seconds. Returns the trigger time (ms) or null when disarmed.
   */
  cancelAllAfter(timeoutSec: number): number | null {
    this.deadManMs = timeoutSec > 0 ? this.nowMs + timeoutSec * 1000 : null;
    return this.deadManMs;
  }

  /**
   * Fills everything left of a live order right now (fault injection "fill after cancel"): a limit
   * at its own price as a maker, anything else at the current touch as a taker.
   */
  forceFill(order: Order): void {
    if (!isLive(order)) return;
    if (order.status === 'pending') {
      order.status = 'open';
      this.emit({ kind: 'exec', type: 'new', order, atMs: this.nowMs });
    }
    if (isTriggerType(order.ordertype) && !order.triggered) this.markTriggered(order);
    const limit = activeLimit(order);
    order.pieces = null;
    if (limit !== null) this.fill(order, remaining(order), limit, 'maker');
    else this.fill(order, remaining(order), this.touchPrice(order.pair, order.side, this.lastPrice(order.pair)), 'taker');
  }

  /** Arms the partial-fill fault: the next `orders` orders that start filling fill in `pieces` pieces. */
  planPartialFills(pieces: number, orders: number): void {
    this.partialPlan = pieces > 1 && orders > 0 ? { pieces, orders } : null;
  }

  // ---------------------------------------------------------------- internals

  private statusDenies(req: OrderRequest): string | null {
    if (this.status === 'maintenance') return 'EService:Unavailable';
    if (this.status === 'cancel_only') return 'EService:Market in cancel_only mode';
    if (this.status === 'post_only' && !(req.ordertype === 'limit' && req.postOnly)) return 'EService:Market in post_only mode';
    return null;
  }

  private checkOrder(req: OrderRequest): string | null {
    const pair = req.pair;
    if (req.volume < pair.ordermin) return 'EOrder:Order minimum not met';
    const refPrice = req.ordertype === 'market' ? this.lastPrice(pair) : req.ordertype.endsWith('-limit') ? req.price2! : req.price!;
    if (mul(refPrice, req.volume) < pair.costmin) return 'EOrder:Cost minimum not met';
    for (const p of [req.price, req.price2]) {
      if (p === null) continue;
      const bad = this.priceProblem(pair, p);
      if (bad) return bad;
    }
    if (req.volume !== round(req.volume, pair.lotDecimals)) return 'EGeneral:Invalid arguments:volume';
    return null;
  }

  private priceProblem(pair: PairSpec, price: Fixed): string | null {
    if (price <= ZERO) return 'EGeneral:Invalid arguments:price';
    if (price !== round(price, pair.pairDecimals)) {
      return `EOrder:Invalid price:${pair.key} price can only be specified up to ${pair.pairDecimals} decimals.`;
    }
    if (price % pair.tickSize !== ZERO) return 'EOrder:Tick size check failed';
    return null;
  }

  private newOrder(req: OrderRequest, refid: string | null): Order {
    const pending = req.startMs !== null && req.startMs > this.nowMs;
    return {
      txid: this.config.ids.krakenId('O'),
      pair: req.pair,
      side: req.side,
      ordertype: req.ordertype,
      vol: req.volume,
      volExec: ZERO,
      cost: ZERO,
      fee: ZERO,
      price: req.price,
      price2: req.price2,
      postOnly: req.postOnly,
      feeCurrency: req.feeCurrency ?? 'quote',
      timeInForce: req.timeInForce,
      startMs: req.startMs,
      expireMs: req.expireMs,
      userref: req.userref,
      clOrdId: req.clOrdId,
      status: pending ? 'pending' : 'open',
      reason: null,
      openMs: this.nowMs,
      closeMs: null,
      triggered: false,
      misc: new Set(),
      trades: [],
      refid,
      pieces: null,
      seq: ++this.seq,
    };
  }

  /** Amount of `asset` a live order reserves (taker fee included for buys). */
  private reservation(o: Order, asset: string): Fixed {
    if (!isLive(o)) return ZERO;
    const left = remaining(o);
    const taker = this.feeTier(o.pair, 'taker').tier.pct;
    if (o.side === 'sell') {
      if (asset !== o.pair.base.id) return ZERO;
      return o.feeCurrency === 'base' ? left + div(mul(left, taker), 100n * ONE, 'ceil') : left;
    }
    if (asset !== o.pair.quote.id) return ZERO;
    const ref = activeLimit(o) ?? (o.ordertype === 'market' ? this.quote(o.pair).ask : o.ordertype.endsWith('-limit') ? o.price2! : o.price!);
    const notional = mul(left, ref, 'ceil');
    return notional + div(mul(notional, taker), 100n * ONE, 'ceil');
  }

  /** True when the account can afford `o` on top of every other live order (`o` and `replacing` excluded). */
  private fundsFor(o: Order, replacing: Order | null): boolean {
    const asset = o.side === 'buy' ? o.pair.quote.id : o.pair.base.id;
    const exclude = replacing === null ? [o] : [o, replacing];
    return this.balanceOf(asset) - this.holdOf(asset, ...exclude) >= this.reservation(o, asset);
  }

  private wouldTake(pair: PairSpec, side: 'buy' | 'sell', limit: Fixed): boolean {
    const { bid, ask } = this.quote(pair);
    return side === 'buy' ? ask <= limit : bid >= limit;
  }

  private touchPrice(pair: PairSpec, side: 'buy' | 'sell', reference: Fixed): Fixed {
    const t = touch(pair, reference, this.config.spreadBps);
    return side === 'buy' ? t.ask : t.bid;
  }

  /** Matching against the current quote (placement, activation, amend). */
  private matchNow(o: Order): void {
    if (!isLive(o) || o.status !== 'open' || this.status !== 'online') return;
    const last = this.lastPrice(o.pair);
    if (o.ordertype === 'market') {
      this.startFill(o, this.touchPrice(o.pair, o.side, last), 'taker');
      if (isLive(o) && o.pieces === null) this.close(o, 'canceled', 'Insufficient liquidity');
      return;
    }
    if (isTriggerType(o.ordertype) && !o.triggered) {
      if (this.triggerReached(o, last, last)) this.onTrigger(o, last, last, false);
      return;
    }
    const limit = activeLimit(o)!;
    if (this.wouldTake(o.pair, o.side, limit)) {
      if (o.postOnly) {
        this.close(o, 'canceled', 'Post only order');
        return;
      }
      this.startFill(o, this.touchPrice(o.pair, o.side, last), 'taker');
      return;
    }
    if (o.timeInForce === 'IOC' || o.timeInForce === 'FOK') this.close(o, 'canceled', 'Immediate or cancel');
  }

  /** Matching of a resting order against one replayed price move `from → to`. */
  private matchSegment(o: Order, from: Fixed, to: Fixed, jump: boolean): void {
    const lo = min(from, to);
    const hi = max(from, to);
    if (isTriggerType(o.ordertype) && !o.triggered) {
      if (!this.triggerReached(o, lo, hi)) return;
      const trigger = o.price!;
      // Inside a candle the path passes the trigger; across a gap the first trade is the open.
      const reference = jump ? to : trigger;
      this.onTrigger(o, reference, to, true);
      return;
    }
    const limit = activeLimit(o);
    if (limit === null) return;
    if (this.limitReached(o.side, limit, lo, hi)) this.startFill(o, limit, 'maker');
  }

  private triggerReached(o: Order, lo: Fixed, hi: Fixed): boolean {
    const trigger = o.price!;
    const stop = o.ordertype === 'stop-loss' || o.ordertype === 'stop-loss-limit';
    const falling = (o.side === 'sell') === stop; // sell stops and buy take-profits fire on the way down
    return falling ? lo <= trigger : hi >= trigger;
  }

  private limitReached(side: 'buy' | 'sell', limit: Fixed, lo: Fixed, hi: Fixed): boolean {
    if (this.config.limitFillRule === 'touch') return side === 'buy' ? lo <= limit : hi >= limit;
    return side === 'buy' ? lo < limit : hi > limit;
  }

  private markTriggered(o: Order): void {
    o.triggered = true;
    o.misc.add(o.ordertype.startsWith('stop-loss') ? 'stopped' : 'touched');
    this.emit({ kind: 'exec', type: 'status', order: o, atMs: this.nowMs });
  }

  /** A trigger fired at `reference`; the rest of the move runs to `to`. */
  private onTrigger(o: Order, reference: Fixed, to: Fixed, resting: boolean): void {
    this.markTriggered(o);
    if (o.ordertype === 'stop-loss' || o.ordertype === 'take-profit') {
      this.startFill(o, this.touchPrice(o.pair, o.side, reference), 'taker');
      return;
    }
    const limit = o.price2!;
    const t = touch(o.pair, reference, this.config.spreadBps);
    if (o.side === 'buy' ? t.ask <= limit : t.bid >= limit) {
      this.startFill(o, o.side === 'buy' ? t.ask : t.bid, 'taker');
      return;
    }
    if (resting && this.limitReached(o.side, limit, min(reference, to), max(reference, to))) this.startFill(o, limit, 'maker');
  }

  /** First fill of an order: whole, or the first piece when the partial-fill fault is armed. */
  private startFill(o: Order, price: Fixed, liquidity: Liquidity): void {
    const left = remaining(o);
    if (this.partialPlan !== null && this.partialPlan.orders > 0) {
      const n = this.partialPlan.pieces;
      this.partialPlan.orders--;
      if (this.partialPlan.orders === 0) this.partialPlan = null;
      const size = round(div(left, BigInt(n) * ONE), o.pair.lotDecimals, 'floor');
      if (size > ZERO) {
        o.pieces = { left: n - 1, size, liquidity };
        o.misc.add('partial');
        this.fill(o, size, price, liquidity);
        return;
      }
    }
    this.fill(o, left, price, liquidity);
  }

  private continuePieces(o: Order): void {
    const plan = o.pieces!;
    const limit = activeLimit(o);
    const price = plan.liquidity === 'maker' && limit !== null ? limit : this.touchPrice(o.pair, o.side, this.lastPrice(o.pair));
    plan.left--;
    if (plan.left <= 0) {
      o.pieces = null;
      this.fill(o, remaining(o), price, plan.liquidity);
    } else {
      this.fill(o, plan.size, price, plan.liquidity);
    }
  }

  /** Executes `qty` of `o` at `price`: fees, balances, trade record, events. */
  private fill(o: Order, qty: Fixed, price: Fixed, liquidity: Liquidity): void {
    const pair = o.pair;
    const cost = round(mul(qty, price), pair.costDecimals);
    const rate = this.feeTier(pair, liquidity).tier.pct;
    const fee = round(div(mul(cost, rate), 100n * ONE), pair.costDecimals);
    const base = pair.base;
    const quote = pair.quote;
    const feeBase = o.feeCurrency === 'base' ? round(div(fee, price), base.decimals, 'ceil') : ZERO;
    const baseDelta = round(o.side === 'buy' ? qty - feeBase : -(qty + feeBase), base.decimals);
    const quoteDelta = round(o.side === 'buy' ? -(cost + (o.feeCurrency === 'quote' ? fee : ZERO)) : cost - (o.feeCurrency === 'quote' ? fee : ZERO), quote.decimals);
    // The order's own reservation is released by this fill, so only the others' holds count.
    const spendAsset = o.side === 'buy' ? quote.id : base.id;
    const spend = o.side === 'buy' ? -quoteDelta : -baseDelta;
    if (this.balanceOf(spendAsset) - this.holdOf(spendAsset, o) < spend) {
      o.pieces = null;
      this.close(o, 'canceled', 'Insufficient funds');
      return;
    }
    this.balances.set(base.id, this.balanceOf(base.id) + baseDelta);
    this.balances.set(quote.id, this.balanceOf(quote.id) + quoteDelta);
    const tradeId = this.nextTradeId.get(pair.key)!;
    this.nextTradeId.set(pair.key, tradeId + 1);
    const trade: TradeRecord = {
      txid: this.config.ids.krakenId('T'),
      ordertxid: o.txid,
      postxid: this.config.ids.krakenId('T'),
      pair,
      atMs: this.nowMs,
      side: o.side,
      ordertype: o.ordertype,
      price,
      cost,
      fee,
      vol: qty,
      maker: liquidity === 'maker',
      tradeId,
    };
    this.trades.push(trade);
    if (quote.id === 'ZUSD') this.volumeLog.push({ atMs: this.nowMs, usd: cost });
    o.volExec += qty;
    o.cost += cost;
    o.fee += fee;
    o.trades.push(trade.txid);
    this.emit({ kind: 'trade', order: o, trade, atMs: this.nowMs });
    if (o.volExec >= o.vol) {
      o.pieces = null;
      this.close(o, 'closed', null);
    }
  }

  private close(o: Order, status: 'closed' | 'canceled' | 'expired', reason: string | null): void {
    o.status = status;
    o.reason = reason;
    o.closeMs = this.nowMs;
    o.pieces = null;
    this.live.delete(o.txid);
    if (status === 'closed') this.emit({ kind: 'exec', type: 'filled', order: o, atMs: this.nowMs });
    else this.emit({ kind: 'exec', type: status, order: o, atMs: this.nowMs, reason: reason ?? '' });
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** Average fill price on the pair grid (0 when nothing filled). */
export function averagePrice(o: Order): Fixed {
  return o.volExec === ZERO ? ZERO : round(div(o.cost, o.volExec), o.pair.pairDecimals);
}
