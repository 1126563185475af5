/**
 * The engine: QuickJS (quickjs-emscripten, RELEASE_SYNC WebAssembly build) running one strategy
 * per session. It runs inside the runner process; it can also run in-process (tests, the
 * measurement script), since it is plain code with no process assumptions.
 *
 * Per session: its own WebAssembly instance (own linear memory, so a fault or an engine bug in one
 * strategy cannot touch another's heap, and a broken instance is simply dropped), one runtime with
 * a memory limit, a stack limit and an interrupt handler that enforces a per-call deadline, and one
 * context. No host function is exposed; the only thing that crosses in is JSON text, and the only
 * thing that crosses out is JSON text from the harness (`guest/harness.ts`). Promise jobs run only
 * when the engine drains them, under the same deadline.
 *
 * Failures are values: `timeout` (deadline), `memory` (heap or stack limit), `crashed` (the
 * WebAssembly instance faulted) discard the session's instance, so the host reloads the strategy;
 * `threw`, `rejected` and `invalidOutput` come from the harness and keep it.
 */
import {
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
  newQuickJSWASMModuleFromVariant,
  newVariant,
} from 'quickjs-emscripten-core';
import variantImport from '@jitl/quickjs-wasmfile-release-sync';
import { CONTRACT_MODULE, STRATEGY_FILENAME, TOOLKIT_MODULE, importRefusal } from '../modules.ts';

/** The JavaScript sources the engine evaluates inside every context (built by `buildSandboxAssets`). */
export interface SandboxAssets {
  /** The harness, a global script whose completion value is the harness object. */
  readonly harness: string;
  /** `'trading-brain/toolkit'`, an ES module. */
  readonly toolkit: string;
  /** `'trading-brain/contract'`, an ES module. */
  readonly contract: string;
}

/** What one engine needs: the code it evaluates in every context, the compiled WebAssembly, and the limits. */
export interface EngineConfig {
  readonly assets: SandboxAssets;
  /** The compiled QuickJS WebAssembly module (compiled once, instantiated per session). */
  readonly wasmModule: WebAssembly.Module;
  /** Heap limit per session, bytes. */
  readonly memoryBytes: number;
  /** Stack limit per session, bytes. */
  readonly stackBytes: number;
  /** Wall clock used by the deadline, ms. */
  readonly now?: () => number;
}

/** Failure kinds an engine call reports (a subset of the port's `StrategyFailure['kind']`). */
export type EngineFailureKind = 'timeout' | 'memory' | 'crashed' | 'threw' | 'rejected' | 'invalidOutput';

/**
 * An engine call's outcome. `guest` is the harness's JSON text (untrusted: the host bounds and
 * validates it). `discarded` says the session's instance was dropped and must be loaded again.
 */
export type EngineOutcome =
  | { readonly ok: true; readonly guest: string }
  | { readonly ok: false; readonly kind: EngineFailureKind; readonly reason: string; readonly discarded: boolean };

/** The harness functions the engine calls after load. */
export type EngineCall = 'analyze' | 'notify' | 'getState';

interface Instance {
  readonly module: QuickJSWASMModule;
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  harness: QuickJSHandle | null;
  readonly fns: Map<string, QuickJSHandle>;
  deadline: number;
  deadlineMs: number;
  /** Promise jobs run during the current call. */
  jobs: number;
}

/**
 * The RELEASE_SYNC variant. Its ES module's default export is the variant; TypeScript (NodeNext,
 * a package typed as CommonJS) sees the module object instead, so unwrap either shape.
 */
const releaseSyncVariant: QuickJSSyncVariant = ((m: unknown) => {
  const v = m as { importFFI?: unknown; default?: unknown };
  return (typeof v.importFFI === 'function' ? v : v.default) as QuickJSSyncVariant;
})(variantImport);

