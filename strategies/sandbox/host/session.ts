/**
 * One strategy in the sandbox, as the `StrategyRunner` port. Inputs are checked and packed on the
 * host, the runner's answers are parsed as untrusted text (`guest.ts`), and every outcome is a
 * value. The session keeps what it needs to load the strategy again — code, limits, symbols, the
 * candle history (capped) and the latest state it saw from `getState()` — so that after the
 * runner was restarted (crash, kill on overrun) or the engine discarded the strategy's instance
 * (deadline, memory), the next call reloads it transparently before it runs.
 */
import type {
  StrategyCallResult,
  StrategyDecision,
  StrategyFailure,
  StrategyLoadInput,
  StrategyLoaded,
  StrategyNotice,
  StrategyRunner,
  StrategyTick,
} from '../../../domain/ports/strategy.ts';
import type { GuestLoadInput } from '../engine/guest/wire.ts';
import type { SandboxOptions } from '../options.ts';
import type { CallMessage, LoadMessage, UnloadMessage } from '../protocol/messages.ts';
import { readDecision, readGuest, readLoaded, readState } from './guest.ts';
import type { HostResult } from './host.ts';
import { type PreparedLoad, appendTick, packHistory, prepareLoad, prepareNotices, prepareTick, withoutCandles } from './inputs.ts';

/** The part of the host a session uses. */
export interface SessionHost {
  readonly options: SandboxOptions;
  readonly generation: number;
  send(build: (id: number) => LoadMessage | CallMessage | UnloadMessage, budgetMs: number, signal?: AbortSignal): Promise<HostResult>;
}

/** Extra characters allowed around a call's output for the harness envelope and log lines. */
const ENVELOPE_CHARS = 64 * 1024;

/** A `StrategyRunner` whose strategy lives in a sandbox host's runner; see the module doc. Created by `SandboxHost.openStrategy()`. */
export class SandboxSession implements StrategyRunner {
  readonly id: string;
  private readonly host: SessionHost;
  private loaded: PreparedLoad | null = null;
  /** State to restore on a reload: the latest getState() value, else the one given to load. */
  private reloadState: { has: boolean; value: unknown } = { has: false, value: null };
  private loadedGeneration = -1;
  private needsReload = false;
  private closed = false;

  constructor(host: SessionHost, id: string) {
    this.host = host;
    this.id = id;
  }

  async load(input: StrategyLoadInput, signal?: AbortSignal): Promise<StrategyCallResult<StrategyLoaded>> {
    if (this.closed) return closedResult();
    const prepared = prepareLoad(input, this.host.options.historyLimits);
    if (!prepared.ok) return fail('rejected', `load input: ${prepared.reason}`);
    this.loaded = null;
    const r = await this.sendLoad(prepared.value, { has: prepared.value.hasState, value: prepared.value.state }, signal);
    if (!r.ok) return r;
    this.loaded = prepared.value;
    this.reloadState = { has: prepared.value.hasState, value: prepared.value.state };
    return r;
  }

  async analyze(tick: StrategyTick, signal?: AbortSignal): Promise<StrategyCallResult<StrategyDecision>> {
    const loaded = this.loaded;
    if (this.closed) return closedResult();
    if (loaded === null) return notLoaded();
    const input = prepareTick(tick, loaded.history);
    if (!input.ok) return fail('rejected', `analyze input: ${input.reason}`);
    if (signal?.aborted) return fail('unavailable', 'aborted by the caller before it was sent');
    const ready = await this.ensureLoaded(signal);
    if (!ready.ok) return ready;
    // The tick's candles belong to the history from now on, whatever happens to this call: a
    // reload replays them, and a harness that got them keeps them.
    appendTick(loaded.history, tick, this.host.options.historyLimits);
    // If the runner turns out to have restarted, the reload already carries these candles.
    const r = await this.call('analyze', input.value, this.host.options.callDeadlineMs, signal, withoutCandles(input.value));
    if (!r.ok) return r;
    const decision = readDecision(r.value);
    if (!decision.ok) return { ok: false, error: decision.error };
    return { ok: true, value: { rawSignals: decision.rawSignals, regime: decision.regime } };
  }

