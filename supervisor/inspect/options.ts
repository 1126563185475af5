/**
 * Options of the inspection server and their validation. Every problem is collected and named
 * with the option, the value given and what is allowed. Pure.
 */
import { isLoopbackHost } from '../config/index.ts';
import type { InspectionHubOptions } from './hub.ts';

/** Options of `createInspectionServer`. */
export interface InspectionServerOptions extends InspectionHubOptions {
  /** Address to bind. Default `127.0.0.1`; anything not loopback is refused unless `allowNonLoopback`. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (read it back from `server.port`). */
  readonly port: number;
  /**
   * Bearer token clients must present (`?token=` in the WebSocket URL, or an
   * `Authorization: Bearer` header). At least 16 characters. Required with `allowNonLoopback`.
   */
  readonly token?: string;
  /** Permit a non-loopback `host` (needs `token`). Default false. */
  readonly allowNonLoopback?: boolean;
  /**
   * Browser origins allowed to connect besides this server's own pages (e.g. the dashboard's
   * `http://127.0.0.1:8765`). Requests without an Origin header (non-browser clients) are allowed.
   */
  readonly allowedOrigins?: readonly string[];
  /** Simultaneous clients. Default 16. */
  readonly maxClients?: number;
  /** Ping interval that drops dead clients, ms; 0 disables. Default 30 000. */
  readonly heartbeatMs?: number;
  /** Hosted inspector the `/stately` bridge page embeds. Default `https://stately.ai/inspect`. */
  readonly statelyUrl?: string;
}

/** Port `brain start --inspect` uses when `--inspect-port` is not given (next to the API's 8080). */
export const DEFAULT_INSPECT_PORT = 8081;

/** Defaults of the server-only options. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  maxClients: 16,
  heartbeatMs: 30_000,
  statelyUrl: 'https://stately.ai/inspect',
});

/** Shortest accepted token. */
export const MIN_TOKEN_LENGTH = 16;

const LIMITS: Readonly<Record<string, readonly [min: number, max: number]>> = {
  maxContextBytes: [256, 16 * 1024 * 1024],
  maxStringLength: [16, 1024 * 1024],
  maxActors: [1, 1_000_000],
  maxPendingEvents: [1, 10_000_000],
  maxClients: [1, 1000],
};

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

/** Every problem with `options` (empty when they are usable). Pure. */
export function checkInspectionServerOptions(options: InspectionServerOptions): string[] {
  const problems: string[] = [];
  const host = options.host ?? DEFAULT_SERVER_OPTIONS.host;
  if (typeof host !== 'string' || host.trim() === '') {
    problems.push(`host is ${JSON.stringify(host)}: give an address to bind, e.g. "127.0.0.1"`);
  } else if (!isLoopbackHost(host)) {
    if (options.allowNonLoopback !== true) {
      problems.push(
        `host is "${host}", which is not a loopback address: the inspection stream shows the fund's live state, ` +
          'so it binds to 127.0.0.1, ::1 or localhost only (set allowNonLoopback: true, with a token, to expose it)',
      );
    } else if (options.token === undefined) {
      problems.push(`host is "${host}" with allowNonLoopback: a non-loopback inspection server needs a token`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    problems.push(`port is ${JSON.stringify(options.port)}: allowed is an integer 0–65535 (0 picks a free port)`);
  }
  if (options.token !== undefined) {
    if (typeof options.token !== 'string' || options.token.length < MIN_TOKEN_LENGTH || /[\s\x00-\x1f]/.test(options.token)) {
      problems.push(`token is not usable: allowed is a string of at least ${MIN_TOKEN_LENGTH} characters without whitespace`);
    }
  }
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = (options as unknown as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} is ${JSON.stringify(value)}: allowed is an integer ${min}–${max}`);
    }
  }
  const heartbeat = options.heartbeatMs;
  if (heartbeat !== undefined && (!Number.isInteger(heartbeat) || (heartbeat !== 0 && (heartbeat < 1000 || heartbeat > 3_600_000)))) {
    problems.push(`heartbeatMs is ${JSON.stringify(heartbeat)}: allowed is 0 (off) or an integer 1000–3600000`);
  }
  for (const origin of options.allowedOrigins ?? []) {
    if (!isOrigin(origin)) {
      problems.push(`allowedOrigins contains ${JSON.stringify(origin)}: allowed are origins like "http://127.0.0.1:8765" (scheme, host, port; no path)`);
    }
  }
  if (options.statelyUrl !== undefined) {
    let ok = false;
    try {
      ok = new URL(options.statelyUrl).protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`statelyUrl is ${JSON.stringify(options.statelyUrl)}: allowed is an https URL`);
  }
  return problems;
}
