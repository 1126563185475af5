import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { DOC_END, DOC_START } from '../../../supervisor/config/generate.ts';
import { NOTIFICATION_EVENTS, RULES, SECRET_ENV_KEYS, loadConfigFile } from '../../../supervisor/config/index.ts';
import { allLeaves, allTables, configTree, formatKey } from '../../../supervisor/config/introspect.ts';
import { renderBrainToml, renderKeyTable } from '../../../supervisor/config/render.ts';
import { BrainTomlSchema, defaultToml } from '../../../supervisor/config/schema.ts';

const root = new URL('../../../', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');
const brainToml = read('brain.toml');
const leaves = allLeaves(configTree(BrainTomlSchema, defaultToml()));
const regenerate = 'run: npx tsx supervisor/config/generate.ts';

/** Every leaf path of a parsed TOML document. */
function leafPaths(value: unknown, path: string[] = []): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [formatKey(path)];
}

describe('the shipped brain.toml', () => {
  it('equals the schema defaults exactly', () => {
    expect(parseToml(brainToml)).toEqual(defaultToml());
  });

  it('writes out every key of the schema (none left to implicit defaults)', () => {
    expect(leafPaths(parseToml(brainToml)).sort()).toEqual(leaves.map((l) => l.key).sort());
  });

  it('is what the generator writes', () => {
    expect(brainToml, regenerate).toBe(renderBrainToml());
  });

  it('has a comment (meaning, then "Allowed:") directly above every key', () => {
    const lines = brainToml.split('\n');
    const keyLines = lines.map((line, i) => [line, i] as const).filter(([line]) => /^[a-z0-9_]+ = /.test(line));
    expect(keyLines).toHaveLength(leaves.length);
    for (const [line, i] of keyLines) {
      let top = i;
      while (lines[top - 1]?.startsWith('# ')) top--;
      const block = lines.slice(top, i);
      const allowedAt = block.findIndex((l) => l.startsWith('# Allowed: '));
      expect(allowedAt, `${line}: comment ${JSON.stringify(block)}`).toBeGreaterThan(0); // meaning first, then Allowed
    }
  });

  it('loads with no errors and only the warnings of an empty environment', () => {
    const result = loadConfigFile(new URL('brain.toml', root).pathname, {});
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.rule)).toEqual(['anthropic_key_missing', 'telegram_token_missing']);
  });
});

