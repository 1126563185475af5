/**
 * Which operator entry serves each predecessor Telegram command (§13) and Data API endpoint
 * (§15), plus the commands this design adds. Telegram and HTTP adapters format over these; the
 * tests check that every predecessor command and endpoint is served and that each entry names
 * a real query or command.
 */
import type { OperatorCommandKind } from './types.ts';

/** Names of the operator's queries (methods of `Operator` other than `execute` and `state`). */
export const QUERY_NAMES = [
  'help',
  'status',
  'health',
  'portfolio',
  'positions',
  'trades',
  'risk',
  'performance',
  'performanceHistory',
  'benchmarks',
  'strategy',
  'tokens',
  'thoughts',
  'thought',
  'outlook',
  'candidates',
  'activity',
  'signals',
  'predictions',
  'strategyDocVersions',
  'askContext',
] as const;
/** One of {@link QUERY_NAMES}. */
export type QueryName = (typeof QUERY_NAMES)[number];

/** What serves an entry point: a query or a command. */
export type Serves = { readonly query: QueryName } | { readonly command: OperatorCommandKind };

/** One Telegram command. `origin`: in the predecessor (REF/HEAD) or new here. */
export interface TelegramCommandSpec {
  readonly command: string;
  readonly args: string;
  readonly description: string;
  readonly serves: Serves;
  readonly origin: 'predecessor' | 'new';
}

/** Every Telegram command, predecessor's first (§13 order), then the new ones. */
export const TELEGRAM_COMMANDS: readonly TelegramCommandSpec[] = Object.freeze([
  { command: '/start', args: '', description: 'Version banner, mode, symbols and this list.', serves: { query: 'help' }, origin: 'predecessor' },
  { command: '/help', args: '', description: 'Same as /start.', serves: { query: 'help' }, origin: 'predecessor' },
  { command: '/status', args: '', description: 'Mode, ACTIVE / PAUSED / HALTED (reason), last scan, uptime.', serves: { query: 'status' }, origin: 'predecessor' },
  { command: '/health', args: '', description: 'Value, cash, return vs contributions, drawdown, W/L, win rate, expectancy, fees, strategy, last cycle, days since last trade.', serves: { query: 'health' }, origin: 'predecessor' },
  { command: '/outlook', args: '', description: 'The latest observation of the orchestrator.', serves: { query: 'outlook' }, origin: 'predecessor' },
  { command: '/positions', args: '', description: 'Open positions marked at their latest price, with SL/TP.', serves: { query: 'positions' }, origin: 'predecessor' },
  { command: '/trades', args: '', description: 'The last 10 closed trades.', serves: { query: 'trades' }, origin: 'predecessor' },
  { command: '/risk', args: '', description: 'Limits and the live counters; halted and why.', serves: { query: 'risk' }, origin: 'predecessor' },
  { command: '/daily_performance', args: '', description: "Today's (local day) performance and closed trades.", serves: { query: 'performance' }, origin: 'predecessor' },
  { command: '/strategy', args: '', description: 'The live strategy, its hash and first lines, the paper test.', serves: { query: 'strategy' }, origin: 'predecessor' },
  { command: '/tokens', args: '', description: "Today's tokens against the daily limit, cost, per model.", serves: { query: 'tokens' }, origin: 'predecessor' },
  { command: '/ask', args: '<question>', description: 'A short answer grounded on the fund state (the advisor answers; this gathers the grounding).', serves: { query: 'askContext' }, origin: 'predecessor' },
  { command: '/thoughts', args: '[list | <cycle id>]', description: "The latest cycle's steps, the last 10 cycles, or one cycle's steps.", serves: { query: 'thoughts' }, origin: 'predecessor' },
  { command: '/thought', args: '<cycle id> <step>', description: 'One stored AI response in full.', serves: { query: 'thought' }, origin: 'predecessor' },
  { command: '/orchestrate', args: '', description: 'Start an orchestration cycle now (refused while one runs).', serves: { command: 'orchestrate' }, origin: 'predecessor' },
  { command: '/reflect_tonight', args: '', description: 'Run a reflection at the start of the next cycle.', serves: { command: 'reflectTonight' }, origin: 'predecessor' },
  { command: '/candidates', args: '', description: 'Candidate slots: version, value, P&L, trades, win rate.', serves: { query: 'candidates' }, origin: 'predecessor' },
  { command: '/pause', args: '', description: 'No new entries; exits, stops and candidates keep running.', serves: { command: 'pause' }, origin: 'predecessor' },
  { command: '/resume', args: '', description: 'Leave paused or halted (the only way out of halted).', serves: { command: 'resume' }, origin: 'predecessor' },
  { command: '/kill', args: '', description: 'Close every position and stay halted until /resume.', serves: { command: 'kill' }, origin: 'predecessor' },
  { command: '/halt', args: '[reason]', description: 'Halt trading (no new entries) until /resume.', serves: { command: 'halt' }, origin: 'new' },
  { command: '/close', args: '<tag>', description: 'Close one position by its tag.', serves: { command: 'closePosition' }, origin: 'new' },
  { command: '/deposit', args: '<amount> [note]', description: 'Record a deposit (exact amount, quote currency).', serves: { command: 'deposit' }, origin: 'new' },
  { command: '/withdraw', args: '<amount> [note]', description: 'Record a withdrawal (at most the cash).', serves: { command: 'withdraw' }, origin: 'new' },
  { command: '/veto', args: '<slot> [reason]', description: 'Cancel a candidate (and its shadow test).', serves: { command: 'vetoCandidate' }, origin: 'new' },
  { command: '/force', args: '<slot> [confirmation]', description: 'Promote a candidate without the gate; asks for a confirmation first.', serves: { command: 'forceCandidate' }, origin: 'new' },
] satisfies TelegramCommandSpec[]);

