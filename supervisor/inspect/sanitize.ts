/**
 * Turns arbitrary actor data (contexts, events, snapshots, machine configs) into JSON-safe trees
 * that carry no secret and have a bounded size. Pure apart from reading the values it is given;
 * never throws: anything that cannot be read becomes a marker string.
 *
 * Rules, in order:
 * - secret values (≥ {@link MIN_SECRET_LENGTH} chars) are replaced by `[Redacted]` inside every
 *   string, object key and number (a numeric chat id), also in their JSON-escaped and URL-encoded
 *   forms;
 * - in payloads (context, event, output, error, input) a key that names a secret
 *   ({@link isSecretKey}: apiKey, token, secret, password, authorization, chatId…) has its value
 *   replaced by `[Redacted]`, at any depth;
 * - strings longer than `maxStringLength` are cut, with `…[truncated N chars]` appended;
 * - a payload's fields are kept in order while its JSON stays within `maxContextBytes`; a field
 *   that does not fit becomes {@link truncatedMarker}, and once the budget is spent the remaining
 *   fields are summarised under the key `[truncated]`;
 * - bigint becomes its decimal string; cycles become `[Circular]`; nesting deeper than
 *   `maxDepth` becomes `[Object]`/`[Array]`; functions become `{ type: name }` (as
 *   `@statelyai/inspect` does); Error becomes `{ name, message }`; Map becomes an array of
 *   entries, Set an array; binary views become `[Uint8Array N bytes]`; NaN/Infinity become null;
 *   undefined and symbols are dropped from objects (null in arrays), as JSON does; a value whose
 *   getter, proxy trap or toJSON throws becomes `[Unserializable]`.
 */

/** Replacement for secret values and values under secret keys (the logger's censor). */
export const REDACTED = '[Redacted]';
/** Replacement for a value that threw while being read. */
export const UNSERIALIZABLE = '[Unserializable]';
/** Replacement for a reference back to an enclosing object. */
export const CIRCULAR = '[Circular]';
/** Secret values shorter than this are not scrubbed by value (as in the logger: they would match ordinary text). */
export const MIN_SECRET_LENGTH = 8;

/** Limits of one sanitizer. All sizes are UTF-16 code units of JSON text (≈ bytes for ASCII). */
export interface SanitizeLimits {
  /** JSON size budget of one payload (a context, an event, an output…). */
  readonly maxContextBytes: number;
  /** Longest string kept whole. */
  readonly maxStringLength: number;
  /** Deepest nesting kept (the payload itself is depth 0). */
  readonly maxDepth: number;
  /** JSON size budget of one machine definition. */
  readonly maxDefinitionBytes: number;
}

/** Defaults: 64 KiB per payload, 4096-char strings, depth 32, 4 MiB definitions. */
export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = Object.freeze({
  maxContextBytes: 65_536,
  maxStringLength: 4096,
  maxDepth: 32,
  maxDefinitionBytes: 4 * 1024 * 1024,
});

/** A JSON value as produced by the sanitizer. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The sanitizer for one set of secrets and limits (see the module comment for the rules). */
export interface Sanitizer {
  readonly limits: SanitizeLimits;
  /** A context/output/input/error value: secret keys redacted, within `maxContextBytes`. */
  payload(value: unknown): Json;
  /** An event object: `type` first (a string), the other fields as a payload. */
  event(event: unknown): { type: string; [key: string]: Json };
  /**
   * A snapshot (its `toJSON()` when it has one): context/output/error/input as payloads, the
   * structural fields (status, value, children, historyValue, tags) kept without key redaction.
   */
  snapshot(snapshot: unknown): Json;
  /**
   * A machine config as a JSON string (what `@statelyai/inspect` sends as `definition`): state
   * names are kept, keys under `context`/`input` are redacted, secret values scrubbed.
   */
  definition(config: unknown): string;
  /** Scrubs every secret (raw, JSON-escaped, URL-encoded) from finished text. */
  scrub(text: string): string;
}

const SECRET_KEY =
  /(^|_)(api_?key|api_?secret|secret(_?key)?|secrets|private_?key|(bot_|api_|auth_|access_|refresh_|bearer_|session_)?token|password|passwd|passphrase|authorization|cookie|otp|chat_?id)$/;

/**
 * True when an object key names a secret: `apiKey`, `krakenApiSecret`, `botToken`, `token`,
 * `password`, `authorization`, `telegramChatId`, `KRAKEN_API_KEY`… (camelCase, snake_case and
 * kebab-case alike). Counting words such as `tokensRemaining` or `maxTokens` are not secrets. Pure.
 */
