/**
 * Subscriber filters. Telegram gets an event only when its `[telegram.notifications]` switch is
 * on (predecessor §14: per-event flags; the WebSocket stream gets everything).
 */
import { EVENT_CATALOGUE, type NotifierEvent, type NotifierEventType } from '../../domain/events/index.ts';
import type { TelegramConfig } from '../config/index.ts';

/** `trade_executed` → `tradeExecuted` (the frozen config's key for a brain.toml switch). */
function configKey(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The Telegram filter for the configured switches (`config.telegram.notifications`): true when
 * the event's switch is on; false for events without a switch (operator command records).
 * Throws at construction when a catalogue switch has no config key (the two lists drifted: a
 * programmer error, caught by the tests).
 */
export function telegramFilter(switches: TelegramConfig['notifications']): (event: NotifierEvent) => boolean {
  const table = switches as unknown as Readonly<Record<string, boolean>>;
  const on = new Set<NotifierEventType>();
  const missing: string[] = [];
  for (const [type, spec] of Object.entries(EVENT_CATALOGUE) as [NotifierEventType, { notification: string | null }][]) {
    if (spec.notification === null) continue;
    const value = table[configKey(spec.notification)];
    if (typeof value !== 'boolean') missing.push(spec.notification);
    else if (value) on.add(type);
  }
  if (missing.length > 0) {
    throw new Error(`telegram notification switches missing from the configuration: ${missing.join(', ')} (expected under [telegram.notifications])`);
  }
  return (event) => on.has(event.type);
}
