import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startFakeKraken } from '../../adapters/fake-kraken/index.ts';
import { createRepositories, migrate, openStore } from '../../adapters/libsql/index.ts';
import { toString } from '../../domain/money/index.ts';
import { FIXTURE_DIR } from '../../strategies/loader/index.ts';
import { parseConfig } from '../../supervisor/config/index.ts';
import { createEventBus } from '../../supervisor/events/index.ts';
import { type PaperFund, krakenCandleSource, startPaperFund } from '../../supervisor/paper/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { packageVersion } from './version.ts';

const ROOT = new URL('../../', import.meta.url);

/**
 * `brain demo`: the whole paper path offline — the fake Kraken exchange on loopback replays a
 * bundled slice of real candles (ETH/USD and SOL/USD, 2024-08-02 … 06) at high speed, the fund
 * polls it through the Kraken REST adapter, trades v001 in the sandbox, is stopped halfway and
 * restarted from its persisted state, and prints what happened. No network, no keys.
 */
export const demo: Command = {
  words: ['demo'],
  summary:
    'Run the fund offline against the bundled fake Kraken exchange: real candles replayed at high speed, v001 paper-trading in the sandbox, a restart halfway from the persisted state, progress as it goes. No network or keys needed.',
  usage: '[--speed N] [--hours N]',
  optionHelp: [
    ['--speed N', 'simulated seconds per real second (default 3600: an hour of market per second)'],
    ['--hours N', 'how much market to replay, hours (default 72, at most 96)'],
  ],
  options: { speed: { type: 'string' }, hours: { type: 'string' } },
  async run({ values }, io) {
    const speed = values.speed === undefined ? 3600 : Number(values.speed);
    const hours = values.hours === undefined ? 72 : Number(values.hours);
    if (!Number.isFinite(speed) || speed < 60 || speed > 1_000_000) {
      io.err(`error: --speed must be a number 60–1000000 (simulated seconds per real second), got ${JSON.stringify(values.speed)}`);
      return EXIT.badInput;
    }
    if (!Number.isInteger(hours) || hours < 2 || hours > 96) {
      io.err(`error: --hours must be an integer 2–96, got ${JSON.stringify(values.hours)}`);
      return EXIT.badInput;
    }
    const dir = mkdtempSync(join(tmpdir(), 'brain-demo-'));
    const fake = await startFakeKraken({
      markets: [
        { pair: 'ETH/USD', candles: join(FIXTURE_DIR, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz') },
        { pair: 'SOL/USD', candles: join(FIXTURE_DIR, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz') },
      ],
      historyCandles: 300,
    });
    const db = openStore({ path: join(dir, 'demo.db') });
    try {
      migrate(db);
      const toml = readFileSync(new URL('brain.toml', ROOT), 'utf8')
        .replace(/symbols = \[[^\]]*\]/, 'symbols = ["ETH/USD", "SOL/USD"]')
        .replace('rest_url = "https://api.kraken.com"', `rest_url = "${fake.restUrl}"`)
        .replace(/paper_balance_usd = [^\n]+/, 'paper_balance_usd = 10000');
      const parsed = parseConfig({ tomlText: toml, env: {} });
      if (!parsed.ok) {
        io.err(`error: the demo configuration is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`);
        return EXIT.failure;
      }
      const repos = createRepositories(db);
      repos.systemMeta.set('paper_starting_capital', '10000', fake.control.now());
      const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
      bus.subscribe({
        name: 'demo',
        accepts: (e) => e.type === 'trade.executed' || e.type === 'stop.triggered' || e.type === 'risk.halted' || e.type === 'system.online',
        deliver: (p) => io.out(`  ${new Date(p.event.tsEvent).toISOString().slice(0, 16)}  ${p.summary}`),
      });
      const clock = new SimulatedClock();
      clock.set(fake.control.now());
      const source = krakenCandleSource(fake.restUrl, { max: 1000, decayPerSec: 1000 });
      const start = () => startPaperFund({ config: parsed.config, repos, bus, clock, source, appVersion: packageVersion(), graceMs: 0 });
      io.out(`fake Kraken exchange on ${fake.restUrl}, replaying ETH/USD and SOL/USD from ${new Date(fake.control.now()).toISOString()} at ${speed}×`);
      let fund: PaperFund = await start();
      io.out(`fund running: strategy ${fund.runtime.snapshot().context.strategy.version}, cash ${toString(fund.engine.books().ledger.cash)} USD`);
      const stepMs = 300_000;
      const tickMs = Math.max(stepMs, Math.round(speed * 100));
      const total = hours * 3_600_000;
      for (let done = 0; done < total; done += tickMs) {
        await new Promise((r) => setTimeout(r, Math.round((tickMs / speed) * 1000) / 1000));
        clock.set(fake.control.advance(tickMs));
        await fund.poll();
        if (done < total / 2 && done + tickMs >= total / 2) {
          io.out(`— stopping the fund halfway (step ${fund.engine.progress().step}); restarting from the persisted state —`);
          await fund.stop('demo restart');
          fund = await start();
          io.out(`— restored at step ${fund.engine.progress().step}: ${fund.engine.books().ledger.positions.length} open position(s), state ${JSON.stringify(fund.runtime.snapshot().value)} —`);
        }
      }
      const books = fund.engine.books();
      const trades = repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER);
      io.out(`done: ${fund.engine.progress().step} steps, ${trades.length} closed trades, realized P&L ${toString(trades.reduce((s, t) => s + t.pnl, 0n))} USD, cash ${toString(books.ledger.cash)} USD, ${books.ledger.positions.length} open`);
      await fund.stop('demo finished');
      return EXIT.ok;
    } finally {
      db.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
