/**
 * `brain data import`: candle files into the tiered store, all or nothing. Every file is read
 * (streaming) and checked in full — cell syntax, timeframe (given, from the file name, or from the
 * row spacing), grid alignment, order, duplicates, OHLC consistency, positive prices, volume ≥ 0,
 * file name vs target symbol — and only when no file has a problem is anything written, in one
 * transaction, together with an import record per file in system_meta (`IMPORT_KEY_PREFIX`).
 *
 * The target symbol and the source are explicit choices: a Binance file is quoted in USDT, and
 * storing it under a USD symbol is allowed but recorded (the `quoteMapping` field) and warned
 * about; any other quote or base mismatch is refused.
 */
import { basename, resolve } from 'node:path';
import type { Repositories } from '../../adapters/libsql/index.ts';
import {
  fileNameHints,
  formatProblem,
  readCandleFile,
  type CandleFile,
  type CandleFileFormat,
  type FileNameHints,
  type FileProblem,
} from '../../adapters/market-data/index.ts';
import { SYMBOL_RE } from '../../domain/contract/index.ts';
import { defaultConfig } from '../config/index.ts';
import {
  TIMEFRAME_MS,
  findGaps,
  formatUtc,
  inspectCandles,
  missingCount,
  retentionCutoffs,
  timeframeOfLength,
  type Candle,
  type CandleRetention,
  type Gap,
  type Timeframe,
} from '../../domain/market/index.ts';

/** system_meta key prefix of import records: `data_import:<symbol>:<timeframe>:<file name>` → JSON `ImportRecord`. */
export const IMPORT_KEY_PREFIX = 'data_import:';

/** Quotes treated as a stand-in for USD when the target symbol is quoted in USD (with a warning and a record). */
export const USD_STABLECOINS: readonly string[] = Object.freeze(['USDT', 'USDC']);

const SOURCE_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** What to import. */
export interface ImportRequest {
  /** Candle files (`.csv` or `.csv.gz`, /work/shared/data format or Kraken OHLCVT). */
  readonly files: readonly string[];
  /** Target symbol, 'BASE/QUOTE' ('BTC/USD'). */
  readonly symbol: string;
  /** Timeframe; when absent, taken from the file names, else from the row spacing. */
  readonly timeframe?: Timeframe;
  /** Source name recorded with the import ('binance', 'kraken'); when absent, from the file names or format. */
  readonly source?: string;
  /** Retention in force, to warn when imported candles are older than their tier keeps. Default: brain.toml's defaults. */
  readonly retention?: CandleRetention;
}

/** The import record stored per file (JSON in system_meta). */
export interface ImportRecord {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly source: string;
  /** Absolute path at import time. */
  readonly file: string;
  readonly sha256: string;
  readonly format: CandleFileFormat;
  readonly rows: number;
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
  /** Quote currency the file name gives, or null. */
  readonly fileQuote: string | null;
  /** 'USDT→USD' when a stablecoin-quoted file was stored under a USD symbol, else null. */
  readonly quoteMapping: string | null;
  readonly importedAt: number;
}

/** Per-file summary of a successful import. */
export interface ImportedFile {
  readonly file: string;
  readonly format: CandleFileFormat;
  readonly rows: number;
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
  readonly gaps: number;
  readonly missing: number;
  readonly zeroVolume: number;
  readonly sha256: string;
}

/** What a successful import did. */
export interface ImportReport {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly source: string;
  readonly files: readonly ImportedFile[];
  /** Candles written (after dropping rows repeated identically across files). */
  readonly written: number;
  /** Of those, how many replaced a stored candle (same symbol, timeframe, time). */
  readonly replaced: number;
  /** Rows that appeared identically in two files and were written once. */
  readonly repeatedAcrossFiles: number;
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
  /** Gaps inside the imported span (after merging the files), oldest first. */
  readonly gaps: readonly Gap[];
  readonly missing: number;
  /** 'USDT→USD' etc. when the quote was mapped, else null. */
  readonly quoteMapping: string | null;
  /** Things the operator should know (quote mapping, retention), already phrased. */
  readonly warnings: readonly string[];
}

