/**
 * The sandbox host: owns one runner process for any number of strategy sessions, starts it on
 * first use, serialises requests to it (one in flight), enforces the wall-clock budget of each
 * request (kill on overrun), notices crashes, and restarts the runner on the next request — at
 * most `maxRunnerRestarts` times within `restartWindowMs`; past that every call fails with
 * `unavailable` until the window has moved on.
 *
 * Give each live strategy its own host (one process each) when strategies must stay isolated
 * from each other even after an engine escape; share a host to save memory (a runner is ≈ 50–90 MB RSS; ADR 0001).
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { StrategyFailure, StrategyRunner } from '../../../domain/ports/strategy.ts';
import { buildSandboxAssets, quickjsWasmPath } from '../assets.ts';
import type { InitMessage, LoadMessage, CallMessage, RunMessage, UnloadMessage } from '../protocol/messages.ts';
import { type SandboxEvent, type SandboxOptions, resolveSandboxOptions } from '../options.ts';
import { ensureRunnerBundle } from './bundle.ts';
import { RunnerProcess, type RunnerReply } from './process.ts';
import { describeProtections, type SandboxProtections } from './protections.ts';
import { SandboxSession } from './session.ts';
import { planRunnerSpawn, probeSpawnCapabilities } from './spawn.ts';

/** A request's outcome as sessions see it; `generation` identifies the runner that served it (0: none). */
export type HostResult =
  | { readonly ok: true; readonly guest: string; readonly generation: number }
  | {
      readonly ok: false;
      readonly error: StrategyFailure;
      /** The strategy's engine instance is gone (the session must load it again). */
      readonly discarded: boolean;
      readonly generation: number;
      /** The runner received the request (false: refused, queued-then-aborted, or never sent). */
      readonly delivered: boolean;
    };

/** A snapshot of the host for status pages and `brain doctor`. */
export interface SandboxHostStatus {
  readonly state: 'idle' | 'running' | 'restartCapReached' | 'closed';
  readonly pid: number | null;
  /** How many runners have been started (1 = never restarted). */
  readonly generation: number;
  readonly restartsInWindow: number;
  /** A request is in the runner now. */
  readonly busy: boolean;
  readonly protections: SandboxProtections | null;
  readonly lastExit: string | null;
}

type Request = LoadMessage | CallMessage | RunMessage | UnloadMessage;

let wasmBase64Promise: Promise<string> | null = null;
function wasmBase64(): Promise<string> {
  wasmBase64Promise ??= readFile(quickjsWasmPath()).then((b) => b.toString('base64'));
  return wasmBase64Promise;
}

/** Owns one sandbox runner process; see the module doc. */
export class SandboxHost {
  readonly options: SandboxOptions;
  private runner: RunnerProcess | null = null;
  private generationCount = 0;
  private attempted = false;
  private restarts: number[] = [];
  private capRefused = false;
  private closed = false;
  private tail: Promise<void> = Promise.resolve();
  private nextId = 0;
  private nextSession = 0;
  private lastProtections: SandboxProtections | null = null;
  private lastExit: string | null = null;
  private busy = false;

  /** Options are checked by `resolveSandboxOptions` (throws RangeError on a bad one). */
  constructor(options: Partial<SandboxOptions> = {}) {
    this.options = resolveSandboxOptions(options);
  }

  /** A new strategy session (a `StrategyRunner`) on this host's runner. */
  openStrategy(): StrategyRunner & { readonly id: string } {
    this.nextSession++;
    return new SandboxSession(this, `s${this.nextSession}`);
  }

  /** The generation of the current runner (0 before the first start). */
  get generation(): number {
    return this.generationCount;
  }

  /** Starts the runner now instead of at the first call. Resolves with its protections, or the reason it could not start. */
  async start(): Promise<{ ok: true; protections: SandboxProtections } | { ok: false; reason: string }> {
    const started = await this.serialise(async () => this.ensureRunner());
    return started.ok ? { ok: true, protections: this.lastProtections! } : { ok: false, reason: started.error.reason };
  }

