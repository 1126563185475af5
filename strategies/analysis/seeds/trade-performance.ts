/**
 * trade_performance v001 — the seed analysis module (predecessor §12.2). Runs in the sandbox:
 * self-contained, no imports, no clock (`context.nowMs` is the time), pure over its input.
 *
 * Statistics (trades, wins, win rate, net P&L, fees, average P&L, expectancy; a loss is pnl ≤ 0)
 * overall and by symbol, regime, version (with first/last trade), intent (with average holding
 * hours), regime × symbol, UTC hour of opening, and rolling 7 and 30 days. Signals: total, acted,
 * rejected, act rate, top five rejection reasons. Fees: total, share of gross wins, round trip
 * (2 × the latest taker fee, percent units) and the break-even move (1.5 × round trip). Holding
 * time of the last 50 trades. Open positions by age (<1 d, 1–3 d, 3–7 d, >7 d) with their
 * unrealized P&L as a fraction of cost.
 */

interface Trade {
  readonly symbol: string;
  readonly intent: string;
  readonly fees: number;
  readonly pnl: number;
  readonly strategyVersion: string | null;
  readonly strategyRegime: string | null;
  readonly openedAt: number;
  readonly closedAt: number;
}
interface Signal {
  readonly actedOn: boolean;
  readonly rejectedReason: string | null;
}
interface Position {
  readonly symbol: string;
  readonly qty: number;
  readonly costBasis: number;
  readonly lastPrice: number;
  readonly openedAt: number;
}
interface Data {
  readonly trades: readonly Trade[];
  readonly signals: readonly Signal[];
  readonly openPositions: readonly Position[];
  readonly fees: readonly { symbol: string; makerPct: number; takerPct: number; checkedAt: number }[];
  readonly lastPrices: Readonly<Record<string, number>>;
}
interface Context {
  readonly nowMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function stats(trades: readonly Trade[]) {
  const n = trades.length;
  const wins = trades.filter((t) => t.pnl > 0);
  const losses = trades.filter((t) => t.pnl <= 0);
  const netPnl = trades.reduce((a, t) => a + t.pnl, 0);
  const fees = trades.reduce((a, t) => a + t.fees, 0);
  const avg = (xs: readonly Trade[]) => (xs.length === 0 ? 0 : xs.reduce((a, t) => a + t.pnl, 0) / xs.length);
  return {
    trades: n,
    wins: wins.length,
    winRate: n === 0 ? null : wins.length / n,
    netPnl,
    fees,
    avgPnl: n === 0 ? null : netPnl / n,
    expectancy: n === 0 ? null : (wins.length / n) * avg(wins) + (losses.length / n) * avg(losses),
  };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list === undefined) m.set(k, [x]);
    else list.push(x);
  }
  return m;
}

