/**
 * The harness: glue that runs INSIDE the QuickJS context, next to the strategy (so nobody trusts it).
 * The engine evaluates it (bundled by esbuild into one script) before the strategy module; it
 *
 * - locks down the realm: no code generation from strings (`eval`, `Function` and the
 *   async/generator function constructors throw), no clock (`Date.now()`, `new Date()` without
 *   arguments and `Date()` throw: time is the `time` argument), a deterministic seeded
 *   `Math.random`, no GC-timing APIs (`WeakRef`, `FinalizationRegistry`), no shared memory;
 * - gives `console.*` a bounded log buffer that is returned with each result;
 * - keeps each symbol's candle history (incremental inputs: the host sends only new candles) and
 *   builds the `SymbolData` objects `analyze` receives;
 * - calls the strategy and turns every outcome into one JSON string (`GuestResult`).
 *
 * Security does not depend on this file: the strategy shares its realm and can tamper with it.
 * Whatever it returns is untrusted text that the host bounds, parses and validates.
 */
import type { Candle, Timeframe } from '../../../../domain/market/candle.ts';
import type {
  GuestAnalyzeInput,
  GuestDecision,
  GuestFailureKind,
  GuestLoadInput,
  GuestLoaded,
  GuestNotifyInput,
  GuestRunInput,
  GuestState,
  WireCandle,
  WireSeries,
} from './wire.ts';

// Primordials, captured before any strategy code runs.
const jsonParse = JSON.parse;
const jsonStringify = JSON.stringify;
const freeze = Object.freeze;
const keysOf = Object.keys;
const defineProperty = Object.defineProperty;
const getPrototypeOf = Object.getPrototypeOf;
const imul = Math.imul;
const StringCtor = String;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const EvalErrorCtor = EvalError;
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const reflectConstruct = Reflect.construct;
declare const InternalError: ErrorConstructor | undefined;
const InternalErrorCtor = typeof InternalError === 'function' ? InternalError : null;

const TIMEFRAMES: readonly Timeframe[] = ['5m', '1h', '1d'];
const MAX_LOG_LINES = 50;
const MAX_LOG_CHARS = 500;

// ---------------------------------------------------------------------------------------------
// Lockdown of the realm.

const g = globalThis as unknown as Record<string, unknown>;

function refuseCodeGeneration(): never {
  throw new EvalErrorCtor('code generation from strings (eval, Function) is disabled in the sandbox');
}
function blockedConstructor(this: unknown): never {
  return refuseCodeGeneration();
}
const functionPrototypes = [
  getPrototypeOf(function () {}),
  getPrototypeOf(async function () {}),
  getPrototypeOf(function* () {}),
  getPrototypeOf(async function* () {}),
] as object[];
for (const proto of functionPrototypes) {
  defineProperty(proto, 'constructor', { value: blockedConstructor, writable: false, enumerable: false, configurable: false });
}
defineProperty(blockedConstructor, 'prototype', { value: functionPrototypes[0], writable: false, enumerable: false, configurable: false });
defineProperty(g, 'Function', { value: blockedConstructor, writable: true, enumerable: false, configurable: true });
defineProperty(g, 'eval', { value: function evalDisabled() { return refuseCodeGeneration(); }, writable: true, enumerable: false, configurable: true });

const RealDate = Date;
const clockRefusal = 'reads the clock, which is disabled in the sandbox (backtests must be deterministic); use the `time` argument of analyze()';
function SandboxDate(this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) throw new TypeErrorCtor(`Date() ${clockRefusal}`);
  if (args.length === 0) throw new TypeErrorCtor(`new Date() without arguments ${clockRefusal}; new Date(time) works`);
  return reflectConstruct(RealDate, args, new.target);
}
defineProperty(SandboxDate, 'prototype', { value: RealDate.prototype, writable: false, enumerable: false, configurable: false });
defineProperty(SandboxDate, 'UTC', { value: RealDate.UTC, writable: true, enumerable: false, configurable: true });
defineProperty(SandboxDate, 'parse', { value: RealDate.parse, writable: true, enumerable: false, configurable: true });
defineProperty(SandboxDate, 'now', {
  value: function now(): never {
    throw new TypeErrorCtor(`Date.now() ${clockRefusal}`);
  },
  writable: true,
  enumerable: false,
  configurable: true,
});
defineProperty(RealDate.prototype, 'constructor', { value: SandboxDate, writable: false, enumerable: false, configurable: false });
defineProperty(g, 'Date', { value: SandboxDate, writable: true, enumerable: false, configurable: true });

