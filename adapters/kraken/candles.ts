/**
 * Turns the WS v2 `ohlc` stream into closed candles (reference/kraken.md §11 ohlc). Kraken sends
 * the whole running candle on every trade and NO close message: a candle is final when an update
 * with a later `interval_begin` arrives for the same symbol and interval (or, optionally, when
 * the clock passes its end plus a grace period). Each candle is reported closed at most once:
 * updates for a candle at or before the last closed one are ignored, including the candles a
 * snapshot repeats after a reconnect. Intervals without trades produce no message and no candle
 * here (gaps are the consumer's to fill). No I/O; time is an argument.
 */
import type { WsCandle } from './parse/ws-ohlc.ts';

/** What one message did. */
export interface CandleStep {
  /** Candles that became final, oldest first. */
  readonly closed: readonly WsCandle[];
  /** Running candles that were created or replaced. */
  readonly updated: readonly WsCandle[];
  /** Candles ignored because they were already closed or arrived out of order. */
  readonly ignored: readonly WsCandle[];
}

/** Per symbol × interval running candle and last closed start. */
export class CandleTracker {
  private readonly running = new Map<string, WsCandle>();
  private readonly lastClosed = new Map<string, number>();

  /** Applies one `ohlc` message (snapshot or update). */
  apply(candles: readonly WsCandle[]): CandleStep {
    const closed: WsCandle[] = [];
    const updated: WsCandle[] = [];
    const ignored: WsCandle[] = [];
    // Kraken lists snapshot candles oldest first; order defensively so a snapshot's older
    // candles close before its newest becomes the running one.
    const ordered = [...candles].sort((a, b) => a.intervalBeginMs - b.intervalBeginMs);
    for (const c of ordered) {
      const key = keyOf(c);
      const last = this.lastClosed.get(key);
      if (last !== undefined && c.intervalBeginMs <= last) {
        ignored.push(c);
        continue;
      }
      const r = this.running.get(key);
      if (r === undefined || c.intervalBeginMs === r.intervalBeginMs) {
        this.running.set(key, c);
        updated.push(c);
      } else if (c.intervalBeginMs > r.intervalBeginMs) {
        closed.push(r);
        this.lastClosed.set(key, r.intervalBeginMs);
        this.running.set(key, c);
        updated.push(c);
      } else {
        ignored.push(c);
      }
    }
    return { closed, updated, ignored };
  }

  /**
   * Clock-based close: running candles whose interval ended at least `graceMs` before `nowMs`
   * are final (no trade since). Returns them, oldest first.
   */
  closeDue(nowMs: number, graceMs: number): WsCandle[] {
    const due: WsCandle[] = [];
    for (const [key, r] of this.running) {
      if (r.intervalBeginMs + r.intervalMin * 60_000 + graceMs <= nowMs) {
        due.push(r);
        this.lastClosed.set(key, r.intervalBeginMs);
        this.running.delete(key);
      }
    }
    return due.sort((a, b) => a.intervalBeginMs - b.intervalBeginMs);
  }

  /** The running candle of a symbol/interval, if any. */
  runningCandle(symbol: string, intervalMin: number): WsCandle | undefined {
    return this.running.get(`${symbol}|${intervalMin}`);
  }
}

function keyOf(c: WsCandle): string {
  return `${c.symbol}|${c.intervalMin}`;
}
