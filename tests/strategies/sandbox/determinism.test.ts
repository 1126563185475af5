/**
 * Same code, same data, same version → byte-identical decisions, in two separate runner
 * processes: the sandbox has no clock (time is an argument) and Math.random is a PRNG seeded from
 * the version. The strategy is TypeScript, checked and compiled like the loader will.
 */
import { describe, expect, it } from 'vitest';
import { createSandboxedStrategyRunner } from '../../../strategies/sandbox/index.ts';
import { checkStrategySource } from '../../../strategies/static-check/index.ts';
import { LIMITS, SYMBOLS, candles, tickAt } from './support.ts';

const SOURCE = `import type { Signal, SymbolData } from 'trading-brain/contract';
import { Ema, crossedAbove, crossedBelow, indexAfter } from 'trading-brain/toolkit';

const fast = new Map<string, Ema>();
const slow = new Map<string, Ema>();
const seen = new Map<string, number>();

export function initialize(_limits: unknown, symbols: string[]): void {
  for (const s of symbols) { fast.set(s, new Ema(9)); slow.set(s, new Ema(21)); seen.set(s, -Infinity); }
}

export function analyze(markets: Record<string, SymbolData>, _portfolio: unknown, time: number): Signal[] {
  const out: Signal[] = [];
  for (const [symbol, m] of Object.entries(markets)) {
    const f = fast.get(symbol)!, s = slow.get(symbol)!;
    let pf = f.value(), ps = s.value();
    const c = m.candles5m;
    for (let i = indexAfter(c, seen.get(symbol)!); i < c.length; i++) {
      pf = f.value(); ps = s.value();
      f.update(c[i]!.close); s.update(c[i]!.close);
      seen.set(symbol, c[i]!.tsOpen);
    }
    const jitter = Math.random(); // seeded: part of the decision, still deterministic
    if (crossedAbove(pf, ps, f.value(), s.value())) out.push({ symbol, action: 'BUY', size: 0.05, confidence: 0.5 + jitter / 4, reasoning: 'cross up at ' + time } as Signal);
    if (crossedBelow(pf, ps, f.value(), s.value())) out.push({ symbol, action: 'CLOSE', reasoning: 'cross down at ' + time } as Signal);
  }
  return out;
}
`;

/** A wave with a slow drift: EMA 9/21 cross several times over 300 bars. */
const close = (i: number) => Math.round((100 + 10 * Math.sin(i / 15) + i / 50) * 100) / 100;

async function runOnce(): Promise<string> {
  const checked = checkStrategySource(SOURCE, 'strategy.ts');
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  const r = createSandboxedStrategyRunner();
  try {
    const history = Object.fromEntries(SYMBOLS.map((s) => [s, { '5m': candles(0, 40, close) }]));
    const loaded = await r.load({ version: 'ema-cross-v7', code: checked.code, limits: LIMITS, symbols: [...SYMBOLS], history });
    if (!loaded.ok) throw new Error(loaded.error.reason);
    const decisions: unknown[] = [];
    for (let i = 40; i < 300; i++) {
      const d = await r.analyze(tickAt(i, SYMBOLS, close));
      if (!d.ok) throw new Error(d.error.reason);
      decisions.push(d.value.rawSignals);
    }
    return JSON.stringify(decisions);
  } finally {
    await r.close();
  }
}

describe('determinism across runner processes', () => {
  it('gives byte-identical decisions, and the decisions are not trivial', async () => {
    const [a, b] = await Promise.all([runOnce(), runOnce()]);
    expect(a).toBe(b);
    const all = JSON.parse(a) as { action: string }[][];
    const actions = all.flat().map((s) => s.action);
    expect(actions.filter((x) => x === 'BUY').length).toBeGreaterThan(3);
    expect(actions.filter((x) => x === 'CLOSE').length).toBeGreaterThan(3);
  });
});
