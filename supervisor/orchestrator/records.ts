/**
 * Records: every advisor call in the thought spool, notifications through the event bus, and the
 * per-cycle `orchestrator_log` row.
 */
import { type NotifierEvent, type NotifierEventInput, type NotifierEventType, notifierEvent } from '../../domain/events/index.ts';
import { type Fixed, ZERO, toString } from '../../domain/money/index.ts';
import type { AdvisorResult, CallRecord } from '../../domain/ports/index.ts';
import { budgetTokens } from '../../domain/advice/index.ts';
import { CycleStepError, type StepErrorKind } from '../../machines/orchestrator.ts';
import type { OrchestratorDeps } from './deps.ts';

/** JSON text that survives bigint (exact money as decimal text). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? toString(v) : v));
}

/**
 * Stores one thought row for an advisor result: the prompt summary (with outcome, token usage
 * and exact cost appended — the spool has no columns of its own for them; `token_usage` holds the
 * same numbers per call), the full response text (kept also when it failed validation), and the
 * parsed value as JSON (null when the call failed). A call that was never sent (budget refused,
 * deadline passed) is recorded too, with model `none` and the reason. Returns the row id.
 */
export function recordThought<T>(deps: Pick<OrchestratorDeps, 'repos' | 'clock'>, cycleId: string, step: string, result: AdvisorResult<T>): number {
  const call: CallRecord<T> | undefined = result.call;
  const failure = result.ok ? null : `${result.error.kind}: ${result.error.reason}`;
  if (call === undefined) {
    return deps.repos.thoughts.insert({
      cycleId,
      step,
      model: 'none',
      inputSummary: `not sent — ${failure ?? 'no call record'}`,
      fullResponse: result.ok ? '' : (result.error.rawText ?? ''),
      parsedResult: null,
      createdAt: deps.clock(),
    });
  }
  const u = call.usage;
  const usage = `outcome ${call.outcome}${failure ? ` (${failure})` : ''}; tokens in ${u.inputTokens} out ${u.outputTokens} cache-read ${u.cacheReadTokens} cache-write ${u.cacheWriteTokens} (budget ${budgetTokens(u)}); cost $${toString(call.costUsd)}; ${call.durationMs} ms`;
  return deps.repos.thoughts.insert({
    cycleId,
    step: call.step || step,
    model: call.model,
    inputSummary: `${call.promptSummary}\n${usage}`,
    fullResponse: call.responseText !== '' ? call.responseText : result.ok ? '' : (result.error.rawText ?? ''),
    parsedResult: result.ok ? jsonText(result.value) : null,
    createdAt: deps.clock(),
  });
}

/**
 * Runs one advisor call and records it in the thought spool. Resolves to the result and the
 * thought id; never throws for an advisor failure (callers decide from `result.ok`).
 */
export async function recordedCall<T>(
  deps: Pick<OrchestratorDeps, 'repos' | 'clock'>,
  cycleId: string,
  step: string,
  call: () => Promise<AdvisorResult<T>>,
): Promise<{ result: AdvisorResult<T>; thoughtId: number }> {
  const result = await call();
  return { result, thoughtId: recordThought(deps, cycleId, step, result) };
}

/**
 * An advisor failure as the error a step rejects with: a `CycleStepError` whose kind routes the
 * machine (`budgetExhausted` → budgetExhausted, `timeout` → timedOut, any other → failed); the
 * message is the outcome reason (the raw text stays in the spool).
 */
export function advisorFailure(step: string, result: Extract<AdvisorResult<unknown>, { ok: false }>, thoughtId: number): CycleStepError {
  const kind: StepErrorKind = result.error.kind === 'budgetExhausted' ? 'budgetExhausted' : result.error.kind === 'timeout' ? 'timeout' : 'failed';
  return new CycleStepError(kind, `${step}: ${result.error.kind}: ${result.error.reason} (thought #${thoughtId} keeps the raw response)`);
}

/** The advisor call options of a cycle step: cycle id, thought-spool step, abort signal and the cycle's absolute deadline. */
export function callOptions(input: { readonly cycleId: string; readonly deadlineMs: number }, step: string, signal: AbortSignal | undefined) {
  return { cycleId: input.cycleId, step, ...(signal ? { signal } : {}), ...(input.deadlineMs > 0 ? { deadlineMs: input.deadlineMs } : {}) };
}

/** Builds and publishes a notifier event; an invalid event is published as `system.errorOccurred` naming the problem. */
export function publishEvent<T extends NotifierEventType>(deps: Pick<OrchestratorDeps, 'publish' | 'clock'>, type: T, data: NotifierEventInput<T>): void {
  const now = deps.clock();
  const built = notifierEvent(type, now, data);
  if (built.ok) {
    deps.publish(built.event as unknown as NotifierEvent);
    return;
  }
  const fallback = notifierEvent('system.errorOccurred', now, { source: 'orchestrator', message: `could not build ${type}: ${built.reason}` });
  if (fallback.ok) deps.publish(fallback.event);
}

/** Tokens (budget count) and exact cost of a cycle's calls, from `token_usage`. */
export function cycleUsage(deps: Pick<OrchestratorDeps, 'repos'>, cycleId: string, sinceMs: number, untilMs: number): { tokens: number; costUsd: Fixed } {
  let tokens = 0;
  let costUsd: Fixed = ZERO;
  for (const row of deps.repos.tokenUsage.between(sinceMs, untilMs + 1)) {
    if (row.cycleId !== cycleId) continue;
    tokens += row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
    costUsd += row.costUsd;
  }
  return { tokens, costUsd };
}
