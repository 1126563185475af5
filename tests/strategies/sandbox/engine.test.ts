/**
 * The engine in-process (no runner process): module shapes, the allowed imports, the toolkit,
 * candle history, determinism and the harness's bounded logs. The hostile suite runs through
 * the real runner in hostile.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Ema } from '../../../domain/indicators/index.ts';
import { buildSandboxAssets, compileQuickjsWasm } from '../../../strategies/sandbox/assets.ts';
import { MAX_PROMISE_JOBS_PER_CALL, SandboxEngine } from '../../../strategies/sandbox/engine/engine.ts';
import type { GuestAnalyzeInput, GuestLoadInput, WireCandle } from '../../../strategies/sandbox/engine/guest/wire.ts';
import { LIMITS, PORTFOLIO } from './support.ts';

let engine: SandboxEngine;
let n = 0;

beforeAll(async () => {
  engine = new SandboxEngine({ assets: await buildSandboxAssets(), wasmModule: await compileQuickjsWasm(), memoryBytes: 32 << 20, stackBytes: 256 << 10 });
});

const wire = (i: number, close = 100): WireCandle => [i * 300_000, close, close + 1, close - 1, close, 10];

function loadInput(over: Partial<GuestLoadInput> = {}): string {
  const input: GuestLoadInput = {
    version: 'v1',
    seed: 7,
    limits: LIMITS,
    symbols: ['BTC/USD'],
    history: {},
    caps: { '5m': 20, '1h': 20, '1d': 20 },
    hasState: false,
    state: null,
    maxOutputChars: 100_000,
    memoryMb: 32,
    stackKb: 256,
    ...over,
  };
  return JSON.stringify(input);
}

function tickInput(i: number, closes: WireCandle[] = [wire(i)]): string {
  const input: GuestAnalyzeInput = [(i + 1) * 300_000, [['BTC/USD', 100, 0.001, 1000, 0.25, 0.4, closes, 0, 0]], PORTFOLIO];
  return JSON.stringify(input);
}

/** Loads `code`, returns the session id and the parsed harness result. */
async function load(code: string, input = loadInput()): Promise<{ id: string; result: { ok: boolean; value?: unknown; kind?: string; reason?: string; logs?: string[] } }> {
  const id = `t${++n}`;
  const r = await engine.load(id, code, input, 5000);
  if (!r.ok) return { id, result: { ok: false, kind: r.kind, reason: r.reason } };
  return { id, result: JSON.parse(r.guest) };
}

function call(id: string, fn: 'analyze' | 'notify' | 'getState', input: string): { ok: boolean; value?: any; kind?: string; reason?: string; logs?: string[] } {
  const r = engine.call(id, fn, input, 2000);
  if (!r.ok) return { ok: false, kind: r.kind, reason: r.reason };
  return JSON.parse(r.guest);
}

const EMPTY = 'export function initialize() {}\nexport function analyze() { return []; }';

