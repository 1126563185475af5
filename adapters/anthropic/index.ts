/**
 * The Claude adapter: the `Advisor` port (domain/ports/advisor.ts) on the real
 * `@anthropic-ai/sdk` — structured outputs validated by the `domain/advice` schemas, SDK retries
 * plus a per-call deadline, a daily token budget checked before each call, exact cost per call,
 * prompts that keep data as data and secrets out. Vertex AI behind the same port when its SDK is
 * installed. See docs/advisor.md.
 */
export { createClaudeAdvisor } from './advisor.ts';
export { AdvisorOptionsError, type AdvisorProvider, type ClaudeAdvisorOptions, optionProblems } from './options.ts';
export { CHARS_PER_TOKEN, FRAMING_TOKENS, Reservations, createMemoryBudgetLedger, estimateCallTokens } from './budget.ts';
export { STATUS_KINDS, classifySdkError } from './errors.ts';
export { type MessagesClient, VERTEX_NOT_INSTALLED, VERTEX_SDK } from './provider.ts';
export { DATA_TAG, SYSTEM_PROMPTS, type SystemPrompt } from './prompts/system.ts';
export { KIND_RANK, REDACTED, type RenderedPrompt, escapeTitle, neutralize, orderBlocks, redact, renderPrompt, wrapBlock } from './prompts/render.ts';
export { outputFormat, stopReasonProblem, usageFromMessage } from './call.ts';
