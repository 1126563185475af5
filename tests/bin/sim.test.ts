/** `brain sim`: replay through the actor system, random invariant runs, and clear refusals of bad input. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../bin/cli.ts';
import { main } from '../../bin/main.ts';
import { FIXTURE_DIR } from '../../strategies/loader/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function brain(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: { TELEGRAM_BOT_TOKEN: undefined }, cwd: root };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('brain sim', () => {
  it('replays real candles through the actor system and reports the trades (JSON)', async () => {
    const r = await brain('sim', '--replay', '--json', `ETH/USD=${join(FIXTURE_DIR, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz')}`, `SOL/USD=${join(FIXTURE_DIR, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz')}`);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { steps: number; trades: number; strategy: string; tradeList: unknown[] };
    expect(summary.steps).toBe(4 * 288);
    expect(summary.strategy).toBe('v001');
    expect(summary.trades).toBe(summary.tradeList.length);
    expect(summary.trades).toBeGreaterThan(0);
  }, 60_000);

  it('checks random scenarios against the invariants', async () => {
    const r = await brain('sim', '--runs', '10', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.out).toContain('10 scenarios, every invariant held (seed 3)');
  }, 60_000);

  it('refuses bad input with exit 2, naming what is allowed', async () => {
    expect(await brain('sim')).toMatchObject({ code: 2, err: expect.stringContaining('--replay SYMBOL=FILE... or --runs N') });
    expect(await brain('sim', '--replay', 'ETH/USD')).toMatchObject({ code: 2, err: expect.stringContaining('SYMBOL=FILE') });
    expect(await brain('sim', '--runs', 'many')).toMatchObject({ code: 2, err: expect.stringContaining('--runs must be an integer') });
    expect(await brain('sim', '--replay', 'ETH/USD=/nonexistent.csv')).toMatchObject({ code: 2 });
  }, 60_000);
});
