import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRepositories, openStore } from '../../adapters/libsql/index.ts';
import { formatProblems } from '../../strategies/static-check/index.ts';
import {
  type CheckReport,
  type LoaderRepos,
  type StoredVersion,
  activateVersion,
  allVersions,
  checkStrategy,
  previousVersion,
  trialVerdict,
  unifiedDiff,
} from '../../strategies/loader/index.ts';
import type { Command, Io } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { DB_HELP, DB_OPTION, resolveDbPath } from '../context.ts';

/** Opens the store at the resolved path (existing databases only) and runs `body` with its repositories. */
async function withRepos(values: Record<string, unknown>, io: Io, readonly: boolean, body: (repos: LoaderRepos) => Promise<number> | number): Promise<number> {
  const path = resolveDbPath(values, io);
  if (typeof path === 'number') return path;
  if (!existsSync(path)) {
    io.err(`error: no database at ${path}; run 'brain db migrate' first`);
    return EXIT.badInput;
  }
  const db = openStore({ path, readonly });
  try {
    return await body(createRepositories(db));
  } finally {
    db.close();
  }
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

function status(row: StoredVersion, live: string | undefined): string {
  if (row.version === live) return 'live';
  if (row.deployedAt !== null) return 'retired';
  return 'never deployed';
}

/** The lines `brain strategy check` prints for a report (problems with line:column, trial counts). */
export function formatCheckReport(report: CheckReport): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  if (report.readError) {
    err.push(`error: ${report.readError}`);
    return { out, err };
  }
  if (report.problems.length > 0) {
    err.push(`${report.filename}: rejected by the static check (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'})`);
    err.push(formatProblems(report.problems, report.filename));
    return { out, err };
  }
  out.push(`${report.filename}: static check passed (sha-256 ${report.hash!.slice(0, 16)}…)`);
  for (const t of report.trial ?? []) {
    const verdict = trialVerdict(t);
    out.push(
      `trial ${t.name} [${t.symbols.join(', ')}]: ${verdict === 'valid' ? 'ok' : verdict === 'rejected' ? 'REJECTED' : 'INTERNAL FAILURE'} — ` +
        `${t.calls} calls, ${t.signals} signals, ${t.invalidSignals} invalid, ${t.failures.length} failures, ${t.elapsedMs} ms`,
    );
    for (const r of t.invalidReasons) out.push(`  invalid ×${r.count}: ${r.reason}`);
    for (const f of t.failures) out.push(`  ${f.call} failed (${f.kind})${f.atMs === null ? '' : ` at ${iso(f.atMs)}`}: ${f.reason}`);
    if (t.stoppedEarly) out.push(`  ${t.stoppedEarly}`);
  }
  for (const e of report.internalErrors) err.push(`error: ${e}`);
  if (report.verdict === 'valid') out.push(report.trial ? 'valid: passed the static check and every trial run' : 'valid');
  else if (report.verdict === 'rejected') err.push('rejected: see the problems above');
  else err.push('internal failure: the check could not be completed (see above)');
  return { out, err };
}

/** `brain strategy check FILE [--trial]`. */
export const strategyCheck: Command = {
  words: ['strategy', 'check'],
  summary:
    'Check a strategy file: the static check (every problem with line:column) and, with --trial, sandboxed trial runs on a synthetic random walk and on bundled real Kraken candles (calls, signals, invalid signals, failures). Exit 0 valid, 2 rejected, 1 internal failure.',
  usage: 'FILE [--trial] [--max-calls N]',
  optionHelp: [
    ['--trial', 'also run the strategy in the sandbox over synthetic and real 5m candles'],
    ['--max-calls N', 'with --trial: at most N analyze calls per data set (default: every candle)'],
  ],
  options: { trial: { type: 'boolean' }, 'max-calls': { type: 'string' } },
  positionals: { min: 1, max: 1, names: 'FILE (the strategy module, .ts or .js)' },
  async run({ values, positionals }, io) {
    const file = resolve(io.cwd, positionals[0]!);
    const raw = values['max-calls'];
    const maxCalls = typeof raw === 'string' ? Number(raw) : undefined;
    if (maxCalls !== undefined && !(Number.isSafeInteger(maxCalls) && maxCalls > 0)) {
      io.err(`error: --max-calls must be a positive whole number, got ${JSON.stringify(raw)}`);
      return EXIT.badInput;
    }
    const report = await checkStrategy({ file }, { trial: values.trial === true, ...(maxCalls !== undefined ? { maxCalls } : {}) });
    const { out, err } = formatCheckReport(report);
    for (const l of out) io.out(l);
    for (const l of err) io.err(l);
    return report.verdict === 'valid' ? EXIT.ok : report.verdict === 'rejected' ? EXIT.badInput : EXIT.failure;
  },
};

