/**
 * The backtest report: every truth metric (domain/metrics), limit-order fill rate, exposure,
 * per-symbol and per-month breakdowns, the daily equity curve, rejections, halts and the trades.
 * A plain JSON-ready object built only from the run (no clock, no host facts), so the same run
 * always serialises to the same bytes. Money is exact decimal text where it comes from the
 * ledger and float64 where it is a statistic.
 */
import {
  type DailySnapshotRow,
  type TradeRow,
  type TruthMetrics,
  type TruthMetricsInput,
  computeTruthMetrics,
  exposureTime,
} from '../../domain/metrics/index.ts';
import { type Fixed, ZERO, mul, toFixed, toNumber, toString } from '../../domain/money/index.ts';
import { avgEntry } from '../../domain/portfolio/index.ts';
import { addDays, localDayKey } from '../../domain/time/index.ts';
import type { OrderCounts, RiskMoment } from './collect.ts';
import type { BacktestRun } from './engine.ts';

/** How a window's numbers are summarised. */
export interface WindowReport {
  readonly period: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number; readonly lastStepMs: number };
  readonly data: { readonly candles: Readonly<Record<string, number>>; readonly totalCandles: number; readonly steps: number; readonly decisions: number };
  readonly result: {
    readonly startingCapital: string;
    readonly finalEquity: string;
    readonly finalCash: string;
    readonly returnPct: number;
    readonly realizedPnl: string;
    readonly unrealizedPnl: string;
    readonly feesPaid: string;
    readonly makerFees: string;
    readonly takerFees: string;
    readonly tradedNotional: string;
    readonly fills: number;
  };
  readonly metrics: TruthMetrics;
  readonly exposure: { readonly timeInMarket: number | null; readonly averageInvested: number; readonly maxIntradayDrawdownPct: number };
  readonly limitOrders: OrderCounts & { readonly fillRate: number | null; readonly restingFillRate: number | null };
  readonly signals: {
    readonly accepted: number;
    readonly rejected: number;
    readonly invalidOutputs: number;
    readonly acceptedByAction: Readonly<Record<string, number>>;
    readonly regimes: Readonly<Record<string, number>>;
    readonly rejections: readonly { readonly stage: string; readonly code: string | null; readonly count: number; readonly example: string }[];
  };
  readonly risk: {
    readonly halts: number;
    readonly haltsCleared: number;
    readonly rollbacks: number;
    readonly haltLog: readonly RiskMomentJson[];
    readonly rollbackLog: readonly RiskMomentJson[];
  };
  readonly strategyErrors: { readonly count: number; readonly first: { readonly at: string; readonly kind: string; readonly reason: string } | null };
  readonly bySymbol: Readonly<Record<string, SymbolSummary>>;
  readonly byMonth: readonly MonthSummary[];
  readonly equityCurve: readonly { readonly date: string; readonly equity: number; readonly cash: number; readonly drawdownPct: number }[];
  readonly openPositions: readonly {
    readonly tag: string;
    readonly symbol: string;
    readonly qty: string;
    readonly avgEntry: string;
    readonly lastPrice: string;
    readonly unrealizedPnl: string;
    readonly openedAt: string;
  }[];
  readonly trades: readonly TradeJson[];
}

interface RiskMomentJson {
  readonly at: string;
  readonly kind: string;
  readonly reason: string;
}

/** Per-symbol numbers. */
export interface SymbolSummary {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number;
  readonly netPnl: number;
  readonly fees: number;
  readonly timeInMarket: number | null;
  readonly orders: OrderCounts;
}

/** Per-month (local calendar month) numbers. */
export interface MonthSummary {
  readonly month: string;
  readonly trades: number;
  readonly wins: number;
  readonly netPnl: number;
  readonly fees: number;
  readonly startEquity: number;
  readonly endEquity: number;
  readonly returnPct: number;
}

/** One closed trade (a full or partial close). */
export interface TradeJson {
  readonly tag: string;
  readonly symbol: string;
  readonly qty: string;
  readonly entryPrice: string;
  readonly exitPrice: string;
  readonly pnl: string;
  readonly pnlPct: number;
  readonly fees: string;
  readonly closeReason: string;
  readonly openedAt: string;
  readonly closedAt: string;
  readonly mae: number;
}

/** ms → ISO 8601 UTC text. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function moment(m: RiskMoment): RiskMomentJson {
  return { at: iso(m.tsMs), kind: m.kind, reason: m.reason };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * The truth-metric input of a run: trades, the daily snapshots (preceded by an opening snapshot of
 * the starting capital dated the day before the window, so the first day's return counts),
 * signals, one scan row per symbol per step, the backtested version, and the positions still open.
 */
