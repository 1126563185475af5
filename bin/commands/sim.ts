import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRepositories, migrate, openStore } from '../../adapters/libsql/index.ts';
import { formatProblem, readCandleFile } from '../../adapters/market-data/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import { fromString, toString } from '../../domain/money/index.ts';
import { createInProcessRunner } from '../../strategies/in-process/index.ts';
import { createSandboxedStrategyRunner } from '../../strategies/sandbox/index.ts';
import { V001_SOURCE_PATH } from '../../strategies/v001/index.ts';
import { createEventBus } from '../../supervisor/events/index.ts';
import { pipelineSettingsFrom } from '../../supervisor/paper/index.ts';
import { startSimFund } from '../../supervisor/sim/index.ts';
import { emptyCoverage, runScenario, scenarioArbitrary } from '../../supervisor/sim/scenario.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { loadContext } from '../context.ts';

const DAY_MS = 86_400_000;
const M5 = 300_000;

/** `SYMBOL=FILE` pairs → candles per symbol, or the first problem. */
async function readReplayFiles(specs: readonly string[]): Promise<{ ok: true; candles: Record<string, Candle[]> } | { ok: false; reason: string }> {
  const candles: Record<string, Candle[]> = {};
  for (const spec of specs) {
    const m = /^([A-Z0-9]+\/[A-Z0-9]+)=(.+)$/.exec(spec);
    if (!m) return { ok: false, reason: `--replay expects SYMBOL=FILE (e.g. ETH/USD=data/kraken_ETHUSD_5m_2024H2.csv.gz), got ${JSON.stringify(spec)}` };
    const read = await readCandleFile(m[2]!);
    if (!read.ok) return { ok: false, reason: read.problems.map(formatProblem).join('\n') };
    const list = [...read.file.candles].sort((a, b) => a.tsOpen - b.tsOpen);
    if (list.some((c, i) => c.tsOpen % M5 !== 0 || (i > 0 && c.tsOpen === list[i - 1]!.tsOpen))) return { ok: false, reason: `${m[2]}: candles must be 5-minute candles on the 5-minute grid, without duplicates` };
    candles[m[1]!] = list;
  }
  return { ok: true, candles };
}

