/**
 * What the host sends into the sandbox, checked before it is sent (inputs are built by trusted
 * code, but the sandbox boundary is where wrong-timeframe or out-of-order data is caught) and
 * packed for the wire (`guest/wire.ts`). Pure.
 */
import { z } from 'zod';
import {
  MAX_FEE_PCT,
  candleSeriesSchema,
  formatIssues,
  parsePortfolio,
  parseRiskLimits,
  symbolSchema,
  tagSchema,
} from '../../../domain/contract/index.ts';
import type { RiskLimits } from '../../../domain/contract/index.ts';
import { TIMEFRAMES, type Candle, type Timeframe } from '../../../domain/market/index.ts';
import type { StrategyLoadInput, StrategyNotice, StrategyTick } from '../../../domain/ports/strategy.ts';
import { type GuestAnalyzeInput, type GuestMarket, type WireCandle, type WireSeries, packCandle } from '../engine/guest/wire.ts';

/** Most symbols one strategy may trade. */
export const MAX_SYMBOLS = 64;

/** Candle history the host keeps for one strategy (to reload it after a runner restart). */
export type History = Map<string, Record<Timeframe, Candle[]>>;

/** A checked load input, with the host's own copy of the history. */
export interface PreparedLoad {
  readonly version: string;
  readonly code: string;
  readonly limits: RiskLimits;
  readonly symbols: readonly string[];
  readonly history: History;
  readonly hasState: boolean;
  readonly state: unknown;
}

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Checks a load input and copies its history (trimmed to `caps`). Never throws. */
export function prepareLoad(input: StrategyLoadInput, caps: Readonly<Record<Timeframe, number>>): Checked<PreparedLoad> {
  if (typeof input.version !== 'string' || input.version.length === 0 || input.version.length > 200) {
    return { ok: false, reason: 'version: must be a string of 1 to 200 characters' };
  }
  if (typeof input.code !== 'string' || input.code.trim().length === 0) return { ok: false, reason: 'code: must be the non-empty JavaScript source of the strategy module' };
  const limits = parseRiskLimits(input.limits);
  if (!limits.ok) return { ok: false, reason: `limits: ${limits.reason}` };
  const symbols = z.array(symbolSchema).min(1).max(MAX_SYMBOLS).safeParse(input.symbols, { reportInput: true });
  if (!symbols.success) return { ok: false, reason: `symbols: ${formatIssues(symbols.error.issues)}` };
  if (new Set(symbols.data).size !== symbols.data.length) return { ok: false, reason: 'symbols: must not repeat a symbol' };
  const history: History = new Map();
  for (const symbol of symbols.data) history.set(symbol, { '5m': [], '1h': [], '1d': [] });
  if (typeof input.history !== 'object' || input.history === null) return { ok: false, reason: 'history: must be an object of symbol → timeframe → candles' };
  for (const [symbol, perTf] of Object.entries(input.history)) {
    const own = history.get(symbol);
    if (own === undefined) return { ok: false, reason: `history: ${JSON.stringify(symbol)} is not one of the symbols (${symbols.data.join(', ')})` };
    if (typeof perTf !== 'object' || perTf === null) return { ok: false, reason: `history.${symbol}: must be an object of timeframe → candles` };
    for (const [tf, candles] of Object.entries(perTf)) {
      if (!(TIMEFRAMES as readonly string[]).includes(tf)) return { ok: false, reason: `history.${symbol}: unknown timeframe ${JSON.stringify(tf)}; allowed: ${TIMEFRAMES.join(', ')}` };
      const series = candleSeriesSchema(tf as Timeframe).safeParse(candles, { reportInput: true });
      if (!series.success) return { ok: false, reason: `history.${symbol}.${tf}: ${formatIssues(series.error.issues)}` };
      const cap = caps[tf as Timeframe];
      own[tf as Timeframe] = series.data.length > cap ? series.data.slice(series.data.length - cap) : series.data.slice();
    }
  }
  const hasState = input.state !== undefined;
  if (hasState && !isJson(input.state)) return { ok: false, reason: 'state: must be a JSON value (a prior getState() result)' };
  return { ok: true, value: { version: input.version, code: input.code, limits: limits.value, symbols: symbols.data, history, hasState, state: hasState ? input.state : null } };
}

/** Packs a history for the wire. */
export function packHistory(history: History): Record<string, WireSeries> {
  const out: Record<string, WireSeries> = {};
  for (const [symbol, perTf] of history) {
    const series: Partial<Record<Timeframe, WireCandle[]>> = {};
    for (const tf of TIMEFRAMES) if (perTf[tf].length > 0) series[tf] = perTf[tf].map(packCandle);
    out[symbol] = series;
  }
  return out;
}