  async notify(events: readonly StrategyNotice[], signal?: AbortSignal): Promise<StrategyCallResult<void>> {
    const loaded = this.loaded;
    if (this.closed) return closedResult();
    if (loaded === null) return notLoaded();
    const checked = prepareNotices(events, loaded.history);
    if (!checked.ok) return fail('rejected', `notify input: ${checked.reason}`);
    if (checked.value.length === 0) return { ok: true, value: undefined };
    const ready = await this.ensureLoaded(signal);
    if (!ready.ok) return ready;
    const r = await this.call('notify', { events: checked.value }, this.host.options.callDeadlineMs, signal);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  async getState(signal?: AbortSignal): Promise<StrategyCallResult<unknown>> {
    if (this.closed) return closedResult();
    if (this.loaded === null) return notLoaded();
    const ready = await this.ensureLoaded(signal);
    if (!ready.ok) return ready;
    const r = await this.call('getState', null, this.host.options.callDeadlineMs, signal);
    if (!r.ok) return r;
    const state = readState(r.value);
    if (!state.ok) return { ok: false, error: state.error };
    if (state.hasState) this.reloadState = { has: true, value: state.state };
    return { ok: true, value: state.state };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const wasLoaded = this.loaded !== null && this.loadedGeneration === this.host.generation;
    this.loaded = null;
    if (wasLoaded) await this.host.send((id) => ({ id, type: 'unload', session: this.id }), this.host.options.graceMs + 1000);
  }

  /** Reloads the strategy when its instance is gone (runner restarted, or the engine discarded it). */
  private async ensureLoaded(signal?: AbortSignal): Promise<StrategyCallResult<void>> {
    if (!this.needsReload && this.loadedGeneration === this.host.generation) return { ok: true, value: undefined };
    const loaded = this.loaded!;
    const r = await this.sendLoad(loaded, this.reloadState, signal);
    if (!r.ok) return { ok: false, error: { kind: r.error.kind, reason: `reloading the strategy failed: ${r.error.reason}` } };
    return { ok: true, value: undefined };
  }

  private async sendLoad(p: PreparedLoad, state: { has: boolean; value: unknown }, signal?: AbortSignal): Promise<StrategyCallResult<StrategyLoaded>> {
    const o = this.host.options;
    const input: GuestLoadInput = {
      version: p.version,
      seed: seedOf(p.version),
      limits: p.limits,
      symbols: p.symbols,
      history: packHistory(p.history),
      caps: o.historyLimits,
      hasState: state.has,
      state: state.has ? state.value : null,
      maxOutputChars: o.maxOutputChars,
      memoryMb: o.memoryMb,
      stackKb: o.stackKb,
    };
    const result = await this.host.send((id) => ({ id, type: 'load', session: this.id, code: p.code, input, deadlineMs: o.loadDeadlineMs }), o.loadDeadlineMs + o.graceMs, signal);
    if (!result.ok) {
      this.needsReload = true;
      return { ok: false, error: result.error };
    }
    const guest = this.read(result.guest, 'load', p.version);
    if (!guest.ok) {
      this.needsReload = true;
      return guest;
    }
    const loaded = readLoaded(guest.value);
    if (!loaded.ok) {
      this.needsReload = true;
      // The engine kept the instance (the harness said ok); the host refuses it, so drop it there too.
      void this.host.send((id) => ({ id, type: 'unload', session: this.id }), o.graceMs + 1000);
      return { ok: false, error: loaded.error };
    }
    this.loadedGeneration = result.generation;
    this.needsReload = false;
    return { ok: true, value: { scanIntervalMinutes: loaded.scanIntervalMinutes } };
  }

  /**
   * One call. When the runner turned out to be a new one (it restarted after this session last
   * checked), the strategy is reloaded and the call retried once with `retryInput`.
   */
  private async call(fn: 'analyze' | 'notify' | 'getState', input: unknown, deadlineMs: number, signal?: AbortSignal, retryInput: unknown = input): Promise<StrategyCallResult<unknown>> {
    const o = this.host.options;
    const engineDeadline = o.engineDeadlineMs ?? deadlineMs;
    // The host's outer guard: the engine's deadline plus grace for IPC and JSON.
    const budget = deadlineMs + o.graceMs;
    const send = (payload: unknown) => this.host.send((id) => ({ id, type: 'call', session: this.id, fn, input: payload, deadlineMs: engineDeadline }), budget, signal);
    let result = await send(input);
    // The engine has no instance for this session (the runner restarted, or an earlier call whose
    // answer this session never saw discarded it): reload and retry once.
    if (!result.ok && result.delivered && result.error.kind === 'rejected' && result.discarded) {
      this.needsReload = true;
      const reloaded = await this.ensureLoaded(signal);
      if (!reloaded.ok) return reloaded;
      result = await send(retryInput);
    }
    if (!result.ok) {
      // Undelivered: the history holds candles the harness never got, so reload to resynchronise.
      if (result.discarded || !result.delivered) this.needsReload = true;
      return { ok: false, error: result.error };
    }
    return this.read(result.guest, fn, this.loaded?.version ?? '');
  }

  private read(text: string, call: string, version: string): StrategyCallResult<unknown> {
    const guest = readGuest(text, `${call}()`, this.host.options.maxOutputChars + ENVELOPE_CHARS);
    if (guest.logs.length > 0) {
      try {
        this.host.options.onEvent({ type: 'strategy.log', session: this.id, version, call, lines: guest.logs });
      } catch {
        // a logging callback must not break the sandbox
      }
    }
    return guest.ok ? { ok: true, value: guest.value } : { ok: false, error: guest.error };
  }
}

/** 32-bit FNV-1a of the version: the seed of the strategy's deterministic Math.random. Pure. */
export function seedOf(version: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < version.length; i++) {
    h ^= version.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function fail(kind: StrategyFailure['kind'], reason: string): { ok: false; error: StrategyFailure } {
  return { ok: false, error: { kind, reason } };
}

function notLoaded(): { ok: false; error: StrategyFailure } {
  return fail('unavailable', 'no strategy is loaded in this sandbox session; call load() first');
}

function closedResult(): { ok: false; error: StrategyFailure } {
  return fail('unavailable', 'this sandbox session is closed');
}
