/**
 * Hostile strategies against the real runner process. The static check is bypassed: every module
 * goes straight to `load`. For each one: the host stays up, the evaluation fails (or is harmless)
 * with a clear reason, no secret appears anywhere, no file or socket is touched, the host's own
 * objects are not polluted, and the next evaluation of a good strategy on the same host works.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyCallResult, StrategyDecision, StrategyRunner } from '../../../domain/ports/strategy.ts';
import { type SandboxEvent, SandboxHost } from '../../../strategies/sandbox/index.ts';
import { GOOD_STRATEGY, LIMITS, SYMBOLS, candles, tickAt } from './support.ts';

const CANARIES = {
  KRAKEN_API_SECRET: 'canary-kraken-7f3a9c1e5b',
  ANTHROPIC_API_KEY: 'canary-anthropic-2d8e4b6a0f',
  TELEGRAM_BOT_TOKEN: 'canary-telegram-9a1c3e5f7b',
};
for (const [k, v] of Object.entries(CANARIES)) process.env[k] = v;

const transcript: unknown[] = [];
const events: SandboxEvent[] = [];
let host: SandboxHost;
let good: StrategyRunner;
let goodTick = 40;
let canaryDir: string;
let canaryFile: string;
let canaryAtime: number;
let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  canaryDir = mkdtempSync(join(tmpdir(), 'tb-hostile-'));
  canaryFile = join(canaryDir, 'secret.txt');
  writeFileSync(canaryFile, CANARIES.KRAKEN_API_SECRET);
  // atime older than mtime: any read would now update it, even under relatime.
  utimesSync(canaryFile, new Date(Date.now() - 86_400_000), new Date());
  canaryAtime = statSync(canaryFile).atimeMs;
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  host = new SandboxHost({ memoryMb: 16, stackKb: 256, callDeadlineMs: 1000, loadDeadlineMs: 1200, graceMs: 2000, maxRunnerRestarts: 50, onEvent: (e) => events.push(e) });
  good = host.openStrategy();
  const loaded = await good.load({ version: 'good-v1', code: GOOD_STRATEGY, limits: LIMITS, symbols: [...SYMBOLS], history: { 'BTC/USD': { '5m': candles(0, 40) } } });
  expect(loaded).toEqual({ ok: true, value: { scanIntervalMinutes: 5 } });
});

afterAll(async () => {
  await host?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(canaryDir, { recursive: true, force: true });
});

/** The good strategy still evaluates on the same host, seeing every candle so far. */
async function expectGoodStillWorks(): Promise<void> {
  const r = await good.analyze(tickAt(goodTick++));
  transcript.push(r);
  expect(r.ok).toBe(true);
  if (r.ok) expect(r.value.rawSignals).toEqual([{ symbol: 'BTC/USD', action: 'BUY', size: 0.05, reasoning: `seen ${goodTick} at ${goodTick * 300_000}` }]);
}

/** Loads `code` bypassing any static check and runs one analyze; returns the first failure or the decision. */
async function run(code: string): Promise<StrategyCallResult<unknown> | StrategyCallResult<StrategyDecision>> {
  const s = host.openStrategy();
  try {
    const loaded = await s.load({ version: `hostile-${transcript.length}`, code, limits: LIMITS, symbols: ['BTC/USD'], history: { 'BTC/USD': { '5m': candles(0, 3) } } });
    transcript.push(loaded);
    if (!loaded.ok) return loaded;
    const tick = tickAt(3, ['BTC/USD']);
    const before = JSON.stringify(tick);
    const r = await s.analyze(tick);
    transcript.push(r);
    // The host's input objects are never touched, whatever the strategy did to its copy.
    expect(JSON.stringify(tick)).toBe(before);
    return r;
  } finally {
    await s.close();
  }
}

const analyzeBody = (body: string) => `export function initialize() {}\nexport function analyze(markets, portfolio, time) {\n${body}\n}`;

type Case = readonly [name: string, code: string, kind: string, reason: RegExp];

