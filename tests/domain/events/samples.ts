/**
 * One valid event of every notifier type (hand-written; numbers are illustrative, each checked
 * where a test relies on it). `T` is Monday 2026-01-05 12:00:00 UTC.
 */
import type { NotifierEvent, NotifierEventInput, NotifierEventType } from '../../../domain/events/index.ts';

export const T = Date.UTC(2026, 0, 5, 12, 0, 0);

const trade = {
  symbol: 'BTC/USD',
  tag: 'auto_BTCUSD_001',
  action: 'CLOSE',
  quantity: '0.01',
  price: '66000',
  fee: '1.716',
  intent: 'SWING',
  pnl: '9.74',
  pnlFraction: '0.0153',
  closeReason: 'signal',
  strategyVersion: 'v001',
} as const;

const stop = { symbol: 'ETH/USD', tag: 'auto_ETHUSD_002', trigger: 'stopLoss', price: '2940', quantity: '0.5', pnl: '-31.2' } as const;

/** Data of one sample event per type. */
export const SAMPLE_DATA: { [T in NotifierEventType]: NotifierEventInput<T> } = {
  'trade.executed': trade,
  'stop.triggered': stop,
  'signal.rejected': { symbol: 'SOL/USD', action: 'BUY', tag: null, reason: 'max_positions: 3 positions open, limit 3' },
  'risk.halted': { source: 'risk', reason: 'drawdown 16% exceeds max_drawdown_pct 15%' },
  'risk.resumed': { clearedHalt: { source: 'operator', reason: 'maintenance' } },
  'strategy.rolledBack': { fromVersion: 'v002', toVersion: 'v001', trigger: 'daily drop 6% ≥ rollback limit 5%' },
  'scan.completed': { symbolCount: 3, signalCount: 1 },
  'strategy.deployed': { version: 'v002', riskTier: 1, changes: 'RSI band 30–70 → 35–65' },
  'paperTest.started': { candidateVersion: 'v003_candidate', slot: 1, durationMs: 7 * 86_400_000, deadlineMs: T + 7 * 86_400_000, minTrades: 5 },
  'paperTest.completed': { candidateVersion: 'v003_candidate', verdict: 'passed', trades: 12, pnl: '14.2', psr: 0.97 },
  'paperTest.inconclusive': { candidateVersion: 'v003_candidate', trades: 2, minTrades: 5, pnl: '-1.5' },
  'orchestrator.cycleStarted': { cycleId: 'cycle-1767614400000', source: 'schedule' },
  'orchestrator.cycleCompleted': { cycleId: 'cycle-1767614400000', outcome: 'noChange', reason: 'nothing to change', candidateVersion: null },
  'report.dailyPublished': { date: '2026-01-05', text: 'Portfolio 201.40 (+0.7%), 2 trades (1W/1L).' },
  'report.weeklyPublished': { weekEnding: '2026-01-11', text: 'Week P&L +3.10, 9 trades.' },
  'system.online': { mode: 'paper', version: '0.1.0', portfolioValue: '200', positions: 0, strategyVersion: 'v001', trading: 'active' },
  'system.shutdownStarted': { reason: 'SIGTERM' },
  'system.errorOccurred': { source: 'scan', message: 'Kraken OHLC timed out after 30 s' },
  'feed.lost': { attempts: 5, lastError: 'socket hang up' },
  'feed.restored': { downForMs: 95_000 },
  'candidate.created': { slot: 1, version: 'v003_candidate', evaluationDays: 7, description: 'wider stops' },
  'candidate.canceled': { slot: 1, version: 'v003_candidate', reason: 'operator veto', by: 'operator' },
  'candidate.promoted': { slot: 1, version: 'v003_candidate', forced: false },
  'candidate.tradeExecuted': { ...trade, tag: 'c1_BTCUSD_001', slot: 1 },
  'candidate.stopTriggered': { ...stop, tag: 'c1_ETHUSD_001', slot: 1 },
  'reflection.completed': { predictionsGraded: 4, newPredictions: 2, summary: 'regime calls were late' },
  'operator.commanded': { command: 'pause', ok: true, detail: 'trading paused', via: 'telegram', state: 'running, trading paused' },
};

/** One sample event of `type` at `tsEvent` (default T). */
export function sample<K extends NotifierEventType>(type: K, tsEvent = T): NotifierEvent {
  return { type, tsEvent, data: SAMPLE_DATA[type] } as unknown as NotifierEvent;
}
