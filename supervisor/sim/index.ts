/**
 * Sim mode's composition root: the whole actor system in paper mode on a **simulated clock**, fed
 * by recorded candles as fast as the machine can go (`brain sim --replay`, the replay-vs-backtest
 * test, the kill-and-restart test and the invariant suite). Only the clock and the feed differ
 * from paper mode; the engine, the actors, the store and the strategy port are the same.
 *
 * A sim never gets a live venue: the venue is the decision pipeline's fill model (the in-process
 * sim venue), so "live venue + simulated clock" cannot be composed here (DESIGN.md §7).
 */
import { SimulatedClock } from 'xstate';
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { Fixed } from '../../domain/money/index.ts';
import type { PipelineSettings } from '../../domain/pipeline/index.ts';
import type { Notifier, StrategyRunner } from '../../domain/ports/index.ts';
import type { SchedulerCalendar } from '../../machines/index.ts';
import { lowerBound } from '../backtest/index.ts';
import { FundEngine } from '../runtime/engine.ts';
import { type FundInputSettings, fundInputFor } from '../runtime/input.ts';
import { FundRuntime, type OrchestratorExtension, type StrategySourceOptions } from '../runtime/runtime.ts';

const STEP_MS = 300_000;

/** Everything a simulated fund needs. */
export interface SimFundOptions {
  readonly repos: Repositories;
  readonly bus: Notifier;
  readonly settings: PipelineSettings;
  readonly startingCapital: Fixed;
  readonly warmupMs: number;
  readonly runner: StrategyRunner;
  readonly strategy: StrategySourceOptions;
  /** When the fund's first step is (5m multiple); ignored on a restart (the checkpoint decides). */
  readonly startMs: number;
  readonly input: Omit<FundInputSettings, 'symbols' | 'candleCounts'>;
  readonly calendar?: SchedulerCalendar;
  readonly report?: (problem: { kind: string; detail: string; nowMs: number }) => void;
  /** The orchestrator and its candidate desk (supervisor/orchestrator `createOrchestratorExtension`); passed to the runtime as is. */
  readonly orchestrator?: OrchestratorExtension;
}

/** A started simulated fund. */
export interface SimFund {
  readonly engine: FundEngine;
  readonly runtime: FundRuntime;
  readonly clock: SimulatedClock;
  /**
   * Replays `candles` (per symbol, oldest first) from the step after the checkpoint up to (not
   * including) `toMs`; `afterStep` runs after each committed step (e.g. to check invariants or to
   * send operator commands). Returns the number of steps processed.
   */
  replay(candles: Readonly<Record<string, readonly Candle[]>>, toMs: number, afterStep?: (nowMs: number, step: number) => void | Promise<void>): Promise<number>;
  /** Graceful stop (snapshot persisted; the next start restores from it). */
  stop(reason?: string): Promise<void>;
}

/** Starts a simulated fund on `options.repos` (fresh, or restored from the store's checkpoint and snapshot). */
export async function startSimFund(options: SimFundOptions): Promise<SimFund> {
  const engine = FundEngine.open(
    {
      settings: options.settings,
      repos: options.repos,
      runner: options.runner,
      startingCapital: options.startingCapital,
      warmupMs: options.warmupMs,
      publish: (e) => void options.bus.publish(e),
      now: () => clock.now(),
      ...(options.report ? { report: options.report } : {}),
    },
    options.startMs,
  );
  const clock = new SimulatedClock();
  clock.set(engine.progress().stepMs);
  const symbols = options.settings.markets.map((m) => m.symbol);
  const candleCounts = Object.fromEntries(symbols.map((s) => [s, options.repos.candles.count(s, '5m')]));
  const runtime = new FundRuntime({
    mode: 'paper',
    engine,
    repos: options.repos,
    bus: options.bus,
    clock,
    input: fundInputFor({ ...options.input, symbols, candleCounts }, clock.now()),
    strategy: options.strategy,
    timeZone: options.settings.timeZone,
    ...(options.calendar ? { calendar: options.calendar } : {}),
    appVersion: 'sim',
    ...(options.report ? { report: options.report } : {}),
    ...(options.orchestrator ? { orchestrator: options.orchestrator } : {}),
  });
  const started = await runtime.start();
  if (!started.matches('running')) throw new Error(`the simulated fund did not reach running: ${JSON.stringify(started.value)} (${started.context.fault ?? started.context.phase.lastError ?? 'no reason recorded'})`);

  return {
    engine,
    runtime,
    clock,
    async replay(candles, toMs, afterStep) {
      const lists = symbols.map((s) => candles[s] ?? []);
      const from = engine.progress().stepMs;
      // Candles that close after the last processed step: tsOpen + 5m > from ⇔ tsOpen ≥ from − 5m + 1.
      const cursors = lists.map((l) => lowerBound(l, from - STEP_MS + 1));
      let steps = 0;
      for (;;) {
        let next = Number.POSITIVE_INFINITY;
        for (let i = 0; i < lists.length; i++) if (cursors[i]! < lists[i]!.length) next = Math.min(next, lists[i]![cursors[i]!]!.tsOpen + STEP_MS);
        if (next === Number.POSITIVE_INFINITY || next > toMs) return steps;
        const stepCandles = lists.map((l, i) => {
          const c = l[cursors[i]!];
          if (c && c.tsOpen + STEP_MS === next) {
            cursors[i]! += 1;
            return c;
          }
          return null;
        });
        if (clock.now() < next) clock.set(next);
        await engine.step(next, stepCandles);
        await runtime.idle();
        steps += 1;
        if (afterStep) await afterStep(next, engine.progress().step);
      }
    },
    stop: (reason = 'sim finished') => runtime.stop(reason),
  };
}
