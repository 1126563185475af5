import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes of every `brain` command. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, badInput: 2 });

/** Where a command writes; tests pass string collectors, the CLI passes the process streams. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** One `brain` subcommand: its words (`['db', 'migrate']`), help text and runner. */
export interface Command {
  readonly words: readonly string[];
  readonly summary: string;
  /** Usage line after `brain <words>`, e.g. `[--db PATH]`. */
  readonly usage: string;
  /** Option descriptions for --help, one `[flag, text]` per option. */
  readonly optionHelp: readonly (readonly [string, string])[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly positionals?: { min: number; max: number; names: string };
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: Io): Promise<number>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  config: { type: 'string' },
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ['--config PATH', 'configuration file (default: $BRAIN_CONFIG or ./brain.toml)'],
  ['--env-file PATH', 'environment file with secrets (default: ./.env when present)'],
  ['-h, --help', 'show help for this command'],
];

/** Parses argv for `command`; returns a bad-input message instead of throwing. */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { ok: true; values: Record<string, unknown>; positionals: string[] } | { ok: false; message: string } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const p = command.positionals ?? { min: 0, max: 0, names: '' };
    if (!values.help && (positionals.length < p.min || positionals.length > p.max)) {
      const expected = p.max === 0 ? 'no arguments' : p.min === p.max ? `${p.names}` : `${p.names} (${p.min}–${p.max})`;
      return { ok: false, message: `expected ${expected}, got ${positionals.length === 0 ? 'none' : positionals.map((x) => JSON.stringify(x)).join(' ')}` };
    }
    return { ok: true, values: values as Record<string, unknown>, positionals };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** The --help text of one command. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: brain ${command.words.join(' ')}${command.usage ? ` ${command.usage}` : ''}`, '', command.summary, ''];
  const opts = [...command.optionHelp, ...GLOBAL_HELP];
  const width = Math.max(...opts.map(([flag]) => flag.length));
  lines.push('Options:');
  for (const [flag, text] of opts) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  lines.push('', 'Exit codes: 0 ok, 1 runtime failure, 2 bad input.');
  return lines.join('\n');
}
