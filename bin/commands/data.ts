import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRepositories, latestSchemaVersion, openStore, schemaVersion, type Db } from '../../adapters/libsql/index.ts';
import { formatUtc, isTimeframe, type Timeframe } from '../../domain/market/index.ts';
import { formatProblems, loadConfigFile, type BrainConfig } from '../../supervisor/config/index.ts';
import {
  dataStatus as readDataStatus,
  exportCandles,
  formatDataStatus,
  importCandleFiles,
  parseDateArg,
  plural,
  runMaintenance,
} from '../../supervisor/data/index.ts';
import { configPath, loadEnvironment } from '../../supervisor/environment.ts';
import type { Command, Io } from '../cli.ts';
import { EXIT } from '../cli.ts';

const DB_HELP = ['--db PATH', 'database file (default: database.path from brain.toml)'] as const;

/**
 * Loads the environment and brain.toml like `loadContext`, reporting errors (exit code 2) but not
 * warnings: the data commands read only `[database]`, `[data]` and the reflection interval, so
 * warnings about missing API keys would only be noise here.
 */
function loadConfig(values: Record<string, unknown>, io: Io): BrainConfig | number {
  const envResult = loadEnvironment(io.env, io.cwd, values['env-file'] as string | undefined);
  if (!envResult.ok) {
    io.err(`error: ${envResult.message}`);
    return EXIT.badInput;
  }
  const file = configPath(io.cwd, envResult.env, values.config as string | undefined);
  const result = loadConfigFile(file, envResult.env);
  if (!result.ok) {
    io.err(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    io.err(formatProblems(result.problems));
    return EXIT.badInput;
  }
  return result.config;
}

/** Where the store is and, when loaded, the configuration. */
interface Target {
  readonly dbPath: string;
  readonly config: BrainConfig | undefined;
}

/**
 * The database path (--db, else `database.path` of brain.toml) and the configuration: always
 * loaded without --db; with --db loaded when `need` is 'required', or 'optional' and a config
 * file exists, and not at all for 'none'. Returns an exit code when the configuration is invalid.
 */
function resolveTarget(values: Record<string, unknown>, io: Io, need: 'required' | 'optional' | 'none'): Target | number {
  if (typeof values.db === 'string') {
    const dbPath = resolve(io.cwd, values.db);
    if (need === 'none') return { dbPath, config: undefined };
    if (need === 'optional' && !existsSync(configPath(io.cwd, io.env, values.config as string | undefined))) return { dbPath, config: undefined };
    const config = loadConfig(values, io);
    return typeof config === 'number' ? config : { dbPath, config };
  }
  const loaded = loadConfig(values, io);
  if (typeof loaded === 'number') return loaded;
  return { dbPath: resolve(io.cwd, loaded.database.path), config: loaded };
}

/** Opens an existing, migrated store; reports and returns exit code 2 when it is missing or behind. */
function openMigrated(path: string, io: Io, readonly: boolean): Db | number {
  if (!existsSync(path)) {
    io.err(`error: no database at ${path}; run 'brain db migrate' first`);
    return EXIT.badInput;
  }
  const db = openStore({ path, readonly });
  const version = schemaVersion(db);
  if (version !== latestSchemaVersion()) {
    db.close();
    io.err(`error: ${path} has schema version ${version}, this code needs ${latestSchemaVersion()}; run 'brain db migrate' first`);
    return EXIT.badInput;
  }
  return db;
}

function timeframeOption(values: Record<string, unknown>, io: Io, required: boolean): Timeframe | undefined | number {
  const tf = values.timeframe;
  if (tf === undefined) {
    if (!required) return undefined;
    io.err('error: --timeframe is required (5m, 1h or 1d)');
    return EXIT.badInput;
  }
  if (!isTimeframe(tf)) {
    io.err(`error: --timeframe ${JSON.stringify(tf)} is not a timeframe of the store; allowed: 5m, 1h, 1d`);
    return EXIT.badInput;
  }
  return tf;
}

function requiredString(values: Record<string, unknown>, name: string, io: Io, example: string): string | number {
  const v = values[name];
  if (typeof v === 'string' && v.length > 0) return v;
  io.err(`error: --${name} is required (e.g. --${name} ${example})`);
  return EXIT.badInput;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `brain data import FILE...`: candle files into the store, all or nothing. */
export const dataImport: Command = {
  words: ['data', 'import'],
  summary:
    'Import candle files (the /work/shared/data CSV format or Kraken OHLCVT, .csv or .csv.gz) as one symbol. ' +
    'Every row of every file is checked first; nothing is written unless all are valid, then all are written in one transaction.',
  usage: 'FILE... --symbol SYM [--timeframe 5m|1h|1d] [--source NAME] [--db PATH]',
  optionHelp: [
    ['--symbol SYM', 'target symbol, e.g. BTC/USD (required; a USDT-quoted file stored as USD is recorded and warned about)'],
    ['--timeframe TF', '5m, 1h or 1d (default: from the file name, else from the row spacing; always verified)'],
    ['--source NAME', 'source recorded with the import, e.g. binance (default: from the file name or format)'],
    DB_HELP,
  ],
  options: { db: { type: 'string' }, symbol: { type: 'string' }, timeframe: { type: 'string' }, source: { type: 'string' } },
  positionals: { min: 1, max: 1000, names: 'FILE...' },
  async run({ values, positionals }, io) {
    const symbol = requiredString(values, 'symbol', io, 'BTC/USD');
    if (typeof symbol === 'number') return symbol;
    const timeframe = timeframeOption(values, io, false);
    if (typeof timeframe === 'number') return timeframe;
    const target = resolveTarget(values, io, 'optional');
    if (typeof target === 'number') return target;
    const db = openMigrated(target.dbPath, io, false);
    if (typeof db === 'number') return db;
    try {
      const started = performance.now();
      const files = positionals.map((f) => resolve(io.cwd, f));
      const outcome = await importCandleFiles(
        createRepositories(db),
        {
          files,
          symbol,
          ...(timeframe === undefined ? {} : { timeframe }),
          ...(typeof values.source === 'string' ? { source: values.source } : {}),
          ...(target.config ? { retention: target.config.data } : {}),
        },
        Date.now(),
        { onProgress: (line) => io.out(`read ${line}`) },
      );
      if (!outcome.ok) {
        for (const p of outcome.problems) io.err(`error: ${p}`);
        io.err(`nothing was imported: ${outcome.problemCount} problem${outcome.problemCount === 1 ? '' : 's'}`);
        return EXIT.badInput;
      }
      const r = outcome.report;
      for (const w of r.warnings) io.err(`warning: ${w}`);
      io.out(
        `imported ${r.written.toLocaleString('en-US')} ${r.timeframe} candles of ${r.symbol} from ${r.files.length} file${r.files.length === 1 ? '' : 's'} ` +
          `(source ${r.source}${r.quoteMapping ? `, ${r.quoteMapping}` : ''}) into ${target.dbPath} in ${seconds(performance.now() - started)}: ` +
          `${(r.written - r.replaced).toLocaleString('en-US')} new, ${r.replaced.toLocaleString('en-US')} replaced` +
          (r.repeatedAcrossFiles > 0 ? `, ${r.repeatedAcrossFiles} repeated across files written once` : ''),
      );
      io.out(`span ${formatUtc(r.firstTsOpen)} .. ${formatUtc(r.lastTsOpen)}; ${plural(r.gaps.length, 'gap')}, ${plural(r.missing, 'candle')} missing`);
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

/** `brain data export`: one series as CSV in the /work/shared/data format. */
export const dataExport: Command = {
  words: ['data', 'export'],
  summary: 'Export one stored series as CSV in the /work/shared/data format (header, unix seconds), to a new file (.gz = gzip) or to stdout.',
  usage: '--symbol SYM --timeframe 5m|1h|1d [--from DATE] [--to DATE] [--out FILE] [--db PATH]',
  optionHelp: [
    ['--symbol SYM', 'the series symbol, e.g. BTC/USD (required)'],
    ['--timeframe TF', '5m, 1h or 1d (required)'],
    ['--from DATE', 'first candle open to include: YYYY-MM-DD (UTC day) or an ISO date-time with Z or an offset'],
    ['--to DATE', 'end, exclusive (--from 2024-01-01 --to 2024-02-01 is January)'],
    ['--out FILE', 'write to this new file (never overwritten; .gz compresses); default: stdout'],
    DB_HELP,
  ],
  options: {
    db: { type: 'string' },
    symbol: { type: 'string' },
    timeframe: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values }, io) {
    const symbol = requiredString(values, 'symbol', io, 'BTC/USD');
    if (typeof symbol === 'number') return symbol;
    const timeframe = timeframeOption(values, io, true);
    if (typeof timeframe === 'number' || timeframe === undefined) return typeof timeframe === 'number' ? timeframe : EXIT.badInput;
    const range: { fromMs?: number; toMs?: number } = {};
    for (const [name, key] of [['from', 'fromMs'], ['to', 'toMs']] as const) {
      const text = values[name];
      if (typeof text !== 'string') continue;
      const parsed = parseDateArg(text);
      if (!parsed.ok) {
        io.err(`error: --${name}: ${parsed.reason}`);
        return EXIT.badInput;
      }
      range[key] = parsed.ms;
    }
    const target = resolveTarget(values, io, 'none');
    if (typeof target === 'number') return target;
    const db = openMigrated(target.dbPath, io, true);
    if (typeof db === 'number') return db;
    try {
      const out = typeof values.out === 'string' ? resolve(io.cwd, values.out) : undefined;
      const outcome = await exportCandles(
        createRepositories(db),
        { symbol, timeframe, ...range },
        out === undefined ? { kind: 'lines', write: (line) => io.out(line) } : { kind: 'file', path: out },
      );
      if (!outcome.ok) {
        io.err(`error: ${outcome.reason}`);
        return outcome.badInput ? EXIT.badInput : EXIT.failure;
      }
      const span = outcome.firstTsOpen === undefined ? 'no candles in the range' : `${formatUtc(outcome.firstTsOpen)} .. ${formatUtc(outcome.lastTsOpen!)}`;
      const summary = `exported ${outcome.rows.toLocaleString('en-US')} ${timeframe} candles of ${symbol} (${span})${out ? ` to ${out}` : ''}`;
      if (out) io.out(summary);
      else io.err(summary);
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

/** `brain data status`: coverage per symbol and tier. */
export const dataStatus: Command = {
  words: ['data', 'status'],
  summary: 'Show the candle store per symbol and tier: first and last candle, count, coverage, gaps (count, missing candles, the largest), import sources and the last maintenance run.',
  usage: '[--symbol SYM] [--gaps N] [--json] [--db PATH]',
  optionHelp: [
    ['--symbol SYM', 'only this symbol'],
    ['--gaps N', 'largest gaps listed per series (default 3)'],
    ['--json', 'print the status as JSON (times in ms since the epoch, UTC)'],
    DB_HELP,
  ],
  options: { db: { type: 'string' }, symbol: { type: 'string' }, gaps: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    let largest = 3;
    if (typeof values.gaps === 'string') {
      largest = Number(values.gaps);
      if (!/^\d+$/.test(values.gaps) || largest > 1000) {
        io.err(`error: --gaps ${JSON.stringify(values.gaps)} must be a whole number from 0 to 1000`);
        return EXIT.badInput;
      }
    }
    const target = resolveTarget(values, io, 'none');
    if (typeof target === 'number') return target;
    const db = openMigrated(target.dbPath, io, true);
    if (typeof db === 'number') return db;
    try {
      const status = readDataStatus(createRepositories(db), { ...(typeof values.symbol === 'string' ? { symbol: values.symbol } : {}), largest });
      if (values.json) io.out(JSON.stringify(status, null, 2));
      else for (const line of formatDataStatus(status)) io.out(line);
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

/** `brain data maintain`: run the tier roll-up and pruning now. */
export const dataMaintain: Command = {
  words: ['data', 'maintain'],
  summary:
    'Run data maintenance now (the scheduler also runs it): roll 5m candles past data.candle_5m_retention_days up into 1h and 1h past ' +
    'data.candle_1h_retention_days into 1d, delete 1d past data.candle_1d_retention_years, and prune the other tables. Reads brain.toml for the retention.',
  usage: '[--db PATH]',
  optionHelp: [DB_HELP],
  options: { db: { type: 'string' } },
  async run({ values }, io) {
    const target = resolveTarget(values, io, 'required');
    if (typeof target === 'number') return target;
    const db = openMigrated(target.dbPath, io, false);
    if (typeof db === 'number') return db;
    try {
      const started = performance.now();
      const report = await runMaintenance(createRepositories(db), target.config!, Date.now());
      io.out(`maintenance of ${target.dbPath} done in ${seconds(performance.now() - started)}`);
      io.out(`cutoffs: 5m before ${formatUtc(report.cutoffs['5m'])}, 1h before ${formatUtc(report.cutoffs['1h'])}, 1d before ${formatUtc(report.cutoffs['1d'])}`);
      for (const r of report.rollups) {
        io.out(
          `  ${r.symbol} ${r.source} → ${r.target}: ${r.sourceRows.toLocaleString('en-US')} rows rolled up into ${r.written.toLocaleString('en-US')} candles` +
            (r.keptExisting > 0 ? `, ${r.keptExisting} stored ${r.target} candles kept over incomplete buckets` : '') +
            (r.partialWritten > 0 ? `, ${r.partialWritten} written from incomplete buckets` : ''),
        );
      }
      if (report.rollups.length === 0) io.out('  no candles past their tier retention');
      io.out(`  1d candles deleted: ${report.dailyDeleted}`);
      const pruned = Object.entries(report.pruned).filter(([, n]) => n > 0);
      io.out(`  pruned: ${pruned.length === 0 ? 'nothing' : pruned.map(([table, n]) => `${table} ${n}`).join(', ')}`);
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

/** Every `brain data` command, in help order. */
export const DATA_COMMANDS: readonly Command[] = [dataImport, dataExport, dataStatus, dataMaintain];
