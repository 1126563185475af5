import { describe, expect, it } from 'vitest';
import { formatProblem, formatProblems, loadConfigFile, REDACTED } from '../../../supervisor/config/index.ts';
import { configOf, FULL_ENV, onlyProblem, parse, problemsOf } from './helpers.ts';

describe('unknown keys', () => {
  it('rejects an unknown top-level section and lists the sections', () => {
    const p = onlyProblem(parse('bogus = 1\n'));
    expect(p.key).toBe('bogus');
    expect(p.value).toBe(1);
    expect(p.message).toMatch(/unknown key/);
    expect(p.allowed).toContain('general');
    expect(p.allowed).toContain('risk');
  });

  it('rejects an unknown nested key and suggests the near miss', () => {
    const p = onlyProblem(parse('[risk.per_trade]\nmax_trade_pc = 0.1\n'));
    expect(p.key).toBe('risk.per_trade.max_trade_pc');
    expect(p.message).toContain('did you mean risk.per_trade.max_trade_pct?');
    expect(p.allowed).toContain('max_trade_pct');
  });

  it('rejects an unknown key inside a price entry (and a written price table replaces the defaults)', () => {
    const problems = problemsOf(parse('[ai.prices."claude-opus-5-5"]\ninput = 4\noutput = 20\ncache_write = 5\ncache_read = 0.2\nbatch = 2\n'));
    expect(problems.map((p) => [p.key, p.rule])).toEqual([
      ['ai.prices.claude-opus-5-5.batch', undefined],
      ['ai.code_model', 'models_have_prices'],
      ['ai.ask_model', 'models_have_prices'],
    ]);
  });

  it('rejects max_leverage and explains that the fund is spot-only', () => {
    const p = onlyProblem(parse('[risk.position]\nmax_leverage = 1.0\n'));
    expect(p.key).toBe('risk.position.max_leverage');
    expect(p.message).toMatch(/spot only/);
    expect(p.message).toMatch(/leverage is always 1/);
  });

  it("points the predecessor's model and risk-file keys to their new places", () => {
    const problems = problemsOf(parse('[ai]\nopus_model = "claude-opus-4-6"\n[position]\nmax_positions = 5\n'));
    expect(problems.find((p) => p.key === 'ai.opus_model')?.message).toContain('ai.analysis_model');
    expect(problems.find((p) => p.key === 'position')?.message).toContain('[risk.position]');
  });
});

describe('wrong types', () => {
  it.each([
    ['[risk.per_trade]\nmax_trade_pct = "10%"\n', 'risk.per_trade.max_trade_pct', 'must be a number, not a string'],
    ['[telegram]\nenabled = "yes"\n', 'telegram.enabled', 'must be true or false, not a string'],
    ['[general]\ntimezone = 5\n', 'general.timezone', 'must be a string, not the integer 5'],
    ['[markets]\nsymbols = "BTC/USD"\n', 'markets.symbols', 'must be a list, not a string'],
    ['general = 3\n', 'general', 'must be a table, not the integer 3'],
    ['[risk.position]\nmax_positions = nan\n', 'risk.position.max_positions', 'must be a number, not nan'],
    ['[api]\nport = 2020-01-01T00:00:00Z\n', 'api.port', 'must be a number, not a date-time'],
  ])('%s', (toml, key, message) => {
    const p = onlyProblem(parse(toml));
    expect(p.key).toBe(key);
    expect(p.message).toBe(message);
  });

  it('reports a missing field of a user-added price entry', () => {
    const problems = problemsOf(parse('[ai.prices."claude-x"]\ninput = 1\noutput = 2\ncache_write = 1\n'));
    expect(problems.map((p) => [p.key, p.message])).toEqual([['ai.prices.claude-x.cache_read', 'is missing']]);
  });
});

describe('out of range', () => {
  it.each([
    ['[risk.position]\nmax_position_pct = 0\n', 'risk.position.max_position_pct', 'must be greater than 0'],
    ['[risk.position]\nmax_position_pct = 1.5\n', 'risk.position.max_position_pct', 'must be at most 1'],
    ['[risk.position]\nmax_positions = 0\n', 'risk.position.max_positions', 'must be at least 1'],
    ['[risk.position]\nmax_positions = 2.5\n', 'risk.position.max_positions', 'must be a whole number'],
    ['[api]\nport = 70000\n', 'api.port', 'must be at most 65,535'],
    ['[orchestrator]\npromotion_min_psr = 1\n', 'orchestrator.promotion_min_psr', 'must be less than 1'],
    ['[orchestrator]\ncycle_token_reserve = 1e20\n', 'orchestrator.cycle_token_reserve', 'must be at most 1,000,000,000'],
    ['[general]\npaper_balance_usd = 100.005\n', 'general.paper_balance_usd', 'has more than 2 decimal places'],
    ['[general]\nlog_level = "INFO"\n', 'general.log_level', 'is not one of the allowed values'],
    ['[markets]\nsymbols = []\n', 'markets.symbols', 'must list at least 1 item'],
  ])('%s', (toml, key, message) => {
    const p = onlyProblem(parse(toml));
    expect(p.key).toBe(key);
    expect(p.message).toBe(message);
  });

  it('accepts the inclusive bounds themselves', () => {
    configOf(parse('[risk.position]\nmax_position_pct = 1\nmax_positions = 1\n[risk.per_trade]\nmax_trade_pct = 0.1\n[api]\nport = 65535\n'));
  });

  it('explains that backtest and sim are chosen on the command line', () => {
    const p = onlyProblem(parse('[general]\nmode = "backtest"\n'));
    expect(p.message).toMatch(/brain backtest/);
    expect(p.allowed).toBe('one of "paper", "live"');
  });

  it('rejects Kraken fees written in the predecessor\'s percent units', () => {
    const p = onlyProblem(parse('[kraken]\ntaker_fee_pct = 0.40\n'));
    expect(p.key).toBe('kraken.taker_fee_pct');
    expect(p.allowed).toBe('a number with 0 ≤ x ≤ 0.05');
  });
});

