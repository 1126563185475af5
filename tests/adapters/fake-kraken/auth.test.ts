import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { DOC_NONCE, DOC_PAYLOAD, DOC_SECRET, DOC_SIGNATURE, nextNonce, priv, privRaw, sign, startWithFixtures } from './support.ts';

// Private REST authentication (reference/kraken.md §3): HMAC-SHA512 over path + SHA256(nonce + body),
// strictly increasing nonces per key, and the three EAPI errors.

let k: FakeKraken;
const SECOND = { apiKey: 'second-key', apiSecret: Buffer.alloc(64, 7).toString('base64') };
const THIRD = { apiKey: 'third-key', apiSecret: Buffer.alloc(64, 9).toString('base64') };

beforeAll(async () => {
  k = await startWithFixtures({ credentials: [{ apiKey: 'doc-key', apiSecret: DOC_SECRET }, SECOND, THIRD] });
});
afterAll(() => k.close());

describe('signature', () => {
  it('our independent signer reproduces Kraken\'s published example (kraken.md §3.2)', () => {
    expect(sign('/0/private/AddOrder', DOC_NONCE, DOC_PAYLOAD, DOC_SECRET)).toBe(DOC_SIGNATURE);
  });

  it('accepts the published example request byte for byte (the published API-Sign header)', async () => {
    const res = await fetch(`${k.restUrl}/0/private/AddOrder`, {
      method: 'POST',
      body: DOC_PAYLOAD,
      headers: { 'API-Key': 'doc-key', 'API-Sign': DOC_SIGNATURE, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const body = (await res.json()) as { error: string[]; result?: { txid: string[] } };
    expect(res.status).toBe(200);
    expect(body.error).toEqual([]);
    // A limit buy at 37500 when BTC trades near 20000 is accepted (and, being marketable, fills).
    expect(body.result?.txid).toHaveLength(1);
  });

  it('rejects a wrong signature with EAPI:Invalid signature', async () => {
    const other = sign('/0/private/Balance', '1', 'nonce=1', Buffer.alloc(64, 1).toString('base64'));
    expect((await priv(k, 'Balance', {}, { signature: other })).error).toEqual(['EAPI:Invalid signature']);
  });

  it('rejects a body changed after signing', async () => {
    const nonce = nextNonce();
    const signed = `nonce=${nonce}&asset=ZUSD`;
    const res = await fetch(`${k.restUrl}/0/private/TradeBalance`, {
      method: 'POST',
      body: `nonce=${nonce}&asset=XXBT`,
      headers: { 'API-Key': 'doc-key', 'API-Sign': sign('/0/private/TradeBalance', nonce, signed, DOC_SECRET) },
    });
    expect(((await res.json()) as { error: string[] }).error).toEqual(['EAPI:Invalid signature']);
  });

  it('rejects a signature made for another path (the path is part of the message)', async () => {
    const nonce = nextNonce();
    const body = `nonce=${nonce}`;
    const res = await fetch(`${k.restUrl}/0/private/Balance`, {
      method: 'POST',
      body,
      headers: { 'API-Key': 'doc-key', 'API-Sign': sign('/0/private/BalanceEx', nonce, body, DOC_SECRET) },
    });
    expect(((await res.json()) as { error: string[] }).error).toEqual(['EAPI:Invalid signature']);
  });

  it('rejects an unknown or missing key with EAPI:Invalid key', async () => {
    expect((await priv(k, 'Balance', {}, { apiKey: 'nobody', secret: DOC_SECRET })).error).toEqual(['EAPI:Invalid key']);
    const res = await fetch(`${k.restUrl}/0/private/Balance`, { method: 'POST', body: `nonce=${nextNonce()}` });
    expect(((await res.json()) as { error: string[] }).error).toEqual(['EAPI:Invalid key']);
  });

  it('verifies JSON bodies over the exact bytes, keeping nanosecond nonces above 2^53 exact', async () => {
    const nonce = (BigInt(Date.now()) * 1_000_000n + 123_456_789n).toString(); // > 2^53
    const r = await priv(k, 'Balance', {}, { apiKey: 'doc-key', secret: DOC_SECRET, json: true, nonce });
    expect(r.error).toEqual([]);
    // The same nonce again must be refused: it was recorded with all its digits.
    const again = await priv(k, 'Balance', {}, { apiKey: 'doc-key', secret: DOC_SECRET, json: true, nonce });
    expect(again.error).toEqual(['EAPI:Invalid nonce']);
  });
});

describe('nonce', () => {
  it('refuses a replayed or smaller nonce and accepts a larger one', async () => {
    const n = nextNonce();
    const opts = { apiKey: SECOND.apiKey, secret: SECOND.apiSecret };
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: n })).error).toEqual([]);
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: n })).error).toEqual(['EAPI:Invalid nonce']);
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: (BigInt(n) - 1n).toString() })).error).toEqual(['EAPI:Invalid nonce']);
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: nextNonce() })).error).toEqual([]);
  });

  it('keeps nonces per key', async () => {
    const high = nextNonce();
    expect((await priv(k, 'Balance', {}, { apiKey: SECOND.apiKey, secret: SECOND.apiSecret, nonce: high })).error).toEqual([]);
    // A fresh key has its own counter: a nonce below the other key's last one is fine for it.
    const low = (BigInt(high) - 10n).toString();
    expect((await priv(k, 'Balance', {}, { apiKey: THIRD.apiKey, secret: THIRD.apiSecret, nonce: low })).error).toEqual([]);
  });

  it('does not record the nonce of a request whose signature failed', async () => {
    const opts = { apiKey: SECOND.apiKey, secret: SECOND.apiSecret };
    const a = nextNonce();
    const b = nextNonce();
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: b, signature: 'AAAA' })).error).toEqual(['EAPI:Invalid signature']);
    expect((await priv(k, 'Balance', {}, { ...opts, nonce: a })).error).toEqual([]);
  });

  it('answers a missing nonce with EAPI:Invalid nonce', async () => {
    const body = 'asset=ZUSD';
    const res = await fetch(`${k.restUrl}/0/private/TradeBalance`, {
      method: 'POST',
      body,
      headers: { 'API-Key': SECOND.apiKey, 'API-Sign': sign('/0/private/TradeBalance', '', body, SECOND.apiSecret) },
    });
    expect(((await res.json()) as { error: string[] }).error).toEqual(['EAPI:Invalid nonce']);
  });

  it('returns envelope errors with HTTP 200 and no result key', async () => {
    const r = await privRaw(k, 'Balance', {}, { apiKey: 'nobody' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ error: ['EAPI:Invalid key'] });
  });
});