export function isSecretKey(key: string): boolean {
  if (key.length === 0 || key.length > 128) return false;
  const known = secretKeyMemo.get(key);
  if (known !== undefined) return known;
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s.]+/g, '_')
    .toLowerCase();
  const verdict = SECRET_KEY.test(snake);
  if (secretKeyMemo.size >= SECRET_KEY_MEMO_SIZE) secretKeyMemo.clear();
  secretKeyMemo.set(key, verdict);
  return verdict;
}

/** Verdicts by key (object keys repeat endlessly; the regexes need not). */
const secretKeyMemo = new Map<string, boolean>();
const SECRET_KEY_MEMO_SIZE = 10_000;

/** The marker that replaces a field too large for the budget. */
export function truncatedMarker(maxContextBytes: number): string {
  return `[Truncated: over the ${maxContextBytes}-byte inspection budget]`;
}

/** Thrown (internally only) when a walk exceeds its budget. */
const OVER_BUDGET = Object.freeze({ overBudget: true });
/** Returned by the walk for values JSON drops from objects. */
const OMIT = Symbol('omit');

type Walked = Json | typeof OMIT;

/** The longest marker a payload field can become (the budget reserves room for it). */
const FIELD_MARKER_RESERVE = 80;
/** Nesting kept in machine definitions (deeply nested state charts are legitimate). */
const DEFINITION_MAX_DEPTH = 100;
const REDACT_BELOW_IN_DEFINITIONS: ReadonlySet<string> = new Set(['context', 'input']);
const PAYLOAD_KEYS_OF_SNAPSHOTS: ReadonlySet<string> = new Set(['context', 'output', 'error', 'input']);

interface Walk {
  used: number;
  readonly limit: number;
  /** Objects being walked (the path from the root); short, so an array is fastest. */
  readonly ancestors: object[];
  /** Keys below which (in definitions) secret keys are redacted. */
  readonly redactBelow: ReadonlySet<string> | null;
  readonly maxDepth: number;
}

/** Characters JSON.stringify escapes (and lone-surrogate candidates, checked the slow way). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Length of `JSON.stringify(text)` without building it in the common case. */
function jsonLength(text: string): number {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).length : text.length + 2;
}

/**
 * A scrubber for `secrets`: each secret in its raw, JSON-escaped and URL-encoded forms (the
 * logger's `scrubSecrets` rule, with the forms computed once).
 */
function createScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))].sort(
    (a, b) => b.length - a.length, // longest first: a secret containing another is scrubbed whole
  );
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}

/**
 * Creates a sanitizer. `secrets` are the actual secret values (config `secretValues`, the
 * inspection token…); blanks, undefined and values shorter than {@link MIN_SECRET_LENGTH} are
 * ignored. Limits default to {@link DEFAULT_SANITIZE_LIMITS}.
 */
