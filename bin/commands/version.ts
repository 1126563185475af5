import { readFileSync } from 'node:fs';
import { latestSchemaVersion } from '../../adapters/libsql/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';

/** The package version, read from package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `brain version`: versions of the fund, its database schema and the runtime. */
export const version: Command = {
  words: ['version'],
  summary: 'Print the Trading Brain version, the database schema version it expects and the Node.js version.',
  usage: '',
  optionHelp: [],
  options: {},
  async run(_args, io) {
    io.out(`trading-brain ${packageVersion()}`);
    io.out(`schema ${latestSchemaVersion()}`);
    io.out(`node ${process.versions.node}`);
    return EXIT.ok;
  },
};
