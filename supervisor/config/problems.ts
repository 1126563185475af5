/**
 * A configuration problem names the key, the value found and what is allowed, and formats to one
 * line. Errors stop the fund from starting; warnings are reported and the fund starts.
 */
export interface ConfigProblem {
  /**
   * The TOML key (`risk.per_trade.max_trade_pct`, `markets.symbols[2]`), `env.NAME` for an
   * environment variable, or '' for the file as a whole (missing file, TOML syntax).
   */
  readonly key: string;
  /** The value found (undefined when absent; '[redacted]' for secrets). */
  readonly value: unknown;
  /** What is wrong, e.g. "must not exceed risk.position.max_position_pct (0.25)". */
  readonly message: string;
  /** What would be accepted, in words. */
  readonly allowed: string;
  readonly severity: 'error' | 'warning';
  /** Name of the cross-field rule that found it (absent for schema and syntax problems). */
  readonly rule?: string;
  /** Where the config came from (file path or label). */
  readonly source: string;
  /** 1-based position in the TOML text, for syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

/** What a problem's value looks like when the value is a secret. */
export const REDACTED = '[redacted]';

const MAX_VALUE_CHARS = 80;

/** Renders a value for a message: TOML-ish, one line, at most 80 characters. */
export function renderValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (value === REDACTED) return REDACTED;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  const text = fullText(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function fullText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One line per problem: `source[:line:col]: key = value: message (allowed: …) [rule]`.
 * Severity is not printed; callers prefix warnings as they see fit.
 */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.source : `${p.source}:${p.line}:${p.column ?? 1}`;
  const subject = p.key === '' ? '' : `${p.key} = ${renderValue(p.value)}: `;
  const rule = p.rule === undefined ? '' : ` [${p.rule}]`;
  return `${where}: ${subject}${p.message} (allowed: ${p.allowed})${rule}`;
}

/** Formats problems one per line, in the order given. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

/**
 * Replaces the value of any problem whose rendering contains a secret with `[redacted]`, so a
 * secret pasted into the wrong key is never echoed. Secrets shorter than 6 characters are left
 * alone (they would match ordinary values).
 */
export function redactSecretValues(problems: readonly ConfigProblem[], secrets: readonly string[]): ConfigProblem[] {
  const long = secrets.filter((s) => s.length >= 6);
  return problems.map((p) => {
    if (p.value === undefined || p.value === REDACTED) return p;
    const rendered = typeof p.value === 'string' ? p.value : fullText(p.value);
    return long.some((s) => rendered.includes(s)) ? { ...p, value: REDACTED } : p;
  });
}
