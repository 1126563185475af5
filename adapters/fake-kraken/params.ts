import { type Fixed, fromString } from '../../domain/money/index.ts';

/**
 * Request parameters of a REST call, from a query string, a form body or a JSON body, with
 * Kraken-style validation: a malformed field yields `EGeneral:Invalid arguments:<field>`.
 */

/** Thrown by the typed getters; the router turns it into an envelope error. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  constructor(readonly krakenError: string) {
    super(krakenError);
  }
}

/** Parsed parameters. Values are kept as text (JSON scalars are converted with `String`). */
export class Params {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** From `a=1&b=2` text (query string or form body). `+` decodes to a space, as on Kraken. */
  static fromForm(text: string): Params {
    const map = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(text)) map.set(k, v);
    return new Params(map);
  }

  /**
   * From a JSON object body. Scalars become text; `nonce` keeps its exact digits from the raw
   * text. Throws `ParamError` when the body is not a JSON object.
   */
  static fromJson(text: string): Params {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text === '' ? '{}' : text);
    } catch {
      throw new ParamError('EGeneral:Invalid arguments');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParamError('EGeneral:Invalid arguments');
    const map = new Map<string, string>();
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'object') map.set(k, JSON.stringify(v));
      else map.set(k, String(v));
    }
    const nonce = /"nonce"\s*:\s*"?(\d+)"?/.exec(text);
    if (nonce) map.set('nonce', nonce[1]!);
    return new Params(map);
  }

  /** Merges two sets (later wins), e.g. query string and body of a public POST. */
  static merge(a: Params, b: Params): Params {
    return new Params(new Map([...a.values, ...b.values]));
  }

  /** Every parameter as a plain object (for the request log). */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Names of all parameters present. */
  names(): string[] {
    return [...this.values.keys()];
  }

  /** Raw text or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Required text; missing or empty → `EGeneral:Invalid arguments:<name>`. */
  required(name: string): string {
    const v = this.values.get(name);
    if (v === undefined || v.trim() === '') throw new ParamError(`EGeneral:Invalid arguments:${name}`);
    return v.trim();
  }

  /** One of `allowed` (exact), or `fallback` when absent. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const v = this.values.get(name);
    if (v === undefined || v === '') {
      if (fallback === undefined) throw new ParamError(`EGeneral:Invalid arguments:${name}`);
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(v)) throw new ParamError(`EGeneral:Invalid arguments:${name}`);
    return v as T;
  }

  /** A non-negative decimal; absent → null. */
  decimal(name: string): Fixed | null {
    const v = this.values.get(name);
    if (v === undefined || v === '') return null;
    if (!/^\d+(\.\d+)?$|^\.\d+$/.test(v.trim())) throw new ParamError(`EGeneral:Invalid arguments:${name}`);
    return fromString(v.trim());
  }

  /** An integer (optionally signed); absent → null. */
  integer(name: string): number | null {
    const v = this.values.get(name);
    if (v === undefined || v === '') return null;
    if (!/^[+-]?\d+$/.test(v.trim())) throw new ParamError(`EGeneral:Invalid arguments:${name}`);
    const n = Number(v.trim());
    if (!Number.isSafeInteger(n)) throw new ParamError(`EGeneral:Invalid arguments:${name}`);
    return n;
  }

  /** Kraken booleans: `true`/`false` (also `1`/`0`); absent → `fallback`. */
  bool(name: string, fallback: boolean): boolean {
    const v = this.values.get(name);
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw new ParamError(`EGeneral:Invalid arguments:${name}`);
  }

  /** A comma list (empty list when absent). */
  list(name: string): string[] {
    const v = this.values.get(name);
    if (v === undefined || v.trim() === '') return [];
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
}
