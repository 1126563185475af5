/**
 * The operator surface: one typed command/query API that Telegram and the HTTP API format
 * (STYLE 10; predecessor §13 and §15). Commands become machine events after `snapshot.can()`;
 * queries read the store, the books, the fund snapshot and the risk counters. Nothing here
 * throws: an unexpected failure (a store error, corrupt data) comes back as a refusal or a
 * failed query with its reason. Every command, accepted or refused, is recorded as an
 * `operator.commanded` event when a bus is wired in.
 */
import { randomBytes } from 'node:crypto';
import type { PredictionRow } from '../../adapters/libsql/index.ts';
import { describeError } from '../../machines/index.ts';
import { notifierEvent } from '../../domain/events/index.ts';
import { createStoreBooks } from './books.ts';
import { commandHandlers, type Outcome } from './commands.ts';
import { ConfirmationBook } from './confirm.ts';
import { type BenchmarksView, fundQueries, type PerformanceHistoryQuery, type TradesQuery } from './queries/fund.ts';
import { orchestratorQueries } from './queries/orchestrator.ts';
import { type ActivityQuery, type SignalsQuery, type StrategyDocVersionView, recordQueries } from './queries/records.ts';
import { describeState } from './state.ts';
import { TELEGRAM_COMMANDS } from './surface.ts';
import type { CommandResult, OperatorCommand, OperatorDeps, OperatorState, QueryResult } from './types.ts';
import type {
  ActivityView,
  AskContextView,
  CandidateSlotView,
  DailyPerformanceView,
  DailySnapshotView,
  HealthView,
  HelpView,
  OutlookView,
  PortfolioView,
  PositionView,
  RiskView,
  SignalView,
  StatusView,
  StrategyView,
  ThoughtView,
  ThoughtsView,
  TokensView,
  TradeView,
} from './views.ts';

/** The operator surface (see the module comment). */
export interface Operator {
  /** Runs a command; the result carries the reason of a refusal and the state after it. */
  execute(command: OperatorCommand): CommandResult;
  /** The fund's state as every reply reports it. */
  state(): OperatorState;

  /** `/start`, `/help`. */
  help(): QueryResult<HelpView>;
  /** `/status`, `GET /v1/system`. */
  status(): QueryResult<StatusView>;
  /** `/health`. */
  health(): QueryResult<HealthView>;
  /** `GET /v1/portfolio`. */
  portfolio(): QueryResult<PortfolioView>;
  /** `/positions`, `GET /v1/positions`. */
  positions(): QueryResult<PositionView[]>;
  /** `/trades` (last 10), `GET /v1/trades` (filters, limit ≤ 500). */
  trades(query?: TradesQuery): QueryResult<TradeView[]>;
  /** `/risk`, `GET /v1/risk`. */
  risk(): QueryResult<RiskView>;
  /** `/daily_performance`: today in the configured zone. */
  performance(): QueryResult<DailyPerformanceView>;
  /** `GET /v1/performance`: stored daily snapshots, newest first. */
  performanceHistory(query?: PerformanceHistoryQuery): QueryResult<DailySnapshotView[]>;
  /** `GET /v1/benchmarks`: every truth metric over the whole store. */
  benchmarks(): QueryResult<BenchmarksView>;
  /** `/strategy`, `GET /v1/strategy`. */
  strategy(): QueryResult<StrategyView>;
  /** `/tokens`, `GET /v1/ai/usage`. */
  tokens(): QueryResult<TokensView>;
  /** `/thoughts [list | <cycle id>]`. */
  thoughts(arg?: string): QueryResult<ThoughtsView>;
  /** `/thought <cycle id> <step>`. */
  thought(cycleId: string, step: string): QueryResult<ThoughtView>;
  /** `/outlook`: the latest observation, or null before the first. */
  outlook(): QueryResult<OutlookView | null>;
  /** `/candidates`, `GET /v1/candidates`. */
  candidates(): QueryResult<CandidateSlotView[]>;
  /** `GET /v1/activity`. */
  activity(query?: ActivityQuery): QueryResult<ActivityView[]>;
  /** `GET /v1/signals`. */
  signals(query?: SignalsQuery): QueryResult<SignalView[]>;
  /** `GET /v1/predictions`. */
  predictions(query?: { readonly limit?: number; readonly graded?: boolean }): QueryResult<PredictionRow[]>;
  /** `GET /v1/strategy-doc/versions`. */
  strategyDocVersions(limit?: number): QueryResult<StrategyDocVersionView[]>;
  /** `/ask`: the facts an answer is grounded on. */
  askContext(): QueryResult<AskContextView>;
}

