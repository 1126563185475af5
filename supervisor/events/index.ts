/**
 * The event bus (the notifier port's implementation): persist to the activity log, then fan out
 * to subscribers with per-event filters (Telegram switches), failures isolated, recent events
 * kept for WebSocket backfill.
 */
export { type BusFailure, type BusLogger, DEFAULT_RECENT_CAPACITY, type EventBusOptions, createEventBus, logBusFailures } from './bus.ts';
export { activityRowFor } from './activity.ts';
export { telegramFilter } from './filters.ts';
export { RecentBuffer } from './recent.ts';
