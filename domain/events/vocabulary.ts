/**
 * The closed vocabularies the notifier events use: activity categories and severities (the
 * activity log's CHECK lists), halt sources, close reasons, cycle outcomes. Kept here because
 * `domain/` imports nothing outside itself; tests check each list against its twin (the store's
 * enums, the fund and orchestrator machines' types). Pure data.
 */

/** Activity-log categories (the store's `ACTIVITY_CATEGORIES`; predecessor §14 plus `operator`). */
export const ACTIVITY_CATEGORIES = ['trade', 'risk', 'system', 'scan', 'orchestrator', 'strategy', 'candidate', 'operator'] as const;
/** One of {@link ACTIVITY_CATEGORIES}. */
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/** Activity-log severities, least severe first. */
export const ACTIVITY_SEVERITIES = ['info', 'warning', 'error'] as const;
/** One of {@link ACTIVITY_SEVERITIES}. */
export type ActivitySeverity = (typeof ACTIVITY_SEVERITIES)[number];

/** Who or what halted trading (the fund machine's `HaltSource`). */
export const HALT_SOURCES = ['risk', 'operator', 'killSwitch', 'system', 'rollbackFailed'] as const;
/** One of {@link HALT_SOURCES}. */
export type HaltSourceName = (typeof HALT_SOURCES)[number];

/** Why (part of) a position was closed, as stored with the trade (the store's `CLOSE_REASONS`). */
export const TRADE_CLOSE_REASONS = ['signal', 'stop_loss', 'take_profit', 'emergency', 'reconciliation', 'promotion', 'operator', 'rollback'] as const;
/** One of {@link TRADE_CLOSE_REASONS}. */
export type TradeCloseReason = (typeof TRADE_CLOSE_REASONS)[number];

/** How an orchestrator cycle ended (the orchestrator machine's `CycleOutcomeKind`). */
export const CYCLE_OUTCOMES = ['noChange', 'promoted', 'rejected', 'inconclusive', 'budgetExhausted', 'timedOut', 'failed'] as const;
/** One of {@link CYCLE_OUTCOMES}. */
export type CycleOutcomeName = (typeof CYCLE_OUTCOMES)[number];

/** The fund's trading states (the fund machine's `TradingState`). */
export const TRADING_STATES = ['active', 'paused', 'halted', 'reducing'] as const;
/** One of {@link TRADING_STATES}. */
export type TradingStateName = (typeof TRADING_STATES)[number];

/** Names of the risk tiers of a deployed version: 0 promotion, 1 tweak, 2 restructure, 3 overhaul (predecessor §14). */
export const RISK_TIER_NAMES = ['Promotion', 'Tweak', 'Restructure', 'Overhaul'] as const;

/** The tier name of `tier` (0..3), or 'Unknown' for null or anything else. Pure. */
export function riskTierName(tier: number | null): string {
  return tier !== null && Number.isInteger(tier) && tier >= 0 && tier < RISK_TIER_NAMES.length ? RISK_TIER_NAMES[tier]! : 'Unknown';
}
