import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  defaultConfig,
  NOTIFICATION_EVENTS,
  redactionPaths,
  SECRET_ENV_KEYS,
  SECRET_FIELDS,
  toRiskLimits,
} from '../../../supervisor/config/index.ts';
import { configOf, FULL_ENV, parse } from './helpers.ts';

describe('deep freeze', () => {
  const config = configOf(parse('[telegram]\nallowed_user_ids = [42]\n', FULL_ENV));

  it('freezes every table, list and map entry, and the secrets', () => {
    const nodes: unknown[] = [
      config,
      config.general,
      config.risk,
      config.risk.perTrade,
      config.markets.symbols,
      config.telegram.allowedUserIds,
      config.telegram.notifications,
      config.ai.prices,
      config.ai.prices['claude-opus-5-5'],
      config.ai.vertex,
      config.secrets,
    ];
    for (const node of nodes) expect(Object.isFrozen(node)).toBe(true);
  });

  it('throws on writes (ESM is strict mode)', () => {
    const risk = config.risk.perTrade as { maxTradePct: number };
    expect(() => {
      risk.maxTradePct = 0.9;
    }).toThrow(TypeError);
    expect(() => (config.markets.symbols as string[]).push('SOL/USD')).toThrow(TypeError);
    expect(() => {
      (config.secrets as { krakenApiKey: string }).krakenApiKey = 'stolen';
    }).toThrow(TypeError);
    expect(() => {
      (config.ai.prices as Record<string, unknown>)['claude-new'] = {};
    }).toThrow(TypeError);
    expect(config.risk.perTrade.maxTradePct).toBe(0.1);
  });

  it('defaultConfig() is frozen too, and equal to parsing an empty file', () => {
    const defaults = defaultConfig();
    expect(Object.isFrozen(defaults.orchestrator)).toBe(true);
    expect(defaults).toEqual(configOf(parse('')));
  });

  it('gives independent objects per parse', () => {
    const a = configOf(parse(''));
    const b = configOf(parse(''));
    expect(a).not.toBe(b);
    expect(a.markets.symbols).not.toBe(b.markets.symbols);
  });
});

describe('shape', () => {
  const config = configOf(parse('', FULL_ENV));

  it('camelCases table keys, keeps model ids as written', () => {
    expect(config.data.candle5mRetentionDays).toBe(30);
    expect(config.risk.daily.dailyLossIncludesUnrealized).toBe(true);
    expect(config.orchestrator.minPaperTestTrades).toBe(5);
    expect(config.ai.prices['claude-sonnet-5-5']).toEqual({ input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 });
    expect(Object.keys(config.telegram.notifications)).toContain('websocketFeedLost');
    expect(Object.keys(config.telegram.notifications)).toHaveLength(NOTIFICATION_EVENTS.length);
  });

  it('reads secrets from the environment only, trimmed', () => {
    const withSpaces = configOf(parse('', { ...FULL_ENV, ANTHROPIC_API_KEY: `  ${FULL_ENV.ANTHROPIC_API_KEY}\n` }));
    expect(withSpaces.secrets.anthropicApiKey).toBe(FULL_ENV.ANTHROPIC_API_KEY);
    const none = configOf(parse(''));
    expect(Object.values(none.secrets)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(Object.keys(SECRET_FIELDS)).toEqual([...SECRET_ENV_KEYS]);
  });

  it('keeps secrets out of spreads, JSON and enumeration', () => {
    expect(Object.keys(config)).not.toContain('secrets');
    expect({ ...config }).not.toHaveProperty('secrets');
    const json = JSON.stringify(config);
    for (const value of Object.values(FULL_ENV)) expect(json).not.toContain(value);
  });

  it('redactionPaths hide secrets when a logger is given the secrets or the environment', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: [...redactionPaths], censor: '[Redacted]' } }, sink);
    log.info({ secrets: config.secrets }, 'a');
    log.info({ config: { secrets: config.secrets } }, 'b');
    log.info({ env: { ...FULL_ENV } }, 'c');
    log.info({ krakenApiSecret: config.secrets.krakenApiSecret, ...FULL_ENV }, 'd');
    const out = lines.join('');
    expect(lines).toHaveLength(4);
    for (const value of Object.values(FULL_ENV)) expect(out).not.toContain(value);
  });
});

describe('toRiskLimits', () => {
  it('maps the HEAD defaults of predecessor.md §1.2 to the domain names', () => {
    expect(toRiskLimits(configOf(parse('')))).toEqual({
      maxPositionPct: 0.25,
      maxPositions: 18,
      maxDailyLossPct: 0.1,
      maxDailyTrades: 20,
      maxTradePct: 0.1,
      defaultTradePct: 0.06,
      defaultStopLossPct: 0.03,
      defaultTakeProfitPct: 0.09,
      killSwitch: false,
      maxDrawdownPct: 0.4,
      rollbackDailyLossPct: 0.15,
      rollbackConsecutiveLosses: 999,
      dailyLossIncludesUnrealized: true,
    });
  });

  it('takes rollback values from [risk.rollback], not [risk.daily]', () => {
    const limits = toRiskLimits(
      configOf(parse('[risk.daily]\nmax_daily_loss_pct = 0.05\ndaily_loss_includes_unrealized = false\n[risk.rollback]\nmax_daily_loss_pct = 0.07\nmax_consecutive_losses = 6\n', FULL_ENV)),
    );
    expect(limits).toMatchObject({ maxDailyLossPct: 0.05, rollbackDailyLossPct: 0.07, rollbackConsecutiveLosses: 6, dailyLossIncludesUnrealized: false });
    expect(Object.isFrozen(limits)).toBe(true);
  });
});
