/**
 * Which advisor runs: the Claude advisor when an API key is configured (or the Vertex provider
 * is chosen), else the local parameter-search advisor. The mode is shown in status.
 */
import { createClaudeAdvisor } from '../../adapters/anthropic/index.ts';
import type { Advisor, BudgetLedger } from '../../domain/ports/index.ts';
import type { AiConfig } from '../config/index.ts';
import type { AdvisorMode } from './deps.ts';
import { createLocalAdvisor } from './local-advisor.ts';

/** What `selectAdvisor` needs from the configuration (camelCased `[ai]`, `promotion_min_psr`). */
export interface AdvisorSelectionConfig {
  readonly ai: Pick<AiConfig, 'provider' | 'analysisModel' | 'codeModel' | 'askModel' | 'analysisMaxOutputTokens' | 'codeMaxOutputTokens' | 'askMaxOutputTokens' | 'dailyTokenLimit' | 'requestTimeoutSeconds' | 'prices' | 'vertex'>;
  readonly promotionMinPsr: number;
}

/** Wiring the advisors need besides the configuration. */
export interface AdvisorSelectionWiring {
  readonly ledger: BudgetLedger;
  readonly now: () => number;
  /** Seed of the local advisor. */
  readonly seed: number;
  /** Every secret value (never allowed into a prompt). */
  readonly secrets?: readonly string[];
  /** Messages API base URL (tests: the fake). */
  readonly baseURL?: string;
}

/**
 * Picks the advisor. `env.ANTHROPIC_API_KEY` set (non-blank) with provider anthropic, or provider
 * vertex → `claude`; otherwise → `local`. Throws `AdvisorOptionsError` when a configured Claude
 * advisor has unusable options (a startup error).
 */
export function selectAdvisor(config: AdvisorSelectionConfig, env: Readonly<Record<string, string | undefined>>, wiring: AdvisorSelectionWiring): { advisor: Advisor; mode: AdvisorMode } {
  const key = env.ANTHROPIC_API_KEY?.trim() ?? '';
  const ai = config.ai;
  if (ai.provider === 'vertex' || key !== '') {
    const vertex = ai.vertex as { projectId?: string; region?: string } | undefined;
    const advisor = createClaudeAdvisor({
      provider: ai.provider,
      ...(key !== '' ? { apiKey: key } : {}),
      ...(wiring.baseURL ? { baseURL: wiring.baseURL } : {}),
      ...(ai.provider === 'vertex' && vertex ? { vertex: { projectId: vertex.projectId ?? '', region: vertex.region ?? '' } } : {}),
      analysisModel: ai.analysisModel,
      codeModel: ai.codeModel,
      askModel: ai.askModel,
      analysisMaxOutputTokens: ai.analysisMaxOutputTokens,
      codeMaxOutputTokens: ai.codeMaxOutputTokens,
      askMaxOutputTokens: ai.askMaxOutputTokens,
      dailyTokenLimit: ai.dailyTokenLimit,
      requestTimeoutMs: ai.requestTimeoutSeconds * 1000,
      prices: ai.prices,
      ledger: wiring.ledger,
      ...(wiring.secrets ? { secrets: wiring.secrets } : {}),
      now: wiring.now,
    });
    return { advisor, mode: 'claude' };
  }
  return { advisor: createLocalAdvisor({ seed: wiring.seed, minPsr: config.promotionMinPsr, now: wiring.now }), mode: 'local' };
}
