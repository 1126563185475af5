import { readFileSync } from 'node:fs';
import { parse as parseTomlText, TomlError } from 'smol-toml';
import { camelize } from './camel.ts';
import { deepFreeze } from './freeze.ts';
import { formatKey, type Path } from './introspect.ts';
import { problemsFromIssues, valueAt } from './issues.ts';
import { redactSecretValues, type ConfigProblem } from './problems.ts';
import { RULES } from './rules/index.ts';
import { BrainTomlSchema, defaultToml, type BrainToml } from './schema.ts';
import { readSecrets, secretValues, type Secrets } from './secrets.ts';
import type { BrainConfig } from './types.ts';

/** Outcome of reading a configuration: a frozen config, or every problem at once. */
export type ConfigResult =
  | { readonly ok: true; readonly config: BrainConfig; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly warnings: readonly ConfigProblem[] };

export interface ConfigInput {
  /** The text of brain.toml. */
  readonly tomlText: string;
  /** The environment (process.env merged with .env); only the secret variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Label used in messages, normally the file path. Default "brain.toml". */
  readonly source?: string;
}

type Env = ConfigInput['env'];

/**
 * Validates brain.toml text and the environment: TOML syntax → strict schema → named cross-field
 * rules → deep freeze. Every problem is collected and returned together; nothing is thrown for
 * bad input. Pure apart from reading the time-zone database through Intl.
 */
export function parseConfig(input: ConfigInput): ConfigResult {
  const source = input.source ?? 'brain.toml';
  const secrets = readSecrets(input.env);
  const parsed = parseToml(input.tomlText, source);
  if (!parsed.ok) {
    // The TOML cannot be read, but problems in the environment alone can still be reported.
    const envOnly = runRules(withSecrets(defaultToml(), secrets), input.env, source, new Set(), true);
    return finish([parsed.problem, ...envOnly.errors], envOnly.warnings, secrets);
  }
  const validated = validate(parsed.value, source);
  const config = withSecrets(validated.data, secrets);
  const ruled = runRules(config, input.env, source, validated.repaired, false);
  const errors = [...validated.problems, ...ruled.errors];
  if (errors.length > 0) return finish(errors, ruled.warnings, secrets);
  return { ok: true, config: deepFreeze(config), warnings: redactSecretValues(ruled.warnings, secretValues(secrets)) };
}

/**
 * Reads and validates a brain.toml file (synchronously: it runs once, at startup). A missing or
 * unreadable file is a problem in the result, not an exception.
 */
export function loadConfigFile(path: string, env: Env): ConfigResult {
  let tomlText: string;
  try {
    tomlText = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'config file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a config file'
          : `cannot be read (${code ?? (err as Error).message})`;
    return {
      ok: false,
      problems: [
        {
          key: '',
          value: undefined,
          message,
          allowed: 'a readable brain.toml (start from the one shipped in the repository)',
          severity: 'error',
          source: path,
        },
      ],
      warnings: [],
    };
  }
  return parseConfig({ tomlText, env, source: path });
}

/** The configuration an empty brain.toml and an empty environment give (all defaults), frozen. */
export function defaultConfig(): BrainConfig {
  return deepFreeze(withSecrets(defaultToml(), readSecrets({})));
}

function finish(errors: ConfigProblem[], warnings: ConfigProblem[], secrets: Secrets): ConfigResult {
  const values = secretValues(secrets);
  return { ok: false, problems: redactSecretValues(errors, values), warnings: redactSecretValues(warnings, values) };
}

type TomlParse = { ok: true; value: Record<string, unknown> } | { ok: false; problem: ConfigProblem };

function parseToml(text: string, source: string): TomlParse {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    // Integers beyond 2^53 throw (no silent rounding); __proto__/constructor keys throw.
    return { ok: true, value: parseTomlText(body, { integersAsBigInt: false, unsafeKeyBehaviour: 'throw' }) };
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return {
      ok: false,
      problem: {
        key: '',
        value: undefined,
        message: `malformed TOML: ${first.replace(/^Invalid TOML document: /, '')}`,
        allowed: 'TOML 1.0 syntax (https://toml.io)',
        severity: 'error',
        source,
        ...(err instanceof TomlError ? { line: err.line, column: err.column } : {}),
      },
    };
  }
}

interface Validated {
  readonly data: BrainToml;
  readonly problems: ConfigProblem[];
  /** Keys whose invalid values were replaced by defaults so the rules could still run. */
  readonly repaired: ReadonlySet<string>;
}

const MAX_REPAIR_ROUNDS = 8;

/**
 * Runs the schema. On failure, reports every issue, then repairs a copy (invalid values → their
 * defaults, unknown keys dropped) until it parses, so the cross-field rules still run on the rest.
 */
function validate(raw: Record<string, unknown>, source: string): Validated {
  const first = BrainTomlSchema.safeParse(raw);
  if (first.success) return { data: first.data, problems: [], repaired: new Set() };
  const problems = problemsFromIssues(first.error.issues, BrainTomlSchema, raw, source);
  const candidate = clone(raw) as Record<string, unknown>;
  const repaired = new Set<string>();
  let issues = first.error.issues;
  for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
    const earlier = new Set(repaired);
    const targets = new Map<string, Path>();
    for (const issue of issues) {
      const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const name of issue.keys) deleteAt(candidate, [...path, name]);
        continue;
      }
      // A whole list falls back together; a key still failing after an earlier round's repair
      // (a map entry missing a required field) takes its parent table with it.
      let target: Path = path.slice(0, firstIndex(path));
      while (target.length > 1 && (earlier.has(formatKey(target)) || valueAt(candidate, target) === undefined)) {
        target = target.slice(0, -1);
      }
      targets.set(formatKey(target), target);
    }
    for (const [key, target] of targets) {
      deleteAt(candidate, target);
      repaired.add(key);
    }
    const next = BrainTomlSchema.safeParse(candidate);
    if (next.success) return { data: next.data, problems, repaired };
    issues = next.error.issues;
  }
  throw new Error(`config repair did not converge: ${JSON.stringify(issues)}`);
}

function firstIndex(path: Path): number {
  const i = path.findIndex((s) => typeof s === 'number');
  return i === -1 ? path.length : i;
}

function deleteAt(root: Record<string, unknown>, path: Path): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path.at(-1);
  if (parent !== null && typeof parent === 'object' && last !== undefined) delete (parent as Record<string | number, unknown>)[last];
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  }
  return value;
}

function withSecrets(data: BrainToml, secrets: Secrets): BrainConfig {
  const config = camelize(BrainTomlSchema, data) as object;
  Object.defineProperty(config, 'secrets', { value: { ...secrets }, enumerable: false });
  return config as BrainConfig;
}

/** True when a rule input and a repaired key overlap (same key, or one inside the other). */
function touches(key: string, repaired: ReadonlySet<string>): boolean {
  for (const r of repaired) {
    if (key === r || key.startsWith(`${r}.`) || r.startsWith(`${key}.`)) return true;
  }
  return false;
}

function runRules(
  config: BrainConfig,
  env: Env,
  source: string,
  repaired: ReadonlySet<string>,
  envOnly: boolean,
): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  for (const rule of RULES) {
    if (envOnly ? rule.reads.length > 0 : rule.reads.some((key) => touches(key, repaired))) continue;
    for (const finding of rule.check(config, env)) {
      const problem: ConfigProblem = { ...finding, severity: rule.severity, rule: rule.name, source };
      (rule.severity === 'error' ? errors : warnings).push(problem);
    }
  }
  return { errors, warnings };
}
