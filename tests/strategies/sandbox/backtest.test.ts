/**
 * v001 in the backtester through the sandbox (issue #7 acceptance): the sandboxed runner and the
 * in-process runner give the same trades on real candles, so the sandbox changes nothing but cost.
 */
import { describe, expect, it } from 'vitest';
import { fromString } from '../../../domain/money/index.ts';
import { createInProcessRunner } from '../../../strategies/in-process/index.ts';
import { createSandboxedStrategyRunner } from '../../../strategies/sandbox/index.ts';
import { runBacktest } from '../../../supervisor/backtest/index.ts';
import { v001Source } from '../../supervisor/backtest/support.ts';
import { DAY, FIXTURE_START, SYMBOLS, fixtureCandles, settings } from '../../supervisor/runtime/support.ts';

describe('v001 backtest in the sandbox', () => {
  it('trades exactly as in-process on two days of real ETH/USD and SOL/USD candles', async () => {
    const candles = fixtureCandles();
    const code = (await v001Source()).code;
    const spec = { symbols: [...SYMBOLS], candles, fromMs: FIXTURE_START + DAY, toMs: FIXTURE_START + 3 * DAY, warmupMs: DAY, settings: settings(), startingCapital: fromString('10000'), strategy: { version: 'v001', code } };
    const sandboxed = createSandboxedStrategyRunner();
    try {
      const inSandbox = await runBacktest(spec, sandboxed);
      const inProcess = await runBacktest(spec, createInProcessRunner({ seed: 1 }));
      expect(inSandbox.loadFailure).toBeNull();
      const view = (r: typeof inSandbox) => r.collector.trades.map((t) => [t.tag, t.qty, t.entryPrice, t.exitPrice, t.pnl, t.closedAt]);
      expect(inSandbox.collector.trades.length).toBeGreaterThan(0);
      expect(view(inSandbox)).toEqual(view(inProcess));
    } finally {
      await sandboxed.close();
    }
  }, 120_000);
});
