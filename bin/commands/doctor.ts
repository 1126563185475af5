/**
 * `brain doctor`: one line per check, each `ok`, `warn` or `fail` with its reason — the Node.js
 * version against package.json's engines, the configuration, the secrets the fund needs (never
 * their values), the database (opens read-only, integrity, schema version), data coverage of the
 * configured symbols, and which sandbox protections a runner really gets. Exit 0 when nothing
 * failed, 1 otherwise. Changes nothing (the database is opened read-only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkIntegrity, createRepositories, latestSchemaVersion, openStore, schemaVersion } from '../../adapters/libsql/index.ts';
import { type SandboxOptions, detectSandboxProtections } from '../../strategies/sandbox/index.ts';
import { type BrainConfig, formatProblems, loadConfigFile } from '../../supervisor/config/index.ts';
import { configPath, loadEnvironment } from '../../supervisor/environment.ts';
import type { Command, Io } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { DB_HELP, DB_OPTION } from '../context.ts';

/** The verdict of one check. */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's report. */
export interface DoctorLine {
  readonly status: DoctorStatus;
  /** What was checked ('node', 'config', 'database', 'sandbox.netns', …). */
  readonly check: string;
  /** Why: the value found and, for warn/fail, what to do. Never contains a secret. */
  readonly reason: string;
}

const DAY = 86_400_000;

/** `engines.node` of package.json, e.g. '>=20.19.0'. */
function enginesRange(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines?: { node?: string } };
  return pkg.engines?.node ?? '>=0.0.0';
}

/** Does `version` (x.y.z) satisfy a `>=a.b.c` range? Other range forms are reported as unknown (null). */
export function satisfiesMinimum(version: string, range: string): boolean | null {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  const v = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m || !v) return null;
  const want = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const have = [Number(v[1]), Number(v[2]), Number(v[3])];
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}

function nodeLine(): DoctorLine {
  const range = enginesRange();
  const ok = satisfiesMinimum(process.versions.node, range);
  if (ok === null) return { status: 'warn', check: 'node', reason: `Node.js ${process.versions.node}; cannot compare with engines "${range}"` };
  return ok
    ? { status: 'ok', check: 'node', reason: `Node.js ${process.versions.node} satisfies engines "${range}"` }
    : { status: 'fail', check: 'node', reason: `Node.js ${process.versions.node} is older than engines "${range}"; install a newer Node.js` };
}

function configLines(values: Record<string, unknown>, io: Io): { lines: DoctorLine[]; config: BrainConfig | null } {
  const envResult = loadEnvironment(io.env, io.cwd, values['env-file'] as string | undefined);
  if (!envResult.ok) return { lines: [{ status: 'fail', check: 'environment', reason: envResult.message }], config: null };
  const file = configPath(io.cwd, envResult.env, values.config as string | undefined);
  const result = loadConfigFile(file, envResult.env);
  if (!result.ok) {
    const first = formatProblems(result.problems.slice(0, 3)).replace(/\s*\n\s*/g, '; ');
    return {
      lines: [{ status: 'fail', check: 'config', reason: `${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${first}${result.problems.length > 3 ? '; …' : ''}); see 'brain config check'` }],
      config: null,
    };
  }
  const config = result.config;
  const lines: DoctorLine[] = [
    result.warnings.length === 0
      ? { status: 'ok', check: 'config', reason: `${file}: valid (mode ${config.general.mode}, ${config.markets.symbols.length} symbols)` }
      : { status: 'warn', check: 'config', reason: `${file}: valid with ${result.warnings.length} warning(s); see 'brain config check'` },
  ];
  lines.push(
    config.secrets.anthropicApiKey !== undefined
      ? { status: 'ok', check: 'secrets.anthropic', reason: 'ANTHROPIC_API_KEY is set' }
      : { status: 'warn', check: 'secrets.anthropic', reason: 'ANTHROPIC_API_KEY is not set: the nightly orchestrator cannot call the model (trading still runs)' },
  );
  if (config.general.mode === 'live') {
    const both = config.secrets.krakenApiKey !== undefined && config.secrets.krakenApiSecret !== undefined;
    lines.push(
      both
        ? { status: 'ok', check: 'secrets.kraken', reason: 'KRAKEN_API_KEY and KRAKEN_API_SECRET are set (live mode)' }
        : { status: 'fail', check: 'secrets.kraken', reason: 'live mode needs KRAKEN_API_KEY and KRAKEN_API_SECRET in the environment' },
    );
  }
  return { lines, config };
}

