import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIRCULAR,
  REDACTED,
  UNSERIALIZABLE,
  createSanitizer,
  isSecretKey,
  truncatedMarker,
} from '../../../supervisor/inspect/index.ts';
import { runs } from '../../support/runs.ts';

const CANARY = 'canary-KRAKEN-SECRET-8f2d1c77e0b4';
const QUOTED = 'canary"with\\quotes/and?url=chars';

describe('isSecretKey', () => {
  it.each([
    'apiKey',
    'apiSecret',
    'krakenApiKey',
    'krakenApiSecret',
    'anthropicApiKey',
    'botToken',
    'telegramBotToken',
    'token',
    'accessToken',
    'secret',
    'secrets',
    'password',
    'passphrase',
    'authorization',
    'Authorization',
    'cookie',
    'otp',
    'chatId',
    'telegramChatId',
    'KRAKEN_API_KEY',
    'TELEGRAM_BOT_TOKEN',
    'x-api-key',
    'private_key',
  ])('%s names a secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['type', 'status', 'tokensRemaining', 'minTokensPerCycle', 'maxTokens', 'secretary', 'keyId', 'apiKeyCount', 'price', ''])(
    '%s does not',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe('createSanitizer: JSON safety', () => {
  const s = createSanitizer([]);

  it('turns values JSON cannot carry into readable JSON', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const out = s.payload({
      big: 10n ** 30n,
      neg: -5n,
      cyclic,
      fn: function recordFill() {},
      err: new TypeError('boom'),
      map: new Map([['BTC/USD', 1]]),
      set: new Set(['a']),
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      undef: undefined,
      sym: Symbol('x'),
      arr: [undefined, 1],
      bytes: new Uint8Array(10),
      date: new Date(Date.UTC(2026, 0, 5, 12)),
      ref: { toJSON: () => ({ xstate$$type: 1, id: 'kid' }) },
    });
    expect(out).toEqual({
      big: '1000000000000000000000000000000',
      neg: '-5',
      cyclic: { name: 'loop', self: CIRCULAR },
      fn: { type: 'recordFill' },
      err: { name: 'TypeError', message: 'boom' },
      map: [['BTC/USD', 1]],
      set: ['a'],
      nan: null,
      inf: null,
      arr: [null, 1],
      bytes: '[Uint8Array 10 bytes]',
      date: '2026-01-05T12:00:00.000Z',
      ref: { xstate$$type: 1, id: 'kid' },
    });
  });

  it('shares a non-cyclic object twice without calling it circular', () => {
    const shared = { a: 1 };
    expect(s.payload({ x: shared, y: [shared, shared] })).toEqual({ x: { a: 1 }, y: [{ a: 1 }, { a: 1 }] });
  });

  it('cuts nesting beyond maxDepth (the payload is depth 0, its fields depth 1)', () => {
    const deep = createSanitizer([], { maxDepth: 3 });
    expect(deep.payload({ a: { b: { c: { d: { e: 1 } } } }, l: [[[[[1]]]]] })).toEqual({
      a: { b: { c: { d: '[Object]' } } },
      l: [[['[Array]']]],
    });
  });

  it('contains throwing getters, toJSON, proxies and revoked proxies', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const throwingProxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const badJson = {
      toJSON() {
        throw new Error('toJSON');
      },
    };
    expect(s.payload({ getter, throwingProxy, revoked, badJson })).toEqual({
      getter: { ok: 1, bad: UNSERIALIZABLE },
      throwingProxy: UNSERIALIZABLE,
      revoked: UNSERIALIZABLE,
      badJson: UNSERIALIZABLE,
    });
    expect(s.payload(revoked)).toBe(UNSERIALIZABLE);
    expect(s.event(revoked)).toEqual({ type: UNSERIALIZABLE });
    expect(s.snapshot(throwingProxy)).toBe(UNSERIALIZABLE);
  });

  it('emits -0 as 0, as a JSON reader would parse it (found by the property below)', () => {
    expect(Object.is(s.payload(-0), 0)).toBe(true);
    expect(Object.is((s.payload({ x: -0 }) as { x: number }).x, 0)).toBe(true);
  });

  it('never throws and always yields JSON-stringifiable output (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true }), (value) => {
        for (const out of [s.payload(value), s.snapshot(value), s.event(value)]) {
          const text = JSON.stringify(out);
          expect(typeof text).toBe('string');
          expect(JSON.parse(text)).toEqual(out);
        }
        expect(() => JSON.parse(s.definition(value))).not.toThrow();
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('createSanitizer: secrets', () => {
  const s = createSanitizer([CANARY, QUOTED, 'short', undefined]);

  it('redacts secret keys at any depth of a payload', () => {
    expect(s.payload({ apiKey: 'k', kraken: { apiSecret: 'x', nested: [{ token: 't', n: 1 }] }, tokensRemaining: 7 })).toEqual({
      apiKey: REDACTED,
      kraken: { apiSecret: REDACTED, nested: [{ token: REDACTED, n: 1 }] },
      tokensRemaining: 7,
    });
    expect(s.event({ type: 'config.reloaded', botToken: 'x', input: { chatId: 42 } })).toEqual({
      type: 'config.reloaded',
      botToken: REDACTED,
      input: { chatId: REDACTED },
    });
  });

  it('keeps structural snapshot fields whole but redacts its payloads', () => {
    const snap = {
      status: 'active',
      value: { token: 'waiting' }, // a state named "token" is structure, not a secret
      context: { password: 'p', ok: true },
      output: { secret: 's' },
      children: {},
      tags: [],
    };
    expect(s.snapshot(snap)).toEqual({
      status: 'active',
      value: { token: 'waiting' },
      context: { password: REDACTED, ok: true },
      output: { secret: REDACTED },
      children: {},
      tags: [],
    });
  });

  it('keeps state names in definitions and redacts keys under context/input', () => {
    const def = JSON.parse(
      s.definition({ id: 'm', context: { apiKey: 'k', n: 1 }, states: { token: { on: { go: 'secret' } }, secret: {} } }),
    );
    expect(def).toEqual({ id: 'm', context: { apiKey: REDACTED, n: 1 }, states: { token: { on: { go: 'secret' } }, secret: {} } });
  });

  it('scrubs secret values from strings, keys, errors and escaped/encoded forms; ignores short ones', () => {
    const out = s.payload({
      note: `key=${CANARY}!`,
      [CANARY]: 'as a key',
      err: new Error(`request failed: ${CANARY}`),
      quoted: `x${QUOTED}y`,
      url: `https://x/?k=${encodeURIComponent(QUOTED)}`,
      word: 'short',
    });
    const text = s.scrub(JSON.stringify(out));
    for (const form of [CANARY, QUOTED, JSON.stringify(QUOTED).slice(1, -1), encodeURIComponent(QUOTED)]) {
      expect(text).not.toContain(form);
    }
    expect(out).toMatchObject({ note: `key=${REDACTED}!`, [REDACTED]: 'as a key', word: 'short' });
  });

  it('redacts a numeric secret written as a number or bigint, keeping the JSON valid', () => {
    const numeric = createSanitizer(['1234567890']);
    const out = numeric.payload({ from: { id: 1234567890 }, big: 91234567890n, other: 42 });
    expect(out).toEqual({ from: { id: REDACTED }, big: `9${REDACTED}`, other: 42 });
  });

  it('leaks no secret wherever it is placed in arbitrary data (property)', () => {
    const withSecret = fc
      .tuple(fc.string(), fc.string(), fc.constantFrom(CANARY, QUOTED))
      .map(([a, b, secret]) => `${a}${secret}${b}`);
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        withSecret,
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string(), withSecret), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        for (const text of [
          s.scrub(JSON.stringify(s.payload(v))),
          s.scrub(JSON.stringify(s.snapshot({ status: 'active', context: v, value: 'idle' }))),
          s.scrub(JSON.stringify(s.event({ type: 'x', payload: v }))),
          s.scrub(s.definition({ id: 'm', context: v })),
        ]) {
          expect(text).not.toContain(CANARY);
          expect(text).not.toContain(QUOTED);
          expect(text).not.toContain(JSON.stringify(QUOTED).slice(1, -1));
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('createSanitizer: size budget', () => {
  const limit = 1024;
  const s = createSanitizer([], { maxContextBytes: limit, maxStringLength: 100 });
  const marker = truncatedMarker(limit);

  it('cuts long strings with a marker', () => {
    expect(s.payload({ text: 'a'.repeat(150) })).toEqual({ text: `${'a'.repeat(100)}…[truncated 50 chars]` });
  });

  it('replaces a field that does not fit and keeps the small ones', () => {
    const candles = Array.from({ length: 5000 }, (_, i) => ({ t: i, c: '30000.1' }));
    expect(s.payload({ symbol: 'BTC/USD', candles, nowMs: 1 })).toEqual({ symbol: 'BTC/USD', candles: marker, nowMs: 1 });
    expect(s.payload(candles)).toBe(marker);
  });

  it('summarises the fields left once the budget is spent', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    const out = s.payload(many) as Record<string, unknown>;
    const kept = Object.keys(out).filter((k) => k !== '[truncated]');
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(500);
    expect(out['[truncated]']).toBe(`${500 - kept.length} more fields omitted: over the ${limit}-byte inspection budget`);
  });

  it('keeps every payload within the budget plus the marker overhead (property)', () => {
    const overhead = 160; // the summary entry and one field marker
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, maxDepth: 6 }), fc.array(fc.string({ maxLength: 300 }), { maxLength: 40 }), (value, strings) => {
        for (const v of [value, { value, strings }, strings]) {
          expect(JSON.stringify(s.payload(v)).length).toBeLessThanOrEqual(limit + overhead);
        }
      }),
      { numRuns: runs(1000) },
    );
  });
});
