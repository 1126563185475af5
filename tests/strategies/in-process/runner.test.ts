/**
 * The in-process runner: module shapes, failures as values, the look-ahead guard, determinism
 * guards, fresh instances, callbacks, history.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Portfolio } from '../../../domain/contract/index.ts';
import type { Candle } from '../../../domain/market/index.ts';
import type { StrategyTick } from '../../../domain/ports/index.ts';
import { compileStrategySource, createInProcessRunner, readStrategySource, seededRandom } from '../../../strategies/in-process/index.ts';
import { LIMITS } from '../../domain/pipeline/support.ts';

const T0 = Date.UTC(2024, 0, 1);
const M5 = 300_000;
const PORTFOLIO: Portfolio = { cash: 100, totalValue: 100, positions: [], recentTrades: [], dailyPnl: 0, totalPnl: 0, feesToday: 0 };

function c(tsOpen: number, close = 100): Candle {
  return { tsOpen, open: close, high: close, low: close, close, volume: 1 };
}

function tick(nowMs: number, candles: Partial<Record<'5m' | '1h' | '1d', Candle[]>> = {}): StrategyTick {
  return { nowMs, portfolio: PORTFOLIO, markets: { 'BTC/USD': { price: 100, spread: 0.001, volume24h: 5, makerFeePct: 0.25, takerFeePct: 0.4, newCandles: candles } } };
}

async function loaded(code: string, extra: { state?: unknown; seed?: number } = {}) {
  const runner = createInProcessRunner({ seed: extra.seed ?? 1 });
  const r = await runner.load({ version: 'test', code, limits: LIMITS, symbols: ['BTC/USD'], history: {}, ...(extra.state === undefined ? {} : { state: extra.state }) });
  return { runner, r };
}

/** A strategy that reports what it was given. */
const ECHO = `
let seen = [];
export function initialize(limits, symbols) { seen.push(['init', limits.maxPositions, symbols]); }
export function analyze(markets, portfolio, time) {
  const m = markets['BTC/USD'];
  return { signals: [], regime: JSON.stringify({ time, n5: m.candles5m.length, n1h: m.candles1h.length, price: m.price, spread: m.spread, keys: Object.keys(m).sort() }) };
}
`;

describe('loading', () => {
  it('accepts plain exports, a default object, a default class and an exported class Strategy', async () => {
    const shapes = [
      'export function initialize() {} export function analyze() { return ["plain"]; }',
      'export default { initialize() {}, analyze() { return ["object"]; } };',
      'export default class { initialize() {} analyze() { return ["class:" + this.k]; } constructor() { this.k = 1; } }',
      'export class Strategy { initialize() {} analyze() { return ["Strategy"]; } }',
    ];
    const outputs = [];
    for (const code of shapes) {
      const { runner, r } = await loaded(code);
      expect(r).toEqual({ ok: true, value: { scanIntervalMinutes: 5 } });
      const a = await runner.analyze(tick(T0 + M5));
      outputs.push(a.ok ? a.value.rawSignals : a.error);
    }
    expect(outputs).toEqual([['plain'], ['object'], ['class:1'], ['Strategy']]);
  });

  it('refuses a module without analyze, with the exports it found', async () => {
    const { r } = await loaded('export function initialize() {} export const x = 1;');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('rejected');
      expect(r.error.reason).toContain('has no analyze()');
      expect(r.error.reason).toContain('module exports: initialize, x');
    }
  });

  it('reports a syntax error and an initialize that throws as values', async () => {
    const syntax = await loaded('export function analyze( {');
    expect(syntax.r.ok ? null : syntax.r.error.kind).toBe('rejected');
    const throws = await loaded('export function initialize() { throw new Error("boom"); } export function analyze() { return []; }');
    expect(throws.r.ok ? null : throws.r.error).toEqual({ kind: 'threw', reason: 'initialize/loadState threw: Error: boom' });
  });

  it('validates scanIntervalMinutes (a positive multiple of 5)', async () => {
    const ok = await loaded('export const scanIntervalMinutes = 15; export function initialize() {} export function analyze() { return []; }');
    expect(ok.r).toEqual({ ok: true, value: { scanIntervalMinutes: 15 } });
    const bad = await loaded('export const scanIntervalMinutes = 7; export function initialize() {} export function analyze() { return []; }');
    expect(bad.r.ok ? null : bad.r.error.reason).toContain('whole multiple of 5');
  });

  it('gives every load a fresh module instance', async () => {
    const code = 'let calls = 0; export function initialize() {} export function analyze() { calls++; return [calls]; }';
    const a = (await loaded(code)).runner;
    await a.analyze(tick(T0 + M5));
    await a.analyze(tick(T0 + 2 * M5));
    const b = (await loaded(code)).runner;
    const r = await b.analyze(tick(T0 + M5));
    expect(r.ok && r.value.rawSignals).toEqual([1]);
  });
});