describe('the predecessor inventory (reference/predecessor.md §1)', () => {
  it('keeps every key of settings.toml and risk_limits.toml (renamed where documented)', () => {
    const predecessorToOurs: Record<string, string> = {
      'general.mode': 'general.mode',
      'general.paper_balance_usd': 'general.paper_balance_usd',
      'general.timezone': 'general.timezone',
      'general.log_level': 'general.log_level',
      'general.default_slippage_factor': 'general.default_slippage_factor',
      'kraken.rest_url': 'kraken.rest_url',
      'kraken.ws_url': 'kraken.ws_url',
      'kraken.maker_fee_pct': 'kraken.maker_fee_pct',
      'kraken.taker_fee_pct': 'kraken.taker_fee_pct',
      'markets.symbols': 'markets.symbols',
      'ai.provider': 'ai.provider',
      'ai.sonnet_model': 'ai.code_model',
      'ai.opus_model': 'ai.analysis_model',
      'ai.haiku_model': 'ai.ask_model',
      'ai.daily_token_limit': 'ai.daily_token_limit',
      'ai.vertex.project_id': 'ai.vertex.project_id',
      'ai.vertex.region': 'ai.vertex.region',
      'orchestrator.start_hour': 'orchestrator.start_hour',
      'orchestrator.start_minute': 'orchestrator.start_minute',
      'orchestrator.end_hour': 'orchestrator.end_hour',
      'orchestrator.max_revisions': 'orchestrator.max_revisions',
      'orchestrator.min_paper_test_trades': 'orchestrator.min_paper_test_trades',
      'orchestrator.max_strategy_iterations': 'orchestrator.max_strategy_iterations',
      'orchestrator.max_candidates': 'orchestrator.max_candidates',
      'orchestrator.reflection_interval_days': 'orchestrator.reflection_interval_days',
      'telegram.enabled': 'telegram.enabled',
      'telegram.allowed_user_ids': 'telegram.allowed_user_ids',
      'api.enabled': 'api.enabled',
      'api.host': 'api.host',
      'api.port': 'api.port',
      'fees.check_interval_hours': 'fees.check_interval_hours',
      'data.candle_5m_retention_days': 'data.candle_5m_retention_days',
      'data.candle_1h_retention_days': 'data.candle_1h_retention_days',
      'data.candle_1d_retention_years': 'data.candle_1d_retention_years',
      'position.max_position_pct': 'risk.position.max_position_pct',
      'position.max_positions': 'risk.position.max_positions',
      'daily.max_daily_loss_pct': 'risk.daily.max_daily_loss_pct',
      'daily.max_daily_trades': 'risk.daily.max_daily_trades',
      'per_trade.max_trade_pct': 'risk.per_trade.max_trade_pct',
      'per_trade.default_trade_pct': 'risk.per_trade.default_trade_pct',
      'per_trade.default_stop_loss_pct': 'risk.per_trade.default_stop_loss_pct',
      'per_trade.default_take_profit_pct': 'risk.per_trade.default_take_profit_pct',
      'emergency.kill_switch': 'risk.emergency.kill_switch',
      'emergency.max_drawdown_pct': 'risk.emergency.max_drawdown_pct',
      'rollback.max_daily_loss_pct': 'risk.rollback.max_daily_loss_pct',
      'rollback.max_consecutive_losses': 'risk.rollback.max_consecutive_losses',
    };
    const ours = new Set(leaves.map((l) => l.key));
    for (const [theirs, key] of Object.entries(predecessorToOurs)) expect(ours.has(key), `${theirs} → ${key}`).toBe(true);
  });

  it('uses the HEAD risk defaults (§1.2)', () => {
    expect(defaultToml().risk).toEqual({
      position: { max_position_pct: 0.25, max_positions: 18 },
      daily: { max_daily_loss_pct: 0.1, max_daily_trades: 20, daily_loss_includes_unrealized: true },
      per_trade: { max_trade_pct: 0.1, default_trade_pct: 0.06, default_stop_loss_pct: 0.03, default_take_profit_pct: 0.09 },
      emergency: { kill_switch: false, max_drawdown_pct: 0.4 },
      rollback: { max_daily_loss_pct: 0.15, max_consecutive_losses: 999 },
    });
  });

  it('has a Telegram switch for every notifier event of §14, with its default', () => {
    // Event → Telegram default, from the table in predecessor.md §14 (REF 18 rows + HEAD 6).
    const predecessorEvents: Record<string, boolean> = {
      trade_executed: true, stop_triggered: true, signal_rejected: false, risk_halt: true, risk_resumed: true,
      strategy_rollback: true, scan_complete: false, strategy_deployed: true, paper_test_started: false,
      paper_test_completed: false, orchestrator_cycle_started: false, orchestrator_cycle_completed: false,
      daily_summary: true, weekly_report: true, system_online: true, system_shutdown: true, system_error: true,
      websocket_feed_lost: true, candidate_created: true, candidate_canceled: true, candidate_promoted: true,
      candidate_trade_executed: true, candidate_stop_triggered: true, reflection_completed: true,
    };
    expect(Object.keys(predecessorEvents)).toHaveLength(24);
    const switches = defaultToml().telegram.notifications as Record<string, boolean>;
    for (const [event, on] of Object.entries(predecessorEvents)) expect(switches[event], event).toBe(on);
    expect(NOTIFICATION_EVENTS).toEqual(Object.keys(switches));
  });
});

describe('docs/configuration.md', () => {
  const doc = read('docs/configuration.md');

  it('contains the generated key tables, up to date', () => {
    const start = doc.indexOf(DOC_START);
    const end = doc.indexOf(DOC_END);
    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start + DOC_START.length, end).trim(), regenerate).toBe(renderKeyTable().trim());
  });

  it('has a row for every key and documents every table', () => {
    for (const leaf of leaves) expect(doc).toContain(`| \`${leaf.key}\` |`);
    for (const table of allTables(configTree(BrainTomlSchema, defaultToml()))) {
      if (table.meta !== undefined) expect(doc).toContain(table.meta.doc);
    }
  });

  it('documents every cross-field rule and every secret', () => {
    for (const rule of RULES) expect(doc).toContain(`| \`${rule.name}\` | ${rule.severity} |`);
    for (const name of SECRET_ENV_KEYS) expect(doc).toContain(`| \`${name}\` |`);
  });
});

describe('.env.example', () => {
  const example = read('.env.example');

  it('lists every secret, empty, each with a comment above', () => {
    const assignments = example.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
    expect(assignments.map((l) => l.split('=')[0])).toEqual([...SECRET_ENV_KEYS]);
    for (const line of assignments) expect(line).toMatch(/^[A-Z_]+=$/);
  });
});
