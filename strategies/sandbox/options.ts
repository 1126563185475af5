/**
 * Options of the sandbox, as plain values. The supervisor maps `[sandbox]` of brain.toml onto
 * them (strategies/ never imports supervisor/):
 *
 * | brain.toml key                           | option              |
 * |------------------------------------------|---------------------|
 * | sandbox.memory_mb                        | memoryMb            |
 * | sandbox.stack_kb                         | stackKb             |
 * | sandbox.call_deadline_ms                 | callDeadlineMs      |
 * | sandbox.max_message_bytes                | maxMessageBytes     |
 * | sandbox.max_runner_restarts              | maxRunnerRestarts   |
 * | sandbox.runner_restart_window_minutes    | restartWindowMs (× 60 000) |
 *
 * The rest have no config key yet and keep their defaults.
 */
import type { Timeframe } from '../../domain/market/index.ts';

/** Something the sandbox reports to whoever wires logging (the supervisor maps these to pino). */
export type SandboxEvent =
  | { readonly type: 'runner.started'; readonly pid: number; readonly generation: number }
  | { readonly type: 'runner.exited'; readonly pid: number; readonly code: number | null; readonly signal: string | null; readonly reason: string }
  | { readonly type: 'runner.killed'; readonly pid: number; readonly reason: string }
  | { readonly type: 'runner.restartRefused'; readonly reason: string }
  | { readonly type: 'runner.output'; readonly pid: number; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | {
      readonly type: 'strategy.log';
      readonly session: string;
      readonly version: string;
      readonly call: string;
      /** Sanitised lines the strategy wrote with console.* during the call. */
      readonly lines: readonly string[];
    };

/** Every option of the sandbox host (see the table above for the brain.toml keys). */
export interface SandboxOptions {
  /** Engine heap limit per strategy, MiB (sandbox.memory_mb). */
  readonly memoryMb: number;
  /** Engine stack limit per strategy, KiB (sandbox.stack_kb). */
  readonly stackKb: number;
  /** Wall-clock budget of one analyze/notify/getState call inside the engine, ms (sandbox.call_deadline_ms). */
  readonly callDeadlineMs: number;
  /** Budget of one load (module evaluation, initialize, history replay, loadState), ms. */
  readonly loadDeadlineMs: number;
  /**
   * Extra wall-clock the host allows beyond the engine deadline (IPC, JSON) before it kills the
   * runner, ms. The engine stops a strategy at its deadline; the host's kill is the outer guard.
   */
  readonly graceMs: number;
  /**
   * Overrides the in-engine deadline of calls (ms; default `callDeadlineMs`). Only useful to
   * exercise the host's outer kill: set it above `callDeadlineMs + graceMs`.
   */
  readonly engineDeadlineMs: number | null;
  /** Budget from spawn to the runner's ready report, ms. */
  readonly startupTimeoutMs: number;
  /** Largest frame in either direction, bytes (sandbox.max_message_bytes). */
  readonly maxMessageBytes: number;
  /** Largest JSON text one strategy call may return (signals, state), characters. */
  readonly maxOutputChars: number;
  /** Runner restarts allowed within `restartWindowMs` (sandbox.max_runner_restarts). */
  readonly maxRunnerRestarts: number;
  /** Sliding window for the restart cap, ms (sandbox.runner_restart_window_minutes × 60 000). */
  readonly restartWindowMs: number;
  /** Most candles kept per symbol and timeframe inside the sandbox (predecessor §3: 8640/8760/2555). */
  readonly historyLimits: Readonly<Record<Timeframe, number>>;
  /** Network namespace: 'auto' uses one where the OS allows; 'require' refuses to start without; 'off' never. */
  readonly network: 'auto' | 'require' | 'off';
  /** When the host runs as root: 'auto' runs the runner as `runAsUid`/`runAsGid` (nobody); 'off' keeps root. */
  readonly dropPrivileges: 'auto' | 'off';
  readonly runAsUid: number;
  readonly runAsGid: number;
  /** Where the host writes the runner bundle (read-only for the runner); default a private dir under os.tmpdir(). */
  readonly cacheDir: string | null;
  /** Wall clock for the restart window, ms since epoch. */
  readonly now: () => number;
  /** Receives runner lifecycle events and strategy log lines. */
  readonly onEvent: (event: SandboxEvent) => void;
}

/** Defaults; the numeric ones equal the `[sandbox]` defaults of brain.toml. */
export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = Object.freeze({
  memoryMb: 64,
  stackKb: 512,
  callDeadlineMs: 1000,
  loadDeadlineMs: 10_000,
  graceMs: 2000,
  engineDeadlineMs: null,
  startupTimeoutMs: 15_000,
  maxMessageBytes: 16 * 1024 * 1024,
  maxOutputChars: 1024 * 1024,
  maxRunnerRestarts: 5,
  restartWindowMs: 60 * 60_000,
  historyLimits: Object.freeze({ '5m': 8640, '1h': 8760, '1d': 2555 }),
  network: 'auto',
  dropPrivileges: 'auto',
  runAsUid: 65534,
  runAsGid: 65534,
  cacheDir: null,
  now: () => Date.now(),
  onEvent: () => {},
});

const INTEGER_RANGES: ReadonlyArray<readonly [keyof SandboxOptions, number, number]> = [
  ['memoryMb', 8, 2048],
  ['stackKb', 64, 65_536],
  ['callDeadlineMs', 1, 600_000],
  ['loadDeadlineMs', 1, 600_000],
  ['graceMs', 0, 600_000],
  ['startupTimeoutMs', 100, 600_000],
  ['maxMessageBytes', 1024, 268_435_456],
  ['maxOutputChars', 256, 268_435_456],
  ['maxRunnerRestarts', 0, 1000],
  ['restartWindowMs', 1, 7 * 24 * 3_600_000],
  ['runAsUid', 0, 2 ** 31 - 1],
  ['runAsGid', 0, 2 ** 31 - 1],
];

/**
 * Fills defaults and checks every option; returns a frozen object. Throws RangeError naming the
 * option, the value and the allowed range (options come from validated config: a bad one is a
 * programmer error).
 */
export function resolveSandboxOptions(partial: Partial<SandboxOptions> = {}): SandboxOptions {
  const merged: SandboxOptions = {
    ...DEFAULT_SANDBOX_OPTIONS,
    ...withoutUndefined(partial),
    historyLimits: Object.freeze({ ...DEFAULT_SANDBOX_OPTIONS.historyLimits, ...withoutUndefined(partial.historyLimits ?? {}) }),
  };
  for (const [key, min, max] of INTEGER_RANGES) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`sandbox option ${key} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
  }
  if (merged.engineDeadlineMs !== null && (!Number.isInteger(merged.engineDeadlineMs) || merged.engineDeadlineMs < 1)) {
    throw new RangeError(`sandbox option engineDeadlineMs must be null or a positive integer, got ${String(merged.engineDeadlineMs)}`);
  }
  for (const [tf, n] of Object.entries(merged.historyLimits)) {
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new RangeError(`sandbox option historyLimits.${tf} must be an integer in [1, 1000000], got ${String(n)}`);
    }
  }
  if (!['auto', 'require', 'off'].includes(merged.network)) {
    throw new RangeError(`sandbox option network must be 'auto', 'require' or 'off', got ${String(merged.network)}`);
  }
  if (!['auto', 'off'].includes(merged.dropPrivileges)) {
    throw new RangeError(`sandbox option dropPrivileges must be 'auto' or 'off', got ${String(merged.dropPrivileges)}`);
  }
  return Object.freeze(merged);
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
