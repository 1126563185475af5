/** The nightly decision schema: the closed set and what each kind needs (and must not carry). */
import { describe, expect, it } from 'vitest';
import { DECISION_KINDS, checkDecisionSlots, decisionSchema, parseAdvice, type Decision } from '../../../domain/advice/index.ts';

const base: Decision = {
  decision: 'NO_CHANGE',
  reasoning: 'nothing new',
  marketObservations: '',
  crossReferenceFindings: '',
  changeRequest: null,
  targetSlot: null,
  positionHandling: null,
  evaluationDays: null,
  docFlag: false,
  flagReason: null,
  predictions: [],
};

const parse = (v: unknown) => parseAdvice(decisionSchema, JSON.stringify(v));
const reason = (v: unknown) => {
  const r = parse(v);
  return r.ok ? null : r.reason;
};

describe('decisionSchema', () => {
  it('the closed set is the predecessor HEAD set', () => {
    expect(DECISION_KINDS).toEqual(['NO_CHANGE', 'CREATE_CANDIDATE', 'CANCEL_CANDIDATE', 'PROMOTE_CANDIDATE', 'MARKET_ANALYSIS_UPDATE', 'TRADE_ANALYSIS_UPDATE']);
  });

  it('accepts one valid example of each kind', () => {
    const valid: Decision[] = [
      base,
      { ...base, decision: 'CREATE_CANDIDATE', changeRequest: 'add a trailing stop', evaluationDays: 14 },
      { ...base, decision: 'CREATE_CANDIDATE', changeRequest: 'replace slot 2', targetSlot: 2 },
      { ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 1 },
      { ...base, decision: 'PROMOTE_CANDIDATE', targetSlot: 3, positionHandling: 'closeAll' },
      { ...base, decision: 'MARKET_ANALYSIS_UPDATE', changeRequest: 'add realized volatility' },
      { ...base, decision: 'TRADE_ANALYSIS_UPDATE', changeRequest: 'add expectancy by intent', docFlag: true, flagReason: 'first module change' },
    ];
    for (const d of valid) expect(parse(d)).toEqual({ ok: true, value: d });
  });

  it('refuses kinds outside the set, including the predecessor REF kinds', () => {
    expect(reason({ ...base, decision: 'STRATEGY_TWEAK' })).toBe(
      'does not match the schema: decision: must be one of NO_CHANGE, CREATE_CANDIDATE, CANCEL_CANDIDATE, PROMOTE_CANDIDATE, MARKET_ANALYSIS_UPDATE, TRADE_ANALYSIS_UPDATE, got "STRATEGY_TWEAK"',
    );
    expect(reason({ ...base, decision: 'no_change' })).toContain('decision: must be one of');
  });

  it('each kind demands what it needs', () => {
    expect(reason({ ...base, decision: 'CREATE_CANDIDATE' })).toBe('does not match the schema: changeRequest: is required for CREATE_CANDIDATE (what to build or change)');
    expect(reason({ ...base, decision: 'MARKET_ANALYSIS_UPDATE', changeRequest: '   ' })).toContain('changeRequest: is required for MARKET_ANALYSIS_UPDATE');
    expect(reason({ ...base, decision: 'CANCEL_CANDIDATE' })).toBe('does not match the schema: targetSlot: is required for CANCEL_CANDIDATE (a slot 1..10)');
    expect(reason({ ...base, decision: 'PROMOTE_CANDIDATE', targetSlot: 1 })).toBe("does not match the schema: positionHandling: is required for PROMOTE_CANDIDATE ('keep' or 'closeAll')");
    expect(reason({ ...base, docFlag: true })).toBe('does not match the schema: flagReason: is required when docFlag is true');
  });

  it('fields of other kinds must be null, so a confused answer is not half-applied', () => {
    expect(reason({ ...base, changeRequest: 'do something' })).toContain('changeRequest: must be null for NO_CHANGE');
    expect(reason({ ...base, targetSlot: 1 })).toContain('targetSlot: must be null for NO_CHANGE');
    expect(reason({ ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 1, positionHandling: 'keep' })).toContain('positionHandling: must be null for CANCEL_CANDIDATE');
    expect(reason({ ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 1, evaluationDays: 3 })).toContain('evaluationDays: must be null for CANCEL_CANDIDATE');
  });

  it('shape: required fields, integer slots, no unknown fields', () => {
    const { reasoning: _, ...noReasoning } = base;
    expect(reason(noReasoning)).toBe('does not match the schema: reasoning: is required');
    expect(reason({ ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 1.5 })).toContain('targetSlot: must be an integer');
    expect(reason({ ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 11 })).toContain('targetSlot: must be ≤ 10, got 11');
    expect(reason({ ...base, risk_tier: 2 })).toBe('does not match the schema: unknown field "risk_tier"');
    expect(reason({ ...base, reasoning: '' })).toBe('does not match the schema: reasoning: must not be empty, got ""');
  });

  it('predictions: the predecessor fields, confidence in a closed set, at most 20', () => {
    const p = { claim: 'c', evidence: '', falsification: 'f', confidence: 'high', timeframe: '7 days', category: 'regime' };
    expect(parse({ ...base, predictions: [p] }).ok).toBe(true);
    expect(reason({ ...base, predictions: [{ ...p, confidence: 'certain' }] })).toContain('predictions[0].confidence: must be one of low, medium, high');
    expect(reason({ ...base, predictions: [{ ...p, falsification: '' }] })).toContain('predictions[0].falsification: must not be empty');
    expect(reason({ ...base, predictions: Array.from({ length: 21 }, () => p) })).toContain('predictions: must have at most 20 items, got 21');
  });
});

describe('checkDecisionSlots', () => {
  it('a slot must exist in tonight\'s configuration', () => {
    const cancel: Decision = { ...base, decision: 'CANCEL_CANDIDATE', targetSlot: 4 };
    expect(checkDecisionSlots(cancel, 3)).toBe('targetSlot: 4 does not exist; slots are 1..3 (max_candidates)');
    expect(checkDecisionSlots(cancel, 4)).toBeNull();
    expect(checkDecisionSlots(base, 1)).toBeNull();
  });
});
