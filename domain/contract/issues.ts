/**
 * Turns zod issues into the reasons the fund stores and shows: each names the field, what is
 * allowed and what was received ("size: must be ≤ 1, got 1.5"). Pure.
 */
import type { z } from 'zod';

/** A short, bounded description of a received value for a reason text. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** Dotted path with indexes: `signals[2].stopLoss`; '' for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const KIND: Readonly<Record<string, string>> = {
  number: 'a finite number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** How to word reasons: `allowedKeys` maps an object path ('' = root) to the fields it accepts; `subject` names the thing ("MODIFY"). */
export interface IssueWording {
  readonly allowedKeys?: ReadonlyMap<string, readonly string[]>;
  readonly subject?: string;
}

/**
 * One clause per issue, joined by '; '. Issues must come from a parse with
 * `{ reportInput: true }` to quote the received value. Pure.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], wording: IssueWording = {}): string {
  return issues.map((issue) => formatIssue(issue, wording)).join('; ');
}

function formatIssue(issue: z.core.$ZodIssue, { allowedKeys, subject }: IssueWording): string {
  const where = formatPath(issue.path);
  const prefix = where === '' ? '' : `${where}: `;
  const input = (issue as { input?: unknown }).input;
  const got = `, got ${describeValue(input)}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined && where !== '') return `${prefix}is required${subject ? ` for ${subject}` : ''}`;
      return `${prefix}must be ${KIND[issue.expected] ?? issue.expected}${got}`;
    }
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '≥';
      if (issue.origin === 'string') return `${prefix}${issue.minimum === 1 ? 'must not be empty' : `must have at least ${issue.minimum} characters`}${got}`;
      if (issue.origin === 'array') return `${prefix}must have at least ${issue.minimum} items${got}`;
      return `${prefix}must be ${op} ${issue.minimum}${got}`;
    }
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '≤';
      if (issue.origin === 'string') return `${prefix}must have at most ${issue.maximum} characters, got ${String(input).length}`;
      if (issue.origin === 'array') return `${prefix}must have at most ${issue.maximum} items${Array.isArray(input) ? `, got ${input.length}` : ''}`;
      return `${prefix}must be ${op} ${issue.maximum}${got}`;
    }
    case 'invalid_value':
      return `${prefix}must be one of ${issue.values.map((v) => (typeof v === 'string' ? v : String(v))).join(', ')}${got}`;
    case 'unrecognized_keys': {
      const allowed = allowedKeys?.get(where);
      const names = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      const head = `${where === '' ? '' : `${where}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${names}`;
      return allowed ? `${head}; allowed: ${allowed.join(', ')}` : head;
    }
    case 'invalid_format':
    case 'custom':
      return `${prefix}${issue.message}${issue.code === 'invalid_format' ? got : ''}`;
    default:
      return `${prefix}${issue.message}`;
  }
}
