import { resolve } from 'node:path';
import { configPath, loadEnvironment } from '../supervisor/environment.ts';
import { formatProblems, loadConfigFile, type BrainConfig, type ConfigProblem } from '../supervisor/config/index.ts';
import { EXIT, type Io } from './cli.ts';

export interface CommandContext {
  config: BrainConfig;
  env: Record<string, string | undefined>;
  configFile: string;
  warnings: readonly ConfigProblem[];
}

/**
 * Loads the environment and the configuration for a command, reporting every problem to stderr.
 * Returns an exit code (2, bad input) instead of a context when either is invalid.
 */
export function loadContext(values: Record<string, unknown>, io: Io): CommandContext | number {
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
  for (const w of result.warnings) io.err(`warning: ${formatProblems([w])}`);
  return { config: result.config, env: envResult.env, configFile: file, warnings: result.warnings };
}

/** The `--db PATH` option shared by commands that open the database. */
export const DB_OPTION = { db: { type: 'string' } } as const;
export const DB_HELP = [['--db PATH', 'database file (default: database.path from brain.toml)']] as const;

/** The database path: --db, else `database.path` of the configuration (relative to the cwd); an exit code on bad input. */
export function resolveDbPath(values: Record<string, unknown>, io: Io): string | number {
  if (typeof values.db === 'string') return resolve(io.cwd, values.db);
  const ctx = loadContext(values, io);
  if (typeof ctx === 'number') return ctx;
  return resolve(io.cwd, ctx.config.database.path);
}
