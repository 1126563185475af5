/**
 * A `StrategyRunner` (domain/ports/strategy.ts) that runs a TRUSTED strategy module in this
 * process: for tests, for the seed strategy, and as the backtest baseline. It is not a security
 * boundary: the module shares the process, its globals and its memory; AI-written code runs in
 * the sandbox runner instead (DESIGN.md §5).
 *
 * What it does guarantee:
 * - no look-ahead: a tick's candles are appended only if each has closed by the tick's `nowMs`
 *   and comes after the last one kept; anything else is refused, so the strategy can only ever
 *   see the past;
 * - determinism, as in the sandbox: while strategy code runs, `Math.random` is a PRNG seeded from
 *   `seed` and `Date.now()` throws (time is the `time` argument of analyze); both are restored
 *   afterwards (`new Date()` is not intercepted here, unlike the sandbox);
 * - a fresh module instance per `load` (module-level state never leaks between runs);
 * - the sandbox's module shapes: the strategy is the default-exported object, an instance of the
 *   default-exported class or of an exported class `Strategy`, or the module's own exports;
 *   callbacks take positional arguments `onFill(symbol, action, qty, price, intent, tag)` and
 *   `onPositionClosed(symbol, pnl, pnlPct, tag)`; a promise returned by a method is awaited;
 * - every failure is a value (`threw`, `invalidOutput`, `rejected`, `unavailable`), never a throw.
 * It cannot enforce a deadline or a memory limit on synchronous code; the sandbox does.
 */
import type { Portfolio, RiskLimits, SymbolData } from '../../domain/contract/index.ts';
import type { Timeframe } from '../../domain/market/index.ts';
import type {
  StrategyCallResult,
  StrategyDecision,
  StrategyFailure,
  StrategyLoadInput,
  StrategyLoaded,
  StrategyNotice,
  StrategyRunner,
  StrategyTick,
} from '../../domain/ports/index.ts';
import { DEFAULT_MAX_HISTORY, SymbolHistory, TIMEFRAMES } from './history.ts';
import { seededRandom } from './random.ts';

/** Options of `createInProcessRunner`. */
export interface InProcessRunnerOptions {
  /** Seed of the `Math.random` the strategy sees (default 1). */
  readonly seed?: number;
  /** Candles kept per timeframe (see `DEFAULT_MAX_HISTORY`). */
  readonly maxHistory?: Partial<Record<Timeframe, number>>;
}

/** The members the runner uses (DESIGN.md §5 contract). */
interface StrategyObject {
  readonly initialize: (limits: RiskLimits, symbols: readonly string[]) => unknown;
  readonly analyze: (markets: Record<string, SymbolData>, portfolio: Portfolio, time: number) => unknown;
  readonly onFill?: unknown;
  readonly onPositionClosed?: unknown;
  readonly getState?: unknown;
  readonly loadState?: unknown;
  readonly scanIntervalMinutes?: unknown;
  readonly regime?: unknown;
}

const EXPECTATION =
  'a strategy module exports initialize(limits, symbols) and analyze(markets, portfolio, time), directly or on a default-exported object or class (or a class named Strategy)';

/** The strategy object of a module namespace, as the sandbox resolves it. */
function resolveStrategy(ns: Record<string, unknown>, version: string): { ok: true; value: StrategyObject } | { ok: false; reason: string } {
  let target: unknown = ns;
  let source = 'the module';
  const d = ns.default;
  if (typeof d === 'function') {
    const proto = (d as { prototype?: { analyze?: unknown } }).prototype;
    if (proto === undefined || typeof proto.analyze !== 'function') return { ok: false, reason: `strategy ${version}: the default export is a function without an analyze() method on its prototype; ${EXPECTATION}` };
    target = new (d as new () => unknown)();
    source = 'the default-exported class';
  } else if (d !== null && typeof d === 'object') {
    target = d;
    source = 'the default-exported object';
  } else if (d !== undefined) {
    return { ok: false, reason: `strategy ${version}: the default export is ${typeof d}; ${EXPECTATION}` };
  } else if (typeof ns.Strategy === 'function') {
    target = new (ns.Strategy as new () => unknown)();
    source = 'the exported class Strategy';
  }
  const s = target as Record<string, unknown>;
  const missing = (['initialize', 'analyze'] as const).filter((m) => typeof s[m] !== 'function');
  if (missing.length > 0) {
    return { ok: false, reason: `strategy ${version}: ${source} has no ${missing.map((m) => `${m}()`).join(' and no ')} (module exports: ${Object.keys(ns).join(', ') || 'none'}); ${EXPECTATION}` };
  }
  return { ok: true, value: target as StrategyObject };
}