const HARNESS_FUNCTIONS = ['load', 'analyze', 'notify', 'getState', 'runModule', 'describeThrown'] as const;
/** Promise jobs run per batch while draining (the deadline and the job budget are checked between batches). */
const JOB_BATCH = 256;
/**
 * Promise jobs one call may run (each `await` or `.then` reaction is one or two jobs). A runaway
 * chain (`const spin = () => Promise.resolve().then(spin)`) keeps every link alive, ≈ 170 bytes
 * each; without this budget it would exhaust the heap, and QuickJS turns an out-of-memory error
 * inside a promise job into a silent rejection, so the call would end "successfully" or at the
 * deadline depending on speed. 50 000 jobs (≈ 25 000 links, ≈ 4 MiB) fit well under the smallest
 * allowed heap (8 MiB) and far above what a sane strategy queues in one call.
 */
export const MAX_PROMISE_JOBS_PER_CALL = 50_000;

/** Runs strategies in QuickJS, one WebAssembly instance per session. Not thread-safe; calls are synchronous except `load`. */
export class SandboxEngine {
  private readonly config: EngineConfig;
  private readonly now: () => number;
  private readonly sessions = new Map<string, Instance>();

  constructor(config: EngineConfig) {
    this.config = config;
    this.now = config.now ?? Date.now;
  }

  /** True when the session has a loaded strategy. */
  has(session: string): boolean {
    return this.sessions.has(session);
  }

  /** Drops a session's instance (its memory is reclaimed with the WebAssembly instance). Idempotent. */
  unload(session: string): void {
    this.sessions.delete(session);
  }

  /**
   * Creates the session's instance, evaluates the harness, the toolkit on demand and the strategy
   * module, and calls the harness's `load` with `inputJson` (`GuestLoadInput`), all within
   * `deadlineMs`. Replaces any strategy the session had. Never throws.
   */
  async load(session: string, code: string, inputJson: string, deadlineMs: number): Promise<EngineOutcome> {
    this.sessions.delete(session);
    let inst: Instance;
    try {
      inst = await this.instantiate();
    } catch (err) {
      return { ok: false, kind: 'crashed', reason: `the engine could not start: ${hostErrorText(err)}`, discarded: true };
    }
    this.arm(inst, deadlineMs);
    try {
      const started = this.startHarness(inst);
      if (!started.ok) return started;
      const ns = this.evaluateStrategy(inst, code);
      if (!ns.ok) return ns.failure;
      const arg = inst.context.newString(inputJson);
      const result = inst.context.callFunction(inst.fns.get('load')!, inst.harness!, ns.handle, arg);
      arg.dispose();
      ns.handle.dispose();
      const outcome = this.finish(inst, result, 'load');
      // Keep the instance only when the harness reports success (its JSON always starts with the ok field).
      if (outcome.ok && outcome.guest.startsWith('{"ok":true')) this.sessions.set(session, inst);
      return outcome;
    } catch (err) {
      return nativeFailure(err);
    }
  }

  /**
   * Runs a one-shot module (an analysis module) in a fresh instance: evaluates `code`, calls the
   * harness's `runModule` with `inputJson` (`GuestRunInput`) within `deadlineMs`, and drops the
   * instance whatever happened (nothing survives between runs). Never throws.
   */
  async runOnce(code: string, inputJson: string, deadlineMs: number): Promise<EngineOutcome> {
    let inst: Instance;
    try {
      inst = await this.instantiate();
    } catch (err) {
      return { ok: false, kind: 'crashed', reason: `the engine could not start: ${hostErrorText(err)}`, discarded: true };
    }
    this.arm(inst, deadlineMs);
    try {
      const started = this.startHarness(inst);
      if (!started.ok) return started;
      const ns = this.evaluateStrategy(inst, code);
      if (!ns.ok) return ns.failure;
      const arg = inst.context.newString(inputJson);
      const result = inst.context.callFunction(inst.fns.get('runModule')!, inst.harness!, ns.handle, arg);
      arg.dispose();
      ns.handle.dispose();
      return this.finish(inst, result, 'the analysis run');
    } catch (err) {
      return nativeFailure(err);
    }
  }