/**
 * Outcome: the report, or the problems (formatted `file:line: column x = "v": message`; at most
 * `maxProblemsPerFile` per file and check, then a '… and N more' line) and their total count.
 */
export type ImportOutcome =
  | { readonly ok: true; readonly report: ImportReport }
  | { readonly ok: false; readonly problems: readonly string[]; readonly problemCount: number };

/** Options of `importCandleFiles`. */
export interface ImportOptions {
  /** Problems listed per file before counting only (default 50). */
  readonly maxProblemsPerFile?: number;
  /** Called with a progress line after each file is read and checked. */
  readonly onProgress?: (line: string) => void;
}

interface CheckedFile {
  readonly read: CandleFile;
  readonly timeframe: Timeframe;
  readonly hints: FileNameHints;
  readonly source: string | undefined;
  readonly gaps: readonly Gap[];
  readonly zeroVolume: number;
}

/**
 * Imports `request.files` as `request.symbol` at `nowMs` (ms, UTC; stamps the records). Reads and
 * checks everything first; writes only if there is no problem at all, in one transaction. Never
 * throws for bad input (bad files, names, options are problems); throws on store failure, in which
 * case the transaction is rolled back and nothing is written.
 */
export async function importCandleFiles(repos: Repositories, request: ImportRequest, nowMs: number, options: ImportOptions = {}): Promise<ImportOutcome> {
  const maxPerFile = options.maxProblemsPerFile ?? 50;
  const problems: string[] = [];
  let problemCount = 0;
  const fail = (message: string): void => {
    problemCount += 1;
    problems.push(message);
  };

  if (!SYMBOL_RE.test(request.symbol)) fail(`--symbol ${JSON.stringify(request.symbol)} must be a pair like "BTC/USD" (A-Z, 0-9, one "/")`);
  if (request.source !== undefined && !SOURCE_RE.test(request.source)) {
    fail(`--source ${JSON.stringify(request.source)} must be 1-40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. "binance")`);
  }
  if (request.files.length === 0) fail('no files given');
  if (problemCount > 0) return { ok: false, problems, problemCount };
  const [base, quote] = request.symbol.split('/') as [string, string];

  const checked: CheckedFile[] = [];
  const warnings: string[] = [];
  let quoteMapping: string | null = null;
  for (const path of request.files) {
    const outcome = await readCandleFile(path, { maxProblems: maxPerFile });
    if (!outcome.ok) {
      outcome.problems.forEach((p) => fail(formatProblem(p)));
      const more = outcome.problemCount - outcome.problems.length;
      if (more > 0) {
        problemCount += more;
        problems.push(`${path}: … and ${more} more problems`);
      }
      continue;
    }
    const read = outcome.file;
    const hints = fileNameHints(path);
    const fileProblems: FileProblem[] = [];
    const fileFail = (p: Omit<FileProblem, 'file'>): void => {
      fileProblems.push({ file: path, ...p });
    };

    if (hints.base !== undefined && hints.base !== base) {
      fileFail({ message: `the file name says ${hints.base}${hints.quote ? `/${hints.quote}` : ''} (${hints.pairToken}) but --symbol is ${request.symbol}; rename the file if its name is wrong` });
    }
    if (hints.quote !== undefined && hints.quote !== quote) {
      if (quote === 'USD' && USD_STABLECOINS.includes(hints.quote)) {
        quoteMapping = `${hints.quote}→USD`;
      } else {
        fileFail({ message: `the file name says the prices are quoted in ${hints.quote} but --symbol ${request.symbol} is quoted in ${quote}` });
      }
    }

    const timeframe = decideTimeframe(read, hints, request.timeframe, fileFail);
    let gaps: readonly Gap[] = [];
    let zeroVolume = 0;
    let omitted = 0;
    if (timeframe !== undefined) {
      const report = inspectCandles(read.candles, timeframe);
      for (const issue of report.issues.slice(0, maxPerFile)) {
        const column = issue.field === 'tsOpen' ? 'time' : issue.field;
        const value = issue.field === 'tsOpen' ? String(issue.value / 1000) : String(issue.value);
        const other = issue.otherIndex === undefined ? '' : ` (line ${read.lines[issue.otherIndex]})`;
        fileFail({ line: read.lines[issue.index]!, column, value, message: issue.message + other });
      }
      omitted = Math.max(0, report.issues.length - maxPerFile);
      gaps = report.gaps;
      zeroVolume = report.zeroVolume;
    }
    fileProblems.forEach((p) => fail(formatProblem(p)));
    if (omitted > 0) {
      problemCount += omitted;
      problems.push(`${path}: … and ${omitted} more row problems`);
    }
    if (fileProblems.length > 0 || timeframe === undefined) continue;

    const source = request.source ?? hints.venue ?? (read.format === 'kraken-ohlcvt' ? 'kraken' : undefined);
    checked.push({ read, timeframe, hints, source, gaps, zeroVolume });
    options.onProgress?.(
      `${path}: ${read.candles.length} ${timeframe} candles (${read.format}${read.gzip ? ', gzip' : ''}), ` +
        `${formatUtc(read.candles[0]!.tsOpen)} .. ${formatUtc(read.candles[read.candles.length - 1]!.tsOpen)}, ${plural(gaps.length, 'gap')} (${plural(missingCount(gaps), 'candle')} missing)`,
    );
  }
  if (problemCount > 0) return { ok: false, problems, problemCount };

  const timeframes = [...new Set(checked.map((c) => c.timeframe))];
  if (timeframes.length > 1) {
    fail(`the files hold different timeframes (${checked.map((c) => `${basename(c.read.file)}: ${c.timeframe}`).join(', ')}); import each timeframe separately`);
  }
  const sources = [...new Set(checked.map((c) => c.source))];
  if (sources.includes(undefined)) {
    fail(`cannot tell the source of ${checked.filter((c) => c.source === undefined).map((c) => c.read.file).join(', ')}: pass --source NAME (e.g. --source binance)`);
  } else if (sources.length > 1) {
    fail(`the files come from different sources (${sources.join(', ')}); import them separately or pass --source NAME`);
  }
  if (problemCount > 0) return { ok: false, problems, problemCount };
  const timeframe = timeframes[0]!;
  const source = sources[0]!;

  const merged = mergeFiles(checked, fail);
  if (problemCount > 0) return { ok: false, problems, problemCount };
  const { candles, repeated } = merged;
  const len = TIMEFRAME_MS[timeframe];
  const first = candles[0]!.tsOpen;
  const last = candles[candles.length - 1]!.tsOpen;

  if (quoteMapping !== null) {
    warnings.push(
      `prices quoted in ${quoteMapping.split('→')[0]} are stored as ${request.symbol} (${quoteMapping}): a deliberate mapping, recorded with the import. ` +
        'The stablecoin/USD basis is small but real (Kraken USD vs Binance USDT closes differ by ~0.06-0.08% on average, /work/shared/data/README.md).',
    );
  }
  warnings.push(...retentionWarnings(candles, timeframe, request.retention ?? defaultConfig().data, nowMs));

  const replaced = repos.transaction(() => {
    const before = repos.candles.countRange(request.symbol, timeframe, first, last + len);
    repos.candles.upsertMany(request.symbol, timeframe, candles);
    const after = repos.candles.countRange(request.symbol, timeframe, first, last + len);
    for (const c of checked) {
      const rows = c.read.candles;
      const record: ImportRecord = {
        symbol: request.symbol,
        timeframe,
        source,
        file: resolve(c.read.file),
        sha256: c.read.sha256,
        format: c.read.format,
        rows: rows.length,
        firstTsOpen: rows[0]!.tsOpen,
        lastTsOpen: rows[rows.length - 1]!.tsOpen,
        fileQuote: c.hints.quote ?? null,
        quoteMapping: c.hints.quote !== undefined && c.hints.quote !== quote ? `${c.hints.quote}→${quote}` : null,
        importedAt: nowMs,
      };
      repos.systemMeta.set(`${IMPORT_KEY_PREFIX}${request.symbol}:${timeframe}:${basename(c.read.file)}`, JSON.stringify(record), nowMs);
    }
    return candles.length - (after - before);
  });

  const gaps = findGaps(candles, timeframe);
  return {
    ok: true,
    report: {
      symbol: request.symbol,
      timeframe,
      source,
      files: checked.map((c) => ({
        file: c.read.file,
        format: c.read.format,
        rows: c.read.candles.length,
        firstTsOpen: c.read.candles[0]!.tsOpen,
        lastTsOpen: c.read.candles[c.read.candles.length - 1]!.tsOpen,
        gaps: c.gaps.length,
        missing: missingCount(c.gaps),
        zeroVolume: c.zeroVolume,
        sha256: c.read.sha256,
      })),
      written: candles.length,
      replaced,
      repeatedAcrossFiles: repeated,
      firstTsOpen: first,
      lastTsOpen: last,
      gaps,
      missing: missingCount(gaps),
      quoteMapping,
      warnings,
    },
  };
}

