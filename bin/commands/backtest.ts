import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRepositories, openStore } from '../../adapters/libsql/index.ts';
import { bucketStart } from '../../domain/market/index.ts';
import { type Fixed, fromNumber, fromString, mul, toString } from '../../domain/money/index.ts';
import { KRAKEN_PRO_FEE_SCHEDULE, flatFeeSchedule } from '../../domain/pipeline/index.ts';
import { toRiskLimits } from '../../supervisor/config/index.ts';
import {
  type BacktestReport,
  backtestMarkets,
  fiveMinuteCoverage,
  loadFiveMinute,
  parseSpreads,
  renderReport,
  reportJson,
  runBacktestReport,
} from '../../supervisor/backtest/index.ts';
import { compileStrategySource, createInProcessRunner, readStrategySource } from '../../strategies/in-process/index.ts';
import { createSandboxedStrategyRunner } from '../../strategies/sandbox/index.ts';
import { VERSION_ID_RE, storedFilename } from '../../strategies/loader/index.ts';
import { V001_SOURCE_PATH, V001_VERSION } from '../../strategies/v001/index.ts';
import type { Command, Io } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { loadContext } from '../context.ts';

const DAY_MS = 86_400_000;
const STEP_MS = 300_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date option: 'YYYY-MM-DD' (a whole UTC day: --from starts at its midnight, --to includes it)
 * or an ISO 8601 instant with a zone ('2024-03-01T12:00Z'); instants snap onto the 5-minute grid
 * (--from up, --to down).
 */
function parseDate(name: 'from' | 'to', text: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const allowed = `expected YYYY-MM-DD (UTC day) or an ISO 8601 time with zone such as 2024-03-01T12:00Z`;
  if (DATE_RE.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return { ok: false, reason: `--${name}: not a calendar date: ${JSON.stringify(text)}; ${allowed}` };
    return { ok: true, ms: name === 'to' ? ms + DAY_MS : ms };
  }
  if (!/T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) return { ok: false, reason: `--${name}: ${JSON.stringify(text)}: ${allowed}` };
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return { ok: false, reason: `--${name}: not a time: ${JSON.stringify(text)}; ${allowed}` };
  return { ok: true, ms: name === 'from' ? Math.ceil(ms / STEP_MS) * STEP_MS : Math.floor(ms / STEP_MS) * STEP_MS };
}

function parseCount(name: string, text: unknown, min: number, max: number): { ok: true; value: number } | { ok: false; reason: string } {
  const value = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    return { ok: false, reason: `--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}` };
  }
  return { ok: true, value };
}