describe('time zones', () => {
  it.each(['Mars/Olympus_Mons', '+05:00', 'UTC+5', 'America/Nowhere', ''])('rejects %j', (zone) => {
    const p = onlyProblem(parse(`[general]\ntimezone = ${JSON.stringify(zone)}\n`));
    expect(p.key).toBe('general.timezone');
    expect(p.allowed).toMatch(/IANA/);
  });

  it.each(['UTC', 'Europe/London', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])('accepts %j', (zone) => {
    expect(configOf(parse(`[general]\ntimezone = ${JSON.stringify(zone)}\n`)).general.timezone).toBe(zone);
  });
});

describe('symbols', () => {
  it.each([
    ['BTCUSD', /BASE\/QUOTE with one slash/],
    ['BTC/EUR', /quoted in EUR; only USD-quoted pairs/],
    ['BTC/USDT', /quoted in USDT/],
    ['BTC/CAD', /quoted in CAD/],
    ['btc/usd', /upper case \("BTC\/USD"\)/],
    ['XBT/USD', /write "BTC\/USD"/],
    ['XDG/USD', /write "DOGE\/USD"/],
    ['BTC/USD/EUR', /one slash/],
  ])('rejects %s', (symbol, message) => {
    const p = onlyProblem(parse(`[markets]\nsymbols = ["ETH/USD", ${JSON.stringify(symbol)}]\n`));
    expect(p.key).toBe('markets.symbols[1]');
    expect(p.value).toBe(symbol);
    expect(p.message).toMatch(message);
  });

  it('rejects duplicates and more than 12 pairs', () => {
    expect(onlyProblem(parse('[markets]\nsymbols = ["ETH/USD", "ETH/USD"]\n')).message).toBe('lists ETH/USD more than once');
    const thirteen = Array.from({ length: 13 }, (_, i) => `"C${i}/USD"`).join(', ');
    expect(onlyProblem(parse(`[markets]\nsymbols = [${thirteen}]\n`)).message).toBe('lists 13 items; at most 12 allowed');
  });

  it('accepts USD pairs with digits in the base', () => {
    expect(configOf(parse('[markets]\nsymbols = ["1INCH/USD", "BTC/USD"]\n')).markets.symbols).toEqual(['1INCH/USD', 'BTC/USD']);
  });
});

describe('malformed TOML', () => {
  it.each([
    ['[general]\nmode = "paper\n', 2, 14],
    ['a = 1\na = 2\n', 2, 1],
    ['[risk]\n__proto__ = 1\n', 2, 1],
    ['[general]\n  paper_balance_usd = 99999999999999999999\n', 2, 23],
    ['[general\n', 1, 9],
  ])('%j is reported with line and column', (toml, line, column) => {
    const p = onlyProblem(parse(toml));
    expect(p.key).toBe('');
    expect(p.message).toMatch(/^malformed TOML: /);
    expect([p.line, p.column]).toEqual([line, column]);
    expect(formatProblem(p)).toMatch(new RegExp(`^brain\\.toml:${line}:${column}: malformed TOML`));
  });

  it('still reports problems of the environment alone', () => {
    const problems = problemsOf(parse('[general\n', { KRAKEN_API_SECRET: 'not base64!' }));
    expect(problems.map((p) => p.key)).toEqual(['', 'env.KRAKEN_API_SECRET']);
  });

  it('tolerates a UTF-8 byte-order mark', () => {
    configOf(parse('\uFEFF[general]\nmode = "paper"\n'));
  });
});