let instances = 0;

function fail<T>(kind: StrategyFailure['kind'], reason: string): StrategyCallResult<T> {
  return { ok: false, error: { kind, reason } };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function isThenable(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Imports `code` (a JavaScript ES module) as a new module instance: a data: URL made unique per
 * call, so two loads of the same code never share module state.
 */
async function importModule(code: string): Promise<Record<string, unknown>> {
  instances += 1;
  const source = `${code}\n// in-process strategy instance ${instances}\n`;
  const url = `data:text/javascript;base64,${Buffer.from(source, 'utf8').toString('base64')}`;
  return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
}

const OK_VOID: StrategyCallResult<void> = Object.freeze({ ok: true, value: undefined });

/** What `Date.now` does while strategy code runs. */
function noClock(): never {
  throw new TypeError('Date.now() reads the clock, which strategies may not do (backtests must be deterministic); use the `time` argument of analyze()');
}

/** Calls the callback for one notice (positional arguments, as the sandbox does); undefined when the strategy has none. */
function deliver(strategy: StrategyObject, e: StrategyNotice, random: () => number): unknown {
  const realRandom = Math.random;
  const realNow = Date.now;
  Math.random = random;
  Date.now = noClock;
  try {
    if (e.type === 'fill') {
      return typeof strategy.onFill === 'function' ? (strategy.onFill as (...args: unknown[]) => unknown).call(strategy, e.symbol, e.action, e.qty, e.price, e.intent, e.tag) : undefined;
    }
    return typeof strategy.onPositionClosed === 'function' ? (strategy.onPositionClosed as (...args: unknown[]) => unknown).call(strategy, e.symbol, e.pnl, e.pnlPct, e.tag) : undefined;
  } finally {
    Math.random = realRandom;
    Date.now = realNow;
  }
}

/** Awaits a callback that returned a promise, then delivers the rest. */
async function deliverRest(strategy: StrategyObject, pending: PromiseLike<unknown>, rest: readonly StrategyNotice[], random: () => number): Promise<StrategyCallResult<void>> {
  try {
    await pending;
    for (const e of rest) {
      const r = deliver(strategy, e, random);
      if (isThenable(r)) await r;
    }
  } catch (err) {
    return fail('threw', `a fill/close callback threw: ${describeError(err)}`);
  }
  return OK_VOID;
}

/** The result of an `analyze` that returned a promise (the sandbox awaits them too). */
async function settle(strategy: StrategyObject, pending: PromiseLike<unknown>): Promise<StrategyCallResult<StrategyDecision>> {
  try {
    const output = await pending;
    const regime = strategy.regime;
    return { ok: true, value: { rawSignals: output, regime: typeof regime === 'string' ? regime : null } };
  } catch (err) {
    return fail('threw', `analyze threw: ${describeError(err)}`);
  }
}

/**
 * The in-process runner: the port, plus `analyzeNow` / `notifyNow`, which answer without a promise round trip
 * when the strategy answers synchronously (the backtest engine uses it to skip an await per
 * step). It returns a promise only when `analyze` itself returned one.
 */
export interface InProcessRunner extends StrategyRunner {
  analyzeNow(tick: StrategyTick): StrategyCallResult<StrategyDecision> | Promise<StrategyCallResult<StrategyDecision>>;
  /** `notify` without a promise round trip (a promise only when a callback returned one). */
  notifyNow(events: readonly StrategyNotice[]): StrategyCallResult<void> | Promise<StrategyCallResult<void>>;
}

/** Creates a runner for one trusted module at a time (`load` replaces any previous one). */
export function createInProcessRunner(options: InProcessRunnerOptions = {}): InProcessRunner {
  const maxHistory = { ...DEFAULT_MAX_HISTORY, ...options.maxHistory };
  const random = seededRandom(options.seed ?? 1);
  let module: StrategyObject | null = null;
  let symbols: readonly string[] = [];
  /** Per loaded symbol, in `symbols` order. */
  let histories: SymbolHistory[] = [];
  let clockMs = 0;
  let closed = false;

  /** Runs strategy code with the seeded `Math.random` and no `Date.now` (as in the sandbox). */
  function guarded<T>(fn: () => T): T {
    const realRandom = Math.random;
    const realNow = Date.now;
    Math.random = random;
    Date.now = noClock;
    try {
      return fn();
    } finally {
      Math.random = realRandom;
      Date.now = realNow;
    }
  }

  function unavailable<T>(): StrategyCallResult<T> | null {
    if (closed) return fail('unavailable', 'the runner is closed');
    if (module === null) return fail('unavailable', 'no strategy is loaded; call load() first');
    return null;
  }

  return {
    async load(input: StrategyLoadInput): Promise<StrategyCallResult<StrategyLoaded>> {
      if (closed) return fail('unavailable', 'the runner is closed');
      let exports: Record<string, unknown>;
      try {
        exports = await importModule(input.code);
      } catch (err) {
        return fail('rejected', `strategy ${input.version} could not be loaded: ${describeError(err)}`);
      }
      let resolved: ReturnType<typeof resolveStrategy>;
      try {
        resolved = guarded(() => resolveStrategy(exports, input.version));
      } catch (err) {
        return fail('threw', `constructing strategy ${input.version} threw: ${describeError(err)}`);
      }
      if (!resolved.ok) return fail('rejected', resolved.reason);
      const candidate = resolved.value;
      const interval = candidate.scanIntervalMinutes;
      const scanIntervalMinutes = interval === undefined || interval === null ? 5 : interval;
      if (typeof scanIntervalMinutes !== 'number' || !Number.isInteger(scanIntervalMinutes) || scanIntervalMinutes < 5 || scanIntervalMinutes % 5 !== 0) {
        return fail('rejected', `scanIntervalMinutes must be a whole multiple of 5 (minutes, default 5), got ${String(scanIntervalMinutes)}`);
      }
      const nextHistories: SymbolHistory[] = [];
      for (const symbol of input.symbols) {
        const h = new SymbolHistory(maxHistory);
        const given = input.history[symbol] ?? {};
        for (const tf of TIMEFRAMES) {
          const problem = h.of(tf).batchProblem(given[tf], Number.MAX_SAFE_INTEGER);
          if (problem !== null) return fail('rejected', `history of ${symbol}: ${problem}`);
          h.of(tf).append(given[tf]);
        }
        nextHistories.push(h);
      }
      try {
        await guarded(() => candidate.initialize(input.limits, [...input.symbols]));
        if (input.state !== undefined && typeof candidate.loadState === 'function') {
          const restore = candidate.loadState as (state: unknown) => unknown;
          await guarded(() => restore.call(candidate, input.state));
        }
      } catch (err) {
        return fail('threw', `initialize/loadState threw: ${describeError(err)}`);
      }
      module = candidate;
      symbols = [...input.symbols];
      histories = nextHistories;
      return { ok: true, value: { scanIntervalMinutes } };
    },

    analyzeNow(tick: StrategyTick): StrategyCallResult<StrategyDecision> | Promise<StrategyCallResult<StrategyDecision>> {
      const blocked = unavailable<StrategyDecision>();
      if (blocked) return blocked;
      if (tick.nowMs < clockMs) return fail('rejected', `tick time ${tick.nowMs} is before the previous tick (${clockMs}); time only moves forward`);
      // Check every candle of the tick first (all or nothing), then append.
      const given = tick.markets;
      const now = tick.nowMs;
      let seen = 0;
      for (let i = 0; i < symbols.length; i++) {
        const m = given[symbols[i]!];
        if (m === undefined) continue;
        seen++;
        const h = histories[i]!;
        const fresh = m.newCandles;
        const problem = h.five.batchProblem(fresh['5m'], now) ?? h.hour.batchProblem(fresh['1h'], now) ?? h.day.batchProblem(fresh['1d'], now);
        if (problem !== null) return fail('rejected', `${symbols[i]}: ${problem}`);
      }
      let total = 0;
      for (const _ in given) total++;
      if (seen !== total) {
        const unknown = Object.keys(given).filter((s) => !symbols.includes(s));
        return fail('rejected', `tick has market${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, not among the loaded symbols (${symbols.join(', ')})`);
      }
      const markets: Record<string, SymbolData> = {};
      for (let i = 0; i < symbols.length; i++) {
        const symbol = symbols[i]!;
        const m = given[symbol];
        if (m === undefined) continue;
        const h = histories[i]!;
        const fresh = m.newCandles;
        h.five.append(fresh['5m']);
        h.hour.append(fresh['1h']);
        h.day.append(fresh['1d']);
        markets[symbol] = {
          symbol,
          price: m.price,
          spread: m.spread,
          volume24h: m.volume24h,
          makerFeePct: m.makerFeePct,
          takerFeePct: m.takerFeePct,
          candles5m: h.five.candles,
          candles1h: h.hour.candles,
          candles1d: h.day.candles,
        };
      }
      clockMs = tick.nowMs;
      const strategy = module!;
      let output: unknown;
      const realRandom = Math.random;
      const realNow = Date.now;
      Math.random = random;
      Date.now = noClock;
      try {
        output = strategy.analyze(markets, tick.portfolio, tick.nowMs);
      } catch (err) {
        return fail('threw', `analyze threw: ${describeError(err)}`);
      } finally {
        Math.random = realRandom;
        Date.now = realNow;
      }
      if (isThenable(output)) return settle(strategy, output as PromiseLike<unknown>);
      const regime = strategy.regime;
      return { ok: true, value: { rawSignals: output, regime: typeof regime === 'string' ? regime : null } };
    },

    async analyze(tick: StrategyTick): Promise<StrategyCallResult<StrategyDecision>> {
      return this.analyzeNow(tick);
    },

    notifyNow(events: readonly StrategyNotice[]): StrategyCallResult<void> | Promise<StrategyCallResult<void>> {
      const blocked = unavailable<void>();
      if (blocked) return blocked;
      const strategy = module!;
      for (let i = 0; i < events.length; i++) {
        let r: unknown;
        try {
          r = deliver(strategy, events[i]!, random);
        } catch (err) {
          return fail('threw', `a fill/close callback threw: ${describeError(err)}`);
        }
        if (isThenable(r)) return deliverRest(strategy, r as PromiseLike<unknown>, events.slice(i + 1), random);
      }
      return OK_VOID;
    },

    async notify(events: readonly StrategyNotice[]): Promise<StrategyCallResult<void>> {
      return this.notifyNow(events);
    },

    async getState(): Promise<StrategyCallResult<unknown>> {
      const blocked = unavailable<unknown>();
      if (blocked) return blocked;
      const strategy = module!;
      if (typeof strategy.getState !== 'function') return { ok: true, value: null };
      const read = strategy.getState as () => unknown;
      let state: unknown;
      try {
        state = guarded(() => read.call(strategy));
        if (isThenable(state)) state = await state;
      } catch (err) {
        return fail('threw', `getState threw: ${describeError(err)}`);
      }
      try {
        const text = JSON.stringify(state);
        return { ok: true, value: text === undefined ? null : (JSON.parse(text) as unknown) };
      } catch (err) {
        return fail('invalidOutput', `getState must return JSON data: ${describeError(err)}`);
      }
    },

    async close(): Promise<void> {
      closed = true;
      module = null;
      histories = [];
    },
  };
}
