/**
 * The strategy sandbox (DESIGN.md §5; docs/sandbox.md; ADR docs/adr/0001-sandbox-engine.md).
 *
 * Strategies written by a person or the AI run in a separate runner process (empty environment,
 * Node permission model, network namespace and unprivileged uid where the OS allows), inside a
 * QuickJS engine compiled to WebAssembly (heap, stack and deadline limits, no host functions).
 * Data crosses as JSON text with size caps; the host parses everything that comes back as
 * untrusted. The `StrategyRunner` port (domain/ports) is what callers use:
 *
 *   const host = new SandboxHost(options);          // one runner process
 *   const runner = host.openStrategy();             // a StrategyRunner
 *   await runner.load({ version, code, limits, symbols, history });
 *   const r = await runner.analyze(tick);           // { ok, value: { rawSignals, regime } } | { ok: false, error }
 *
 * or `createSandboxedStrategyRunner(options)` for a strategy with a runner process of its own.
 */
import type { StrategyRunner } from '../../domain/ports/strategy.ts';
import { SandboxHost } from './host/host.ts';
import type { SandboxOptions } from './options.ts';

export { SandboxHost, type HostResult, type SandboxHostStatus } from './host/host.ts';
export { detectSandboxProtections } from './host/detect.ts';
export type { SandboxProtections } from './host/protections.ts';
export { DEFAULT_SCAN_INTERVAL_MINUTES, MAX_SCAN_INTERVAL_MINUTES } from './host/guest.ts';
export { MAX_SYMBOLS } from './host/inputs.ts';
export { seedOf } from './host/session.ts';
export { permissionFlagFor } from './host/spawn.ts';
export { DEFAULT_SANDBOX_OPTIONS, type SandboxEvent, type SandboxOptions, resolveSandboxOptions } from './options.ts';
export { ALLOWED_IMPORTS, CONTRACT_MODULE, STRATEGY_FILENAME, TOOLKIT_MODULE } from './modules.ts';
export { MAX_PROMISE_JOBS_PER_CALL, SandboxEngine, type EngineCall, type EngineConfig, type EngineFailureKind, type EngineOutcome, type SandboxAssets } from './engine/engine.ts';
export { buildSandboxAssets, compileQuickjsWasm, quickjsWasmPath } from './assets.ts';
export { MAX_JSON_DEPTH, parseUntrustedJson, sanitizeText } from './protocol/json.ts';
export { type GuestReading, readGuest } from './host/guest.ts';

/**
 * A `StrategyRunner` with a runner process of its own (isolated from every other strategy even
 * after an engine escape). `close()` stops the process. Options as `SandboxHost`'s (throws
 * RangeError on a bad one).
 */
export function createSandboxedStrategyRunner(options: Partial<SandboxOptions> = {}): StrategyRunner & { readonly host: SandboxHost } {
  const host = new SandboxHost(options);
  const session = host.openStrategy();
  return {
    host,
    load: (input, signal) => session.load(input, signal),
    analyze: (tick, signal) => session.analyze(tick, signal),
    notify: (events, signal) => session.notify(events, signal),
    getState: (signal) => session.getState(signal),
    close: async () => {
      await session.close();
      await host.close();
    },
  };
}
