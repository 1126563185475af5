import { z } from 'zod';
import { configMeta, integer, MODEL_ID, oneOf, section, text } from '../fields.ts';

const USD_PER_MTOK = { min: 0, max: 1000 } as const;

/** One price of a model, USD per million tokens; required in every price entry (no default). */
function price(doc: string) {
  return z
    .number()
    .gte(USD_PER_MTOK.min)
    .lte(USD_PER_MTOK.max)
    .register(configMeta, {
      kind: 'number',
      bounds: { ...USD_PER_MTOK, minExclusive: false, maxExclusive: false, integer: false },
      doc,
      allowed: `a number with ${USD_PER_MTOK.min} ≤ x ≤ ${USD_PER_MTOK.max} (USD per million tokens)`,
    });
}

const ModelPrice = z.strictObject({
  input: price('USD per million input tokens.'),
  output: price('USD per million output tokens (thinking tokens are billed as output).'),
  cache_write: price('USD per million tokens written to the prompt cache (5-minute TTL).'),
  cache_read: price('USD per million tokens read from the prompt cache.'),
});

/**
 * Prices from the platform pricing page as of 2026-11 (reference/ecosystem.md §4), USD per
 * million tokens. Re-check before relying on them; they only drive cost accounting and budgets.
 */
const DEFAULT_PRICES = {
  'claude-opus-5-5': { input: 4, output: 20, cache_write: 5, cache_read: 0.2 },
  'claude-sonnet-5-5': { input: 2, output: 10, cache_write: 2.5, cache_read: 0.2 },
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cache_write: 0.125, cache_read: 0.01 },
};

const prices = z
  .record(z.string().regex(MODEL_ID), ModelPrice)
  .register(configMeta, {
    kind: 'map',
    doc: 'Price table keyed by model id: [ai.prices."<model id>"] with input, output, cache_write and cache_read in USD per million tokens. Every model named above needs an entry. Writing this table replaces the whole default table.',
    keyAllowed: 'a model id such as "claude-opus-5-5"',
  })
  .prefault(DEFAULT_PRICES);

const maxOutput = (fallback: number, doc: string) => integer({ default: fallback, min: 1, max: 128_000, doc });

/** `[ai]`: models, output caps, prices and the daily token budget. */
export const ai = section('The AI advisor: models by role, output caps, prices and the daily token budget (key ANTHROPIC_API_KEY).', {
  provider: oneOf({
    values: ['anthropic', 'vertex'],
    default: 'anthropic',
    doc: 'anthropic uses the Anthropic API with ANTHROPIC_API_KEY; vertex uses Google Vertex AI with [ai.vertex].',
  }),
  analysis_model: text({
    default: 'claude-opus-5-5',
    format: 'modelId',
    doc: 'Model for nightly decisions, code and backtest reviews, and reflection (the predecessor\'s opus_model).',
  }),
  code_model: text({
    default: 'claude-sonnet-5-5',
    format: 'modelId',
    doc: 'Model that writes strategy and analysis-module code (the predecessor\'s sonnet_model).',
  }),
  ask_model: text({
    default: 'claude-haiku-5-5',
    format: 'modelId',
    doc: 'Model that answers /ask questions (the predecessor\'s haiku_model).',
  }),
  analysis_max_output_tokens: maxOutput(16_384, 'Output cap of one analysis_model call, in tokens (thinking included).'),
  code_max_output_tokens: maxOutput(16_384, 'Output cap of one code_model call, in tokens.'),
  ask_max_output_tokens: maxOutput(4096, 'Output cap of one ask_model call, in tokens.'),
  daily_token_limit: integer({
    default: 1_500_000,
    min: 1000,
    max: 1_000_000_000,
    doc: 'Tokens (input + output, all models) allowed per local day; every AI call is refused once it is reached.',
  }),
  request_timeout_seconds: integer({
    default: 300,
    min: 10,
    max: 3600,
    doc: 'Client timeout of one AI request, in seconds (retries and backoff come on top).',
  }),
  vertex: section('Google Vertex AI, used when provider = "vertex" (credentials via GOOGLE_APPLICATION_CREDENTIALS).', {
    project_id: text({ default: '', format: 'gcpProject', doc: 'Google Cloud project id; required when provider = "vertex".' }),
    region: text({ default: 'us-east5', format: 'gcpRegion', doc: 'Vertex AI region.' }),
  }),
  prices,
});
