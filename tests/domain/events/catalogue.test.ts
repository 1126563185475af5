/**
 * The notifier event catalogue: complete against predecessor §14 and the config's switches,
 * consistent with the store's vocabularies, strict schemas with clear reasons, summaries.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ACTIVITY_CATEGORIES as STORE_CATEGORIES, ACTIVITY_SEVERITIES as STORE_SEVERITIES, CLOSE_REASONS } from '../../../adapters/libsql/index.ts';
import {
  ACTIVITY_CATEGORIES,
  ACTIVITY_SEVERITIES,
  type CycleOutcomeName,
  EVENT_CATALOGUE,
  type HaltSourceName,
  NOTIFICATION_SWITCHES,
  NOTIFIER_EVENT_TYPES,
  TRADE_CLOSE_REASONS,
  TRADING_STATES,
  type TradingStateName,
  clipText,
  formatFraction,
  notifierEvent,
  parseNotifierEvent,
  recordsActivity,
  riskTierName,
  severityOf,
  specOf,
  summarizeEvent,
} from '../../../domain/events/index.ts';
import { FUND_COMMAND_TABLE, type HaltSource, type TradingState } from '../../../machines/fund.ts';
import type { CycleOutcomeKind } from '../../../machines/orchestrator.ts';
import { NOTIFICATION_EVENTS, defaultConfig } from '../../../supervisor/config/index.ts';
import { SAMPLE_DATA, T, sample } from './samples.ts';

/**
 * Predecessor §14 (HEAD): event → activity category/severity. New here: paper_test_inconclusive
 * and websocket_feed_restored (this design), whose rows follow their siblings.
 */
const PREDECESSOR_14: Record<string, [string, string]> = {
  trade_executed: ['trade', 'info'],
  stop_triggered: ['trade', 'warning'],
  signal_rejected: ['risk', 'info'],
  risk_halt: ['risk', 'error'],
  risk_resumed: ['risk', 'info'],
  strategy_rollback: ['risk', 'error'],
  scan_complete: ['scan', 'info'],
  strategy_deployed: ['strategy', 'info'],
  paper_test_started: ['strategy', 'info'],
  paper_test_completed: ['strategy', 'info'],
  orchestrator_cycle_started: ['orchestrator', 'info'],
  orchestrator_cycle_completed: ['orchestrator', 'info'],
  daily_summary: ['orchestrator', 'info'],
  weekly_report: ['orchestrator', 'info'],
  system_online: ['system', 'info'],
  system_shutdown: ['system', 'info'],
  system_error: ['system', 'error'],
  websocket_feed_lost: ['system', 'error'],
  candidate_created: ['strategy', 'info'],
  candidate_canceled: ['strategy', 'info'],
  candidate_promoted: ['strategy', 'info'],
  candidate_trade_executed: ['candidate', 'info'],
  candidate_stop_triggered: ['candidate', 'warning'],
  reflection_completed: ['orchestrator', 'info'],
};

describe('the catalogue is complete', () => {
  it("has one switch per config notification, in the config's order", () => {
    expect(NOTIFICATION_SWITCHES).toEqual(NOTIFICATION_EVENTS);
    expect(new Set(NOTIFICATION_SWITCHES).size).toBe(NOTIFICATION_SWITCHES.length);
    // Every frozen config key exists for every switch (camelCased by the config layer).
    const keys = Object.keys(defaultConfig().telegram.notifications);
    expect(keys).toHaveLength(NOTIFICATION_SWITCHES.length);
  });

  it('covers every predecessor §14 event with its category and severity', () => {
    for (const [name, [category, severity]] of Object.entries(PREDECESSOR_14)) {
      const entry = Object.entries(EVENT_CATALOGUE).find(([, spec]) => spec.notification === name);
      expect(entry, name).toBeDefined();
      expect([entry![1].category, entry![1].severity], name).toEqual([category, severity]);
    }
    expect(NOTIFICATION_SWITCHES).toContain('paper_test_inconclusive');
    expect(NOTIFICATION_SWITCHES).toContain('websocket_feed_restored');
  });

  it('uses the store vocabularies and the machines types', () => {
    expect([...ACTIVITY_CATEGORIES]).toEqual([...STORE_CATEGORIES]);
    expect([...ACTIVITY_SEVERITIES]).toEqual([...STORE_SEVERITIES]);
    expect([...TRADE_CLOSE_REASONS]).toEqual([...CLOSE_REASONS]);
    expect([...TRADING_STATES].sort()).toEqual(Object.keys(FUND_COMMAND_TABLE).sort());
    expectTypeOf<HaltSourceName>().toEqualTypeOf<HaltSource>();
    expectTypeOf<CycleOutcomeName>().toEqualTypeOf<CycleOutcomeKind>();
    expectTypeOf<TradingStateName>().toEqualTypeOf<TradingState>();
    for (const type of NOTIFIER_EVENT_TYPES) {
      expect(ACTIVITY_CATEGORIES).toContain(specOf({ type }).category);
      expect(ACTIVITY_SEVERITIES).toContain(specOf({ type }).severity);
      expect(specOf({ type }).description.length).toBeGreaterThan(10);
    }
  });

  it('every type has a valid sample whose summary is one non-empty line', () => {
    expect(Object.keys(SAMPLE_DATA)).toEqual(NOTIFIER_EVENT_TYPES);
    for (const type of NOTIFIER_EVENT_TYPES) {
      const built = notifierEvent(type, T, SAMPLE_DATA[type] as never);
      expect(built, type).toMatchObject({ ok: true });
      const line = summarizeEvent(sample(type));
      expect(line.length, type).toBeGreaterThan(5);
      expect(line).not.toMatch(/\n/);
    }
  });
});

