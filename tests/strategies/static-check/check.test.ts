import { describe, expect, it } from 'vitest';
import { checkStrategyCode, checkStrategySource, formatProblems, languageOf, transpileStrategy } from '../../../strategies/static-check/index.ts';
import { decodeMappings } from '../../../strategies/static-check/sourcemap.ts';

/** A realistic TypeScript strategy (the predecessor's v001 idea: EMA 9/21 cross, RSI band, volume filter). */
const GOOD_TS = `import type { Portfolio, RiskLimits, Signal, SymbolData } from 'trading-brain/contract';
import { Ema, Rsi, VolumeRatio, indexAfter } from 'trading-brain/toolkit';

interface State { fast: Ema; slow: Ema; rsi: Rsi; vol: VolumeRatio; seen: number; prevFast: number; prevSlow: number }

export default class EmaCross {
  private limits!: RiskLimits;
  private states = new Map<string, State>();
  scanIntervalMinutes = 5;
  regime: string | null = null;

  initialize(limits: RiskLimits, symbols: string[]): void {
    this.limits = limits;
    for (const s of symbols) this.states.set(s, { fast: new Ema(9), slow: new Ema(21), rsi: new Rsi(14), vol: new VolumeRatio(20), seen: -Infinity, prevFast: NaN, prevSlow: NaN });
  }

  analyze(markets: Record<string, SymbolData>, portfolio: Portfolio, time: number): Signal[] {
    const out: Signal[] = [];
    for (const [symbol, m] of Object.entries(markets)) {
      const st = this.states.get(symbol)!;
      const c = m.candles5m;
      for (let i = indexAfter(c, st.seen); i < c.length; i++) {
        st.prevFast = st.fast.value();
        st.prevSlow = st.slow.value();
        st.fast.update(c[i]!.close);
        st.slow.update(c[i]!.close);
        st.rsi.update(c[i]!.close);
        st.seen = c[i]!.tsOpen;
      }
      const crossed = st.prevFast <= st.prevSlow && st.fast.value() > st.slow.value();
      const rsi = st.rsi.value();
      if (crossed && rsi > 30 && rsi < 70 && !portfolio.positions.some((p) => p.symbol === symbol)) {
        out.push({ symbol, action: 'BUY', size: this.limits.defaultTradePct, orderType: 'MARKET', intent: 'DAY', confidence: 0.5,
          stopLoss: m.price * 0.98, takeProfit: m.price * 1.04, reasoning: \`EMA 9/21 cross at \${new Date(time).toISOString()}\` } as Signal);
      }
    }
    this.regime = out.length > 0 ? 'trend' : null;
    return out;
  }
}
`;

const problemsOf = (js: string) => checkStrategyCode(js).map((p) => `${p.line}:${p.column} ${p.rule}`);

describe('static check: what passes', () => {
  it('accepts a realistic TypeScript strategy and returns its JavaScript without the type-only import', () => {
    const r = checkStrategySource(GOOD_TS, 'strategy.ts');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.code).not.toContain('trading-brain/contract');
      expect(r.code).toContain(`from "trading-brain/toolkit"`);
      expect(r.code).not.toContain('interface State');
    }
  });

  it('accepts names that merely look like globals when the strategy declares them itself', () => {
    expect(checkStrategyCode(`const self = this; function f(global) { return global; }\nexport function analyze() { return [self, f(1)]; }`)).toEqual([]);
  });

  it('accepts ordinary property access and prototype-free class code', () => {
    expect(checkStrategyCode(`class A { constructor() { this.x = 1; } }\nexport function analyze(m) { const a = new A(); return [a.x, m['BTC/USD']?.price, [1, 2].map((v) => v * 2)]; }`)).toEqual([]);
  });
});