/** `brain strategy list`. */
export const strategyList: Command = {
  words: ['strategy', 'list'],
  summary: 'List the stored strategy versions, newest first: status (live, retired, never deployed), parent, hash, created and deployed times, description.',
  usage: '[--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  async run({ values }, io) {
    return withRepos(values, io, true, (repos) => {
      const rows = allVersions(repos);
      if (rows.length === 0) {
        io.out('no strategy versions stored');
        return EXIT.ok;
      }
      const live = repos.strategyVersions.current()?.version;
      const rollback = previousVersion(repos)?.version;
      for (const row of rows) {
        const mark = row.version === live ? '*' : row.version === rollback ? 'r' : ' ';
        io.out(
          `${mark} ${row.version.padEnd(6)} ${status(row, live).padEnd(14)} parent ${(row.parentVersion ?? '-').padEnd(6)} ${row.codeHash.slice(0, 12)} ` +
            `created ${iso(row.createdAt)} deployed ${iso(row.deployedAt)}  ${row.description.split('\n')[0]}`,
        );
      }
      io.out(`* live${rollback ? `, r rollback target (${rollback})` : ''}`);
      return EXIT.ok;
    });
  },
};

/** `brain strategy show VERSION`. */
export const strategyShow: Command = {
  words: ['strategy', 'show'],
  summary: 'Show one stored strategy version: its record (status, parent, hash, times, results) and its full source code.',
  usage: 'VERSION [--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  positionals: { min: 1, max: 1, names: 'VERSION (e.g. v002)' },
  async run({ values, positionals }, io) {
    return withRepos(values, io, true, (repos) => {
      const row = repos.strategyVersions.byVersion(positionals[0]!);
      if (!row) {
        io.err(`error: no strategy version ${JSON.stringify(positionals[0])}; see 'brain strategy list'`);
        return EXIT.badInput;
      }
      const live = repos.strategyVersions.current()?.version;
      io.out(`version:     ${row.version} (${status(row, live)})`);
      io.out(`parent:      ${row.parentVersion ?? '-'}`);
      io.out(`sha-256:     ${row.codeHash}`);
      io.out(`risk tier:   ${row.riskTier ?? '-'}`);
      io.out(`created:     ${iso(row.createdAt)}`);
      io.out(`deployed:    ${iso(row.deployedAt)}`);
      io.out(`retired:     ${iso(row.retiredAt)}`);
      io.out(`description: ${row.description}`);
      if (row.backtestResult) io.out(`backtest:    ${row.backtestResult}`);
      if (row.shadowTestResult) io.out(`shadow test: ${row.shadowTestResult}`);
      io.out('');
      io.out(row.code.replace(/\n$/, ''));
      return EXIT.ok;
    });
  },
};

/** `brain strategy diff A B`. */
export const strategyDiff: Command = {
  words: ['strategy', 'diff'],
  summary: 'Print a unified diff of two stored strategy versions (A → B).',
  usage: 'A B [--db PATH]',
  optionHelp: DB_HELP,
  options: DB_OPTION,
  positionals: { min: 2, max: 2, names: 'A B (two versions)' },
  async run({ values, positionals }, io) {
    return withRepos(values, io, true, (repos) => {
      const rows = positionals.map((v) => repos.strategyVersions.byVersion(v));
      const missing = positionals.filter((_, i) => !rows[i]);
      if (missing.length > 0) {
        io.err(`error: no strategy version ${missing.map((m) => JSON.stringify(m)).join(', ')}; see 'brain strategy list'`);
        return EXIT.badInput;
      }
      const [a, b] = rows as [StoredVersion, StoredVersion];
      const diff = unifiedDiff(a.code, b.code, a.version, b.version);
      io.out(diff === '' ? `${a.version} and ${b.version} have identical code` : diff);
      return EXIT.ok;
    });
  },
};

/** `brain strategy activate VERSION --yes`. */
export const strategyActivate: Command = {
  words: ['strategy', 'activate'],
  summary:
    'Make a stored version the live strategy (the current one is retired and stays the rollback target). Takes effect when the fund next loads its strategy. Requires --yes.',
  usage: 'VERSION --yes [--db PATH]',
  optionHelp: [...DB_HELP, ['--yes', 'confirm the change (required)']],
  options: { ...DB_OPTION, yes: { type: 'boolean' } },
  positionals: { min: 1, max: 1, names: 'VERSION (e.g. v002)' },
  async run({ values, positionals }, io) {
    const version = positionals[0]!;
    if (values.yes !== true) {
      io.err(`refusing to activate ${version} without confirmation: this changes the strategy the fund trades with; pass --yes to confirm`);
      return EXIT.badInput;
    }
    return withRepos(values, io, false, (repos) => {
      const r = activateVersion(repos, version, Date.now());
      if (!r.ok) {
        io.err(`error: ${r.reason}`);
        return EXIT.badInput;
      }
      if (!r.changed) io.out(`${version} is already the live version; nothing changed`);
      else io.out(`${version} is now the live version${r.previous ? ` (${r.previous} retired; roll back with 'brain strategy activate ${r.previous} --yes')` : ''}`);
      return EXIT.ok;
    });
  },
};

/** Every `brain strategy …` command, for bin/main.ts's `COMMANDS`. */
export const STRATEGY_COMMANDS: readonly Command[] = [strategyCheck, strategyList, strategyShow, strategyDiff, strategyActivate];
