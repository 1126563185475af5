/**
 * The event catalogue: for every notifier event type, its Telegram switch (the config key under
 * `[telegram.notifications]`, named as the predecessor's event), its activity-log category and
 * severity (predecessor §14, HEAD), and what it means. Pure data plus lookups.
 */
import type { NotifierEvent, NotifierEventType } from './schemas.ts';
import type { ActivityCategory, ActivitySeverity } from './vocabulary.ts';

/** What the catalogue says about one event type. */
export interface EventSpec {
  /**
   * The `[telegram.notifications]` switch that decides whether the event also goes to Telegram
   * (snake_case, as in brain.toml); null for events that are never sent there.
   */
  readonly notification: string | null;
  readonly category: ActivityCategory;
  readonly severity: ActivitySeverity;
  /** One sentence: what happened. */
  readonly description: string;
}

/**
 * Every event type, in the order of the config's notification switches (`operator.commanded`,
 * which has no switch, last). Category and severity follow the predecessor's activity log
 * (HEAD) where it had the event.
 */
export const EVENT_CATALOGUE = Object.freeze({
  'trade.executed': { notification: 'trade_executed', category: 'trade', severity: 'info', description: 'A fund order filled (entry, exit or partial exit).' },
  'stop.triggered': { notification: 'stop_triggered', category: 'trade', severity: 'warning', description: 'A stop-loss or take-profit closed (part of) a position.' },
  'signal.rejected': { notification: 'signal_rejected', category: 'risk', severity: 'info', description: 'A strategy signal was refused by a risk check.' },
  'risk.halted': { notification: 'risk_halt', category: 'risk', severity: 'error', description: 'Trading halted (risk breach, kill switch, operator, system or failed rollback); only an operator resume leaves it.' },
  'risk.resumed': { notification: 'risk_resumed', category: 'risk', severity: 'info', description: 'An operator resumed trading.' },
  'strategy.rolledBack': { notification: 'strategy_rollback', category: 'risk', severity: 'error', description: 'A rollback trigger fired and the fund reverted to the previous strategy version (a real revert).' },
  'scan.completed': { notification: 'scan_complete', category: 'scan', severity: 'info', description: 'A scan finished (symbols scanned, signals produced).' },
  'strategy.deployed': { notification: 'strategy_deployed', category: 'strategy', severity: 'info', description: "A strategy version became the fund's live strategy." },
  'paperTest.started': { notification: 'paper_test_started', category: 'strategy', severity: 'info', description: "A candidate's shadow paper test started." },
  'paperTest.completed': { notification: 'paper_test_completed', category: 'strategy', severity: 'info', description: "A candidate's shadow paper test ended with a verdict (passed or failed)." },
  'paperTest.inconclusive': { notification: 'paper_test_inconclusive', category: 'strategy', severity: 'info', description: 'A shadow paper test reached its deadline with too few trades; the incumbent stays.' },
  'orchestrator.cycleStarted': { notification: 'orchestrator_cycle_started', category: 'orchestrator', severity: 'info', description: 'The AI cycle started.' },
  'orchestrator.cycleCompleted': { notification: 'orchestrator_cycle_completed', category: 'orchestrator', severity: 'info', description: 'The AI cycle ended (with its outcome).' },
  'report.dailyPublished': { notification: 'daily_summary', category: 'orchestrator', severity: 'info', description: 'The daily summary report.' },
  'report.weeklyPublished': { notification: 'weekly_report', category: 'orchestrator', severity: 'info', description: 'The weekly report.' },
  'system.online': { notification: 'system_online', category: 'system', severity: 'info', description: 'The fund started and is trading-ready.' },
  'system.shutdownStarted': { notification: 'system_shutdown', category: 'system', severity: 'info', description: 'The fund is shutting down.' },
  'system.errorOccurred': { notification: 'system_error', category: 'system', severity: 'error', description: 'An error that needs attention.' },
  'feed.lost': { notification: 'websocket_feed_lost', category: 'system', severity: 'error', description: 'The market-data feed is lost (retrying continues).' },
  'feed.restored': { notification: 'websocket_feed_restored', category: 'system', severity: 'info', description: 'The market-data feed is back.' },
  'candidate.created': { notification: 'candidate_created', category: 'strategy', severity: 'info', description: 'A candidate strategy took a slot.' },
  'candidate.canceled': { notification: 'candidate_canceled', category: 'strategy', severity: 'info', description: 'A candidate was canceled (by the orchestrator or an operator veto).' },
  'candidate.promoted': { notification: 'candidate_promoted', category: 'strategy', severity: 'info', description: 'A candidate was promoted to the fund (through the gate, or forced by the operator).' },
  'candidate.tradeExecuted': { notification: 'candidate_trade_executed', category: 'candidate', severity: 'info', description: "A candidate's shadow order filled." },
  'candidate.stopTriggered': { notification: 'candidate_stop_triggered', category: 'candidate', severity: 'warning', description: "A candidate's shadow stop-loss or take-profit fired." },
  'reflection.completed': { notification: 'reflection_completed', category: 'orchestrator', severity: 'info', description: 'A reflection graded predictions and rewrote the strategy document.' },
  'operator.commanded': { notification: null, category: 'operator', severity: 'info', description: 'An operator command was accepted or refused (the reply went to the operator directly).' },
} as const satisfies Record<NotifierEventType, EventSpec>);

/** The Telegram switch names of the catalogue, in catalogue order (equal to the config's `NOTIFICATION_EVENTS`). */
export const NOTIFICATION_SWITCHES: readonly string[] = Object.freeze(
  Object.values(EVENT_CATALOGUE as Record<string, EventSpec>).flatMap((spec) => (spec.notification === null ? [] : [spec.notification])),
);

/** The catalogue entry of `event`'s type. Pure. */
export function specOf(event: Pick<NotifierEvent, 'type'>): EventSpec {
  return EVENT_CATALOGUE[event.type];
}

/**
 * Severity of one event: the catalogue's, raised where the data says worse — a refused operator
 * command is a warning, and so is a cycle that failed or timed out. Pure.
 */
export function severityOf(event: NotifierEvent): ActivitySeverity {
  if (event.type === 'operator.commanded' && !event.data.ok) return 'warning';
  if (event.type === 'orchestrator.cycleCompleted' && (event.data.outcome === 'failed' || event.data.outcome === 'timedOut')) return 'warning';
  return EVENT_CATALOGUE[event.type].severity;
}

/**
 * Whether the event gets a line in the activity log. Everything does, except a scan that
 * produced no signal (predecessor HEAD: one line per scan would drown the timeline — 288 a
 * day); it still reaches the live stream and the subscribers. Pure.
 */
export function recordsActivity(event: NotifierEvent): boolean {
  return !(event.type === 'scan.completed' && event.data.signalCount === 0);
}
