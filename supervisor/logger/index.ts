import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Log levels the fund accepts (pino's names). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Key paths redacted wherever they occur at these depths. pino's `*` matches exactly one level,
 * so every depth we log at is listed explicitly; the value scrubber below is the backstop.
 */
const SECRET_KEYS = ['apiKey', 'apiSecret', 'secret', 'token', 'password', 'authorization', 'botToken'];
export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'secrets',
  '*.secrets',
]);

const CENSOR = '[Redacted]';
/** Secret values shorter than this are not scrubbed by value (they would match ordinary text). */
const MIN_SCRUB_LENGTH = 8;

export interface LoggerSetup {
  level: LogLevel;
  /** Actual secret values (API keys, tokens) to scrub from every line, wherever they appear. */
  secretValues?: readonly (string | undefined)[];
  /** Human-readable output (pino-pretty). Default: when stdout is a TTY. */
  pretty?: boolean;
  /** Where lines go. Default: stdout (journald-friendly JSON under systemd). */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Base bindings on every line. */
  base?: Record<string, unknown>;
}

/**
 * Creates the one root logger of the process. Secrets are removed twice: by key path (pino
 * `redact`) and by value — every serialized line is scrubbed of the configured secret values
 * before it is written, so a secret inside an error message, a nested object or a URL cannot
 * leak either.
 */
export function createLogger(setup: LoggerSetup): Logger {
  const secrets = (setup.secretValues ?? []).filter(
    (s): s is string => typeof s === 'string' && s.length >= MIN_SCRUB_LENGTH,
  );
  const options: LoggerOptions = {
    level: setup.level,
    base: setup.base ?? { svc: 'brain' },
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
    hooks: secrets.length > 0 ? { streamWrite: (line: string) => scrubSecrets(line, secrets) } : {},
  };
  const pretty = setup.pretty ?? (setup.destination === undefined && process.stdout.isTTY === true);
  if (pretty) {
    const target = setup.destination ?? process.stdout;
    // pino-pretty runs in-process (no worker), so shutdown needs no transport drain.
    return pino(options, createPrettyStream(target as NodeJS.WritableStream));
  }
  return pino(options, (setup.destination ?? pino.destination({ fd: 1, sync: false })) as DestinationStream);
}

/** Replaces every occurrence of each secret (and its JSON-escaped form) with the censor. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join(CENSOR);
    }
  }
  return out;
}

function createPrettyStream(target: NodeJS.WritableStream): DestinationStream {
  // pino-pretty is a runtime dependency; loaded lazily so JSON mode never pays for it.
  const require = createRequire(import.meta.url);
  const pinoPretty = require('pino-pretty') as (opts: Record<string, unknown>) => Writable;
  const stream = pinoPretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,svc',
    sync: true,
    destination: target,
  });
  return stream as unknown as DestinationStream;
}
