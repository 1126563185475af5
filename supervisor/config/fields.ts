import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Building blocks for the brain.toml schema. Each helper returns a strict zod schema *and*
 * registers what it accepts in `configMeta`, from the same parameters, so the "allowed" text of
 * an error message, the comment in brain.toml and the docs table can never disagree with the
 * check that actually runs.
 */

/** Bounds of a numeric key, exactly as checked. */
export interface NumberBounds {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
  readonly integer: boolean;
  /** Most decimal places allowed (e.g. 2 for cents); absent = any. */
  readonly decimals?: number;
}

/** The syntax a string key must follow; used to pick the validator and, in tests, bad samples. */
export type StringFormat = 'timezone' | 'httpUrl' | 'wsUrl' | 'host' | 'path' | 'modelId' | 'gcpProject' | 'gcpRegion';

interface Documented {
  /** Meaning and units, one or two sentences (brain.toml comment and docs table). */
  readonly doc: string;
  /** What is accepted, in words ("an integer from 1 to 100"). */
  readonly allowed: string;
}

/** Metadata of a leaf key (a value the user sets). */
export type LeafMeta = Documented &
  (
    | { readonly kind: 'number'; readonly bounds: NumberBounds }
    | { readonly kind: 'boolean' }
    | { readonly kind: 'enum'; readonly values: readonly string[]; readonly hints: Readonly<Record<string, string>> }
    | { readonly kind: 'string'; readonly format: StringFormat }
    | {
        readonly kind: 'list';
        readonly item: 'symbol' | 'userId';
        readonly minItems: number;
        readonly maxItems: number;
        readonly unique: boolean;
      }
  );

/** Metadata of a table: a fixed section, or a map keyed by user-chosen names (model ids). */
export type TableMeta =
  | { readonly kind: 'section'; readonly doc: string }
  | { readonly kind: 'map'; readonly doc: string; readonly keyAllowed: string };

export type FieldMeta = LeafMeta | TableMeta;

/** Registry of every documented schema node of brain.toml. */
export const configMeta = z.registry<FieldMeta>();

/** Formats a bound for humans: 1500000 → "1,500,000", 0.05 → "0.05". */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 10_000) return n.toLocaleString('en-US');
  return String(n);
}

function describeBounds(b: NumberBounds): string {
  const lo = formatNumber(b.min);
  const hi = formatNumber(b.max);
  const base = b.integer
    ? `an integer from ${lo} to ${hi}`
    : `a number with ${lo} ${b.minExclusive ? '<' : '≤'} x ${b.maxExclusive ? '<' : '≤'} ${hi}`;
  return b.decimals === undefined ? base : `${base}, at most ${b.decimals} decimal places`;
}

/**
 * A number (or integer) key with inclusive/exclusive bounds and a default.
 * NaN and ±inf (legal TOML) are rejected by zod as non-numbers.
 */
export function number(o: {
  default: number;
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
  decimals?: number;
  doc: string;
}) {
  const bounds: NumberBounds = {
    min: o.min,
    max: o.max,
    minExclusive: o.minExclusive ?? false,
    maxExclusive: o.maxExclusive ?? false,
    integer: o.integer ?? false,
    ...(o.decimals === undefined ? {} : { decimals: o.decimals }),
  };
  let schema = bounds.integer ? z.number().int() : z.number();
  schema = bounds.minExclusive ? schema.gt(bounds.min) : schema.gte(bounds.min);
  schema = bounds.maxExclusive ? schema.lt(bounds.max) : schema.lte(bounds.max);
  const decimals = o.decimals;
  if (decimals !== undefined) {
    schema = schema.refine((x) => Number(x.toFixed(decimals)) === x, {
      message: `has more than ${decimals} decimal places`,
    });
  }
  return schema.register(configMeta, { kind: 'number', bounds, doc: o.doc, allowed: describeBounds(bounds) }).default(o.default);
}

/** An integer key; shorthand for `number({ integer: true })`. */
export function integer(o: { default: number; min: number; max: number; doc: string }) {
  return number({ ...o, integer: true });
}

/**
 * A fraction of something (portfolio value, a price): 0.25 means 25%. Every `*_pct` key in
 * brain.toml is a fraction — including the Kraken fee fallbacks, which the predecessor wrote in
 * percent units.
 */
export function fraction(o: { default: number; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; doc: string }) {
  return number({ min: 0, max: 1, minExclusive: true, ...o });
}

/** A true/false key. */
export function boolean(o: { default: boolean; doc: string }) {
  return z.boolean().register(configMeta, { kind: 'boolean', doc: o.doc, allowed: 'true or false' }).default(o.default);
}

/**
 * One of a fixed set of strings. `hints` give a specific explanation for tempting wrong values
 * (e.g. `mode = "backtest"`).
 */