/** mulberry32: a small, well-mixed 32-bit PRNG; the seed comes from the strategy version. */
let randomState = 0;
function seededRandom(): number {
  randomState = (randomState + 0x6d2b79f5) >>> 0;
  let t = randomState;
  t = imul(t ^ (t >>> 15), t | 1);
  t ^= t + imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
defineProperty(Math, 'random', { value: function random() { return seededRandom(); }, writable: true, enumerable: false, configurable: true });

for (const name of ['WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'WebAssembly']) delete g[name];

// ---------------------------------------------------------------------------------------------
// console → bounded log buffer.

let logs: string[] = [];
let droppedLogs = 0;

function show(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return StringCtor(value);
    const text = toJson(value);
    return typeof text === 'string' ? text : StringCtor(value);
  } catch {
    try {
      return StringCtor(value);
    } catch {
      return '[unprintable value]';
    }
  }
}

function record(level: string, args: unknown[]): void {
  if (logs.length >= MAX_LOG_LINES) {
    droppedLogs++;
    return;
  }
  let line = level === 'log' ? '' : `[${level}] `;
  for (let i = 0; i < args.length && line.length <= MAX_LOG_CHARS; i++) line += (i > 0 ? ' ' : '') + show(args[i]);
  logs[logs.length] = line.length > MAX_LOG_CHARS ? `${line.slice(0, MAX_LOG_CHARS)}…` : line;
}

g['console'] = {
  log: (...args: unknown[]) => record('log', args),
  info: (...args: unknown[]) => record('info', args),
  debug: (...args: unknown[]) => record('debug', args),
  warn: (...args: unknown[]) => record('warn', args),
  error: (...args: unknown[]) => record('error', args),
};

function takeLogs(): string[] {
  const out = logs;
  if (droppedLogs > 0) out[out.length] = `… ${droppedLogs} more log lines dropped (at most ${MAX_LOG_LINES} per call)`;
  logs = [];
  droppedLogs = 0;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Results.

let maxOutputChars = 1024 * 1024;
let memoryMb = 0;
let stackKb = 0;

/** Deepest nesting serialised (the host refuses deeper JSON anyway: MAX_JSON_DEPTH). */
const MAX_DEPTH = 64;
let chain: object[] = [];

/**
 * JSON.stringify's replacer that refuses nesting deeper than MAX_DEPTH. QuickJS's stringify
 * recurses on the native stack; unbounded nesting would exhaust it (the engine survives that by
 * discarding the instance, but slowly). `chain[i]` is the object being serialised at depth i + 1;
 * the holder (`this`) tells where in the chain the current value sits.
 */
function depthGuard(this: unknown, _key: string, value: unknown): unknown {
  let top = chain.length;
  while (top > 0 && chain[top - 1] !== this) top--;
  chain.length = top;
  if (value !== null && typeof value === 'object') {
    if (top >= MAX_DEPTH) throw new TypeErrorCtor(`nests deeper than ${MAX_DEPTH} levels of arrays/objects (or is circular)`);
    chain[top] = value;
  }
  return value;
}

/** JSON text of `value` with the depth guard; throws like JSON.stringify. */
function toJson(value: unknown): string | undefined {
  // A toJSON may log, and logging serialises: keep the outer walk's chain.
  const saved = chain;
  chain = [];
  try {
    return jsonStringify(value, depthGuard);
  } finally {
    chain = saved;
  }
}

function ok(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = toJson({ ok: true, value, logs: takeLogs() });
  } catch (err) {
    const exhausted = resourceFailure(err, `turning ${what} into JSON`);
    return exhausted ?? fail('invalidOutput', `${what} is not JSON-serialisable: ${describe(err)}`);
  }
  if (typeof text !== 'string') return fail('invalidOutput', `${what} is not JSON-serialisable`);
  if (text.length > maxOutputChars) {
    return fail('invalidOutput', `${what} is ${text.length} characters of JSON, above the cap of ${maxOutputChars}`);
  }
  return text;
}

function fail(kind: GuestFailureKind, reason: string): string {
  const bounded = reason.length > 4000 ? `${reason.slice(0, 4000)}…` : reason;
  try {
    const text = jsonStringify({ ok: false, kind, reason: bounded, logs: takeLogs() });
    if (typeof text === 'string') return text;
  } catch {
    // JSON itself was tampered with (a throwing toJSON on Object.prototype): use the fixed text below
  }
  return '{"ok":false,"kind":"invalidOutput","reason":"the strategy broke JSON.stringify for plain objects (a toJSON on Object.prototype?)","logs":[]}';
}

/** A `memory` failure when `err` is QuickJS's out-of-memory or stack-overflow error, else null. */
function resourceFailure(err: unknown, where: string): string | null {
  if (InternalErrorCtor === null) return null;
  try {
    if (err instanceof InternalErrorCtor) {
      const message = (err as Error).message;
      if (message === 'out of memory') return fail('memory', `${where}: out of memory (the sandbox heap limit is ${memoryMb} MiB)`);
      if (message === 'stack overflow') return fail('memory', `${where}: stack overflow (recursion deeper than the sandbox stack limit of ${stackKb} KiB allows)`);
    }
  } catch {
    // a hostile value (a proxy that throws on getPrototypeOf): not a resource failure
  }
  return null;
}

/** A failure for a thrown value: resource exhaustion is `memory`, anything else `threw`. */
function thrown(err: unknown, where: string): string {
  return resourceFailure(err, where) ?? fail('threw', `${where} threw ${describe(err)}`);
}

/** One line naming a thrown value plus the strategy's stack frames. Never throws. */
function describe(err: unknown): string {
  try {
    if (err instanceof ErrorCtor) {
      const name = typeof err.name === 'string' ? err.name : 'Error';
      const message = typeof err.message === 'string' ? err.message : show(err.message);
      const stack = typeof err.stack === 'string' ? err.stack : '';
      const frames = stack
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('at ') && l.indexOf('trading-brain:harness') < 0)
        .slice(0, 8);
      return `${name}: ${message}${frames.length > 0 ? ` (${frames.join(' ← ')})` : ''}`;
    }
    return `a non-Error value: ${show(err).slice(0, 300)}`;
  } catch {
    return 'a value that cannot be described';
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Continues with `next(value)` now, or after `value` settles when it is a thenable (an async
 * strategy). The engine drains promise jobs under the call's deadline.
 */
function step(value: unknown, next: (settled: unknown) => string | Promise<string>, where: string): string | Promise<string> {
  let thenable = false;
  try {
    thenable = isThenable(value);
  } catch (err) {
    return thrown(err, where);
  }
  if (!thenable) return next(value);
  const settled = new PromiseCtor<unknown>((resolve, reject) => {
    try {
      (value as PromiseLike<unknown>).then(resolve, reject);
    } catch (err) {
      reject(err);
    }
  });
  return promiseThen.call(settled, next, (err: unknown) => thrown(err, where)) as Promise<string>;
}

// ---------------------------------------------------------------------------------------------
// Candle history: per symbol and timeframe, the harness's own array (`all`) and the array the
// strategy sees (`view`). A view the strategy has mutated (length or ends changed) is rebuilt.

interface Series {
  all: Candle[];
  view: Candle[];
  cap: number;
}

let caps: Readonly<Record<Timeframe, number>> = { '5m': 8640, '1h': 8760, '1d': 2555 };
let series: Record<string, Record<Timeframe, Series>> = {};

function unpack(w: WireCandle): Candle {
  return freeze({ tsOpen: w[0], open: w[1], high: w[2], low: w[3], close: w[4], volume: w[5] });
}

function newSeries(cap: number): Series {
  return { all: [], view: [], cap };
}

function append(s: Series, packed: readonly WireCandle[] | undefined): void {
  const all = s.all;
  const view = s.view;
  const n = all.length;
  const intact = view.length === n && (n === 0 || (view[0] === all[0] && view[n - 1] === all[n - 1]));
  if (packed !== undefined) {
    for (let i = 0; i < packed.length; i++) {
      const c = unpack(packed[i]!);
      all[all.length] = c;
      if (intact) view[view.length] = c;
    }
  }
  // Trim in slabs (amortised O(1) per candle): between cap and cap + cap/8 candles are kept.
  if (all.length > s.cap + (s.cap >>> 3)) {
    s.all = all.slice(all.length - s.cap);
    s.view = s.all.slice();
  } else if (!intact) {
    s.view = all.slice();
  }
}

// ---------------------------------------------------------------------------------------------
// The strategy.

interface StrategyObject {
  initialize?: unknown;
  analyze?: unknown;
  onFill?: unknown;
  onPositionClosed?: unknown;
  getState?: unknown;
  loadState?: unknown;
  scanIntervalMinutes?: unknown;
  regime?: unknown;
}

let strategy: StrategyObject | null = null;

function callMethod(name: keyof StrategyObject, args: unknown[]): unknown {
  const fn = strategy![name];
  return (fn as (...a: unknown[]) => unknown).apply(strategy, args);
}

function exportNames(ns: Record<string, unknown>): string {
  const names = keysOf(ns);
  return names.length === 0 ? 'none' : names.join(', ');
}

/** Finds the strategy object in the module namespace: default export (object or class), a `Strategy` class, or the module itself. */
function resolveStrategy(ns: Record<string, unknown>): { ok: true; value: StrategyObject } | { ok: false; kind: GuestFailureKind; reason: string } {
  const expectation = 'a strategy module exports initialize(limits, symbols) and analyze(markets, portfolio, time), directly or on a default-exported object or class (or a class named Strategy)';
  let target: unknown = ns;
  let source = 'the module';
  try {
    const d = ns['default'];
    if (typeof d === 'function') {
      const proto = (d as { prototype?: { analyze?: unknown } }).prototype;
      if (proto === undefined || typeof proto.analyze !== 'function') {
        return { ok: false, kind: 'rejected', reason: `the default export is a function without an analyze() method on its prototype; ${expectation}` };
      }
      target = reflectConstruct(d as new () => unknown, []);
      source = 'the default-exported class';
    } else if (d !== null && typeof d === 'object') {
      target = d;
      source = 'the default-exported object';
    } else if (d !== undefined) {
      return { ok: false, kind: 'rejected', reason: `the default export is ${typeof d}; ${expectation}` };
    } else if (typeof ns['Strategy'] === 'function') {
      target = reflectConstruct(ns['Strategy'] as new () => unknown, []);
      source = 'the exported class Strategy';
    }
    const s = target as StrategyObject;
    const missing = (['initialize', 'analyze'] as const).filter((m) => typeof s[m] !== 'function');
    if (missing.length > 0) {
      return {
        ok: false,
        kind: 'rejected',
        reason: `${source} has no ${missing.map((m) => `${m}()`).join(' and no ')} (module exports: ${exportNames(ns)}); ${expectation}`,
      };
    }
    return { ok: true, value: s };
  } catch (err) {
    return { ok: false, kind: 'threw', reason: `constructing the strategy threw ${describe(err)}` };
  }
}

function isFn(name: keyof StrategyObject): boolean {
  try {
    return typeof strategy![name] === 'function';
  } catch {
    return false;
  }
}

/** Resolves the strategy, calls initialize(limits, symbols), stores the history, then loadState(state). */
export function load(ns: Record<string, unknown>, inputJson: string): string | Promise<string> {
  logs = [];
  droppedLogs = 0;
  const input = jsonParse(inputJson) as GuestLoadInput;
  maxOutputChars = input.maxOutputChars;
  memoryMb = input.memoryMb;
  stackKb = input.stackKb;
  randomState = input.seed >>> 0;
  caps = input.caps;
  const resolved = resolveStrategy(ns);
  if (!resolved.ok) return fail(resolved.kind, resolved.reason);
  strategy = resolved.value;

  series = {};
  for (const symbol of input.symbols) {
    const perTf = {} as Record<Timeframe, Series>;
    for (const tf of TIMEFRAMES) perTf[tf] = newSeries(caps[tf]);
    series[symbol] = perTf;
  }

  let initialized: unknown;
  try {
    initialized = callMethod('initialize', [input.limits, input.symbols.slice()]);
  } catch (err) {
    return thrown(err, 'initialize()');
  }
  return step(
    initialized,
    () => {
      const history = input.history;
      for (const symbol of input.symbols) {
        const packed: WireSeries | undefined = history[symbol];
        if (packed === undefined) continue;
        for (const tf of TIMEFRAMES) append(series[symbol]![tf], packed[tf]);
      }
      if (!input.hasState || !isFn('loadState')) return afterState();
      let restored: unknown;
      try {
        restored = callMethod('loadState', [input.state]);
      } catch (err) {
        return thrown(err, 'loadState()');
      }
      return step(restored, afterState, 'loadState()');
    },
    'initialize()',
  );

  function afterState(): string {
    let minutes: unknown;
    try {
      minutes = strategy!.scanIntervalMinutes;
    } catch (err) {
      return thrown(err, 'reading scanIntervalMinutes');
    }
    const value: GuestLoaded = {
      scanIntervalMinutes: minutes === undefined ? null : minutes,
      callbacks: { onFill: isFn('onFill'), onPositionClosed: isFn('onPositionClosed'), getState: isFn('getState'), loadState: isFn('loadState') },
    };
    return ok(value, 'the load result');
  }
}

/** One analyze(markets, portfolio, time) call with the candles that closed since the last one. */
export function analyze(inputJson: string): string | Promise<string> {
  logs = [];
  droppedLogs = 0;
  if (strategy === null) return fail('rejected', 'no strategy is loaded');
  const input = jsonParse(inputJson) as GuestAnalyzeInput;
  const list = input[1];
  const markets: Record<string, unknown> = {};
  for (let k = 0; k < list.length; k++) {
    const m = list[k]!;
    const symbol = m[0];
    const perTf = series[symbol];
    if (perTf === undefined) return fail('rejected', `market ${symbol} was not among the symbols given to initialize()`);
    append(perTf['5m'], m[6] === 0 ? undefined : m[6]);
    append(perTf['1h'], m[7] === 0 ? undefined : m[7]);
    append(perTf['1d'], m[8] === 0 ? undefined : m[8]);
    markets[symbol] = {
      symbol,
      price: m[1],
      spread: m[2],
      volume24h: m[3],
      makerFeePct: m[4],
      takerFeePct: m[5],
      candles5m: perTf['5m'].view,
      candles1h: perTf['1h'].view,
      candles1d: perTf['1d'].view,
    };
  }
  let out: unknown;
  try {
    out = callMethod('analyze', [markets, input[2], input[0]]);
  } catch (err) {
    return thrown(err, 'analyze()');
  }
  return step(
    out,
    (settled) => {
      let regime: unknown;
      try {
        regime = strategy!.regime;
      } catch (err) {
        return thrown(err, 'reading regime');
      }
      const value: GuestDecision = { out: settled === undefined ? null : settled, regime: regime === undefined ? null : regime };
      return ok(value, 'the analyze() output');
    },
    'analyze()',
  );
}

/** Forwards fills and closes to onFill(symbol, action, qty, price, intent, tag) and onPositionClosed(symbol, pnl, pnlPct, tag). */
export function notify(inputJson: string): string | Promise<string> {
  logs = [];
  droppedLogs = 0;
  if (strategy === null) return fail('rejected', 'no strategy is loaded');
  const input = jsonParse(inputJson) as GuestNotifyInput;
  const events = input.events;
  let i = 0;
  const next = (): string | Promise<string> => {
    while (i < events.length) {
      const e = events[i++]!;
      let r: unknown;
      const where = e.type === 'fill' ? 'onFill()' : 'onPositionClosed()';
      try {
        if (e.type === 'fill') {
          if (!isFn('onFill')) continue;
          r = callMethod('onFill', [e.symbol, e.action, e.qty, e.price, e.intent, e.tag]);
        } else {
          if (!isFn('onPositionClosed')) continue;
          r = callMethod('onPositionClosed', [e.symbol, e.pnl, e.pnlPct, e.tag]);
        }
      } catch (err) {
        return thrown(err, where);
      }
      let thenable = false;
      try {
        thenable = isThenable(r);
      } catch (err) {
        return thrown(err, where);
      }
      if (thenable) return step(r, next, where);
    }
    return ok(null, 'the notify result');
  };
  return next();
}

/** The strategy's getState(), or hasState false when it has none. */
export function getState(): string | Promise<string> {
  logs = [];
  droppedLogs = 0;
  if (strategy === null) return fail('rejected', 'no strategy is loaded');
  if (!isFn('getState')) {
    const none: GuestState = { hasState: false, state: null };
    return ok(none, 'the state');
  }
  let state: unknown;
  try {
    state = callMethod('getState', []);
  } catch (err) {
    return thrown(err, 'getState()');
  }
  return step(
    state,
    (settled) => {
      const value: GuestState = { hasState: true, state: settled === undefined ? null : settled };
      return ok(value, 'getState() output');
    },
    'getState()',
  );
}

/**
 * A one-shot module (an analysis module): finds its `analyze` (a named export, a default-exported
 * object or class, or a class named `Analysis`), calls it once with the input's `args`, and
 * returns its JSON. The session is dropped afterwards, so no state survives the call.
 */
export function runModule(ns: Record<string, unknown>, inputJson: string): string | Promise<string> {
  logs = [];
  droppedLogs = 0;
  const input = jsonParse(inputJson) as GuestRunInput;
  maxOutputChars = input.maxOutputChars;
  memoryMb = input.memoryMb;
  stackKb = input.stackKb;
  randomState = input.seed >>> 0;
  const expectation = 'an analysis module exports analyze(data, context), directly or on a default-exported object or class (or a class named Analysis)';
  let target: Record<string, unknown>;
  try {
    const d = ns['default'];
    const cls = ns['Analysis'];
    if (typeof ns['analyze'] === 'function') target = ns;
    else if (typeof d === 'function') target = reflectConstruct(d as new () => object, []) as Record<string, unknown>;
    else if (d !== null && typeof d === 'object' && typeof (d as Record<string, unknown>)['analyze'] === 'function') target = d as Record<string, unknown>;
    else if (typeof cls === 'function') target = reflectConstruct(cls as new () => object, []) as Record<string, unknown>;
    else return fail('rejected', `the module has no analyze() (module exports: ${exportNames(ns)}); ${expectation}`);
    if (typeof target['analyze'] !== 'function') return fail('rejected', `the default export has no analyze() method; ${expectation}`);
  } catch (err) {
    return thrown(err, 'constructing the analysis module');
  }
  let out: unknown;
  try {
    out = (target['analyze'] as (...a: unknown[]) => unknown).apply(target, input.args.slice());
  } catch (err) {
    return thrown(err, 'analyze()');
  }
  return step(out, (settled) => ok(settled === undefined ? null : settled, 'the analyze() report'), 'analyze()');
}

/** Describes a value the strategy module threw while it was evaluated (or an import failure). */
export function describeThrown(err: unknown): string {
  return describe(err);
}
