/**
 * The Claude advisor: the `Advisor` port on the real `@anthropic-ai/sdk` (or Vertex AI). Each
 * method builds its data blocks, picks the model and output cap of its role, and runs one
 * structured call (`call.ts`). Models, caps, prices and the daily limit come from the options
 * (the supervisor copies them from config); nothing here reads config or the environment.
 */
import {
  askAnswerSchema,
  backtestReviewSchema,
  checkDecisionSlots,
  checkGradedIds,
  codeReviewSchema,
  decisionSchema,
  generatedCodeSchema,
  modelPrice,
  reflectionSchema,
  unwrapCodeFence,
} from '../../domain/advice/index.ts';
import type { Advisor, DataBlock, ModuleKind } from '../../domain/ports/index.ts';
import { Reservations } from './budget.ts';
import { type CallContext, runCall } from './call.ts';
import { AdvisorOptionsError, type ClaudeAdvisorOptions, optionProblems } from './options.ts';
import { SYSTEM_PROMPTS } from './prompts/system.ts';
import { clientLoader } from './provider.ts';

const MODULE_TITLES: Readonly<Record<ModuleKind, string>> = {
  strategy: 'strategy',
  marketAnalysis: 'market analysis module',
  tradeAnalysis: 'trade performance module',
};

function block(kind: DataBlock['kind'], title: string, content: string): DataBlock {
  return { kind, title, content };
}

function codeKind(module: ModuleKind): DataBlock['kind'] {
  return module === 'strategy' ? 'strategyCode' : 'analysisCode';
}

function numbered(items: readonly string[], what: string): string {
  return items.length === 0 ? `(no ${what})` : items.map((t, i) => `${what} ${i + 1}:\n${t}`).join('\n\n');
}

/**
 * Creates the advisor. Throws `AdvisorOptionsError` (every problem listed) when the options are
 * unusable — a missing key or price is a wiring error, found at startup.
 */
export function createClaudeAdvisor(options: ClaudeAdvisorOptions): Advisor {
  const problems = optionProblems(options);
  if (problems.length > 0) throw new AdvisorOptionsError(problems);
  const now = options.now ?? Date.now;
  const prices = new Map(Object.entries(options.prices).map(([model, p]) => [model, modelPrice(p)]));
  const secrets = [...(options.secrets ?? []), ...(options.apiKey === undefined ? [] : [options.apiKey])].filter((s) => s !== '');
  const ctx: CallContext = {
    client: clientLoader(options),
    ledger: options.ledger,
    reservations: new Reservations(),
    dailyTokenLimit: options.dailyTokenLimit,
    requestTimeoutMs: options.requestTimeoutMs,
    attempts: (options.maxRetries ?? 2) + 1,
    prices,
    secrets,
    now,
  };
  const analysis = { model: options.analysisModel, maxOutputTokens: options.analysisMaxOutputTokens };
  const code = { model: options.codeModel, maxOutputTokens: options.codeMaxOutputTokens };

  return {
    decide: (input, o) =>
      runCall(
        ctx,
        {
          purpose: 'decision',
          defaultStep: 'analysis',
          ...analysis,
          system: SYSTEM_PROMPTS.decision,
          schema: decisionSchema,
          blocks: [block('strategyDocument', 'Strategy document', input.strategyDocument), block('candidates', 'Candidate slots configured', `max_candidates = ${input.maxCandidates} (slots 1..${input.maxCandidates})`), ...input.data],
          check: (d) => checkDecisionSlots(d, input.maxCandidates),
        },
        o,
      ),

    generateStrategy: (input, o) =>
      runCall(
        ctx,
        {
          purpose: 'generate',
          defaultStep: 'code_gen',
          ...code,
          system: SYSTEM_PROMPTS.generate,
          schema: generatedCodeSchema,
          blocks: [
            block(codeKind(input.module), `Current ${MODULE_TITLES[input.module]} source (module = ${input.module})`, input.currentSource === '' ? '(none: write it from scratch)' : input.currentSource),
            ...input.data,
            block('feedback', 'Why earlier attempts were refused', numbered(input.feedback, 'attempt')),
            block('changeRequest', `Change request for the ${MODULE_TITLES[input.module]}`, input.changeRequest),
          ],
          finish: (g) => ({ ...g, source: unwrapCodeFence(g.source) }),
        },
        o,
      ),

    reviewCode: (input, o) =>
      runCall(
        ctx,
        {
          purpose: 'reviewCode',
          defaultStep: 'code_review',
          ...analysis,
          system: SYSTEM_PROMPTS.reviewCode,
          schema: codeReviewSchema,
          blocks: [
            ...input.data,
            block(codeKind(input.module), `Proposed ${MODULE_TITLES[input.module]} source (module = ${input.module})`, input.source),
            block('diff', 'Diff against the current version', input.diff === '' ? '(new module: no current version)' : input.diff),
            block('changeRequest', 'What was asked for', input.changeRequest),
          ],
        },
        o,
      ),

    reviewBacktest: (input, o) =>
      runCall(
        ctx,
        {
          purpose: 'reviewBacktest',
          defaultStep: 'backtest_review',
          ...analysis,
          system: SYSTEM_PROMPTS.reviewBacktest,
          schema: backtestReviewSchema,
          blocks: [
            ...input.data,
            block('backtest', 'Candidate walk-forward backtest', input.backtestReport),
            block('backtest', 'Incumbent on the same data', input.incumbentReport === '' ? '(no incumbent report)' : input.incumbentReport),
            block('feedback', 'Earlier attempts this cycle', numbered(input.attempts, 'attempt')),
            block('changeRequest', 'What the candidate was meant to do', input.changeRequest),
          ],
        },
        o,
      ),

    reflect: (input, o) => {
      const ids = input.openPredictions.map((p) => p.id);
      return runCall(
        ctx,
        {
          purpose: 'reflection',
          defaultStep: 'reflection',
          ...analysis,
          system: SYSTEM_PROMPTS.reflection,
          schema: reflectionSchema,
          blocks: [
            block('strategyDocument', 'Current strategy document', input.strategyDocument),
            block('predictions', 'Open predictions (grade by id)', JSON.stringify(input.openPredictions.map((p) => ({ ...p, madeAt: new Date(p.madeAtMs).toISOString() })), null, 1)),
            ...input.data,
          ],
          check: (r) => checkGradedIds(r, ids),
        },
        o,
      );
    },

    ask: (input, o) =>
      runCall(
        ctx,
        {
          purpose: 'ask',
          defaultStep: 'user_ask',
          model: options.askModel,
          maxOutputTokens: options.askMaxOutputTokens,
          system: SYSTEM_PROMPTS.ask,
          schema: askAnswerSchema,
          blocks: [...input.data, block('question', 'Operator question', input.question)],
        },
        o,
      ),

    remainingToday: () => Math.max(0, options.dailyTokenLimit - options.ledger.tokensUsedOn(now()) - ctx.reservations.total()),
  };
}
