/**
 * Field readers shared by the pure parsers. Each reader checks one value and either returns it
 * in domain form or stops the parse with a `Malformed` error naming the exact path. Parsers run
 * inside `parseWith`, which turns that stop into `{ ok: false, error }`; nothing escapes as an
 * exception except genuine programmer errors. Pure.
 */
import { type Fixed, ONE, fromString } from '../../../domain/money/index.ts';
import { type Json, JsonNumber, type JsonObject, type Malformed, type Parsed, decodeJson, isJsonObject } from '../json.ts';

/** Internal signal carrying a `Malformed` error up to `parseWith`. Never leaves this folder. */
class Stop {
  constructor(readonly error: Malformed) {}
}

/** Runs a parser body; a reader's failure becomes `{ ok: false, error }`. Pure. */
export function parseWith<T>(body: () => T): Parsed<T> {
  try {
    return { ok: true, value: body() };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    throw e;
  }
}

/** Decodes JSON text, then runs `parser` on the value. Pure; never throws on bad input. */
export function decodeWith<T>(text: string, parser: (value: Json, path: string) => T): Parsed<T> {
  const json = decodeJson(text);
  if (!json.ok) return json;
  return parseWith(() => parser(json.value, '$'));
}

/** Stops the current parse with a malformed error at `path`. */
export function fail(path: string, detail: string): never {
  throw new Stop({ kind: 'malformed', path, detail });
}

/** Unwraps a nested `Parsed` inside a parser body (propagates its error). */
export function unwrap<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Stop(result.error);
  return result.value;
}

/** Short, safe rendering of a value for error details. */
export function show(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  if (value instanceof JsonNumber) return value.text.length > 40 ? `${value.text.slice(0, 40)}…` : value.text;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value === 'boolean') return String(value);
  return 'an object';
}

/** Path of a key below `path`: `$.result` or `$.result["odd key"]`. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The value must be an object. */
export function obj(value: Json | undefined, path: string): JsonObject {
  if (!isJsonObject(value)) fail(path, `expected an object, got ${show(value)}`);
  return value;
}

/** The value must be an array (optionally of exactly `length` items). */
export function arr(value: Json | undefined, path: string, length?: number): readonly Json[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${show(value)}`);
  const list = value as readonly Json[];
  if (length !== undefined && list.length !== length) fail(path, `expected an array of ${length} items, got ${list.length}`);
  return list;
}

/** A required key of an object. */
export function field(o: JsonObject, key: string, path: string): Json {
  const v = o[key];
  if (v === undefined) fail(at(path, key), 'required field is missing');
  return v;
}

/** An optional key: undefined when absent or null. */
export function opt(o: JsonObject, key: string): Json | undefined {
  const v = o[key];
  return v === null ? undefined : v;
}

/** The value must be a string. */
export function str(value: Json | undefined, path: string): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${show(value)}`);
  return value;
}

/** The value must be a non-empty string of at most `max` characters. */
export function text(value: Json | undefined, path: string, max = 256): string {
  const s = str(value, path);
  if (s.length === 0) fail(path, 'expected a non-empty string');
  if (s.length > max) fail(path, `string of ${s.length} characters exceeds ${max}`);
  return s;
}

