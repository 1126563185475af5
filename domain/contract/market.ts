/**
 * `SymbolData`: what a strategy sees of one market at each call (predecessor §3). Built by the
 * host from trusted data; the schema guards the sandbox boundary and catches wrong-timeframe
 * data (the predecessor once fed 5m candles as 1h/1d). Plain JSON numbers: a float view for
 * indicators; money that changes hands is exact `Fixed` in the ledger.
 */
import { z } from 'zod';
import { type Candle, TIMEFRAME_MS, type Timeframe } from '../market/index.ts';
import { symbolSchema } from './enums.ts';
import { formatIssues } from './issues.ts';

/** One market as the strategy sees it. */
export interface SymbolData {
  readonly symbol: string;
  /** Last trade/mid price, quote currency. */
  readonly price: number;
  /** (ask − bid) / mid, a fraction (0.001 = 0.1 %). */
  readonly spread: number;
  /** Traded volume over the last 24 h, base currency. */
  readonly volume24h: number;
  /** Kraken fee for this pair in **percent units** as Kraken publishes them (0.25 = 0.25 %). */
  readonly makerFeePct: number;
  readonly takerFeePct: number;
  /** Closed candles, oldest first, each aligned to its timeframe (tsOpen ms, UTC). */
  readonly candles5m: readonly Candle[];
  readonly candles1h: readonly Candle[];
  readonly candles1d: readonly Candle[];
}

/** Highest fee accepted, percent units (Kraken's spot fees are at most 0.40 %; 10 % means corrupt data). */
export const MAX_FEE_PCT = 10;

const finite = z.number();

/** One OHLCV candle: finite, prices > 0, low ≤ open, close ≤ high, volume ≥ 0, integer tsOpen ≥ 0. */
export const candleSchema = z
  .strictObject({
    tsOpen: z.number().int().min(0),
    open: finite.positive(),
    high: finite.positive(),
    low: finite.positive(),
    close: finite.positive(),
    volume: finite.min(0),
  })
  .superRefine((c, ctx) => {
    if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs low ≤ open, close ≤ high, got open ${c.open} high ${c.high} low ${c.low} close ${c.close}`,
      });
    }
  });

/** Candles of one timeframe: strictly increasing tsOpen, each a multiple of the timeframe length. */
export function candleSeriesSchema(tf: Timeframe) {
  const step = TIMEFRAME_MS[tf];
  return z.array(candleSchema).superRefine((list, ctx) => {
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.tsOpen % step !== 0) {
        ctx.addIssue({ code: 'custom', path: [i, 'tsOpen'], message: `must be aligned to ${tf} (a multiple of ${step} ms), got ${c.tsOpen}` });
        return;
      }
      if (i > 0 && c.tsOpen <= list[i - 1]!.tsOpen) {
        ctx.addIssue({ code: 'custom', path: [i, 'tsOpen'], message: `must be after the previous candle's ${list[i - 1]!.tsOpen} (oldest first), got ${c.tsOpen}` });
        return;
      }
    }
  });
}

/** Schema of `SymbolData` (strict: unknown fields rejected). */
export const symbolDataSchema = z.strictObject({
  symbol: symbolSchema,
  price: finite.positive(),
  spread: finite.min(0).lt(1),
  volume24h: finite.min(0),
  makerFeePct: finite.min(0).max(MAX_FEE_PCT),
  takerFeePct: finite.min(0).max(MAX_FEE_PCT),
  candles5m: candleSeriesSchema('5m'),
  candles1h: candleSeriesSchema('1h'),
  candles1d: candleSeriesSchema('1d'),
});

/** Validates a `SymbolData`; the reason names every bad field. Pure; never throws. */
export function parseSymbolData(raw: unknown): { ok: true; value: SymbolData } | { ok: false; reason: string } {
  const r = symbolDataSchema.safeParse(raw, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: formatIssues(r.error.issues) };
}
