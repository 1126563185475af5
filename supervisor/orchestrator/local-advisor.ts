/**
 * The local advisor (issue #8 §8): the `Advisor` port without an API key — a bounded, seeded
 * random search over the parameters the active strategy declares (see parameters.ts), judged by
 * the same walk-forward backtests and promotion gate as any candidate. Deterministic given the
 * seed and the cycle: the same night proposes the same values.
 *
 * - decide: resumes a running candidate's shadow test (PROMOTE_CANDIDATE: the gate still
 *   decides), else proposes a parameter search (CREATE_CANDIDATE), else NO_CHANGE when the
 *   strategy declares no parameters;
 * - generateStrategy: draws untried grid values (seeded by seed, cycle and step; values named in
 *   earlier feedback are skipped) and substitutes them into the source;
 * - reviewCode: approves only a diff confined to the parameters block, with values in range;
 * - reviewBacktest: deploy when the out-of-sample PSR against the incumbent meets the gate's
 *   threshold (the report's `gatePreview`), else revise;
 * - reflect: appends a dated note to the strategy document (grades nothing);
 * - ask: says it cannot answer free-form questions.
 * Every call costs 0 tokens; `remainingToday` is unbounded.
 */
import type { z } from 'zod';
import {
  type Decision,
  ZERO_USAGE,
  askAnswerSchema,
  backtestReviewSchema,
  codeReviewSchema,
  decisionSchema,
  generatedCodeSchema,
  reflectionSchema,
} from '../../domain/advice/index.ts';
import type { Advisor, AdvisorCallOptions, AdvisorPurpose, AdvisorResult, DataBlock } from '../../domain/ports/index.ts';
import { assignmentKey, drawAssignment, parseParameters, seedOfText, seededUniform, substituteParameters } from './parameters.ts';

/** Model id recorded for local calls (thought spool, token_usage). */
export const LOCAL_MODEL = 'local-parameter-search';

/** Options of `createLocalAdvisor`. */
export interface LocalAdvisorOptions {
  /** Seed of the search (with the cycle id and step). */
  readonly seed: number;
  /** `promotion_min_psr`: the out-of-sample PSR a backtest must show to be deployed. */
  readonly minPsr: number;
  /** Clock for the records, ms UTC. */
  readonly now: () => number;
}

