/** `brain demo` / `npm run demo`: the whole paper path offline against the bundled fake exchange, with a restart halfway. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../bin/cli.ts';
import { main } from '../../bin/main.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('brain demo', () => {
  it('replays the bundled candles through the fake exchange, trades, restarts from its persisted state and reports', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: root };
    const code = await main(['demo', '--speed', '400000', '--hours', '36'], io);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/fake Kraken exchange on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/restored at step (\d+)/);
    const stopped = Number(/stopping the fund halfway \(step (\d+)\)/.exec(text)?.[1]);
    const restored = Number(/restored at step (\d+)/.exec(text)?.[1]);
    expect(restored).toBe(stopped);
    expect(text).toMatch(/done: \d+ steps, \d+ closed trades/);
    expect(text).toMatch(/BUY .* (ETH|SOL)\/USD/);
  }, 120_000);

  it('refuses bad options with exit 2', async () => {
    const err: string[] = [];
    const io: Io = { out: () => {}, err: (l) => err.push(l), env: {}, cwd: root };
    expect(await main(['demo', '--hours', '500'], io)).toBe(2);
    expect(err.join('\n')).toContain('--hours must be an integer 2–96');
  });
});
