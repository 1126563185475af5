/**
 * Queries about the fund's money and state: status, portfolio, health, positions, trades, risk,
 * today's performance and the stored daily snapshots. They read the store (through the books
 * for cash and positions), the fund snapshot and the live risk counters. Never throw: the
 * operator wraps each in a `QueryResult`.
 */
import { type Fixed, ZERO, toNumber, toString } from '../../../domain/money/index.ts';
import { type Ledger, totalValue, unrealizedPnl } from '../../../domain/portfolio/index.ts';
import { dailyPnl, dayBase } from '../../../domain/risk/index.ts';
import { type TruthMetrics, computeTruthMetrics, maxDrawdownPct } from '../../../domain/metrics/index.ts';
import { localDayKey, nextLocalMidnight, startOfLocalDay } from '../../../domain/time/index.ts';
import { clampLimit, metricTrade, positionView, ratioText, snapshotView, tradeStats, tradeView } from '../convert.ts';
import { PAPER_STARTING_CAPITAL } from '../../boot.ts';
import { describeState } from '../state.ts';
import type { BooksHandle, OperatorDeps } from '../types.ts';
import type {
  DailyPerformanceView,
  DailySnapshotView,
  HealthView,
  PortfolioView,
  PositionView,
  RiskView,
  StatusView,
  TradeView,
} from '../views.ts';

const DAY_MS = 86_400_000;
/** Daily snapshots read for the max drawdown (20 years: all of them in practice). */
const SNAPSHOT_HISTORY_DAYS = 365 * 20;

/** Filters of the trades query (`GET /v1/trades`): limit 1..500 (default 10, the Telegram list). */
export interface TradesQuery {
  readonly limit?: number;
  readonly symbol?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** Filters of the stored daily snapshots (`GET /v1/performance`): dates inclusive, limit 1..365. */
export interface PerformanceHistoryQuery {
  readonly fromDate?: string;
  readonly toDate?: string;
  readonly limit?: number;
}

/** The truth benchmarks (`GET /v1/benchmarks`) and the period they cover (ms since epoch). */
export interface BenchmarksView {
  readonly periodStartMs: number;
  readonly nowMs: number;
  readonly metrics: TruthMetrics;
}

/** Rows read per table for the benchmarks: everything the retention keeps. */
const ALL_ROWS = 10_000_000;

/** The fund queries over `deps` (see the module comment). */
export function fundQueries(deps: OperatorDeps, books: BooksHandle) {
  const { repos, settings, clock } = deps;
  const currency = settings.quoteCurrency;

  const portfolioOf = (ledger: Ledger): PortfolioView => {
    const total = totalValue(ledger);
    const invested = total - ledger.cash;
    return {
      currency,
      totalValue: toString(total),
      cash: toString(ledger.cash),
      unrealizedPnl: toString(unrealizedPnl(ledger)),
      positionCount: ledger.positions.length,
      allocation: { cash: ratioText(ledger.cash, total), positions: ratioText(invested, total) },
    };
  };

  const status = (): StatusView => {
    const snapshot = deps.fund.getSnapshot();
    const state = describeState(snapshot);
    const now = clock.now();
    return {
      mode: settings.mode,
      version: settings.version,
      symbols: settings.symbols,
      state,
      halted: snapshot.context.halt !== null,
      haltReason: snapshot.context.halt?.reason ?? null,
      paused: state.trading === 'paused',
      startedAtMs: settings.startedAtMs,
      uptimeMs: Math.max(0, now - settings.startedAtMs),
      lastScanAtMs: repos.scanResults.stats().lastAt,
    };
  };

  const portfolio = (): PortfolioView => portfolioOf(books.ledger());

  const positions = (): PositionView[] => repos.positions.list().map(positionView);

  const trades = (query: TradesQuery = {}): TradeView[] =>
    repos.trades
      .list({
        limit: clampLimit(query.limit, 10, 500),
        ...(query.symbol === undefined ? {} : { symbol: query.symbol }),
        ...(query.sinceMs === undefined ? {} : { sinceMs: query.sinceMs }),
        ...(query.untilMs === undefined ? {} : { untilMs: query.untilMs }),
      })
      .map(tradeView);

  const health = (): HealthView => {
    const ledger = books.ledger();
    const value = totalValue(ledger);
    const contributed = ledger.startingCapital + ledger.capitalNet;
    const all = repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER);
    const risk = deps.risk?.riskState() ?? null;
    const newest = all.at(-1);
    const snapshots = repos.dailyPerformance
      .list({ limit: SNAPSHOT_HISTORY_DAYS })
      .map((r) => ({ date: r.date, portfolioValue: toNumber(r.portfolioValue), cash: toNumber(r.cash) }));
    return {
      currency,
      portfolioValue: toString(value),
      cash: toString(ledger.cash),
      positionCount: ledger.positions.length,
      contributed: toString(contributed),
      totalReturn: toString(value - contributed),
      totalReturnFraction: ratioText(value - contributed, contributed),
      drawdown:
        risk === null || risk.peakEquity <= ZERO
          ? null
          : { fraction: ratioText(risk.peakEquity - risk.equity, risk.peakEquity) ?? '0', peak: toString(risk.peakEquity) },
      maxDrawdownFraction: maxDrawdownPct(snapshots),
      trades: tradeStats(all),
      strategyVersion: deps.fund.getSnapshot().context.strategy.version,
      lastCycleAtMs: repos.orchestratorLog.latest()?.startedAt ?? null,
      daysSinceLastTrade: newest === undefined ? null : Math.floor(Math.max(0, clock.now() - newest.closedAt) / DAY_MS),
    };
  };

