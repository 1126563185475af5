/**
 * market_analysis v001 — the seed analysis module (predecessor §12.1). Runs in the sandbox:
 * self-contained, no imports, no clock (`context.nowMs` is the time), pure over its input.
 *
 * Per symbol: current price (the newest close of 5m, else 1h, else 1d), 24 h change (vs the last
 * 1h close at least 24 h before now), 7 d change (vs the last 1d close at least 7 d before now),
 * 24 h high/low/range and trend (last close vs the mean of the last 24 hourly closes, ±0.5 %),
 * volatility (population std of hourly returns over the last 48 hourly closes), volume trend
 * (last 24 h of 1h volume ÷ the 24 h before). Data depth: rows, earliest and latest per series.
 * Data quality: scans (total, first, last, last hour, expected per hour = 12 × symbols), and per
 * series its staleness and the missing buckets inside the fetched window.
 * Fractions throughout: 0.05 = 5 %.
 */

interface Candle {
  readonly tsOpen: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}
type Tf = '5m' | '1h' | '1d';
interface Data {
  readonly coverage: readonly { symbol: string; timeframe: Tf; rows: number; earliest: number; latest: number }[];
  readonly candles: Readonly<Record<string, Readonly<Record<Tf, readonly Candle[]>>>>;
  readonly scans: { total: number; firstAt: number | null; lastAt: number | null; lastHour: number };
}
interface Context {
  readonly nowMs: number;
  readonly bounds: { readonly window5mMs: number; readonly window1hMs: number; readonly window1dMs: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TF_MS: Record<Tf, number> = { '5m': 300_000, '1h': HOUR, '1d': DAY };
const TFS: readonly Tf[] = ['5m', '1h', '1d'];

function closeTime(c: Candle, tf: Tf): number {
  return c.tsOpen + TF_MS[tf];
}

/** The last candle whose close time is at or before `atMs`. */
function lastClosedBy(candles: readonly Candle[], tf: Tf, atMs: number): Candle | undefined {
  for (let i = candles.length - 1; i >= 0; i--) if (closeTime(candles[i]!, tf) <= atMs) return candles[i];
  return undefined;
}

function change(now: number | null, then: number | undefined): number | null {
  return now === null || then === undefined || then === 0 ? null : now / then - 1;
}

function populationStd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length);
}

function symbolReport(symbol: string, series: Readonly<Record<Tf, readonly Candle[]>>, nowMs: number) {
  let current: number | null = null;
  let source: Tf | null = null;
  let newest = -Infinity;
  for (const tf of TFS) {
    const last = series[tf][series[tf].length - 1];
    if (last !== undefined && closeTime(last, tf) > newest) {
      newest = closeTime(last, tf);
      current = last.close;
      source = tf;
    }
  }
  const h = series['1h'];
  const d = series['1d'];
  const day = h.filter((c) => c.tsOpen >= nowMs - DAY);
  const high24h = day.length > 0 ? Math.max(...day.map((c) => c.high)) : null;
  const low24h = day.length > 0 ? Math.min(...day.map((c) => c.low)) : null;
  const last24 = h.slice(-24);
  let trend: 'up' | 'down' | 'flat' | 'unknown' = 'unknown';
  if (last24.length >= 12 && current !== null) {
    const mean = last24.reduce((a, c) => a + c.close, 0) / last24.length;
    trend = current > mean * 1.005 ? 'up' : current < mean * 0.995 ? 'down' : 'flat';
  }
  const closes = h.slice(-48).map((c) => c.close);
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) returns.push(closes[i]! / closes[i - 1]! - 1);
  const vLast = h.filter((c) => c.tsOpen >= nowMs - DAY);
  const vPrev = h.filter((c) => c.tsOpen >= nowMs - 2 * DAY && c.tsOpen < nowMs - DAY);
  const last24hVol = vLast.length > 0 ? vLast.reduce((a, c) => a + c.volume, 0) : null;
  const prev24hVol = vPrev.length > 0 ? vPrev.reduce((a, c) => a + c.volume, 0) : null;
  return {
    symbol,
    price: {
      current,
      source,
      change24h: change(current, lastClosedBy(h, '1h', nowMs - DAY)?.close),
      change7d: change(current, lastClosedBy(d, '1d', nowMs - 7 * DAY)?.close),
      high24h,
      low24h,
      range24h: high24h !== null && low24h !== null && low24h > 0 ? high24h / low24h - 1 : null,
      trend,
    },
    volatility: { hourlyReturnStd: populationStd(returns), sample: returns.length },
    volume: {
      last24h: last24hVol,
      previous24h: prev24hVol,
      trend: last24hVol !== null && prev24hVol !== null && prev24hVol > 0 ? last24hVol / prev24hVol : null,
    },
  };
}

/** Missing buckets between the first candle in the window and the last closed bucket before now. */
function missingInWindow(candles: readonly Candle[], tf: Tf, nowMs: number): number {
  if (candles.length === 0) return 0;
  const step = TF_MS[tf];
  const first = candles[0]!.tsOpen;
  const lastBucket = Math.floor(nowMs / step) * step - step;
  const expected = lastBucket >= first ? Math.floor((lastBucket - first) / step) + 1 : 0;
  return Math.max(0, expected - candles.length);
}

/** The module's one entry point: `analyze(data, context)` → the report. */
export function analyze(data: Data, context: Context) {
  const nowMs = context.nowMs;
  const symbols = Object.keys(data.candles).sort();
  const series: { symbol: string; timeframe: Tf; stalenessMs: number | null; missingInWindow: number }[] = [];
  for (const symbol of symbols) {
    for (const tf of TFS) {
      const cs = data.candles[symbol]![tf];
      const cov = data.coverage.find((c) => c.symbol === symbol && c.timeframe === tf);
      series.push({
        symbol,
        timeframe: tf,
        stalenessMs: cov === undefined ? null : Math.max(0, nowMs - (cov.latest + TF_MS[tf])),
        missingInWindow: missingInWindow(cs, tf, nowMs),
      });
    }
  }
  return {
    kind: 'market_analysis',
    generatedAt: nowMs,
    symbols: symbols.map((s) => symbolReport(s, data.candles[s]!, nowMs)),
    dataDepth: data.coverage.map((c) => ({ symbol: c.symbol, timeframe: c.timeframe, rows: c.rows, earliest: c.earliest, latest: c.latest })),
    dataQuality: {
      scans: { ...data.scans, expectedPerHour: 12 * symbols.length },
      series,
    },
  };
}