/** A progress bar on stderr when it is a terminal: rewritten in place at most every 100 ms. */
function progressBar(enabled: boolean): { update(done: number, total: number): void; finish(candles: number): void } {
  const started = Date.now();
  let last = 0;
  const write = (text: string): void => {
    process.stderr.write(text);
  };
  return {
    update(done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${total === 0 ? 100 : Math.floor((done / total) * 100)}% ${done}/${total} steps`);
    },
    finish(candles) {
      if (!enabled) return;
      const seconds = (Date.now() - started) / 1000;
      write(`\r\x1b[2K${candles} candles in ${seconds.toFixed(2)} s (${Math.round(candles / Math.max(seconds, 1e-3))} candles/s)\n`);
    },
  };
}

/** `brain backtest`: stored candles through the strategy, risk checks, fill model and ledger. */
export const backtest: Command = {
  words: ['backtest'],
  summary:
    'Replay stored 5m candles through a strategy, the risk checks, the fill model and the ledger on a simulated clock (the same pipeline as paper trading), and report every truth metric, the limit-order fill rate, exposure, per-symbol and per-month results and the daily equity curve. The same data, options and seed give the same report, byte for byte.',
  usage: '[--strategy FILE|VERSION] [--from DATE] [--to DATE] [--symbols LIST] [--folds N] [--json] [--db PATH] [options]',
  optionHelp: [
    ['--strategy FILE|VERSION', `a strategy module file (.ts/.js), or a version stored in the database (e.g. v002, see 'brain strategy list'); default: the seed strategy ${V001_VERSION} (its file)`],
    ['--from DATE', 'first UTC day (YYYY-MM-DD), or an ISO time with zone; default: the earliest stored 5m candle'],
    ['--to DATE', 'last UTC day, included (YYYY-MM-DD), or an ISO time with zone, excluded; default: the latest stored 5m candle'],
    ['--symbols LIST', 'comma-separated pairs, e.g. BTC/USD,ETH/USD; default: markets.symbols that have 5m candles stored'],
    ['--folds N', 'walk-forward: N folds over N+1 equal segments (in-sample = a segment, out-of-sample = the next); out-of-sample results are reported separately'],
    ['--json', 'print the full machine-readable report (JSON) instead of the summary'],
    ['--db PATH', 'database file (default: database.path from brain.toml)'],
    ['--capital USD', 'starting capital (default: general.paper_balance_usd)'],
    ['--seed N', "seed of the strategy's Math.random (default 1)"],
    ['--warmup-days N', 'days of candles before --from handed to the strategy as history (default 30)'],
    ['--spread LIST', 'per-symbol spread fractions, e.g. BTC/USD=0.0002,ETH/USD=0.0003 (default 0.001 each)'],
    ['--fees MODEL', 'tiered (Kraken Pro schedule by 30-day volume, default) or flat (kraken.maker_fee_pct / taker_fee_pct)'],
    ['--limit-fill RULE', 'through (a resting LIMIT fills when a candle trades strictly beyond it, default) or touch'],
    ['--limit-ttl MINUTES', 'how long an unfilled LIMIT order rests before it expires (default 60)'],
    ['--sandbox', 'run the strategy in the sandbox runner process, as paper and live do (slower; same trades for a deterministic strategy)'],
    ['--no-progress', 'no progress bar (it is shown only when stderr is a terminal)'],
  ],
  options: {
    strategy: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    symbols: { type: 'string' },
    folds: { type: 'string' },
    json: { type: 'boolean' },
    db: { type: 'string' },
    capital: { type: 'string' },
    seed: { type: 'string' },
    'warmup-days': { type: 'string' },
    spread: { type: 'string' },
    fees: { type: 'string' },
    'limit-fill': { type: 'string' },
    'limit-ttl': { type: 'string' },
    sandbox: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
  },
  async run({ values }, io) {
    const bad = (reason: string): number => {
      io.err(`error: ${reason}`);
      return EXIT.badInput;
    };
    // Options that need no configuration first, so a typo fails fast.
    const folds = values.folds === undefined ? { ok: true as const, value: 0 } : parseCount('folds', values.folds, 1, 50);
    if (!folds.ok) return bad(folds.reason);
    const seed = values.seed === undefined ? { ok: true as const, value: 1 } : parseCount('seed', values.seed, 0, 0xffffffff);
    if (!seed.ok) return bad(seed.reason);
    const warmup = values['warmup-days'] === undefined ? { ok: true as const, value: 30 } : parseCount('warmup-days', values['warmup-days'], 0, 3650);
    if (!warmup.ok) return bad(warmup.reason);
    const ttl = values['limit-ttl'] === undefined ? { ok: true as const, value: 60 } : parseCount('limit-ttl', values['limit-ttl'], 5, 525_600);
    if (!ttl.ok) return bad(ttl.reason);
    const feeModel = (values.fees as string | undefined) ?? 'tiered';
    if (feeModel !== 'tiered' && feeModel !== 'flat') return bad(`--fees: expected tiered or flat, got ${JSON.stringify(feeModel)}`);
    const limitFill = (values['limit-fill'] as string | undefined) ?? 'through';
    if (limitFill !== 'through' && limitFill !== 'touch') return bad(`--limit-fill: expected through or touch, got ${JSON.stringify(limitFill)}`);
    const spreads = parseSpreads((values.spread as string | undefined) ?? '');
    if (!spreads.ok) return bad(spreads.reason);
    const from = values.from === undefined ? null : parseDate('from', values.from as string);
    if (from && !from.ok) return bad(from.reason);
    const to = values.to === undefined ? null : parseDate('to', values.to as string);
    if (to && !to.ok) return bad(to.reason);
    let capital: Fixed | null = null;
    if (values.capital !== undefined) {
      try {
        capital = fromString(values.capital as string);
      } catch {
        capital = null;
      }
      if (capital === null || capital <= 0n) return bad(`--capital: expected a positive amount in USD, got ${JSON.stringify(values.capital)}`);
    }

    const ctx = loadContext(values, io);
    if (typeof ctx === 'number') return ctx;
    const { config } = ctx;
    const dbPath = resolve(io.cwd, typeof values.db === 'string' ? values.db : config.database.path);
    if (!existsSync(dbPath)) return bad(`no database at ${dbPath}; create it with 'brain db migrate' and import candles with 'brain data import'`);

    const strategyArg = (values.strategy as string | undefined) ?? V001_SOURCE_PATH;
    const strategyPath = resolve(io.cwd, strategyArg);
    const isFile = existsSync(strategyPath) && statSync(strategyPath).isFile();
    if (!isFile && !VERSION_ID_RE.test(strategyArg)) {
      return bad(`--strategy: no file at ${strategyPath}, and ${JSON.stringify(strategyArg)} is not a version name like v002`);
    }
    const db = openStore({ path: dbPath, readonly: true });
    let report: BacktestReport;
    const bar = progressBar(process.stderr.isTTY === true && values['no-progress'] !== true);
    try {
      const repos = createRepositories(db);
      let source: Awaited<ReturnType<typeof readStrategySource>>;
      if (isFile) {
        source = await readStrategySource(strategyPath, values.strategy === undefined ? V001_VERSION : undefined);
      } else {
        const row = repos.strategyVersions.byVersion(strategyArg);
        if (row === undefined) return bad(`--strategy ${strategyArg}: no such file, and no such version in ${dbPath} (see 'brain strategy list')`);
        source = await compileStrategySource(row.code, storedFilename(strategyArg), strategyArg);
      }
      if (!source.ok) return bad(source.reason);
      const coverage = fiveMinuteCoverage(repos.candles);
      let symbols: string[];
      if (typeof values.symbols === 'string') {
        symbols = values.symbols.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (symbols.length === 0) return bad('--symbols: expected at least one pair, e.g. BTC/USD');
        const dupes = symbols.filter((s, i) => symbols.indexOf(s) !== i);
        if (dupes.length > 0) return bad(`--symbols: ${dupes[0]} is listed twice`);
        const missing = symbols.filter((s) => !coverage.has(s));
        if (missing.length > 0) {
          return bad(`no 5m candles stored for ${missing.join(', ')}; stored: ${[...coverage.keys()].join(', ') || 'none'} (import with 'brain data import')`);
        }
      } else {
        symbols = config.markets.symbols.filter((s) => coverage.has(s));
        const skipped = config.markets.symbols.filter((s) => !coverage.has(s));
        if (symbols.length === 0) return bad(`no 5m candles stored for any configured symbol (${config.markets.symbols.join(', ')}); import with 'brain data import'`);
        if (skipped.length > 0) io.err(`warning: no 5m candles stored for ${skipped.join(', ')}; backtesting ${symbols.join(', ')}`);
      }
      const covered = symbols.map((s) => coverage.get(s)!);
      const fromMs = from?.ok ? from.ms : Math.min(...covered.map((c) => c.firstTsOpen));
      const toMs = to?.ok ? to.ms : Math.max(...covered.map((c) => c.lastTsOpen)) + STEP_MS;
      if (toMs <= fromMs) return bad(`the range is empty: --to (${new Date(toMs).toISOString()}) must be after --from (${new Date(fromMs).toISOString()})`);
      const warmupMs = warmup.value * DAY_MS;
      const candles = loadFiveMinute(repos.candles, symbols, bucketStart(fromMs - warmupMs, '1d'), toMs);
      const inRange = symbols.map((s) => candles[s]!.filter((c) => c.tsOpen >= fromMs).length);
      if (inRange.every((n) => n === 0)) {
        return bad(`no 5m candles of ${symbols.join(', ')} between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}; stored: ${symbols.map((s) => `${s} ${new Date(coverage.get(s)!.firstTsOpen).toISOString().slice(0, 10)}..${new Date(coverage.get(s)!.lastTsOpen).toISOString().slice(0, 10)}`).join(', ')}`);
      }
      const percent = (fraction: number): Fixed => mul(fromNumber(fraction), fromString('100'));
      const result = await runBacktestReport(
        {
          symbols,
          candles,
          fromMs,
          toMs,
          warmupMs,
          settings: {
            markets: backtestMarkets(symbols, spreads.spreads),
            limits: toRiskLimits(config),
            timeZone: config.general.timezone,
            fees: feeModel === 'tiered' ? KRAKEN_PRO_FEE_SCHEDULE : flatFeeSchedule({ makerPct: percent(config.kraken.makerFeePct), takerPct: percent(config.kraken.takerFeePct) }),
            slippage: fromNumber(config.general.defaultSlippageFactor),
            limitFillRule: limitFill,
            limitOrderTtlMs: ttl.value * 60_000,
            tagPrefix: 'bt',
          },
          startingCapital: capital ?? fromNumber(config.general.paperBalanceUsd),
          strategy: { version: source.source.version, code: source.source.code, hash: source.source.hash, source: strategyArg === V001_SOURCE_PATH ? V001_VERSION : strategyArg },
          seed: seed.value,
          folds: folds.value,
          makeRunner: (s) => (values.sandbox === true ? createSandboxedStrategyRunner() : createInProcessRunner({ seed: s })),
          feeModel: feeModel === 'tiered' ? 'kraken-pro-tiered' : `flat maker ${toString(percent(config.kraken.makerFeePct))}% / taker ${toString(percent(config.kraken.takerFeePct))}%`,
        },
        { onProgress: (done, total) => bar.update(done, total) },
      );
      if (!result.ok) return bad(result.reason);
      report = result.report;
    } finally {
      db.close();
    }
    const processed = report.data.totalCandles + (report.walkForward?.windows.reduce((n, w) => n + w.inSample.data.totalCandles + w.outOfSample.data.totalCandles, 0) ?? 0);
    bar.finish(processed);
    print(report, values.json === true, io);
    return EXIT.ok;
  },
};

function print(report: BacktestReport, json: boolean, io: Io): void {
  if (json) io.out(reportJson(report));
  else for (const line of renderReport(report)) io.out(line);
}