/** The import records stored in system_meta, optionally for one symbol, by key. Throws on an unreadable record (corrupt store). */
export function importRecords(repos: Repositories, symbol?: string): ImportRecord[] {
  const prefix = symbol === undefined ? IMPORT_KEY_PREFIX : `${IMPORT_KEY_PREFIX}${symbol}:`;
  const out: ImportRecord[] = [];
  for (const row of repos.systemMeta.all()) {
    if (!row.key.startsWith(prefix)) continue;
    try {
      out.push(JSON.parse(row.value) as ImportRecord);
    } catch {
      throw new Error(`system_meta ${row.key} holds an unreadable import record: ${JSON.stringify(row.value.slice(0, 80))}`);
    }
  }
  return out;
}

/** How an import is named in status and roll-up provenance: 'binance (USDT→USD)', 'kraken'. */
export function importLabel(record: ImportRecord): string {
  return record.quoteMapping ? `${record.source} (${record.quoteMapping})` : record.source;
}

/** Picks and verifies the timeframe of one file; reports through `fail` and returns undefined when it cannot. */
function decideTimeframe(
  read: CandleFile,
  hints: FileNameHints,
  given: Timeframe | undefined,
  fail: (p: Omit<FileProblem, 'file'>) => void,
): Timeframe | undefined {
  const spacing = modalSpacing(read.candles);
  let timeframe = given;
  if (timeframe === undefined) {
    if (hints.timeframeToken !== undefined && hints.timeframe === undefined) {
      fail({ message: `the file name gives the timeframe ${JSON.stringify(hints.timeframeToken)}, but the store holds 5m, 1h and 1d candles only` });
      return undefined;
    }
    timeframe = hints.timeframe ?? (spacing ? timeframeOfLength(spacing.ms) : undefined);
    if (timeframe === undefined) {
      fail({
        message: spacing
          ? `rows are mostly ${describeMs(spacing.ms)} apart, which is not a timeframe of the store (5m, 1h, 1d)`
          : 'cannot tell the timeframe of a one-row file: pass --timeframe 5m|1h|1d',
      });
      return undefined;
    }
  } else if (hints.timeframe !== undefined && hints.timeframe !== given) {
    fail({ message: `the file name says ${hints.timeframe} but --timeframe is ${given}` });
    return undefined;
  }
  if (spacing && spacing.ms !== TIMEFRAME_MS[timeframe]) {
    fail({
      message: `rows are mostly ${describeMs(spacing.ms)} apart (${spacing.count} of ${spacing.steps} steps), which does not match the timeframe ${timeframe} (${describeMs(TIMEFRAME_MS[timeframe])})`,
    });
    return undefined;
  }
  return timeframe;
}

