/**
 * What the running fund remembers of the market between steps: per symbol, the 1h/1d buckets
 * being built (causally, as the backtester builds them), the rolling 24 h volume, and the candles
 * the strategy has not received yet. Seeded from stored candles on start, so a restart sees the
 * same views as an uninterrupted run.
 */
import { type Candle, TIMEFRAME_MS, type Timeframe, bucketStart } from '../../domain/market/index.ts';
import { type PipelineConfig, type PipelineState, approx, feeRatesFor } from '../../domain/pipeline/index.ts';
import type { TickMarket } from '../../domain/ports/index.ts';
import { CausalAggregator, RollingVolume } from '../backtest/index.ts';

type Pending = { '5m': Candle[]; '1h': Candle[]; '1d': Candle[] };

/** Per-symbol causal views for the strategy's tick. Not thread-safe; one per engine. */
export class MarketMemory {
  private readonly hourly: CausalAggregator[];
  private readonly daily: CausalAggregator[];
  private readonly volumes: RollingVolume[];
  private readonly pending: Pending[];

  constructor(private readonly symbols: readonly string[]) {
    this.hourly = symbols.map(() => new CausalAggregator('1h'));
    this.daily = symbols.map(() => new CausalAggregator('1d'));
    this.volumes = symbols.map(() => new RollingVolume());
    this.pending = symbols.map(() => ({ '5m': [], '1h': [], '1d': [] }));
  }

  /**
   * Seeds the views with the 5m candles that closed before `fromMs` (the last 24 h of volume and
   * the running hour and day), exactly as the backtester seeds a window. `candles[i]` oldest first.
   */
  seed(candles: readonly (readonly Candle[])[], fromMs: number): void {
    const hourStart = bucketStart(fromMs, '1h');
    const dayStart = bucketStart(fromMs, '1d');
    const volumeStart = fromMs - TIMEFRAME_MS['1d'];
    candles.forEach((list, i) => {
      for (const c of list) {
        if (c.tsOpen + TIMEFRAME_MS['5m'] > fromMs) continue;
        if (c.tsOpen >= volumeStart) this.volumes[i]!.push(c.tsOpen, c.volume);
        if (c.tsOpen >= hourStart) this.hourly[i]!.push(c);
        if (c.tsOpen >= dayStart) this.daily[i]!.push(c);
      }
    });
  }

  /** Moves the step's candles (index = market index; null = no candle) into the views. */
  push(nowMs: number, stepCandles: readonly (Candle | null)[]): void {
    for (let i = 0; i < this.symbols.length; i++) {
      const c = stepCandles[i] ?? null;
      const p = this.pending[i]!;
      if (c !== null) {
        this.volumes[i]!.push(c.tsOpen, c.volume);
        p['5m'].push(c);
        const h = this.hourly[i]!.push(c);
        if (h) p['1h'].push(h);
        const d = this.daily[i]!.push(c);
        if (d) p['1d'].push(d);
      }
      const h = this.hourly[i]!.completeBy(nowMs);
      if (h) p['1h'].push(h);
      const d = this.daily[i]!.completeBy(nowMs);
      if (d) p['1d'].push(d);
    }
  }

  /**
   * The tick's markets (symbols with a price, in market order) with the candles not yet handed
   * over; those candles are then forgotten (a symbol without a price keeps them).
   */
  take(state: PipelineState, config: PipelineConfig, nowMs: number): Record<string, TickMarket> {
    const fees = feeRatesFor(config.fees, state.feeVolume.total);
    const makerFeePct = approx(fees.makerPct);
    const takerFeePct = approx(fees.takerPct);
    const markets: Record<string, TickMarket> = {};
    for (let i = 0; i < this.symbols.length; i++) {
      const mark = state.marks[i];
      if (!mark) continue;
      const p = this.pending[i]!;
      const newCandles: Partial<Record<Timeframe, readonly Candle[]>> = {};
      if (p['5m'].length > 0) newCandles['5m'] = p['5m'].splice(0);
      if (p['1h'].length > 0) newCandles['1h'] = p['1h'].splice(0);
      if (p['1d'].length > 0) newCandles['1d'] = p['1d'].splice(0);
      markets[this.symbols[i]!] = {
        price: mark.close,
        spread: config.spreadNumbers[i]!,
        volume24h: this.volumes[i]!.at(nowMs),
        makerFeePct,
        takerFeePct,
        newCandles,
      };
    }
    return markets;
  }
}