const PARAMETER_LINE = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*\{\s*value\s*:/;

function ok<T>(purpose: AdvisorPurpose, defaultStep: string, schema: z.ZodType<T>, raw: unknown, options: AdvisorCallOptions | undefined, now: () => number, summary: string): AdvisorResult<T> {
  const parsed = schema.safeParse(raw);
  const responseText = JSON.stringify(raw);
  const call = {
    model: LOCAL_MODEL,
    purpose,
    step: options?.step ?? defaultStep,
    cycleId: options?.cycleId ?? null,
    promptSummary: `local advisor ${purpose}: ${summary}`,
    responseText,
    thinkingText: '',
    parsed: parsed.success ? parsed.data : null,
    stopReason: 'end_turn',
    usage: ZERO_USAGE,
    costUsd: 0n,
    startedAtMs: now(),
    durationMs: 0,
    messageId: null,
    outcome: parsed.success ? ('ok' as const) : ('invalidResponse' as const),
    redactions: 0,
  };
  if (!parsed.success) return { ok: false, error: { kind: 'invalidResponse', reason: `local advisor produced an invalid ${purpose}: ${parsed.error.message}`, rawText: responseText }, call };
  return { ok: true, value: parsed.data, call };
}

function fail<T>(reason: string): AdvisorResult<T> {
  return { ok: false, error: { kind: 'invalidResponse', reason } };
}

function findBlock(data: readonly DataBlock[], kind: DataBlock['kind']): DataBlock | undefined {
  return data.find((b) => b.kind === kind);
}

const baseDecision = { marketObservations: '', crossReferenceFindings: '', changeRequest: null, targetSlot: null, positionHandling: null, evaluationDays: null, docFlag: false, flagReason: null, predictions: [] };

/** Creates the local advisor. */
export function createLocalAdvisor(options: LocalAdvisorOptions): Advisor {
  const now = options.now;
  return {
    async decide(input, o) {
      let running: { slot: number; version: string }[] = [];
      try {
        const candidates = findBlock(input.data, 'candidates');
        running = candidates ? ((JSON.parse(candidates.content) as { running?: { slot: number; version: string }[] }).running ?? []) : [];
      } catch {
        running = [];
      }
      let decision: Decision;
      const first = running[0];
      if (first) {
        decision = { ...baseDecision, decision: 'PROMOTE_CANDIDATE', reasoning: `candidate ${first.version} in slot ${first.slot} is shadow-testing: resume it; the promotion gate decides`, targetSlot: first.slot, positionHandling: 'keep' };
      } else {
        const code = findBlock(input.data, 'strategyCode')?.content ?? '';
        const params = parseParameters(code);
        decision = params.ok
          ? { ...baseDecision, decision: 'CREATE_CANDIDATE', reasoning: `parameter search over ${params.parameters.map((p) => p.name).join(', ')}`, changeRequest: `Parameter search: new grid values for ${params.parameters.map((p) => p.name).join(', ')}.` }
          : { ...baseDecision, decision: 'NO_CHANGE', reasoning: `nothing to search: ${params.reason}` };
      }
      return ok('decision', 'analysis', decisionSchema, decision, o, now, `${input.data.length} data blocks`);
    },

    async generateStrategy(input, o) {
      if (input.module !== 'strategy') return fail(`the local advisor only searches strategy parameters, not ${input.module} modules`);
      const params = parseParameters(input.currentSource);
      if (!params.ok) return fail(`cannot search: ${params.reason}`);
      const tried = new Set<string>();
      for (const f of input.feedback) for (const m of f.matchAll(/values \[([^\]]*)\]/g)) tried.add(m[1]!);
      const random = seededUniform(seedOfText(`${options.seed}:${o?.cycleId ?? ''}:${o?.step ?? ''}:${input.feedback.length}`));
      const values = drawAssignment(params.parameters, random, tried);
      if (values === null) return fail('the parameter grid is exhausted: every assignment was tried');
      const sub = substituteParameters(input.currentSource, values);
      if (!sub.ok) return fail(sub.reason);
      const key = assignmentKey(values);
      return ok(
        'generate',
        'code_gen',
        generatedCodeSchema,
        {
          source: sub.source,
          description: `Parameter search candidate: values [${key}]`,
          changeSummary: `Only the parameters block changed: values [${key}]`,
          parameters: params.parameters.map((p) => ({ name: p.name, value: values[p.name] ?? p.value, description: `range ${p.min}..${p.max} step ${p.step}` })),
        },
        o,
        now,
        `${params.parameters.length} parameters, ${tried.size} tried`,
      );
    },

    async reviewCode(input, o) {
      const params = parseParameters(input.source);
      const changed = input.diff
        .split('\n')
        .filter((l) => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('+++') && !l.startsWith('---'))
        .map((l) => l.slice(1));
      const outside = changed.filter((l) => !PARAMETER_LINE.test(l) && !/^\s*\/\//.test(l));
      const review = !params.ok
        ? { verdict: 'reject', summary: 'the parameters block does not parse', issues: [{ severity: 'blocker', location: 'parameters', problem: params.reason, fix: 'declare parameters as documented' }], revisionInstructions: 'restore a valid parameters block' }
        : outside.length > 0
          ? { verdict: 'reject', summary: 'the change touches code outside the parameters block', issues: [{ severity: 'blocker', location: null, problem: `changed lines outside parameters: ${outside.slice(0, 3).join(' | ')}`, fix: 'change only parameter values' }], revisionInstructions: 'change only parameter values' }
          : { verdict: 'approve', summary: `only parameter values changed (${changed.length / 2} lines), all within their declared ranges`, issues: [], revisionInstructions: null };
      return ok('reviewCode', 'code_review', codeReviewSchema, review, o, now, `${changed.length} changed lines`);
    },

    async reviewBacktest(input, o) {
      let preview: { passes?: boolean; psrOosVsIncumbent?: number | null; minPsr?: number } = {};
      try {
        preview = (JSON.parse(input.backtestReport) as { gatePreview?: typeof preview }).gatePreview ?? {};
      } catch {
        preview = {};
      }
      const psr = preview.psrOosVsIncumbent ?? null;
      const review =
        preview.passes === true
          ? { verdict: 'deploy', reasoning: `out-of-sample PSR vs the incumbent ${psr?.toFixed(3)} meets ${options.minPsr}`, concerns: ['chosen by a bounded random search: a shadow test must confirm it'], revisionInstructions: null }
          : { verdict: 'revise', reasoning: `out-of-sample PSR vs the incumbent ${psr === null ? 'n/a' : psr.toFixed(3)} is below ${options.minPsr}`, concerns: [], revisionInstructions: `draw other parameter values (refused: ${input.attempts.length + 1} so far)` };
      return ok('reviewBacktest', 'backtest_review', backtestReviewSchema, review, o, now, 'gate preview');
    },

    async reflect(input, o) {
      const stamp = new Date(now()).toISOString().slice(0, 10);
      const note = `\n\n## ${stamp} (local advisor)\nNo model reflection without an API key; ${input.openPredictions.length} predictions stay open.`;
      const doc = `${input.strategyDocument}${note}`.slice(-60_000);
      return ok('reflection', 'reflection', reflectionSchema, { gradedPredictions: [], strategyDocument: doc, summary: 'local advisor: note appended, nothing graded', newPredictions: [] }, o, now, `${input.data.length} data blocks`);
    },

    async ask(_input, o) {
      return ok('ask', 'user_ask', askAnswerSchema, { answer: 'The fund runs the local parameter-search advisor (no ANTHROPIC_API_KEY): it cannot answer free-form questions.' }, o, now, 'question');
    },

    remainingToday: () => Number.MAX_SAFE_INTEGER,
  };
}