const ESCAPES: readonly Case[] = [
  ['Function via this.constructor.constructor', analyzeBody(`const F = (function () {}).constructor; return F('return process')().env;`), 'threw', /EvalError: code generation from strings .* is disabled/],
  ['Function via an arrow function', analyzeBody(`return (() => {}).constructor('return process')();`), 'threw', /EvalError: code generation/],
  ['AsyncFunction constructor', analyzeBody(`return (async () => {}).constructor('return process')();`), 'threw', /EvalError: code generation/],
  ['GeneratorFunction constructor', analyzeBody(`return (function* () {}).constructor('yield process')().next();`), 'threw', /EvalError: code generation/],
  ['AsyncGeneratorFunction constructor', analyzeBody(`return (async function* () {}).constructor('yield 1')().next();`), 'threw', /EvalError: code generation/],
  ['obfuscated eval: []["filter"]["constructor"]', analyzeBody(`return []['fil' + 'ter']['constr' + 'uctor']('return globalThis')();`), 'threw', /EvalError: code generation/],
  ['indirect eval', analyzeBody(`return [(0, globalThis['ev' + 'al'])('1 + 1')];`), 'threw', /EvalError: code generation/],
  ['Error.prepareStackTrace / CallSite.getThis', analyzeBody(`Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis && f.getThis()); const s = new Error('x').stack; return [typeof s, s.constructor.constructor('return process')()];`), 'threw', /EvalError: code generation/],
  ['a thrown Proxy whose traps throw', analyzeBody(`throw new Proxy({}, { getPrototypeOf() { throw new Error('p'); }, get() { throw new Error('g'); }, has() { throw new Error('h'); } });`), 'threw', /threw a value that cannot be described/],
  ['Symbol.species on a returned Promise', analyzeBody(`class P extends Promise { static get [Symbol.species]() { return function (exec) { exec(() => {}, () => {}); }; } } return P.resolve([]).then((x) => x);`), 'invalidOutput', /must be an array of signals/],
  ['inspect.custom symbol and toJSON on the output', analyzeBody(`return [{ [Symbol.for('nodejs.util.inspect.custom')]: () => 'pwned', toJSON() { return { symbol: 'BTC/USD', action: 'BUY', size: 0.01 }; } }];`), 'ok', /./],
  ['process.env', analyzeBody(`return [process.env.KRAKEN_API_SECRET];`), 'threw', /ReferenceError: 'process' is not defined/],
  ['require', analyzeBody(`return [require('fs').readFileSync('/etc/passwd', 'utf8')];`), 'threw', /ReferenceError: 'require' is not defined/],
  ['quickjs-libc std/os modules', `import * as std from 'std';\n${analyzeBody('return [std.getenv("KRAKEN_API_SECRET")];')}`, 'rejected', /import "std" is not allowed in the sandbox/],
  ['static import of node:fs', `import fs from 'node:fs';\n${analyzeBody('return [];')}`, 'rejected', /import "node:fs" is not allowed in the sandbox; allowed: 'trading-brain\/toolkit', 'trading-brain\/contract'/],
];

const IO: readonly Case[] = [
  ['dynamic import of a file', `export function initialize() {}\nexport async function analyze() { const m = await import(${JSON.stringify('__CANARY_FILE__')}); return [m]; }`, 'threw', /is not allowed in the sandbox/],
  ['dynamic import of node:net', `export function initialize() {}\nexport async function analyze() { const net = await import('node:net'); net.connect(__PORT__, '127.0.0.1'); return []; }`, 'threw', /import "node:net" is not allowed/],
  ['import from a URL', `import x from 'http://127.0.0.1:__PORT__/x.js';\n${analyzeBody('return [];')}`, 'rejected', /is not allowed in the sandbox/],
  ['fetch', analyzeBody(`fetch('http://127.0.0.1:__PORT__/'); return [];`), 'threw', /ReferenceError: 'fetch' is not defined/],
  ['WebSocket', analyzeBody(`new WebSocket('ws://127.0.0.1:__PORT__/'); return [];`), 'threw', /ReferenceError: 'WebSocket' is not defined/],
  ['XMLHttpRequest', analyzeBody(`new XMLHttpRequest(); return [];`), 'threw', /ReferenceError: 'XMLHttpRequest' is not defined/],
];