export function createSanitizer(secrets: readonly (string | undefined)[], limits: Partial<SanitizeLimits> = {}): Sanitizer {
  const resolved: SanitizeLimits = Object.freeze({ ...DEFAULT_SANITIZE_LIMITS, ...limits });
  const scrub = createScrubber(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH));
  const marker = truncatedMarker(resolved.maxContextBytes);

  const text = (raw: string): string => {
    const clean = scrub(raw);
    if (clean.length <= resolved.maxStringLength) return clean;
    return `${clean.slice(0, resolved.maxStringLength)}…[truncated ${clean.length - resolved.maxStringLength} chars]`;
  };

  const add = (w: Walk, n: number): void => {
    w.used += n;
    if (w.used > w.limit) throw OVER_BUDGET;
  };

  /** Errors, toJSON, Map/Set and binary views resolved to what is walked instead. */
  const resolve = (value: object, key: string): { value: unknown; replaced: boolean } => {
    if (value instanceof Error) {
      return { value: { name: String(value.name), message: String(value.message) }, replaced: true };
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return { value: toJSON.call(value, key) as unknown, replaced: true };
    if (value instanceof Map) return { value: [...value.entries()], replaced: true };
    if (value instanceof Set) return { value: [...value.values()], replaced: true };
    if (ArrayBuffer.isView(value)) return { value: `[${value.constructor.name} ${value.byteLength} bytes]`, replaced: true };
    if (value instanceof ArrayBuffer) return { value: `[ArrayBuffer ${value.byteLength} bytes]`, replaced: true };
    return { value, replaced: false };
  };

  const walk = (value: unknown, key: string, depth: number, w: Walk, redact: boolean): Walked => {
    switch (typeof value) {
      case 'string': {
        const s = text(value);
        add(w, jsonLength(s));
        return s;
      }
      case 'number': {
        if (!Number.isFinite(value)) {
          add(w, 4);
          return null;
        }
        const digits = String(value);
        if (scrub(digits) !== digits) {
          // a numeric secret (a chat id…) written as a number: redacted as a string, so the JSON stays valid
          add(w, REDACTED.length + 2);
          return REDACTED;
        }
        add(w, digits.length);
        return value === 0 ? 0 : value; // JSON has no -0: emit what a reader will parse
      }
      case 'boolean':
        add(w, value ? 4 : 5);
        return value;
      case 'bigint': {
        const s = text(value.toString());
        add(w, jsonLength(s));
        return s;
      }
      case 'function': {
        const name = text(typeof value.name === 'string' ? value.name : '');
        add(w, jsonLength(name) + 9);
        return { type: name };
      }
      case 'undefined':
      case 'symbol':
        return OMIT;
      default:
        break;
    }
    if (value === null) {
      add(w, 4);
      return null;
    }
    const obj = value as object;
    if (w.ancestors.includes(obj)) {
      add(w, CIRCULAR.length + 2);
      return CIRCULAR;
    }
    if (depth > w.maxDepth) {
      const m = Array.isArray(obj) ? '[Array]' : '[Object]';
      add(w, m.length + 2);
      return m;
    }
    w.ancestors.push(obj);
    try {
      const { value: target, replaced } = resolve(obj, key);
      if (replaced) return walk(target, key, depth + 1, w, redact);
      if (Array.isArray(target)) return walkArray(target, depth, w, redact);
      return walkObject(target as Record<string, unknown>, depth, w, redact);
    } finally {
      w.ancestors.pop();
    }
  };

  /** Walks one child; a throw other than the budget's becomes the unserializable marker. */
  const child = (read: () => unknown, key: string, depth: number, w: Walk, redact: boolean): Walked => {
    try {
      return walk(read(), key, depth, w, redact);
    } catch (err) {
      if (err === OVER_BUDGET) throw err;
      add(w, UNSERIALIZABLE.length + 2);
      return UNSERIALIZABLE;
    }
  };

  const walkArray = (arr: readonly unknown[], depth: number, w: Walk, redact: boolean): Json[] => {
    add(w, 2);
    const out: Json[] = [];
    const length = arr.length;
    for (let i = 0; i < length; i++) {
      if (i > 0) add(w, 1);
      const v = child(() => arr[i], String(i), depth + 1, w, redact);
      if (v === OMIT) {
        add(w, 4);
        out.push(null);
      } else {
        out.push(v);
      }
    }
    return out;
  };

  const walkObject = (obj: Record<string, unknown>, depth: number, w: Walk, redact: boolean): { [key: string]: Json } => {
    add(w, 2);
    const out: { [key: string]: Json } = {};
    let count = 0;
    for (const key of Object.keys(obj)) {
      const redactHere = redact && isSecretKey(key);
      const redactBelow = redact || (w.redactBelow?.has(key) ?? false);
      let v: Walked;
      if (redactHere) {
        v = child(() => (obj[key] === undefined ? undefined : REDACTED), key, depth + 1, w, false);
      } else {
        v = child(() => obj[key], key, depth + 1, w, redactBelow);
      }
      if (v === OMIT) continue;
      const k = text(key);
      add(w, jsonLength(k) + 1 + (count > 0 ? 1 : 0));
      out[k] = v;
      count++;
    }
    return out;
  };

  const newWalk = (limit: number, redactBelow: ReadonlySet<string> | null = null, maxDepth = resolved.maxDepth): Walk => ({
    used: 0,
    limit,
    ancestors: [],
    redactBelow,
    maxDepth,
  });

  /** One value within `limit`, or the marker. */
  const fitted = (value: unknown, limit: number, redact: boolean): Json => {
    try {
      const v = walk(value, '', 0, newWalk(limit), redact);
      return v === OMIT ? null : v;
    } catch (err) {
      return err === OVER_BUDGET ? marker : UNSERIALIZABLE;
    }
  };

  /** Top-level toJSON/Error resolution, guarded. */
  const top = (value: unknown): { ok: true; value: unknown } | { ok: false } => {
    try {
      if (value === null || typeof value !== 'object') return { ok: true, value };
      const r = resolve(value, '');
      return { ok: true, value: r.value };
    } catch {
      return { ok: false };
    }
  };

  const isRecord = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);

  /** Field-by-field budgeted object (see module comment); `skip` keys are left out. */
  const fields = (obj: Record<string, unknown>, limit: number, skip: string | null, startUsed: number): { [key: string]: Json } => {
    const out: { [key: string]: Json } = {};
    let keys: string[];
    try {
      keys = Object.keys(obj);
    } catch {
      return { [UNSERIALIZABLE]: UNSERIALIZABLE };
    }
    let used = startUsed;
    let count = 0;
    let omitted = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === skip) continue;
      const k = text(key);
      const keyCost = jsonLength(k) + 1 + (count > 0 || startUsed > 2 ? 1 : 0);
      if (used + keyCost + FIELD_MARKER_RESERVE > limit) {
        omitted = keys.slice(i).filter((rest) => rest !== skip).length;
        break;
      }
      let raw: unknown;
      try {
        raw = obj[key];
      } catch {
        raw = UNSERIALIZABLE;
      }
      if (raw === undefined || typeof raw === 'symbol') continue;
      let v: Json;
      let cost: number;
      if (isSecretKey(key)) {
        v = REDACTED;
        cost = REDACTED.length + 2;
      } else {
        const w = newWalk(limit - used - keyCost);
        try {
          const walked = walk(raw, key, 1, w, true);
          v = walked === OMIT ? null : walked;
          cost = w.used;
        } catch (err) {
          v = err === OVER_BUDGET ? marker : UNSERIALIZABLE;
          cost = jsonLength(v);
        }
      }
      out[k] = v;
      used += keyCost + cost;
      count++;
    }
    if (omitted > 0) {
      out['[truncated]'] = `${omitted} more field${omitted === 1 ? '' : 's'} omitted: over the ${resolved.maxContextBytes}-byte inspection budget`;
    }
    return out;
  };

  const payload = (value: unknown): Json => {
    const t = top(value);
    if (!t.ok) return UNSERIALIZABLE;
    if (isRecord(t.value)) return fields(t.value, resolved.maxContextBytes, null, 2);
    return fitted(t.value, resolved.maxContextBytes, true);
  };

  const event = (value: unknown): { type: string; [key: string]: Json } => {
    const t = top(value);
    if (!t.ok) return { type: UNSERIALIZABLE };
    if (!isRecord(t.value)) return { type: typeof t.value === 'string' ? text(t.value) : UNSERIALIZABLE };
    let type: string;
    try {
      const raw = t.value.type;
      type = typeof raw === 'string' ? text(raw) : UNSERIALIZABLE;
    } catch {
      type = UNSERIALIZABLE;
    }
    const typeCost = jsonLength(type) + 8; // {"type":…
    return { type, ...fields(t.value, resolved.maxContextBytes, 'type', typeCost) };
  };

  const snapshot = (value: unknown): Json => {
    const t = top(value);
    if (!t.ok) return UNSERIALIZABLE;
    if (!isRecord(t.value)) return payload(t.value);
    const obj = t.value;
    const out: { [key: string]: Json } = {};
    let keys: string[];
    try {
      keys = Object.keys(obj);
    } catch {
      return UNSERIALIZABLE;
    }
    for (const key of keys) {
      let raw: unknown;
      try {
        raw = obj[key];
      } catch {
        raw = UNSERIALIZABLE;
      }
      if (raw === undefined || typeof raw === 'symbol') continue;
      out[text(key)] = PAYLOAD_KEYS_OF_SNAPSHOTS.has(key) ? payload(raw) : fitted(raw, resolved.maxContextBytes, false);
    }
    return out;
  };

  const definition = (config: unknown): string => {
    try {
      const v = walk(config, '', 0, newWalk(resolved.maxDefinitionBytes, REDACT_BELOW_IN_DEFINITIONS, DEFINITION_MAX_DEPTH), false);
      return JSON.stringify(v === OMIT ? null : v);
    } catch (err) {
      return JSON.stringify({
        '[truncated]': err === OVER_BUDGET ? truncatedMarker(resolved.maxDefinitionBytes) : UNSERIALIZABLE,
      });
    }
  };

  return { limits: resolved, payload, event, snapshot, definition, scrub };
}
