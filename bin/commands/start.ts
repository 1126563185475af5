import { resolve } from 'node:path';
import { boot } from '../../supervisor/boot.ts';
import { secretValues } from '../../supervisor/config/index.ts';
import { createEventBus, logBusFailures } from '../../supervisor/events/index.ts';
import { DEFAULT_INSPECT_PORT, createInspectionServer } from '../../supervisor/inspect/index.ts';
import { checkLiveStartup } from '../../supervisor/live/index.ts';
import { createLogger, type LogLevel } from '../../supervisor/logger/index.ts';
import { startPaperFund } from '../../supervisor/paper/index.ts';
import type { Command } from '../cli.ts';
import { EXIT } from '../cli.ts';
import { loadContext } from '../context.ts';
import { packageVersion } from './version.ts';

/** `brain start`: boot the fund and run it until SIGTERM/SIGINT. */
export const start: Command = {
  words: ['start'],
  summary:
    'Run the fund in the mode brain.toml sets (paper by default): take the single-instance lock, open and migrate the database, restore the actor system from its last snapshot, and trade until SIGTERM or SIGINT (a graceful stop keeps protective orders in place).',
  usage: '[--strategy FILE] [--inspect] [--inspect-port N] [--config PATH] [--env-file PATH]',
  optionHelp: [
    ['--strategy FILE', 'a strategy file to run (registered as the next version); default: the deployed version in the database (v001 on a fresh install)'],
    ['--inspect', `stream the actor system's inspection events on ws://127.0.0.1:${DEFAULT_INSPECT_PORT} (@statelyai/inspect format, secrets removed)`],
    ['--inspect-port N', `port of the inspection stream (default ${DEFAULT_INSPECT_PORT})`],
  ],
  options: { strategy: { type: 'string' }, inspect: { type: 'boolean' }, 'inspect-port': { type: 'string' } },
  async run({ values }, io) {
    const ctx = loadContext(values, io);
    if (typeof ctx === 'number') return ctx;
    const { config } = ctx;
    const port = values['inspect-port'] === undefined ? DEFAULT_INSPECT_PORT : Number(values['inspect-port']);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      io.err(`error: --inspect-port must be an integer 0–65535, got ${JSON.stringify(values['inspect-port'])}`);
      return EXIT.badInput;
    }
    const format = config.general.logFormat;
    const secrets = secretValues(config.secrets);
    const log = createLogger({ level: config.general.logLevel as LogLevel, secretValues: secrets, ...(format === 'auto' ? {} : { pretty: format === 'pretty' }) });
    const booted = boot(config, log, io.cwd, Date.now());
    if (!booted.ok) {
      log.error(booted.message);
      io.err(`error: ${booted.message}`);
      return EXIT.failure;
    }
    const { repos } = booted.booted;
    if (config.general.mode === 'live') {
      // Live mode refuses to start until every check passes (supervisor/live).
      const live = await checkLiveStartup(config, { simulatedClock: false, repos });
      if (!live.ok) {
        log.error(live.reason);
        io.err(`error: ${live.reason}`);
        booted.booted.close();
        return EXIT.failure;
      }
    }
    const bus = createEventBus({ activityLog: repos.activityLog, onError: logBusFailures(log) });
    bus.subscribe({ name: 'log', deliver: (p) => log.info({ event: p.event.type, seq: p.seq }, p.summary) });
    let inspection: Awaited<ReturnType<typeof createInspectionServer>> | null = null;
    if (values.inspect === true) {
      inspection = await createInspectionServer({ port, secrets: [...secrets] });
      if (!inspection.ok) {
        log.error(inspection.reason);
        io.err(`error: ${inspection.reason}`);
        booted.booted.close();
        return EXIT.failure;
      }
      log.info({ url: inspection.server.url, stately: inspection.server.statelyBridgeUrl }, 'inspection stream listening');
    }
    let paper: Awaited<ReturnType<typeof startPaperFund>>;
    try {
      paper = await startPaperFund({
        config,
        repos,
        bus,
        appVersion: packageVersion(),
        env: ctx.env,
        strategyFile: typeof values.strategy === 'string' ? resolve(io.cwd, values.strategy) : null,
        ...(inspection?.ok ? { inspect: inspection.server.inspect } : {}),
        report: (p) => log.warn({ kind: p.kind, nowMs: p.nowMs }, p.detail),
      });
    } catch (err) {
      log.error({ err }, 'the fund could not start');
      io.err(`error: the fund could not start: ${(err as Error).message}`);
      if (inspection?.ok) await inspection.server.close();
      booted.booted.close();
      return EXIT.failure;
    }
    log.info(
      { advisor: paper.advisorMode },
      paper.advisorMode === 'local'
        ? 'no ANTHROPIC_API_KEY: the nightly cycle runs the local parameter-search advisor (no AI calls)'
        : 'the nightly cycle runs the Claude advisor',
    );
    const snapshot = paper.runtime.snapshot();
    log.info({ mode: config.general.mode, symbols: config.markets.symbols, state: snapshot.value, strategy: snapshot.context.strategy.version }, 'system online');
    // Signal listeners do not keep Node's event loop alive; this timer does until shutdown.
    const keepAlive = setInterval(() => {}, 60_000);
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGTERM', () => done('SIGTERM'));
      process.once('SIGINT', () => done('SIGINT'));
    });
    clearInterval(keepAlive);
    await paper.stop(`${signal} received`);
    await bus.idle();
    if (inspection?.ok) await inspection.server.close();
    log.info({ signal }, 'system shutdown');
    booted.booted.close();
    log.flush();
    return EXIT.ok;
  },
};