export function truthInput(run: BacktestRun): TruthMetricsInput {
  const c = run.collector;
  const tz = run.config.timeZone;
  const capital = toNumber(run.spec.startingCapital);
  const snapshots: DailySnapshotRow[] = [{ date: addDays(localDayKey(run.spec.fromMs, tz), -1), portfolioValue: capital, cash: capital }];
  for (const s of c.snapshots) snapshots.push({ date: s.dayKey, portfolioValue: toNumber(s.equity), cash: toNumber(s.cash) });
  let scanRows = 0;
  for (let i = 0; i < c.scanCounts.length; i++) scanRows += c.scanCounts[i]!;
  const scans = new Array<{ createdAtMs: number }>(scanRows); // sized once: a row per symbol per step
  for (let i = 0, at = 0; i < c.scanTimes.length; i++) {
    const row = { createdAtMs: c.scanTimes[i]! }; // the symbols scanned at one step share their (immutable) row
    for (let k = 0; k < c.scanCounts[i]!; k++) scans[at++] = row;
  }
  const signals = [...Array<{ actedOn: boolean }>(c.signalsAccepted).fill({ actedOn: true }), ...Array<{ actedOn: boolean }>(c.signalsRejected).fill({ actedOn: false })];
  return {
    trades: c.trades.map(tradeRow),
    snapshots,
    signals,
    scans,
    strategyVersions: [{ version: run.spec.strategy.version, deployedAtMs: run.spec.fromMs }],
    openPositions: run.state.ledger.positions.map((p) => ({ openedAtMs: p.openedAt })),
    periodStartMs: run.spec.fromMs,
    nowMs: Math.max(run.endMs, run.spec.fromMs),
  };
}

function tradeRow(t: BacktestRun['collector']['trades'][number]): TradeRow {
  return { symbol: t.symbol, pnl: toNumber(t.pnl), pnlPct: toNumber(t.pnlFraction), fees: toNumber(t.fees), openedAtMs: t.openedAt, closedAtMs: t.closedAt, closeReason: t.closeReason };
}

function sumCounts(all: readonly OrderCounts[]): OrderCounts {
  const total: OrderCounts = { market: 0, limitAttempted: 0, limitFilled: 0, limitRested: 0, limitFilledResting: 0, limitExpired: 0, limitCanceled: 0, stopLosses: 0, takeProfits: 0 };
  for (const c of all) for (const k of Object.keys(total) as (keyof OrderCounts)[]) total[k] += c[k];
  return total;
}