describe('strategy module shapes', () => {
  it.each([
    ['named exports', 'export function initialize() {}\nexport function analyze() { return ["named"]; }\nexport const scanIntervalMinutes = 15;', 'named', 15],
    ['a default-exported object', 'export default { initialize() {}, analyze() { return ["object"]; }, scanIntervalMinutes: 60 };', 'object', 60],
    ['a default-exported class', 'export default class { initialize() { this.k = "class"; } analyze() { return [this.k]; } get scanIntervalMinutes() { return 30; } }', 'class', 30],
    ['an exported class named Strategy', 'export class Strategy { initialize() {} analyze() { return ["Strategy"]; } }', 'Strategy', null],
  ])('accepts %s', async (_name, code, marker, minutes) => {
    const { id, result } = await load(code);
    expect(result).toMatchObject({ ok: true, value: { scanIntervalMinutes: minutes } });
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual([marker]);
  });

  it('refuses a module without initialize/analyze and lists what it exports', async () => {
    const { result } = await load('export const x = 1;\nexport function helper() {}');
    expect(result.ok).toBe(false);
    expect(result.kind).toBe('rejected');
    expect(result.reason).toMatch(/^the module has no initialize\(\) and no analyze\(\) \(module exports: helper, x\)/);
  });

  it('refuses a default-exported function without analyze on its prototype', async () => {
    const { result } = await load('export default function () {}');
    expect(result).toMatchObject({ ok: false, kind: 'rejected' });
    expect(result.reason).toMatch(/default export is a function without an analyze\(\) method/);
  });

  it('reports a syntax error with its position in strategy.js', async () => {
    const { result } = await load('export function analyze( {');
    expect(result.kind).toBe('rejected');
    expect(result.reason).toMatch(/^the strategy module does not parse: SyntaxError: .*strategy\.js:1:\d+/);
  });

  it('reports a top-level throw', async () => {
    const { result } = await load('throw new Error("at import time");');
    expect(result).toMatchObject({ ok: false, kind: 'threw' });
    expect(result.reason).toMatch(/the strategy module threw while it was evaluated: Error: at import time/);
  });
});

describe('imports', () => {
  it('serves the toolkit: an EMA inside the sandbox equals the host EMA bit for bit', async () => {
    const closes = [101.5, 102.25, 99.75, 103, 104.5, 102, 105.25, 106, 104.75, 107.5];
    const code = `import { Ema } from 'trading-brain/toolkit';
      const ema = new Ema(3);
      export function initialize() {}
      export function analyze(markets) { for (const c of markets['BTC/USD'].candles5m) ema.update(c.close); return [ema.value()]; }`;
    const { id } = await load(code);
    const out = call(id, 'analyze', tickInput(9, closes.map((c, i) => wire(i, c)))).value.out;
    const host = new Ema(3);
    for (const c of closes) host.update(c);
    expect(out).toEqual([host.value()]);
  });

  it('serves the contract constants', async () => {
    const { id } = await load(`import { ACTIONS, MAX_SIGNALS_PER_CALL } from 'trading-brain/contract';
      export function initialize() {}
      export function analyze() { return [ACTIONS.join(','), MAX_SIGNALS_PER_CALL]; }`);
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual(['BUY,SELL,CLOSE,MODIFY', 100]);
  });

  it.each(['fs', 'node:child_process', './helper.js', 'trading-brain/other', 'https://example.com/x.js'])('refuses import %j with the allowed list', async (spec) => {
    const { result } = await load(`import x from ${JSON.stringify(spec)};\n${EMPTY}`);
    expect(result).toEqual({
      ok: false,
      kind: 'rejected',
      reason: `import ${JSON.stringify(spec)} is not allowed in the sandbox; allowed: 'trading-brain/toolkit', 'trading-brain/contract' (Node modules, files and network do not exist there)`,
    });
  });
});

