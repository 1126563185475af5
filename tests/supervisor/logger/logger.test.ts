import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../../../supervisor/logger/index.ts';
import { runs } from '../../support/runs.ts';

const CANARY_SECRET = 'canary-KRAKEN-SECRET-8f2d1c77e0b4';
const CANARY_TOKEN = '123456:canary-telegram-token-zz9';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time and bindings of child loggers', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream, pretty: false });
    log.child({ actor: 'symbol', symbol: 'BTC/USD' }).info({ price: '30000.1' }, 'candle closed');
    log.debug('hidden below the level');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 30, actor: 'symbol', symbol: 'BTC/USD', price: '30000.1', msg: 'candle closed' });
    expect(typeof line.time).toBe('string');
  });

  it('never writes canary secrets: by key path, nested, inside errors and free text', () => {
    const out = capture();
    const log = createLogger({
      level: 'trace',
      destination: out.stream,
      pretty: false,
      secretValues: [CANARY_SECRET, CANARY_TOKEN, undefined],
    });
    log.info({ apiSecret: CANARY_SECRET, token: CANARY_TOKEN }, 'top-level keys');
    log.info({ kraken: { apiSecret: CANARY_SECRET } }, 'one level down');
    log.info({ deep: { a: { b: { c: { note: `key=${CANARY_SECRET}` } } } } }, 'deep free text');
    log.error({ err: new Error(`request failed: Authorization ${CANARY_SECRET}`) }, 'error message');
    const err = new Error('wrapped', { cause: new Error(`inner ${CANARY_TOKEN}`) });
    log.error({ err }, 'error cause');
    log.warn(`interpolated ${CANARY_TOKEN} in the message`);
    log.info({ url: `https://api.telegram.org/bot${encodeURIComponent(CANARY_TOKEN)}/getMe` }, 'url-encoded');
    log.child({ secrets: { kraken: CANARY_SECRET } }).info('child binding');
    const text = out.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(8);
    expect(text).not.toContain(CANARY_SECRET);
    expect(text).not.toContain(CANARY_TOKEN);
    expect(text).not.toContain(encodeURIComponent(CANARY_TOKEN));
    expect(text).toContain('[Redacted]');
  });

  it('scrubs any secret from any text it is embedded in (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => !scrubSecrets(before + secret + after, [secret]).includes(secret),
      ),
      { numRuns: runs(1000) },
    );
  });
});
