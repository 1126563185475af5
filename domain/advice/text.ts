/**
 * Bounded text fields shared by the advice schemas. Bounds are written into the JSON schema the
 * model receives (as descriptions) and enforced when its output is validated. Pure.
 */
import { z } from 'zod';

/** A string of `min`..`max` characters (after no transformation: the model's text is kept as sent). */
export function boundedText(min: number, max: number, doc: string) {
  return z.string().min(min).max(max).describe(doc);
}

/** Optional free text: a string of at most `max` characters, or null when not applicable. */
export function optionalText(max: number, doc: string) {
  return z.string().max(max).nullable().describe(doc);
}

/** True when an optional text field carries content (not null, not blank). */
export function hasText(value: string | null): boolean {
  return value !== null && value.trim() !== '';
}
