import { type Fixed, fromNumber } from '../../domain/money/index.ts';
import type { Authenticator } from './auth.ts';
import { type BookLevels, type BookShape, bookLevels, gridStep } from './book.ts';
import type { Engine } from './engine.ts';
import type { FaultState } from './faults.ts';
import type { IdSource } from './ids.ts';
import type { MarketReplay } from './market.ts';
import type { PairSpec } from './pairs.ts';

/**
 * Shared state of one running fake exchange, handed to the REST and WebSocket handlers.
 */

/** Behaviour switches the handlers read (resolved server options). */
export interface Behaviour {
  /** Any `validate` value (even `false`) makes AddOrder validate-only, as Kraken historically did. */
  readonly validateAnyValue: boolean;
  /** Number of candles in a WS ohlc snapshot. */
  readonly wsOhlcSnapshotSize: number;
  /** Real ms between heartbeats on an idle subscribed connection. */
  readonly heartbeatMs: number;
  /** Real ms without client traffic after which a connection is closed. */
  readonly wsIdleTimeoutMs: number;
  /** `maxratecount` echoed in the executions ack. */
  readonly maxRateCount: number;
}

/** WS tokens issued by GetWebSocketsToken. Token lifetime is real (wall) time. */
export class TokenStore {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly ids: IdSource,
    private readonly ttlMs: number,
    private readonly realNow: () => number,
  ) {}

  /** Issues a new token. */
  issue(): string {
    const token = this.ids.token();
    this.issued.set(token, this.realNow() + this.ttlMs);
    return token;
  }

  /** True when the token was issued and has not expired. */
  isValid(token: string): boolean {
    const until = this.issued.get(token);
    return until !== undefined && until >= this.realNow();
  }

  /** Expires every token (control surface). */
  expireAll(): void {
    this.issued.clear();
  }
}

/** Synthetic book parameters per market, and book snapshots. */
export class BookService {
  private readonly shapes = new Map<string, BookShape>();

  constructor(markets: readonly MarketReplay[], startMs: number, opts: { spreadBps: number; stepBps: number; levelNotionalUsd: number; seed: number }) {
    for (const m of markets) {
      const ref = m.lastPrice(startMs)!;
      this.shapes.set(m.pair.key, {
        spreadBps: opts.spreadBps,
        step: gridStep(m.pair, ref, opts.stepBps),
        levelNotional: fromNumber(opts.levelNotionalUsd),
        seed: opts.seed,
      });
    }
  }

  /** The book shape of a market. */
  shape(pair: PairSpec): BookShape {
    return this.shapes.get(pair.key)!;
  }

  /** Top `depth` levels of a market at `nowMs`; the epoch is the current source candle. */
  levels(market: MarketReplay, nowMs: number, depth: number): BookLevels {
    const tick = market.tickAtOrBefore(nowMs)!;
    return bookLevels(market.pair, tick.price, tick.candle, depth, this.shape(market.pair));
  }

  /** The last price the book of a market is built around. */
  lastOf(market: MarketReplay, nowMs: number): Fixed {
    return market.tickAtOrBefore(nowMs)!.price;
  }
}

/** Everything the handlers need. */
export interface ExchangeContext {
  readonly engine: Engine;
  readonly pairs: readonly PairSpec[];
  readonly books: BookService;
  readonly auth: Authenticator;
  readonly ids: IdSource;
  readonly tokens: TokenStore;
  readonly behaviour: Behaviour;
  readonly faults: FaultState;
}