  /** Calls the harness's `analyze`/`notify`/`getState` with `inputJson` within `deadlineMs`. Never throws. */
  call(session: string, fn: EngineCall, inputJson: string, deadlineMs: number): EngineOutcome {
    const inst = this.sessions.get(session);
    if (inst === undefined) return { ok: false, kind: 'rejected', reason: 'no strategy is loaded in this sandbox session', discarded: true };
    this.arm(inst, deadlineMs);
    try {
      const ctx = inst.context;
      const arg = fn === 'getState' ? null : ctx.newString(inputJson);
      const result = arg === null ? ctx.callFunction(inst.fns.get(fn)!, inst.harness!) : ctx.callFunction(inst.fns.get(fn)!, inst.harness!, arg);
      arg?.dispose();
      const outcome = this.finish(inst, result, fn);
      if (!outcome.ok && outcome.discarded) this.sessions.delete(session);
      return outcome;
    } catch (err) {
      this.sessions.delete(session);
      return nativeFailure(err);
    }
  }

  /** Starts a call's deadline and job budget. */
  private arm(inst: Instance, deadlineMs: number): void {
    inst.deadlineMs = deadlineMs;
    inst.deadline = this.now() + deadlineMs;
    inst.jobs = 0;
  }

  /** True once the call's deadline has passed. */
  private expired(inst: Instance): boolean {
    return this.now() > inst.deadline;
  }

