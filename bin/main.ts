import { commandHelp, EXIT, parseCommandArgs, type Command, type Io } from './cli.ts';
import { configCheck } from './commands/config.ts';
import { dbBackup, dbCheck, dbMigrate } from './commands/db.ts';
import { machines } from './commands/machines.ts';
import { DATA_COMMANDS } from './commands/data.ts';
import { STRATEGY_COMMANDS } from './commands/strategy.ts';
import { backtest } from './commands/backtest.ts';
import { start } from './commands/start.ts';
import { version } from './commands/version.ts';
import { doctor } from './commands/doctor.ts';
import { sim } from './commands/sim.ts';
import { demo } from './commands/demo.ts';

/** Every `brain` subcommand, in the order `brain --help` lists them. */
export const COMMANDS: readonly Command[] = [start, configCheck, dbMigrate, dbBackup, dbCheck, ...DATA_COMMANDS, backtest, ...STRATEGY_COMMANDS, sim, demo, machines, doctor, version];

/** Top-level help: every command with its one-line summary. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length));
  return [
    'Trading Brain — an autonomous, self-evolving crypto trading fund.',
    '',
    'Usage: brain <command> [options]    (brain <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${firstSentence(c.summary)}`),
    '',
    'Exit codes: 0 ok, 1 runtime failure, 2 bad input.',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws:
 * an unexpected error is reported and mapped to exit code 1.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(mainHelp());
    return argv.length === 0 ? EXIT.badInput : EXIT.ok;
  }
  const command = findCommand(argv);
  if (!command) {
    const known = COMMANDS.map((c) => c.words.join(' ')).join(', ');
    io.err(`error: unknown command '${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}'; commands are: ${known}`);
    return EXIT.badInput;
  }
  const parsed = parseCommandArgs(command, argv.slice(command.words.length));
  if (!parsed.ok) {
    io.err(`error: brain ${command.words.join(' ')}: ${parsed.message}`);
    io.err(`see 'brain ${command.words.join(' ')} --help'`);
    return EXIT.badInput;
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(parsed, io);
  } catch (err) {
    io.err(`error: brain ${command.words.join(' ')} failed: ${(err as Error).stack ?? String(err)}`);
    return EXIT.failure;
  }
}

function findCommand(argv: string[]): Command | undefined {
  // Longest match first, so `db migrate` wins over a hypothetical `db`.
  return [...COMMANDS]
    .sort((a, b) => b.words.length - a.words.length)
    .find((c) => c.words.every((w, i) => argv[i] === w));
}

function firstSentence(text: string): string {
  const i = text.indexOf('. ');
  return i === -1 ? text.replace(/\.$/, '') : text.slice(0, i);
}

function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
}