describe('building and parsing events', () => {
  it('refuses bad data with a reason naming the field and what is allowed', () => {
    const bad = notifierEvent('trade.executed', T, { ...SAMPLE_DATA['trade.executed'], quantity: '0', symbol: 'btcusd' });
    expect(bad.ok).toBe(false);
    const reason = (bad as { reason: string }).reason;
    expect(reason).toMatch(/quantity: must be > 0/);
    expect(reason).toMatch(/symbol: must be a pair like "BTC\/USD"/);

    expect(notifierEvent('scan.completed', 1.5, { symbolCount: 1, signalCount: 0 })).toEqual({
      ok: false,
      reason: 'scan.completed: tsEvent must be integer ms since epoch, got 1.5',
    });
    // Money is exact canonical text: no exponent, no trailing zeros, no floats.
    for (const price of ['1e3', '66000.50', '0x10', ' 1']) {
      expect(notifierEvent('trade.executed', T, { ...SAMPLE_DATA['trade.executed'], price }).ok, price).toBe(false);
    }
    expect(notifierEvent('trade.executed', T, { ...SAMPLE_DATA['trade.executed'], price: 66000 as unknown as string }).ok).toBe(false);
  });

  it('is strict: unknown fields and unknown types are refused', () => {
    expect(parseNotifierEvent({ type: 'system.shutdownStarted', tsEvent: T, data: { reason: 'x', extra: 1 } })).toMatchObject({ ok: false });
    const unknown = parseNotifierEvent({ type: 'rollback', tsEvent: T, data: {} });
    expect(unknown.ok).toBe(false);
    expect((unknown as { reason: string }).reason).toMatch(/^type: must be one of trade\.executed, stop\.triggered, .*; got "rollback"$/);
    expect(parseNotifierEvent(null)).toMatchObject({ ok: false });
  });

  it('round-trips through JSON', () => {
    for (const type of NOTIFIER_EVENT_TYPES) {
      const parsed = parseNotifierEvent(JSON.parse(JSON.stringify(sample(type))));
      expect(parsed, type).toEqual({ ok: true, event: sample(type) });
    }
  });

  it('clips long text instead of losing the event', () => {
    const long = 'x'.repeat(700);
    const built = notifierEvent('system.errorOccurred', T, { source: 'scan', message: long });
    expect(built.ok).toBe(true);
    const message = (built as { event: { data: { message: string } } }).event.data.message;
    expect(message).toHaveLength(500);
    expect(message.endsWith('…')).toBe(true);
    expect(clipText('abc', 3)).toBe('abc');
    expect(clipText('abcd', 3)).toBe('ab…');
  });
});

describe('severity, logging and summaries', () => {
  it('raises severity where the data says worse', () => {
    expect(severityOf(sample('operator.commanded'))).toBe('info');
    const refused = { type: 'operator.commanded', tsEvent: T, data: { ...SAMPLE_DATA['operator.commanded'], ok: false } } as const;
    expect(severityOf(refused)).toBe('warning');
    const failed = { type: 'orchestrator.cycleCompleted', tsEvent: T, data: { ...SAMPLE_DATA['orchestrator.cycleCompleted'], outcome: 'failed' } } as const;
    expect(severityOf(failed)).toBe('warning');
    expect(severityOf(sample('risk.halted'))).toBe('error');
  });

  it('logs every event except scans without signals', () => {
    for (const type of NOTIFIER_EVENT_TYPES) expect(recordsActivity(sample(type)), type).toBe(true);
    expect(recordsActivity({ type: 'scan.completed', tsEvent: T, data: { symbolCount: 3, signalCount: 0 } })).toBe(false);
  });

  it('writes exact, hand-checked summaries', () => {
    // pnlFraction 0.0153 × 100 = 1.53 %
    expect(summarizeEvent(sample('trade.executed'))).toBe('CLOSE 0.01 BTC/USD @ 66000 [auto_BTCUSD_001] fee 1.716 P&L +9.74 (+1.53%) (signal)');
    expect(summarizeEvent(sample('stop.triggered'))).toBe('stop-loss hit: 0.5 ETH/USD @ 2940 [auto_ETHUSD_002] P&L -31.2');
    expect(summarizeEvent(sample('strategy.rolledBack'))).toBe('strategy rolled back from v002 to v001: daily drop 6% ≥ rollback limit 5%');
    expect(summarizeEvent(sample('candidate.tradeExecuted'))).toMatch(/^candidate slot 1: CLOSE 0\.01 BTC\/USD/);
    // 95,000 ms = 95 s
    expect(summarizeEvent(sample('feed.restored'))).toBe('market-data feed restored after 95 s');
    expect(summarizeEvent(sample('strategy.deployed'))).toBe('strategy v002 deployed (Tweak): RSI band 30–70 → 35–65');
    expect(formatFraction('-0.004')).toBe('-0.40%');
    expect(formatFraction('0')).toBe('0.00%');
    expect(riskTierName(0)).toBe('Promotion');
    expect(riskTierName(null)).toBe('Unknown');
    expect(riskTierName(7)).toBe('Unknown');
  });
});