function databaseLines(path: string | null, config: BrainConfig | null, nowMs: number): DoctorLine[] {
  if (path === null) return [{ status: 'fail', check: 'database', reason: 'no database path: pass --db PATH or fix the configuration' }];
  if (!existsSync(path)) return [{ status: 'warn', check: 'database', reason: `${path} does not exist yet; 'brain start' or 'brain db migrate' creates it` }];
  let db;
  try {
    db = openStore({ path, readonly: true });
  } catch (err) {
    return [{ status: 'fail', check: 'database', reason: `${path} cannot be opened: ${(err as Error).message}` }];
  }
  try {
    const lines: DoctorLine[] = [{ status: 'ok', check: 'database', reason: `${path} opens (read-only for this check)` }];
    const integrity = checkIntegrity(db).problems.filter((p) => !p.startsWith('schema version'));
    lines.push(
      integrity.length === 0
        ? { status: 'ok', check: 'database.integrity', reason: 'integrity_check and foreign_key_check pass' }
        : { status: 'fail', check: 'database.integrity', reason: `${integrity.length} problem(s): ${integrity.slice(0, 3).join('; ')}; see 'brain db check'` },
    );
    const version = schemaVersion(db);
    const latest = latestSchemaVersion();
    lines.push(
      version === latest
        ? { status: 'ok', check: 'database.schema', reason: `schema version ${version} (current)` }
        : { status: 'warn', check: 'database.schema', reason: `schema version ${version}, this code writes ${latest}: run 'brain db migrate' (brain start applies it too)` },
    );
    if (version === 0) return lines;
    const series = createRepositories(db).candles.series();
    const symbols = config?.markets.symbols ?? [...new Set(series.map((s) => s.symbol))];
    const missing: string[] = [];
    const stale: string[] = [];
    for (const symbol of symbols) {
      const five = series.find((s) => s.symbol === symbol && s.timeframe === '5m');
      if (five === undefined) missing.push(symbol);
      else if (nowMs - five.lastTsOpen > DAY) stale.push(`${symbol} (last 5m candle ${new Date(five.lastTsOpen).toISOString()})`);
    }
    const rows = series.reduce((a, s) => a + s.count, 0);
    const summary = `${series.length} series, ${rows} candles for ${new Set(series.map((s) => s.symbol)).size} symbols`;
    if (symbols.length === 0) lines.push({ status: 'warn', check: 'data', reason: `${summary}; no symbols configured` });
    else if (missing.length > 0) lines.push({ status: 'warn', check: 'data', reason: `${summary}; no 5m candles for ${missing.join(', ')} (see 'brain data import' / 'brain data status')` });
    else if (stale.length > 0) lines.push({ status: 'warn', check: 'data', reason: `${summary}; older than a day: ${stale.join(', ')} (the live feed backfills on start)` });
    else lines.push({ status: 'ok', check: 'data', reason: `${summary}; every configured symbol has recent 5m candles` });
    return lines;
  } catch (err) {
    return [{ status: 'fail', check: 'database', reason: `${path}: ${(err as Error).message}` }];
  } finally {
    db.close();
  }
}