describe('static check: what is refused, with position and reason', () => {
  it.each([
    [`import fs from 'fs';`, '1:16 import'],
    [`export * from 'node:os';`, '1:15 import'],
    [`export { x } from './other.js';`, '1:19 import'],
    [`const m = await import('trading-brain/toolkit');`, '1:17 dynamic-import'],
    [`const u = import.meta.url;`, '1:11 import-meta'],
    [`eval('1');`, '1:1 forbidden-global'],
    [`const f = new Function('return 1');`, '1:15 forbidden-global'],
    [`require('fs');`, '1:1 forbidden-global'],
    [`const e = process.env;`, '1:11 forbidden-global'],
    [`globalThis.x = 1;`, '1:1 forbidden-global'],
    [`const p = new Proxy({}, {});`, '1:15 forbidden-global'],
    [`Reflect.ownKeys({});`, '1:1 forbidden-global'],
    [`WebAssembly.compile(new Uint8Array());`, '1:1 forbidden-global'],
    [`new SharedArrayBuffer(8);`, '1:5 forbidden-global'],
    [`Atomics.wait();`, '1:1 forbidden-global'],
    [`fetch('http://x');`, '1:1 forbidden-global'],
    [`setTimeout(() => {}, 1);`, '1:1 forbidden-global'],
    [`const F = (() => {}).constructor;`, '1:22 forbidden-property'],
    [`const F = []['filter']['constructor'];`, '1:24 forbidden-property'],
    [`const F = [][\`constructor\`];`, '1:14 forbidden-property'],
    [`const { constructor: C } = {};`, '1:9 forbidden-property'],
    [`const p = ({}).__proto__;`, '1:16 forbidden-property'],
    [`const o = { __proto__: null };`, '1:13 proto-key'],
    [`Error.prepareStackTrace = (e, s) => s;`, ['1:1 builtin-mutation', '1:7 forbidden-property']],
    [`function f() { return arguments.callee; }`, '1:33 forbidden-property'],
    [`Object.prototype.polluted = 1;`, '1:1 builtin-mutation'],
    [`Math.random = () => 0.5;`, '1:1 builtin-mutation'],
    [`Array.prototype.x++;`, '1:1 builtin-mutation'],
    [`Object.defineProperty(Array.prototype, 'x', { value: 1 });`, '1:1 builtin-mutation'],
    [`Object.assign(Math, { random: () => 0 });`, '1:1 builtin-mutation'],
    [`debugger;`, '1:1 debugger'],
  ] as const)('%s → %s', (code, expected) => {
    expect(problemsOf(code)).toEqual(typeof expected === 'string' ? [expected] : expected);
  });

  it('gives a message that names the construct and what to do instead', () => {
    const [p] = checkStrategyCode(`const e = process.env;`);
    expect(p!.message).toBe('`process`: process does not exist: strategies get everything through their arguments (markets, portfolio, time); there are no Node or browser APIs in the sandbox');
    const [i] = checkStrategyCode(`import fs from 'fs';`);
    expect(i!.message).toBe(`import "fs" is not allowed in the sandbox; allowed: 'trading-brain/toolkit', 'trading-brain/contract' (Node modules, files and network do not exist there)`);
  });

  it('reports every problem in source order', () => {
    expect(problemsOf(`const a = process;\nconst b = [].constructor;\neval('x');`)).toEqual(['1:11 forbidden-global', '2:14 forbidden-property', '3:1 forbidden-global']);
  });

  it('reports a syntax error (strict module rules apply: no with)', () => {
    expect(checkStrategyCode(`with (Math) { random(); }`)).toEqual([
      { line: 1, column: 1, rule: 'syntax', message: "'with' in strict mode (strategies are ES modules in strict mode)" },
    ]);
  });

  it('caps the list of problems', () => {
    const many = Array.from({ length: 60 }, () => 'eval(1);').join('\n');
    const problems = checkStrategyCode(many);
    expect(problems).toHaveLength(51);
    expect(problems[50]!.message).toBe('10 more problems not shown');
  });
});

describe('TypeScript', () => {
  it('maps positions back to the TypeScript source', () => {
    const ts = `import type { Signal } from 'trading-brain/contract';\n\ninterface Wide {\n  a: number;\n  b: string;\n}\n\nexport function analyze(): Signal[] {\n  const env = (process as unknown as { env: Wide }).env;\n  return [];\n}\n`;
    const r = checkStrategySource(ts, 'strategy.ts');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual(['9:16 forbidden-global']);
    if (!r.ok) expect(formatProblems(r.problems, 'strategy.ts')).toMatch(/^strategy\.ts:9:16 \[forbidden-global\] `process`: /);
  });

  it('reports TypeScript syntax errors with their position', () => {
    const r = checkStrategySource('export function analyze(: number) {}', 'strategy.ts');
    expect(r).toEqual({ ok: false, problems: [{ line: 1, column: 25, rule: 'syntax', message: 'Expected identifier but found ":"' }] });
  });

  it('passes JavaScript through unchanged and knows languages by extension', () => {
    expect(transpileStrategy('export const a = 1;', 'strategy.js')).toEqual({ ok: true, code: 'export const a = 1;', map: null });
    expect([languageOf('a.ts'), languageOf('a.mts'), languageOf('a.js'), languageOf('a.mjs')]).toEqual(['ts', 'ts', 'js', 'js']);
  });

  it('decodes source-map VLQ mappings (values from the source-map spec examples)', () => {
    // "AAAA" is [0,0,0,0]; "SAAQ" is [9,0,0,8]; "IAAC" is [4,0,0,1] (base64 VLQ, sign in the low bit).
    expect(decodeMappings('AAAA,SAAQ;;IAAC')).toEqual([[[0, 0, 0], [9, 0, 8]], [], [[4, 0, 9]]]);
    expect(decodeMappings('!!')).toBeNull();
  });
});