describe('analyze', () => {
  it('builds SymbolData from the history and the new candles, and passes time and the regime', async () => {
    const { runner } = await loaded(ECHO);
    const r = await runner.analyze(tick(T0 + 2 * M5, { '5m': [c(T0), c(T0 + M5)] }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      const out = r.value.rawSignals as { regime: string };
      expect(JSON.parse(out.regime)).toEqual({
        time: T0 + 2 * M5,
        n5: 2,
        n1h: 0,
        price: 100,
        spread: 0.001,
        keys: ['candles1d', 'candles1h', 'candles5m', 'makerFeePct', 'price', 'spread', 'symbol', 'takerFeePct', 'volume24h'],
      });
    }
  });

  it('refuses a candle that has not closed by now: the strategy can only ever see the past', async () => {
    const { runner } = await loaded(ECHO);
    const early = await runner.analyze(tick(T0 + M5 - 1, { '5m': [c(T0)] }));
    expect(early.ok ? null : early.error).toEqual({ kind: 'rejected', reason: `BTC/USD: look-ahead: a 5m candle opening at ${T0} closes at ${T0 + M5}, after now (${T0 + M5 - 1})` });
    const hour = await runner.analyze(tick(T0 + 11 * M5, { '1h': [c(T0)] }));
    expect(hour.ok ? null : hour.error.reason).toContain('look-ahead: a 1h candle');
    const again = await runner.analyze(tick(T0 + 3 * M5, { '5m': [c(T0), c(T0)] }));
    expect(again.ok ? null : again.error.reason).toContain('not after the last one kept');
    // All or nothing: the refused tick appended nothing, so the same candles in order are accepted.
    const fine = await runner.analyze(tick(T0 + 3 * M5, { '5m': [c(T0), c(T0 + M5)] }));
    expect(fine.ok && JSON.parse((fine.value.rawSignals as { regime: string }).regime).n5).toBe(2);
  });

  it('seeds Math.random per runner and forbids Date.now inside strategy code, restoring both after', async () => {
    const code = 'export function initialize() {} export function analyze() { return [Math.random(), Math.random()]; }';
    const first = await (await loaded(code, { seed: 42 })).runner.analyze(tick(T0 + M5));
    const second = await (await loaded(code, { seed: 42 })).runner.analyze(tick(T0 + M5));
    const expected = seededRandom(42);
    expect(first.ok && first.value.rawSignals).toEqual([expected(), expected()]);
    expect(second.ok && second.value.rawSignals).toEqual(first.ok && first.value.rawSignals);
    const clock = await (await loaded('export function initialize() {} export function analyze() { return [Date.now()]; }')).runner.analyze(tick(T0 + M5));
    expect(clock.ok ? null : clock.error.kind).toBe('threw');
    expect(clock.ok ? '' : clock.error.reason).toContain('use the `time` argument');
    expect(typeof Date.now()).toBe('number');
    expect(Math.random).not.toBe(expected);
  });

  it('turns a throwing analyze into a failure and keeps going', async () => {
    const { runner } = await loaded('let n = 0; export function initialize() {} export function analyze() { if (++n === 1) throw new TypeError("bad"); return ["ok"]; }');
    const a = await runner.analyze(tick(T0 + M5));
    const b = await runner.analyze(tick(T0 + 2 * M5));
    expect(a.ok ? null : a.error).toEqual({ kind: 'threw', reason: 'analyze threw: TypeError: bad' });
    expect(b.ok && b.value.rawSignals).toEqual(['ok']);
  });

  it('trims history in one copy when it reaches twice its limit', async () => {
    const runner = createInProcessRunner({ maxHistory: { '5m': 3 } });
    await runner.load({ version: 't', code: ECHO, limits: LIMITS, symbols: ['BTC/USD'], history: {} });
    const lengths = [];
    for (let i = 0; i < 8; i++) {
      const r = await runner.analyze(tick(T0 + (i + 1) * M5, { '5m': [c(T0 + i * M5)] }));
      if (r.ok) lengths.push(JSON.parse((r.value.rawSignals as { regime: string }).regime).n5);
    }
    expect(lengths).toEqual([1, 2, 3, 4, 5, 3, 4, 5]);
  });
});

describe('synchronous fast path', () => {
  it('analyzeNow answers without a promise, and with one only when the strategy returns one', async () => {
    const sync = (await loaded('export function initialize() {} export function analyze() { return ["now"]; }')).runner;
    const direct = sync.analyzeNow(tick(T0 + M5));
    expect(direct instanceof Promise).toBe(false);
    expect(direct).toEqual({ ok: true, value: { rawSignals: ['now'], regime: null } });
    const later = (await loaded('export let regime = null; export function initialize() {} export async function analyze() { regime = "late"; return ["later"]; }')).runner;
    const pending = later.analyzeNow(tick(T0 + M5));
    expect(pending instanceof Promise).toBe(true);
    expect(await pending).toEqual({ ok: true, value: { rawSignals: ['later'], regime: 'late' } });
    const rejects = (await loaded('export function initialize() {} export async function analyze() { throw new Error("async boom"); }')).runner;
    expect(await rejects.analyzeNow(tick(T0 + M5))).toEqual({ ok: false, error: { kind: 'threw', reason: 'analyze threw: Error: async boom' } });
  });

  it('notifyNow delivers in order, awaiting a callback that returns a promise before the next', async () => {
    const code = `
      const log = [];
      export function initialize() {}
      export function analyze() { return log; }
      export async function onFill(symbol, action) { await null; log.push(action); }
      export function onPositionClosed(symbol, pnl) { log.push('closed ' + pnl); }`;
    const { runner } = await loaded(code);
    const told = runner.notifyNow([
      { type: 'fill', symbol: 'BTC/USD', action: 'BUY', qty: 1, price: 100, intent: 'DAY', tag: 't' },
      { type: 'positionClosed', symbol: 'BTC/USD', pnl: 3, pnlPct: 0.03, tag: 't' },
    ]);
    expect(told instanceof Promise).toBe(true);
    expect(await told).toEqual({ ok: true, value: undefined });
    const r = await runner.analyze(tick(T0 + M5));
    expect(r.ok && r.value.rawSignals).toEqual(['BUY', 'closed 3']);
  });
});

describe('notify, getState, close', () => {
  it('calls onFill and onPositionClosed with positional arguments, and getState returns JSON', async () => {
    const code = `
      const log = [];
      export function initialize() {}
      export function analyze() { return []; }
      export function onFill(symbol, action, qty, price, intent, tag) { log.push(['fill', symbol, action, qty, price, intent, tag]); }
      export function onPositionClosed(symbol, pnl, pnlPct, tag) { log.push(['closed', symbol, pnl, pnlPct, tag]); }
      export function getState() { return { log, when: new Date(0) }; }`;
    const { runner } = await loaded(code);
    const told = await runner.notify([
      { type: 'fill', symbol: 'BTC/USD', action: 'BUY', qty: 1, price: 100, intent: 'DAY', tag: 't1' },
      { type: 'positionClosed', symbol: 'BTC/USD', pnl: -2, pnlPct: -0.02, tag: 't1' },
    ]);
    expect(told).toEqual({ ok: true, value: undefined });
    expect(await runner.getState()).toEqual({
      ok: true,
      value: { log: [['fill', 'BTC/USD', 'BUY', 1, 100, 'DAY', 't1'], ['closed', 'BTC/USD', -2, -0.02, 't1']], when: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('restores a prior state through loadState', async () => {
    const code = 'let s = null; export function initialize() {} export function loadState(x) { s = x; } export function getState() { return s; } export function analyze() { return [s]; }';
    const { runner } = await loaded(code, { state: { n: 7 } });
    const r = await runner.analyze(tick(T0 + M5));
    expect(r.ok && r.value.rawSignals).toEqual([{ n: 7 }]);
  });

  it('is unavailable once closed', async () => {
    const { runner } = await loaded(ECHO);
    await runner.close();
    const r = await runner.analyze(tick(T0 + M5));
    expect(r.ok ? null : r.error.kind).toBe('unavailable');
  });
});

describe('readStrategySource', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), 'brain-strategy-'));
    dirs.push(d);
    return d;
  }

  it('strips TypeScript and inlines relative imports into one module', async () => {
    const d = dir();
    writeFileSync(join(d, 'helper.ts'), 'export const double = (x: number): number => x * 2;');
    writeFileSync(join(d, 'strategy.ts'), 'import { double } from "./helper.ts";\nexport function initialize(): void {}\nexport function analyze(): number[] { return [double(21)]; }');
    const source = await readStrategySource(join(d, 'strategy.ts'));
    expect(source.ok).toBe(true);
    if (!source.ok) return;
    expect(source.source.version).toBe(d.split('/').pop());
    expect(source.source.hash).toMatch(/^[0-9a-f]{16}$/);
    const runner = createInProcessRunner();
    await runner.load({ version: 'x', code: source.source.code, limits: LIMITS, symbols: ['BTC/USD'], history: {} });
    const r = await runner.analyze(tick(T0 + M5));
    expect(r.ok && r.value.rawSignals).toEqual([42]);
  });

  it("resolves the sandbox's module names, so a strategy using the toolkit runs in-process too", async () => {
    const code = `import { Ema } from 'trading-brain/toolkit';\nimport { ACTIONS } from 'trading-brain/contract';\nconst ema = new Ema(2);\nexport function initialize(): void {}\nexport function analyze(markets: Record<string, { price: number }>): unknown[] {\n  ema.update(markets['BTC/USD']!.price);\n  return [ema.value(), ACTIONS.length];\n}\n`;
    const source = await compileStrategySource(code, 'v009.ts', 'v009');
    if (!source.ok) throw new Error(source.reason);
    expect([source.source.version, source.source.path]).toEqual(['v009', '<stored>/v009.ts']);
    const runner = createInProcessRunner();
    await runner.load({ version: 'v009', code: source.source.code, limits: LIMITS, symbols: ['BTC/USD'], history: {} });
    await runner.analyze(tick(T0 + M5));
    const r = await runner.analyze(tick(T0 + 2 * M5));
    expect(r.ok && r.value.rawSignals).toEqual([100, 4]); // EMA(2) of 100, 100; BUY, SELL, CLOSE, MODIFY
    const bad = await compileStrategySource("import fs from 'node:fs';\nexport function analyze() { return [fs.readFileSync('/etc/passwd')]; }", 'v010.ts', 'v010');
    expect(bad.ok ? '' : bad.reason).toBe(`strategy v010 cannot be compiled: v010.ts:1:16: import "node:fs" is not allowed: a strategy may import only 'trading-brain/toolkit', 'trading-brain/contract' and its own relative files`);
  });

  it('names the file, line and column of a compile error, and a missing file', async () => {
    const d = dir();
    writeFileSync(join(d, 'broken.ts'), 'export function analyze( {\n');
    const broken = await readStrategySource(join(d, 'broken.ts'));
    expect(broken.ok ? '' : broken.reason).toMatch(/cannot be compiled: broken\.ts:2:1: Expected identifier but found end of file$/);
    const missing = await readStrategySource(join(d, 'nope.ts'));
    expect(missing.ok ? '' : missing.reason).toContain('not found');
  });
});