describe('live mode', () => {
  it('without Kraken keys reports both variables', () => {
    const problems = problemsOf(parse('[general]\nmode = "live"\n'));
    expect(problems.map((p) => [p.key, p.rule])).toEqual([
      ['env.KRAKEN_API_KEY', 'live_needs_kraken_keys'],
      ['env.KRAKEN_API_SECRET', 'live_needs_kraken_keys'],
    ]);
    expect(problems[0]?.value).toBeUndefined();
  });

  it('treats blank variables as unset', () => {
    const problems = problemsOf(parse('[general]\nmode = "live"\n', { KRAKEN_API_KEY: '  ', KRAKEN_API_SECRET: FULL_ENV.KRAKEN_API_SECRET }));
    expect(problems.map((p) => p.key)).toEqual(['env.KRAKEN_API_KEY']);
  });

  it('with both keys is valid and exposes them as secrets', () => {
    const config = configOf(parse('[general]\nmode = "live"\n', FULL_ENV));
    expect(config.general.mode).toBe('live');
    expect(config.secrets.krakenApiKey).toBe(FULL_ENV.KRAKEN_API_KEY);
  });

  it('refuses plain-text Kraken URLs except to loopback (the fake exchange)', () => {
    const remote = problemsOf(parse('[general]\nmode = "live"\n[kraken]\nrest_url = "http://kraken.example"\nws_url = "ws://kraken.example/v2"\n', FULL_ENV));
    expect(remote.map((p) => p.key)).toEqual(['kraken.rest_url', 'kraken.ws_url']);
    configOf(parse('[general]\nmode = "live"\n[kraken]\nrest_url = "http://127.0.0.1:9000"\nws_url = "ws://localhost:9001/v2"\nws_auth_url = "ws://[::1]:9002/v2"\n', FULL_ENV));
    configOf(parse('[kraken]\nrest_url = "http://kraken.example"\n'));
  });
});

describe('secrets in brain.toml', () => {
  it.each([
    ['[kraken]\napi_key = "abc123abc123"\n', 'kraken.api_key', 'KRAKEN_API_KEY'],
    ['[kraken]\napi_secret = "abc123abc123"\n', 'kraken.api_secret', 'KRAKEN_API_SECRET'],
    ['[telegram]\nbot_token = "abc123abc123"\n', 'telegram.bot_token', 'TELEGRAM_BOT_TOKEN'],
    ['[telegram]\nchat_id = "-100123"\n', 'telegram.chat_id', 'TELEGRAM_CHAT_ID'],
    ['[ai]\napi_key = "abc123abc123"\n', 'ai.api_key', 'ANTHROPIC_API_KEY'],
    ['[api]\ntoken = "abc123abc123"\n', 'api.token', 'BRAIN_API_TOKEN'],
    ['BRAIN_API_TOKEN = "abc123abc123"\n', 'BRAIN_API_TOKEN', 'BRAIN_API_TOKEN'],
  ])('%j is an error naming %s and the variable to use', (toml, key, variable) => {
    const p = onlyProblem(parse(toml));
    expect(p.key).toBe(key);
    expect(p.value).toBe(REDACTED);
    expect(p.message).toContain(`set ${variable}`);
    expect(formatProblem(p)).not.toContain('abc123abc123');
  });

  it('never echoes a secret pasted into another key', () => {
    const secret = FULL_ENV.ANTHROPIC_API_KEY;
    const p = onlyProblem(parse(`[general]\ntimezone = "${secret}"\n`, FULL_ENV));
    expect(p.key).toBe('general.timezone');
    expect(p.value).toBe(REDACTED);
    expect(formatProblem(p)).not.toContain(secret);
  });
});

describe('reporting', () => {
  it('reports all five problems of a file together', () => {
    const toml = [
      'surprise = true', //                        1. unknown top-level key
      '[general]',
      'timezone = "Mars/Base"', //                 2. bad time zone
      '[risk.position]',
      'max_positions = "many"', //                 3. wrong type
      '[risk.per_trade]',
      'max_trade_pct = 0.3', //                    4. inconsistent with max_position_pct = 0.25
      '[api]',
      'port = 0', //                               5. out of range
    ].join('\n');
    const problems = problemsOf(parse(toml));
    expect(problems.map((p) => p.key).sort()).toEqual(
      ['api.port', 'general.timezone', 'risk.per_trade.max_trade_pct', 'risk.position.max_positions', 'surprise'].sort(),
    );
    expect(formatProblems(problems).split('\n')).toHaveLength(5);
  });

  it('reports one bad value once, not again through the rules that read it', () => {
    const p = onlyProblem(parse('[risk.position]\nmax_position_pct = "lots"\n[risk.per_trade]\nmax_trade_pct = 0.3\n'));
    expect(p.key).toBe('risk.position.max_position_pct');
  });

  it('formats a problem on one line naming key, value and what is allowed', () => {
    const line = formatProblem(onlyProblem(parse('[risk.per_trade]\nmax_trade_pct = 1.5\n')));
    expect(line).toBe('brain.toml: risk.per_trade.max_trade_pct = 1.5: must be at most 1 (allowed: a number with 0 < x ≤ 1)');
  });

  it('uses the source label', () => {
    const result = problemsOf(parse('x = 1'));
    expect(formatProblems(result)).toMatch(/^brain\.toml: x = 1: unknown key/);
  });
});

describe('loadConfigFile', () => {
  it('turns a missing file into a problem', () => {
    const result = loadConfigFile('/nonexistent/dir/brain.toml', {});
    const p = onlyProblem(result);
    expect(p.source).toBe('/nonexistent/dir/brain.toml');
    expect(p.message).toBe('config file not found');
  });

  it('turns a directory into a problem', () => {
    expect(onlyProblem(loadConfigFile('/tmp', {})).message).toBe('is a directory, not a config file');
  });
});
