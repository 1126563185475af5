/**
 * What the static check refuses, and the message an author (or the AI) gets for each. The rules
 * give fast, specific feedback; they are not the security boundary (the engine and the runner
 * process are), so they aim at clarity, not completeness.
 */

const NO_NODE = 'strategies get everything through their arguments (markets, portfolio, time); there are no Node or browser APIs in the sandbox';

/** Global names a strategy must not use (as a reference or as a binding), with the reason. */
export const FORBIDDEN_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['eval', 'eval() is disabled: code generation from strings is not allowed'],
  ['Function', 'the Function constructor is disabled: code generation from strings is not allowed'],
  ['require', `require() does not exist; import only 'trading-brain/toolkit' and 'trading-brain/contract'`],
  ['module', `CommonJS (module, exports) does not exist; use ES module exports`],
  ['exports', `CommonJS (module, exports) does not exist; use ES module exports`],
  ['process', `process does not exist: ${NO_NODE}`],
  ['Buffer', `Buffer does not exist: ${NO_NODE}`],
  ['__dirname', `__dirname does not exist: ${NO_NODE}`],
  ['__filename', `__filename does not exist: ${NO_NODE}`],
  ['globalThis', 'globalThis is off limits: use your own module-level variables'],
  ['global', 'global is off limits: use your own module-level variables'],
  ['window', 'window is off limits: use your own module-level variables'],
  ['self', 'self is off limits: use your own module-level variables'],
  ['Reflect', 'Reflect is not needed by strategies and is a common tool of sandbox escapes'],
  ['Proxy', 'Proxy is not needed by strategies and is a common tool of sandbox escapes'],
  ['WebAssembly', 'WebAssembly does not exist in the sandbox'],
  ['SharedArrayBuffer', 'SharedArrayBuffer does not exist in the sandbox'],
  ['Atomics', 'Atomics does not exist in the sandbox'],
  ['WeakRef', 'WeakRef is removed: garbage-collection timing would make backtests non-deterministic'],
  ['FinalizationRegistry', 'FinalizationRegistry is removed: garbage-collection timing would make backtests non-deterministic'],
  ['fetch', `fetch does not exist: there is no network in the sandbox; ${NO_NODE}`],
  ['XMLHttpRequest', 'XMLHttpRequest does not exist: there is no network in the sandbox'],
  ['WebSocket', 'WebSocket does not exist: there is no network in the sandbox'],
  ['importScripts', 'importScripts does not exist in the sandbox'],
  ['setTimeout', 'timers do not exist: a strategy runs only while analyze() runs; keep it synchronous'],
  ['setInterval', 'timers do not exist: a strategy runs only while analyze() runs; keep it synchronous'],
  ['setImmediate', 'timers do not exist: a strategy runs only while analyze() runs; keep it synchronous'],
  ['queueMicrotask', 'queueMicrotask is not needed: keep strategies synchronous'],
  ['performance', 'performance does not exist: there is no clock; time is the time argument of analyze()'],
  ['Deno', 'Deno does not exist in the sandbox'],
  ['Bun', 'Bun does not exist in the sandbox'],
]);

/** Property names a strategy must not read or write, with the reason. */
export const FORBIDDEN_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ['constructor', 'reaching a constructor through `.constructor` is refused (it is how Function is reached from any value); call your classes by name'],
  ['__proto__', '__proto__ is refused; use classes or Object.create'],
  ['__defineGetter__', 'legacy accessor methods are refused; use get/set in a class or object literal'],
  ['__defineSetter__', 'legacy accessor methods are refused; use get/set in a class or object literal'],
  ['__lookupGetter__', 'legacy accessor methods are refused'],
  ['__lookupSetter__', 'legacy accessor methods are refused'],
  ['prepareStackTrace', 'stack-trace hooks are refused (a classic sandbox escape); read error.message instead'],
  ['captureStackTrace', 'stack-trace hooks are refused; throw ordinary errors'],
  ['caller', 'function.caller is refused'],
  ['callee', 'arguments.callee is refused'],
  ['setPrototypeOf', 'changing prototypes is refused; use classes'],
]);

/** Built-ins a strategy must not modify (assign to them, their members or their prototypes). */
export const BUILTINS: ReadonlySet<string> = new Set([
  'Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Promise', 'Error', 'TypeError', 'RangeError',
  'RegExp', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'JSON', 'Math', 'Intl', 'ArrayBuffer', 'DataView', 'Iterator',
  'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'BigInt64Array', 'BigUint64Array', 'console',
]);

/** Object methods that change another object's properties or prototype (checked when their target is a built-in). */
export const MUTATORS: ReadonlySet<string> = new Set(['defineProperty', 'defineProperties', 'assign', 'setPrototypeOf']);
