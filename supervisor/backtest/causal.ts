/**
 * The strategy's coarser views, built causally from the 5m stream: a 1h or 1d candle is handed
 * over only once its bucket has ended by the simulated clock (never the running, partial
 * bucket), and the 24 h volume is the sum over 5m candles closed in the last 24 h. At time t a
 * strategy therefore sees exactly what a live fund would have had at t.
 */
import { type Candle, TIMEFRAME_MS, bucketStart } from '../../domain/market/index.ts';

/** Streams 5m candles into one coarser timeframe (1h or 1d, UTC buckets). */
export class CausalAggregator {
  private readonly length: number;
  private start = Number.NaN;
  /** End of the running bucket (NaN when none): the common case needs no bucket arithmetic. */
  private end = Number.NaN;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;

  constructor(private readonly timeframe: '1h' | '1d') {
    this.length = TIMEFRAME_MS[timeframe];
  }

  /**
   * Adds a closed 5m candle. Returns the previous bucket when this candle starts a new one (that
   * bucket ended before this candle opened, so it is complete), else null.
   */
  push(c: Candle): Candle | null {
    if (!(c.tsOpen >= this.start && c.tsOpen < this.end)) {
      const done = this.take();
      this.start = bucketStart(c.tsOpen, this.timeframe);
      this.end = this.start + this.length;
      this.open = c.open;
      this.high = c.high;
      this.low = c.low;
      this.close = c.close;
      this.volume = c.volume;
      return done;
    }
    if (c.high > this.high) this.high = c.high;
    if (c.low < this.low) this.low = c.low;
    this.close = c.close;
    this.volume += c.volume;
    return null;
  }

  /** The running bucket if it has ended by `nowMs` (bucket end ≤ nowMs), else null. */
  completeBy(nowMs: number): Candle | null {
    return this.end <= nowMs ? this.take() : null;
  }

  private take(): Candle | null {
    if (Number.isNaN(this.start)) return null;
    const c: Candle = { tsOpen: this.start, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume };
    this.start = Number.NaN;
    this.end = Number.NaN;
    return c;
  }
}

const DAY_MS = TIMEFRAME_MS['1d'];
const WINDOW = 288;

/** Sum of the volumes of the 5m candles that opened in the last 24 h before `nowMs`. */
export class RollingVolume {
  private readonly ts = new Float64Array(WINDOW + 1);
  private readonly vol = new Float64Array(WINDOW + 1);
  private head = 0;
  private size = 0;
  private sum = 0;
  private pushes = 0;

  /** Adds the volume of the 5m candle opening at `tsOpen` (candles arrive in time order). */
  push(tsOpen: number, volume: number): void {
    const cap = WINDOW + 1;
    if (this.size === cap) this.drop();
    const at = (this.head + this.size) % cap;
    this.ts[at] = tsOpen;
    this.vol[at] = volume;
    this.size++;
    this.sum += volume;
    // Re-add from scratch once per window so rounding from the running subtraction cannot build up.
    if (++this.pushes % WINDOW === 0) this.resum();
  }

  /** The 24 h volume as of `nowMs` (base units, ≥ 0). */
  at(nowMs: number): number {
    const cutoff = nowMs - DAY_MS;
    while (this.size > 0 && this.ts[this.head]! < cutoff) this.drop();
    return this.sum > 0 ? this.sum : 0;
  }

  private drop(): void {
    this.sum -= this.vol[this.head]!;
    this.head = (this.head + 1) % (WINDOW + 1);
    this.size--;
  }

  private resum(): void {
    let s = 0;
    for (let i = 0; i < this.size; i++) s += this.vol[(this.head + i) % (WINDOW + 1)]!;
    this.sum = s;
  }
}