const RESOURCES: readonly Case[] = [
  ['an infinite synchronous loop', analyzeBody(`for (;;) {}`), 'timeout', /deadline|did not answer/],
  ['an infinite loop at import time', `for (;;) {}\n${analyzeBody('return [];')}`, 'timeout', /deadline .*module was evaluated|did not answer/],
  ['an infinite async loop', `export function initialize() {}\nexport async function analyze() { for (;;) { await null; } }`, 'timeout', /more than 50000 promise jobs|past its 1000 ms deadline/],
  // Each link keeps the previous one alive; the engine's promise-job budget (or, on a loaded
  // machine, the deadline) stops it long before the heap fills: QuickJS swallows an out-of-memory
  // error inside a promise job, which used to end this call with its plain [] now and then.
  ['a fire-and-forget promise loop', analyzeBody(`const spin = () => Promise.resolve().then(spin); spin(); return [];`), 'timeout', /more than 50000 promise jobs in analyze \(a runaway promise chain|past its 1000 ms deadline in analyze/],
  ['a promise that never settles', analyzeBody(`return new Promise(() => {});`), 'invalidOutput', /promise that never settled/],
  ['a catastrophic regex', analyzeBody(`return [/^(a+)+$/.test('a'.repeat(34) + '!')];`), 'timeout', /deadline|did not answer/],
  ['a string-doubling memory bomb', analyzeBody(`let s = 'x'; for (;;) { s = s + s; s.charCodeAt(s.length - 1); }`), 'memory', /out of memory \(the sandbox heap limit is 16 MiB\)/],
  ['a typed-array memory bomb', analyzeBody(`const a = new Float64Array(1e7); return [a.length];`), 'memory', /out of memory \(the sandbox heap limit is 16 MiB\)/],
  // Near the heap limit QuickJS collects garbage on every allocation: the deadline may come first.
  ['an object memory bomb', analyzeBody(`const keep = []; for (let i = 0; ; i++) keep.push({ i, s: 'k' + i });`), 'memory|timeout', /out of memory|deadline|did not answer/],
  ['deep recursion', analyzeBody(`const f = (n) => f(n + 1) + 1; return [f(0)];`), 'memory', /stack overflow|native stack/],
  ['returning deeply nested arrays', analyzeBody(`let a = []; for (let i = 0; i < 30000; i++) a = [a]; return a;`), 'invalidOutput', /nests deeper than 64 levels/],
  // QuickJS's JSON.stringify recurses on the native stack without its own check (and scans its
  // cycle stack at each level): the engine discards the instance, or the host kills the runner.
  ['its own JSON.stringify of a deep value', analyzeBody(`let o = {}; for (let i = 0; i < 30000; i++) o = { o }; return [JSON.stringify(o).length];`), 'memory|timeout', /native stack|did not answer/],
  ['String() of deeply nested arrays', analyzeBody(`let a = []; for (let i = 0; i < 30000; i++) a = [a]; return [String(a).length];`), 'memory', /stack overflow/],
];

const RETURNS: readonly Case[] = [
  ['a throwing getter in the output', analyzeBody(`return [{ get symbol() { throw new Error('gotcha'); } }];`), 'invalidOutput', /not JSON-serialisable: Error: gotcha/],
  ['a Proxy as the output', analyzeBody(`return new Proxy([], { get(t, k) { throw new Error('trap ' + String(k)); } });`), 'threw', /trap/],
  ['a cyclic output', analyzeBody(`const a = [{ symbol: 'BTC/USD' }]; a[0].self = a; return a;`), 'invalidOutput', /circular/],
  ['a huge output', analyzeBody(`return new Array(100000).fill('0123456789');`), 'invalidOutput', /above the cap of 1048576/],
  ['200 signals', analyzeBody(`return new Array(200).fill({ symbol: 'BTC/USD', action: 'BUY', size: 0.01 });`), 'invalidOutput', /at most 100 per analyze\(\) call, got 200/],
  ['a __proto__ key aimed at the host', analyzeBody(`return JSON.parse('{"__proto__": {"polluted": "yes"}, "signals": []}');`), 'invalidOutput', /"__proto__" key at \$\.value\.out; such keys are refused/],
  ['Object.prototype pollution inside the sandbox', analyzeBody(`({}).constructor.prototype.polluted = 'yes'; Array.prototype.polluted = 'yes'; return [];`), 'ok', /./],
  ['toJSON on Object.prototype', analyzeBody(`Object.prototype.toJSON = function () { return { symbol: 'BTC/USD', action: 'BUY', size: 1 }; }; return [];`), 'invalidOutput', /./],
  ['a thrown string', analyzeBody(`throw 'plain';`), 'threw', /threw a non-Error value: plain/],
  ['a log flood', analyzeBody(`const big = 'z'.repeat(100000); for (let i = 0; i < 10000; i++) console.log(big); return [];`), 'ok', /./],
  ['mutating its inputs', analyzeBody(`markets['BTC/USD'].candles5m.length = 0; markets['BTC/USD'].price = 1; portfolio.cash = 1e12; portfolio.positions.push({}); return [];`), 'ok', /./],
  ['tampering with Date and Math.random', analyzeBody(`Date.now = () => 0; Math.random = () => 0.5; globalThis.Math = {}; return [];`), 'ok', /./],
];

describe.each([
  ['escapes', ESCAPES],
  ['files and sockets', IO],
  ['resource exhaustion', RESOURCES],
  ['hostile return values', RETURNS],
] as const)('hostile strategies: %s', (_group, cases) => {
  it.each(cases)('%s', async (_name, rawCode, kind, reason) => {
    const code = rawCode.replaceAll('__PORT__', String(port)).replaceAll('__CANARY_FILE__', canaryFile);
    const r = await run(code);
    if (kind === 'ok') {
      expect(r.ok).toBe(true);
      if (r.ok) expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value); // plain JSON only
    } else if (kind.split('|').includes('ok') && r.ok) {
      expect((r.value as StrategyDecision).rawSignals).toEqual([]);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(kind.split('|')).toContain(r.error.kind);
        expect(r.error.reason).toMatch(reason);
      }
    }
    await expectGoodStillWorks();
  });
});