  /** Current state (pure read). */
  status(): SandboxHostStatus {
    const now = this.options.now();
    const inWindow = this.restarts.filter((t) => t > now - this.options.restartWindowMs).length;
    const state = this.closed ? 'closed' : this.runner?.alive ? 'running' : inWindow >= this.options.maxRunnerRestarts && this.attempted ? 'restartCapReached' : 'idle';
    return {
      state,
      pid: this.runner?.alive ? this.runner.pid : null,
      generation: this.generationCount,
      restartsInWindow: inWindow,
      busy: this.busy,
      protections: this.lastProtections,
      lastExit: this.lastExit,
    };
  }

  /**
   * Sends one request (built with its id once it is the runner's turn) and resolves with its
   * outcome; `budgetMs` is the wall clock the runner gets before it is killed. An aborted
   * `signal` resolves at once with `unavailable` (a request already sent still completes in the
   * runner, and its reply is dropped). Never rejects. For sessions.
   */
  send(build: (id: number) => Request, budgetMs: number, signal?: AbortSignal): Promise<HostResult> {
    if (this.closed) return Promise.resolve(unavailable('the sandbox host is closed', this.generationCount));
    if (signal?.aborted) return Promise.resolve(unavailable('aborted by the caller before it was sent', this.generationCount));
    return new Promise<HostResult>((resolve) => {
      let done = false;
      const answer = (r: HostResult): void => {
        if (done) return;
        done = true;
        resolve(r);
      };
      let delivered = false;
      const onAbort = (): void => answer({ ...unavailable(delivered ? 'aborted by the caller' : 'aborted by the caller before it was sent', this.generationCount), delivered });
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.serialise(async () => {
        if (done) return;
        if (this.closed) return answer(unavailable('the sandbox host is closed', this.generationCount));
        const started = await this.ensureRunner();
        if (!started.ok) return answer(started);
        if (done) return;
        this.nextId++;
        delivered = true;
        this.busy = true;
        const reply = await started.runner.request(build(this.nextId), budgetMs).finally(() => {
          this.busy = false;
        });
        signal?.removeEventListener('abort', onAbort);
        answer(mapReply(reply, started.generation));
      });
    });
  }

  /**
   * Runs a one-shot module (an analysis module) once in a fresh engine instance of this host's
   * runner: `code` is compiled JavaScript (an ES module exporting `analyze`), `args` plain JSON
   * passed as `analyze(...args)`, `seed` the seed of its `Math.random`. The engine stops it at
   * `deadlineMs`; the runner is killed if it has not answered `graceMs` later. Resolves with the
   * harness's JSON text (untrusted: parse it with `readGuest`) or a failure. Never rejects.
   */
  runModule(code: string, args: readonly unknown[], options: { deadlineMs: number; seed: number; maxOutputChars?: number }, signal?: AbortSignal): Promise<HostResult> {
    const o = this.options;
    const input = { seed: options.seed >>> 0, args, maxOutputChars: options.maxOutputChars ?? o.maxOutputChars, memoryMb: o.memoryMb, stackKb: o.stackKb };
    return this.send((id) => ({ id, type: 'run', code, input, deadlineMs: options.deadlineMs }), options.deadlineMs + o.graceMs, signal);
  }

