/**
 * Options of the Claude advisor: plain values the supervisor copies from `[ai]` and
 * `[orchestrator]` (camelCased config) plus the secrets and the budget ledger. Checked once at
 * construction; every problem is listed.
 */
import type { ModelPriceNumbers } from '../../domain/advice/index.ts';
import type { BudgetLedger } from '../../domain/ports/index.ts';

/** Which API serves the calls (`ai.provider`). */
export type AdvisorProvider = 'anthropic' | 'vertex';

/** Options of `createClaudeAdvisor`. */
export interface ClaudeAdvisorOptions {
  /** `ai.provider`. */
  readonly provider: AdvisorProvider;
  /** ANTHROPIC_API_KEY (provider anthropic). Sent only as the SDK's auth header, never in a prompt. */
  readonly apiKey?: string;
  /** API base URL (default https://api.anthropic.com); tests point it at the fake. */
  readonly baseURL?: string;
  /** `[ai.vertex]` (provider vertex); credentials come from Google's default chain. */
  readonly vertex?: { readonly projectId: string; readonly region: string; readonly baseURL?: string };
  /** Model ids by role (`ai.analysis_model`, `ai.code_model`, `ai.ask_model`). */
  readonly analysisModel: string;
  readonly codeModel: string;
  readonly askModel: string;
  /** Output caps by role, tokens (thinking included). */
  readonly analysisMaxOutputTokens: number;
  readonly codeMaxOutputTokens: number;
  readonly askMaxOutputTokens: number;
  /** `ai.daily_token_limit`: tokens per local day, all models. */
  readonly dailyTokenLimit: number;
  /** `ai.request_timeout_seconds` × 1000: one request's timeout, ms (retries come on top; the cycle deadline bounds all). */
  readonly requestTimeoutMs: number;
  /** SDK retries on 408/409/429/5xx/connection errors, with its backoff (default 2, i.e. 3 attempts). */
  readonly maxRetries?: number;
  /** `ai.prices`: USD per million tokens by model id; every model above needs an entry. */
  readonly prices: Readonly<Record<string, ModelPriceNumbers>>;
  /** Where today's tokens are counted. */
  readonly ledger: BudgetLedger;
  /** Secret values (exchange keys, bot tokens, API tokens…) that must never reach a prompt; the API key is always included. */
  readonly secrets?: readonly string[];
  /** Clock, ms since epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Loads `@anthropic-ai/vertex-sdk` (default: dynamic import). */
  readonly loadVertexSdk?: () => Promise<unknown>;
}

/** Thrown by `createClaudeAdvisor` for invalid options (a wiring or config error); lists every problem. */
export class AdvisorOptionsError extends Error {
  override readonly name = 'AdvisorOptionsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid advisor options:\n- ${problems.join('\n- ')}`);
  }
}

/** All problems with `o`, empty when it is usable. */
export function optionProblems(o: ClaudeAdvisorOptions): string[] {
  const p: string[] = [];
  if (o.provider !== 'anthropic' && o.provider !== 'vertex') p.push(`provider: must be "anthropic" or "vertex", got ${JSON.stringify(o.provider)}`);
  if (o.provider === 'anthropic' && (o.apiKey === undefined || o.apiKey.trim() === '')) p.push('apiKey: required for provider "anthropic" (ANTHROPIC_API_KEY)');
  if (o.provider === 'vertex' && (o.vertex === undefined || o.vertex.projectId.trim() === '')) p.push('vertex.projectId: required for provider "vertex" ([ai.vertex] project_id)');
  if (o.provider === 'vertex' && o.vertex !== undefined && o.vertex.region.trim() === '') p.push('vertex.region: required for provider "vertex"');
  for (const [name, model] of [['analysisModel', o.analysisModel], ['codeModel', o.codeModel], ['askModel', o.askModel]] as const) {
    if (typeof model !== 'string' || model === '') p.push(`${name}: must be a model id, got ${JSON.stringify(model)}`);
    else if (o.prices[model] === undefined) p.push(`prices: no entry for ${name} ${JSON.stringify(model)}; known: ${Object.keys(o.prices).join(', ') || 'none'}`);
  }
  const positiveInt = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) p.push(`${name}: must be an integer ≥ ${min}, got ${v}`);
  };
  positiveInt('analysisMaxOutputTokens', o.analysisMaxOutputTokens, 1);
  positiveInt('codeMaxOutputTokens', o.codeMaxOutputTokens, 1);
  positiveInt('askMaxOutputTokens', o.askMaxOutputTokens, 1);
  positiveInt('dailyTokenLimit', o.dailyTokenLimit, 1);
  positiveInt('requestTimeoutMs', o.requestTimeoutMs, 1);
  positiveInt('maxRetries', o.maxRetries, 0);
  for (const [model, price] of Object.entries(o.prices)) {
    for (const [k, v] of Object.entries(price)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) p.push(`prices.${model}.${k}: must be a number ≥ 0 (USD per million tokens), got ${v}`);
    }
  }
  return p;
}
