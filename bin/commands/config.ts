import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { loadContext } from '../context.ts';

/** `brain config check`: validates brain.toml and the environment without starting anything. */
export const configCheck: Command = {
  words: ['config', 'check'],
  summary:
    'Validate brain.toml and the environment (secrets) and report every problem at once, naming the key, the value and what is allowed. Starts nothing.',
  usage: '[--config PATH] [--env-file PATH]',
  optionHelp: [],
  options: {},
  async run({ values }, io) {
    const ctx = loadContext(values, io);
    if (typeof ctx === 'number') return ctx;
    const { config } = ctx;
    io.out(`${ctx.configFile}: ok`);
    io.out(`  mode ${config.general.mode}, ${config.markets.symbols.length} symbols, timezone ${config.general.timezone}`);
    io.out(`  database ${config.database.path}`);
    const secrets = Object.entries(config.secrets)
      .map(([name, value]) => `${name} ${value ? 'set' : 'unset'}`)
      .join(', ');
    io.out(`  secrets: ${secrets}`);
    return EXIT.ok;
  },
};