  /**
   * Refuses further requests and stops the runner: its stdin is closed (it exits when idle) and it
   * is killed if still there after 1 s; a request in flight then fails as crashed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner?.stop(1000);
    await this.tail;
  }

  /** The pid of the running runner, or null (for tests and diagnostics). */
  get pid(): number | null {
    return this.runner?.alive ? this.runner.pid : null;
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private emit(event: SandboxEvent): void {
    try {
      this.options.onEvent(event);
    } catch {
      // a logging callback must not break the sandbox
    }
  }

  private async ensureRunner(): Promise<{ ok: true; runner: RunnerProcess; generation: number } | (HostResult & { ok: false })> {
    if (this.runner?.alive) return { ok: true, runner: this.runner, generation: this.generationCount };
    if (this.closed) return unavailable('the sandbox host is closed', this.generationCount);
    const now = this.options.now();
    if (this.attempted) {
      this.restarts = this.restarts.filter((t) => t > now - this.options.restartWindowMs);
      if (this.restarts.length >= this.options.maxRunnerRestarts) {
        const minutes = Math.round(this.options.restartWindowMs / 60_000);
        const reason = `the sandbox runner was restarted ${this.restarts.length} times within ${minutes} min (sandbox.max_runner_restarts = ${this.options.maxRunnerRestarts}); no further restart until ${new Date(this.restarts[0]! + this.options.restartWindowMs).toISOString()}${this.lastExit === null ? '' : `; last exit: ${this.lastExit}`}`;
        if (!this.capRefused) this.emit({ type: 'runner.restartRefused', reason });
        this.capRefused = true;
        return unavailable(reason, this.generationCount);
      }
      this.restarts.push(now);
    }
    this.attempted = true;
    this.capRefused = false;
    let init: InitMessage;
    let bundle: string;
    try {
      const [b, assets, wasm] = await Promise.all([ensureRunnerBundle(this.options.cacheDir), buildSandboxAssets(), wasmBase64()]);
      bundle = b;
      init = {
        type: 'init',
        memoryBytes: this.options.memoryMb * 1024 * 1024,
        stackBytes: this.options.stackKb * 1024,
        maxMessageBytes: this.options.maxMessageBytes,
        assets,
        wasmBase64: wasm,
      };
    } catch (err) {
      return unavailable(`the sandbox runner could not be built: ${(err as Error).message}`, this.generationCount);
    }
    const caps = await probeSpawnCapabilities();
    if (this.options.network === 'require' && caps.netns === null) {
      return unavailable(`sandbox network isolation is required but unavailable: ${caps.netnsProblem ?? 'unknown reason'}`, this.generationCount);
    }
    const plan = planRunnerSpawn(bundle, this.options, caps);
    const started = await RunnerProcess.start(plan, init, {
      startupTimeoutMs: this.options.startupTimeoutMs,
      maxMessageBytes: this.options.maxMessageBytes,
      onEvent: (e) => this.emit(e),
    });
    if (!started.ok) {
      this.lastExit = started.reason;
      return unavailable(started.reason, this.generationCount);
    }
    const runner = started.runner;
    if (this.closed) {
      // close() ran while this runner was starting.
      await runner.stop(1000);
      return unavailable('the sandbox host is closed', this.generationCount);
    }
    this.runner = runner;
    this.generationCount++;
    this.lastProtections = describeProtections(plan, runner.report, caps, this.options, engineVersion());
    this.emit({ type: 'runner.started', pid: runner.pid, generation: this.generationCount });
    void runner.exited().then((exit) => {
      this.lastExit = exit.reason;
      this.emit({ type: 'runner.exited', pid: runner.pid, code: exit.code, signal: exit.signal, reason: exit.reason });
    });
    return { ok: true, runner, generation: this.generationCount };
  }
}

function unavailable(reason: string, generation: number): HostResult & { ok: false } {
  return { ok: false, error: { kind: 'unavailable', reason }, discarded: false, generation, delivered: false };
}

function mapReply(reply: RunnerReply, generation: number): HostResult {
  switch (reply.type) {
    case 'ok':
      return { ok: true, guest: reply.guest, generation };
    case 'failed':
      return { ok: false, error: { kind: reply.kind, reason: reply.reason }, discarded: reply.discarded, generation, delivered: true };
    case 'timeout':
      return { ok: false, error: { kind: 'timeout', reason: reply.reason }, discarded: true, generation, delivered: true };
    case 'exited':
      return { ok: false, error: { kind: reply.exit.kind, reason: reply.exit.reason }, discarded: true, generation, delivered: true };
    case 'unsent':
      return { ok: false, error: { kind: 'rejected', reason: reply.reason }, discarded: false, generation, delivered: false };
  }
}

let engineVersionText: string | null = null;
function engineVersion(): string {
  if (engineVersionText === null) {
    let version = 'unknown';
    try {
      version = (createRequire(import.meta.url)('@jitl/quickjs-wasmfile-release-sync/package.json') as { version: string }).version;
    } catch {
      // keep 'unknown'
    }
    engineVersionText = `quickjs-emscripten ${version} (RELEASE_SYNC WebAssembly)`;
  }
  return engineVersionText;
}
