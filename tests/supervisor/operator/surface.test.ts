/**
 * The operator surface serves every predecessor Telegram command (§13) and Data API endpoint
 * (§15), each entry naming a real query or command.
 */
import { describe, expect, it } from 'vitest';
import { API_ENDPOINTS, COMMAND_KINDS, QUERY_NAMES, TELEGRAM_COMMANDS } from '../../../supervisor/operator/index.ts';
import { operatorHarness } from './support.ts';

/** Predecessor §13 (HEAD): 20 registered names (/start = /help). */
const PREDECESSOR_TELEGRAM = [
  '/start', '/help', '/status', '/health', '/outlook', '/positions', '/trades', '/risk', '/daily_performance', '/strategy',
  '/tokens', '/ask', '/thoughts', '/thought', '/orchestrate', '/reflect_tonight', '/candidates', '/pause', '/resume', '/kill',
];

/** Predecessor §15 (HEAD): 14 REST endpoints (`/metrics` and the WebSocket streams are the API's own). */
const PREDECESSOR_API = [
  '/v1/system', '/v1/portfolio', '/v1/positions', '/v1/trades', '/v1/performance', '/v1/risk', '/v1/signals', '/v1/strategy',
  '/v1/ai/usage', '/v1/benchmarks', '/v1/activity', '/v1/candidates', '/v1/predictions', '/v1/strategy-doc/versions',
];

describe('the operator surface covers the predecessor', () => {
  it('serves every Telegram command', () => {
    const predecessor = TELEGRAM_COMMANDS.filter((c) => c.origin === 'predecessor').map((c) => c.command);
    expect(predecessor).toEqual(PREDECESSOR_TELEGRAM);
    expect(new Set(TELEGRAM_COMMANDS.map((c) => c.command)).size).toBe(TELEGRAM_COMMANDS.length);
    // The commands the predecessor lacked (deposit/withdraw were promised by a log message, §13).
    expect(TELEGRAM_COMMANDS.filter((c) => c.origin === 'new').map((c) => c.command)).toEqual(['/halt', '/close', '/deposit', '/withdraw', '/veto', '/force']);
  });

  it('serves every REST endpoint', () => {
    expect(API_ENDPOINTS.map((e) => e.path)).toEqual(PREDECESSOR_API);
  });

  it('every entry names a real query method or command kind, and every command has a Telegram entry', async () => {
    const { operator } = await operatorHarness();
    for (const entry of [...TELEGRAM_COMMANDS, ...API_ENDPOINTS]) {
      if ('query' in entry.serves) {
        expect(QUERY_NAMES).toContain(entry.serves.query);
        expect(typeof (operator as unknown as Record<string, unknown>)[entry.serves.query], entry.serves.query).toBe('function');
      } else {
        expect(COMMAND_KINDS).toContain(entry.serves.command);
      }
    }
    for (const name of QUERY_NAMES) expect(typeof (operator as unknown as Record<string, unknown>)[name], name).toBe('function');
    const served = new Set(TELEGRAM_COMMANDS.flatMap((c) => ('command' in c.serves ? [c.serves.command] : [])));
    expect([...served].sort()).toEqual([...COMMAND_KINDS].sort());
  });

  it('every argument-free query answers on a running fund', async () => {
    const { operator } = await operatorHarness();
    for (const name of QUERY_NAMES) {
      if (name === 'thought') continue; // needs arguments (covered in queries.test.ts)
      const result = (operator as unknown as Record<string, () => { ok: boolean; reason?: string }>)[name]!();
      expect(result.ok, `${name}: ${result.reason ?? ''}`).toBe(true);
    }
  });
});
