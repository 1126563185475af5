import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Private REST authentication exactly as Kraken documents it (reference/kraken.md §3):
 * `API-Sign = base64(HMAC-SHA512(base64decode(secret), path ‖ SHA256(nonce ‖ postData)))`, with a
 * strictly increasing unsigned 64-bit nonce per API key.
 */

/** One API key of the fake account; `apiSecret` is base64 like Kraken's private keys. */
export interface ApiCredential {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** The outcome of checking one request. */
export type AuthOutcome = { ok: true; apiKey: string } | { ok: false; error: 'EAPI:Invalid key' | 'EAPI:Invalid signature' | 'EAPI:Invalid nonce' };

/** Computes `API-Sign` for `uriPath` (e.g. `/0/private/AddOrder`), the nonce text and the exact body bytes. */
export function krakenSignature(uriPath: string, nonce: string, postData: Buffer | string, apiSecret: string): string {
  const inner = createHash('sha256').update(Buffer.concat([Buffer.from(nonce, 'utf8'), Buffer.isBuffer(postData) ? postData : Buffer.from(postData, 'utf8')])).digest();
  return createHmac('sha512', Buffer.from(apiSecret, 'base64')).update(Buffer.concat([Buffer.from(uriPath, 'utf8'), inner])).digest('base64');
}

/**
 * Verifies API-Key, API-Sign and the nonce of a private request, in that order, and records the
 * nonce only when all three pass. `nonce` is the decimal text from the body (null when absent).
 */
export class Authenticator {
  private readonly secrets = new Map<string, string>();
  private readonly lastNonce = new Map<string, bigint>();

  constructor(credentials: readonly ApiCredential[]) {
    for (const c of credentials) {
      if (Buffer.from(c.apiSecret, 'base64').length === 0) throw new RangeError(`API secret for key ${c.apiKey} is not base64`);
      this.secrets.set(c.apiKey, c.apiSecret);
    }
  }

  /** Checks one request. Pure apart from recording an accepted nonce. */
  check(apiKey: string | undefined, apiSign: string | undefined, uriPath: string, nonce: string | null, rawBody: Buffer): AuthOutcome {
    if (apiKey === undefined || !this.secrets.has(apiKey)) return { ok: false, error: 'EAPI:Invalid key' };
    if (apiSign === undefined || nonce === null) return { ok: false, error: nonce === null && apiSign !== undefined ? 'EAPI:Invalid nonce' : 'EAPI:Invalid signature' };
    const expected = Buffer.from(krakenSignature(uriPath, nonce, rawBody, this.secrets.get(apiKey)!), 'base64');
    const given = Buffer.from(apiSign, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'EAPI:Invalid signature' };
    if (!/^\d{1,20}$/.test(nonce)) return { ok: false, error: 'EAPI:Invalid nonce' };
    const value = BigInt(nonce);
    if (value >= 1n << 64n) return { ok: false, error: 'EAPI:Invalid nonce' };
    const last = this.lastNonce.get(apiKey);
    if (last !== undefined && value <= last) return { ok: false, error: 'EAPI:Invalid nonce' };
    this.lastNonce.set(apiKey, value);
    return { ok: true, apiKey };
  }
}

/**
 * Extracts the nonce text from a request body: form field `nonce`, or the JSON property `nonce`
 * (read from the raw text so nanosecond nonces above 2^53 keep every digit). Null when absent.
 */
export function nonceFromBody(rawBody: string, isJson: boolean): string | null {
  if (isJson) {
    const m = /"nonce"\s*:\s*"?(\d+)"?/.exec(rawBody);
    return m ? m[1]! : null;
  }
  return new URLSearchParams(rawBody).get('nonce');
}
