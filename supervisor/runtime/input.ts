/**
 * The fund actor's input from the configuration: symbols, supervision and startup retry
 * policies, feed policy, orchestrator and scheduler settings. One place, so every composition
 * root (paper, live, sim) builds the same actor system.
 */
import type { FundInput } from '../../machines/index.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What the fund input depends on (a subset of the config, so tests can build one directly). */
export interface FundInputSettings {
  readonly symbols: readonly string[];
  /** Closed 5m candles stored per symbol at start (for the symbol actors' warm-up). */
  readonly candleCounts: Readonly<Record<string, number>>;
  /** Sandbox call deadline, ms (the symbol actor's own evaluation deadline adds a margin). */
  readonly callDeadlineMs: number;
  /** True when an advisor (API key or local advisor) is configured. */
  readonly hasAdvisor: boolean;
  readonly orchestrator: {
    readonly cycleDeadlineMinutes: number;
    readonly maxRevisions: number;
    readonly cycleTokenReserve: number;
    readonly minPaperTestTrades: number;
    readonly paperTestDeadlineDays: number;
    readonly promotionMinPsr: number;
  };
}

/** Builds the fund input (time stamped by the runtime at start). */
export function fundInputFor(s: FundInputSettings, nowMs: number): FundInput {
  return {
    nowMs,
    symbols: s.symbols.map((symbol) => ({
      symbol,
      warmupCandles: 0,
      candleCount: s.candleCounts[symbol] ?? 0,
      // Three missed candles in a row: the data stopped.
      staleAfterMs: 16 * MINUTE,
      evaluationTimeoutMs: Math.max(5 * SECOND, 3 * s.callDeadlineMs),
    })),
    orchestrator: {
      hasAdvisor: s.hasAdvisor,
      cycleTimeoutMs: s.orchestrator.cycleDeadlineMinutes * MINUTE,
      shadowTestTimeoutMs: s.orchestrator.paperTestDeadlineDays * DAY,
      maxRevisions: s.orchestrator.maxRevisions,
      minTokensPerCycle: s.orchestrator.cycleTokenReserve,
      promotion: { minTrades: s.orchestrator.minPaperTestTrades, minPsr: s.orchestrator.promotionMinPsr },
    },
    scheduler: { scanIntervalMs: 5 * MINUTE, scanDelayMs: 10 * SECOND, monitorIntervalMs: 30 * SECOND, feeCheckIntervalMs: DAY },
    supervision: { maxRestarts: 5, windowMs: HOUR, baseDelayMs: SECOND, maxDelayMs: MINUTE },
    startup: { maxRestarts: 5, windowMs: HOUR, baseDelayMs: SECOND, maxDelayMs: MINUTE },
    // Candles close every 5 minutes: two missed closes (plus the scan delay) mean the data stopped.
    feed: { staleAfterMs: 11 * MINUTE, lostAfterAttempts: 5, reconnect: { baseDelayMs: SECOND, maxDelayMs: 5 * MINUTE } },
    minPaperTestTrades: s.orchestrator.minPaperTestTrades,
  };
}
