import { describe, expect, it } from 'vitest';
import { RULES, windowMinutes } from '../../../supervisor/config/index.ts';
import { configOf, FULL_ENV, onlyProblem, parse, problemsOf, warningsOf } from './helpers.ts';

/** The single problem (error or warning) a rule reports for this input, asserting exactly one. */
function ruleHit(toml: string, rule: string, env: Record<string, string | undefined> = FULL_ENV) {
  const result = parse(toml, env);
  const hits = [...(result.ok ? [] : result.problems), ...result.warnings].filter((p) => p.rule === rule);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

function ruleSilent(toml: string, rule: string, env: Record<string, string | undefined> = FULL_ENV): void {
  const result = parse(toml, env);
  expect([...(result.ok ? [] : result.problems), ...result.warnings].filter((p) => p.rule === rule)).toEqual([]);
}

describe('risk rules', () => {
  it('trade_within_position: max_trade_pct may equal but not exceed max_position_pct', () => {
    const p = ruleHit('[risk.position]\nmax_position_pct = 0.2\n[risk.per_trade]\nmax_trade_pct = 0.21\n', 'trade_within_position');
    expect(p).toMatchObject({ key: 'risk.per_trade.max_trade_pct', value: 0.21, severity: 'error' });
    expect(p.allowed).toBe('at most risk.position.max_position_pct (0.2)');
    configOf(parse('[risk.position]\nmax_position_pct = 0.2\n[risk.per_trade]\nmax_trade_pct = 0.2\n', FULL_ENV));
  });

  it('default_trade_within_max_trade', () => {
    const p = ruleHit('[risk.per_trade]\ndefault_trade_pct = 0.11\n', 'default_trade_within_max_trade');
    expect(p).toMatchObject({ key: 'risk.per_trade.default_trade_pct', severity: 'error' });
  });

  it('daily-loss and rollback orderings are warnings', () => {
    expect(ruleHit('[risk.daily]\nmax_daily_loss_pct = 0.5\n[risk.rollback]\nmax_daily_loss_pct = 0.5\n', 'daily_loss_reachable_before_drawdown').severity).toBe('warning');
    expect(ruleHit('[risk.rollback]\nmax_daily_loss_pct = 0.05\n', 'rollback_after_daily_loss_block').severity).toBe('warning');
    expect(ruleHit('[risk.rollback]\nmax_daily_loss_pct = 0.5\n', 'rollback_reachable_before_drawdown').severity).toBe('warning');
    configOf(parse('[risk.rollback]\nmax_daily_loss_pct = 0.05\n', FULL_ENV));
  });

  it('kill_switch_on warns', () => {
    expect(ruleHit('[risk.emergency]\nkill_switch = true\n', 'kill_switch_on').severity).toBe('warning');
    ruleSilent('', 'kill_switch_on');
  });
});

describe('orchestrator rules', () => {
  it('windowMinutes wraps past midnight', () => {
    // 03:30 → 06:30 is 3 h; 23:00 → 02:00 is 3 h across midnight; equal ends are an empty window.
    const o = configOf(parse('', FULL_ENV)).orchestrator;
    expect(windowMinutes(o)).toBe(180);
    expect(windowMinutes({ ...o, startHour: 23, startMinute: 0, endHour: 2, endMinute: 0 })).toBe(180);
    expect(windowMinutes({ ...o, startHour: 4, startMinute: 15, endHour: 4, endMinute: 15 })).toBe(0);
  });

  it('cycle_fits_window: the deadline must fit in the window', () => {
    configOf(parse('[orchestrator]\nstart_hour = 23\nstart_minute = 0\nend_hour = 2\nend_minute = 0\ncycle_deadline_minutes = 180\n', FULL_ENV));
    const p = ruleHit('[orchestrator]\nstart_hour = 23\nstart_minute = 0\nend_hour = 2\nend_minute = 0\ncycle_deadline_minutes = 181\n', 'cycle_fits_window');
    expect(p.key).toBe('orchestrator.cycle_deadline_minutes');
    expect(p.message).toContain('23:00–02:00 (180 minutes)');
    expect(ruleHit('[orchestrator]\nend_hour = 3\n', 'cycle_fits_window').message).toContain('is empty');
  });

  it('token_reserve_below_daily_limit', () => {
    const p = ruleHit('[ai]\ndaily_token_limit = 200000\n', 'token_reserve_below_daily_limit');
    expect(p).toMatchObject({ key: 'orchestrator.cycle_token_reserve', value: 200_000, severity: 'error' });
  });

  it('paper_test_deadline_after_minimum', () => {
    const p = ruleHit('[orchestrator]\nmin_paper_test_days = 10\npaper_test_deadline_days = 9\n', 'paper_test_deadline_after_minimum');
    expect(p.key).toBe('orchestrator.paper_test_deadline_days');
  });
});

describe('ai rules', () => {
  it('models_have_prices names the model without a price', () => {
    const p = ruleHit('[ai]\ncode_model = "claude-sonnet-9"\n', 'models_have_prices');
    expect(p).toMatchObject({ key: 'ai.code_model', value: 'claude-sonnet-9' });
    expect(p.allowed).toContain('[ai.prices."claude-sonnet-9"]');
  });

  it('a new model with its price entry is valid (map keys stay as written)', () => {
    const config = configOf(
      parse(
        [
          '[ai]',
          'ask_model = "claude-haiku-4-5"',
          '[ai.prices."claude-opus-5-5"]', 'input = 4', 'output = 20', 'cache_write = 5', 'cache_read = 0.2',
          '[ai.prices."claude-sonnet-5-5"]', 'input = 2', 'output = 10', 'cache_write = 2.5', 'cache_read = 0.2',
          '[ai.prices."claude-haiku-4-5"]', 'input = 1', 'output = 5', 'cache_write = 1.25', 'cache_read = 0.1',
        ].join('\n'),
        FULL_ENV,
      ),
    );
    expect(config.ai.prices['claude-haiku-4-5']).toEqual({ input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 });
  });

  it('vertex_needs_project', () => {
    expect(ruleHit('[ai]\nprovider = "vertex"\n', 'vertex_needs_project').key).toBe('ai.vertex.project_id');
    configOf(parse('[ai]\nprovider = "vertex"\n[ai.vertex]\nproject_id = "my-fund-123"\n', FULL_ENV));
  });

  it('anthropic_key_missing is a warning only', () => {
    const result = parse('', { ...FULL_ENV, ANTHROPIC_API_KEY: undefined });
    expect(result.ok).toBe(true);
    expect(warningsOf(result).map((w) => w.rule)).toEqual(['anthropic_key_missing', 'telegram_has_operators']);
  });
});

describe('telegram and api rules', () => {
  it('telegram without token, chat or operators warns', () => {
    expect(ruleHit('', 'telegram_token_missing', {}).key).toBe('env.TELEGRAM_BOT_TOKEN');
    expect(ruleHit('', 'telegram_chat_missing', { ...FULL_ENV, TELEGRAM_CHAT_ID: undefined }).key).toBe('env.TELEGRAM_CHAT_ID');
    expect(ruleHit('', 'telegram_has_operators').key).toBe('telegram.allowed_user_ids');
    ruleSilent('[telegram]\nallowed_user_ids = [123456789]\n', 'telegram_has_operators');
    ruleSilent('[telegram]\nenabled = false\n', 'telegram_token_missing', {});
  });

  it('api_needs_token: required and at least 32 characters when enabled', () => {
    expect(onlyProblem(parse('[api]\nenabled = true\n', { ...FULL_ENV, BRAIN_API_TOKEN: undefined })).key).toBe('env.BRAIN_API_TOKEN');
    const short = onlyProblem(parse('[api]\nenabled = true\n', { ...FULL_ENV, BRAIN_API_TOKEN: 'short-token' }));
    expect(short.message).toBe('is only 11 characters long');
    expect(short.value).toBe('[redacted]');
    configOf(parse('[api]\nenabled = true\n', FULL_ENV));
    configOf(parse('[api]\nenabled = false\n', { ...FULL_ENV, BRAIN_API_TOKEN: undefined }));
  });

  it('api_on_loopback warns for a public address', () => {
    expect(ruleHit('[api]\nenabled = true\nhost = "0.0.0.0"\n', 'api_on_loopback').severity).toBe('warning');
    ruleSilent('[api]\nenabled = true\nhost = "::1"\n', 'api_on_loopback');
  });
});

describe('environment rules', () => {
  it('kraken_secret_is_base64', () => {
    const p = onlyProblem(parse('', { ...FULL_ENV, KRAKEN_API_SECRET: 'has spaces and !' }));
    expect(p).toMatchObject({ key: 'env.KRAKEN_API_SECRET', value: '[redacted]', rule: 'kraken_secret_is_base64' });
  });

  it('telegram_chat_id_format accepts ids and channel names only', () => {
    for (const ok of ['123456789', '-1001234567890', '@trading_alerts']) configOf(parse('', { ...FULL_ENV, TELEGRAM_CHAT_ID: ok }));
    expect(onlyProblem(parse('', { ...FULL_ENV, TELEGRAM_CHAT_ID: 'my chat' })).rule).toBe('telegram_chat_id_format');
  });

  it("predecessor_env_names warns about the old variable names", () => {
    const result = parse('[api]\nenabled = true\n', { ...FULL_ENV, KRAKEN_API_SECRET: undefined, KRAKEN_SECRET_KEY: 'x', BRAIN_API_TOKEN: undefined, API_KEY: 'y' });
    expect(warningsOf(result).filter((w) => w.rule === 'predecessor_env_names').map((w) => w.key)).toEqual(['env.KRAKEN_SECRET_KEY', 'env.API_KEY']);
  });
});

describe('data rules', () => {
  it('retention_tiers_ordered', () => {
    expect(ruleHit('[data]\ncandle_5m_retention_days = 400\n', 'retention_tiers_ordered').key).toBe('data.candle_5m_retention_days');
    expect(ruleHit('[data]\ncandle_1h_retention_days = 800\ncandle_1d_retention_years = 2\n', 'retention_tiers_ordered').key).toBe('data.candle_1h_retention_days');
    configOf(parse('[data]\ncandle_1h_retention_days = 730\ncandle_1d_retention_years = 2\n', FULL_ENV));
  });

  it('maker_fee_not_above_taker warns on swapped fees', () => {
    expect(ruleHit('[kraken]\nmaker_fee_pct = 0.004\ntaker_fee_pct = 0.0025\n', 'maker_fee_not_above_taker').severity).toBe('warning');
  });
});

describe('the rule set', () => {
  it('has unique names, and every TOML key a rule reads exists', () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const config = configOf(parse('', FULL_ENV));
    for (const rule of RULES) {
      for (const key of rule.reads) {
        const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())], config);
        expect(value, `${rule.name} reads ${key}`).not.toBeUndefined();
      }
    }
  });

  it('the shipped defaults with every secret set give no errors and no warnings but the operator list', () => {
    const result = parse('', FULL_ENV);
    expect(result.ok).toBe(true);
    expect(warningsOf(result).map((w) => w.rule)).toEqual(['telegram_has_operators']);
    expect(problemsOf(parse('[general]\nmode = "live"\n', {})).every((p) => p.rule === 'live_needs_kraken_keys')).toBe(true);
  });
});