describe('after every hostile strategy', () => {
  it('no canary secret appears in any result, reason, log line or event', () => {
    const everything = JSON.stringify([transcript, events]);
    for (const secret of Object.values(CANARIES)) expect(everything).not.toContain(secret);
    expect(transcript.length).toBeGreaterThan(40);
  });

  it('the canary file was not read and no file appeared next to it or next to the runner', () => {
    expect(statSync(canaryFile).atimeMs).toBe(canaryAtime);
    expect(readFileSync(canaryDir + '/secret.txt', 'utf8')).toBe(CANARIES.KRAKEN_API_SECRET);
    expect(readdirSync(canaryDir)).toEqual(['secret.txt']);
    const bundleDir = host.status().protections!.fsRead[0]!.replace(/\/[^/]+$/, '');
    expect(readdirSync(bundleDir).every((f) => /^runner-[0-9a-f]{16}\.mjs$/.test(f))).toBe(true);
  });

  it('the loopback server saw no connection', () => {
    expect(connections).toBe(0);
  });

  it("the host's own objects were not polluted", () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(typeof Date.now()).toBe('number');
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'toJSON')).toBe(false);
  });

  it('the runner kept its protections and was restarted at most a few times', () => {
    const status = host.status();
    expect(status.protections?.emptyEnv).toBe(true);
    expect(status.protections?.fsWrite).toBe(false);
    expect(status.generation).toBeLessThanOrEqual(5);
  });
});
