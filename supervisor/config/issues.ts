import type { z } from 'zod';
import { formatNumber, type NumberBounds } from './fields.ts';
import { formatKey, knownKeys, metaOf, schemaAt, type Path } from './introspect.ts';
import { REDACTED, type ConfigProblem } from './problems.ts';
import { envVarForSecretKey, looksLikeSecretKey, SECRET_ENV_KEYS } from './secrets.ts';

/**
 * Turns zod issues into problems that name the key, the value and what is allowed. At most one
 * problem per key (zod can report two failed checks on one value).
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  root: z.ZodType,
  raw: unknown,
  source: string,
): ConfigProblem[] {
  const byKey = new Map<string, ConfigProblem>();
  const add = (p: ConfigProblem) => {
    if (!byKey.has(p.key)) byKey.set(p.key, p);
  };
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) add(unknownKeyProblem(root, raw, path, name, source));
    } else {
      const value = valueAt(raw, path);
      add({
        key: formatKey(path),
        value,
        message: messageFor(issue, value, root, path),
        allowed: allowedAt(root, path),
        severity: 'error',
        source,
      });
    }
  }
  return [...byKey.values()];
}

/** The raw value at `path`, or undefined. Own properties only. */
export function valueAt(raw: unknown, path: Path): unknown {
  let v: unknown = raw;
  for (const segment of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, segment)) return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

/** What is allowed at `path`, in words. */
export function allowedAt(root: z.ZodType, path: Path): string {
  const schema = schemaAt(root, path);
  const meta = schema === undefined ? undefined : metaOf(schema);
  if (meta !== undefined) {
    if (meta.kind === 'section') return `a table [${formatKey(path)}]`;
    if (meta.kind === 'map') return `a table of entries keyed by ${meta.keyAllowed}`;
    return meta.allowed;
  }
  const last = path.at(-1);
  if (typeof last === 'number') return allowedAt(root, path.slice(0, -1));
  const keys = knownKeys(root, path);
  if (keys !== undefined) return `a table with the keys ${keys.join(', ')}`;
  const parent = schemaAt(root, path.slice(0, -1));
  const parentMeta = parent === undefined ? undefined : metaOf(parent);
  if (parentMeta?.kind === 'map') return parentMeta.keyAllowed;
  return 'see docs/configuration.md';
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  string: 'a string',
  array: 'a list',
  object: 'a table',
  record: 'a table',
};

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date-time';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  }
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `a ${typeof value}`;
}

/** Out-of-range message from the key's declared bounds (zod's own bound may be the safe-int limit). */
function rangeMessage(b: NumberBounds, value: number): string {
  if (value < b.min || (b.minExclusive && value === b.min)) {
    return b.minExclusive ? `must be greater than ${formatNumber(b.min)}` : `must be at least ${formatNumber(b.min)}`;
  }
  if (value > b.max || (b.maxExclusive && value === b.max)) {
    return b.maxExclusive ? `must be less than ${formatNumber(b.max)}` : `must be at most ${formatNumber(b.max)}`;
  }
  return b.integer && !Number.isInteger(value) ? 'must be a whole number' : 'is out of range';
}

function messageFor(issue: z.core.$ZodIssue, value: unknown, root: z.ZodType, path: Path): string {
  const schema = schemaAt(root, path);
  const meta = schema === undefined ? undefined : metaOf(schema);
  if (meta?.kind === 'number' && typeof value === 'number' && Number.isFinite(value)) {
    if (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type') return rangeMessage(meta.bounds, value);
  }
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return 'is missing';
      if (issue.expected === 'int' && typeof value === 'number' && Number.isFinite(value)) return 'must be a whole number';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeType(value)}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'array') return `must list at least ${min} item${min === '1' ? '' : 's'}`;
      return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'array') return `lists ${Array.isArray(value) ? value.length : 'too many'} items; at most ${max} allowed`;
      return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case 'invalid_value': {
      const hint = meta?.kind === 'enum' && typeof value === 'string' ? meta.hints[value] : undefined;
      return hint ?? 'is not one of the allowed values';
    }
    case 'invalid_key':
      return 'is not a valid name here';
    case 'invalid_format':
      return 'has the wrong format';
    default:
      return issue.message;
  }
}

/**
 * Keys the predecessor (or its risk_limits.toml) used that are gone or moved here, with what to do
 * instead.
 */
const MOVED: Readonly<Record<string, string>> = {
  'risk.position.max_leverage':
    'is not configurable: the fund trades spot only (long-only, no margin), so leverage is always 1; remove this key',
  'ai.opus_model': 'was renamed: use ai.analysis_model',
  'ai.sonnet_model': 'was renamed: use ai.code_model',
  'ai.haiku_model': 'was renamed: use ai.ask_model',
  'ai.temperature': 'is not configurable: the Messages API version in use has no sampling parameters',
  position: 'risk limits live in brain.toml under [risk.position]',
  daily: 'risk limits live in brain.toml under [risk.daily]',
  per_trade: 'risk limits live in brain.toml under [risk.per_trade]',
  emergency: 'risk limits live in brain.toml under [risk.emergency]',
  rollback: 'risk limits live in brain.toml under [risk.rollback]',
};

function unknownKeyProblem(root: z.ZodType, raw: unknown, parent: Path, name: string, source: string): ConfigProblem {
  const path = [...parent, name];
  const key = formatKey(path);
  const known = knownKeys(root, parent) ?? [];
  const allowed = parent.length === 0 ? `the sections ${known.join(', ')}` : `the keys of [${formatKey(parent)}]: ${known.join(', ')}`;
  if (looksLikeSecretKey(name)) {
    const env = envVarForSecretKey(parent, name);
    return {
      key,
      value: REDACTED,
      message: `secrets are read only from the environment: remove this key from brain.toml and set ${env ?? `the right variable (${SECRET_ENV_KEYS.join(', ')})`} in .env or the service environment`,
      allowed: 'no secrets in brain.toml',
      severity: 'error',
      source,
    };
  }
  const moved = MOVED[key];
  const suggestion = closest(name, known);
  const message =
    moved !== undefined ? `unknown key: ${moved}` : `unknown key${suggestion === undefined ? '' : `; did you mean ${formatKey([...parent, suggestion])}?`}`;
  return { key, value: valueAt(raw, path), message, allowed, severity: 'error', source };
}

/** The known key closest to a misspelt one, if it is close enough to be a likely typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
