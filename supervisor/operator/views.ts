/**
 * What the operator's queries return. Money, quantities and exact fractions are canonical
 * decimal strings (quote currency unless named otherwise; fractions 0.05 = 5 %), so the HTTP
 * API can send them as they are and Telegram can round them for display; statistics computed
 * in float64 by the truth metrics stay numbers. Times are ms since epoch (UTC).
 */
import type { OperatorState } from './types.ts';

/** `/status`, `GET /v1/system`. */
export interface StatusView {
  readonly mode: 'paper' | 'live';
  readonly version: string;
  readonly symbols: readonly string[];
  readonly state: OperatorState;
  readonly halted: boolean;
  readonly haltReason: string | null;
  /** Paused by the operator or for want of a usable strategy. */
  readonly paused: boolean;
  /** This process's start (uptime is measured from it, not from the oldest scan row as the predecessor did). */
  readonly startedAtMs: number;
  readonly uptimeMs: number;
  readonly lastScanAtMs: number | null;
}

/** `GET /v1/portfolio`. */
export interface PortfolioView {
  readonly currency: string;
  readonly totalValue: string;
  readonly cash: string;
  readonly unrealizedPnl: string;
  readonly positionCount: number;
  /** Shares of total value (6 decimals); null when the total is not positive. */
  readonly allocation: { readonly cash: string | null; readonly positions: string | null };
}

/** One open position (`/positions`, `GET /v1/positions`), marked at its latest price. */
export interface PositionView {
  readonly symbol: string;
  readonly tag: string;
  readonly intent: string;
  readonly quantity: string;
  /** costBasis / quantity (18 decimals, half-even). */
  readonly entryPrice: string;
  readonly lastPrice: string;
  readonly value: string;
  /** value − cost basis (the entry fee already left cash). */
  readonly unrealizedPnl: string;
  /** unrealizedPnl / cost basis, 6 decimals. */
  readonly unrealizedFraction: string;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  readonly openedAtMs: number;
  readonly strategyVersion: string | null;
}

/** One closed trade (`/trades`, `GET /v1/trades`). */
export interface TradeView {
  readonly symbol: string;
  readonly tag: string;
  readonly quantity: string;
  readonly entryPrice: string;
  readonly exitPrice: string;
  readonly pnl: string;
  readonly pnlFraction: string;
  readonly fees: string;
  readonly closeReason: string;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  readonly strategyVersion: string | null;
}

/** Trade statistics over a set of closes (exact counts and sums; rates as float64 statistics). */
export interface TradeStats {
  readonly total: number;
  readonly wins: number;
  readonly losses: number;
  /** wins / total; null without trades. */
  readonly winRate: number | null;
  /** Truth metric #9, quote per trade; null without trades. */
  readonly expectancy: number | null;
  readonly netPnl: string;
  readonly fees: string;
}

/** `/health`. */
export interface HealthView {
  readonly currency: string;
  readonly portfolioValue: string;
  readonly cash: string;
  readonly positionCount: number;
  /** Starting capital + net capital events: what the return is measured against. */
  readonly contributed: string;
  readonly totalReturn: string;
  /** totalReturn / contributed, 6 decimals; null when nothing was contributed. */
  readonly totalReturnFraction: string | null;
  /** Current drawdown from the risk peak (6 decimals) and the peak; null without live risk counters. */
  readonly drawdown: { readonly fraction: string; readonly peak: string } | null;
  /** Largest peak-to-trough fall of the daily snapshots (truth metric #13, fraction). */
  readonly maxDrawdownFraction: number;
  readonly trades: TradeStats;
  readonly strategyVersion: string | null;
  readonly lastCycleAtMs: number | null;
  /** Whole days since the newest close; null without trades. */
  readonly daysSinceLastTrade: number | null;
}

/** `/risk`, `GET /v1/risk`. */
export interface RiskView {
  readonly limits: {
    readonly maxPositionPct: number;
    readonly maxPositions: number;
    readonly maxDailyLossPct: number;
    readonly maxDailyTrades: number;
    readonly maxTradePct: number;
    readonly defaultTradePct: number;
    readonly maxDrawdownPct: number;
    readonly rollbackDailyLossPct: number;
    readonly rollbackConsecutiveLosses: number;
    /** The config kill switch (blocks entries; only the config clears it). */
    readonly killSwitch: boolean;
  };
  /** Live counters; null when no risk state is wired in yet. */
  readonly current: {
    readonly dayKey: string;
    /** Today's P&L as the daily-loss limit measures it. */
    readonly dailyPnl: string;
    /** dailyPnl / day base, 6 decimals; null when the base is not positive. */
    readonly dailyPnlFraction: string | null;
    readonly entriesToday: number;
    readonly consecutiveLosses: number;
    readonly drawdownFraction: string | null;
    /** The operator kill (`/kill`) is engaged. */
    readonly killSwitch: boolean;
  } | null;
  readonly openPositions: number;
  readonly halted: boolean;
  readonly halt: OperatorState['halt'];
}

/** `/daily_performance`: today's local day, live from the trades plus the stored snapshot if any. */
export interface DailyPerformanceView {
  readonly date: string;
  readonly dayStartMs: number;
  readonly dayEndMs: number;
  /** The end-of-day snapshot of this date, once taken (23:59 local); null before. */
  readonly snapshot: {
    readonly portfolioValue: string;
    readonly cash: string;
    readonly netPnl: string;
    readonly feesTotal: string;
    readonly maxDrawdownPct: string;
  } | null;
  readonly portfolioValue: string;
  readonly cash: string;
  readonly openPositions: number;
  readonly trades: TradeStats;
  readonly closedToday: readonly TradeView[];
}

