/**
 * Parsing text that came out of the sandbox. Everything a strategy produces reaches the host as a
 * JSON string; before anything reads it, this module bounds its size and nesting (so a hostile
 * string cannot stall the host's event loop or overflow its stack) and refuses `__proto__` keys
 * (so no later object spread or `Object.assign` can set a prototype). Pure.
 */

/** Deepest nesting of arrays/objects accepted in sandbox output (signals need 3, state rarely 10). */
export const MAX_JSON_DEPTH = 64;

/** Outcome of `parseUntrustedJson`. */
export type UntrustedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Parses JSON produced by untrusted code. Fails (never throws) when the text is longer than
 * `maxChars`, nests deeper than `maxDepth`, is not JSON, or contains a `__proto__` key anywhere.
 * `what` names the text in the reason ("analyze() output").
 */
export function parseUntrustedJson(text: string, what: string, options: { maxChars: number; maxDepth?: number }): UntrustedJson {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (typeof text !== 'string') return { ok: false, reason: `${what}: expected JSON text, got ${typeof text}` };
  if (text.length > options.maxChars) {
    return { ok: false, reason: `${what}: ${text.length} characters of JSON, above the cap of ${options.maxChars}` };
  }
  const depth = jsonDepth(text, maxDepth);
  if (depth > maxDepth) return { ok: false, reason: `${what}: nests deeper than ${maxDepth} levels of arrays/objects` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `${what}: not valid JSON (${err instanceof Error ? err.message : 'parse error'})` };
  }
  const proto = findProtoKey(value);
  if (proto !== null) return { ok: false, reason: `${what}: contains a "__proto__" key at ${proto}; such keys are refused` };
  return { ok: true, value };
}

/**
 * Nesting depth of a JSON text, counting `[` and `{` outside strings; stops counting once it
 * exceeds `stopAbove` (returns stopAbove + 1). Linear, allocation-free; the text need not be valid.
 */
export function jsonDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}

/** JSON-path of the first own `__proto__` key in a parsed value, or null. Depth is already bounded. */
function findProtoKey(root: unknown): string | null {
  // Fast pass without building paths (outputs are mostly clean); the path only on a hit.
  const stack: unknown[] = [root];
  let found = false;
  while (stack.length > 0 && !found) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') stack.push(value[i]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') found = true;
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object') stack.push(child);
    }
  }
  return found ? pathToProto(root, '$') : null;
}

function pathToProto(value: unknown, path: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = pathToProto(value[i], `${path}[${i}]`);
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return path;
    const hit = pathToProto((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (hit !== null) return hit;
  }
  return null;
}

/** Longest text kept from any string that came out of the sandbox (reasons, log lines). */
export const MAX_REASON_CHARS = 2000;

/**
 * Makes untrusted text safe to store and show: control characters (C0 except tab/newline, DEL,
 * C1) and bidirectional overrides become `�`, and the text is cut to `maxChars` with a marker.
 * Pure.
 */
export function sanitizeText(text: string, maxChars: number = MAX_REASON_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars)}… (${clean.length - maxChars} more characters cut)`;
}