/** The most common positive step between consecutive rows (ties: the smaller), with its count; undefined below two rows. */
function modalSpacing(candles: readonly Candle[]): { ms: number; count: number; steps: number } | undefined {
  const counts = new Map<number, number>();
  let steps = 0;
  for (let i = 1; i < candles.length; i++) {
    const d = candles[i]!.tsOpen - candles[i - 1]!.tsOpen;
    if (d <= 0) continue;
    steps += 1;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: { ms: number; count: number; steps: number } | undefined;
  for (const [ms, count] of counts) {
    if (!best || count > best.count || (count === best.count && ms < best.ms)) best = { ms, count, steps };
  }
  return best;
}

/** Merges checked files (each sorted and unique) by time; identical repeats across files are dropped, conflicting ones reported. */
function mergeFiles(files: readonly CheckedFile[], fail: (message: string) => void): { candles: Candle[]; repeated: number } {
  const ordered = [...files].sort((a, b) => a.read.candles[0]!.tsOpen - b.read.candles[0]!.tsOpen);
  const disjoint = ordered.every((f, i) => i === 0 || f.read.candles[0]!.tsOpen > lastOf(ordered[i - 1]!).tsOpen);
  if (disjoint) return { candles: ordered.flatMap((f) => f.read.candles), repeated: 0 };

  const refs: { f: number; i: number }[] = [];
  ordered.forEach((f, fi) => f.read.candles.forEach((_, i) => refs.push({ f: fi, i })));
  const at = (r: { f: number; i: number }): Candle => ordered[r.f]!.read.candles[r.i]!;
  refs.sort((a, b) => at(a).tsOpen - at(b).tsOpen || a.f - b.f);
  const candles: Candle[] = [];
  let repeated = 0;
  let conflicts = 0;
  for (let k = 0; k < refs.length; k++) {
    const c = at(refs[k]!);
    const prev = candles[candles.length - 1];
    if (prev && prev.tsOpen === c.tsOpen) {
      if (sameCandle(prev, c)) {
        repeated += 1;
      } else {
        conflicts += 1;
        const a = refs[k - 1]!;
        const b = refs[k]!;
        if (conflicts <= 20) {
          fail(
            `${ordered[a.f]!.read.file}:${ordered[a.f]!.read.lines[a.i]} and ${ordered[b.f]!.read.file}:${ordered[b.f]!.read.lines[b.i]} ` +
              `give different candles for ${formatUtc(c.tsOpen)}; overlapping files must agree (import one of them)`,
          );
        } else {
          fail(`another conflicting overlap at ${formatUtc(c.tsOpen)}`);
        }
      }
      continue;
    }
    candles.push(c);
  }
  return { candles, repeated };
}

function lastOf(f: CheckedFile): Candle {
  return f.read.candles[f.read.candles.length - 1]!;
}

function sameCandle(a: Candle, b: Candle): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}

