/**
 * Paper mode end to end over the network path: market data from the fake Kraken exchange's REST
 * OHLC (a real HTTP server on loopback, replaying real candles), the fund on a simulated clock
 * (allowed in paper: the venue is the in-process fill model), v001 in the sandbox runner process.
 */
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepositories } from '../../../adapters/libsql/index.ts';
import { type FakeKraken, startFakeKraken } from '../../../adapters/fake-kraken/index.ts';
import { FIXTURE_DIR } from '../../../strategies/loader/index.ts';
import { parseConfig } from '../../../supervisor/config/index.ts';
import { createEventBus } from '../../../supervisor/events/index.ts';
import { krakenCandleSource, startPaperFund } from '../../../supervisor/paper/index.ts';
import { createSandboxedStrategyRunner } from '../../../strategies/sandbox/index.ts';
import type { StrategyRunner } from '../../../domain/ports/index.ts';
import { freshStore } from '../../adapters/libsql/support.ts';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url).pathname;
let fake: FakeKraken | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** The fake exchange replaying ETH/USD and SOL/USD, a fresh store with a 10,000 USD paper seed, and a clock at the exchange's time. */
async function exchangeAndStore() {
  fake = await startFakeKraken({
    markets: [
      { pair: 'ETH/USD', candles: join(FIXTURE_DIR, 'kraken_ETHUSD_5m_2024-08-02_2024-08-06.csv.gz') },
      { pair: 'SOL/USD', candles: join(FIXTURE_DIR, 'kraken_SOLUSD_5m_2024-08-02_2024-08-06.csv.gz') },
    ],
    historyCandles: 300,
  });
  const { db } = freshStore();
  const repos = createRepositories(db);
  repos.systemMeta.set('paper_starting_capital', '10000', 0);
  const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
  const clock = new SimulatedClock();
  clock.set(fake.control.now());
  return { repos, bus, clock };
}

function config(restUrl: string) {
  const toml = readFileSync(join(ROOT, 'brain.toml'), 'utf8')
    .replace(/symbols = \[[^\]]*\]/, 'symbols = ["ETH/USD", "SOL/USD"]')
    .replace('rest_url = "https://api.kraken.com"', `rest_url = "${restUrl}"`);
  const r = parseConfig({ tomlText: toml, env: {} });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('paper mode', () => {
  it('polls closed candles from the exchange, trades v001 in the sandbox, and resumes after a restart without re-processing a candle', async () => {
    const { repos, bus, clock } = await exchangeAndStore();
    const cfg = config(fake!.restUrl);
    const reports: string[] = [];
    const start = () =>
      startPaperFund({ config: cfg, repos, bus, clock, source: krakenCandleSource(fake!.restUrl, { max: 100, decayPerSec: 100 }), appVersion: 'test', graceMs: 0, report: (p) => void reports.push(p.kind) });
    let paper = await start();
    expect(paper.runtime.snapshot().matches('running')).toBe(true);
    expect(paper.runtime.snapshot().context.strategy.version).toBe('v001');
    // L5: the analysis modules are in the store after a start
    expect(repos.analysisModules.current('market_analysis')?.version).toBe('v001');
    expect(repos.analysisModules.current('trade_performance')?.version).toBe('v001');
    // three days of replay, polled every hour of exchange time
    for (let h = 0; h < 36; h++) {
      clock.set(fake!.control.advance(3_600_000));
      await paper.poll();
    }
    const stepsBefore = paper.engine.progress().step;
    // the scheduler's own data-maintenance job ran during those 36 hours (not tied to orchestration)
    await new Promise((r) => setTimeout(r, 50));
    expect(reports).toContain('data.maintained');
    expect(stepsBefore).toBeGreaterThanOrEqual(36 * 12 - 1);
    const closeTimes = repos.candles.count('ETH/USD', '5m');
    await paper.stop('restart');
    paper = await start();
    expect(paper.engine.progress().step).toBe(stepsBefore);
    await paper.poll(); // nothing new yet: nothing processed twice
    expect(paper.engine.progress().step).toBe(stepsBefore);
    expect(repos.candles.count('ETH/USD', '5m')).toBe(closeTimes);
    for (let h = 0; h < 12; h++) {
      clock.set(fake!.control.advance(3_600_000));
      await paper.poll();
    }
    expect(paper.engine.progress().step).toBe(stepsBefore + 144);
    expect(repos.signals.list({ limit: 1000 }).length).toBeGreaterThan(0);
    expect(repos.trades.count() + repos.positions.list().length).toBeGreaterThan(0);
    const events = bus.recent().map((p) => p.event.type);
    expect(events).toContain('system.online');
    await paper.stop('done');
  }, 120_000);

  it('survives the sandbox runner being killed mid-scan: the evaluation fails, is recorded, and the next scans trade on', async () => {
    const { repos, bus, clock } = await exchangeAndStore();
    const sandboxed = createSandboxedStrategyRunner();
    // The 10th analyze call: the runner process is SIGKILLed while the call is in flight.
    let calls = 0;
    let killedPid: number | null = null;
    const runner: StrategyRunner = {
      load: (i, sig) => sandboxed.load(i, sig),
      notify: (e, sig) => sandboxed.notify(e, sig),
      getState: (sig) => sandboxed.getState(sig),
      close: () => sandboxed.close(),
      analyze: (tick, sig) => {
        const pending = sandboxed.analyze(tick, sig);
        if (++calls === 10) {
          killedPid = sandboxed.host.pid;
          if (killedPid !== null) process.kill(killedPid, 'SIGKILL');
        }
        return pending;
      },
    };
    const problems: string[] = [];
    const paper = await startPaperFund({
      config: config(fake!.restUrl), repos, bus, clock, runner, source: krakenCandleSource(fake!.restUrl, { max: 100, decayPerSec: 100 }), appVersion: 'test', graceMs: 0,
      report: (p) => void problems.push(`${p.kind}: ${p.detail}`),
    });
    clock.set(fake!.control.advance(3 * 3_600_000));
    await paper.poll();
    expect(killedPid).not.toBeNull();
    expect(sandboxed.host.pid).not.toBe(killedPid);
    expect(problems.some((p) => /strategy\.analyzeFailed|symbol\.evaluationFailed/.test(p))).toBe(true);
    const failed = Object.values(paper.runtime.snapshot().children).filter((c) => (c as { id?: string }).id?.startsWith('symbol:'));
    expect(failed.length).toBe(2);
    // later scans work again: the runner is restarted and the strategy reloaded
    const before = paper.engine.progress().step;
    const signalsBefore = repos.signals.list({ limit: 10_000 }).length;
    for (let h = 0; h < 24; h++) {
      clock.set(fake!.control.advance(3_600_000));
      await paper.poll();
    }
    expect(paper.engine.progress().step).toBe(before + 288);
    expect(repos.signals.list({ limit: 10_000 }).length).toBeGreaterThan(signalsBefore);
    expect(paper.runtime.escapedErrors()).toEqual([]);
    await paper.stop('done');
  }, 120_000);
});
