import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KrakenSecretError, decodeSecret, encodeForm, signRequest } from '../../../adapters/kraken/index.ts';
import { TEST_SECRET } from './support.ts';

// Kraken's official worked example, reference/kraken.md §3.2 (docs.kraken.com "Spot REST authentication").
const NONCE = '1616492376594';
const PAYLOAD = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
const PATH = '/0/private/AddOrder';
const API_SIGN = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';

describe('Kraken request signing (kraken.md §3)', () => {
  it('reproduces the official worked example byte for byte', () => {
    expect(signRequest(PATH, NONCE, PAYLOAD, decodeSecret(TEST_SECRET))).toBe(API_SIGN);
    expect(signRequest(PATH, BigInt(NONCE), PAYLOAD, decodeSecret(TEST_SECRET))).toBe(API_SIGN);
  });

  it('hashes nonce + body with SHA-256 first (the intermediate value kraken.md §3.2 quotes)', () => {
    const inner = createHash('sha256').update(NONCE + PAYLOAD).digest('hex');
    expect(inner).toBe('23a1c1b34c6a11d641af0f24684896cb90f66fb991125c83dc357bdc3dc146f1');
  });

  it('any change to path, nonce or body changes the signature', () => {
    const key = decodeSecret(TEST_SECRET);
    expect(signRequest('/0/private/addorder', NONCE, PAYLOAD, key)).not.toBe(API_SIGN);
    expect(signRequest(PATH, '1616492376595', PAYLOAD, key)).not.toBe(API_SIGN);
    expect(signRequest(PATH, NONCE, PAYLOAD.replace('1.25', '1.250'), key)).not.toBe(API_SIGN);
  });

  it('form-encodes fields in order and exactly as the example payload', () => {
    const body = encodeForm([
      ['nonce', NONCE],
      ['ordertype', 'limit'],
      ['pair', 'XBTUSD'],
      ['price', '37500'],
      ['type', 'buy'],
      ['volume', '1.25'],
    ]);
    expect(body).toBe(PAYLOAD);
  });

  it("escapes '+' as %2B so expiretm=+300 is not read as a space (kraken.md §3.4)", () => {
    expect(encodeForm([['expiretm', '+300']])).toBe('expiretm=%2B300');
    expect(encodeForm([['close[ordertype]', 'limit']])).toBe('close%5Bordertype%5D=limit');
    expect(new URLSearchParams(encodeForm([['a', '+1 2']])).get('a')).toBe('+1 2');
  });

  it('refuses a secret that is not base64 or too short, without echoing it', () => {
    expect(() => decodeSecret('not base64!')).toThrow(KrakenSecretError);
    expect(() => decodeSecret('AAAA')).toThrow(/decodes to 3 bytes/);
    try {
      decodeSecret('s3cr3t-value!');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t');
    }
    expect(decodeSecret(TEST_SECRET)).toHaveLength(64);
  });
});