async function sandboxLines(config: BrainConfig | null): Promise<DoctorLine[]> {
  const options: Partial<SandboxOptions> =
    config === null
      ? {}
      : { memoryMb: config.sandbox.memoryMb, stackKb: config.sandbox.stackKb, callDeadlineMs: config.sandbox.callDeadlineMs, maxMessageBytes: config.sandbox.maxMessageBytes };
  const p = await detectSandboxProtections(options);
  if (!p.runnerStarted) return [{ status: 'fail', check: 'sandbox.runner', reason: `the sandbox runner did not start: ${p.problem ?? 'unknown reason'}` }];
  const line = (check: string, ok: boolean, yes: string, no: string, bad: DoctorStatus = 'warn'): DoctorLine => ({ status: ok ? 'ok' : bad, check, reason: ok ? yes : no });
  return [
    { status: 'ok', check: 'sandbox.runner', reason: `${p.engine} on Node.js ${p.nodeVersion}; heap ${p.memoryMb} MiB, stack ${p.stackKb} KiB, ${p.callDeadlineMs} ms per call` },
    { status: 'ok', check: 'sandbox.env', reason: 'the runner starts with an empty environment (no secrets)' },
    line('sandbox.permissions', p.permissionModel && !p.fsWrite && !p.childProcesses && !p.workers, `Node permission model on (${p.flag}): reads only its bundle, no writes, no child processes, no workers`, `Node permission model incomplete: ${p.missing.find((m) => m.includes('permission')) ?? `writes ${p.fsWrite}, child processes ${p.childProcesses}, workers ${p.workers}`}`),
    line('sandbox.netns', p.netns, `network namespace without interfaces (${p.netnsMethod})`, p.missing.find((m) => m.startsWith('network namespace')) ?? 'no network namespace'),
    line('sandbox.uid', p.droppedPrivileges || (p.uid !== null && p.uid !== 0), `runs as uid ${p.uid}${p.droppedPrivileges ? ' (dropped from root)' : ''}`, `runs as uid ${p.uid ?? 'unknown'}${p.uid === 0 ? ' (root)' : ''}`),
  ];
}

/** Runs every check; the lines in report order. Never throws (each failure is a `fail` line). */
export async function runDoctor(values: Record<string, unknown>, io: Io, nowMs: number = Date.now()): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [nodeLine()];
  const { lines: configResult, config } = configLines(values, io);
  lines.push(...configResult);
  const path = typeof values.db === 'string' ? resolve(io.cwd, values.db) : config === null ? null : resolve(io.cwd, config.database.path);
  lines.push(...databaseLines(path, config, nowMs));
  try {
    lines.push(...(await sandboxLines(config)));
  } catch (err) {
    lines.push({ status: 'fail', check: 'sandbox.runner', reason: `detecting the sandbox protections failed: ${(err as Error).message}` });
  }
  return lines;
}

/** `brain doctor`: see the module doc. */
export const doctor: Command = {
  words: ['doctor'],
  summary:
    'Check the installation: Node.js version, configuration, secrets (set or not, never their values), database (integrity, schema version), data coverage and the sandbox protections a strategy runner really gets. Exit 0 when no check failed, 1 otherwise.',
  usage: '[--db PATH] [--config PATH] [--env-file PATH] [--json]',
  optionHelp: [...DB_HELP, ['--json', 'print the lines as JSON ({ status, check, reason }[])']],
  options: { ...DB_OPTION, json: { type: 'boolean' } },
  async run({ values }, io) {
    const lines = await runDoctor(values, io);
    if (values.json) io.out(JSON.stringify(lines, null, 2));
    else {
      const width = Math.max(...lines.map((l) => l.check.length));
      for (const l of lines) io.out(`${l.status.padEnd(4)}  ${l.check.padEnd(width)}  ${l.reason}`);
      const failed = lines.filter((l) => l.status === 'fail').length;
      const warned = lines.filter((l) => l.status === 'warn').length;
      io.out(failed === 0 ? `doctor: no failures${warned > 0 ? `, ${warned} warning(s)` : ''}` : `doctor: ${failed} failure(s), ${warned} warning(s)`);
    }
    return lines.some((l) => l.status === 'fail') ? EXIT.failure : EXIT.ok;
  },
};