describe('what analyze receives', () => {
  it('SymbolData per symbol with frozen candles, oldest first, history + new candles', async () => {
    const code = `export function initialize() {}
      export function analyze(markets, portfolio, time) {
        const m = markets['BTC/USD'];
        let frozen = false;
        try { m.candles5m[0].close = 1; } catch (e) { frozen = e instanceof TypeError; }
        return [Object.keys(m).join(','), m.candles5m.map((c) => c.tsOpen / 300000), m.candles1h.length, frozen, portfolio.cash, time, Object.keys(m.candles5m[0]).join(',')];
      }`;
    const { id } = await load(code, loadInput({ history: { 'BTC/USD': { '5m': [wire(0), wire(1)] } } }));
    const out = call(id, 'analyze', tickInput(2)).value.out;
    expect(out).toEqual([
      'symbol,price,spread,volume24h,makerFeePct,takerFeePct,candles5m,candles1h,candles1d',
      [0, 1, 2],
      0,
      true,
      200,
      900_000,
      'tsOpen,open,high,low,close,volume',
    ]);
  });

  it('keeps at most cap + cap/8 candles, trimming back to cap', async () => {
    const code = `export function initialize() {}\nexport function analyze(m) { const c = m['BTC/USD'].candles5m; return [c.length, c[0].tsOpen / 300000]; }`;
    const { id } = await load(code); // cap 20: trims when above 22
    const seen: unknown[] = [];
    for (let i = 0; i < 24; i++) seen.push(call(id, 'analyze', tickInput(i)).value.out);
    expect(seen[21]).toEqual([22, 0]);
    expect(seen[22]).toEqual([20, 3]); // 23 candles > 22 → the newest 20 (bars 3..22)
    expect(seen[23]).toEqual([21, 3]);
  });

  it('gives a strategy that wrecked its candle array an intact one on the next call', async () => {
    const code = `export function initialize() {}
      export function analyze(m) { const c = m['BTC/USD'].candles5m; const before = c.length; c.length = 0; c.push({ tsOpen: -1 }); return [before]; }`;
    const { id } = await load(code);
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual([1]);
    expect(call(id, 'analyze', tickInput(1)).value.out).toEqual([2]);
    expect(call(id, 'analyze', tickInput(2)).value.out).toEqual([3]);
  });

  it('passes the limits and symbols to initialize and restores state through loadState', async () => {
    const code = `let seen;
      export function initialize(limits, symbols) { seen = [limits.maxTradePct, symbols.join(',')]; }
      export function loadState(s) { seen.push(s.n); }
      export function getState() { return { n: seen[2] + 1 }; }
      export function analyze() { return seen; }`;
    const { id } = await load(code, loadInput({ hasState: true, state: { n: 41 } }));
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual([0.1, 'BTC/USD', 41]);
    expect(call(id, 'getState', '').value).toEqual({ hasState: true, state: { n: 42 } });
  });

  it('forwards fills and closes positionally, and reads the regime property after analyze', async () => {
    const code = `const log = [];
      export let regime = null;
      export function initialize() {}
      export function onFill(symbol, action, qty, price, intent, tag) { log.push(['fill', symbol, action, qty, price, intent, tag]); }
      export function onPositionClosed(symbol, pnl, pnlPct, tag) { log.push(['closed', symbol, pnl, pnlPct, tag]); regime = 'after-close'; }
      export function analyze() { return log; }`;
    const { id, result } = await load(code);
    expect(result.value).toMatchObject({ callbacks: { onFill: true, onPositionClosed: true, getState: false, loadState: false } });
    const events = [
      { type: 'fill', symbol: 'BTC/USD', action: 'BUY', qty: 0.5, price: 100, intent: 'DAY', tag: 't1' },
      { type: 'positionClosed', symbol: 'BTC/USD', pnl: 1.5, pnlPct: 0.03, tag: 't1' },
    ];
    expect(call(id, 'notify', JSON.stringify({ events })).ok).toBe(true);
    expect(call(id, 'analyze', tickInput(0)).value).toEqual({
      out: [
        ['fill', 'BTC/USD', 'BUY', 0.5, 100, 'DAY', 't1'],
        ['closed', 'BTC/USD', 1.5, 0.03, 't1'],
      ],
      regime: 'after-close',
    });
  });

  it('runs an async analyze to completion within the deadline', async () => {
    const { id } = await load('export function initialize() {}\nexport async function analyze() { await null; await Promise.resolve(); return ["async"]; }');
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual(['async']);
  });
});

