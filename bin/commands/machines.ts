import { MACHINES, toJsonText, toMermaid, type MachineName } from '../../machines/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';

const FORMATS = ['mermaid', 'json'] as const;

/** `brain machines`: export the state charts of the actor machines. */
export const machines: Command = {
  words: ['machines'],
  summary:
    'Print the state chart of each actor machine (fund, symbol, position, order, orchestrator, scheduler) as mermaid stateDiagram-v2 or JSON, generated from the machine definitions.',
  usage: '[NAME...] [--format mermaid|json]',
  optionHelp: [['--format FORMAT', 'mermaid (default) or json']],
  options: { format: { type: 'string' } },
  positionals: { min: 0, max: Object.keys(MACHINES).length, names: 'machine names' },
  async run({ values, positionals }, io) {
    const format = (values.format as string | undefined) ?? 'mermaid';
    if (!(FORMATS as readonly string[]).includes(format)) {
      io.err(`error: --format ${JSON.stringify(format)} is not supported (allowed: ${FORMATS.join(', ')})`);
      return EXIT.badInput;
    }
    const known = Object.keys(MACHINES) as MachineName[];
    const unknown = positionals.filter((n) => !(known as string[]).includes(n));
    if (unknown.length > 0) {
      io.err(`error: unknown machine ${unknown.map((n) => JSON.stringify(n)).join(', ')} (allowed: ${known.join(', ')})`);
      return EXIT.badInput;
    }
    const names = positionals.length > 0 ? (positionals as MachineName[]) : known;
    for (const name of names) {
      const machine = MACHINES[name];
      if (format === 'json') io.out(toJsonText(machine));
      else io.out(`%% ${name}\n${toMermaid(machine)}`);
    }
    return EXIT.ok;
  },
};
