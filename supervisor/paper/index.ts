/**
 * Paper mode's composition root: the real clock, market data polled from Kraken's public OHLC
 * (no keys needed; `kraken.rest_url` may point at the fake exchange), fills by the in-process sim
 * venue (the decision pipeline's fill model), the strategy in the sandbox, the embedded store.
 * `brain start` calls {@link startPaperFund}. Live mode differs only in the venue (DESIGN.md §7).
 *
 * The feed: on every scheduler `scanDue` and `monitorDue` the poller asks OHLC for each symbol
 * since the last processed step and steps the engine through every 5m close all symbols have
 * reported (a symbol still missing a candle holds the step back for up to `graceMs`, then the
 * step runs without it). Failures are `feed.disconnected` facts for the fund's feed region, which
 * backs off, alerts when lost and announces recovery.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import { type CounterLimits, createKrakenClient, createKrakenRestClient } from '../../adapters/kraken/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { type Fixed, fromNumber, fromString } from '../../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE, type PipelineSettings } from '../../domain/pipeline/index.ts';
import type { Notifier, StrategyRunner } from '../../domain/ports/index.ts';
import { createSandboxedStrategyRunner } from '../../strategies/sandbox/index.ts';
import { V001_SOURCE_PATH } from '../../strategies/v001/index.ts';
import { ensureAnalysisSeeds } from '../../strategies/analysis/index.ts';
import { backtestMarkets } from '../backtest/index.ts';
import { PAPER_STARTING_CAPITAL } from '../boot.ts';
import { runMaintenance } from '../data/index.ts';
import type { BrainConfig } from '../config/index.ts';
import { secretValues, toRiskLimits } from '../config/index.ts';
import { createOrchestratorExtension, createStoreBudgetLedger, selectAdvisor, storeCandleSource } from '../orchestrator/index.ts';
import { FundEngine } from '../runtime/engine.ts';
import { fundInputFor } from '../runtime/input.ts';
import { FundRuntime, type OrchestratorExtension, type RuntimeClock, zoneCalendar } from '../runtime/runtime.ts';
import { readFileSync } from 'node:fs';
import type { InspectionEvent } from 'xstate';

const STEP_MS = 300_000;

/** Closed 5m candles of one symbol newer than `sinceMs` (exclusive, by open time), oldest first. */
export interface CandleSource {
  fetchClosed(symbol: string, sinceMs: number, signal?: AbortSignal): Promise<{ ok: true; candles: readonly Candle[] } | { ok: false; reason: string }>;
}

/**
 * A candle source over Kraken REST OHLC at `restUrl` (public endpoint: no credentials). Kraken
 * allows about one public call per second; `publicLimits` overrides that for a local server.
 */
export function krakenCandleSource(restUrl: string, publicLimits?: CounterLimits): CandleSource {
  const client = createKrakenClient({ rest: createKrakenRestClient({ restUrl, ...(publicLimits ? { publicLimits } : {}) }) });
  return {
    async fetchClosed(symbol, sinceMs, signal) {
      const r = await client.fetchCandles(symbol, '5m', { sinceMs }, signal);
      if (!r.ok) return { ok: false, reason: `${symbol} OHLC: ${r.error.message}` };
      return { ok: true, candles: r.value.candles.filter((c) => c.tsOpen > sinceMs) };
    },
  };
}

/** The decision pipeline's settings from the configuration (paper/live: Kraken fee tiers; offline pair rules until AssetPairs is read). */
export function pipelineSettingsFrom(config: BrainConfig): PipelineSettings {
  return {
    markets: backtestMarkets(config.markets.symbols),
    limits: toRiskLimits(config),
    timeZone: config.general.timezone,
    fees: KRAKEN_PRO_FEE_SCHEDULE,
    slippage: fromNumber(config.general.defaultSlippageFactor),
    tagPrefix: 'auto',
  };
}

/** What `startPaperFund` needs beyond the config. */
export interface PaperFundOptions {
  readonly config: BrainConfig;
  readonly repos: Repositories;
  readonly bus: Notifier;
  readonly clock?: RuntimeClock;
  readonly source?: CandleSource;
  readonly runner?: StrategyRunner;
  readonly appVersion: string;
  /** The strategy file to prefer (null: the deployed database copy; the bundled v001 seeds an empty store). */
  readonly strategyFile?: string | null;
  readonly orchestrator?: OrchestratorExtension;
  /**
   * The environment, to choose the nightly advisor when `orchestrator` is not given: the Claude
   * advisor with ANTHROPIC_API_KEY (or Vertex), else the local parameter-search advisor. Omit
   * both to run without an orchestrator.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly inspect?: (event: InspectionEvent) => void;
  /** A step waits this long for a lagging symbol's candle before running without it, ms (default 120 000). */
  readonly graceMs?: number;
  readonly report?: (problem: { kind: string; detail: string; nowMs: number }) => void;
}

