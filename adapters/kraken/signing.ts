/**
 * Private REST authentication exactly as Kraken documents it (reference/kraken.md §3):
 * `API-Sign = base64(HMAC-SHA512(base64decode(secret), utf8(path) ‖ SHA256(utf8(nonce + body))))`.
 * The body is built once, signed, and sent verbatim (never re-encoded). Pure (node:crypto only).
 */
import { createHash, createHmac } from 'node:crypto';

/** Thrown for an API secret that is not base64 of at least 16 bytes: misconfiguration. */
export class KrakenSecretError extends Error {
  override readonly name = 'KrakenSecretError';
}

/**
 * Decodes the base64 API secret. Throws `KrakenSecretError` when it is not base64 or decodes to
 * fewer than 16 bytes (real Kraken secrets decode to 64 bytes). The secret text is never echoed.
 */
export function decodeSecret(secretBase64: string): Buffer {
  const trimmed = secretBase64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) {
    throw new KrakenSecretError('Kraken API secret must be base64 text (as shown by Kraken when the key was created)');
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length < 16) throw new KrakenSecretError(`Kraken API secret decodes to ${key.length} bytes; expected 64`);
  return key;
}

/**
 * The `API-Sign` header for one request. `uriPath` starts at `/0/private/` (no host, no query);
 * `nonce` is the decimal nonce that also appears inside `postData`; `postData` is the exact body
 * that will be sent (form-encoded or JSON). Pure.
 */
export function signRequest(uriPath: string, nonce: string | bigint, postData: string, secret: Buffer): string {
  const inner = createHash('sha256').update(`${nonce}${postData}`, 'utf8').digest();
  const message = Buffer.concat([Buffer.from(uriPath, 'utf8'), inner]);
  return createHmac('sha512', secret).update(message).digest('base64');
}

/**
 * Form-encodes fields in the given order (`application/x-www-form-urlencoded`, as Kraken's own
 * examples): `+` becomes `%2B` (so `expiretm=+300` survives), brackets are escaped. Pure.
 */
export function encodeForm(fields: readonly (readonly [string, string])[]): string {
  return fields.map(([k, v]) => `${formEscape(k)}=${formEscape(v)}`).join('&');
}

function formEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+');
}