/** Builds the report of one window. Pure apart from reading the run. */
export function windowReport(run: BacktestRun): WindowReport {
  const c = run.collector;
  const tz = run.config.timeZone;
  const input = truthInput(run);
  const metrics = computeTruthMetrics(input);
  const ledger = run.state.ledger;
  let unrealized: Fixed = ZERO;
  let positionsValue: Fixed = ZERO;
  for (const p of ledger.positions) {
    const value = mul(p.qty, p.lastPrice);
    positionsValue += value;
    unrealized += value - p.costBasis;
  }
  const finalEquity = ledger.cash + positionsValue;
  const capital = run.spec.startingCapital;
  const endMs = input.nowMs;

  const limits = sumCounts(Object.values(c.orders));
  const bySymbol: Record<string, SymbolSummary> = {};
  for (const symbol of run.spec.symbols) {
    const rows = input.trades.filter((t) => t.symbol === symbol);
    const wins = rows.filter((t) => t.pnl > 0).length;
    const losses = rows.filter((t) => t.pnl < 0).length;
    bySymbol[symbol] = {
      trades: rows.length,
      wins,
      losses,
      winRate: rows.length === 0 ? 0 : wins / rows.length,
      netPnl: rows.reduce((s, t) => s + t.pnl, 0),
      fees: rows.reduce((s, t) => s + t.fees, 0),
      timeInMarket: exposureTime(rows, ledger.positions.filter((p) => p.symbol === symbol).map((p) => ({ openedAtMs: p.openedAt })), run.spec.fromMs, endMs),
      orders: c.orders[symbol]!,
    };
  }

  // Months: trades by the local month they closed in; equity from the daily snapshots.
  const months = new Map<string, { trades: number; wins: number; netPnl: number; fees: number; start: number; end: number }>();
  let previousEnd = toNumber(capital);
  for (const s of input.snapshots.slice(1)) {
    const key = s.date.slice(0, 7);
    let m = months.get(key);
    if (!m) {
      m = { trades: 0, wins: 0, netPnl: 0, fees: 0, start: previousEnd, end: previousEnd };
      months.set(key, m);
    }
    m.end = s.portfolioValue;
    previousEnd = s.portfolioValue;
  }
  for (const t of input.trades) {
    const key = localDayKey(t.closedAtMs, tz).slice(0, 7);
    const m = months.get(key);
    if (!m) continue;
    m.trades++;
    if (t.pnl > 0) m.wins++;
    m.netPnl += t.pnl;
    m.fees += t.fees;
  }
  const byMonth: MonthSummary[] = [...months.entries()].map(([month, m]) => ({
    month,
    trades: m.trades,
    wins: m.wins,
    netPnl: m.netPnl,
    fees: m.fees,
    startEquity: m.start,
    endEquity: m.end,
    returnPct: m.start > 0 ? (m.end - m.start) / m.start : 0,
  }));

  let peak = 0;
  const equityCurve = input.snapshots.map((s) => {
    peak = Math.max(peak, s.portfolioValue);
    return { date: s.date, equity: s.portfolioValue, cash: s.cash, drawdownPct: peak > 0 ? (peak - s.portfolioValue) / peak : 0 };
  });

  return {
    period: { from: iso(run.spec.fromMs), to: iso(run.spec.toMs), fromMs: run.spec.fromMs, toMs: run.spec.toMs, lastStepMs: run.endMs },
    data: { candles: run.candleCounts, totalCandles: Object.values(run.candleCounts).reduce((a, b) => a + b, 0), steps: run.steps, decisions: run.decisions },
    result: {
      startingCapital: toString(capital),
      finalEquity: toFixed(finalEquity, 8),
      finalCash: toFixed(ledger.cash, 8),
      returnPct: capital > ZERO ? toNumber(finalEquity - capital) / toNumber(capital) : 0,
      realizedPnl: toFixed(ledger.realizedPnl, 8),
      unrealizedPnl: toFixed(unrealized, 8),
      feesPaid: toFixed(ledger.feesPaid, 8),
      makerFees: toFixed(c.makerFees, 8),
      takerFees: toFixed(c.takerFees, 8),
      tradedNotional: toFixed(c.tradedNotional, 8),
      fills: c.fills,
    },
    metrics,
    exposure: { timeInMarket: metrics.exposureTime, averageInvested: c.steps === 0 ? 0 : c.exposureSum / c.steps, maxIntradayDrawdownPct: c.maxIntradayDrawdown },
    limitOrders: { ...limits, fillRate: ratio(limits.limitFilled, limits.limitAttempted), restingFillRate: ratio(limits.limitFilledResting, limits.limitRested) },
    signals: {
      accepted: c.signalsAccepted,
      rejected: c.signalsRejected,
      invalidOutputs: c.invalidOutputs,
      acceptedByAction: sortKeys(c.accepted),
      regimes: sortKeys(c.regimes),
      rejections: [...c.rejections.values()].sort((a, b) => b.count - a.count || `${a.stage}:${a.code}`.localeCompare(`${b.stage}:${b.code}`)).map((r) => ({ ...r })),
    },
    risk: { halts: c.haltCount, haltsCleared: c.haltsCleared, rollbacks: c.rollbackCount, haltLog: c.halts.map(moment), rollbackLog: c.rollbacks.map(moment) },
    strategyErrors: { count: c.strategyErrors, first: c.firstStrategyError ? { at: iso(c.firstStrategyError.tsMs), kind: c.firstStrategyError.kind, reason: c.firstStrategyError.reason } : null },
    bySymbol,
    byMonth,
    equityCurve,
    openPositions: ledger.positions.map((p) => ({
      tag: p.tag,
      symbol: p.symbol,
      qty: toString(p.qty),
      avgEntry: toFixed(avgEntry(p), 8),
      lastPrice: toString(p.lastPrice),
      unrealizedPnl: toFixed(mul(p.qty, p.lastPrice) - p.costBasis, 8),
      openedAt: iso(p.openedAt),
    })),
    trades: c.trades.map((t) => ({
      tag: t.tag,
      symbol: t.symbol,
      qty: toString(t.qty),
      entryPrice: toFixed(t.entryPrice, 8),
      exitPrice: toString(t.exitPrice),
      pnl: toFixed(t.pnl, 8),
      pnlPct: toNumber(t.pnlFraction),
      fees: toFixed(t.fees, 8),
      closeReason: t.closeReason,
      openedAt: iso(t.openedAt),
      closedAt: iso(t.closedAt),
      mae: toNumber(t.mae),
    })),
  };
}

function sortKeys(record: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k]!;
  return out;
}
