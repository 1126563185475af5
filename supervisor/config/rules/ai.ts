import type { ConfigRule } from './rule.ts';

/** Models, prices and the AI provider. */
export const aiRules: readonly ConfigRule[] = [
  {
    name: 'models_have_prices',
    severity: 'error',
    reads: ['ai.analysis_model', 'ai.code_model', 'ai.ask_model', 'ai.prices'],
    check: ({ ai }) =>
      (
        [
          ['ai.analysis_model', ai.analysisModel],
          ['ai.code_model', ai.codeModel],
          ['ai.ask_model', ai.askModel],
        ] as const
      )
        .filter(([, model]) => !Object.hasOwn(ai.prices, model))
        .map(([key, model]) => ({
          key,
          value: model,
          message: `has no entry in [ai.prices], so its cost could not be counted against the budget`,
          allowed: `a model listed in [ai.prices] (${Object.keys(ai.prices).join(', ')}), or add [ai.prices."${model}"]`,
        })),
  },
  {
    name: 'vertex_needs_project',
    severity: 'error',
    reads: ['ai.provider', 'ai.vertex.project_id'],
    check: ({ ai }) =>
      ai.provider === 'vertex' && ai.vertex.projectId === ''
        ? [
            {
              key: 'ai.vertex.project_id',
              value: '',
              message: 'is empty but ai.provider = "vertex"',
              allowed: 'your Google Cloud project id',
            },
          ]
        : [],
  },
  {
    name: 'anthropic_key_missing',
    severity: 'warning',
    reads: ['ai.provider'],
    check: ({ ai, secrets }) =>
      ai.provider === 'anthropic' && secrets.anthropicApiKey === undefined
        ? [
            {
              key: 'env.ANTHROPIC_API_KEY',
              value: undefined,
              message: 'is not set: the orchestrator runs the local parameter-search advisor and /ask is unavailable',
              allowed: 'an Anthropic API key in the environment',
            },
          ]
        : [],
  },
];