describe('determinism', () => {
  const code = `export function initialize() {}
    export function analyze(m, p, time) { return [Math.random(), Math.random(), new Date(time).toISOString()]; }`;

  it('Math.random is a PRNG seeded by the host: same seed, same numbers; other seed, other numbers', async () => {
    const a = await load(code, loadInput({ seed: 12345 }));
    const b = await load(code, loadInput({ seed: 12345 }));
    const c = await load(code, loadInput({ seed: 54321 }));
    const ra = call(a.id, 'analyze', tickInput(0)).value.out;
    expect(call(b.id, 'analyze', tickInput(0)).value.out).toEqual(ra);
    expect(call(c.id, 'analyze', tickInput(0)).value.out[0]).not.toBe(ra[0]);
    expect(ra[2]).toBe('1970-01-01T00:05:00.000Z');
    expect(ra[0]).toBeGreaterThanOrEqual(0);
    expect(ra[0]).toBeLessThan(1);
  });

  it.each([
    ['Date.now()', 'Date.now() reads the clock'],
    ['new Date()', 'new Date() without arguments reads the clock'],
    ['Date()', 'Date() reads the clock'],
  ])('%s throws a clear TypeError', async (expr, message) => {
    const { id } = await load(`export function initialize() {}\nexport function analyze() { return [${expr}]; }`);
    const r = call(id, 'analyze', tickInput(0));
    expect(r.kind).toBe('threw');
    expect(r.reason).toContain(message);
    expect(r.reason).toContain('use the `time` argument of analyze()');
  });

  it('new Date(x) instances still work and instanceof Date holds', async () => {
    const { id } = await load(`export function initialize() {}\nexport function analyze(m, p, t) { const d = new Date(t); return [d instanceof Date, d.getUTCMinutes(), Date.UTC(2024, 0, 1)]; }`);
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual([true, 5, Date.UTC(2024, 0, 1)]);
  });
});

describe('logs', () => {
  it('returns console output with the result, at most 50 lines, then a count', async () => {
    const { id } = await load(`export function initialize() {}
      export function analyze() { for (let i = 0; i < 60; i++) console.log('line', i, { i }); console.warn('w'); return []; }`);
    const r = call(id, 'analyze', tickInput(0));
    expect(r.logs).toHaveLength(51);
    expect(r.logs![0]).toBe('line 0 {"i":0}');
    expect(r.logs![50]).toBe('… 11 more log lines dropped (at most 50 per call)');
  });
});

describe('sessions', () => {
  it('are separate realms: pollution in one is invisible in another', async () => {
    const a = await load(`export function initialize() { Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0; }\nexport function analyze() { return [({}).polluted]; }`);
    const b = await load(`export function initialize() {}\nexport function analyze() { const x = []; x.push(1); return [({}).polluted ?? 'clean', x.length]; }`);
    expect(call(a.id, 'analyze', tickInput(0)).value.out).toEqual(['yes']);
    expect(call(b.id, 'analyze', tickInput(0)).value.out).toEqual(['clean', 1]);
  });

  it('a timeout discards the instance; the session must be loaded again', async () => {
    const { id } = await load(`export function initialize() {}\nexport function analyze(m, p, t) { if (t > 300000) for (;;) {} return []; }`);
    expect(call(id, 'analyze', tickInput(0)).ok).toBe(true);
    const r = engine.call(id, 'analyze', tickInput(1), 100);
    expect(r).toEqual({ ok: false, kind: 'timeout', reason: 'the strategy ran past its 100 ms deadline in analyze and was stopped', discarded: true });
    expect(engine.has(id)).toBe(false);
    expect(engine.call(id, 'analyze', tickInput(2), 100)).toMatchObject({ ok: false, kind: 'rejected', reason: 'no strategy is loaded in this sandbox session' });
  });
});