const hours = (t: Trade) => (t.closedAt - t.openedAt) / HOUR;
const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** The module's one entry point: `analyze(data, context)` → the report. */
export function analyze(data: Data, context: Context) {
  const nowMs = context.nowMs;
  const trades = data.trades;
  const regimeOf = (t: Trade) => t.strategyRegime ?? 'unknown';

  const bySymbol: Record<string, ReturnType<typeof stats>> = {};
  for (const [k, g] of groupBy(trades, (t) => t.symbol)) bySymbol[k] = stats(g);
  const byRegime: Record<string, ReturnType<typeof stats>> = {};
  for (const [k, g] of groupBy(trades, regimeOf)) byRegime[k] = stats(g);
  const byVersion: Record<string, ReturnType<typeof stats> & { firstTradeAt: number | null; lastTradeAt: number | null }> = {};
  for (const [k, g] of groupBy(trades, (t) => t.strategyVersion ?? 'unknown')) {
    byVersion[k] = { ...stats(g), firstTradeAt: Math.min(...g.map((t) => t.closedAt)), lastTradeAt: Math.max(...g.map((t) => t.closedAt)) };
  }
  const byIntent: Record<string, ReturnType<typeof stats> & { avgHoldHours: number | null }> = {};
  for (const [k, g] of groupBy(trades, (t) => t.intent)) byIntent[k] = { ...stats(g), avgHoldHours: mean(g.map(hours)) };
  const regimeBySymbol: Record<string, Record<string, ReturnType<typeof stats>>> = {};
  for (const [r, g] of groupBy(trades, regimeOf)) {
    const row: Record<string, ReturnType<typeof stats>> = {};
    for (const [s, gs] of groupBy(g, (t) => t.symbol)) row[s] = stats(gs);
    regimeBySymbol[r] = row;
  }

  const rejected = data.signals.filter((s) => !s.actedOn);
  const acted = data.signals.length - rejected.length;
  const reasons = [...groupBy(rejected, (s) => s.rejectedReason ?? 'unknown')]
    .map(([reason, g]) => ({ reason, count: g.length }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1))
    .slice(0, 5);

  const totalFees = trades.reduce((a, t) => a + t.fees, 0);
  const grossWins = trades.filter((t) => t.pnl > 0).reduce((a, t) => a + t.pnl, 0);
  let latestTaker: number | null = null;
  let latestAt = -Infinity;
  for (const f of data.fees) {
    if (f.checkedAt > latestAt) {
      latestAt = f.checkedAt;
      latestTaker = f.takerPct;
    }
  }
  const roundTripPct = latestTaker === null ? null : 2 * latestTaker;

  const recent = trades.slice(-50);
  const winners = recent.filter((t) => t.pnl > 0);
  const losers = recent.filter((t) => t.pnl <= 0);

  const buckets = [
    { bucket: '<1d' as const, max: DAY },
    { bucket: '1-3d' as const, max: 3 * DAY },
    { bucket: '3-7d' as const, max: 7 * DAY },
    { bucket: '>7d' as const, max: Infinity },
  ];
  const aging = buckets.map(({ bucket, max }, i) => {
    const min = i === 0 ? -Infinity : buckets[i - 1]!.max;
    const ps = data.openPositions.filter((p) => nowMs - p.openedAt >= min && nowMs - p.openedAt < max);
    const cost = ps.reduce((a, p) => a + p.costBasis, 0);
    const value = ps.reduce((a, p) => a + p.qty * (data.lastPrices[p.symbol] ?? p.lastPrice), 0);
    return { bucket, positions: ps.length, unrealized: cost > 0 ? value / cost - 1 : null };
  });

  const timeOfDay = [...groupBy(trades, (t) => String(new Date(t.openedAt).getUTCHours()))]
    .map(([h, g]) => {
      const s = stats(g);
      return { hourUtc: Number(h), trades: s.trades, winRate: s.winRate, netPnl: s.netPnl };
    })
    .sort((a, b) => a.hourUtc - b.hourUtc);

  return {
    kind: 'trade_performance',
    generatedAt: nowMs,
    overall: stats(trades),
    bySymbol,
    byRegime,
    byVersion,
    byIntent,
    regimeBySymbol,
    signals: {
      total: data.signals.length,
      acted,
      rejected: rejected.length,
      actRate: data.signals.length === 0 ? null : acted / data.signals.length,
      topRejectionReasons: reasons,
    },
    fees: {
      total: totalFees,
      ofGrossWins: grossWins > 0 ? totalFees / grossWins : null,
      roundTripPct,
      breakEvenMovePct: roundTripPct === null ? null : 1.5 * roundTripPct,
    },
    holding: { sample: recent.length, avgHours: mean(recent.map(hours)), winnersHours: mean(winners.map(hours)), losersHours: mean(losers.map(hours)) },
    openPositionAging: aging,
    timeOfDay,
    rolling: {
      '7d': stats(trades.filter((t) => t.closedAt > nowMs - 7 * DAY)),
      '30d': stats(trades.filter((t) => t.closedAt > nowMs - 30 * DAY)),
    },
  };
}
