/**
 * Turns a model's response text into a validated value or a reason — never a default. A
 * response that is empty, is not JSON (for example truncated at the output cap) or breaks the
 * schema is a failure the caller records with the raw text (predecessor §20.1: a truncated
 * analysis silently became NO_CHANGE). Pure.
 */
import type { z } from 'zod';
import { formatIssues } from '../contract/index.ts';

/** Outcome of parsing one response. */
export type AdviceParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Most schema issues listed in one reason. */
export const MAX_LISTED_ISSUES = 10;

/**
 * Parses `text` as JSON and validates it with `schema`. Reasons: "empty response", "not valid
 * JSON: …" or the schema issues ("decision: must be one of …, got \"MAYBE\""). Never throws.
 */
export function parseAdvice<T>(schema: z.ZodType<T>, text: string): AdviceParse<T> {
  if (text.trim() === '') return { ok: false, reason: 'empty response: no JSON text' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message}); ${text.length} characters received` };
  }
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues;
  const listed = formatIssues(issues.slice(0, MAX_LISTED_ISSUES));
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return { ok: false, reason: `does not match the schema: ${listed}${more}` };
}
