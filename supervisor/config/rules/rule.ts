import { REDACTED } from '../problems.ts';
import type { BrainConfig } from '../types.ts';

/** One thing a cross-field rule found wrong. */
export interface RuleFinding {
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
  readonly allowed: string;
}

/**
 * A named check across keys (or between a key and the environment). `reads` lists the TOML keys
 * it depends on: when one of them was itself invalid, the rule is skipped, so a single bad value
 * is reported once, not again by every rule that uses it. A rule that reads no TOML key also runs
 * when the TOML cannot be parsed at all.
 */
export interface ConfigRule {
  readonly name: string;
  readonly severity: 'error' | 'warning';
  readonly reads: readonly string[];
  readonly check: (config: BrainConfig, env: Readonly<Record<string, string | undefined>>) => readonly RuleFinding[];
}

/** A secret's value as a finding shows it: absent, or redacted. */
export const secretValue = (v: string | undefined) => (v === undefined ? undefined : REDACTED);

/** 0.0025 → "0.25%". */
export const pct = (x: number) => `${Number((x * 100).toPrecision(12))}%`;

/** 3, 5 → "03:05". */
export const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

/** Minutes from the window's start to its end, wrapping past midnight; 0 when they are equal. */
export function windowMinutes(o: BrainConfig['orchestrator']): number {
  return (o.endHour * 60 + o.endMinute - (o.startHour * 60 + o.startMinute) + 1440) % 1440;
}
