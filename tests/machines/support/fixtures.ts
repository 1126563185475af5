/**
 * Shared inputs and fakes for the machine tests. Times are built from Date.UTC so every number
 * can be checked by hand; policies are small so restart caps are reached in a few steps.
 */
import { fromPromise } from 'xstate';
import type { FundInput } from '../../../machines/fund.ts';
import type { OrchestratorInput } from '../../../machines/orchestrator.ts';
import type { SchedulerInput } from '../../../machines/scheduler.ts';
import type { SymbolInput } from '../../../machines/symbol.ts';
import type { PositionInput } from '../../../machines/position.ts';

/** Monday 2026-01-05 12:00:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const symbolInput = (over: Partial<SymbolInput> = {}): SymbolInput => ({
  symbol: 'BTC/USD',
  warmupCandles: 3,
  candleCount: 0,
  staleAfterMs: 15 * MINUTE,
  evaluationTimeoutMs: 30 * SECOND,
  nowMs: T0,
  ...over,
});

export const positionInput = (over: Partial<PositionInput> = {}): PositionInput => ({
  tag: 'auto_BTCUSD_001',
  symbol: 'BTC/USD',
  intent: 'SWING',
  entryQuantity: '0.5',
  stopLoss: '90000',
  takeProfit: '110000',
  nowMs: T0,
  ...over,
});

export const orchestratorInput = (over: Partial<OrchestratorInput> = {}): OrchestratorInput => ({
  hasAdvisor: true,
  cycleTimeoutMs: 3 * HOUR,
  shadowTestTimeoutMs: 7 * DAY,
  maxRevisions: 2,
  minTokensPerCycle: 200_000,
  promotion: { minTrades: 5, minPsr: 0.95 },
  nowMs: T0,
  ...over,
});

export const schedulerInput = (over: Partial<SchedulerInput> = {}): SchedulerInput => ({
  scanIntervalMs: 5 * MINUTE,
  scanDelayMs: 10 * SECOND,
  monitorIntervalMs: 30 * SECOND,
  feeCheckIntervalMs: DAY,
  nowMs: T0,
  ...over,
});

export const fundInput = (over: Partial<FundInput> = {}): FundInput => ({
  nowMs: T0,
  symbols: [
    { symbol: 'BTC/USD', warmupCandles: 3, candleCount: 0, staleAfterMs: 15 * MINUTE, evaluationTimeoutMs: 30 * SECOND },
  ],
  orchestrator: {
    hasAdvisor: true,
    cycleTimeoutMs: 3 * HOUR,
    shadowTestTimeoutMs: 7 * DAY,
    maxRevisions: 2,
    minTokensPerCycle: 200_000,
    promotion: { minTrades: 5, minPsr: 0.95 },
  },
  scheduler: { scanIntervalMs: 5 * MINUTE, scanDelayMs: 10 * SECOND, monitorIntervalMs: 30 * SECOND, feeCheckIntervalMs: DAY },
  supervision: { maxRestarts: 2, windowMs: HOUR, baseDelayMs: SECOND, maxDelayMs: 8 * SECOND },
  startup: { maxRestarts: 2, windowMs: HOUR, baseDelayMs: SECOND, maxDelayMs: 8 * SECOND },
  feed: { staleAfterMs: 30 * SECOND, lostAfterAttempts: 3, reconnect: { baseDelayMs: SECOND, maxDelayMs: 30 * SECOND } },
  minPaperTestTrades: 3,
  ...over,
});

// Fakes accept any input (`any`: they replace placeholders whose input types differ).

/** A promise actor that resolves with `value` (ignoring its input). */
export function resolves<T>(value: T) {
  return fromPromise<T, any>(async () => value);
}

/** A promise actor that rejects with `message`. */
export function rejects<T = never>(message: string) {
  return fromPromise<T, any>(async () => {
    throw new Error(message);
  });
}

/** A promise actor that never settles (an in-flight step). */
export function pending<T>() {
  return fromPromise<T, any>(() => new Promise<T>(() => {}));
}

/** Lets queued promise reactions run (fake actors resolve on the microtask queue). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