/** Runs a query, turning an unexpected throw into a failed result with its reason. */
function attempt<V>(name: string, fn: () => V | QueryResult<V>, wrapped = false): QueryResult<V> {
  try {
    const value = fn();
    return wrapped ? (value as QueryResult<V>) : { ok: true, value: value as V };
  } catch (error) {
    return { ok: false, reason: `${name} failed: ${describeError(error)}` };
  }
}

/** Creates the operator surface over a fund actor, the store and a clock (see {@link OperatorDeps}). */
export function createOperator(deps: OperatorDeps): Operator {
  const { settings } = deps;
  const books = deps.books ?? createStoreBooks(deps.repos, { mode: settings.mode, timeZone: settings.timeZone, quoteCurrency: settings.quoteCurrency });
  const confirmations = new ConfirmationBook(settings.confirmationTtlMs, deps.newToken ?? (() => randomBytes(8).toString('hex')));
  const run = commandHandlers(deps, books, confirmations);
  const fund = fundQueries(deps, books);
  const orchestrator = orchestratorQueries(deps);
  const records = recordQueries(deps);
  const state = () => describeState(deps.fund.getSnapshot());

  const record = (command: OperatorCommand, outcome: Outcome, after: OperatorState) => {
    if (!deps.bus) return;
    const built = notifierEvent('operator.commanded', deps.clock.now(), {
      command: String(command.kind).slice(0, 50) || 'unknown',
      ok: outcome.ok,
      detail: outcome.ok ? outcome.message : outcome.reason,
      via: command.via?.trim().slice(0, 50) || 'operator',
      state: after.summary,
    });
    if (built.ok) deps.bus.publish(built.event);
  };

  return {
    execute(command) {
      let outcome: Outcome;
      try {
        outcome = run(command);
      } catch (error) {
        outcome = { ok: false, reason: `${String(command?.kind)} failed: ${describeError(error)}` };
      }
      let after: OperatorState;
      try {
        after = state();
      } catch (error) {
        after = { phase: 'unknown', trading: null, halt: null, pausedByOperator: false, strategy: { status: 'unknown', version: null }, paperTest: { status: 'unknown', candidateVersion: null }, feed: null, orchestrator: null, summary: `state unavailable: ${describeError(error)}` };
      }
      record(command, outcome, after);
      const kind = command?.kind;
      return outcome.ok
        ? { ok: true, command: kind, message: outcome.message, state: after }
        : { ok: false, command: kind, reason: outcome.reason, state: after, ...(outcome.confirmation ? { confirmation: outcome.confirmation } : {}) };
    },
    state,

    help: () =>
      attempt('help', () => ({
        banner: `Trading Brain ${settings.version} — ${settings.mode} mode`,
        mode: settings.mode,
        symbols: settings.symbols,
        commands: TELEGRAM_COMMANDS.map((c) => ({ command: c.command, args: c.args, description: c.description })),
      })),
    status: () => attempt('status', fund.status),
    health: () => attempt('health', fund.health),
    portfolio: () => attempt('portfolio', fund.portfolio),
    positions: () => attempt('positions', fund.positions),
    trades: (query) => attempt('trades', () => fund.trades(query)),
    risk: () => attempt('risk', fund.risk),
    performance: () => attempt('performance', fund.performance),
    performanceHistory: (query) => attempt('performance history', () => fund.performanceHistory(query)),
    benchmarks: () => attempt('benchmarks', fund.benchmarks),
    strategy: () => attempt('strategy', orchestrator.strategy),
    tokens: () => attempt('tokens', orchestrator.tokens),
    thoughts: (arg) => attempt('thoughts', () => orchestrator.thoughts(arg), true),
    thought: (cycleId, step) => attempt('thought', () => orchestrator.thought(cycleId, step), true),
    outlook: () => attempt('outlook', orchestrator.outlook),
    candidates: () => attempt('candidates', orchestrator.candidates),
    activity: (query) => attempt('activity', () => records.activity(query), true),
    signals: (query) => attempt('signals', () => records.signals(query), true),
    predictions: (query) => attempt('predictions', () => records.predictions(query)),
    strategyDocVersions: (limit) => attempt('strategy document versions', () => records.strategyDocVersions(limit)),
    askContext: () =>
      attempt('ask context', () => {
        const snapshot = deps.fund.getSnapshot();
        const activity = records.activity({ limit: 30 });
        return {
          portfolio: fund.portfolio(),
          risk: fund.risk(),
          state: describeState(snapshot),
          lastTrades: fund.trades({ limit: 5 }),
          outlook: orchestrator.outlook(),
          strategyVersion: snapshot.context.strategy.version,
          activity: activity.ok ? activity.value.map((a) => `${new Date(a.tsMs).toISOString()} ${a.category}/${a.severity} ${a.summary}`).reverse() : [],
        };
      }),
  };
}
