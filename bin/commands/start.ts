import { boot } from '../../supervisor/boot.ts';
import { secretValues } from '../../supervisor/config/index.ts';
import { createLogger, type LogLevel } from '../../supervisor/logger/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { loadContext } from '../context.ts';

/** `brain start`: boot the fund and run until SIGTERM/SIGINT. */
export const start: Command = {
  words: ['start'],
  summary:
    'Run the fund in the mode brain.toml sets (paper by default): take the single-instance lock, open and migrate the database, then run until SIGTERM or SIGINT.',
  usage: '[--config PATH] [--env-file PATH]',
  optionHelp: [],
  options: {},
  async run({ values }, io) {
    const ctx = loadContext(values, io);
    if (typeof ctx === 'number') return ctx;
    const { config } = ctx;
    const format = config.general.logFormat;
    const log = createLogger({
      level: config.general.logLevel as LogLevel,
      secretValues: secretValues(config.secrets),
      ...(format === 'auto' ? {} : { pretty: format === 'pretty' }),
    });
    const booted = boot(config, log, io.cwd, Date.now());
    if (!booted.ok) {
      log.error(booted.message);
      io.err(`error: ${booted.message}`);
      return EXIT.failure;
    }
    const { repos } = booted.booted;
    const record = (summary: string): void => {
      repos.activityLog.insert({ ts: Date.now(), category: 'system', severity: 'info', summary, detail: null });
    };
    record(`system online (${config.general.mode} mode, ${config.markets.symbols.length} symbols)`);
    log.info({ mode: config.general.mode, symbols: config.markets.symbols }, 'system online');
    // Signal listeners do not keep Node's event loop alive; this timer does until shutdown.
    const keepAlive = setInterval(() => {}, 60_000);
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGTERM', () => done('SIGTERM'));
      process.once('SIGINT', () => done('SIGINT'));
    });
    clearInterval(keepAlive);
    record(`system shutdown (${signal})`);
    log.info({ signal }, 'system shutdown');
    booted.booted.close();
    log.flush();
    return EXIT.ok;
  },
};
