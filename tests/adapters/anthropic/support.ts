/**
 * Shared setup for the Claude adapter tests: a fake Messages API on loopback, an advisor on the
 * real SDK pointed at it, and valid sample answers for every structured output.
 */
import { createClaudeAdvisor, createMemoryBudgetLedger, type ClaudeAdvisorOptions } from '../../../adapters/anthropic/index.ts';
import { type FakeAnthropic, startFakeAnthropic } from '../../../adapters/fake-anthropic/index.ts';
import type { Advisor, BudgetLedger, CallRecord } from '../../../domain/ports/index.ts';

export const API_KEY = 'sk-ant-test-canary-key-0123456789';
export const TIME_ZONE = 'America/Toronto';

/** Default prices of `[ai.prices]` (reference/ecosystem.md §4), USD per million tokens. */
export const PRICES = {
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
};

/** Options as the supervisor would build them from the default config, pointed at the fake. */
export function advisorOptions(fake: FakeAnthropic, ledger: BudgetLedger, extra: Partial<ClaudeAdvisorOptions> = {}): ClaudeAdvisorOptions {
  return {
    provider: 'anthropic',
    apiKey: API_KEY,
    baseURL: fake.baseURL,
    analysisModel: 'claude-opus-5-5',
    codeModel: 'claude-sonnet-5-5',
    askModel: 'claude-haiku-5-5',
    analysisMaxOutputTokens: 16_384,
    codeMaxOutputTokens: 16_384,
    askMaxOutputTokens: 4096,
    dailyTokenLimit: 1_500_000,
    requestTimeoutMs: 5000,
    maxRetries: 2,
    prices: PRICES,
    ledger,
    ...extra,
  };
}

/** A fake, a memory ledger and an advisor; `close()` stops the fake. */
export async function setup(extra: Partial<ClaudeAdvisorOptions> = {}): Promise<{
  fake: FakeAnthropic;
  ledger: ReturnType<typeof createMemoryBudgetLedger>;
  advisor: Advisor;
  close: () => Promise<void>;
}> {
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  const ledger = createMemoryBudgetLedger(TIME_ZONE);
  const advisor = createClaudeAdvisor(advisorOptions(fake, ledger, extra));
  return { fake, ledger, advisor, close: () => fake.close() };
}

/** JSON text of a record or value, bigint-safe (for "contains" assertions). */
export function dump(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The parsed request body of the `i`-th logged request. */
export function bodyOf(fake: FakeAnthropic, i = 0): {
  model: string;
  max_tokens: number;
  system: { type: string; text: string; cache_control?: unknown }[];
  messages: { role: string; content: { type: string; text: string; cache_control?: unknown }[] }[];
  output_config?: { format?: { type: string; schema: Record<string, unknown> } };
  [k: string]: unknown;
} {
  const req = fake.requests()[i];
  if (req === undefined) throw new Error(`no request #${i}; ${fake.requests().length} logged`);
  return req.body as ReturnType<typeof bodyOf>;
}

export const noChange = {
  decision: 'NO_CHANGE',
  reasoning: 'Out-of-sample expectancy is flat; no candidate has enough shadow trades.',
  marketObservations: 'BTC ranged within 3% all week.',
  crossReferenceFindings: '',
  changeRequest: null,
  targetSlot: null,
  positionHandling: null,
  evaluationDays: null,
  docFlag: false,
  flagReason: null,
  predictions: [
    { claim: 'BTC stays within ±5% over 7 days', evidence: 'ATR fell 30%', falsification: 'a daily close outside ±5%', confidence: 'medium', timeframe: '7 days', category: 'regime' },
  ],
} as const;

export const createCandidate = {
  ...noChange,
  decision: 'CREATE_CANDIDATE',
  changeRequest: 'Add an ATR-based trailing stop to v001 entries.',
  targetSlot: null,
  evaluationDays: 14,
  predictions: [],
} as const;

export const generated = {
  source: 'export function initialize() {}\nexport function analyze() { return []; }\n',
  description: 'A strategy that never trades.',
  changeSummary: 'Removed all entries.',
  parameters: [{ name: 'ATR_MULT', value: 2.5, description: 'Trailing stop distance in ATRs.' }],
} as const;

export const approve = { verdict: 'approve', summary: 'Correct and safe.', issues: [{ severity: 'minor', location: null, problem: 'Unused constant.', fix: 'Remove it.' }], revisionInstructions: null } as const;

export const deploy = { verdict: 'deploy', reasoning: 'Out-of-sample Sharpe above the incumbent in 4 of 5 folds.', concerns: ['Few trades in fold 2'], revisionInstructions: null } as const;

export const reflection = {
  gradedPredictions: [{ predictionId: 7, grade: 'confirmed', evidence: 'BTC closed within ±5% every day.', learning: 'Low ATR regimes persist.' }],
  strategyDocument: '# Design principles\nCapital preservation first. (A rewritten document of more than fifty characters.)',
  summary: 'Range regime confirmed.',
  newPredictions: [],
} as const;

export const answer = { answer: 'Two positions are open: BTC/USD and ETH/USD.' } as const;

/** The records the ledger got, newest last. */
export function recorded(ledger: { readonly calls: readonly CallRecord[] }): readonly CallRecord[] {
  return ledger.calls;
}