/** A running paper fund. */
export interface PaperFund {
  readonly engine: FundEngine;
  /** Which advisor runs the nightly cycle ('claude', 'local'), or null without an orchestrator. */
  readonly advisorMode: 'claude' | 'local' | null;
  readonly runtime: FundRuntime;
  /** Polls the source now and steps through what closed (also runs on every scan/monitor tick). */
  poll(): Promise<number>;
  stop(reason: string): Promise<void>;
}

const systemClock: RuntimeClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

/** Starts paper trading (see module doc). Throws only on a corrupt checkpoint (EngineError). */
export async function startPaperFund(o: PaperFundOptions): Promise<PaperFund> {
  const { config, repos } = o;
  const clock = o.clock ?? systemClock;
  const settings = pipelineSettingsFrom(config);
  const seed: Fixed = fromString(repos.systemMeta.get(PAPER_STARTING_CAPITAL) ?? String(config.general.paperBalanceUsd));
  const runner =
    o.runner ??
    createSandboxedStrategyRunner({
      memoryMb: config.sandbox.memoryMb,
      stackKb: config.sandbox.stackKb,
      callDeadlineMs: config.sandbox.callDeadlineMs,
      maxMessageBytes: config.sandbox.maxMessageBytes,
      maxRunnerRestarts: config.sandbox.maxRunnerRestarts,
      restartWindowMs: config.sandbox.runnerRestartWindowMinutes * 60_000,
    });
  // Predecessor landmine L5: missing analysis modules silently degraded the orchestrator. Seed the
  // bundled versions into the store when none is stored, and say so.
  for (const kind of ensureAnalysisSeeds(repos.analysisModules, clock.now())) o.report?.({ kind: 'analysis.seeded', detail: `no ${kind} module was stored; the bundled v001 was registered and deployed`, nowMs: clock.now() });
  const engine = FundEngine.open(
    { settings, repos, runner, startingCapital: seed, warmupMs: 2 * 86_400_000, publish: (e) => void o.bus.publish(e), now: () => clock.now(), ...(o.report ? { report: o.report } : {}) },
    clock.now(),
  );
  const source = o.source ?? krakenCandleSource(config.kraken.restUrl);
  const graceMs = o.graceMs ?? 120_000;
  let polling: Promise<number> | null = null;
  let runtime: FundRuntime;

  const pollOnce = async (): Promise<number> => {
    const since = engine.progress().stepMs - STEP_MS;
    const bySymbol = new Map<string, Candle[]>();
    for (const symbol of engine.config.symbols) {
      const r = await source.fetchClosed(symbol, since);
      if (!r.ok) {
        runtime.send({ type: 'feed.disconnected', reason: r.reason });
        return 0;
      }
      bySymbol.set(symbol, [...r.candles]);
    }
    const times = [...new Set([...bySymbol.values()].flat().map((c) => c.tsOpen + STEP_MS))].filter((t) => t > engine.progress().stepMs).sort((a, b) => a - b);
    let steps = 0;
    for (const t of times) {
      const stepCandles = engine.config.symbols.map((s) => bySymbol.get(s)!.find((c) => c.tsOpen + STEP_MS === t) ?? null);
      const complete = stepCandles.every((c) => c !== null);
      if (!complete && clock.now() < t + graceMs) break; // wait for the lagging symbol
      await engine.step(t, stepCandles);
      await runtime.idle();
      steps += 1;
    }
    return steps;
  };
  const poll = (): Promise<number> => {
    polling ??= pollOnce().finally(() => (polling = null));
    return polling;
  };

  let advisorMode: 'claude' | 'local' | null = null;
  let orchestrator = o.orchestrator;
  if (!orchestrator && o.env) {
    const o2 = config.orchestrator;
    const selected = selectAdvisor({ ai: config.ai, promotionMinPsr: o2.promotionMinPsr }, o.env, { ledger: createStoreBudgetLedger(repos, config.general.timezone), now: () => clock.now(), seed: 1, secrets: secretValues(config.secrets) });
    advisorMode = selected.mode;
    orchestrator = createOrchestratorExtension({
      advisor: selected.advisor,
      mode: selected.mode,
      repos,
      clock: () => clock.now(),
      makeRunner: () => createSandboxedStrategyRunner({ memoryMb: config.sandbox.memoryMb, stackKb: config.sandbox.stackKb, callDeadlineMs: config.sandbox.callDeadlineMs }),
      candles: storeCandleSource(repos),
      publish: (e) => void o.bus.publish(e),
      settings,
      config: {
        timeZone: config.general.timezone,
        maxCandidates: o2.maxCandidates,
        minPaperTestTrades: o2.minPaperTestTrades,
        minPaperTestDays: o2.minPaperTestDays,
        paperTestDeadlineDays: o2.paperTestDeadlineDays,
        paperTestExtensionDays: o2.paperTestExtensionDays,
        promotionMinPsr: o2.promotionMinPsr,
        reflectionIntervalDays: o2.reflectionIntervalDays,
        // Walk-forward of a candidate: the last 30 days of stored candles in 3 folds, 2 days of warm-up.
        backtestDays: 30,
        folds: 3,
        warmupDays: 2,
        startingCapital: seed,
        seed: 1,
      },
      onPromoted: (version) => void runtime.deployStrategy(version),
    });
  } else if (orchestrator) advisorMode = null;
  const symbols = config.markets.symbols;
  const candleCounts = Object.fromEntries(symbols.map((s) => [s, repos.candles.count(s, '5m')]));
  const orchestration = config.orchestrator;
  runtime = new FundRuntime({
    mode: 'paper',
    engine,
    repos,
    bus: o.bus,
    clock,
    input: fundInputFor(
      {
        symbols,
        candleCounts,
        callDeadlineMs: config.sandbox.callDeadlineMs,
        hasAdvisor: orchestrator !== undefined,
        orchestrator: {
          cycleDeadlineMinutes: orchestration.cycleDeadlineMinutes,
          maxRevisions: orchestration.maxRevisions,
          cycleTokenReserve: orchestration.cycleTokenReserve,
          minPaperTestTrades: orchestration.minPaperTestTrades,
          paperTestDeadlineDays: orchestration.paperTestDeadlineDays,
          promotionMinPsr: orchestration.promotionMinPsr,
        },
      },
      clock.now(),
    ),
    strategy: {
      filePath: o.strategyFile ?? null,
      seed: { code: readFileSync(V001_SOURCE_PATH, 'utf8'), filename: 'v001.ts', description: 'seed strategy v001 (EMA 9/21 crossover, RSI 30–70, volume 1.2×, 2 % stop, 4 % target)' },
    },
    timeZone: config.general.timezone,
    calendar: zoneCalendar(config.general.timezone, {
      orchestration: [orchestration.startHour, orchestration.startMinute],
      maintenance: [orchestration.endHour, orchestration.endMinute],
      weekly: [0, 18, 0],
    }),
    appVersion: o.appVersion,
    connectFeed: (rt) => {
      void poll().then(
        () => rt.send({ type: 'feed.connected' }),
        (err: unknown) => rt.send({ type: 'feed.disconnected', reason: String(err) }),
      );
    },
    onSchedule: (type) => {
      if (type === 'schedule.scanDue' || type === 'schedule.monitorDue') void poll().catch((err: unknown) => o.report?.({ kind: 'feed.pollFailed', detail: String(err), nowMs: clock.now() }));
      // Data maintenance has its own schedule: it runs whether or not the night's orchestration did (predecessor §20.3).
      if (type === 'schedule.dataMaintenanceDue') {
        void runMaintenance(repos, config, clock.now()).then(
          (r) => o.report?.({ kind: 'data.maintained', detail: JSON.stringify(r).slice(0, 500), nowMs: clock.now() }),
          (err: unknown) => o.report?.({ kind: 'data.maintenanceFailed', detail: String(err), nowMs: clock.now() }),
        );
      }
    },
    ...(orchestrator ? { orchestrator } : {}),
    ...(o.inspect ? { inspect: o.inspect } : {}),
    ...(o.report ? { report: o.report } : {}),
  });
  await runtime.start();
  return {
    engine,
    advisorMode,
    runtime,
    poll,
    async stop(reason) {
      await polling?.catch(() => 0);
      await runtime.stop(reason);
      await runner.close();
    },
  };
}
