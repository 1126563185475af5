/**
 * Validates pipeline settings once and precomputes what the hot path reads. Pure.
 */
import { SYMBOL_RE, parseRiskLimits } from '../contract/index.ts';
import { tickOf } from '../execution/index.ts';
import { ZERO, fromString, toString } from '../money/index.ts';
import { isValidTimeZone } from '../time/index.ts';
import { feeScheduleProblem } from './fees.ts';
import { approx } from './price.ts';
import type { PipelineConfig, PipelineSettings } from './types.ts';

/** Default lifetime of a resting LIMIT order: 1 hour. */
export const DEFAULT_LIMIT_ORDER_TTL_MS = 60 * 60 * 1000;

/** Thrown for unusable settings: a programmer or configuration error, named precisely. */
export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
}

const ONE_HALF = fromString('0.5');

/**
 * Checks every setting and returns the frozen config. Throws `PipelineConfigError` listing every
 * problem: duplicate or malformed symbols, invalid pair rules, a spread outside [0, 0.5), invalid
 * risk limits, an unknown time zone, a bad fee schedule, a negative slippage or a non-positive TTL.
 */
export function createPipelineConfig(settings: PipelineSettings): PipelineConfig {
  const problems: string[] = [];
  const indexOf = new Map<string, number>();
  if (settings.markets.length === 0) problems.push('markets: at least one market is required');
  settings.markets.forEach((m, i) => {
    if (!SYMBOL_RE.test(m.symbol)) problems.push(`markets[${i}].symbol: must be a pair like "BTC/USD", got ${JSON.stringify(m.symbol)}`);
    if (indexOf.has(m.symbol)) problems.push(`markets[${i}].symbol: ${m.symbol} appears twice`);
    indexOf.set(m.symbol, i);
    if (m.spread < ZERO || m.spread >= ONE_HALF) problems.push(`markets[${i}].spread: must be a fraction in [0, 0.5), got ${toString(m.spread)}`);
    const r = m.rules;
    if (!Number.isInteger(r.lotDecimals) || r.lotDecimals < 0 || r.lotDecimals > 18) problems.push(`markets[${i}].rules.lotDecimals: must be an integer in 0..18, got ${r.lotDecimals}`);
    if (r.orderMin < ZERO) problems.push(`markets[${i}].rules.orderMin: must be ≥ 0, got ${toString(r.orderMin)}`);
    if (r.costMin < ZERO) problems.push(`markets[${i}].rules.costMin: must be ≥ 0, got ${toString(r.costMin)}`);
    try {
      tickOf(r);
    } catch (err) {
      problems.push(`markets[${i}].rules: ${(err as Error).message}`);
    }
  });
  const limits = parseRiskLimits(settings.limits);
  if (!limits.ok) problems.push(`limits: ${limits.reason}`);
  if (!isValidTimeZone(settings.timeZone)) problems.push(`timeZone: not an IANA time zone: ${JSON.stringify(settings.timeZone)}`);
  const fees = feeScheduleProblem(settings.fees);
  if (fees !== null) problems.push(`fees: ${fees}`);
  if (settings.slippage < ZERO) problems.push(`slippage: must be ≥ 0, got ${toString(settings.slippage)}`);
  const ttl = settings.limitOrderTtlMs ?? DEFAULT_LIMIT_ORDER_TTL_MS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0) problems.push(`limitOrderTtlMs: must be a positive integer (ms), got ${ttl}`);
  const rule = settings.limitFillRule ?? 'through';
  if (rule !== 'through' && rule !== 'touch') problems.push(`limitFillRule: must be "through" or "touch", got ${JSON.stringify(rule)}`);
  const tagPrefix = settings.tagPrefix ?? 'auto';
  if (!/^[A-Za-z0-9]+$/.test(tagPrefix)) problems.push(`tagPrefix: letters and digits only, got ${JSON.stringify(tagPrefix)}`);
  if (problems.length > 0) throw new PipelineConfigError(`invalid pipeline settings: ${problems.join('; ')}`);
  return Object.freeze({
    markets: Object.freeze([...settings.markets]),
    symbols: Object.freeze(settings.markets.map((m) => m.symbol)),
    limits: settings.limits,
    timeZone: settings.timeZone,
    fees: settings.fees,
    slippage: settings.slippage,
    limitFillRule: rule,
    limitOrderTtlMs: ttl,
    tagPrefix,
    ledgerMode: settings.ledgerMode ?? 'paper',
    indexOf,
    spreadNumbers: Object.freeze(settings.markets.map((m) => approx(m.spread))),
  });
}
