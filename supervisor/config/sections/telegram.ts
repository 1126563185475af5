import { boolean, section, userIdList } from '../fields.ts';

/**
 * One switch per notifier event: does it also go to Telegram? (The WebSocket stream and the
 * activity log always get every event.) Names and defaults follow the predecessor's events
 * (reference/predecessor.md §14); `paper_test_inconclusive` and `websocket_feed_restored` are new.
 */
const NOTIFICATIONS = {
  trade_executed: [true, 'A fund order filled (entry, exit, partial).'],
  stop_triggered: [true, 'A stop-loss or take-profit closed (part of) a position.'],
  signal_rejected: [false, 'A strategy signal was refused by a risk check.'],
  risk_halt: [true, 'Trading halted (risk breach or kill switch); only an operator resume leaves it.'],
  risk_resumed: [true, 'An operator resumed trading after a halt.'],
  strategy_rollback: [true, 'A rollback trigger fired and the fund reverted to the previous strategy version.'],
  scan_complete: [false, 'A scan finished (symbols scanned, signals produced).'],
  strategy_deployed: [true, 'A strategy version became the fund\'s live strategy.'],
  paper_test_started: [false, 'A candidate\'s shadow paper test started.'],
  paper_test_completed: [false, 'A candidate\'s shadow paper test ended with a verdict.'],
  paper_test_inconclusive: [false, 'A shadow paper test reached its deadline with too few trades.'],
  orchestrator_cycle_started: [false, 'The AI cycle started.'],
  orchestrator_cycle_completed: [false, 'The AI cycle ended (with its decision).'],
  daily_summary: [true, 'The daily summary report.'],
  weekly_report: [true, 'The weekly report.'],
  system_online: [true, 'The fund started and is trading-ready.'],
  system_shutdown: [true, 'The fund is shutting down.'],
  system_error: [true, 'An error that needs attention.'],
  websocket_feed_lost: [true, 'The market-data feed is lost (retrying continues).'],
  websocket_feed_restored: [true, 'The market-data feed is back.'],
  candidate_created: [true, 'A candidate strategy took a slot.'],
  candidate_canceled: [true, 'A candidate was canceled.'],
  candidate_promoted: [true, 'A candidate was promoted to the fund.'],
  candidate_trade_executed: [true, 'A candidate\'s shadow order filled.'],
  candidate_stop_triggered: [true, 'A candidate\'s shadow stop-loss or take-profit fired.'],
  reflection_completed: [true, 'A reflection graded predictions and rewrote the strategy document.'],
} as const satisfies Record<string, readonly [boolean, string]>;

/** Notifier event names that have a Telegram switch, in config order. */
export type NotificationEvent = keyof typeof NOTIFICATIONS;
export const NOTIFICATION_EVENTS = Object.keys(NOTIFICATIONS) as NotificationEvent[];

type Switches = { [K in NotificationEvent]: ReturnType<typeof boolean> };
const switches = Object.fromEntries(
  NOTIFICATION_EVENTS.map((event) => {
    const [on, doc] = NOTIFICATIONS[event];
    return [event, boolean({ default: on, doc })];
  }),
) as Switches;

/** `[telegram]`: the bot, who may command it, and which events it announces. */
export const telegram = section('The Telegram bot (TELEGRAM_BOT_TOKEN) and its alerts (sent to TELEGRAM_CHAT_ID).', {
  enabled: boolean({ default: true, doc: 'Run the bot. Without TELEGRAM_BOT_TOKEN it stays off (a warning says so).' }),
  allowed_user_ids: userIdList({
    maxItems: 100,
    doc: 'Telegram user ids allowed to issue commands; empty means nobody (everyone else is ignored).',
  }),
  notifications: section('Which events are also sent to Telegram (the WebSocket stream gets every event).', switches),
});