/** One Data API endpoint (read-only, as the predecessor's). */
export interface ApiEndpointSpec {
  readonly method: 'GET';
  readonly path: string;
  readonly params: string;
  readonly serves: Serves;
}

/** Every REST endpoint of predecessor §15 (HEAD) with the query behind it (`/metrics` and the WebSocket streams are the API's own). */
export const API_ENDPOINTS: readonly ApiEndpointSpec[] = Object.freeze([
  { method: 'GET', path: '/v1/system', params: '', serves: { query: 'status' } },
  { method: 'GET', path: '/v1/portfolio', params: '', serves: { query: 'portfolio' } },
  { method: 'GET', path: '/v1/positions', params: '', serves: { query: 'positions' } },
  { method: 'GET', path: '/v1/trades', params: 'limit (50, ≤500), since, until, symbol', serves: { query: 'trades' } },
  { method: 'GET', path: '/v1/performance', params: 'from, to (dates), limit (≤365)', serves: { query: 'performanceHistory' } },
  { method: 'GET', path: '/v1/risk', params: '', serves: { query: 'risk' } },
  { method: 'GET', path: '/v1/signals', params: 'limit (50, ≤500), since, until, symbol, action', serves: { query: 'signals' } },
  { method: 'GET', path: '/v1/strategy', params: '', serves: { query: 'strategy' } },
  { method: 'GET', path: '/v1/ai/usage', params: '', serves: { query: 'tokens' } },
  { method: 'GET', path: '/v1/benchmarks', params: '', serves: { query: 'benchmarks' } },
  { method: 'GET', path: '/v1/activity', params: 'limit (50, ≤500), since, until, category, severity', serves: { query: 'activity' } },
  { method: 'GET', path: '/v1/candidates', params: '', serves: { query: 'candidates' } },
  { method: 'GET', path: '/v1/predictions', params: 'limit (50, ≤500), graded', serves: { query: 'predictions' } },
  { method: 'GET', path: '/v1/strategy-doc/versions', params: 'limit (20, ≤100)', serves: { query: 'strategyDocVersions' } },
] satisfies ApiEndpointSpec[]);