/** The value must be a boolean. */
export function bool(value: Json | undefined, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${show(value)}`);
  return value;
}

/** The value must be one of `allowed` (a string). */
export function oneOf<T extends string>(value: Json | undefined, allowed: readonly T[], path: string): T {
  const s = str(value, path);
  if (!(allowed as readonly string[]).includes(s)) fail(path, `expected one of ${allowed.join(', ')}, got ${show(s)}`);
  return s as T;
}

const DECIMAL_RE = /^[+-]?\d{1,40}(?:\.\d{1,40})?(?:[eE]([+-]?\d{1,3}))?$/;
/** Magnitude cap for decimals: 10^30 (no price, volume or balance comes near it). */
const MAX_DECIMAL: Fixed = 10n ** 30n * ONE;

/**
 * A decimal sent as a string (`"30384.10000"`) or a JSON number (`0.10000000`, `1e-7`), parsed
 * exactly into a `Fixed`. Rejects empty text, NaN/Infinity words, relative prices (`+5%`) and
 * magnitudes ≥ 10^30.
 */
export function decimal(value: Json | undefined, path: string): Fixed {
  let raw: string;
  if (value instanceof JsonNumber) raw = value.text;
  else if (typeof value === 'string') raw = value.trim();
  else return fail(path, `expected a decimal (string or number), got ${show(value)}`);
  const m = DECIMAL_RE.exec(raw);
  if (m === null) fail(path, `not a decimal number: ${show(value)}`);
  // An exponent beyond ±60 cannot land in range (≤ 40 digits, |x| < 1e30, 18 decimals kept).
  if (m[1] !== undefined && Math.abs(Number(m[1])) > 60) fail(path, `decimal ${show(value)} is out of range (|x| < 1e30)`);
  let fixed: Fixed;
  try {
    fixed = fromString(raw);
  } catch {
    return fail(path, `not a decimal number: ${show(value)}`);
  }
  if (fixed >= MAX_DECIMAL || fixed <= -MAX_DECIMAL) fail(path, `decimal ${show(value)} is out of range (|x| < 1e30)`);
  return fixed;
}

/** A decimal that must be ≥ 0 (prices, volumes, fees). */
export function nonNegative(value: Json | undefined, path: string): Fixed {
  const d = decimal(value, path);
  if (d < 0n) fail(path, `expected a value ≥ 0, got ${show(value)}`);
  return d;
}

/** A decimal that must be > 0. */
export function positive(value: Json | undefined, path: string): Fixed {
  const d = decimal(value, path);
  if (d <= 0n) fail(path, `expected a value > 0, got ${show(value)}`);
  return d;
}

/** A decimal where 0 means "not set" (Kraken's `price`, `stopprice` on orders): null for 0. */
export function decimalOrNullIfZero(value: Json | undefined, path: string): Fixed | null {
  if (value === undefined || value === null) return null;
  const d = nonNegative(value, path);
  return d === 0n ? null : d;
}

/** An integer (JSON number or digit string) within ±(2^53 − 1). */
export function int(value: Json | undefined, path: string): number {
  let raw: string;
  if (value instanceof JsonNumber) raw = value.text;
  else if (typeof value === 'string') raw = value;
  else return fail(path, `expected an integer, got ${show(value)}`);
  // Kraken sometimes sends integral values as "5.0"; accept a zero fraction.
  const m = /^(-?\d{1,16})(?:\.0+)?$/.exec(raw);
  if (m === null) fail(path, `expected an integer, got ${show(value)}`);
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n)) fail(path, `integer ${show(value)} is out of the safe range`);
  return n;
}

/** An integer ≥ 0. */
export function count(value: Json | undefined, path: string): number {
  const n = int(value, path);
  if (n < 0) fail(path, `expected an integer ≥ 0, got ${n}`);
  return n;
}

/** Latest instant accepted as a timestamp: year 2200, in ms. */
const MAX_TS_MS = 7_258_118_400_000;

/**
 * Unix seconds with an optional fraction (`1688666559.8974`, 4 or 6+ digits) → integer ms since
 * epoch, truncated toward zero (sub-ms digits are dropped, never rounded up). Must be in
 * [0, year 2200].
 */
export function unixSecondsMs(value: Json | undefined, path: string): number {
  const seconds = decimal(value, path);
  if (seconds < 0n) fail(path, `timestamp must be ≥ 0, got ${show(value)}`);
  const ms = Number((seconds * 1000n) / ONE);
  if (ms > MAX_TS_MS) fail(path, `timestamp ${show(value)} is beyond year 2200`);
  return ms;
}

/** Like `unixSecondsMs`, but Kraken's 0 ("unset") becomes null. */
export function unixSecondsMsOrNull(value: Json | undefined, path: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = unixSecondsMs(value, path);
  return ms === 0 ? null : ms;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * RFC3339 (`2023-10-04T16:26:01.806315597Z`, 6/7/9 fraction digits; a missing zone means UTC,
 * as in one Kraken doc example) → integer ms since epoch, UTC, sub-ms digits truncated.
 */
export function rfc3339Ms(value: Json | undefined, path: string): number {
  const s = str(value, path);
  const m = RFC3339_RE.exec(s);
  if (m === null) return fail(path, `expected an RFC3339 timestamp, got ${show(s)}`);
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) {
    fail(path, `timestamp ${show(s)} has an out-of-range field`);
  }
  const ms = Number((frac ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMin = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) fail(path, `timestamp ${show(s)} has an invalid zone offset`);
    offsetMin = sign * (oh * 60 + om);
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMin * 60_000;
  if (t < 0 || t > MAX_TS_MS) fail(path, `timestamp ${show(s)} is outside 1970..2200`);
  return t;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Reads an array of strings (e.g. txid lists, error lists). */
export function strings(value: Json | undefined, path: string): string[] {
  return arr(value, path).map((v, i) => str(v, at(path, i)));
}

/**
 * Kraken sends some id lists as an array (`txid: ["O…"]` from AddOrder) and some as a single
 * string (`txid: "O…"` from AddOrderBatch/EditOrder). Accepts both; returns a list.
 */
export function stringOrList(value: Json | undefined, path: string): string[] {
  if (typeof value === 'string') return [text(value, path)];
  return arr(value, path).map((v, i) => text(v, at(path, i)));
}

/** Splits Kraken's comma lists (`misc`, `oflags`): "" → [], "a,b" → ["a", "b"]. */
export function commaList(value: Json | undefined, path: string): string[] {
  if (value === undefined || value === null) return [];
  return str(value, path)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** Own keys of an object in document order. */
export function keysOf(o: JsonObject): string[] {
  return Object.keys(o);
}
