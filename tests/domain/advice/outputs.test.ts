/** Code generation, code review, backtest review, reflection and ask schemas, and the parser's reasons. */
import { describe, expect, it } from 'vitest';
import {
  askAnswerSchema,
  backtestReviewSchema,
  checkGradedIds,
  codeReviewSchema,
  generatedCodeSchema,
  parseAdvice,
  reflectionSchema,
  unwrapCodeFence,
} from '../../../domain/advice/index.ts';

const reasonOf = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) => (r.ok ? null : r.reason);

describe('parseAdvice', () => {
  it('empty, not JSON, truncated, schema errors: each a reason, never a default', () => {
    expect(parseAdvice(askAnswerSchema, '  ')).toEqual({ ok: false, reason: 'empty response: no JSON text' });
    expect(reasonOf(parseAdvice(askAnswerSchema, 'Sure! {"answer":'))).toMatch(/^not valid JSON \(.+\); 16 characters received$/);
    expect(reasonOf(parseAdvice(askAnswerSchema, '{"answer": "cut off'))).toMatch(/^not valid JSON/);
    expect(parseAdvice(askAnswerSchema, '{"answer": 42}')).toEqual({ ok: false, reason: 'does not match the schema: answer: must be a string, got 42' });
    expect(parseAdvice(askAnswerSchema, '{"answer": "yes"}')).toEqual({ ok: true, value: { answer: 'yes' } });
  });

  it('lists at most 10 issues and says how many more', () => {
    const r = parseAdvice(reflectionSchema, JSON.stringify({ gradedPredictions: Array.from({ length: 12 }, () => ({})), strategyDocument: 'x'.repeat(60), summary: 's', newPredictions: [] }));
    expect(reasonOf(r)).toMatch(/; and \d+ more$/);
  });
});

describe('generatedCodeSchema', () => {
  const g = { source: 'export function analyze() { return []; }', description: 'd', changeSummary: '', parameters: [{ name: 'RSI_LOW', value: 30, description: 'oversold' }] };
  it('accepts a module with declared parameters of number, string or boolean', () => {
    const params = [...g.parameters, { name: 'MODE', value: 'swing', description: '' }, { name: 'USE_ATR', value: true, description: '' }];
    expect(parseAdvice(generatedCodeSchema, JSON.stringify({ ...g, parameters: params })).ok).toBe(true);
  });
  it('refuses empty source, bad or duplicate parameter names', () => {
    expect(reasonOf(parseAdvice(generatedCodeSchema, JSON.stringify({ ...g, source: '' })))).toContain('source: must not be empty');
    expect(reasonOf(parseAdvice(generatedCodeSchema, JSON.stringify({ ...g, parameters: [{ name: '9x', value: 1, description: '' }] })))).toContain('parameters[0].name:');
    expect(reasonOf(parseAdvice(generatedCodeSchema, JSON.stringify({ ...g, parameters: [g.parameters[0], g.parameters[0]] })))).toContain('parameters[1].name: duplicate parameter name "RSI_LOW"');
  });
});

describe('unwrapCodeFence', () => {
  it('unwraps a source that is exactly one fence, with or without a language', () => {
    expect(unwrapCodeFence('```ts\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(unwrapCodeFence('  ```\r\nconst a = 1;\r\n```\n')).toBe('const a = 1;');
    expect(unwrapCodeFence('```javascript\nline1\n\nline2\n```')).toBe('line1\n\nline2');
  });
  it('leaves anything else alone', () => {
    expect(unwrapCodeFence('const a = 1;')).toBe('const a = 1;');
    expect(unwrapCodeFence('// a comment with ``` inside\nconst a = 1;')).toBe('// a comment with ``` inside\nconst a = 1;');
    expect(unwrapCodeFence('text\n```ts\ncode\n```')).toBe('text\n```ts\ncode\n```');
  });
});

describe('codeReviewSchema', () => {
  const issue = { severity: 'blocker', location: 'analyze', problem: 'no stop-loss', fix: 'add one' };
  it('an approval cannot list a blocker', () => {
    expect(reasonOf(parseAdvice(codeReviewSchema, JSON.stringify({ verdict: 'approve', summary: 's', issues: [issue], revisionInstructions: null })))).toBe(
      'does not match the schema: issues[0].severity: a blocker issue contradicts verdict approve',
    );
  });
  it('a rejection must say why', () => {
    expect(reasonOf(parseAdvice(codeReviewSchema, JSON.stringify({ verdict: 'reject', summary: 's', issues: [], revisionInstructions: null })))).toBe(
      'does not match the schema: revisionInstructions: a rejection needs at least one issue or revision instructions',
    );
    expect(parseAdvice(codeReviewSchema, JSON.stringify({ verdict: 'reject', summary: 's', issues: [issue], revisionInstructions: 'add a stop' })).ok).toBe(true);
  });
});

describe('backtestReviewSchema', () => {
  it('revise needs instructions; deploy and abandon do not', () => {
    const r = { verdict: 'revise', reasoning: 'overfit', concerns: [], revisionInstructions: null };
    expect(reasonOf(parseAdvice(backtestReviewSchema, JSON.stringify(r)))).toBe('does not match the schema: revisionInstructions: is required for verdict revise');
    expect(parseAdvice(backtestReviewSchema, JSON.stringify({ ...r, verdict: 'abandon' })).ok).toBe(true);
    expect(parseAdvice(backtestReviewSchema, JSON.stringify({ ...r, verdict: 'deploy', concerns: ['few trades'] })).ok).toBe(true);
  });
});

describe('reflectionSchema', () => {
  const g = { predictionId: 3, grade: 'refuted', evidence: 'BTC fell 9%', learning: '' };
  const r = { gradedPredictions: [g], strategyDocument: '# Principles\n'.padEnd(60, '.'), summary: 's', newPredictions: [] };
  it('grades: closed set, each id once; the document at least 50 characters', () => {
    expect(parseAdvice(reflectionSchema, JSON.stringify(r)).ok).toBe(true);
    expect(reasonOf(parseAdvice(reflectionSchema, JSON.stringify({ ...r, gradedPredictions: [g, g] })))).toContain('gradedPredictions[1].predictionId: prediction 3 is graded twice');
    expect(reasonOf(parseAdvice(reflectionSchema, JSON.stringify({ ...r, gradedPredictions: [{ ...g, grade: 'partially_confirmed' }] })))).toContain(
      'must be one of confirmed, refuted, partiallyConfirmed, inconclusive',
    );
    expect(reasonOf(parseAdvice(reflectionSchema, JSON.stringify({ ...r, strategyDocument: 'too short' })))).toContain('strategyDocument: must have at least 50 characters');
  });
  it('checkGradedIds: only ids that were open', () => {
    const value = reflectionSchema.parse(r);
    expect(checkGradedIds(value, [1, 2, 3])).toBeNull();
    expect(checkGradedIds(value, [1, 2])).toBe('gradedPredictions: unknown prediction id(s) 3; open ids are 1, 2');
  });
});