/** Warnings for imported candles that the tier's retention will roll up or delete at the next maintenance. */
function retentionWarnings(candles: readonly Candle[], timeframe: Timeframe, retention: CandleRetention, nowMs: number): string[] {
  const cutoff = retentionCutoffs(nowMs, retention)[timeframe];
  let older = 0;
  for (const c of candles) if (c.tsOpen < cutoff) older += 1;
  if (older === 0) return [];
  const [key, kept, fate] =
    timeframe === '5m'
      ? ['data.candle_5m_retention_days', `${retention.candle5mRetentionDays} days`, 'rolls them up into 1h candles and deletes the 5m rows']
      : timeframe === '1h'
        ? ['data.candle_1h_retention_days', `${retention.candle1hRetentionDays} days`, 'rolls them up into 1d candles and deletes the 1h rows']
        : ['data.candle_1d_retention_years', `${retention.candle1dRetentionYears} years`, 'deletes them'];
  return [
    `${older} of ${candles.length} imported ${timeframe} candles open before ${formatUtc(cutoff)}, beyond ${key} (${kept}): the next data maintenance ${fate}. ` +
      `Raise ${key} in brain.toml to keep them (e.g. for backtests on ${timeframe} history).`,
  ];
}

/** '1 gap', '2 gaps'. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function describeMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${ms / 1000} s`;
}
