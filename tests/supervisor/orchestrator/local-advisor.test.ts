/**
 * The local advisor: declared parameters (parse, substitute, seeded draws), its answers through
 * the Advisor port, `selectAdvisor`, and a whole cycle without an API key — deterministic given
 * the seed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decisionSchema } from '../../../domain/advice/index.ts';
import { unifiedDiff } from '../../../strategies/loader/index.ts';
import {
  createLocalAdvisor,
  createStoreBudgetLedger,
  drawAssignment,
  gridSize,
  parseParameters,
  seededUniform,
  selectAdvisor,
  substituteParameters,
} from '../../../supervisor/orchestrator/index.ts';
import { tempStore } from '../../strategies/loader/support.ts';
import { PRICES } from '../../adapters/anthropic/support.ts';
import { INCUMBENT, crossoverSource, harness, runCycle, type Harness } from './support.ts';

const source = crossoverSource(INCUMBENT);

describe('declared parameters', () => {
  it('parses the block, with ranges and steps', () => {
    const p = parseParameters(source);
    expect(p).toEqual({
      ok: true,
      parameters: [
        { name: 'fast', value: 12, min: 2, max: 20, step: 1 },
        { name: 'slow', value: 30, min: 10, max: 60, step: 2 },
        { name: 'stop', value: 0.004, min: 0.002, max: 0.03, step: 0.002 },
        { name: 'target', value: 0.006, min: 0.002, max: 0.05, step: 0.002 },
      ],
    });
    if (p.ok) expect(p.parameters.map(gridSize)).toEqual([19, 26, 15, 25]);
  });

  it('names what is wrong with a bad block', () => {
    expect(parseParameters('export function analyze() { return []; }')).toMatchObject({ ok: false, reason: expect.stringContaining('declares no tunable parameters') });
    expect(parseParameters('export const parameters = {\n  a: { value: 30, min: 1, max: 20, step: 1 },\n};')).toEqual({ ok: false, reason: 'line 2: a: value 30 is outside [1, 20]' });
    expect(parseParameters('export const parameters = {\n  a: 3,\n};')).toMatchObject({ ok: false, reason: expect.stringContaining('line 2: expected') });
  });

  it('substitutes values and nothing else; refuses unknown names and out-of-range values', () => {
    const s = substituteParameters(source, { fast: 7, stop: 0.012 });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const diff = unifiedDiff(source, s.source, 'a', 'b').split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(diff).toEqual([
      '-  fast: { value: 12, min: 2, max: 20, step: 1 },',
      '+  fast: { value: 7, min: 2, max: 20, step: 1 },',
      '-  stop: { value: 0.004, min: 0.002, max: 0.03, step: 0.002 },',
      '+  stop: { value: 0.012, min: 0.002, max: 0.03, step: 0.002 },',
    ]);
    expect(substituteParameters(source, { nope: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown parameter "nope"') });
    expect(substituteParameters(source, { fast: 99 })).toEqual({ ok: false, reason: 'fast: 99 is outside [2, 20]' });
  });

  it('draws grid values deterministically from a seed, never the current or a tried assignment', () => {
    const p = parseParameters(source);
    if (!p.ok) throw new Error(p.reason);
    const a = drawAssignment(p.parameters, seededUniform(42), new Set());
    const b = drawAssignment(p.parameters, seededUniform(42), new Set());
    expect(a).toEqual(b);
    for (const spec of p.parameters) {
      const v = a![spec.name]!;
      expect(v).toBeGreaterThanOrEqual(spec.min);
      expect(v).toBeLessThanOrEqual(spec.max);
      expect(Math.abs((v - spec.min) / spec.step - Math.round((v - spec.min) / spec.step))).toBeLessThan(1e-9);
    }
    const tiny = [{ name: 'x', value: 1, min: 1, max: 2, step: 1 }];
    expect(drawAssignment(tiny, seededUniform(1), new Set())).toEqual({ x: 2 });
    expect(drawAssignment(tiny, seededUniform(1), new Set(['x=2']))).toBeNull();
  });
});

describe('the local advisor through the port', () => {
  const advisor = createLocalAdvisor({ seed: 7, minPsr: 0.9, now: () => 1_700_000_000_000 });

  it('decides CREATE_CANDIDATE for a strategy with parameters, NO_CHANGE without, PROMOTE_CANDIDATE to resume a running one', async () => {
    const create = await advisor.decide({ strategyDocument: 'doc', data: [{ kind: 'strategyCode', title: 'Active', content: source }], maxCandidates: 2 });
    expect(create.ok && create.value.decision).toBe('CREATE_CANDIDATE');
    expect(create.ok && decisionSchema.safeParse(create.value).success).toBe(true);
    const none = await advisor.decide({ strategyDocument: 'doc', data: [{ kind: 'strategyCode', title: 'Active', content: 'export function analyze() { return []; }' }], maxCandidates: 2 });
    expect(none.ok && none.value).toMatchObject({ decision: 'NO_CHANGE' });
    const resume = await advisor.decide({ strategyDocument: 'doc', data: [{ kind: 'candidates', title: 'Candidates', content: JSON.stringify({ running: [{ slot: 2, version: 'v004' }] }) }], maxCandidates: 2 });
    expect(resume.ok && resume.value).toMatchObject({ decision: 'PROMOTE_CANDIDATE', targetSlot: 2 });
    expect(create.ok && create.call).toMatchObject({ model: 'local-parameter-search', costUsd: 0n, outcome: 'ok' });
  });

  it('generates by substitution (same seed, cycle and step → same code) and approves only parameter changes', async () => {
    const ask = (step: string) => advisor.generateStrategy({ module: 'strategy', changeRequest: 'search', currentSource: source, feedback: [], data: [] }, { cycleId: 'c1', step });
    const [a, b, c] = await Promise.all([ask('s1'), ask('s1'), ask('s2')]);
    expect(a.ok && b.ok && a.value.source === b.value.source).toBe(true);
    expect(a.ok && c.ok && a.value.source !== c.value.source).toBe(true);
    if (!a.ok) return;
    const review = await advisor.reviewCode({ module: 'strategy', changeRequest: 'search', source: a.value.source, diff: unifiedDiff(source, a.value.source, 'v001', 'v002'), data: [] });
    expect(review.ok && review.value.verdict).toBe('approve');
    const tampered = a.value.source.replace('return out;', 'return [];');
    const refused = await advisor.reviewCode({ module: 'strategy', changeRequest: 'search', source: tampered, diff: unifiedDiff(source, tampered, 'v001', 'v002'), data: [] });
    expect(refused.ok && refused.value.verdict).toBe('reject');
  });

  it('deploys only a backtest whose out-of-sample PSR meets the threshold', async () => {
    const pass = await advisor.reviewBacktest({ changeRequest: 'x', backtestReport: JSON.stringify({ gatePreview: { passes: true, psrOosVsIncumbent: 0.97 } }), incumbentReport: '', attempts: [], data: [] });
    const fail = await advisor.reviewBacktest({ changeRequest: 'x', backtestReport: JSON.stringify({ gatePreview: { passes: false, psrOosVsIncumbent: 0.4 } }), incumbentReport: '', attempts: [], data: [] });
    expect(pass.ok && pass.value.verdict).toBe('deploy');
    expect(fail.ok && fail.value).toMatchObject({ verdict: 'revise' });
  });
});

describe('selectAdvisor', () => {
  const store = tempStore();
  const ai = {
    provider: 'anthropic' as const,
    analysisModel: 'claude-opus-5-5',
    codeModel: 'claude-sonnet-5-5',
    askModel: 'claude-haiku-5-5',
    analysisMaxOutputTokens: 16_384,
    codeMaxOutputTokens: 16_384,
    askMaxOutputTokens: 4096,
    dailyTokenLimit: 1_500_000,
    requestTimeoutSeconds: 300,
    prices: PRICES,
    vertex: { projectId: '', region: 'us-east5' },
  };
  const wiring = { ledger: createStoreBudgetLedger(store.repos, 'UTC'), now: () => 0, seed: 1 };

  it('is local without ANTHROPIC_API_KEY and claude with one', () => {
    expect(selectAdvisor({ ai: ai as never, promotionMinPsr: 0.95 }, {}, wiring).mode).toBe('local');
    expect(selectAdvisor({ ai: ai as never, promotionMinPsr: 0.95 }, { ANTHROPIC_API_KEY: '  ' }, wiring).mode).toBe('local');
    const claude = selectAdvisor({ ai: ai as never, promotionMinPsr: 0.95 }, { ANTHROPIC_API_KEY: 'sk-ant-0123456789' }, wiring);
    expect(claude.mode).toBe('claude');
    expect(claude.advisor.remainingToday()).toBe(1_500_000);
    store.close();
  });
});

describe('a cycle with the local advisor (no API key)', () => {
  let hs: Harness[] = [];
  afterEach(async () => {
    for (const h of hs) await h.close();
    hs = [];
  });

  async function night(): Promise<{ states: string[]; versions: string[]; outcome: unknown; thoughts: string[] }> {
    const h = await harness({ advisor: { advisor: createLocalAdvisor({ seed: 11, minPsr: 0.6, now: () => 0 }), mode: 'local' } });
    hs.push(h);
    const rest = await runCycle(h);
    const r = h.store.repos;
    return {
      states: [...h.states, rest],
      versions: r.strategyVersions.list(10).map((v) => `${v.version}:${v.codeHash.slice(0, 12)}`),
      outcome: h.actor.getSnapshot().context.lastOutcome ?? h.actor.getSnapshot().context.cycle?.candidateVersion,
      thoughts: r.thoughts.list(50).map((t) => `${t.step}:${t.model}`),
    };
  }

  it('searches parameters through the same pipeline and is deterministic given the seed', async () => {
    const a = await night();
    // Seed 11: the first draw's out-of-sample PSR is below the gate (revise), the second deploys.
    expect(a.states).toEqual(['idle', 'scheduled', 'gathering', 'deciding', 'generating', 'validating', 'reviewing', 'backtesting', 'generating', 'validating', 'reviewing', 'backtesting', 'shadowTesting', 'shadowTesting']);
    expect(a.outcome).toBe('v003');
    expect(a.thoughts).toContain('analysis:local-parameter-search');
    expect(a.versions.map((v) => v.slice(0, 4))).toEqual(['v003', 'v002', 'v001']);
    const b = await night();
    expect(b).toEqual(a);
  }, 60_000);
});