/** One stored daily snapshot (`GET /v1/performance`). */
export interface DailySnapshotView {
  readonly date: string;
  readonly portfolioValue: string;
  readonly cash: string;
  readonly totalTrades: number;
  readonly wins: number;
  readonly losses: number;
  readonly netPnl: string;
  readonly feesTotal: string;
  readonly winRate: number | null;
  readonly maxDrawdownPct: string;
  readonly sharpe: number | null;
  readonly strategyVersion: string | null;
}

/** `/strategy`, `GET /v1/strategy`. */
export interface StrategyView {
  /** What the fund runs (its strategy region). */
  readonly fund: {
    readonly status: string;
    readonly version: string | null;
    readonly source: string | null;
    readonly previousVersion: string | null;
    readonly problem: string | null;
    readonly lastRollback: { readonly trigger: string; readonly fromVersion: string; readonly toVersion: string | null; readonly ok: boolean | null; readonly endedAtMs: number | null } | null;
  };
  /** The deployed version's stored row; null before the first deploy. */
  readonly active: {
    readonly version: string;
    readonly codeHash: string;
    readonly riskTier: number | null;
    readonly description: string;
    readonly deployedAtMs: number | null;
    /** The first 6 lines of its code (the predecessor's /strategy preview). */
    readonly preview: string;
  } | null;
  readonly paperTest: {
    readonly status: string;
    readonly candidateVersion: string | null;
    readonly trades: number;
    readonly pnl: string;
    readonly deadlineMs: number | null;
  };
  readonly recentVersions: readonly { readonly version: string; readonly createdAtMs: number; readonly deployedAtMs: number | null; readonly retiredAtMs: number | null; readonly description: string }[];
}

/** Token totals of one model or of all. */
export interface TokenTotalsView {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: string;
}

/** `/tokens`, `GET /v1/ai/usage`: today's local day. */
export interface TokensView {
  readonly date: string;
  readonly dailyLimit: number;
  /** Input + output tokens of every model (what the budget counts). */
  readonly used: number;
  readonly remaining: number;
  readonly total: TokenTotalsView;
  readonly byModel: Readonly<Record<string, TokenTotalsView>>;
}

/** One step of a cycle's thought spool. */
export interface ThoughtStepView {
  readonly id: number;
  readonly step: string;
  readonly model: string;
  readonly responseChars: number;
  readonly createdAtMs: number;
}

/** `/thoughts`: the latest (or a named) cycle's steps, or the last cycles. */
export type ThoughtsView =
  | { readonly kind: 'cycle'; readonly cycleId: string; readonly steps: readonly ThoughtStepView[] }
  | { readonly kind: 'list'; readonly cycles: readonly { readonly cycleId: string; readonly steps: number; readonly lastAtMs: number }[] }
  | { readonly kind: 'none' };

/** `/thought <cycle> <step>`: one stored AI response in full. */
export interface ThoughtView {
  readonly cycleId: string;
  readonly step: string;
  readonly model: string;
  readonly createdAtMs: number;
  /** The first 300 characters of the prompt (or its summary). */
  readonly inputExcerpt: string;
  readonly response: string;
  readonly parsed: string | null;
}

/** `/outlook`: the latest observation. */
export interface OutlookView {
  readonly date: string;
  readonly cycleId: string;
  readonly marketSummary: string;
  readonly strategyAssessment: string;
  readonly notableFindings: string;
  readonly strategyVersion: string | null;
  readonly createdAtMs: number;
}

/** `/candidates`, `GET /v1/candidates`: one entry per configured slot. */
export type CandidateSlotView =
  | { readonly slot: number; readonly status: 'empty' }
  | {
      readonly slot: number;
      readonly status: 'running';
      readonly candidateId: number;
      readonly version: string;
      readonly description: string;
      readonly startingCash: string;
      /** Shadow book value: cash + open positions at their latest price. */
      readonly value: string;
      readonly pnl: string;
      readonly trades: number;
      readonly winRate: number | null;
      readonly evaluationDays: number;
      readonly createdAtMs: number;
      readonly paperTest: { readonly status: string; readonly deadlineMs: number; readonly minTrades: number } | null;
      /** The fund's paper-test region is tracking this candidate. */
      readonly underFundTest: boolean;
    };

/** One activity-log line (`GET /v1/activity`). */
export interface ActivityView {
  readonly id: number;
  readonly tsMs: number;
  readonly category: string;
  readonly severity: string;
  readonly summary: string;
  /** The typed event (`{ type, data }`) or other detail, decoded; null when none. */
  readonly detail: unknown;
}

/** One strategy signal (`GET /v1/signals`). */
export interface SignalView {
  readonly id: number;
  readonly symbol: string;
  readonly action: string;
  readonly tag: string | null;
  readonly size: string | null;
  readonly confidence: number;
  readonly reasoning: string;
  readonly actedOn: boolean;
  readonly rejectedReason: string | null;
  readonly strategyVersion: string;
  readonly createdAtMs: number;
}

/** `/start`, `/help`. */
export interface HelpView {
  readonly banner: string;
  readonly mode: 'paper' | 'live';
  readonly symbols: readonly string[];
  readonly commands: readonly { readonly command: string; readonly args: string; readonly description: string }[];
}

/** `/ask`: what the answer is grounded on (the advisor makes the call; predecessor §13). */
export interface AskContextView {
  readonly portfolio: PortfolioView;
  readonly risk: RiskView;
  readonly state: OperatorState;
  readonly lastTrades: readonly TradeView[];
  readonly outlook: OutlookView | null;
  readonly strategyVersion: string | null;
  /** The last 30 activity lines, oldest first. */
  readonly activity: readonly string[];
}