describe('runaway promise chains', () => {
  // Each link of this chain keeps the previous one alive. QuickJS swallows an out-of-memory error
  // raised inside a promise job (it rejects the derived promise), so before the job budget the call
  // ended with its plain [] or at the deadline depending on speed. Now it always stops on the budget.
  const SPIN = `export function initialize() {}\nexport function analyze() { const spin = () => Promise.resolve().then(spin); spin(); return []; }`;

  it.each([8])('a fire-and-forget promise loop fails the same way 20 times out of 20 (heap %i MiB)', async (mb) => {
    const small = new SandboxEngine({ assets: await buildSandboxAssets(), wasmModule: await compileQuickjsWasm(), memoryBytes: mb << 20, stackBytes: 256 << 10 });
    const outcomes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const id = `spin-${mb}-${i}`;
      const loaded = await small.load(id, SPIN, loadInput({ memoryMb: mb }), 5000);
      expect(loaded.ok).toBe(true);
      const r = small.call(id, 'analyze', tickInput(0), 10_000);
      outcomes.add(JSON.stringify(r));
      expect(small.has(id)).toBe(false);
    }
    expect([...outcomes]).toEqual([
      JSON.stringify({ ok: false, kind: 'timeout', reason: `the strategy queued more than ${MAX_PROMISE_JOBS_PER_CALL} promise jobs in analyze (a runaway promise chain or an endless async loop) and was stopped`, discarded: true }),
    ]);
  }, 60_000);

  it('a long but finite promise chain within the budget still completes', async () => {
    const { id } = await load(`export function initialize() {}\nexport async function analyze() { let n = 0; for (let i = 0; i < 10000; i++) { await null; n++; } return [n]; }`);
    expect(call(id, 'analyze', tickInput(0)).value.out).toEqual([10000]);
  });

});

describe('one-shot modules (runOnce, for analysis modules)', () => {
  const input = (args: unknown[]) => JSON.stringify({ seed: 7, args, maxOutputChars: 10_000, memoryMb: 32, stackKb: 256 });
  const run = async (code: string, args: unknown[] = [{ n: 2 }, { nowMs: 5 }], deadlineMs = 2000) => {
    const r = await engine.runOnce(code, input(args), deadlineMs);
    return r.ok ? JSON.parse(r.guest) : { ok: false, kind: r.kind, reason: r.reason };
  };

  it.each([
    ['a named export', 'export function analyze(d, c) { return { v: d.n * 10 + c.nowMs }; }'],
    ['a default-exported object', 'export default { analyze(d, c) { return { v: d.n * 10 + c.nowMs }; } };'],
    ['a default-exported class', 'export default class { analyze(d, c) { return { v: d.n * 10 + c.nowMs }; } }'],
    ['a class named Analysis', 'export class Analysis { analyze(d, c) { return Promise.resolve({ v: d.n * 10 + c.nowMs }); } }'],
  ])('calls analyze(data, context) on %s', async (_name, code) => {
    expect(await run(code)).toEqual({ ok: true, value: { v: 25 }, logs: [] });
  });

  it('refuses a module without analyze, reports a throw, stops a loop at the deadline', async () => {
    expect(await run('export const y = 1;')).toMatchObject({ ok: false, kind: 'rejected', reason: expect.stringMatching(/has no analyze\(\) \(module exports: y\)/) });
    expect(await run('export function analyze() { throw new RangeError("bad"); }')).toMatchObject({ ok: false, kind: 'threw', reason: expect.stringMatching(/analyze\(\) threw RangeError: bad/) });
    expect(await run('export function analyze() { for (;;) {} }', [], 100)).toEqual({ ok: false, kind: 'timeout', reason: 'the strategy ran past its 100 ms deadline in the analysis run and was stopped' });
  });

  it('has the same lockdown as strategies and keeps nothing between runs', async () => {
    const code = 'let runs = 0;\nexport function analyze() { runs++; console.log("run", runs); return [runs, Math.random(), typeof Date.now === "function" && (() => { try { Date.now(); return "clock"; } catch { return "no clock"; } })()]; }';
    const a = await run(code);
    const b = await run(code);
    expect(a).toEqual(b);
    expect(a.value[0]).toBe(1);
    expect(a.value[2]).toBe('no clock');
    expect(a.logs).toEqual(['run 1']);
  });
});