export function oneOf<const V extends readonly [string, ...string[]]>(o: {
  values: V;
  default: V[number];
  doc: string;
  hints?: Record<string, string>;
}) {
  const allowed = `one of ${o.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return z
    .enum(o.values)
    .register(configMeta, { kind: 'enum', values: o.values, hints: o.hints ?? {}, doc: o.doc, allowed })
    .default(o.default);
}

/** Validators for string formats: each returns a problem message, or undefined when fine. */
const STRING_CHECKS: Record<StringFormat, { allowed: string; check: (s: string) => string | undefined }> = {
  timezone: {
    allowed: 'an IANA time zone name such as "America/Toronto" or "UTC"',
    check: checkTimezone,
  },
  httpUrl: { allowed: 'an http:// or https:// URL without credentials', check: (s) => checkUrl(s, ['http:', 'https:']) },
  wsUrl: { allowed: 'a ws:// or wss:// URL without credentials', check: (s) => checkUrl(s, ['ws:', 'wss:']) },
  host: { allowed: 'an IP address or host name, e.g. "127.0.0.1"', check: checkHost },
  path: {
    allowed: 'a non-empty file path (relative paths are resolved from the working directory)',
    check: (s) => (s.trim() === '' ? 'is empty' : s.includes('\0') ? 'contains a NUL character' : undefined),
  },
  modelId: {
    allowed: 'a model id such as "claude-opus-5-5" (lower-case letters, digits, . @ : _ -)',
    check: (s) => (MODEL_ID.test(s) ? undefined : 'is not a model id'),
  },
  gcpProject: {
    allowed: 'empty, or a Google Cloud project id (6–30 lower-case letters, digits, hyphens)',
    check: (s) => (s === '' || /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(s) ? undefined : 'is not a Google Cloud project id'),
  },
  gcpRegion: {
    allowed: 'a Google Cloud region such as "us-east5" or "global"',
    check: (s) => (/^[a-z][a-z0-9-]{1,39}$/.test(s) ? undefined : 'is not a Google Cloud region'),
  },
};

/** Model ids: Anthropic ("claude-opus-5-5") and Vertex ("claude-opus-4@20250514") forms. */
export const MODEL_ID = /^[a-z0-9][a-z0-9.@:_-]{0,99}$/;

/** A string key of a given format. */
export function text(o: { default: string; format: StringFormat; doc: string }) {
  const { allowed, check } = STRING_CHECKS[o.format];
  return z
    .string()
    .superRefine((s, ctx) => {
      const message = check(s);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
    })
    .register(configMeta, { kind: 'string', format: o.format, doc: o.doc, allowed })
    .default(o.default);
}

const knownZones = new Map<string, boolean>();

/** Validates an IANA zone name with the runtime's own time-zone database (Intl). */
export function checkTimezone(zone: string): string | undefined {
  // Intl also accepts offsets like "+05:00" on newer ICU; a fund's day boundary must follow DST
  // rules, so only named zones are allowed.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return 'is not an IANA time zone name';
  let known = knownZones.get(zone);
  if (known === undefined) {
    // Building a DateTimeFormat costs ~0.3 ms; the answer never changes within a process.
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 256) knownZones.set(zone, known);
  }
  return known ? undefined : 'is not a time zone known to this Node.js (Intl)';
}

function checkUrl(s: string, protocols: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return 'is not a URL';
  }
  if (!protocols.includes(url.protocol)) return `uses ${url.protocol.replace(':', '')}://, not ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`;
  if (url.username !== '' || url.password !== '') return 'contains credentials; secrets come only from the environment';
  return undefined;
}

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

function checkHost(s: string): string | undefined {
  return isIP(s) !== 0 || HOSTNAME.test(s) ? undefined : 'is not an IP address or host name';
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Pairs are written `BASE/USD` in Kraken's WebSocket v2 naming. */
export function checkSymbol(symbol: string): string | undefined {
  const m = /^([^/]+)\/([^/]+)$/.exec(symbol);
  if (!m) return 'must be written BASE/QUOTE with one slash, e.g. "BTC/USD"';
  const [, base = '', quote = ''] = m;
  if (symbol !== symbol.toUpperCase()) return `must be upper case ("${symbol.toUpperCase()}")`;
  if (!/^[A-Z0-9]{1,12}$/.test(base)) return 'has a base currency that is not 1–12 letters or digits';
  if (quote !== 'USD') {
    return `is quoted in ${quote}; only USD-quoted pairs are supported (the fund keeps its books, fees and limits in USD)`;
  }
  const aliases: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };
  const alias = aliases[base];
  if (alias !== undefined) return `uses Kraken's legacy name ${base}; write "${alias}/USD" (WebSocket v2 names)`;
  return undefined;
}

/** Telegram user ids are positive integers (up to 52 significant bits, so JS-safe). */
const USER_ID = z.number().int().positive();
const SYMBOL = z.string().superRefine((s, ctx) => {
  const message = checkSymbol(s);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
});

/** A list of trading pairs: non-empty, unique, each `BASE/USD`. */
export function symbolList(o: { default: readonly string[]; minItems: number; maxItems: number; doc: string }) {
  const allowed = `a list of ${o.minItems}–${o.maxItems} distinct USD pairs written BASE/USD, e.g. ["BTC/USD", "ETH/USD"]`;
  return z
    .array(SYMBOL)
    .min(o.minItems)
    .max(o.maxItems)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      for (const s of list) {
        if (seen.has(s)) ctx.addIssue({ code: 'custom', message: `lists ${s} more than once` });
        seen.add(s);
      }
    })
    .register(configMeta, { kind: 'list', item: 'symbol', minItems: o.minItems, maxItems: o.maxItems, unique: true, doc: o.doc, allowed })
    .default([...o.default]);
}

/** A list of Telegram user ids (positive integers). */
export function userIdList(o: { maxItems: number; doc: string }) {
  const allowed = `a list of at most ${o.maxItems} Telegram user ids (positive integers)`;
  return z
    .array(USER_ID)
    .max(o.maxItems)
    .register(configMeta, { kind: 'list', item: 'userId', minItems: 0, maxItems: o.maxItems, unique: false, doc: o.doc, allowed })
    .default([]);
}

/**
 * A strict table (unknown keys rejected) that takes every default when absent. `prefault` runs
 * the default `{}` through the schema, so an absent section is filled key by key.
 */
export function section<S extends z.ZodRawShape>(doc: string, shape: S) {
  const table = z.strictObject(shape).register(configMeta, { kind: 'section', doc });
  // Every key of a section has a default, so `{}` is a valid input (TS cannot see that generically).
  return table.prefault({} as z.input<typeof table>);
}