const finite = z.number();
const marketSchema = z.strictObject({
  price: finite.positive(),
  spread: finite.min(0).lt(1),
  volume24h: finite.min(0),
  makerFeePct: finite.min(0).max(MAX_FEE_PCT),
  takerFeePct: finite.min(0).max(MAX_FEE_PCT),
  newCandles: z.strictObject({ '5m': candleSeriesSchema('5m').optional(), '1h': candleSeriesSchema('1h').optional(), '1d': candleSeriesSchema('1d').optional() }),
});

/**
 * Checks a tick against the loaded symbols and the history (new candles must be newer than the
 * last one kept) and packs it for the wire. Does not change `history`. Never throws.
 */
export function prepareTick(tick: StrategyTick, history: History): Checked<GuestAnalyzeInput> {
  if (!Number.isInteger(tick.nowMs) || tick.nowMs < 0) return { ok: false, reason: `nowMs: must be an integer ms timestamp ≥ 0, got ${String(tick.nowMs)}` };
  if (typeof tick.markets !== 'object' || tick.markets === null) return { ok: false, reason: 'markets: must be an object of symbol → market' };
  const markets: GuestMarket[] = [];
  for (const [symbol, raw] of Object.entries(tick.markets)) {
    const kept = history.get(symbol);
    if (kept === undefined) return { ok: false, reason: `markets: ${JSON.stringify(symbol)} is not one of the loaded symbols (${[...history.keys()].join(', ')})` };
    const m = marketSchema.safeParse(raw, { reportInput: true });
    if (!m.success) return { ok: false, reason: `markets.${symbol}: ${formatIssues(m.error.issues)}` };
    const packed: (WireCandle[] | 0)[] = [];
    for (const tf of TIMEFRAMES) {
      const fresh = m.data.newCandles[tf];
      if (fresh === undefined || fresh.length === 0) {
        packed.push(0);
        continue;
      }
      const last = kept[tf][kept[tf].length - 1];
      if (last !== undefined && fresh[0]!.tsOpen <= last.tsOpen) {
        return { ok: false, reason: `markets.${symbol}.newCandles.${tf}[0].tsOpen: must be after the last ${tf} candle already sent (${last.tsOpen}), got ${fresh[0]!.tsOpen}` };
      }
      packed.push(fresh.map(packCandle));
    }
    markets.push([symbol, m.data.price, m.data.spread, m.data.volume24h, m.data.makerFeePct, m.data.takerFeePct, packed[0]!, packed[1]!, packed[2]!]);
  }
  const portfolio = parsePortfolio(tick.portfolio);
  if (!portfolio.ok) return { ok: false, reason: `portfolio: ${portfolio.reason}` };
  return { ok: true, value: [tick.nowMs, markets, portfolio.value] };
}

/** The same tick without its candles (for a retry after a reload that already replayed them). Pure. */
export function withoutCandles(input: GuestAnalyzeInput): GuestAnalyzeInput {
  return [input[0], input[1].map((m) => [m[0], m[1], m[2], m[3], m[4], m[5], 0, 0, 0] as const), input[2]];
}

/** Appends a tick's new candles to the host's history, trimming to `caps`. */
export function appendTick(history: History, tick: StrategyTick, caps: Readonly<Record<Timeframe, number>>): void {
  for (const [symbol, market] of Object.entries(tick.markets)) {
    const kept = history.get(symbol);
    if (kept === undefined) continue;
    for (const tf of TIMEFRAMES) {
      const fresh = market.newCandles[tf];
      if (fresh === undefined || fresh.length === 0) continue;
      const series = kept[tf];
      for (const c of fresh) series.push(c);
      // Same slab trimming as the harness: amortised O(1) per candle.
      if (series.length > caps[tf] + (caps[tf] >>> 3)) series.splice(0, series.length - caps[tf]);
    }
  }
}

const noticeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fill'),
    symbol: symbolSchema,
    action: z.enum(['BUY', 'SELL', 'CLOSE']),
    qty: finite.positive(),
    price: finite.positive(),
    intent: z.string().min(1).max(32),
    tag: tagSchema,
  }),
  z.strictObject({ type: z.literal('positionClosed'), symbol: symbolSchema, pnl: finite, pnlPct: finite, tag: tagSchema }),
]);

/** Checks notices (symbols must be loaded). Never throws. */
export function prepareNotices(events: readonly StrategyNotice[], history: History): Checked<StrategyNotice[]> {
  const parsed = z.array(noticeSchema).max(10_000).safeParse(events, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: `events: ${formatIssues(parsed.error.issues)}` };
  for (const [i, e] of parsed.data.entries()) {
    if (!history.has(e.symbol)) return { ok: false, reason: `events[${i}].symbol: ${JSON.stringify(e.symbol)} is not one of the loaded symbols` };
  }
  return { ok: true, value: parsed.data };
}

function isJson(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}