/** `brain sim`: replay recorded candles through the whole actor system, or run random scenarios against the invariants. */
export const sim: Command = {
  words: ['sim'],
  summary:
    'Simulate the fund on a simulated clock. With --replay, drive recorded 5m candles through the whole actor system in paper mode as fast as possible (compare with brain backtest trade by trade); with --runs, generate random markets, operator commands, strategy faults and restarts and check every invariant after every step.',
  usage: '(--replay SYMBOL=FILE... [--warmup-days N] [--sandbox] [--json]) | (--runs N [--seed S])',
  optionHelp: [
    ['--replay', 'treat the positional arguments as SYMBOL=FILE pairs (CSV in the ../shared/data format or Kraken OHLCVT, gzip or plain)'],
    ['--warmup-days N', 'days at the start of the files used as history before trading (default 1)'],
    ['--sandbox', 'run the strategy in the sandbox runner process (default: in-process, faster)'],
    ['--json', 'print the result as JSON'],
    ['--runs N', 'number of random scenarios to check against the invariants'],
    ['--seed S', 'seed of the random scenarios (default 1); a failure prints the shrunk scenario'],
  ],
  options: { replay: { type: 'boolean' }, 'warmup-days': { type: 'string' }, sandbox: { type: 'boolean' }, json: { type: 'boolean' }, runs: { type: 'string' }, seed: { type: 'string' } },
  positionals: { min: 0, max: 24, names: 'SYMBOL=FILE pairs' },
  async run({ values, positionals }, io) {
    if (values.runs !== undefined) {
      const runs = Number(values.runs);
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000) {
        io.err(`error: --runs must be an integer 1–1000000, got ${JSON.stringify(values.runs)}`);
        return EXIT.badInput;
      }
      if (!Number.isInteger(seed)) {
        io.err(`error: --seed must be an integer, got ${JSON.stringify(values.seed)}`);
        return EXIT.badInput;
      }
      const coverage = emptyCoverage();
      const result = await fc.check(
        fc.asyncProperty(scenarioArbitrary(), async (s) => (await runScenario(s, null, coverage)).length === 0),
        { numRuns: runs, seed },
      );
      if (result.failed) {
        const scenario = result.counterexample![0];
        const violations = await runScenario(scenario);
        io.out(`FAILED after ${result.numRuns} runs (seed ${seed}); shrunk scenario:\n${JSON.stringify(scenario)}`);
        for (const v of violations) io.out(`  ${v.invariant} at step ${v.step}: ${v.detail}`);
        return EXIT.failure;
      }
      io.out(`${runs} scenarios, every invariant held (seed ${seed})`);
      io.out(`exercised: ${Object.entries(coverage).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      return EXIT.ok;
    }
    if (values.replay !== true || positionals.length === 0) {
      io.err('error: give --replay SYMBOL=FILE... or --runs N (see brain sim --help)');
      return EXIT.badInput;
    }
    const ctx = loadContext(values, io);
    if (typeof ctx === 'number') return ctx;
    const warmupDays = values['warmup-days'] === undefined ? 1 : Number(values['warmup-days']);
    if (!Number.isInteger(warmupDays) || warmupDays < 0 || warmupDays > 365) {
      io.err(`error: --warmup-days must be an integer 0–365, got ${JSON.stringify(values['warmup-days'])}`);
      return EXIT.badInput;
    }
    const files = await readReplayFiles(positionals);
    if (!files.ok) {
      io.err(`error: ${files.reason}`);
      return EXIT.badInput;
    }
    const symbols = Object.keys(files.candles);
    const config = { ...ctx.config, markets: { ...ctx.config.markets, symbols } };
    const first = Math.min(...symbols.map((s) => files.candles[s]![0]?.tsOpen ?? Number.POSITIVE_INFINITY));
    const last = Math.max(...symbols.map((s) => (files.candles[s]!.at(-1)?.tsOpen ?? 0) + M5));
    const startMs = first + warmupDays * DAY_MS;
    const db = openStore({ path: ':memory:' });
    migrate(db);
    const repos = createRepositories(db);
    for (const s of symbols) repos.candles.upsertMany(s, '5m', files.candles[s]!.filter((c) => c.tsOpen < startMs));
    const bus = createEventBus({ activityLog: repos.activityLog, onError: () => {} });
    const runner = values.sandbox === true ? createSandboxedStrategyRunner() : createInProcessRunner({ seed: 1 });
    const startingCapital = fromString(String(config.general.paperBalanceUsd));
    const started = Date.now();
    const fund = await startSimFund({
      repos,
      bus,
      settings: pipelineSettingsFrom(config as typeof ctx.config),
      startingCapital,
      warmupMs: warmupDays * DAY_MS,
      runner,
      strategy: { filePath: null, seed: { code: readFileSync(V001_SOURCE_PATH, 'utf8'), filename: 'v001.ts', description: 'seed strategy v001' } },
      startMs,
      input: { callDeadlineMs: config.sandbox.callDeadlineMs, hasAdvisor: false, orchestrator: { ...config.orchestrator } },
    });
    const steps = await fund.replay(files.candles, last);
    const books = fund.engine.books();
    const trades = repos.trades.closedBetween(0, Number.MAX_SAFE_INTEGER);
    const pnl = trades.reduce((s, t) => s + t.pnl, 0n);
    const summary = {
      symbols,
      from: new Date(startMs).toISOString(),
      to: new Date(last).toISOString(),
      steps,
      strategy: fund.runtime.snapshot().context.strategy.version,
      trades: trades.length,
      realizedPnl: toString(pnl),
      cash: toString(books.ledger.cash),
      openPositions: books.ledger.positions.map((p) => ({ tag: p.tag, symbol: p.symbol, qty: toString(p.qty) })),
      trading: fund.runtime.snapshot().context.halt ? 'halted' : 'ok',
      wallMs: Date.now() - started,
    };
    await fund.stop('replay finished');
    await runner.close();
    db.close();
    if (values.json === true) io.out(JSON.stringify({ ...summary, tradeList: trades.map((t) => ({ tag: t.tag, symbol: t.symbol, qty: toString(t.qty), entry: toString(t.entryPrice), exit: toString(t.exitPrice), pnl: toString(t.pnl), reason: t.closeReason, openedAt: t.openedAt, closedAt: t.closedAt })) }));
    else {
      io.out(`replayed ${steps} steps of ${symbols.join(', ')} (${summary.from} → ${summary.to}) through the actor system in ${summary.wallMs} ms`);
      io.out(`strategy ${summary.strategy}: ${trades.length} trades, realized P&L ${summary.realizedPnl}, cash ${summary.cash}, ${books.ledger.positions.length} open`);
    }
    return EXIT.ok;
  },
};
