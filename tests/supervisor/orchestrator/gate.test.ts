/** The promotion gate: trades, duration, deadline (inconclusive), PSR vs the incumbent, breaches, veto. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateGate, psrAgainst, tradeSharpe, type GateInput } from '../../../supervisor/orchestrator/index.ts';
import { runs } from '../../support/runs.ts';

const DAY = 86_400_000;
const rules = { minTrades: 5, minDurationMs: 7 * DAY, minPsr: 0.95 };
const good = [0.012, 0.008, 0.015, 0.01, 0.011, 0.009, 0.013, 0.007];
const bad = [-0.01, 0.002, -0.004, 0.001, -0.006, -0.002];
const base: GateInput = { nowMs: 10 * DAY, shadowStartedAtMs: 0, deadlineMs: 14 * DAY, candidateOos: good, incumbentOos: bad, candidateShadow: good, incumbentShadow: bad, breaches: 0, veto: null };

describe('promotion gate', () => {
  it('passes with enough trades, duration and PSR above the threshold out of sample and in shadow', () => {
    const r = evaluateGate(base, rules);
    expect(r.verdict).toBe('passed');
    expect(r.psrOos!).toBeGreaterThan(0.95);
    expect(r.psrShadow!).toBeGreaterThan(0.95);
  });

  it('is pending before the minimum duration and before enough trades, inconclusive at the deadline', () => {
    expect(evaluateGate({ ...base, nowMs: 3 * DAY }, rules).verdict).toBe('pending');
    expect(evaluateGate({ ...base, candidateShadow: good.slice(0, 4) }, rules)).toMatchObject({ verdict: 'pending', reasons: ['4 of 5 shadow trades so far'] });
    expect(evaluateGate({ ...base, nowMs: 14 * DAY, candidateShadow: good.slice(0, 4) }, rules)).toMatchObject({ verdict: 'inconclusive', reasons: ['4 shadow trades by the deadline, 5 needed'] });
  });

  it('fails on a breach or a veto whatever the numbers', () => {
    expect(evaluateGate({ ...base, breaches: 1 }, rules)).toMatchObject({ verdict: 'failed', reasons: ['1 shadow risk-limit breach(es)'] });
    expect(evaluateGate({ ...base, veto: 'too risky' }, rules)).toMatchObject({ verdict: 'failed', reasons: ['vetoed by the operator: too risky'] });
  });

  it('a candidate that does not beat the incumbent waits, then fails at the deadline', () => {
    const same = { ...base, candidateShadow: bad.concat(bad), incumbentShadow: good };
    expect(evaluateGate(same, rules).verdict).toBe('pending');
    const r = evaluateGate({ ...same, nowMs: 14 * DAY }, rules);
    expect(r.verdict).toBe('failed');
    expect(r.reasons[0]).toMatch(/^shadow PSR 0\.\d{3} vs incumbent is below 0.95$/);
  });

  it('an out-of-sample record too short for a PSR never passes', () => {
    expect(evaluateGate({ ...base, nowMs: 14 * DAY, candidateOos: [0.01] }, rules)).toMatchObject({ verdict: 'failed', psrOos: null });
  });

  it('PSR against a better incumbent is lower than against a worse one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 3, maxLength: 30 }), fc.double({ min: 0.001, max: 0.02, noNaN: true }), (xs, shift) => {
        const c = tradeSharpe(xs);
        fc.pre(c !== null);
        const worse = xs.map((x) => x - shift);
        const better = xs.map((x) => x + shift);
        const vsWorse = psrAgainst(xs, worse);
        const vsBetter = psrAgainst(xs, better);
        fc.pre(vsWorse !== null && vsBetter !== null && tradeSharpe(worse) !== null && tradeSharpe(better) !== null);
        expect(vsWorse!).toBeGreaterThanOrEqual(vsBetter! - 1e-12);
      }),
      { numRuns: runs(100) },
    );
  });
});