  private async instantiate(): Promise<Instance> {
    const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmModule: this.config.wasmModule }));
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(this.config.memoryBytes);
    runtime.setMaxStackSize(this.config.stackBytes);
    const assets = this.config.assets;
    runtime.setModuleLoader(
      (name) => {
        if (name === TOOLKIT_MODULE) return assets.toolkit;
        if (name === CONTRACT_MODULE) return assets.contract;
        return { error: new Error(importRefusal(name)) };
      },
      // Names are used as written (no relative resolution); the loader refuses all but the allowed ones.
      (_base, requested) => requested,
    );
    const context = runtime.newContext();
    const inst: Instance = { module, runtime, context, harness: null, fns: new Map(), deadline: 0, deadlineMs: 0, jobs: 0 };
    runtime.setInterruptHandler(() => this.now() > inst.deadline);
    return inst;
  }

  private startHarness(inst: Instance): { ok: true } | (EngineOutcome & { ok: false }) {
    const ctx = inst.context;
    const r = ctx.evalCode(this.config.assets.harness, 'trading-brain:harness', { type: 'global', strict: true });
    if (r.error) {
      const text = this.errorMessage(inst, r.error);
      r.error.dispose();
      return { ok: false, kind: 'crashed', reason: `the sandbox harness failed to start: ${text}`, discarded: true };
    }
    inst.harness = r.value;
    for (const name of HARNESS_FUNCTIONS) inst.fns.set(name, ctx.getProp(r.value, name));
    return { ok: true };
  }

  /** Evaluates the strategy module; its namespace, or the failure (a described syntax error, refused import or top-level throw). */
  private evaluateStrategy(inst: Instance, code: string): { ok: true; handle: QuickJSHandle } | { ok: false; failure: EngineOutcome & { ok: false } } {
    const ctx = inst.context;
    const r = ctx.evalCode(code, STRATEGY_FILENAME, { type: 'module', strict: true });
    let handle: QuickJSHandle;
    if (r.error) {
      return { ok: false, failure: this.moduleFailure(inst, r.error) };
    }
    handle = r.value;
    const state = ctx.getPromiseState(handle);
    if (state.type === 'fulfilled' && state.notAPromise) return { ok: true, handle };
    // A module with top-level await evaluates to a promise of its namespace.
    const drained = this.drain(inst, 'module evaluation');
    if (drained !== null) {
      handle.dispose();
      return { ok: false, failure: drained };
    }
    const settled = ctx.getPromiseState(handle);
    handle.dispose();
    if (settled.type === 'pending') {
      return { ok: false, failure: { ok: false, kind: 'invalidOutput', reason: 'the strategy module\'s top-level await never settled (the sandbox has no timers or I/O)', discarded: true } };
    }
    if (settled.type === 'rejected') return { ok: false, failure: this.moduleFailure(inst, settled.error) };
    handle = settled.value;
    return { ok: true, handle };
  }

  private moduleFailure(inst: Instance, error: QuickJSHandle): EngineOutcome & { ok: false } {
    const timedOut = this.expired(inst);
    const text = timedOut ? '' : this.describeInGuest(inst, error);
    error.dispose();
    if (timedOut) return timeout(inst.deadlineMs, 'while the strategy module was evaluated');
    if (text.startsWith('SyntaxError')) return { ok: false, kind: 'rejected', reason: `the strategy module does not parse: ${text}`, discarded: true };
    if (text.includes('is not allowed in the sandbox')) return { ok: false, kind: 'rejected', reason: text.replace(/^Error: /, ''), discarded: true };
    if (text.startsWith('InternalError: out of memory')) return { ok: false, kind: 'memory', reason: `the strategy module ran out of memory while it was evaluated (heap limit ${mib(this.config.memoryBytes)} MiB)`, discarded: true };
    return { ok: false, kind: 'threw', reason: `the strategy module threw while it was evaluated: ${text}`, discarded: true };
  }

  /** Turns a harness call's result into an outcome, running promise jobs under the deadline. */
  private finish(inst: Instance, result: ReturnType<QuickJSContext['callFunction']>, what: string): EngineOutcome {
    const ctx = inst.context;
    if (result.error) return this.engineFailure(inst, result.error, what);
    const handle = result.value;
    if (ctx.typeof(handle) === 'string') {
      const text = ctx.getString(handle);
      handle.dispose();
      // Work the strategy left queued (fire-and-forget promises) runs now, within the same deadline.
      const drained = this.drain(inst, what);
      return drained ?? { ok: true, guest: text };
    }
    const first = ctx.getPromiseState(handle);
    if (first.type === 'fulfilled' && first.notAPromise) {
      handle.dispose();
      return { ok: false, kind: 'invalidOutput', reason: `${what}: the sandbox harness returned neither JSON text nor a promise (the strategy tampered with the realm)`, discarded: true };
    }
    if (first.type === 'fulfilled') first.value.dispose();
    if (first.type === 'rejected') first.error.dispose();
    const drained = this.drain(inst, what);
    if (drained !== null) {
      handle.dispose();
      return drained;
    }
    const state = ctx.getPromiseState(handle);
    handle.dispose();
    if (state.type === 'pending') {
      return { ok: false, kind: 'invalidOutput', reason: `${what}: the strategy returned a promise that never settled (the sandbox has no timers or I/O; keep strategies synchronous)`, discarded: false };
    }
    if (state.type === 'rejected') return this.engineFailure(inst, state.error, what);
    const value = state.value;
    const text = ctx.typeof(value) === 'string' ? ctx.getString(value) : null;
    value.dispose();
    if (text === null) return { ok: false, kind: 'invalidOutput', reason: `${what}: the sandbox harness settled with something other than JSON text (the strategy tampered with the realm)`, discarded: true };
    return { ok: true, guest: text };
  }

  /**
   * Runs queued promise jobs until none is left; a failure when a job fails, the deadline passes
   * or the call's job budget is spent.
   *
   * QuickJS catches an "out of memory" error raised inside a promise reaction and rejects the
   * derived promise instead: a runaway chain that fills the heap ends quietly, the queue empties,
   * and the call used to succeed or time out depending on how fast the heap filled. The job budget
   * stops such a chain long before it can fill the heap (see MAX_PROMISE_JOBS_PER_CALL). The
   * interrupt ("interrupted") is not swallowed: it comes back as the batch's error.
   */
  private drain(inst: Instance, what: string): (EngineOutcome & { ok: false }) | null {
    const runtime = inst.runtime;
    while (runtime.hasPendingJob()) {
      const r = runtime.executePendingJobs(JOB_BATCH);
      if (r.error) return this.engineFailure(inst, r.error, what);
      inst.jobs += r.value;
      if (this.expired(inst)) return timeout(inst.deadlineMs, `in ${what}`);
      if (inst.jobs > MAX_PROMISE_JOBS_PER_CALL) {
        return {
          ok: false,
          kind: 'timeout',
          reason: `the strategy queued more than ${MAX_PROMISE_JOBS_PER_CALL} promise jobs in ${what} (a runaway promise chain or an endless async loop) and was stopped`,
          discarded: true,
        };
      }
    }
    return null;
  }

  /** An exception that escaped the harness: the deadline, the heap limit, or a broken harness. The instance is dropped. */
  private engineFailure(inst: Instance, error: QuickJSHandle, what: string): EngineOutcome & { ok: false } {
    const timedOut = this.expired(inst);
    const message = timedOut ? 'interrupted' : this.errorMessage(inst, error);
    error.dispose();
    if (timedOut || message === 'interrupted') return timeout(inst.deadlineMs, `in ${what}`);
    if (message === 'out of memory') {
      return { ok: false, kind: 'memory', reason: `${what}: out of memory (the sandbox heap limit is ${mib(this.config.memoryBytes)} MiB)`, discarded: true };
    }
    if (message === 'stack overflow') {
      return { ok: false, kind: 'memory', reason: `${what}: stack overflow (the sandbox stack limit is ${Math.round(this.config.stackBytes / 1024)} KiB)`, discarded: true };
    }
    return { ok: false, kind: 'threw', reason: `${what}: an exception escaped the sandbox harness: ${message}`, discarded: true };
  }

  /** `error.message` when it is a plain string data property; never runs guest getters past the deadline. */
  private errorMessage(inst: Instance, error: QuickJSHandle): string {
    try {
      const ctx = inst.context;
      if (ctx.typeof(error) !== 'object') return `a thrown ${ctx.typeof(error)}`;
      const m = ctx.getProp(error, 'message');
      const text = ctx.typeof(m) === 'string' ? ctx.getString(m) : '(no message)';
      m.dispose();
      return text;
    } catch (err) {
      return `(unreadable error: ${hostErrorText(err)})`;
    }
  }

  /** Describes a guest value with the harness's own formatter (inside the sandbox, under the deadline). */
  private describeInGuest(inst: Instance, error: QuickJSHandle): string {
    const ctx = inst.context;
    try {
      const r = ctx.callFunction(inst.fns.get('describeThrown')!, inst.harness!, error);
      if (r.error) {
        r.error.dispose();
        return this.errorMessage(inst, error);
      }
      const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : '(undescribable)';
      r.value.dispose();
      return text;
    } catch (err) {
      return `(undescribable: ${hostErrorText(err)})`;
    }
  }
}

function timeout(deadlineMs: number, where: string): EngineOutcome & { ok: false } {
  return { ok: false, kind: 'timeout', reason: `the strategy ran past its ${deadlineMs} ms deadline ${where} and was stopped`, discarded: true };
}

/**
 * A host-level exception out of the WebAssembly instance: the native stack overflowed (very deep
 * recursion inside QuickJS's C code, e.g. JSON.stringify of a deeply nested value) or the instance
 * trapped. Its memory may be inconsistent, so it is never used again.
 */
function nativeFailure(err: unknown): EngineOutcome & { ok: false } {
  if (err instanceof RangeError) {
    return { ok: false, kind: 'memory', reason: `the strategy exhausted the engine's native stack (recursion or nesting too deep); its engine instance was discarded`, discarded: true };
  }
  return { ok: false, kind: 'crashed', reason: `the engine instance faulted (${hostErrorText(err)}); it was discarded`, discarded: true };
}

function hostErrorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
