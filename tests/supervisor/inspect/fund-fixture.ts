/**
 * The real fund machine with trivial fakes for its startup phases (all succeed at once), so it
 * runs through booting → restoring → reconciling → running and spawns its children. Times are
 * fixed (Monday 2026-01-05 12:00:00 UTC); a SimulatedClock keeps every timer from firing.
 */
import { type AnyActorLogic, SimulatedClock, fromPromise } from 'xstate';
import { type FundInput, fundMachine } from '../../../machines/index.ts';

export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const fundInput: FundInput = {
  nowMs: T0,
  symbols: [{ symbol: 'BTC/USD', warmupCandles: 3, candleCount: 0, staleAfterMs: 15 * MINUTE, evaluationTimeoutMs: 30 * SECOND }],
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
};

const resolves = <T>(value: T) => fromPromise<T, unknown>(async () => value);

/** The fund machine with succeeding phase fakes. */
export const fakeFundMachine = fundMachine.provide({
  actors: {
    boot: resolves({ nowMs: T0 }),
    restore: resolves({ nowMs: T0, strategy: { version: 'v1', source: 'file' as const }, previousVersion: 'v0', symbols: null }),
    reconcile: resolves({ nowMs: T0, halt: null }),
    shutdown: resolves({ nowMs: T0 }),
  } as unknown as Record<string, AnyActorLogic> as never,
});

/** A simulated clock at T0. */
export function clockAtT0(): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(T0);
  return clock;
}