  const risk = (): RiskView => {
    const limits = settings.limits;
    const snapshot = deps.fund.getSnapshot();
    const state = deps.risk?.riskState() ?? null;
    const halt = describeState(snapshot).halt;
    const base: Fixed | null = state === null ? null : dayBase(state);
    return {
      limits: {
        maxPositionPct: limits.maxPositionPct,
        maxPositions: limits.maxPositions,
        maxDailyLossPct: limits.maxDailyLossPct,
        maxDailyTrades: limits.maxDailyTrades,
        maxTradePct: limits.maxTradePct,
        defaultTradePct: limits.defaultTradePct,
        maxDrawdownPct: limits.maxDrawdownPct,
        rollbackDailyLossPct: limits.rollbackDailyLossPct,
        rollbackConsecutiveLosses: limits.rollbackConsecutiveLosses,
        killSwitch: limits.killSwitch,
      },
      current:
        state === null
          ? null
          : {
              dayKey: state.dayKey,
              dailyPnl: toString(dailyPnl(state, limits)),
              dailyPnlFraction: base === null ? null : ratioText(dailyPnl(state, limits), base),
              entriesToday: state.entriesToday,
              consecutiveLosses: state.consecutiveLosses,
              drawdownFraction: ratioText(state.peakEquity - state.equity, state.peakEquity),
              killSwitch: state.killSwitch,
            },
      openPositions: repos.positions.list().length,
      halted: snapshot.context.halt !== null,
      halt,
    };
  };

  /** Today in the configured zone (the predecessor looked up the UTC date and rarely matched). */
  const performance = (): DailyPerformanceView => {
    const now = clock.now();
    const date = localDayKey(now, settings.timeZone);
    const dayStartMs = startOfLocalDay(now, settings.timeZone);
    const dayEndMs = nextLocalMidnight(now, settings.timeZone);
    const closed = repos.trades.closedBetween(dayStartMs, dayEndMs);
    const stored = repos.dailyPerformance.byDate(date);
    const ledger = books.ledger();
    return {
      date,
      dayStartMs,
      dayEndMs,
      snapshot:
        stored === undefined
          ? null
          : {
              portfolioValue: toString(stored.portfolioValue),
              cash: toString(stored.cash),
              netPnl: toString(stored.netPnl),
              feesTotal: toString(stored.feesTotal),
              maxDrawdownPct: toString(stored.maxDrawdownPct),
            },
      portfolioValue: toString(totalValue(ledger)),
      cash: toString(ledger.cash),
      openPositions: ledger.positions.length,
      trades: tradeStats(closed),
      closedToday: [...closed].reverse().map(tradeView),
    };
  };

  const performanceHistory = (query: PerformanceHistoryQuery = {}): DailySnapshotView[] =>
    repos.dailyPerformance
      .list({
        limit: clampLimit(query.limit, 365, 365),
        ...(query.fromDate === undefined ? {} : { fromDate: query.fromDate }),
        ...(query.toDate === undefined ? {} : { toDate: query.toDate }),
      })
      .map(snapshotView);

  /**
   * Every truth metric (predecessor §11) over the whole store. The period starts at the fund's
   * first boot (when the paper seed was recorded), else at the oldest record or this process.
   */
  const benchmarks = (): BenchmarksView => {
    const nowMs = clock.now();
    const trades = repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER);
    const scans = repos.scanResults.list({ limit: ALL_ROWS });
    const seededAt = repos.systemMeta.all().find((m) => m.key === PAPER_STARTING_CAPITAL)?.updatedAt;
    const periodStartMs = seededAt ?? Math.min(settings.startedAtMs, ...trades.map((t) => t.openedAt), ...scans.map((s) => s.scannedAt));
    const metrics = computeTruthMetrics({
      trades: trades.map(metricTrade),
      snapshots: repos.dailyPerformance.list({ limit: SNAPSHOT_HISTORY_DAYS }).map((r) => ({ date: r.date, portfolioValue: toNumber(r.portfolioValue), cash: toNumber(r.cash) })),
      signals: repos.signals.list({ limit: ALL_ROWS }).map((s) => ({ actedOn: s.actedOn })),
      scans: scans.map((s) => ({ createdAtMs: s.scannedAt })),
      strategyVersions: repos.strategyVersions.list(ALL_ROWS).map((v) => ({ version: v.version, deployedAtMs: v.deployedAt })),
      openPositions: repos.positions.list().map((p) => ({ openedAtMs: p.openedAt })),
      periodStartMs: Math.min(periodStartMs, nowMs),
      nowMs,
    });
    return { periodStartMs: Math.min(periodStartMs, nowMs), nowMs, metrics };
  };

  return { status, portfolio, health, positions, trades, risk, performance, performanceHistory, benchmarks };
}
